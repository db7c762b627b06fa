use super::*;
use crate::diagnostics::Source;
use ConformCode as C;

const CLIENT_OK: &str = include_str!("../../tests/fixtures/conform/client-ok.prom");

fn check(text: &str, roles: &[Role]) -> Conformance {
    let result = conform(text, &Catalog::builtin(), roles);
    for f in &result.findings {
        let known = ConformCode::CODES.iter().find(|c| c.code == f.code);
        let known = known.unwrap_or_else(|| panic!("{} is missing from CODES", f.code));
        assert_eq!(known.severity, f.severity, "{}", f.code);
    }
    result
}

/// `(code, text at the span)` of each finding, in order.
fn found<'t>(text: &'t str, result: &Conformance) -> Vec<(ConformCode, &'t str)> {
    result
        .findings
        .iter()
        .map(|f| {
            let code = ConformCode::find(f.code).expect("a conform code");
            (code, f.span.clone().map_or("", |s| &text[s]))
        })
        .collect()
}

/// The client fixture with `from` replaced by `to` (which must occur).
fn client_with(from: &str, to: &str) -> String {
    assert!(CLIENT_OK.contains(from), "{from}");
    CLIENT_OK.replace(from, to)
}

#[test]
fn a_conforming_client_has_no_findings_and_its_role_is_inferred() {
    let result = check(CLIENT_OK, &[]);
    assert!(result.findings.is_empty(), "{:#?}", result.findings);
    assert_eq!(result.roles, [Role::Client]);
    assert!(result.inferred);
}

#[test]
fn a_rename_is_one_finding_at_the_exposed_name() {
    let text = CLIENT_OK.replace("lloom_client_requests_total", "lloom_client_request_total");
    let result = check(&text, &[]);
    assert_eq!(
        found(&text, &result),
        [(C::RenamedMetric, "lloom_client_request_total")]
    );
    assert!(result.findings[0]
        .message
        .contains("the catalog's `lloom_client_requests_total` renamed"));
}

#[test]
fn an_unrelated_extra_metric_is_no_rename() {
    let text = client_with(
        "# HELP lloom_client_cost_total Cumulative cost paid by the client.\n# TYPE lloom_client_cost_total counter\nlloom_client_cost_total{currency=\"ETH\"} 0.0421\n",
        "# HELP lloom_client_build_info Build.\n# TYPE lloom_client_build_info gauge\nlloom_client_build_info{version=\"1.2.0\"} 1\n",
    );
    let result = check(&text, &[]);
    assert_eq!(
        found(&text, &result),
        [
            (C::MissingMetric, ""),
            (C::UnknownMetric, "lloom_client_build_info")
        ]
    );
    assert!(result.findings[0]
        .message
        .starts_with("`lloom_client_cost_total` is not exposed"));
}

#[test]
fn an_openmetrics_counter_is_the_catalog_counter() {
    let text = client_with(
        "# TYPE lloom_client_cost_total counter\nlloom_client_cost_total{",
        "# TYPE lloom_client_cost counter\nlloom_client_cost_total{",
    )
    .replace("# HELP lloom_client_cost_total", "# HELP lloom_client_cost");
    assert!(check(&text, &[]).findings.is_empty());
}

#[test]
fn wrong_and_missing_types() {
    let text = client_with(
        "# TYPE lloom_client_peers_connected gauge",
        "# TYPE lloom_client_peers_connected counter",
    )
    .replace("# TYPE lloom_client_active_requests gauge\n", "")
    .replace(
        "# TYPE lloom_client_executors_available gauge",
        "# TYPE lloom_client_executors_available untyped",
    );
    let result = check(&text, &[]);
    assert_eq!(
        found(&text, &result),
        [
            (C::Untyped, "lloom_client_active_requests"),
            (C::Untyped, "untyped"),
            (C::WrongType, "counter"),
        ]
    );
}

