//! Regexes reach Prometheus, Alertmanager, Promtail and Alloy, which compile
//! them with Go's RE2: one that Rust's `regex` takes and Go refuses (issue
//! 18) is a located spec error wherever it is written, and what Go takes
//! passes everywhere.

use crate::common::spec_errors;

/// Rust takes each; Go refuses each.
const REFUSED: [&str; 4] = ["a**", "a++", "a{1001}", "(?u)x"];

/// Go takes each, though some look like the refused ones.
const TAKEN: [&str; 8] = [
    "(a*)*",
    "a{1000}",
    "(?i)x",
    "(?P<n>a)",
    "[[:alpha:]]",
    "a*?",
    "a+?",
    "(a{500}){2}",
];

/// An Alertmanager with one receiver, for an inhibition to be added to.
const ROUTE: &str = "[alertmanager.route]\nreceiver = \"ops\"\n[[alertmanager.receiver]]\nname = \"ops\"\nwebhook = [{ url = \"https://hooks.example.org/ops\" }]\n";

/// Where a regex can be written, and the code a refused one gets there.
fn places(re: &str) -> [(&'static str, String); 5] {
    [
        (
            "spec/bad-regex",
            format!("[[roles.client.relabel]]\nsource_labels = [\"__address__\"]\nregex = '{re}'\ntarget_label = \"node\"\n"),
        ),
        (
            "spec/bad-matcher",
            format!("[alertmanager.route]\nreceiver = \"ops\"\n[[alertmanager.route.routes]]\nmatchers = ['severity=~\"{re}\"']\nreceiver = \"ops\"\n[[alertmanager.receiver]]\nname = \"ops\"\nwebhook = [{{ url = \"https://hooks.example.org/ops\" }}]\n"),
        ),
        (
            "spec/bad-matcher",
            format!("{ROUTE}[[alertmanager.inhibit]]\nsource_matchers = ['alertname=~\"{re}\"']\ntarget_matchers = ['severity=\"warning\"']\nequal = [\"instance\"]\n"),
        ),
        (
            "spec/bad-promql",
            format!("[[alert]]\nname = \"ClientErrors\"\nexpr = 'sum(rate(lloom_client_requests_total{{status=~\"{re}\"}}[5m])) > 1'\nseverity = \"warning\"\nsummary = \"Client errors\"\ndescription = \"Failed requests.\"\n"),
        ),
        (
            "spec/bad-regex",
            format!("[logs]\nregex = '(?P<level>[A-Z]+) {re}'\n"),
        ),
    ]
}

#[test]
fn regexes_go_refuses_are_located_errors_everywhere() {
    for re in REFUSED {
        for (code, extra) in places(re) {
            let f = spec_errors(&extra);
            let codes: Vec<_> = f.iter().map(|f| f.code).collect();
            assert_eq!(codes, [code], "{re} in\n{extra}");
            assert!(f[0].span.is_some(), "{re}: not located in\n{extra}");
            assert!(f[0].message.contains("Go's RE2"), "{}", f[0].message);
        }
    }
}

#[test]
fn regexes_go_takes_pass_everywhere() {
    for re in TAKEN {
        for (_, extra) in places(re) {
            let f = spec_errors(&extra);
            assert!(f.is_empty(), "{re} in\n{extra}\n{f:#?}");
        }
    }
}
