//! The addresses of an email notification. Alertmanager refuses the whole
//! config for an empty `from` or `to`, and for a `smarthost` that is not
//! `host:port` (`http://:25` or a bare host is no server it can dial), so
//! they are refused here at their place in the spec.

use crate::diagnostics::Finding;
use crate::model::core::names::split_host_port;
use crate::model::core::Ctx;
use crate::spec::{SpecCode, Str};

/// `from`, `to` and `smarthost` as Alertmanager takes them; `None` is a key
/// left out (the receiver's own falls back to `[alertmanager.smtp]`).
pub(super) fn check_addresses(
    cx: &mut Ctx,
    from: Option<&Str>,
    to: Option<&Str>,
    smarthost: Option<&Str>,
) {
    for (key, value) in [("from", from), ("to", to), ("smarthost", smarthost)] {
        if let Some(v) = value.filter(|v| v.get_ref().trim().is_empty()) {
            cx.push(
                Finding::new(SpecCode::Empty, format!("the email `{key}` is empty"))
                    .at(v.span())
                    .help(format!(
                        "give `{key}` a value, or remove it where `[alertmanager.smtp]` sets it"
                    )),
            );
        }
    }
    let Some(host) = smarthost.filter(|v| !v.get_ref().trim().is_empty()) else {
        return;
    };
    match split_host_port(host.get_ref()) {
        Ok((_, Some(_))) => {}
        Ok((_, None)) => bad_smarthost(cx, host, "it has no port".into()),
        Err(e) => bad_smarthost(cx, host, e),
    }
}

fn bad_smarthost(cx: &mut Ctx, host: &Str, why: String) {
    cx.push(
        Finding::new(
            SpecCode::BadTarget,
            format!("`smarthost` is not `host:port`: {why}"),
        )
        .at(host.span())
        .help("write the SMTP server as `host:port`, e.g. `smtp.example.org:587`"),
    );
}

#[cfg(test)]
mod tests {
    fn found(smtp: &str, email: &str, code: &str) -> usize {
        let spec = format!(
            "[alertmanager]\nroute = {{ receiver = \"ops\" }}\nreceiver = [{{ name = \"ops\", email = [{{ {email} }}] }}]\n[alertmanager.smtp]\n{smtp}\n"
        );
        crate::model::test_spec::findings(&spec, code).len()
    }

    const SMTP: &str = "from = \"am@example.org\"\nsmarthost = \"smtp.example.org:587\"";

    #[test]
    fn empty_addresses_are_refused() {
        let empty = |smtp: &str, email: &str| found(smtp, email, "spec/empty");
        assert_eq!(
            empty("from = \"\"\nsmarthost = \"\"", "to = \"a@example.org\""),
            2
        );
        assert_eq!(empty(SMTP, "to = \"\""), 1);
        assert_eq!(
            empty(
                SMTP,
                "to = \"a@example.org\", from = \" \", smarthost = \"\""
            ),
            2
        );
        assert_eq!(empty(SMTP, "to = \"a@example.org\""), 0);
    }

    #[test]
    fn a_smarthost_without_a_port_is_refused() {
        let bad = |smtp: &str| found(smtp, "to = \"a@example.org\"", "spec/bad-target");
        assert_eq!(
            bad("from = \"a@example.org\"\nsmarthost = \"smtp.example.org\""),
            1
        );
        assert_eq!(
            bad("from = \"a@example.org\"\nsmarthost = \"http://x:25\""),
            1
        );
        assert_eq!(bad(SMTP), 0);
    }
}