#[test]
fn an_untyped_histogram_is_one_warning_not_three_unknown_metrics() {
    let text = client_with("# TYPE lloom_client_request_duration_seconds histogram\n", "")
        .replace("# HELP lloom_client_request_duration_seconds End-to-end duration of client requests, from send to last token.\n", "");
    let result = check(&text, &[]);
    assert_eq!(
        found(&text, &result),
        [(C::Untyped, "lloom_client_request_duration_seconds_bucket")]
    );
    assert!(result.findings[0].message.contains("lloom_client_request_duration_seconds_bucket, lloom_client_request_duration_seconds_sum, lloom_client_request_duration_seconds_count"));
}

#[test]
fn labels_missing_extra_and_unknown_values() {
    let text = client_with("{status=\"timeout\"}", "{status=\"timed_out\"}")
        .replace(
            "lloom_client_tokens_used_total{type=\"inbound\"}",
            "lloom_client_tokens_used_total{job=\"lloom\",type=\"inbound\"}",
        )
        .replace(
            "lloom_client_peers_connected 11",
            "lloom_client_peers_connected{le=\"1\"} 11",
        )
        .replace(
            "lloom_client_cost_per_request_sum{model=\"llama-3-8b\"}",
            "lloom_client_cost_per_request_sum",
        );
    let result = check(&text, &[]);
    assert_eq!(
        found(&text, &result),
        [
            (C::MissingLabel, "lloom_client_cost_per_request_sum"),
            (C::ExtraLabel, "le"),
            // Renaming `timeout` leaves that status uninitialised.
            (C::NotInitialised, "lloom_client_requests_total"),
            (C::UnknownLabelValue, "\"timed_out\""),
            (C::ExtraLabel, "job"),
        ]
    );
    assert!(result.findings[0].message.starts_with("1 of 7 samples"));
    assert!(result.findings[2].message.contains("status=\"timeout\""));
    assert!(result.findings[4]
        .help
        .as_deref()
        .unwrap()
        .contains("exported_job"));
}

#[test]
fn without_a_catalog_metric_the_role_must_be_given() {
    let result = check(
        "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 1\n",
        &[],
    );
    assert_eq!(result.findings.len(), 1);
    assert_eq!(result.findings[0].code, C::NoRole.code());
    assert!(result.roles.is_empty());

    let result = check("", &[Role::Client, Role::Client]);
    assert_eq!(result.roles, [Role::Client]);
    assert!(!result.inferred);
    let missing = result
        .findings
        .iter()
        .filter(|f| f.code == C::MissingMetric.code())
        .count();
    assert_eq!(
        missing,
        Catalog::builtin()
            .iter()
            .filter(|m| m.exporter == Exporter::Client)
            .count()
    );
}

#[test]
fn a_proposed_metric_says_so_and_up_is_never_expected() {
    let result = check("", &[Role::Executor]);
    let gpu_total = result
        .findings
        .iter()
        .find(|f| {
            f.message
                .starts_with("`lloom_executor_gpu_memory_total_bytes`")
        })
        .unwrap();
    assert!(
        gpu_total
            .message
            .contains("proposed: lloom-monctl added it"),
        "{}",
        gpu_total.message
    );
    assert!(result.findings.iter().all(|f| !f.message.contains("`up`")));
}

#[test]
fn a_type_line_without_samples_is_a_missing_metric_at_that_line() {
    let text = client_with(
        "lloom_client_requests_total{status=\"success\"} 1391\nlloom_client_requests_total{status=\"failed\"} 9\nlloom_client_requests_total{status=\"timeout\"} 3\n",
        "",
    );
    let result = check(&text, &[]);
    assert_eq!(
        found(&text, &result),
        [(C::MissingMetric, "lloom_client_requests_total")]
    );
    assert!(result.findings[0]
        .help
        .as_deref()
        .unwrap()
        .contains("initialise"));
}

