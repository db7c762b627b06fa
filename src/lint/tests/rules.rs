//! Checks of templates, rule labels, duplicates, panels and `allow`.

use super::{alert, spec_codes};

const RATE: &str = "sum by (instance) (rate(lloom_client_requests_total[5m])) > 1";

fn with_description(expr: &str, description: &str) -> Vec<&'static str> {
    spec_codes(&alert(
        expr,
        &format!("annotations = {{ detail = '{description}' }}"),
    ))
}

#[test]
fn template_label_the_expression_drops() {
    let dropped = "sum(rate(lloom_client_requests_total[5m])) > 1";
    assert!(with_description(dropped, "on {{ $labels.instance }}")
        .contains(&"lint/template-label-missing"));
    assert!(with_description(RATE, "on {{ $labels.instance }}").is_empty());
}

#[test]
fn template_function_that_does_not_exist() {
    assert!(with_description(RATE, "{{ $value | humanizePercent }}")
        .contains(&"lint/template-unknown-function"));
    assert!(with_description(RATE, "{{ $value | humanizePercentage }}").is_empty());
}

#[test]
fn raw_value_of_a_rate() {
    assert!(with_description(RATE, "{{ $value }} per second").contains(&"lint/value-not-humanized"));
    assert!(with_description(RATE, "{{ $value | humanize }} per second").is_empty());
    // A gauge's value is shown as it is.
    assert!(with_description("lloom_client_peers_connected < 3", "{{ $value }} peers").is_empty());
}

#[test]
fn rule_label_clashing_with_an_external_label() {
    let codes = spec_codes(&alert(RATE, "labels = { cluster = \"other\" }"));
    assert!(codes.contains(&"lint/label-clashes-external"), "{codes:?}");
    assert!(spec_codes(&alert(RATE, "labels = { team = \"inference\" }")).is_empty());
}

#[test]
fn duplicate_rules() {
    let second = alert(RATE, "").replace("name = \"T\"", "name = \"T2\"");
    let codes = spec_codes(&format!("{}{second}", alert(RATE, "")));
    assert!(codes.contains(&"lint/duplicate-rule"), "{codes:?}");
    let other = second.replace("> 1", "> 2");
    assert!(spec_codes(&format!("{}{other}", alert(RATE, ""))).is_empty());
}

fn panel(expr: &str, legend: &str) -> Vec<&'static str> {
    spec_codes(&format!(
        "[[dashboard]]\ntitle = \"D\"\n[[dashboard.panel]]\ntitle = \"P\"\nquery = [{{ expr = '{expr}', legend = '{legend}' }}]\n"
    ))
}

#[test]
fn legend_label_the_query_does_not_return() {
    let q = "sum by (instance) (rate(lloom_client_requests_total[5m]))";
    assert!(panel(q, "{{status}}").contains(&"lint/legend-label-missing"));
    assert!(panel(q, "{{instance}}").is_empty());
    // A raw selector keeps the metric name.
    assert!(panel("lloom_client_active_requests", "{{__name__}} {{instance}}").is_empty());
}

#[test]
fn grafana_variables_are_substituted_before_the_lint() {
    let q = r#"sum by (instance) (rate(lloom_client_requests_total{instance=~"$instance", status="$status"}[$__rate_interval]))"#;
    assert!(panel(q, "{{instance}}").is_empty());
    // `$__interval` is as short as the scrape interval: too short for rate().
    let short = "sum by (instance) (rate(lloom_client_requests_total[$__interval]))";
    assert!(panel(short, "{{instance}}").contains(&"lint/range-too-short"));
}

#[test]
fn allow_silences_with_a_reason_and_must_be_needed() {
    let raw = "lloom_client_requests_total > 100";
    let allow =
        "allow = { \"lint/counter-without-rate\" = \"a restart resets the budget on purpose\" }";
    assert!(spec_codes(&alert(raw, "")).contains(&"lint/counter-without-rate"));
    assert!(spec_codes(&alert(raw, allow)).is_empty());
    assert_eq!(spec_codes(&alert(RATE, allow)), ["lint/unused-allow"]);
    let typo = "allow = { \"lint/counter-with-rate\" = \"x\" }";
    assert!(spec_codes(&alert(raw, typo)).contains(&"lint/unknown-allow"));
}
