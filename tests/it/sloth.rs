//! Sloth (v0.16.0, built by `tools/reference/build`) as the oracle of our
//! SLO alerts. The same SLOs are written in our spec
//! (`tests/fixtures/sloth/slos.toml`) and in Sloth's format
//! (`sloth-{28d,30d,7d}.yml`: ratio over counters and latency over a
//! histogram; 28d and 30d with Sloth's default windows, 7d with the windows of
//! `windows/7d.yaml`, passed with `--slo-period-windows-path`, which our spec
//! gives as explicit windows). Both rule sets are loaded into one
//! `promtool test rules` (3.5.0) per scenario of synthetic traffic (steady
//! below budget, fast, medium and slow burn) and every tier of every SLO must
//! first fire, last fire and fire as many minutes in ours as in Sloth's, read
//! from the `ALERTS` series both leave. A changed factor in our rules must
//! make it fail.

use crate::common;

use lloom_monctl::model::Rule;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FIXTURES: &str = "tests/fixtures/sloth";
const PERIODS: [&str; 3] = ["28d", "30d", "7d"];
const KINDS: [&str; 2] = ["ratio", "latency"];
const TIERS: [&str; 2] = ["page", "ticket"];
/// Requests per minute, every minute.
const RATE: u64 = 10_000;
/// The simulated time: four days, a minute apart.
const MINUTES: u64 = 4 * 24 * 60;

/// A scenario: phases of (minutes, failed requests per `RATE`), and the tier
/// whose alerts must fire in it for every SLO (`None`: nothing may fire).
struct Scenario {
    name: &'static str,
    phases: [(u64, u64); 3],
    fires: Option<&'static str>,
}

/// The budget is 0.1 %, 10 per `RATE`: steady spends half of it; the burns
/// start after a steady day and stop (back to steady) after 2 h, 6 h and 2 d.
const SCENARIOS: [Scenario; 4] = [
    Scenario {
        name: "steady",
        phases: [(1440, 5), (1440, 5), (2880, 5)],
        fires: None,
    },
    Scenario {
        name: "fast-burn",
        phases: [(1440, 5), (120, 500), (4200, 5)],
        fires: Some("page"),
    },
    Scenario {
        name: "medium-burn",
        phases: [(1440, 5), (360, 80), (3960, 5)],
        fires: Some("page"),
    },
    Scenario {
        name: "slow-burn",
        phases: [(1440, 5), (2880, 20), (1440, 5)],
        fires: Some("ticket"),
    },
];

