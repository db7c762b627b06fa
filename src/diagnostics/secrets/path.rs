//! Whether the value of a `*_file` key is a path, or the secret itself
//! pasted where its path belongs.

/// A path names a file: it has a `/`, no scheme, no blanks or control
/// characters, and no long high-entropy segment (a token, a key).
pub fn looks_like_path(value: &str) -> bool {
    value.contains('/')
        && !value.contains("://")
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        && value.len() <= 4096
        && !value.split('/').any(high_entropy)
}

/// A run of 24 or more characters as varied as a random token is.
fn high_entropy(segment: &str) -> bool {
    if segment.len() < 24 {
        return false;
    }
    let mut counts = std::collections::HashMap::new();
    for c in segment.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    let n = segment.chars().count() as f64;
    let bits: f64 = counts
        .values()
        .map(|&k| {
            let p = k as f64 / n;
            -p * p.log2()
        })
        .sum();
    bits > 4.0
}

#[cfg(test)]
mod tests {
    use super::looks_like_path;

    #[test]
    fn paths_and_secrets() {
        for p in [
            "/run/secrets/slack_webhook_url",
            "secrets/pagerduty_routing_key",
            "/etc/alertmanager/opsgenie-api-key.txt",
        ] {
            assert!(looks_like_path(p), "{p}");
        }
        for s in [
            "R0uTiNgKeY1234567890abcdef",
            "https://hooks.slack.com/services/T0/B0/XXXX",
            "/run/secrets/aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5",
            "hunter2",
            "",
        ] {
            assert!(!looks_like_path(s), "{s}");
        }
    }
}