#[test]
fn node_exporter_families_are_neither_unknown_nor_checked_for_naming() {
    let text = concat!(
        "# HELP node_memory_MemAvailable_bytes Memory information field MemAvailable_bytes.\n",
        "# TYPE node_memory_MemAvailable_bytes gauge\n",
        "node_memory_MemAvailable_bytes 1.2e10\n",
        "# HELP node_memory_Buffers_bytes Memory information field Buffers_bytes.\n",
        "# TYPE node_memory_Buffers_bytes gauge\n",
        "node_memory_Buffers_bytes 1e8\n",
        "# TYPE go_goroutines gauge\n",
        "go_goroutines 8\n",
    );
    let result = check(text, &[]);
    assert_eq!(result.roles, [Role::Node]);
    let unknown: Vec<(ConformCode, &str)> = found(text, &result)
        .into_iter()
        .filter(|(code, _)| *code != C::MissingMetric)
        .collect();
    // Node exporter's hundreds of other families are left alone.
    assert_eq!(unknown, []);
}

#[test]
fn naming_conventions_on_lloom_metrics_outside_the_catalog() {
    let text = concat!(
        "# TYPE lloom_client_retries counter\nlloom_client_retries 1\n",
        "# HELP lloom_client_queue_total q\n# TYPE lloom_client_queue_total gauge\nlloom_client_queue_total 1\n",
        "# HELP lloom_client_latency_milliseconds l\n# TYPE lloom_client_latency_milliseconds gauge\nlloom_client_latency_milliseconds 1\n",
        "# HELP lloom_client_cacheHits c\n# TYPE lloom_client_cacheHits gauge\nlloom_client_cacheHits 1\n",
        "# HELP lloom_client_batch_count b\n# TYPE lloom_client_batch_count gauge\nlloom_client_batch_count 1\n",
    );
    let result = check(text, &[Role::Validator]);
    let naming: Vec<&str> = result
        .findings
        .iter()
        .filter(|f| f.code == C::Naming.code())
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(
        naming,
        [
            "`lloom_client_retries` has no `# HELP` line",
            "counter `lloom_client_retries` does not end in `_total`",
            "gauge `lloom_client_queue_total` ends in `_total`, which marks a counter",
            "`lloom_client_latency_milliseconds` is in milliseconds, not in seconds",
            "`lloom_client_cacheHits` has upper-case letters",
            "`lloom_client_batch_count` ends in `_count` outside a histogram or summary",
        ]
    );
    let unknown = result
        .findings
        .iter()
        .filter(|f| f.code == C::UnknownMetric.code())
        .count();
    assert_eq!(unknown, 5);
}

#[test]
fn findings_come_in_the_order_of_the_text() {
    let text = CLIENT_OK
        .replace("lloom_client_requests_total", "lloom_client_request_total")
        .replace(
            "# TYPE lloom_client_active_requests gauge",
            "# TYPE lloom_client_active_requests counter",
        )
        .replace(
            "lloom_client_peers_connected 11",
            "lloom_client_peers_connected 11\nlloom_client_junk{ 1",
        );
    let result = check(&text, &[]);
    let starts: Vec<usize> = result
        .findings
        .iter()
        .map(|f| f.span.clone().unwrap().start)
        .collect();
    assert_eq!(starts.len(), 3);
    assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
}

/// What `conform` prints of a page it streams (the checks, then a second
/// read for the lines shown) equals what it prints of the page held whole.
#[test]
fn a_streamed_page_prints_as_a_held_one() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/conform");
    let mut pages: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    // More than MAX_PER_CODE findings of one code, on lines past the first.
    let many: String = (0..45).map(|i| format!("lloom_extra_{i} 1\n")).collect();
    pages.push(("many".to_string(), format!("{CLIENT_OK}{many}")));
    let catalog = Catalog::builtin();
    for (name, text) in &pages {
        let held = conform(text, &catalog, &[]);
        let held_text = Source::new(name, text).render_all(&held.findings);
        let streamed = conform_read(text.as_bytes(), &catalog, &[]).unwrap();
        let shown = excerpts::gather(streamed.findings, text.as_bytes()).unwrap();
        let source = Source::excerpts(name, &shown.text, shown.line_numbers, shown.left_out);
        assert_eq!(source.render_all(&shown.findings), held_text, "{name}");
        let errors = held.findings.iter().filter(|f| f.is_error()).count();
        assert_eq!(
            shown.totals,
            (errors, held.findings.len() - errors),
            "{name}"
        );
    }
}
