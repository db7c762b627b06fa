//! Paths Prometheus reads as file patterns: `rule_files` and file_sd
//! `files`. Prometheus refuses a path with a `/` after its first `*`, a file_sd name that does not end in `.json`, `.yml` or
//! `.yaml`, and promtool a pattern Go's `filepath.Glob` cannot read.

use crate::diagnostics::Finding;
use crate::model::core::Ctx;
use crate::spec::{SpecCode, Str};

/// What Prometheus reads a pattern as.
#[derive(Clone, Copy)]
pub enum Pattern {
    RuleFile,
    FileSd,
}

/// Whether Prometheus takes `p` as a pattern of `kind`; reports it when not.
pub fn check(cx: &mut Ctx, p: &Str, kind: Pattern) -> bool {
    let Err(why) = verdict(p.get_ref(), kind) else {
        return true;
    };
    let (what, example) = match kind {
        Pattern::RuleFile => ("rule file", "/etc/prometheus/extra-rules/*.yml"),
        Pattern::FileSd => ("file_sd file", "targets/*.json"),
    };
    cx.push(
        Finding::new(
            SpecCode::BadPath,
            format!("{what} `{}`: {why}", p.get_ref().escape_debug()),
        )
        .at(p.span())
        .help(format!(
            "write a path with `*` only in its last part, such as `{example}`"
        )),
    );
    false
}

/// `Ok` when Prometheus and promtool take `p` as a pattern of `kind`.
pub fn verdict(p: &str, kind: Pattern) -> Result<(), String> {
    if p.chars().any(char::is_control) {
        return Err("holds a control character".into());
    }
    if p.is_empty() {
        return Err("is empty".into());
    }
    if p.ends_with('/') {
        return Err("names a directory, which Prometheus cannot read as a file".into());
    }
    if let Some(star) = p.find('*') {
        if p[star + 1..].contains('/') {
            return Err("Prometheus takes `*` in the last part of the path only".into());
        }
    }
    if matches!(kind, Pattern::FileSd) {
        let ext = p.rsplit_once('.').map_or("", |(_, e)| e);
        if !matches!(ext, "json" | "yml" | "yaml" | "JSON" | "YML" | "YAML") {
            return Err(
                "Prometheus reads file_sd files ending in `.json`, `.yml` or `.yaml` only".into(),
            );
        }
    }
    glob_syntax(p)
}

/// Go's `filepath.Match` syntax: `\` escapes, `[...]` classes closed and
/// not empty, no range starting with `-` or `]`.
fn glob_syntax(p: &str) -> Result<(), String> {
    let bad = |what: &str| Err(format!("Go cannot read it as a file pattern: {what}"));
    let mut chars = p.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.next().is_none() => return bad("it ends in `\\`"),
            '[' => {
                chars.next_if_eq(&'^');
                let mut ranges = 0;
                loop {
                    match chars.next() {
                        None => return bad("a `[` is not closed"),
                        Some(']') if ranges > 0 => break,
                        Some(']' | '-') => return bad("a class starts with `]` or `-`"),
                        Some('\\') if chars.next().is_none() => return bad("it ends in `\\`"),
                        Some(_) => {}
                    }
                    if chars.next_if_eq(&'-').is_some() {
                        match chars.next() {
                            None | Some(']' | '-') => return bad("a range in `[...]` has no end"),
                            Some('\\') if chars.next().is_none() => return bad("it ends in `\\`"),
                            Some(_) => {}
                        }
                    }
                    ranges += 1;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_what_prometheus_takes() {
        for p in [
            "targets/lloom-*.json",
            "targets/a.yml",
            "t/[a-c]*.yaml",
            "t/x\\*.json",
        ] {
            assert_eq!(verdict(p, Pattern::FileSd), Ok(()), "{p}");
        }
        for p in [
            "/etc/prometheus/extra-rules/*.yml",
            "rules/a{1001}",
            "rules/[^x]y",
        ] {
            assert_eq!(verdict(p, Pattern::RuleFile), Ok(()), "{p}");
        }
    }

    #[test]
    fn refuses_what_prometheus_or_promtool_refuses() {
        for (p, kind, why) in [
            ("targets/lloom-*.json\u{7f}", Pattern::FileSd, "control"),
            ("targets/lloom-*.json'", Pattern::FileSd, "ending in"),
            ("targets/*/a.json", Pattern::FileSd, "last part"),
            ("rules/*/a.yml", Pattern::RuleFile, "last part"),
            ("rules/[a", Pattern::RuleFile, "not closed"),
            ("rules/[]a]", Pattern::RuleFile, "starts with"),
            ("rules/a\\", Pattern::RuleFile, "ends in"),
            ("rules/[a-]", Pattern::RuleFile, "no end"),
            ("", Pattern::RuleFile, "empty"),
            ("/", Pattern::RuleFile, "directory"),
            ("rules/", Pattern::RuleFile, "directory"),
        ] {
            let e = verdict(p, kind).expect_err(p);
            assert!(e.contains(why), "{p}: {e}");
        }
    }
}