/// `promtool test rules` with the pinned promtool.
fn promtool_test(file: &Path) -> Output {
    Command::new(common::reference_tool("promtool"))
        .args(["test", "rules"])
        .arg(file)
        .output()
        .expect("run promtool")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Sloth's rules for one period, written into `dir`.
fn sloth_rules(dir: &Path, period: &str) -> PathBuf {
    let root = common::root().join(FIXTURES);
    let out = dir.join(format!("sloth-{period}.rules.yml"));
    let mut cmd = Command::new(common::reference_tool("sloth"));
    cmd.arg("generate")
        .arg("-i")
        .arg(root.join(format!("sloth-{period}.yml")))
        .arg("-o")
        .arg(&out)
        .arg(format!("--default-slo-period={period}"));
    if period == "7d" {
        cmd.arg("--slo-period-windows-path")
            .arg(root.join("windows"));
    }
    let run = cmd.output().expect("run sloth");
    assert!(
        run.status.success(),
        "sloth generate {period}: {}",
        text(&run)
    );
    out
}

/// Our rules, rendered into `dir`: the SLO rule files, and each SLO's alert
/// name.
fn our_rules(dir: &Path) -> (Vec<PathBuf>, Vec<(String, String)>) {
    let compiled = common::compiled_fresh(&format!("{FIXTURES}/slos.toml"));
    lloom_monctl::output::write(dir, &compiled.artifacts).unwrap();
    let mut files = Vec::new();
    let mut alerts = Vec::new();
    for group in compiled.model.groups.iter() {
        let Some(slo) = group.rules.iter().find_map(|r| match r {
            Rule::Alert(a) => a.labels.get("slo").map(|s| (s.clone(), a.name.clone())),
            _ => None,
        }) else {
            continue;
        };
        files.push(
            dir.join("prometheus/rules")
                .join(format!("{}.yml", group.file_stem())),
        );
        alerts.push(slo);
    }
    assert_eq!(alerts.len(), PERIODS.len() * KINDS.len(), "{alerts:?}");
    (files, alerts)
}

/// `values` of a counter growing by each phase's rate per minute.
fn counter(phases: &[(u64, u64)], per_minute: impl Fn(u64) -> u64) -> String {
    let mut parts = vec!["0".to_string()];
    let mut value = 0;
    for &(minutes, failed) in phases {
        let step = per_minute(failed);
        parts.push(format!("{}+{step}x{}", value + step, minutes - 1));
        value += step * minutes;
    }
    parts.join(" ")
}

fn input_series(phases: &[(u64, u64)]) -> String {
    let mut yaml = String::new();
    let total = |_| RATE;
    for (series, values) in [
        (
            r#"lloom_client_requests_total{status="success"}"#,
            counter(phases, |f| RATE - f),
        ),
        (
            r#"lloom_client_requests_total{status="failed"}"#,
            counter(phases, |f| f),
        ),
        (
            r#"lloom_client_request_duration_seconds_bucket{le="5"}"#,
            counter(phases, |f| RATE - f),
        ),
        (
            r#"lloom_client_request_duration_seconds_bucket{le="+Inf"}"#,
            counter(phases, total),
        ),
        (
            "lloom_client_request_duration_seconds_count",
            counter(phases, total),
        ),
    ] {
        writeln!(
            yaml,
            "      - series: '{series}'\n        values: '{values}'"
        )
        .unwrap();
    }
    yaml
}

/// The `ALERTS` selector of one tier of our alert or Sloth's.
fn ours(alert: &str, tier: &str) -> String {
    format!(r#"ALERTS{{alertname="{alert}", tier="{tier}", alertstate="firing"}}"#)
}

fn sloths(slo: &str, tier: &str) -> String {
    let (kind, period) = slo.split_once('-').unwrap();
    let name = format!("Sloth{}{}{period}", kind[..1].to_uppercase(), &kind[1..]);
    format!(r#"ALERTS{{alertname="{name}", tier="{tier}", alertstate="firing"}}"#)
}

/// One expectation: `expr` is `value` at the end (`None`: no sample).
fn expect(yaml: &mut String, expr: &str, value: Option<i64>) {
    let samples = value.map_or(" []".to_string(), |v| {
        format!("\n          - labels: '{{}}'\n            value: {v}")
    });
    write!(
        yaml,
        "      - expr: '{}'\n        eval_time: {MINUTES}m\n        exp_samples:{samples}\n",
        expr.replace('\'', "''")
    )
    .unwrap();
}

/// The first and last firing minute and the firing minutes' count, equal in
/// ours and Sloth's (-1 where neither fires); the scenario's tier fires.
fn comparisons(scenario: &Scenario, alerts: &[(String, String)]) -> String {
    let mut yaml = String::new();
    let range = format!("[{MINUTES}m:1m]");
    for (slo, alert) in alerts {
        for tier in TIERS {
            let (a, b) = (ours(alert, tier), sloths(slo, tier));
            for f in ["min_over_time", "max_over_time", "count_over_time"] {
                let side = |s: &str| format!("(sum({f}(timestamp({s}){range})) or vector(-1))");
                expect(&mut yaml, &format!("{} - {}", side(&a), side(&b)), Some(0));
            }
            let fires = scenario.fires == Some(tier);
            let count = format!("count(count_over_time({a}[{MINUTES}m]))");
            expect(&mut yaml, &count, fires.then_some(1));
        }
    }
    if scenario.fires.is_none() {
        expect(&mut yaml, r#"ALERTS{alertstate="firing"}"#, None);
    }
    yaml
}

fn test_file(
    dir: &Path,
    scenario: &Scenario,
    rules: &[PathBuf],
    alerts: &[(String, String)],
) -> PathBuf {
    let mut yaml = String::from("rule_files:\n");
    for r in rules {
        writeln!(yaml, "  - {}", r.display()).unwrap();
    }
    yaml.push_str("evaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n");
    yaml.push_str(&input_series(&scenario.phases));
    yaml.push_str("    promql_expr_test:\n");
    yaml.push_str(&comparisons(scenario, alerts));
    let path = dir.join(format!("{}.test.yml", scenario.name));
    std::fs::write(&path, yaml).unwrap();
    path
}

/// Both rule sets and each scenario's test file, in `dir`.
fn prepare(dir: &Path) -> Vec<PathBuf> {
    let (mut rules, alerts) = our_rules(dir);
    for period in PERIODS {
        rules.push(sloth_rules(dir, period));
    }
    SCENARIOS
        .iter()
        .map(|s| test_file(dir, s, &rules, &alerts))
        .collect()
}

fn run_all(files: &[PathBuf]) -> Vec<Output> {
    std::thread::scope(|scope| {
        let runs: Vec<_> = files
            .iter()
            .map(|f| scope.spawn(move || promtool_test(f)))
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    })
}

#[test]
fn every_tier_of_every_slo_fires_and_resolves_when_sloths_does() {
    let dir = tempfile::tempdir().unwrap();
    let files = prepare(dir.path());
    for (file, out) in files.iter().zip(run_all(&files)) {
        assert!(
            out.status.success(),
            "{}: our SLO alerts and Sloth's differ:\n{}",
            file.display(),
            text(&out)
        );
    }
}

/// A mutant: one factor of our 30-day ratio SLO (the page tier's 1h/5m pair,
/// 14.4) changed to 12. Sloth's page alert then fires at another minute.
#[test]
fn a_changed_factor_in_our_rules_fails_the_comparison() {
    let dir = tempfile::tempdir().unwrap();
    let files = prepare(dir.path());
    let rules = dir.path().join("prometheus/rules/slo-ratio-30d.yml");
    let original = std::fs::read_to_string(&rules).unwrap();
    let mutant = original.replace("(14.4 * 0.001)", "(12 * 0.001)");
    assert_ne!(mutant, original, "the 30d page factor is 14.4");
    std::fs::write(&rules, mutant).unwrap();
    let fast = files
        .iter()
        .find(|f| f.ends_with("fast-burn.test.yml"))
        .unwrap();
    let out = promtool_test(fast);
    assert!(
        !out.status.success(),
        "the mutant must fail:\n{}",
        text(&out)
    );
    assert!(
        text(&out).contains(r#"alertname="Ratio30dBudgetBurn", tier="page""#),
        "{}",
        text(&out)
    );
}
