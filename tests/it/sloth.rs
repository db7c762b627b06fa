//! Sloth (v0.16.0, built by `tools/reference/build`) as the oracle of our
//! SLO alerts. The same SLOs are written in our spec
//! (`tests/fixtures/sloth/slos.toml`) and in Sloth's format
//! (`sloth-{28d,30d,7d}.yml`: ratio over counters and latency over a
//! histogram; 28d and 30d with Sloth's default windows, 7d with the windows of
//! `windows/7d.yaml`, passed with `--slo-period-windows-path`, which our spec
//! gives as explicit windows). Both rule sets are loaded into one
//! `promtool test rules` (3.5.0) per scenario of synthetic traffic (steady
//! below budget, fast, medium and slow burn), evaluated every two minutes,
//! and every tier of every SLO must first fire, last fire and fire as many
//! evaluations in ours as in Sloth's, read from the `ALERTS` series both
//! leave. A changed factor in our rules must make it fail.

use crate::common;

use lloom_monctl::model::Rule;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FIXTURES: &str = "tests/fixtures/sloth";
const PERIODS: [&str; 3] = ["28d", "30d", "7d"];
const KINDS: [&str; 2] = ["ratio", "latency"];
const TIERS: [&str; 2] = ["page", "ticket"];
/// Requests per minute, every minute: a prime, so that no window's error
/// ratio (failed / total, integers below `RATE` × minutes) ever lands exactly
/// on a threshold (a rational factor × 0.001). At such a tie the result
/// depends on rounding, not on the alert: Sloth's budget is
/// 1 − 0.999 = 0.00099999999999994 where ours is exactly 0.001, so Sloth
/// fires one evaluation earlier (with 10,000 requests a minute, it did).
const RATE: u64 = 9_973;
/// Minutes between samples and between evaluations: 3, so that the shortest
/// window (5m) still holds two samples under Prometheus 3's left-open ranges,
/// and promtool's runs stay short (a minute apart, they take 9 times longer).
const STEP: u64 = 3;

/// A scenario: phases of (minutes, failed requests per `RATE`), the tiers
/// that must fire for every SLO and those that must not.
struct Scenario {
    name: &'static str,
    phases: &'static [(u64, u64)],
    fires: &'static [&'static str],
    quiet: &'static [&'static str],
}

impl Scenario {
    fn minutes(&self) -> u64 {
        self.phases.iter().map(|p| p.0).sum()
    }
}

