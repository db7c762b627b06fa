//! Alertmanager label matchers (`severity="critical"`, `job=~"lloom-.*"`):
//! parsed once, so that routing can be evaluated here and proven by amtool.

use crate::diagnostics::Finding;
use crate::model::core::re2;
use crate::model::LabelMap;
use crate::spec::{SpecCode, Str};
use regex::Regex;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchOp {
    Equal,
    NotEqual,
    Regex,
    NotRegex,
}

impl MatchOp {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchOp::Equal => "=",
            MatchOp::NotEqual => "!=",
            MatchOp::Regex => "=~",
            MatchOp::NotRegex => "!~",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Matcher {
    pub name: String,
    pub op: MatchOp,
    pub value: String,
    /// Anchored, as Alertmanager anchors it; `None` for `=` and `!=`.
    regex: Option<Regex>,
    /// Where it was written; `None` for built-in matchers.
    pub span: Option<Range<usize>>,
}

impl Matcher {
    /// A built-in matcher, known to be valid.
    pub fn builtin(name: &str, op: MatchOp, value: &str) -> Matcher {
        Matcher::new(name, op, value, None).expect("built-in matcher")
    }

    fn new(
        name: &str,
        op: MatchOp,
        value: &str,
        span: Option<Range<usize>>,
    ) -> Result<Matcher, String> {
        let regex = match op {
            MatchOp::Regex | MatchOp::NotRegex => {
                // Alertmanager anchors the regex, and compiles it with Go.
                let anchored = format!("^(?:{value})$");
                re2::check(&anchored).map_err(|e| format!("the regex `{value}` {}", e.message))?;
                Some(Regex::new(&anchored).map_err(|e| format!("`{value}`: {e}"))?)
            }
            MatchOp::Equal | MatchOp::NotEqual => None,
        };
        Ok(Matcher {
            name: name.to_string(),
            op,
            value: value.to_string(),
            regex,
            span,
        })
    }

    /// Does an alert with these labels match? An absent label is the empty
    /// string, as in Alertmanager.
    pub fn matches(&self, labels: &LabelMap) -> bool {
        let v = labels.get(&self.name).map_or("", String::as_str);
        match (self.op, &self.regex) {
            (MatchOp::Equal, _) => v == self.value,
            (MatchOp::NotEqual, _) => v != self.value,
            (MatchOp::Regex, Some(r)) => r.is_match(v),
            (MatchOp::NotRegex, Some(r)) => !r.is_match(v),
            (_, None) => unreachable!("regex matchers carry their regex"),
        }
    }

    /// Could some value of a label match, given the values it can take?
    pub fn accepts_any(&self, values: &[String]) -> bool {
        values.iter().any(|v| {
            let mut labels = LabelMap::new();
            labels.insert(self.name.clone(), v.clone());
            self.matches(&labels)
        })
    }
}

impl std::fmt::Display for Matcher {
    /// The form both amtool 0.25 and current Alertmanager read back.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let escaped = self.value.replace('\\', "\\\\").replace('"', "\\\"");
        write!(f, "{}{}\"{escaped}\"", self.name, self.op.as_str())
    }
}

/// Parses `name op "value"` (the value may be unquoted); the finding says
/// what is wrong where.
pub fn parse(m: &Str) -> Result<Matcher, Box<Finding>> {
    let text = m.get_ref().trim();
    let bad = |why: String| {
        Box::new(Finding::new(SpecCode::BadMatcher, why).at(m.span()).help(
            "write `label=\"value\"`, `label!=\"value\"`, `label=~\"regex\"` or `label!~\"regex\"`",
        ))
    };
    let name_end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .ok_or_else(|| bad(format!("`{text}` has no operator")))?;
    let (name, rest) = text.split_at(name_end);
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(bad(format!("`{text}` does not start with a label name")));
    }
    let rest = rest.trim_start();
    let (op, rest) = [
        ("=~", MatchOp::Regex),
        ("!~", MatchOp::NotRegex),
        ("!=", MatchOp::NotEqual),
        ("=", MatchOp::Equal),
    ]
    .into_iter()
    .find_map(|(s, op)| rest.strip_prefix(s).map(|r| (op, r.trim())))
    .ok_or_else(|| bad(format!("`{text}` has no operator after `{name}`")))?;
    let value = match rest.strip_prefix('"') {
        Some(quoted) => {
            unquote(quoted).ok_or_else(|| bad(format!("`{text}`: unterminated quote")))?
        }
        None => rest.to_string(),
    };
    Matcher::new(name, op, &value, Some(m.span())).map_err(bad)
}

/// The value of a `"`-quoted string (opening quote removed), with `\"` and
/// `\\` unescaped; `None` unless the quote closes at the end.
fn unquote(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?),
            '"' => return chars.as_str().trim().is_empty().then_some(out),
            c => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use toml::Spanned;

    fn m(s: &str) -> Result<Matcher, Box<Finding>> {
        parse(&Spanned::new(0..s.len(), s.to_string()))
    }

    #[test]
    fn parses_every_operator_quoted_or_not() {
        let x = m(r#"severity="critical""#).unwrap();
        assert_eq!(
            (x.name.as_str(), x.op, x.value.as_str()),
            ("severity", MatchOp::Equal, "critical")
        );
        assert_eq!(m("severity = warning").unwrap().value, "warning");
        assert_eq!(m(r#"job=~"lloom-.*""#).unwrap().op, MatchOp::Regex);
        assert_eq!(m(r#"job!~"lloom-.*""#).unwrap().op, MatchOp::NotRegex);
        assert_eq!(m(r#"a!="x\"y""#).unwrap().value, "x\"y");
        assert_eq!(m(r#"a!="x\"y""#).unwrap().to_string(), r#"a!="x\"y""#);
    }

    #[test]
    fn rejects_what_alertmanager_rejects() {
        assert!(m("severity").is_err());
        assert!(m(r#"="x""#).is_err());
        assert!(m(r#"a="x"#).is_err());
        assert!(m(r#"a=~"(""#).is_err());
        // Rust's `regex` takes these; Go's, which Alertmanager uses, does not.
        for re in ["a**", "a++", "a{1001}", "(?u)x"] {
            let e = m(&format!("a=~\"{re}\"")).unwrap_err();
            assert!(
                e.message.contains("Go's RE2") || e.message.contains("Rust-only"),
                "{re}: {}",
                e.message
            );
        }
        assert!(m(r#"a=~"(a*)*|a{1000}|(?i)x""#).is_ok());
    }

    #[test]
    fn matches_like_alertmanager() {
        let labels = LabelMap::from([("severity".to_string(), "critical".to_string())]);
        assert!(m("severity=critical").unwrap().matches(&labels));
        assert!(m(r#"severity=~"crit.*""#).unwrap().matches(&labels));
        assert!(
            !m(r#"severity=~"crit""#).unwrap().matches(&labels),
            "anchored"
        );
        assert!(m(r#"team="""#).unwrap().matches(&labels), "absent is empty");
        assert!(m(r#"team!="ops""#).unwrap().matches(&labels));
    }
}
