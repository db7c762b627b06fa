//! Label inference and the label checks: edge cases beyond the fixtures.

use super::{alert, fires, quiet, spec_codes, spec_findings};

#[test]
fn a_matcher_that_accepts_the_empty_value_selects_series_without_the_label() {
    quiet(r#"rate(lloom_client_requests_total{model=""}[5m]) > 1"#);
}

#[test]
fn regex_matchers_are_checked_against_known_values() {
    fires(
        "lint/unknown-label-value",
        r#"rate(lloom_client_requests_total{status=~"err.*"}[5m]) > 1"#,
    );
    quiet(r#"rate(lloom_client_requests_total{status=~"failed|timeout"}[5m]) > 1"#);
}

#[test]
fn histogram_quantile_over_a_summary_says_to_select_its_quantile() {
    let summary = "[[metric]]\nname = \"lloom_client_hop_seconds\"\ntype = \"summary\"\nhelp = \"h\"\nrole = \"client\"\n";
    let f = spec_findings(&format!(
        "{summary}{}",
        alert("histogram_quantile(0.9, lloom_client_hop_seconds) > 1", "")
    ));
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].code, "lint/quantile-not-bucket");
    assert!(
        f[0].help
            .as_deref()
            .unwrap()
            .contains(r#"{quantile="0.99"}"#),
        "{f:?}"
    );
}

#[test]
fn sides_pinned_to_different_values_never_match_unless_ignored() {
    fires(
        "lint/binary-never-matches",
        r#"rate(lloom_client_requests_total{status="failed"}[5m]) / rate(lloom_client_requests_total{status="success"}[5m]) > 1"#,
    );
    quiet(
        r#"rate(lloom_client_requests_total{status="failed"}[5m]) / ignoring(status) rate(lloom_client_requests_total{status="success"}[5m]) > 1"#,
    );
}

#[test]
fn recorded_series_carry_their_expression_labels() {
    let rec = "[[record]]\nname = \"instance:lloom_client_requests:rate5m\"\nexpr = 'sum by (instance) (rate(lloom_client_requests_total[5m]))'\n";
    let bad = alert(
        "sum by (status) (instance:lloom_client_requests:rate5m) > 1",
        "",
    );
    assert!(spec_codes(&format!("{rec}{bad}")).contains(&"lint/group-by-missing-label"));
    let good = alert(
        "sum by (instance) (instance:lloom_client_requests:rate5m) > 1",
        "",
    );
    assert_eq!(spec_codes(&format!("{rec}{good}")), Vec::<&str>::new());
}

#[test]
fn external_labels_are_explained_where_a_label_is_missing() {
    // `cluster` is the stack's external label: local series never carry it.
    let f = spec_findings(&alert(
        "sum by (cluster) (rate(lloom_client_requests_total[5m])) > 1",
        "",
    ));
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].code, "lint/group-by-missing-label");
    assert!(
        f[0].help
            .as_deref()
            .unwrap()
            .contains("$externalLabels.cluster"),
        "{f:?}"
    );
}

#[test]
fn quantile_matchers_on_histogram_buckets_point_at_le() {
    let f = spec_findings(&alert(
        r#"lloom_client_request_duration_seconds_bucket{quantile="0.99"} > 5"#,
        "",
    ));
    let unknown = f
        .iter()
        .find(|f| f.code == "lint/unknown-label")
        .expect("unknown-label");
    assert!(
        unknown
            .help
            .as_deref()
            .unwrap()
            .contains("histogram_quantile"),
        "{f:?}"
    );
}

#[test]
fn job_matchers_name_a_scrape_job() {
    fires("lint/unknown-label-value", r#"up{job="lloom-clinet"} == 0"#);
    quiet(r#"up{job="lloom-client"} == 0"#);
    quiet(r#"up{job=~"lloom-c.*"} == 0"#);
}
