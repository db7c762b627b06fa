//! Every check fires on a case written to trip it and stays quiet on its fix.

mod labels;
mod rules;

use crate::{model, spec};

/// Lint findings on the spec's own rules and panels, for `STACK` plus `extra`.
pub(super) fn spec_findings(extra: &str) -> Vec<crate::diagnostics::Finding> {
    let text = format!("{STACK}{extra}");
    let (spec, findings) = spec::load(&text);
    assert!(findings.is_empty(), "{findings:?}");
    let (model, findings) = model::build(&spec.unwrap());
    assert!(findings.is_empty(), "{findings:?}");
    super::lint(&model)
        .into_iter()
        .filter(|f| f.span.is_some())
        .collect()
}

/// Lint codes of the spec's own rules and panels, for `STACK` plus `extra`.
pub(super) fn spec_codes(extra: &str) -> Vec<&'static str> {
    let mut codes: Vec<&str> = spec_findings(extra).into_iter().map(|f| f.code).collect();
    codes.sort();
    codes.dedup();
    codes
}

/// A custom alert with this expression and these extra TOML lines.
pub(super) fn alert(expr: &str, extra: &str) -> String {
    format!("[[alert]]\nname = \"T\"\nexpr = '{expr}'\nfor = \"5m\"\nseverity = \"warning\"\nsummary = \"s\"\ndescription = \"d\"\n{extra}\n")
}

const STACK: &str = "[stack]\nname = \"t\"\nrunbook_base_url = \"https://r.example.org\"\n[stack.retention]\ntime = \"7d\"\n[roles.client]\nhosts = [\"c1\"]\nscrape_interval = \"30s\"\n";

/// Lint codes for one custom alert with this expression (and `for`).
fn codes(expr: &str, for_: &str) -> Vec<&'static str> {
    let text = format!("{STACK}[[alert]]\nname = \"T\"\nexpr = '{expr}'\nfor = \"{for_}\"\nseverity = \"warning\"\nsummary = \"s\"\ndescription = \"d\"\n");
    let (spec, findings) = spec::load(&text);
    assert!(findings.is_empty(), "{findings:?}");
    let (model, findings) = model::build(&spec.unwrap());
    assert!(findings.is_empty(), "{findings:?}");
    let mut codes: Vec<&str> = super::lint(&model)
        .into_iter()
        .filter(|f| f.span.is_some()) // the custom rule's, not the pack's
        .map(|f| f.code)
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

pub(super) fn fires(code: &str, expr: &str) {
    assert!(
        codes(expr, "5m").contains(&code),
        "{code} should fire on {expr}: {:?}",
        codes(expr, "5m")
    );
}

pub(super) fn quiet(expr: &str) {
    assert_eq!(
        codes(expr, "5m"),
        Vec::<&str>::new(),
        "no finding expected on {expr}"
    );
}

#[test]
fn built_in_pack_lints_clean() {
    let (spec, _) = spec::load(STACK);
    let (model, _) = model::build(&spec.unwrap());
    assert_eq!(super::lint(&model), vec![]);
}

#[test]
fn unknown_metric() {
    fires(
        "lint/unknown-metric",
        "rate(lloom_client_request_total[5m]) > 1",
    );
    quiet("rate(lloom_client_requests_total[5m]) > 1");
    quiet("lloom:request_rate:5m > 1"); // recorded by the pack
}

#[test]
fn histogram_base_name() {
    fires(
        "lint/histogram-base",
        "rate(lloom_client_request_duration_seconds[5m]) > 1",
    );
    quiet("histogram_quantile(0.99, sum by (le) (rate(lloom_client_request_duration_seconds_bucket[5m]))) > 5");
}

#[test]
fn rate_on_gauge() {
    fires(
        "lint/rate-on-gauge",
        "rate(lloom_client_active_requests[5m]) > 1",
    );
    quiet("deriv(lloom_client_active_requests[5m]) > 1");
}

#[test]
fn counter_without_rate() {
    fires(
        "lint/counter-without-rate",
        "lloom_client_requests_total > 100",
    );
    quiet("increase(lloom_client_requests_total[1h]) > 100");
    quiet("absent(lloom_client_requests_total)");
    quiet("count(lloom_client_requests_total) < 3");
}

#[test]
fn range_too_short_for_the_scrape_interval() {
    // The client is scraped every 30s: [45s] holds one or two samples.
    fires(
        "lint/range-too-short",
        "rate(lloom_client_requests_total[45s]) > 1",
    );
    quiet("rate(lloom_client_requests_total[1m]) > 1");
}

#[test]
fn range_beyond_retention() {
    fires(
        "lint/range-beyond-retention",
        "increase(lloom_client_requests_total[30d]) > 1",
    );
    quiet("increase(lloom_client_requests_total[7d]) > 1");
}

#[test]
fn alert_without_comparison_always_fires() {
    fires(
        "lint/alert-always-fires",
        "rate(lloom_client_requests_total[5m])",
    );
    fires(
        "lint/alert-always-fires",
        "rate(lloom_client_requests_total[5m]) > bool 1",
    );
    quiet("rate(lloom_client_requests_total[5m]) > 1");
    quiet("lloom_client_peers_connected unless lloom_client_active_requests");
}

#[test]
fn for_shorter_than_the_evaluation_interval() {
    let expr = "lloom_client_peers_connected < 3";
    assert!(codes(expr, "5s").contains(&"lint/for-shorter-than-interval"));
    assert!(codes(expr, "15s").is_empty());
}
