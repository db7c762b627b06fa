//! Variants of the checks beyond the one firing and one quiet fixture each
//! code has in `tests/fixtures/lint/` (run by `tests/it/lint_codes.rs`): edge
//! cases that must stay quiet, and the inference the checks rest on.

mod labels;
mod rules;

use crate::diagnostics::Finding;
use crate::{model, spec};

const STACK: &str = "[stack]\nname = \"t\"\nrunbook_base_url = \"https://r.example.org\"\n[stack.retention]\ntime = \"7d\"\n[roles.client]\nhosts = [\"c1\"]\nscrape_interval = \"30s\"\n";

/// Lint findings on the spec's own rules and panels, for `STACK` plus `extra`.
pub(super) fn spec_findings(extra: &str) -> Vec<Finding> {
    let text = format!("{STACK}{extra}");
    let (spec, findings) = spec::load(&text);
    assert!(findings.is_empty(), "{findings:?}");
    let (model, findings) = model::build(&spec.unwrap());
    assert!(findings.is_empty(), "{findings:?}");
    super::lint(&model)
        .into_iter()
        .filter(|f| f.span.is_some()) // the spec's, not the pack's
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

pub(super) fn fires(code: &str, expr: &str) {
    let codes = spec_codes(&alert(expr, ""));
    assert!(
        codes.contains(&code),
        "{code} should fire on {expr}: {codes:?}"
    );
}

pub(super) fn quiet(expr: &str) {
    let codes = spec_codes(&alert(expr, ""));
    assert_eq!(codes, Vec::<&str>::new(), "no finding expected on {expr}");
}

#[test]
fn built_in_pack_lints_clean() {
    let (spec, _) = spec::load(STACK);
    let (model, _) = model::build(&spec.unwrap());
    assert_eq!(super::lint(&model), vec![]);
}

#[test]
fn recorded_series_are_known_metrics() {
    quiet("lloom:request_rate:5m > 1"); // recorded by the pack
}

#[test]
fn counting_or_checking_presence_reads_no_counter_value() {
    quiet("absent(lloom_client_requests_total)");
    quiet("count(lloom_client_requests_total) < 3");
}

#[test]
fn bool_comparisons_do_not_filter_but_set_operations_do() {
    fires(
        "lint/alert-always-fires",
        "rate(lloom_client_requests_total[5m]) > bool 1",
    );
    quiet("lloom_client_peers_connected unless lloom_client_active_requests");
}

#[test]
fn ranges_follow_the_job_scrape_interval() {
    // The client is scraped every 30s here: [45s] holds one or two samples.
    fires(
        "lint/range-too-short",
        "rate(lloom_client_requests_total[45s]) > 1",
    );
    quiet("rate(lloom_client_requests_total[1m]) > 1");
}

/// Prometheus 3's quoted form (`{"name"}`, the only one a UTF-8 name has) is
/// read as the bare name: the catalog's checks still apply.
#[test]
fn a_quoted_metric_name_is_checked_as_a_bare_one() {
    fires(
        "lint/unknown-metric",
        r#"{"lloom_client_requsts_total"} > 1"#,
    );
    fires(
        "lint/counter-without-rate",
        r#"{"lloom_client_requests_total"} > 1"#,
    );
    fires(
        "lint/rate-on-gauge",
        r#"rate({"lloom_client_peers_connected"}[5m]) > 1"#,
    );
    quiet(r#"rate({"lloom_client_requests_total", status!="success"}[5m]) > 1"#);
}
