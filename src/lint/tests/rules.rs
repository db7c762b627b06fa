//! Templates, rule labels, duplicates and panels: edge cases beyond the fixtures.

use super::{alert, spec_codes};

const RATE: &str = "sum by (instance) (rate(lloom_client_requests_total[5m])) > 1";

#[test]
fn the_value_of_a_gauge_is_shown_as_it_is() {
    let a = alert(
        "lloom_client_peers_connected < 3",
        "annotations = { detail = '{{ $value }} peers' }",
    );
    assert!(spec_codes(&a).is_empty());
}

#[test]
fn one_expression_with_two_for_durations_is_an_escalation_not_a_duplicate() {
    let warning = alert(RATE, "");
    let critical = alert(RATE, "")
        .replace("name = \"T\"", "name = \"T2\"")
        .replace("for = \"5m\"", "for = \"1h\"")
        .replace("severity = \"warning\"", "severity = \"critical\"");
    assert!(spec_codes(&format!("{warning}{critical}")).is_empty());
    let same_for = critical.replace("for = \"1h\"", "for = \"5m\"");
    assert_eq!(
        spec_codes(&format!("{warning}{same_for}")),
        ["lint/duplicate-rule"]
    );
}

fn panel(expr: &str, legend: &str) -> Vec<&'static str> {
    spec_codes(&format!(
        "[[dashboard]]\ntitle = \"D\"\n[[dashboard.panel]]\ntitle = \"P\"\nquery = [{{ expr = '{expr}', legend = '{legend}' }}]\n"
    ))
}

#[test]
fn legends_may_show_the_metric_name_of_raw_series() {
    // A raw selector keeps the metric name.
    assert!(panel("lloom_client_active_requests", "{{__name__}} {{instance}}").is_empty());
}

#[test]
fn grafana_variables_are_substituted_before_the_lint() {
    let q = r#"sum by (instance) (rate(lloom_client_requests_total{instance=~"$instance", status="$status"}[$__rate_interval]))"#;
    let variables = "[[dashboard.variable]]\nname = \"instance\"\nquery = 'label_values(up, instance)'\n[[dashboard.variable]]\nname = \"status\"\nquery = 'label_values(lloom_client_requests_total, status)'\n";
    let spec = format!(
        "[[dashboard]]\ntitle = \"D\"\n{variables}[[dashboard.panel]]\ntitle = \"P\"\nquery = [{{ expr = '{q}', legend = '{{{{instance}}}}' }}]\n"
    );
    assert_eq!(spec_codes(&spec), Vec::<&str>::new());
    // Undefined, the same variables are findings.
    assert!(panel(q, "{{instance}}").contains(&"lint/unknown-variable"));
    // `$__interval` is as short as the scrape interval: too short for rate().
    let short = "sum by (instance) (rate(lloom_client_requests_total[$__interval]))";
    assert!(panel(short, "{{instance}}").contains(&"lint/range-too-short"));
}
