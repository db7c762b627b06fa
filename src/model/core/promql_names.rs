//! Metric and label names as PromQL and promtool's series notation read them.
//! A name in the legacy charset is written bare, exactly as before, so that
//! the default output still loads in Prometheus 2 and Debian's promtool 2.42.
//! Any other name (Prometheus 3 takes any UTF-8) is quoted: a metric moves
//! into the braces (`{"lloom.requests.total", job="x"}`), a label is written
//! as a string (`"gpu.model"="h100"`, `sum by ("gpu.model")`). Every name
//! lloom-monctl writes into PromQL or a test series goes through here.

use super::names::{is_label_name, is_metric_name};
use promql_parser::parser::VectorSelector;
use std::borrow::Cow;

/// `s` as a PromQL double-quoted string: `\`, `"` and line breaks escaped,
/// as the PromQL lexer (and promtool's series reader) unescape them.
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A label name where PromQL takes one (matchers, `by`, `on`): bare in the
/// legacy charset, else quoted.
pub fn label_name(name: &str) -> Cow<'_, str> {
    if is_label_name(name) {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(string_literal(name))
    }
}

/// `label="value"`, the name quoted where it must be.
pub fn equality(label: &str, value: &str) -> String {
    format!("{}={}", label_name(label), string_literal(value))
}

/// A selector of `metric` with `matchers` (each written out, e.g. by
/// [`equality`]): `metric{a="1", b="2"}` (or bare `metric`) for a legacy
/// name, else `{"metric", a="1", b="2"}`, where the quoted name is the first
/// item in the braces.
pub fn selector(metric: &str, matchers: &[String]) -> String {
    let inner = matchers.join(", ");
    if is_metric_name(metric) {
        if inner.is_empty() {
            metric.to_string()
        } else {
            format!("{metric}{{{inner}}}")
        }
    } else if inner.is_empty() {
        format!("{{{}}}", string_literal(metric))
    } else {
        format!("{{{}, {inner}}}", string_literal(metric))
    }
}

/// The metric name a selector names, bare (`x`) or quoted (`{"x"}`, which
/// the parser reads as `{__name__="x"}`).
pub fn selected_name(vs: &VectorSelector) -> Option<&str> {
    vs.name.as_deref().or_else(|| {
        vs.matchers
            .matchers
            .iter()
            .find(|m| m.name == "__name__" && m.op == promql_parser::label::MatchOp::Equal)
            .map(|m| m.value.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parses_as(text: &str, metric: &str, label: (&str, &str)) {
        let Ok(promql_parser::parser::Expr::VectorSelector(vs)) =
            promql_parser::parser::parse(text)
        else {
            panic!("`{text}` is not a selector");
        };
        assert_eq!(selected_name(&vs), Some(metric), "{text}");
        let m = vs.matchers.matchers.iter().find(|m| m.name == label.0);
        assert_eq!(m.map(|m| m.value.as_str()), Some(label.1), "{text}");
    }

    #[test]
    fn legacy_names_stay_bare() {
        assert_eq!(label_name("gpu_model"), "gpu_model");
        assert_eq!(selector("lloom:rate:5m", &[]), "lloom:rate:5m");
        let m = vec![equality("job", "a"), equality("le", "0.5")];
        assert_eq!(selector("x_bucket", &m), r#"x_bucket{job="a", le="0.5"}"#);
    }

    #[test]
    fn dotted_names_are_quoted_inside_the_braces() {
        assert_eq!(label_name("gpu.model"), r#""gpu.model""#);
        assert_eq!(
            label_name("a:b"),
            r#""a:b""#,
            "a colon is legacy in metrics only"
        );
        let m = vec![equality("gpu.model", "h100")];
        let text = selector("lloom.requests.total", &m);
        assert_eq!(text, r#"{"lloom.requests.total", "gpu.model"="h100"}"#);
        parses_as(&text, "lloom.requests.total", ("gpu.model", "h100"));
        assert_eq!(selector("a.b", &[]), r#"{"a.b"}"#);
    }

    #[test]
    fn quotes_and_backslashes_are_escaped() {
        assert_eq!(string_literal(r#"a"b\c"#), r#""a\"b\\c""#);
        let m = vec![equality(r#"l"1"#, r"v\2")];
        let text = selector(r#"say "hi"\now"#, &m);
        assert_eq!(text, r#"{"say \"hi\"\\now", "l\"1"="v\\2"}"#);
        parses_as(&text, r#"say "hi"\now"#, (r#"l"1"#, r"v\2"));
    }

    #[test]
    fn utf8_letters_are_written_as_they_are() {
        let m = vec![equality("modèle", "ü")];
        let text = selector("débit_总数", &m);
        assert_eq!(text, r#"{"débit_总数", "modèle"="ü"}"#);
        parses_as(&text, "débit_总数", ("modèle", "ü"));
    }
}
