//! Grafana variables in panel queries, replaced by values PromQL accepts so
//! that the query can be parsed and linted like any rule expression.

use super::Duration;

/// What a template variable (`$instance`, `${model:regex}`, `[[job]]`)
/// becomes inside a quoted matcher value: a word no real value contains, so
/// that the lint recognises it and concludes nothing from the matcher (a
/// regex such as `err.*` written by hand is still checked).
pub const VARIABLE: &str = "__grafana_variable__";

/// What a variable becomes: a regex that also matches the empty value, as
/// "All" (`.*`) does, so that a matcher on a label some series lack (such as
/// `cluster`, which only a global view has) is not taken to select nothing.
const SUBSTITUTE: &str = "(?:__grafana_variable__)?";

/// Substitutes Grafana's built-in interval variables by what they are worst
/// case for this stack, and template variables inside strings by [`VARIABLE`];
/// a template variable outside a string is left, and fails to parse.
pub fn substitute(query: &str, scrape_interval: Duration) -> String {
    let rate_interval = Duration(4 * scrape_interval.0).to_string();
    let builtins = [
        ("$__rate_interval", rate_interval.as_str()),
        ("${__rate_interval}", rate_interval.as_str()),
        ("$__interval_ms", &scrape_interval.0.to_string()),
        ("$__interval", &scrape_interval.to_string()),
        ("${__interval}", &scrape_interval.to_string()),
        ("$__range_s", "21600"),
        ("$__range_ms", "21600000"),
        ("$__range", "6h"),
        ("${__range}", "6h"),
    ];
    let mut text = query.to_string();
    for (var, value) in builtins {
        text = text.replace(var, value);
    }
    let mut out = String::with_capacity(text.len());
    let mut quote = None;
    let mut rest = text.as_str();
    while let Some(c) = rest.chars().next() {
        match (quote, c) {
            (None, '"' | '\'' | '`') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (Some(_), '\\') => {
                out.push(c);
                rest = &rest[1..];
                if let Some(n) = rest.chars().next() {
                    out.push(n);
                    rest = &rest[n.len_utf8()..];
                }
                continue;
            }
            (Some(_), '$' | '[') => {
                if let Some(len) = variable_len(rest) {
                    out.push_str(SUBSTITUTE);
                    rest = &rest[len..];
                    continue;
                }
            }
            _ => {}
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The template variables a text refers to (`$instance`, `${model:regex}`,
/// `[[job]]`), each once, without Grafana's own (`$__rate_interval`) and
/// regex back-references (`$1`).
pub fn references(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(['$', '[']) {
        rest = &rest[i..];
        let Some(len) = variable_len(rest) else {
            rest = &rest[1..];
            continue;
        };
        let name = rest[..len]
            .trim_start_matches(['$', '[', '{'])
            .trim_end_matches([']', '}'])
            .split(':')
            .next()
            .unwrap_or_default()
            .to_string();
        if !name.starts_with("__")
            && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && !out.contains(&name)
        {
            out.push(name);
        }
        rest = &rest[len..];
    }
    out
}

/// Length of the variable reference at the start of `s`, if there is one.
fn variable_len(s: &str) -> Option<usize> {
    let ident = |t: &str| {
        t.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(t.len())
    };
    if let Some(t) = s.strip_prefix("${") {
        return t.find('}').map(|e| e + 3);
    }
    if let Some(t) = s.strip_prefix("[[") {
        return t.find("]]").map(|e| e + 4);
    }
    let t = s.strip_prefix('$')?;
    let n = ident(t);
    (n > 0).then_some(n + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_and_variables_are_replaced() {
        let q = r#"sum by (status) (rate(x{instance=~"$instance", model="${model:regex}", job="[[job]]"}[$__rate_interval]))"#;
        assert_eq!(
            substitute(q, Duration(15_000)),
            r#"sum by (status) (rate(x{instance=~"(?:__grafana_variable__)?", model="(?:__grafana_variable__)?", job="(?:__grafana_variable__)?"}[1m]))"#
        );
        assert_eq!(
            substitute("rate(x[$__interval])", Duration(15_000)),
            "rate(x[15s])"
        );
    }

    #[test]
    fn references_name_template_variables_only() {
        let q = r#"label_replace(rate(x{instance=~"$instance", model="${model:regex}", job="[[job]]"}[$__rate_interval]), "a", "$1", "b", "(.*)")"#;
        assert_eq!(references(q), ["instance", "model", "job"]);
        assert_eq!(references("{{instance}} $model $model"), ["model"]);
    }
}
