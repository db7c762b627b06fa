//! Regex matchers that need no regex (pint's `promql/regexp` finds these
//! too): one without a pattern matches a single string, which `=` says
//! plainly and more cheaply; Prometheus anchors every regex itself, so a
//! leading `^` or trailing `$` is redundant.

use super::codes::LintCode;
use crate::diagnostics::Finding;
use promql_parser::label::{MatchOp, Matcher};

/// Characters that make a regex more than a string, unless escaped.
const META: &str = ".+*?()|[]{}^$";

/// A finding when `m` is a regex matcher that needs no regex.
pub(super) fn check(m: &Matcher) -> Option<Finding> {
    let (eq, re) = match m.op {
        MatchOp::Re(_) => ("=", "=~"),
        MatchOp::NotRe(_) => ("!=", "!~"),
        MatchOp::Equal | MatchOp::NotEqual => return None,
    };
    let shown = format!("{}{re}\"{}\"", m.name, m.value);
    if let Some(literal) = literal(&m.value).filter(|l| !l.is_empty()) {
        return Some(
            Finding::new(
                LintCode::NeedlessRegex,
                format!("`{shown}` is a regex without a pattern: it matches one string"),
            )
            .focus(format!("\"{}\"", m.value))
            .help(format!("write `{}{eq}\"{literal}\"`", m.name)),
        );
    }
    let anchored =
        m.value.starts_with('^') || (m.value.ends_with('$') && !m.value.ends_with("\\$"));
    anchored.then(|| {
        Finding::new(
            LintCode::NeedlessRegex,
            format!("`{shown}` anchors a regex that Prometheus anchors itself"),
        )
        .focus(format!("\"{}\"", m.value))
        .help("remove the `^` and `$`: Prometheus matches the whole value")
    })
}

/// The string a regex matches when it has no pattern: escapes undone.
fn literal(regex: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = regex.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e) if META.contains(e) || e == '\\' => out.push(e),
                _ => return None, // \d, \s, …: a class
            },
            c if META.contains(c) => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(op: &str, value: &str) -> Matcher {
        let expr = format!("up{{job{op}\"{value}\"}}");
        let ast = promql_parser::parser::parse(&expr).unwrap();
        let promql_parser::parser::Expr::VectorSelector(vs) = ast else {
            panic!("{expr}")
        };
        vs.matchers
            .matchers
            .into_iter()
            .find(|m| m.name == "job")
            .unwrap()
    }

    #[test]
    fn literal_and_anchored_regexes_are_found_and_patterns_are_not() {
        for (op, value) in [
            ("=~", "api"),
            ("!~", "2\\\\.5"),
            ("=~", "^api.*"),
            ("=~", "api|web$"),
        ] {
            assert!(check(&matcher(op, value)).is_some(), "{op}{value}");
        }
        for (op, value) in [
            ("=~", "api|web"),
            ("=~", "lloom-.*"),
            ("=~", "5(\\\\.0)?"),
            ("=~", ""),
            ("=~", "a\\\\d"),
            ("=", "api"),
        ] {
            assert!(check(&matcher(op, value)).is_none(), "{op}{value}");
        }
    }
}
