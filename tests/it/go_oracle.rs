//! lloom-monctl checks regexes, Go templates, receiver URLs and file
//! patterns in Rust, as Go reads them (issue 18). Here Go itself judges:
//! the reference `go-oracle` compiles each regex with Go's `regexp`, parses
//! each template with Prometheus's and Alertmanager's template packages,
//! each URL as Alertmanager's config does and each pattern as Prometheus and
//! promtool do, and both verdicts must agree.
//!
//! The inputs are every such text of every rendered valid fixture (relabel
//! regexes, PromQL regex matchers, Alertmanager matchers, log pipeline
//! expressions, alert annotations and labels, notification fields, receiver
//! and runbook URLs, rule and file_sd files), hand-picked cases Go and Rust
//! part on easily, and the variants of each (every prefix, every
//! one-character deletion), which break them in every way a typo does.

mod inputs;

use lloom_monctl::model::core::go_template::{check_for, Runner};
use lloom_monctl::model::core::{http_url, re2};
use lloom_monctl::model::prometheus::file_patterns::{verdict, Pattern};
use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Stdio};

/// What reads a text, and so how it is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Regex,
    Prometheus,
    Alertmanager,
    Url,
    RuleFile,
    FileSd,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Regex => "regex",
            Kind::Prometheus => "prometheus",
            Kind::Alertmanager => "alertmanager",
            Kind::Url => "url",
            Kind::RuleFile => "rule-file",
            Kind::FileSd => "file-sd",
        }
    }

    /// lloom-monctl's verdict: `Err` with its message when it refuses.
    fn ours(self, text: &str) -> Result<(), String> {
        match self {
            Kind::Regex => re2::check(text).map_err(|r| r.message),
            Kind::Prometheus => check_for(text, Runner::Prometheus).map_err(|e| e.message),
            Kind::Alertmanager => check_for(text, Runner::Alertmanager).map_err(|e| e.message),
            Kind::Url => http_url::check(text),
            Kind::RuleFile => verdict(text, Pattern::RuleFile),
            Kind::FileSd => verdict(text, Pattern::FileSd),
        }
    }
}

/// Go's verdicts on `cases`, in order, from one run of the oracle.
fn go_verdicts(cases: &[(Kind, String)]) -> Vec<Result<(), String>> {
    let mut child = Command::new(crate::common::reference_tool("go-oracle"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run go-oracle");
    let mut stdin = child.stdin.take().unwrap();
    let input: String = cases
        .iter()
        .map(|(kind, text)| {
            let line = serde_json::json!({ "kind": kind.name(), "text": text });
            format!("{line}\n")
        })
        .collect();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "go-oracle failed");
    let verdicts: Vec<Result<(), String>> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            match v["ok"].as_bool() {
                Some(true) => Ok(()),
                _ => Err(v["error"].as_str().unwrap_or_default().to_string()),
            }
        })
        .collect();
    assert_eq!(verdicts.len(), cases.len(), "one verdict a case");
    verdicts
}

/// Every prefix and every one-character deletion of `text`.
fn variants(text: &str) -> impl Iterator<Item = String> + '_ {
    let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let prefixes = bounds.clone().into_iter().map(|i| text[..i].to_string());
    let deletions = bounds.into_iter().map(|i| {
        let next = text[i..].chars().next().map_or(0, char::len_utf8);
        format!("{}{}", &text[..i], &text[i + next..])
    });
    prefixes.chain(deletions)
}

#[test]
fn go_and_lloom_monctl_agree_on_every_regex_template_url_and_pattern() {
    let seeds = inputs::seeds();
    for kind in [
        Kind::Regex,
        Kind::Prometheus,
        Kind::Alertmanager,
        Kind::Url,
        Kind::RuleFile,
        Kind::FileSd,
    ] {
        assert!(
            seeds.iter().filter(|(k, _)| *k == kind).count() >= 3,
            "too few {} inputs: the extraction from the rendered fixtures broke",
            kind.name()
        );
    }
    let mut cases: BTreeSet<(Kind, String)> = BTreeSet::new();
    for (kind, text) in &seeds {
        cases.insert((*kind, text.clone()));
        if text.len() <= inputs::MAX_VARIED {
            cases.extend(variants(text).map(|v| (*kind, v)));
        }
    }
    let cases: Vec<(Kind, String)> = cases.into_iter().collect();
    let go = go_verdicts(&cases);
    let (mut disagree, mut stricter, mut refused) = (Vec::new(), 0, 0);
    for ((kind, text), go) in cases.iter().zip(&go) {
        let ours = kind.ours(text);
        refused += usize::from(go.is_err());
        match (go, ours) {
            (Ok(()), Err(why)) if deliberately_stricter(*kind, &why) => {
                stricter += 1;
            }
            (go, ours) if go.is_ok() != ours.is_ok() => disagree.push(format!(
                "{} {text:?}: Go {}, lloom-monctl {}",
                kind.name(),
                go.as_ref()
                    .err()
                    .map_or("takes it".into(), |e| format!("refuses ({e})")),
                ours.err()
                    .map_or("takes it".into(), |e| format!("refuses ({e})")),
            )),
            _ => {}
        }
    }
    assert!(
        disagree.is_empty(),
        "{} of {} cases judged differently:\n{}",
        disagree.len(),
        cases.len(),
        disagree
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        refused * 5 > cases.len(),
        "the variants should break many cases: Go refused {refused} of {}",
        cases.len()
    );
    eprintln!(
        "go-oracle: {} cases, Go refused {refused}, lloom-monctl agreed on all but {stricter} \
         it refuses on purpose",
        cases.len()
    );
}

/// What Go takes that lloom-monctl refuses on purpose (docs/oracles.md).
/// A regex Rust's `regex`, which it evaluates regexes with, cannot read
/// (`\Q..\E`, `a{` as a literal, octal escapes), or that Go reads otherwise
/// than its author meant (`[a-z&&[^x]]` is literal characters to Go); a URL
/// whose host has a second `:` outside brackets; an empty or control
/// character file pattern, or one naming a directory (Go's glob takes `/`;
/// promtool then fails reading it).
fn deliberately_stricter(kind: Kind, why: &str) -> bool {
    match kind {
        Kind::Regex => {
            why.starts_with("does not compile:")
                || why.contains("octal escape")
                || why.contains("class set operation")
                || why.contains("class nested in a class")
        }
        Kind::Url => why.contains("the port is not a number"),
        Kind::RuleFile | Kind::FileSd => {
            why == "is empty" || why.contains("control character") || why.contains("directory")
        }
        Kind::Prometheus | Kind::Alertmanager => false,
    }
}
