//! The rendered rule unit tests pass `promtool test rules`, and can fail: a
//! changed threshold or expectation makes promtool report the case. They run
//! on promtool 3.5.0, the version the stack deploys (`tools/reference/build`),
//! and on Debian's 2.42, the floor for manual installs: Prometheus 3 evaluates
//! range selectors left-open, and the cases hold on both. The template
//! expander is checked against Go itself, through promtool. A missing
//! promtool fails the suite; `.ci/test` installs and builds them.

use crate::common;

use lloom_monctl::model::core::template_expand::{expand, Data};
use lloom_monctl::model::rules::pack;
use lloom_monctl::model::{LabelMap, Rule};
use lloom_monctl::render::prometheus::rule_file::{AlertOut, GroupOut, RuleFile, RuleOut};
use lloom_monctl::render::prometheus::rule_test_file::{
    AlertTestOut, ExpAlertOut, SeriesOut, TestFile, TestGroup,
};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `promtool test rules` with the pinned promtool.
fn promtool_test(files: &[PathBuf]) -> Output {
    promtool_test_with(&common::reference_tool("promtool"), files)
}

/// `promtool test rules` with Debian's promtool, the floor.
fn floor_promtool_test(files: &[PathBuf]) -> Output {
    let promtool = common::require_tool("promtool", "apt-get install -y prometheus");
    promtool_test_with(&promtool, files)
}

fn promtool_test_with(promtool: &Path, files: &[PathBuf]) -> Output {
    Command::new(promtool)
        .args(["test", "rules"])
        .args(files)
        .output()
        .expect("run promtool")
}

fn report(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn test_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("prometheus/tests"))
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

fn compile(text: &str) -> lloom_monctl::pipeline::Compiled {
    match lloom_monctl::pipeline::compile(text) {
        Ok(c) => c,
        Err(_) => panic!("spec does not compile:\n{text}"),
    }
}

#[test]
fn promtool_passes_the_rule_tests_of_every_valid_spec() {
    for spec in common::valid_specs() {
        let dir = common::rendered(&spec);
        let files = test_files(dir.path());
        assert!(!files.is_empty(), "{spec}: no rule tests rendered");
        for out in both_promtools(&files) {
            assert!(out.status.success(), "{spec}:\n{}", report(&out));
        }
    }
}

/// `promtool test rules` with the pinned promtool and the floor's, side by
/// side.
fn both_promtools(files: &[PathBuf]) -> [Output; 2] {
    std::thread::scope(|scope| {
        let floor = scope.spawn(|| floor_promtool_test(files));
        [promtool_test(files), floor.join().unwrap()]
    })
}

#[test]
fn promtool_passes_the_committed_rule_tests() {
    let files = test_files(&common::root().join("generated"));
    assert!(!files.is_empty(), "generated/prometheus/tests is empty");
    for out in both_promtools(&files) {
        assert!(out.status.success(), "{}", report(&out));
    }
}

#[test]
fn every_pack_alert_the_roles_bring_fires_once_and_stays_quiet_once() {
    for spec in common::valid_specs() {
        let compiled = common::compiled(&spec);
        let model = &compiled.model;
        for g in &model.groups {
            for r in &g.rules {
                let Rule::Alert(a) = r else { continue };
                if !pack::ALERTS.iter().any(|p| p.name == a.name) {
                    continue;
                }
                let checks: Vec<_> = model
                    .tests
                    .iter()
                    .filter(|f| f.group == g.name)
                    .flat_map(|f| f.cases.iter().flat_map(|c| c.alerts.iter()))
                    .filter(|c| c.alert == a.name)
                    .collect();
                let firing = checks.iter().filter(|c| !c.expect.is_empty()).count();
                let quiet = checks.iter().filter(|c| c.expect.is_empty()).count();
                assert_eq!((firing, quiet), (1, 1), "{spec}: {}", a.name);
            }
        }
    }
}

