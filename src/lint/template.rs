//! Alert annotations and labels are Go templates, Grafana legends a smaller
//! `{{label}}` syntax. This reads what they refer to, without running them:
//! the labels, and whether `$value` is shown raw.

/// What an alert template refers to.
#[derive(Debug, Default, PartialEq)]
pub struct Refs {
    /// `$labels.x`, `.Labels.x`, `index $labels "x"`.
    pub labels: Vec<String>,
    /// `{{ $value }}` printed without a formatting function.
    pub raw_value: bool,
}

/// Reads the actions (`{{ ... }}`) of an alert template.
pub fn alert_refs(text: &str) -> Refs {
    let mut refs = Refs::default();
    for action in actions(text) {
        let action = action.trim_matches('-').trim();
        if action.starts_with("/*") {
            continue;
        }
        if matches!(action, "$value" | ".Value") {
            refs.raw_value = true;
        }
        let tokens = tokens(action);
        for (i, t) in tokens.iter().enumerate() {
            let label = t
                .strip_prefix("$labels.")
                .or_else(|| t.strip_prefix(".Labels."));
            if let Some(l) = label {
                refs.labels.push(l.to_string());
            } else if *t == "index" {
                if let (Some(m), Some(l)) = (tokens.get(i + 1), tokens.get(i + 2)) {
                    if matches!(*m, "$labels" | ".Labels") {
                        refs.labels.push(l.trim_matches('"').to_string());
                    }
                }
            }
        }
    }
    refs
}

/// The labels a Grafana legend (`{{instance}} - {{status}}`) shows.
pub fn legend_labels(text: &str) -> Vec<String> {
    actions(text)
        .map(str::trim)
        .filter(|a| is_identifier(a))
        .map(str::to_string)
        .collect()
}

/// The text between each `{{` and its `}}`.
fn actions(text: &str) -> impl Iterator<Item = &str> {
    text.split("{{")
        .skip(1)
        .filter_map(|rest| rest.split_once("}}").map(|(action, _)| action))
}

/// Splits an action into words, keeping string literals whole.
fn tokens(action: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = action;
    while let Some(start) = rest.find(|c: char| !c.is_whitespace() && !"|()".contains(c)) {
        rest = &rest[start..];
        let end = match rest.as_bytes()[0] {
            q @ (b'"' | b'`') => rest[1..].find(q as char).map_or(rest.len(), |e| e + 2),
            _ => rest
                .find(|c: char| c.is_whitespace() || "|()".contains(c))
                .unwrap_or(rest.len()),
        };
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

fn is_identifier(t: &str) -> bool {
    let mut chars = t.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_labels_and_raw_values() {
        let r = alert_refs(
            r#"GPU {{ $labels.device }} on {{ .Labels.instance }} {{ index $labels "model" }} at {{ $value | humanizePercentage }}"#,
        );
        assert_eq!(r.labels, ["device", "instance", "model"]);
        assert!(!r.raw_value);
        let r = alert_refs("{{ $labels.instance }} has {{ $value }} timeouts per second");
        assert!(r.raw_value);
        let r = alert_refs(r#"{{ $value | humanizePercent }} {{ printf "%.2f" $value }}"#);
        assert!(!r.raw_value);
    }

    #[test]
    fn legends_name_labels() {
        assert_eq!(
            legend_labels("{{instance}} - {{ status }}"),
            ["instance", "status"]
        );
        assert!(legend_labels("p99 latency").is_empty());
    }
}
