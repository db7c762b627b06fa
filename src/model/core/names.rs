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
/// (reserved for Prometheus, as it is for labels) and braces (promtool
/// refuses them in a recording rule's name).
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
    if metric && s.contains(['{', '}']) {
        return Err("promtool refuses `{` and `}` in a recording rule's name (it asks whether they belong in `expr`)".into());
    }
    if let Some(c) = s.chars().find(|c| matches!(c, '`' | '|' | '$')) {
        return Err(format!(
            "`{c}` would break the Markdown tables or the Grafana queries that show the name"
        ));
    }
    Ok(Charset::Utf8)
}

/// The longest name that becomes part of a file name (runbook pages, rule
/// files): far under the 255 bytes a file name may have.
pub const MAX_NAME: usize = 100;

/// Alert names become runbook file names, so they stay to letters, digits and `_`.
pub fn is_alert_name(s: &str) -> bool {
    s.len() <= MAX_NAME && is_label_name(s)
}

/// Group and job names become file names and label values.
pub fn is_simple_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_NAME
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The longest label value taken: far beyond any real one, short enough
/// for a notification or a page to show.
pub const MAX_LABEL_VALUE: usize = 1024;

/// The longest host name DNS allows; a longer one (or a megabyte pasted by
/// mistake) is no host any tool can reach.
pub const MAX_HOST: usize = 253;

/// The longest URL path taken; far beyond any exporter's, short enough that
/// the generated files stay readable.
pub const MAX_PATH: usize = 1024;

/// A host name or address as it goes into generated files and URLs: letters,
/// digits, `.`, `-`, `_` and `:` (IPv6), so no blank or control character,
/// at most [`MAX_HOST`] bytes. The message names the host only when short.
pub fn check_host(host: &str) -> Result<(), String> {
    if host.len() > MAX_HOST {
        return Err(format!(
            "a host name of {} bytes is longer than DNS allows ({MAX_HOST})",
            host.len()
        ));
    }
    let ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'))
        && !host.starts_with(['-', '.']);
    match ok {
        true => Ok(()),
        false => Err(format!(
            "`{}` is not a host name or address",
            host.escape_debug()
        )),
    }
}

/// A URL path (`metrics_path`): absolute, without control characters (a NUL
/// or newline would be written into the Prometheus config), at most
/// [`MAX_PATH`] bytes.
pub fn check_url_path(path: &str) -> Result<(), String> {
    if path.len() > MAX_PATH {
        return Err(format!(
            "a path of {} bytes is longer than {MAX_PATH}",
            path.len()
        ));
    }
    if !path.starts_with('/') {
        return Err(format!("`{}` does not start with `/`", path.escape_debug()));
    }
    if path.chars().any(char::is_control) {
        return Err(format!(
            "`{}` holds a control character",
            path.escape_debug()
        ));
    }
    Ok(())
}

/// `host:port` as URLs and scrape targets write it: an IPv6 address in
/// brackets (`[::1]:4318`), or its colons would be read as the port's.
pub fn join_host_port(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// Splits `host` or `host:port` (IPv6 in brackets); checks the host's characters.
pub fn split_host_port(s: &str) -> Result<(&str, Option<u16>), String> {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let (h, tail) = rest
            .split_once(']')
            .ok_or_else(|| format!("`{}`: missing `]` after IPv6 address", s.escape_debug()))?;
        match tail.strip_prefix(':') {
            Some(p) => (h, Some(p)),
            None if tail.is_empty() => (h, None),
            None => {
                return Err(format!(
                    "`{}`: expected `:port` after `]`",
                    s.escape_debug()
                ))
            }
        }
    } else {
        match s.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (s, None),
        }
    };
    check_host(host).map_err(|e| match host.len() > MAX_HOST || host != s {
        true => e,
        false => format!("`{}`: {e}", s.escape_debug()),
    })?;
    let port = match port {
        None => None,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                return Err(format!(
                    "`{}`: `{}` is not a port (1-65535)",
                    s.escape_debug(),
                    p.escape_debug()
                ))
            }
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
        for bad in [
            "", "__a.b", "a\nb", " a.b", "a|b", "a`b", "a$b", "a{1001}", "a}",
        ] {
            assert!(charset(bad, true).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn an_ipv6_host_is_joined_to_its_port_in_brackets() {
        assert_eq!(join_host_port("::1", 4318), "[::1]:4318");
        assert_eq!(
            join_host_port("mon.example.org", 3100),
            "mon.example.org:3100"
        );
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

    #[test]
    fn hosts_with_control_characters_or_past_dns_length_are_refused() {
        for bad in ["", "a\0b", "a\nb", "a\tb", "a b", "-a", ".a"] {
            assert!(check_host(bad).is_err(), "{bad:?}");
            assert!(split_host_port(&format!("{bad}:9100")).is_err(), "{bad:?}");
        }
        let long = "a".repeat(1 << 20);
        let e = split_host_port(&format!("{long}:9100")).unwrap_err();
        assert!(e.len() < 200, "the message does not repeat the host");
        assert!(check_host(&"a".repeat(MAX_HOST)).is_ok());
        assert!(check_host(&"a".repeat(MAX_HOST + 1)).is_err());
        assert!(check_host("mon.example.org").is_ok());
    }

    #[test]
    fn url_paths() {
        assert!(check_url_path("/metrics").is_ok());
        assert!(check_url_path(&format!("/{}", "m".repeat(MAX_PATH - 1))).is_ok());
        for bad in ["metrics", "/met\0rics", "/metrics\n", "/a\u{7f}"] {
            assert!(check_url_path(bad).is_err(), "{bad:?}");
        }
        assert!(check_url_path(&format!("/{}", "m".repeat(MAX_PATH))).is_err());
    }
}
