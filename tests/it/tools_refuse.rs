//! What lloom-monctl once accepted and the real tools refuse, each now a
//! located spec error (issue 18): the cases the issue lists, and what the
//! mutation test (`mutants.rs`) found. Regexes are `go_regex.rs`, templates
//! `go_templates.rs`.

use crate::common::{self, spec_errors as errors};
use lloom_monctl::pipeline::{compile, Failure};

/// Each spec is refused with exactly `code`, at a place, saying `why`.
fn assert_refused(cases: &[(String, &str, &str)]) {
    for (extra, code, why) in cases {
        let f = errors(extra);
        let codes: Vec<_> = f.iter().map(|f| f.code).collect();
        assert_eq!(codes, [*code], "{extra}\n{f:#?}");
        assert!(f[0].span.is_some(), "not located:\n{extra}");
        assert!(f[0].message.contains(why), "{extra}: {}", f[0].message);
    }
}

#[test]
fn file_patterns_prometheus_refuses_are_errors() {
    let file_sd = |f: &str| format!("[[discovery.file_sd]]\njob = \"sd\"\nfiles = ['{f}']\n");
    let rules = |f: &str| format!("[rules]\nextra_files = ['{f}']\n");
    assert_refused(&[
        (file_sd("targets/lloom.txt"), "spec/bad-path", "ending in"),
        (file_sd("targets/*/x.json"), "spec/bad-path", "last part"),
        (
            rules("/etc/prometheus/[rules"),
            "spec/bad-path",
            "not closed",
        ),
        (rules("/etc/*/rules.yml"), "spec/bad-path", "last part"),
        (rules("/"), "spec/bad-path", "directory"),
    ]);
    assert!(errors(&file_sd("targets/lloom-*.json")).is_empty());
    assert!(errors(&rules("/etc/prometheus/extra-rules/*.yml")).is_empty());
    assert!(errors(&rules("/etc/prometheus/extra-rules/*-*.yml")).is_empty());
}

#[test]
fn urls_alertmanager_cannot_parse_are_errors() {
    let webhook = |u: &str| {
        format!("[alertmanager.route]\nreceiver = \"ops\"\n[[alertmanager.receiver]]\nname = \"ops\"\nwebhook = [{{ url = \"{u}\" }}]\n")
    };
    assert_refused(&[
        (webhook("http://"), "spec/bad-url", "no host"),
        (
            webhook("https://hooks.example.org/x\\u007F"),
            "spec/bad-url",
            "control character",
        ),
        (
            webhook("https://hooks.example.org/a b"),
            "spec/bad-url",
            "a space",
        ),
        (
            webhook("https://hooks.example.org\\\\alerts"),
            "spec/bad-url",
            "host name",
        ),
        (
            webhook("https://hooks.example.org:80a/"),
            "spec/bad-url",
            "port",
        ),
        (
            webhook("https://hooks.example.org/100%"),
            "spec/bad-url",
            "`%25`",
        ),
    ]);
    // Go keeps a query as written: a `%` there is taken.
    assert!(errors(&webhook("https://hooks.example.org/a?note=100%")).is_empty());
    let base = common::MINIMAL_SPEC.replace("https://x.org/r", "https://x.org/{{");
    let f = match compile(&base) {
        Err(Failure::Invalid(f)) => f,
        _ => panic!("a runbook_base_url with `{{{{` is refused"),
    };
    let codes: Vec<_> = f.iter().filter(|f| f.is_error()).map(|f| f.code).collect();
    assert_eq!(
        codes,
        ["spec/bad-url"],
        "reported once, not again at each alert"
    );
}

#[test]
fn label_values_with_control_characters_are_errors() {
    let big = "x".repeat(1025);
    assert_refused(&[
        (
            "[[alert]]\nname = \"A\"\nexpr = 'up == 0'\nseverity = \"warning\"\nsummary = \"s\"\ndescription = \"d\"\nlabels = { team = \"ops\\u0000\" }\n".into(),
            "spec/bad-label-value",
            "control character",
        ),
        (
            format!("[[alert]]\nname = \"A\"\nexpr = 'up == 0'\nseverity = \"warning\"\nsummary = \"s\"\ndescription = \"d\"\nlabels = {{ team = \"{big}\" }}\n"),
            "spec/bad-label-value",
            "1025 bytes",
        ),
    ]);
    assert_refused(&[(
        "[[alert]]\nname = \"A\"\nexpr = 'up == 0'\nseverity = \"warning\"\nsummary = \"s\\u001b[31m\"\ndescription = \"d\"\n".into(),
        "spec/bad-label-value",
        "control character",
    )]);
    // An annotation may span lines.
    let multi = "[[alert]]\nname = \"A\"\nexpr = 'up == 0'\nseverity = \"warning\"\nsummary = \"s\"\ndescription = \"d\"\nannotations = { note = \"line one\\nline two\" }\n";
    assert!(errors(multi).is_empty(), "{:#?}", errors(multi));
}

#[test]
fn names_and_numbers_the_tools_or_the_file_system_refuse_are_errors() {
    let long = "x".repeat(300);
    assert_refused(&[
        (
            "[[record]]\nname = \"fleet:big\"\nexpr = '1e309'\n".into(),
            "spec/bad-promql",
            "out of range",
        ),
        (
            "[[record]]\nname = \"a{1001}\"\nexpr = 'sum(up)'\n".into(),
            "spec/bad-metric-name",
            "`{`",
        ),
        (
            format!("[[slo]]\nname = \"{long}\"\nobjective = 99.0\n[slo.ratio]\nerrors = 'lloom_client_requests_total{{status!=\"success\"}}'\ntotal = 'lloom_client_requests_total'\n"),
            "spec/bad-name",
            "SLO name",
        ),
    ]);
}

#[test]
fn each_case_the_issue_lists_is_a_located_error() {
    let route =
        "[alertmanager.route]\nreceiver = \"ops\"\n[[alertmanager.receiver]]\nname = \"ops\"\n";
    let email = |from: &str, smarthost: &str| {
        format!("{route}email = [{{ to = \"ops@example.org\", from = \"{from}\", smarthost = \"{smarthost}\" }}]\n")
    };
    let megabyte = "h".repeat(1 << 20);
    assert_refused(&[
        (
            "[alertmanager]\nroute = { receiver = \"ops\", mute_time_intervals = [\"nights\"] }\nreceiver = [{ name = \"ops\" }]\n[[alertmanager.time_interval]]\nname = \"nights\"\ntimes = [\"00:00-06:00\"]\nlocation = \"Europe/Berlinn\"\n".to_string(),
            "spec/unknown-time-zone",
            "Europe/Berlinn",
        ),
        (email("", "smtp.example.org:587"), "spec/empty", "from"),
        (email("am@example.org", ""), "spec/empty", "smarthost"),
        (
            format!("[alertmanager]\nslack_api_url_file = \"\"\n{route}"),
            "spec/empty",
            "slack_api_url_file",
        ),
        ("[deploy]\nmonitoring_host = \"\"\n".into(), "spec/empty", "monitoring_host"),
        (
            "[roles.executor]\nhosts = [\"e1\"]\nmetrics_path = \"/metrics\\u0000\"\n".into(),
            "spec/bad-path",
            "control character",
        ),
        ("[roles.validator]\nhosts = [\"v1\\n\"]\n".into(), "spec/bad-target", "not a host name"),
        (format!("[roles.validator]\nhosts = [\"{megabyte}\"]\n"), "spec/bad-target", "253"),
    ]);
}
