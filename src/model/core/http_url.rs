//! An http(s) URL as Go's `net/url` parses it and Alertmanager takes it
//! (receivers' URLs, the runbook base URL): a scheme, a host of the
//! characters Go allows there, a numeric port, `%` only in escapes outside
//! the query, no control character or space.

/// `Ok` when Go and Alertmanager take `url`; else why not.
pub fn check(url: &str) -> Result<(), String> {
    let shown = || url.escape_debug().to_string();
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return Err(format!("`{}` is not an http(s) URL", shown()));
    };
    if let Some(c) = url.chars().find(|c| c.is_control() || c.is_whitespace()) {
        let what = if c.is_control() {
            "a control character"
        } else {
            "a space"
        };
        return Err(format!("`{}` holds {what}", shown()));
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    host(host_port).map_err(|why| format!("`{}`: {why}", shown()))?;
    // Go checks escapes in the user part, host, path and fragment; it keeps
    // the query as written.
    let (before, after) = rest.split_once('?').unwrap_or((rest, ""));
    let fragment = after.split_once('#').map_or("", |(_, f)| f);
    if !escapes_ok(before, |_| true) || !escapes_ok(fragment, |_| true) {
        return Err(format!(
            "`{}` has a `%` not followed by two hex digits, which Go's `net/url` refuses; write `%25` for a `%`",
            shown()
        ));
    }
    Ok(())
}

/// `host[:port]` as Go's `parseHost` takes it for http(s).
fn host(host_port: &str) -> Result<(), String> {
    let (host, port) = match host_port.strip_prefix('[') {
        Some(v6) => {
            let (addr, tail) = v6
                .split_once(']')
                .ok_or("an IPv6 address without its `]`")?;
            // An address, then perhaps a zone (`%25eth0`).
            let ip = addr.split('%').next().unwrap_or("");
            if ip.parse::<std::net::Ipv6Addr>().is_err() {
                return Err(format!(
                    "`[{}]` is not an IPv6 address",
                    addr.escape_debug()
                ));
            }
            if !zone_ok(&addr[ip.len()..]) {
                return Err("an IPv6 zone is written `%25` and a name (`[fe80::1%25eth0]`)".into());
            }
            if !(tail.is_empty() || tail.starts_with(':')) {
                return Err("after `]` comes `:` and the port".into());
            }
            (ip, tail.strip_prefix(':'))
        }
        None => match host_port.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        },
    };
    if host.is_empty() {
        return Err("no host".into());
    }
    if port.is_some_and(|p| !p.bytes().all(|b| b.is_ascii_digit())) {
        return Err("the port is not a number (an IPv6 address goes in `[...]`)".into());
    }
    let allowed =
        |c: char| !c.is_ascii() || c.is_ascii_alphanumeric() || "-_.~!$&'()*+,;=:".contains(c);
    if let Some(c) = host.chars().find(|&c| !allowed(c)) {
        return Err(format!("`{}` cannot be in a host name", c.escape_debug()));
    }
    Ok(())
}

/// An IPv6 zone as Go takes it: empty, or `%25` and a name whose escapes
/// are `%25` or of bytes above ASCII.
fn zone_ok(zone: &str) -> bool {
    match zone.strip_prefix("%25") {
        Some(name) => escapes_ok(name, |v| v == 0x25 || v >= 0x80),
        None => zone.is_empty(),
    }
}

/// Every `%` starts an escape of two hex digits whose byte `allowed` takes.
fn escapes_ok(s: &str, allowed: fn(u8) -> bool) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().all(|(i, &c)| {
        c != b'%'
            || b.get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .is_some_and(allowed)
    })
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn takes_what_go_and_alertmanager_take() {
        for url in [
            "https://hooks.example.org/a/b?x=1",
            "https://hooks.example.org/a?note=100%",
            "http://10.0.0.1:9093/api/v2/alerts",
            "https://[::1]:8443/x",
            "http://[fe80::1%25eth0]:9093/x",
            "https://hooks.example.org/caf%C3%A9#top",
            "https://bücher.example/x",
        ] {
            assert_eq!(check(url), Ok(()), "{url}");
        }
    }

    #[test]
    fn refuses_what_go_refuses() {
        for (url, why) in [
            ("ftp://x.org", "not an http(s) URL"),
            ("http://", "no host"),
            ("https://user@/x", "no host"),
            ("https://x.org/a b", "a space"),
            ("https://x.org/\u{7f}", "control character"),
            ("https://x.org/100%", "`%25`"),
            ("https://x.org/a#%zz", "`%25`"),
            ("https://x.org\\alerts", "cannot be in a host name"),
            ("https://x.org:80a/", "port is not a number"),
            ("https://a:b:c/", "port is not a number"),
            ("https://x%41.org/", "cannot be in a host name"),
            ("https://[::1/x", "without its `]`"),
            ("https://[]/x", "not an IPv6 address"),
            ("https://[zz]/x", "not an IPv6 address"),
            ("http://[fe80::1%25eth0]9093/x", "after `]`"),
            ("http://[fe80::1%2eth0]:9093/x", "zone"),
        ] {
            let e = check(url).expect_err(url);
            assert!(e.contains(why), "{url}: {e}");
        }
    }
}
