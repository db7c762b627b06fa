//! UTF-8 metric and label names (Prometheus 3): a spec whose catalog has a
//! dotted counter, histogram and label, read by alerts, recording rules, a
//! ratio and a latency SLO and a rule test, renders into files that the
//! pinned promtool 3.5.0 checks (`check rules`, `check config`) and runs
//! (`test rules`), with every such name quoted in PromQL and in the test
//! series. Each name is warned about (`spec/utf8-name`), and the warning is
//! true: Debian's promtool 2.42 rejects the same rules.

use crate::common;
use lloom_monctl::render::prometheus::rule_test_file::TestFile;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SPEC: &str = "tests/fixtures/prometheus3/utf8-names.toml";

fn files(dir: &Path, sub: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir.join(sub))
        .unwrap_or_else(|e| panic!("{sub}: {e}"))
        .map(|e| e.unwrap().path())
        .collect();
    out.sort();
    out
}

fn report(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn assert_ok(cmd: &mut Command, what: &str) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(out.status.success(), "{what} failed:\n{}", report(&out));
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn pinned_promtool_checks_and_runs_the_rules_of_utf8_names() {
    let promtool = common::reference_tool("promtool");
    let dir = common::rendered(SPEC);
    let rules = files(dir.path(), "prometheus/rules");
    assert_ok(
        Command::new(&promtool)
            .args(["check", "rules", "--lint=all", "--lint-fatal"])
            .args(&rules),
        "promtool 3 check rules",
    );
    assert_ok(
        Command::new(&promtool)
            .args(["check", "config", "--lint=all", "--lint-fatal"])
            .arg(dir.path().join("prometheus/prometheus.yml")),
        "promtool 3 check config",
    );
    let tests = files(dir.path(), "prometheus/tests");
    for group in [
        "lloom-custom-alerts",
        "slo-utf8-success",
        "slo-utf8-latency",
    ] {
        assert!(
            tests.iter().any(|t| t.ends_with(format!("{group}.yml"))),
            "no rule test for {group}: {tests:?}"
        );
    }
    assert_ok(
        Command::new(&promtool).args(["test", "rules"]).args(&tests),
        "promtool 3 test rules",
    );
}

#[test]
fn utf8_names_are_quoted_in_promql_and_plain_in_yaml() {
    let dir = common::rendered(SPEC);
    let ratio = read(dir.path(), "prometheus/rules/slo-utf8-success.yml");
    assert!(
        ratio.contains(r#"sum(rate({"lloom.requests.total", status="error"}[1m15s]))"#),
        "{ratio}"
    );
    let latency = read(dir.path(), "prometheus/rules/slo-utf8-latency.yml");
    assert!(
        latency.contains(
            r#"rate({"lloom.request.duration.seconds_bucket", le=~"5(\\.0)?", "gpu.model"="h100"}[1m15s])"#
        ),
        "{latency}"
    );
    assert!(
        latency.contains(
            r#"rate({"lloom.request.duration.seconds_count", "gpu.model"="h100"}[1m15s])"#
        ),
        "{latency}"
    );
    let records = read(dir.path(), "prometheus/rules/lloom-custom-recording.yml");
    assert!(
        records.contains("record: gpu.model:lloom.request.duration:p99_5m"),
        "{records}"
    );
    let slo_tests: TestFile =
        serde_saphyr::from_str(&read(dir.path(), "prometheus/tests/slo-utf8-latency.yml")).unwrap();
    assert_eq!(
        slo_tests.tests[0].input_series[0].series,
        r#"{"lloom.request.duration.seconds_bucket", "gpu.model"="h100", instance="node1", job="lloom-executor", le="5"}"#
    );
    let runbook = read(dir.path(), "runbooks/Utf8LatencyBudgetBurn.md");
    assert!(
        runbook.contains(r#"rate({"lloom.request.duration.seconds_bucket"}[5m])"#),
        "{runbook}"
    );
}

#[test]
fn each_utf8_name_is_warned_about_where_it_is_defined() {
    let out = common::run(&["check", SPEC]);
    let text = report(&out);
    assert!(out.status.success(), "{text}");
    let warned: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("warning[spec/utf8-name]"))
        .collect();
    // Two metrics, the label of each, and the recording rule with a dotted name.
    assert_eq!(warned.len(), 5, "{text}");
    let denied = common::run(&["check", "--deny", "warnings", SPEC]);
    assert!(!denied.status.success(), "{}", report(&denied));
}

/// What the warning says: Prometheus 2's promtool (Debian's 2.42, the floor
/// for manual installs) cannot read these rules.
#[test]
fn floor_promtool_rejects_utf8_names() {
    let promtool = common::require_tool("promtool", "apt-get install -y prometheus");
    let dir = common::rendered(SPEC);
    let out = Command::new(&promtool)
        .args(["check", "rules"])
        .arg(dir.path().join("prometheus/rules/slo-utf8-success.yml"))
        .output()
        .unwrap();
    assert!(!out.status.success(), "{}", report(&out));
}