/// The budget is 0.1 %, about 10 per `RATE`: steady spends half of it; the
/// burns start after 6 steady hours and stop (back to steady) after 2 h at
/// 50× the budget, 6 h at 8× and a day at 2.1×; every alert resolves before
/// the end.
const SCENARIOS: [Scenario; 4] = [
    Scenario {
        name: "steady",
        phases: &[(1440, 5)],
        fires: &[],
        quiet: &["page", "ticket"],
    },
    Scenario {
        name: "fast-burn",
        phases: &[(360, 5), (120, 500), (960, 5)],
        fires: &["page"],
        quiet: &[],
    },
    Scenario {
        name: "medium-burn",
        phases: &[(360, 5), (360, 80), (720, 5)],
        fires: &["page"],
        quiet: &[],
    },
    Scenario {
        name: "slow-burn",
        phases: &[(360, 5), (1440, 21), (720, 5)],
        fires: &["ticket"],
        quiet: &["page"],
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

/// The rule files of both, each SLO's (name, our alert's name), and the
/// order promtool evaluates the groups in.
struct Rules {
    files: Vec<PathBuf>,
    alerts: Vec<(String, String)>,
    order: Vec<String>,
}

/// Our rules, rendered into `dir`: the SLO rule files, each SLO's alert
/// name, and the groups' names.
fn our_rules(dir: &Path) -> Rules {
    let compiled = common::compiled_fresh(&format!("{FIXTURES}/slos.toml"));
    lloom_monctl::output::write(dir, &compiled.artifacts).unwrap();
    let mut files = Vec::new();
    let mut alerts = Vec::new();
    let mut order = Vec::new();
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
        order.push(group.name.clone());
    }
    assert_eq!(alerts.len(), PERIODS.len() * KINDS.len(), "{alerts:?}");
    Rules {
        files,
        alerts,
        order,
    }
}

/// The group names of a rule file Sloth wrote.
fn group_names(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap();
    text.lines()
        .filter_map(|l| l.strip_prefix("- name: "))
        .map(str::to_string)
        .collect()
}

/// The evaluation order: Sloth's SLI recordings, then ours (records before
/// alerts in one group), then Sloth's meta recordings and alerts. Sloth
/// puts an SLO's recordings and alerts in separate groups, which a server
/// evaluates independently (its alerts may read recordings one interval
/// old); promtool, without an order, evaluates the groups in a random one.
/// Here each of Sloth's alerts reads the recordings of the same evaluation,
/// as ours do.
fn evaluation_order(ours: &[String], sloth: &[String]) -> Vec<String> {
    let (sli, rest): (Vec<&String>, Vec<&String>) =
        sloth.iter().partition(|n| n.contains("-sli-recordings-"));
    sli.into_iter().chain(ours).chain(rest).cloned().collect()
}

/// `values` of a counter growing by each phase's rate per minute, a sample
/// every `STEP` minutes.
fn counter(phases: &[(u64, u64)], per_minute: impl Fn(u64) -> u64) -> String {
    let mut parts = vec!["0".to_string()];
    let mut value = 0;
    for &(minutes, failed) in phases {
        let step = per_minute(failed) * STEP;
        let samples = minutes / STEP;
        parts.push(format!("{}+{step}x{}", value + step, samples - 1));
        value += step * samples;
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

/// One expectation: `expr` is `value` at minute `end` (`None`: no sample).
fn expect(yaml: &mut String, end: u64, expr: &str, value: Option<i64>) {
    let samples = value.map_or(" []".to_string(), |v| {
        format!("\n          - labels: '{{}}'\n            value: {v}")
    });
    write!(
        yaml,
        "      - expr: '{}'\n        eval_time: {end}m\n        exp_samples:{samples}\n",
        expr.replace('\'', "''")
    )
    .unwrap();
}

/// The first and last firing minute and the firing minutes' count, equal in
/// ours and Sloth's (-1 where neither fires); the scenario's tiers fire, its
/// quiet ones do not, and nothing fires at the end.
fn comparisons(scenario: &Scenario, alerts: &[(String, String)]) -> String {
    let mut yaml = String::new();
    let end = scenario.minutes();
    let range = format!("[{end}m:{STEP}m]");
    for (slo, alert) in alerts {
        for tier in TIERS {
            let (a, b) = (ours(alert, tier), sloths(slo, tier));
            for f in ["min_over_time", "max_over_time", "count_over_time"] {
                let side = |s: &str| format!("(sum({f}(timestamp({s}){range})) or vector(-1))");
                expect(
                    &mut yaml,
                    end,
                    &format!("{} - {}", side(&a), side(&b)),
                    Some(0),
                );
            }
            let count = format!("count(count_over_time({a}[{end}m]))");
            if scenario.fires.contains(&tier) {
                expect(&mut yaml, end, &count, Some(1));
            }
            if scenario.quiet.contains(&tier) {
                expect(&mut yaml, end, &count, None);
            }
        }
    }
    expect(&mut yaml, end, r#"ALERTS{alertstate="firing"}"#, None);
    yaml
}

fn test_file(dir: &Path, scenario: &Scenario, rules: &Rules) -> PathBuf {
    let mut yaml = String::from("rule_files:\n");
    for r in &rules.files {
        writeln!(yaml, "  - {}", r.display()).unwrap();
    }
    yaml.push_str("group_eval_order:\n");
    for g in &rules.order {
        writeln!(yaml, "  - {g}").unwrap();
    }
    writeln!(
        yaml,
        "evaluation_interval: {STEP}m\ntests:\n  - interval: {STEP}m\n    input_series:"
    )
    .unwrap();
    yaml.push_str(&input_series(scenario.phases));
    yaml.push_str("    promql_expr_test:\n");
    yaml.push_str(&comparisons(scenario, &rules.alerts));
    let path = dir.join(format!("{}.test.yml", scenario.name));
    std::fs::write(&path, yaml).unwrap();
    path
}

/// Both rule sets and each scenario's test file, in `dir`.
fn prepare(dir: &Path) -> Vec<PathBuf> {
    let mut rules = our_rules(dir);
    let mut sloth_groups = Vec::new();
    for period in PERIODS {
        let file = sloth_rules(dir, period);
        sloth_groups.extend(group_names(&file));
        rules.files.push(file);
    }
    rules.order = evaluation_order(&rules.order, &sloth_groups);
    SCENARIOS
        .iter()
        .map(|s| test_file(dir, s, &rules))
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
    // The failing expressions are that alert's page tier (promtool escapes
    // the quotes).
    let shown = text(&out);
    let failing: Vec<&str> = shown
        .lines()
        .filter(|l| l.trim_start().starts_with("expr:"))
        .collect();
    assert!(!failing.is_empty(), "{shown}");
    for line in failing {
        assert!(
            line.contains(r#"Ratio30dBudgetBurn\", tier=\"page"#),
            "only the mutated tier differs: {line}"
        );
    }
}