#[test]
fn rule_test_files_read_back_into_the_typed_model() {
    for spec in common::valid_specs() {
        let compiled = common::compiled(&spec);
        let model = &compiled.model;
        let dir = common::rendered(&spec);
        assert_eq!(test_files(dir.path()).len(), model.tests.len(), "{spec}");
        for file in &model.tests {
            let path = dir
                .path()
                .join(lloom_monctl::render::prometheus::rule_test_file::path(file));
            let parsed: TestFile = serde_saphyr::from_str(&std::fs::read_to_string(&path).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(
                parsed,
                lloom_monctl::render::prometheus::rule_test_file::test_file(model, file),
                "{}",
                path.display()
            );
        }
    }
}

/// A tuned threshold is honoured; moving the rule's threshold past either
/// side, or changing one expected annotation, makes promtool fail.
#[test]
fn rule_tests_fail_when_a_threshold_or_an_expectation_changes() {
    let spec = "[stack]\nname = \"t\"\nrunbook_base_url = \"https://runbooks.example.org\"\n\
                [roles.executor]\nhosts = [\"e1\"]\n\
                [pack.alert.ExecutorHighQueueSize]\nthreshold = 40\n";
    let compiled = compile(spec);
    let dir = tempfile::tempdir().unwrap();
    lloom_monctl::output::write(dir.path(), &compiled.artifacts).unwrap();
    let rules = dir
        .path()
        .join("prometheus/rules/lloom-executor-alerts.yml");
    let tests = dir
        .path()
        .join("prometheus/tests/lloom-executor-alerts.yml");
    let (rules_text, tests_text) = (
        std::fs::read_to_string(&rules).unwrap(),
        std::fs::read_to_string(&tests).unwrap(),
    );
    assert!(
        tests_text.contains("80 requests are queued"),
        "{tests_text}"
    );
    let run = || promtool_test(std::slice::from_ref(&tests));
    let out = run();
    assert!(out.status.success(), "{}", report(&out));

    for (file, original, from, to, failing) in [
        (
            &rules,
            &rules_text,
            "> 40",
            "> 80",
            "ExecutorHighQueueSize fires",
        ),
        (
            &rules,
            &rules_text,
            "> 40",
            "> 10",
            "ExecutorHighQueueSize stays quiet",
        ),
        (
            &tests,
            &tests_text,
            "80 requests",
            "81 requests",
            "ExecutorHighQueueSize fires",
        ),
    ] {
        assert!(original.contains(from), "{from} not in {}", file.display());
        std::fs::write(file, original.replacen(from, to, 1)).unwrap();
        let out = run();
        assert!(!out.status.success(), "{from} → {to}: promtool passed");
        assert!(
            report(&out).contains(failing),
            "{from} → {to}:\n{}",
            report(&out)
        );
        std::fs::write(file, original).unwrap();
    }
}

/// Values where Go's formatting is easy to get wrong: ties, carries into a new
/// digit, exponent switches, prefixes at their edges.
const VALUES: &[f64] = &[
    0.0,
    1.0,
    -1.0,
    0.1,
    0.05,
    0.95,
    0.5,
    1.125,
    2.5,
    12.345,
    123.45,
    999.95,
    9999.5,
    12345.0,
    99999.5,
    123456.0,
    999999.0,
    1e6,
    1234567.0,
    1234500.0,
    1e21,
    1e-4,
    1e-5,
    1.234e-5,
    2.5e-10,
    1.0 / 3.0,
    2.0 / 3.0,
    0.999999,
    86400.0,
    90061.5,
    899.99,
    59.99,
    65536.0,
    1048576.0,
    -1500.0,
    -0.25,
    2.71828e-3,
    1e300,
    6.02e23,
];

const TEMPLATES: &[(&str, &str)] = &[
    ("v", "{{ $value }}"),
    ("humanize", "{{ $value | humanize }}"),
    ("humanize1024", "{{ humanize1024 $value }}"),
    ("duration", "{{ $value | humanizeDuration }}"),
    ("percentage", "{{ humanizePercentage .Value }}"),
    (
        "printf",
        r#"{{ printf "%.2f|%e|%g|%.3g|%s" $value $value $value $value $labels.i }}"#,
    ),
    (
        "labels",
        "{{ .Labels.i }} {{ index $labels \"job\" }} {{ $externalLabels.cluster }}",
    ),
];

#[test]
fn the_expander_agrees_with_go_as_promtool_runs_it() {
    let dir = tempfile::tempdir().unwrap();
    let annotations: LabelMap = TEMPLATES
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let rules = RuleFile {
        groups: vec![GroupOut {
            name: "expander".into(),
            interval: None,
            rules: vec![RuleOut::Alert(AlertOut {
                alert: "Value".into(),
                expr: "x".into(),
                for_: None,
                labels: LabelMap::new(),
                annotations,
            })],
        }],
    };
    let external = LabelMap::from([("cluster".to_string(), "prod".to_string())]);
    let mut series = Vec::new();
    let mut expected = Vec::new();
    for (i, v) in VALUES.iter().enumerate() {
        let labels = LabelMap::from([
            ("i".to_string(), i.to_string()),
            ("job".to_string(), "j".to_string()),
        ]);
        series.push(SeriesOut {
            series: format!("x{{i=\"{i}\", job=\"j\"}}"),
            values: format!("{v}x2"),
        });
        let data = Data {
            labels: &labels,
            external_labels: &external,
            value: Some(*v),
        };
        let exp_annotations = TEMPLATES
            .iter()
            .map(|(k, t)| (k.to_string(), expand(t, &data).unwrap()))
            .collect();
        expected.push(ExpAlertOut {
            exp_labels: labels,
            exp_annotations,
        });
    }
    let test = TestFile {
        rule_files: vec!["rules.yml".into()],
        evaluation_interval: "1m".into(),
        group_eval_order: Vec::new(),
        tests: vec![TestGroup {
            name: "expander".into(),
            interval: "1m".into(),
            external_labels: external.clone(),
            input_series: series,
            alert_rule_test: vec![AlertTestOut {
                eval_time: "1m".into(),
                alertname: "Value".into(),
                exp_alerts: expected,
            }],
            promql_expr_test: Vec::new(),
        }],
    };
    std::fs::write(
        dir.path().join("rules.yml"),
        serde_saphyr::to_string(&rules).unwrap(),
    )
    .unwrap();
    let path = dir.path().join("test.yml");
    std::fs::write(&path, serde_saphyr::to_string(&test).unwrap()).unwrap();
    let out = promtool_test(&[path]);
    assert!(out.status.success(), "{}", report(&out));
}

/// An alert on another group's recording rule loads that group too, first.
#[test]
fn an_alert_on_another_groups_record_is_tested_with_that_group_first() {
    let spec = r#"
[stack]
name = "t"
runbook_base_url = "https://runbooks.example.org"
[roles.client]
hosts = ["c1"]
[roles.executor]
hosts = ["e1"]
[[alert]]
name = "FleetFailing"
expr = 'lloom:request_rate:5m{status="failed"} > 0.5'
for = "1m"
severity = "warning"
summary = "The fleet fails"
description = "{{ $value }} failed requests per second"
[[test]]
name = "fires on the recorded fleet rate"
alert = "FleetFailing"
eval_time = "10m"
input = [{ series = 'lloom_client_requests_total{job="lloom-client", instance="c1", status="failed"}', values = '0+60x10' }]
expect = [{ labels = { status = "failed" }, value = 1 }]
"#;
    let compiled = compile(spec);
    let file = compiled
        .model
        .tests
        .iter()
        .find(|f| f.group == "lloom_custom_alerts")
        .unwrap();
    assert_eq!(
        file.rule_groups,
        ["capacity_planning", "lloom_custom_alerts"]
    );
    let dir = tempfile::tempdir().unwrap();
    lloom_monctl::output::write(dir.path(), &compiled.artifacts).unwrap();
    let path = dir.path().join("prometheus/tests/lloom-custom-alerts.yml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("group_eval_order:\n- capacity_planning\n- lloom_custom_alerts\n"),
        "{text}"
    );
    let out = promtool_test(&[path]);
    assert!(out.status.success(), "{}", report(&out));
}
