//! Label checks: matchers, grouping, matching, quantiles.

use super::{alert, fires, quiet, spec_codes, spec_findings};

#[test]
fn unknown_label() {
    fires(
        "lint/unknown-label",
        r#"rate(lloom_client_requests_total{statuz="failed"}[5m]) > 1"#,
    );
    quiet(r#"rate(lloom_client_requests_total{status="failed"}[5m]) > 1"#);
    // A matcher that accepts the empty value selects series without the label.
    quiet(r#"rate(lloom_client_requests_total{model=""}[5m]) > 1"#);
}

#[test]
fn unknown_label_value() {
    fires(
        "lint/unknown-label-value",
        r#"rate(lloom_client_requests_total{status="error"}[5m]) > 1"#,
    );
    fires(
        "lint/unknown-label-value",
        r#"rate(lloom_client_requests_total{status=~"err.*"}[5m]) > 1"#,
    );
    quiet(r#"rate(lloom_client_requests_total{status=~"failed|timeout"}[5m]) > 1"#);
}

#[test]
fn histogram_quantile_over_other_series() {
    fires(
        "lint/quantile-not-bucket",
        "histogram_quantile(0.9, rate(lloom_client_request_duration_seconds_sum[5m])) > 1",
    );
    quiet("histogram_quantile(0.9, rate(lloom_client_request_duration_seconds_bucket[5m])) > 1");
}

#[test]
fn histogram_quantile_without_le() {
    fires(
        "lint/quantile-without-le",
        "histogram_quantile(0.9, sum by (instance) (rate(lloom_client_request_duration_seconds_bucket[5m]))) > 1",
    );
    quiet("histogram_quantile(0.9, sum by (instance, le) (rate(lloom_client_request_duration_seconds_bucket[5m]))) > 1");
}

#[test]
fn aggregated_summary_quantiles() {
    let summary = "[[metric]]\nname = \"lloom_client_hop_seconds\"\ntype = \"summary\"\nhelp = \"h\"\nrole = \"client\"\n";
    let avg = alert(r#"avg(lloom_client_hop_seconds{quantile="0.99"}) > 1"#, "");
    assert!(spec_codes(&format!("{summary}{avg}")).contains(&"lint/aggregated-quantile"));
    let max = alert(r#"max(lloom_client_hop_seconds{quantile="0.99"}) > 1"#, "");
    assert_eq!(spec_codes(&format!("{summary}{max}")), Vec::<&str>::new());
}

#[test]
fn binary_operation_that_never_matches() {
    // cost carries `currency`, tokens carry `type`.
    fires(
        "lint/binary-never-matches",
        "rate(lloom_client_cost_total[5m]) / rate(lloom_client_tokens_used_total[5m]) > 1",
    );
    quiet("sum by (instance) (rate(lloom_client_cost_total[5m])) / sum by (instance) (rate(lloom_client_tokens_used_total[5m])) > 1");
    // Both sides pin `status` to different values.
    fires(
        "lint/binary-never-matches",
        r#"rate(lloom_client_requests_total{status="failed"}[5m]) / rate(lloom_client_requests_total{status="success"}[5m]) > 1"#,
    );
    quiet(
        r#"rate(lloom_client_requests_total{status="failed"}[5m]) / ignoring(status) rate(lloom_client_requests_total{status="success"}[5m]) > 1"#,
    );
}

#[test]
fn ratio_of_a_series_to_itself() {
    fires(
        "lint/ratio-constant",
        r#"rate(lloom_client_requests_total{status="failed"}[5m]) / rate(lloom_client_requests_total[5m]) > 0.05"#,
    );
    quiet(
        r#"sum by (instance) (rate(lloom_client_requests_total{status="failed"}[5m])) / sum by (instance) (rate(lloom_client_requests_total[5m])) > 0.05"#,
    );
}

#[test]
fn grouping_by_a_missing_label() {
    fires(
        "lint/group-by-missing-label",
        "sum by (model) (rate(lloom_client_requests_total[5m])) > 1",
    );
    quiet("sum by (status) (rate(lloom_client_requests_total[5m])) > 1");
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
