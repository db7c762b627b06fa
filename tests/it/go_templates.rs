//! Go templates reach Prometheus (alert annotations and labels) and
//! Alertmanager (notification fields): one Go's `text/template` would not
//! parse, or one calling a function its runner does not define, is a
//! located `spec/bad-template` (issue 18). promtool refuses the first kind
//! at load; Alertmanager only fails when it sends, which is worse.

use crate::common::spec_errors;
use lloom_monctl::diagnostics::Finding;

/// An alert whose description is `text`.
fn alert(text: &str) -> String {
    format!("[[alert]]\nname = \"ClientErrors\"\nexpr = 'sum by (instance) (rate(lloom_client_requests_total[5m])) > 1'\nseverity = \"warning\"\nsummary = \"Client errors\"\ndescription = '{text}'\n")
}

/// A Slack receiver whose text is `text`.
fn slack(text: &str) -> String {
    format!("[alertmanager]\nslack_api_url_file = \"/run/secrets/slack\"\n[alertmanager.route]\nreceiver = \"ops\"\n[[alertmanager.receiver]]\nname = \"ops\"\nslack = [{{ channel = \"#ops\", text = '{text}' }}]\n")
}

/// The one error of `extra`, which must be a located `spec/bad-template`.
fn refusal(extra: &str) -> Finding {
    let f = spec_errors(extra);
    assert_eq!(f.len(), 1, "{extra}\n{f:#?}");
    assert_eq!(f[0].code, "spec/bad-template", "{extra}");
    assert!(f[0].span.is_some(), "not located: {extra}");
    f[0].clone()
}

#[test]
fn an_alert_template_go_cannot_parse_is_a_located_error() {
    let f = refusal(&alert("Client errors on {{ $labels.instance }"));
    assert!(
        f.message.contains("unexpected \"}\" in operand"),
        "{}",
        f.message
    );
}

#[test]
fn an_alert_template_calling_an_unknown_function_names_the_one_meant() {
    let f = refusal(&alert("{{ $value | humanizePercent }} of requests"));
    assert!(
        f.message
            .contains("function \"humanizePercent\" not defined"),
        "{}",
        f.message
    );
    assert_eq!(
        f.help.as_deref(),
        Some("did you mean `humanizePercentage`?")
    );
}

#[test]
fn a_notification_template_is_parsed_as_alertmanager_parses_it() {
    for (text, why) in [
        (
            "{{ range .Alerts }}{{ .Labels.instance }}",
            "unexpected EOF",
        ),
        // `humanize` is Prometheus's; Alertmanager does not define it.
        (
            "{{ .CommonLabels.alertname | humanize }}",
            "\"humanize\" not defined",
        ),
        // Alertmanager declares no `$labels`.
        ("{{ $labels.instance }}", "undefined variable \"$labels\""),
    ] {
        let f = refusal(&slack(text));
        assert!(
            f.message.contains("`slack.text` of receiver `ops`"),
            "{}",
            f.message
        );
        assert!(f.message.contains(why), "{text}: {}", f.message);
    }
}

#[test]
fn templates_each_runner_takes_pass() {
    for text in [
        "{{ $value | humanizePercentage }} on {{ $labels.instance }}",
        "{{ with query \"up\" }}{{ . | first | value | humanize }}{{ end }}",
    ] {
        assert!(spec_errors(&alert(text)).is_empty(), "{text}");
    }
    for text in [
        "{{ range .Alerts.Firing }}{{ .Labels.instance | toUpper }}{{ end }}",
        "{{ join \", \" (stringSlice \"a\" \"b\") }} {{ template \"lloom.text\" . }}",
    ] {
        assert!(spec_errors(&slack(text)).is_empty(), "{text}");
    }
}
