//! Lint benchmark: `cargo bench --bench lint`.
//!
//! A spec with 10,000 custom rules (alerts and recording rules of the shapes
//! operators write: ratios, quantiles, aggregations, joins, templates) plus
//! the built-in pack. Reported, side by side on the same rules:
//! - `lint::lint` alone, on a model already built (ASTs parsed);
//! - `spec::load` + `model::build` (TOML, PromQL parsing, checks);
//! - the whole `lloom-monctl check` process on the spec file;
//! - `promtool check rules` on the rule files that spec renders to, with its
//!   default lint and with `--lint=none` (syntax only).
//!
//! `BENCH_QUICK=1` runs 1,000 rules once, to check that the bench still works;
//! its figures are not meant to be read.

use lloom_monctl::{lint, model, pipeline, render, spec};
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn quick() -> bool {
    std::env::var("BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Alert expressions; `{n}` (a count) and `{f}` (a fraction) are replaced by
/// numbers unique to the rule, so that no two rules are duplicates.
const ALERTS: [&str; 8] = [
    r#"sum by (instance) (rate(lloom_client_requests_total{status="failed"}[5m])) / sum by (instance) (rate(lloom_client_requests_total[5m])) > {f}"#,
    r#"histogram_quantile(0.99, sum by (instance, le) (rate(lloom_client_request_duration_seconds_bucket[5m]))) > {n}"#,
    r#"sum by (instance) (lloom_executor_queue_size) > {n}"#,
    r#"avg_over_time(lloom_executor_gpu_utilization_percent[10m]) > {n}"#,
    r#"increase(lloom_executor_model_errors_total{error="load_failed"}[15m]) > {n}"#,
    r#"lloom_executor_gpu_memory_used_bytes / on (instance, job, device) (lloom_executor_gpu_memory_total_bytes > 0) > {f}"#,
    r#"sum by (instance) (rate(lloom_validator_violations_detected_total[1h])) / sum by (instance) (rate(lloom_validator_validations_total[1h])) > {f}"#,
    r#"(node_filesystem_avail_bytes{mountpoint="/"} / node_filesystem_size_bytes{mountpoint="/"}) < {f} and on (instance) up{job="node"} == 1"#,
];

const RECORDS: [&str; 2] = [
    r#"sum by (instance, status) (rate(lloom_client_requests_total[{n}m]))"#,
    r#"sum by (instance, model) (rate(lloom_executor_requests_total{status!="success"}[{n}m]))"#,
];

/// A spec with the three roles and `rules` custom rules in groups of 100,
/// four alerts to one recording rule.
fn spec(rules: usize) -> String {
    let mut s = String::from(
        r#"[stack]
name = "lloom-bench"
runbook_base_url = "https://runbooks.example.org/lloom"
[stack.retention]
time = "30d"
[roles.client]
hosts = ["client1", "client2"]
[roles.executor]
hosts = ["executor1", "executor2"]
[roles.validator]
hosts = ["validator1"]
[exporters.node]
"#,
    );
    for i in 0..rules {
        let group = format!("bench_{:03}", i / 100);
        let n = 1 + i;
        if i % 5 == 4 {
            let expr = RECORDS[i % RECORDS.len()].replace("{n}", &(5 + i / 5).to_string());
            let _ = write!(
                s,
                "\n[[record]]\nname = \"instance:bench_{i}:rate\"\ngroup = \"{group}\"\nexpr = '{expr}'\n"
            );
        } else {
            // `{f}` zero-padded, so that `0.1` and `0.10` never meet.
            let expr = ALERTS[i % ALERTS.len()]
                .replace("{n}", &n.to_string())
                .replace("{f}", &format!("0.{n:05}"));
            let _ = write!(
                s,
                "\n[[alert]]\nname = \"Bench{i}\"\ngroup = \"{group}\"\nexpr = '{expr}'\nfor = \"5m\"\nseverity = \"warning\"\nsummary = \"Bench {i} on {{{{ $labels.instance }}}}\"\ndescription = \"At {{{{ $value | humanize }}}} on {{{{ $labels.instance }}}}.\"\n"
            );
        }
    }
    s
}

/// `rules` alerts that each read a counter raw: one warning apiece.
fn noisy_spec(rules: usize) -> String {
    let mut s = String::from("[stack]\nname = \"noisy\"\nrunbook_base_url = \"https://runbooks.example.org\"\n[roles.client]\nhosts = [\"client1\"]\n");
    for i in 0..rules {
        let _ = write!(
            s,
            "\n[[alert]]\nname = \"Noisy{i}\"\nexpr = 'lloom_client_requests_total > {i}'\nseverity = \"warning\"\nsummary = \"s\"\ndescription = \"d\"\n"
        );
    }
    s
}

fn median(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    (samples[samples.len() / 2], samples[0])
}

fn time(iters: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    f(); // warm-up
    median(
        (0..iters)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn run_ok(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn temp_dir() -> PathBuf {
    let nanos = std::time::UNIX_EPOCH.elapsed().map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!("lloom-monctl-lint-bench-{nanos}"));
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

fn main() {
    let rules = if quick() { 1_000 } else { 10_000 };
    let iters = if quick() { 1 } else { 15 };
    let process_iters = if quick() { 1 } else { 7 };
    let text = spec(rules);

    let loaded = spec::load(&text).0.expect("bench spec loads");
    let (model, findings) = model::build(&loaded);
    assert!(findings.is_empty(), "bench spec has findings: {findings:?}");
    let total: usize = model.groups.iter().map(|g| g.rules.len()).sum();
    let found = lint::lint(&model);
    assert!(
        found.is_empty(),
        "bench rules must lint clean: {:?}",
        &found[..found.len().min(3)]
    );

    println!(
        "lloom-monctl lint benchmark ({} mode, {} build): {rules} custom rules, {total} with the pack",
        if quick() { "quick" } else { "full" },
        if cfg!(debug_assertions) { "debug" } else { "release" },
    );
    let (lint_med, lint_min) = time(iters, || {
        black_box(lint::lint(black_box(&model)));
    });
    println!(
        "  lint::lint (ASTs built)            median {}, min {}, {:.1} µs/rule",
        ms(lint_med),
        ms(lint_min),
        lint_med.as_secs_f64() * 1e6 / total as f64
    );
    let (load_med, load_min) = time(iters, || {
        black_box(spec::load(black_box(&text)));
    });
    println!(
        "  spec::load (TOML)                  median {}, min {}",
        ms(load_med),
        ms(load_min)
    );
    let (build_med, build_min) = time(iters, || {
        black_box(model::build(black_box(&loaded)));
    });
    println!(
        "  model::build (PromQL parse, checks) median {}, min {}",
        ms(build_med),
        ms(build_min)
    );
    let exprs: Vec<&str> = model
        .groups
        .iter()
        .flat_map(|g| &g.rules)
        .map(|r| r.expr().text.as_str())
        .collect();
    let (parse_med, parse_min) = time(iters, || {
        for e in &exprs {
            black_box(promql_parser::parser::parse(black_box(e)).expect("parses"));
        }
    });
    println!(
        "  promql_parser::parse, one thread   median {}, min {} (model::build uses every core)",
        ms(parse_med),
        ms(parse_min)
    );
    let (render_med, render_min) = time(iters, || {
        black_box(render::render(black_box(&model)).expect("renders"));
    });
    println!(
        "  render::render (rule files)        median {}, min {}",
        ms(render_med),
        ms(render_min)
    );

    // The same rules as files, for promtool.
    let dir = temp_dir();
    let spec_path = dir.join("bench.toml");
    std::fs::write(&spec_path, &text).expect("write spec");
    let compiled = pipeline::compile(&text).unwrap_or_else(|_| panic!("bench spec compiles"));
    let mut rule_files = Vec::new();
    for a in &compiled.artifacts {
        if a.path.starts_with("prometheus/rules") {
            let path = dir.join(&a.path);
            std::fs::create_dir_all(path.parent().unwrap()).expect("mkdir");
            std::fs::write(&path, &a.contents).expect("write rule file");
            rule_files.push(path);
        }
    }

    let monctl = Path::new(env!("CARGO_BIN_EXE_lloom-monctl"));
    let (check_med, check_min) = time(process_iters, || {
        run_ok(Command::new(monctl).arg("check").arg(&spec_path));
    });
    println!(
        "  lloom-monctl check (process)       median {}, min {}",
        ms(check_med),
        ms(check_min)
    );

    // Every rule with a finding: reporting must stay linear too (it was
    // quadratic once: 9.5 s for this case).
    let noisy = noisy_spec(rules);
    let noisy_path = dir.join("noisy.toml");
    std::fs::write(&noisy_path, &noisy).expect("write spec");
    let (noisy_med, noisy_min) = time(process_iters, || {
        let out = Command::new(monctl)
            .args(["check", "--format", "json"])
            .arg(&noisy_path)
            .output()
            .expect("run check");
        assert_eq!(out.status.code(), Some(0), "warnings only");
        black_box(out.stdout);
    });
    println!(
        "  check, one warning per rule (json) median {}, min {}",
        ms(noisy_med),
        ms(noisy_min)
    );

    match which("promtool") {
        Some(promtool) => {
            let (p_med, p_min) = time(process_iters, || {
                run_ok(
                    Command::new(&promtool)
                        .args(["check", "rules"])
                        .args(&rule_files),
                );
            });
            println!(
                "  promtool check rules               median {}, min {} ({} files)",
                ms(p_med),
                ms(p_min),
                rule_files.len()
            );
            let (n_med, n_min) = time(process_iters, || {
                run_ok(
                    Command::new(&promtool)
                        .args(["check", "rules", "--lint=none"])
                        .args(&rule_files),
                );
            });
            println!(
                "  promtool check rules --lint=none   median {}, min {}",
                ms(n_med),
                ms(n_min)
            );
            println!(
                "  check vs promtool: x{:.2} faster (median), lint alone x{:.1}",
                p_med.as_secs_f64() / check_med.as_secs_f64(),
                p_med.as_secs_f64() / lint_med.as_secs_f64()
            );
        }
        None => println!("  promtool not found: install `prometheus` for the side-by-side figure"),
    }
    std::fs::remove_dir_all(&dir).expect("remove temp dir");
}

fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}
