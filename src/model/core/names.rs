//! Checks of names: those Prometheus 2 and 3 both accept, and the UTF-8
//! metric and label names only Prometheus 3 reads.

/// Label names as promtool 2.42 accepts them (Prometheus 3 also allows UTF-8,
/// which older tools reject).
pub fn is_label_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

pub fn is_metric_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// A metric or label name that only Prometheus 3 reads, or one of the
/// legacy charset that every version reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    /// `[a-zA-Z_:][a-zA-Z0-9_:]*` (no `:` in label names): written bare.
    Legacy,
    /// Any other UTF-8: quoted in PromQL (`promql_names.rs`); Prometheus 2
    /// and promtool 2.42 reject it.
    Utf8,
}

/// A `[[metric]]`, `[[record]]` or catalog label name: legacy, or UTF-8 that
/// Prometheus 3 takes and that lloom-monctl can write everywhere, else why not.
/// Refused beyond what Prometheus refuses: control characters and blanks at
/// either end (no file, query or table shows them), `` ` `` and `|` (they
/// break the Markdown of METRICS.md and the runbooks), `$` (Grafana reads
/// `$x` in a panel's query as a variable), and for metrics a `__` prefix
/// (reserved for Prometheus, as it is for labels).
pub fn charset(s: &str, metric: bool) -> Result<Charset, String> {
    let legacy = if metric {
        is_metric_name(s)
    } else {
        is_label_name(s)
    };
    if legacy {
        return Ok(Charset::Legacy);
    }
    if s.is_empty() {
        return Err("a name cannot be empty".into());
    }
    if metric && s.starts_with("__") {
        return Err("names starting with `__` are reserved for Prometheus".into());
    }
    if s.chars().any(char::is_control) || s.trim() != s {
        return Err("a name cannot hold control characters or start or end with a blank".into());
    }
    if let Some(c) = s.chars().find(|c| matches!(c, '`' | '|' | '$')) {
        return Err(format!(
            "`{c}` would break the Markdown tables or the Grafana queries that show the name"
        ));
    }
    Ok(Charset::Utf8)
}

/// Alert names become runbook file names, so they stay to letters, digits and `_`.
pub fn is_alert_name(s: &str) -> bool {
    is_label_name(s)
}

/// Group and job names become file names and label values.
pub fn is_simple_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Splits `host` or `host:port` (IPv6 in brackets); checks the host's characters.
pub fn split_host_port(s: &str) -> Result<(&str, Option<u16>), String> {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let (h, tail) = rest
            .split_once(']')
            .ok_or_else(|| format!("`{s}`: missing `]` after IPv6 address"))?;
        match tail.strip_prefix(':') {
            Some(p) => (h, Some(p)),
            None if tail.is_empty() => (h, None),
            None => return Err(format!("`{s}`: expected `:port` after `]`")),
        }
    } else {
        match s.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (s, None),
        }
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'))
        && !host.starts_with(['-', '.']);
    if !host_ok {
        return Err(format!("`{s}`: `{host}` is not a host name or address"));
    }
    let port = match port {
        None => None,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 => Some(n),
            _ => return Err(format!("`{s}`: `{p}` is not a port (1-65535)")),
        },
    };
    Ok((host, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_names() {
        assert!(is_label_name("model"));
        assert!(is_label_name("_x1"));
        assert!(!is_label_name("1x"));
        assert!(!is_label_name("a-b"));
        assert!(!is_label_name(""));
    }

    #[test]
    fn metric_names_allow_colons() {
        assert!(is_metric_name("lloom:request_rate:5m"));
        assert!(!is_metric_name("lloom-x"));
    }

    #[test]
    fn utf8_names_are_accepted_where_lloom_monctl_can_write_them() {
        assert_eq!(charset("lloom:rate:5m", true), Ok(Charset::Legacy));
        assert_eq!(charset("lloom.requests.total", true), Ok(Charset::Utf8));
        assert_eq!(charset("gpu.model", false), Ok(Charset::Utf8));
        assert_eq!(charset("a:b", false), Ok(Charset::Utf8));
        assert_eq!(charset("débit \"total\"", true), Ok(Charset::Utf8));
        assert_eq!(charset("__x", true), Ok(Charset::Legacy), "as before");
        for bad in ["", "__a.b", "a\nb", " a.b", "a|b", "a`b", "a$b"] {
            assert!(charset(bad, true).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn host_ports() {
        assert_eq!(split_host_port("client1").unwrap(), ("client1", None));
        assert_eq!(
            split_host_port("eth-node:6060").unwrap(),
            ("eth-node", Some(6060))
        );
        assert_eq!(split_host_port("[::1]:9090").unwrap(), ("::1", Some(9090)));
        assert!(split_host_port("host:99999").is_err());
        assert!(split_host_port("bad host").is_err());
        assert!(split_host_port("h:0").is_err());
    }
}
