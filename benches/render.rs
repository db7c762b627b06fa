//! Render benchmark: `cargo bench --bench render`.
//!
//! A small harness (no criterion): each case is warmed up, then
//! `pipeline::compile_with` (with the spec's inventories) runs repeatedly
//! and the median and minimum wall times are reported, with the time per
//! host+alert and the peak heap of one compile, measured by a counting
//! global allocator.
//!
//! Cases: the example spec (`specs/lloom.toml`) and synthetic specs with N
//! hosts over the three roles and M custom alerts, at three sizes, so that
//! the growth with hosts and alerts is visible. For the example spec the
//! stages (`spec::load`, `model::build`, `render::render`) are timed as
//! well; writing is the `write` bench's.
//!
//! `BENCH_QUICK=1` runs a few iterations of every case, to check that the
//! bench still works; its figures are not meant to be read.

use lloom_monctl::diagnostics::Source;
use lloom_monctl::inputs::InventoryFile;
use lloom_monctl::pipeline::{self, Compiled, Failure};
use lloom_monctl::{model, render, spec};
use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------
// Counting allocator

/// Wraps the system allocator, tracking live and peak heap bytes and the
/// number of allocations.
struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = CURRENT.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is forwarded unchanged to `System`; the counters only
// observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Heap use of one call of `f`: the peak above the live bytes at the start,
/// and the number of allocations. `f`'s result is dropped after measuring.
fn heap_of<T>(f: impl FnOnce() -> T) -> (usize, usize) {
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let allocs = ALLOCS.load(Ordering::Relaxed);
    let out = black_box(f());
    let peak = PEAK.load(Ordering::Relaxed) - base;
    let count = ALLOCS.load(Ordering::Relaxed) - allocs;
    drop(out);
    (peak, count)
}

// ---------------------------------------------------------------------------
// Cases

struct Case {
    name: String,
    text: String,
    /// The inventories the spec's `[hardware]` names, read once, as the CLI reads them.
    inventories: Vec<InventoryFile>,
    hosts: usize,
    alerts: usize,
    warmup: usize,
    iters: usize,
}

fn quick() -> bool {
    std::env::var("BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0")
}

fn example_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/lloom.toml")
}

/// Hosts (all roles) and custom alerts of a spec, for the per-item time.
fn count_items(text: &str) -> (usize, usize) {
    let v: toml::Table = text.parse().expect("spec is TOML");
    let hosts = v
        .get("roles")
        .and_then(|r| r.as_table())
        .map_or(0, |roles| {
            roles
                .values()
                .filter_map(|r| r.get("hosts").and_then(|h| h.as_array()))
                .map(Vec::len)
                .sum()
        });
    let alerts = v
        .get("alert")
        .and_then(|a| a.as_array())
        .map_or(0, Vec::len);
    (hosts, alerts)
}

/// A spec shaped like the example (stack, three roles, node and GPU
/// exporters on the Lloom hosts, Alertmanager) with `hosts` hosts spread
/// round-robin over client, executor and validator and `alerts` custom alerts.
fn synthetic(hosts: usize, alerts: usize) -> String {
    const ROLES: [&str; 3] = ["client", "executor", "validator"];
    // Each alert's threshold is its own, so that none duplicates another
    // and the spec lints clean.
    const EXPRS: [&str; 4] = [
        r#"sum by (instance) (rate(lloom_client_requests_total{status="failed"}[5m])) > {t}"#,
        r#"sum by (instance) (rate(lloom_client_requests_total{status="timeout"}[5m])) > {t}"#,
        r#"lloom_client_executors_available < {t}"#,
        r#"sum by (instance) (rate(lloom_client_requests_total[5m])) < {t}"#,
    ];
    let mut s = String::with_capacity(hosts * 24 + alerts * 400 + 1024);
    s.push_str(
        r#"[stack]
name = "lloom-bench"
region = "us-east-1"
scrape_interval = "15s"
evaluation_interval = "15s"
runbook_base_url = "https://runbooks.example.org/lloom"

[stack.retention]
time = "30d"
size = "100GB"
"#,
    );
    for (r, role) in ROLES.iter().enumerate() {
        let _ = write!(s, "\n[roles.{role}]\nhosts = [\n");
        for i in (r..hosts).step_by(ROLES.len()) {
            let _ = writeln!(s, "  \"{role}-{:05}\",", i + 1);
        }
        s.push_str("]\n");
    }
    s.push_str(
        r#"
[exporters.node]
[exporters.gpu]
kind = "nvidia-smi"

[alerting]
alertmanagers = ["localhost:9093"]
"#,
    );
    for i in 0..alerts {
        let _ = write!(
            s,
            r#"
[[alert]]
name = "BenchAlert{i:05}"
expr = '{expr}'
for = "5m"
severity = "warning"
summary = "Bench alert {i} fired on {{{{ $labels.instance }}}}"
description = "Synthetic alert number {i} for the render benchmark; {{{{ $labels.instance }}}} crossed its threshold for 5 minutes."
"#,
            expr = EXPRS[i % EXPRS.len()].replace("{t}", &format!("0.{:05}", i + 1)),
        );
    }
    s
}

fn cases() -> Vec<Case> {
    let q = quick();
    let text = std::fs::read_to_string(example_path())
        .unwrap_or_else(|e| panic!("reading {}: {e}", example_path().display()));
    let (hosts, alerts) = count_items(&text);
    let inventories = lloom_monctl::inputs::inventories(&example_path(), &text)
        .unwrap_or_else(|e| panic!("reading the example's inventories: {e}"));
    let mut cases = vec![Case {
        name: "specs/lloom.toml".into(),
        text,
        inventories,
        hosts,
        alerts,
        warmup: if q { 1 } else { 20 },
        iters: if q { 3 } else { 300 },
    }];
    for (hosts, alerts, iters) in [(2_500, 250, 40), (5_000, 500, 20), (10_000, 1_000, 12)] {
        let text = synthetic(hosts, alerts);
        assert_eq!(count_items(&text), (hosts, alerts), "synthetic spec shape");
        cases.push(Case {
            name: format!("synthetic {hosts}h/{alerts}a"),
            text,
            inventories: Vec::new(),
            hosts,
            alerts,
            warmup: if q { 0 } else { 2 },
            iters: if q { 1 } else { iters },
        });
    }
    cases
}

// ---------------------------------------------------------------------------
// Measuring

fn compile_ok(case: &Case) -> Compiled {
    let (name, text) = (&case.name, case.text.as_str());
    match pipeline::compile_with(text, case.inventories.clone()) {
        Ok(c) => c,
        Err(Failure::Invalid(findings) | Failure::Lint(findings)) => {
            let src = Source::new(name, text);
            panic!(
                "{name}: the spec does not compile:\n{}",
                src.render_all(&findings)
            )
        }
        Err(Failure::Render(e)) => panic!("{name}: render failed: {e}"),
        Err(Failure::Inventory { .. }) => panic!("{name}: invalid inventories"),
    }
}

struct Stats {
    median: Duration,
    min: Duration,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    assert!(!samples.is_empty());
    samples.sort();
    let n = samples.len();
    let median = if n % 2 == 1 {
        samples[n / 2]
    } else {
        (samples[n / 2 - 1] + samples[n / 2]) / 2
    };
    Stats {
        median,
        min: samples[0],
    }
}

fn time_iters(warmup: usize, iters: usize, mut f: impl FnMut()) -> Stats {
    for _ in 0..warmup {
        f();
    }
    let samples = (0..iters)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    stats(samples)
}

struct Row {
    case: Case,
    compile: Stats,
    peak: usize,
    allocs: usize,
    out_bytes: usize,
}

fn measure(case: Case) -> Row {
    // Fails loudly before anything is timed.
    let first = compile_ok(&case);
    let out_bytes = first.artifacts.iter().map(|a| a.contents.len()).sum();
    drop(first);
    let compile = time_iters(case.warmup, case.iters, || {
        black_box(compile_ok(black_box(&case)));
    });
    let (peak, allocs) = heap_of(|| compile_ok(&case));
    Row {
        case,
        compile,
        peak,
        allocs,
        out_bytes,
    }
}

/// Median of each stage of `compile`, run separately.
fn stages(case: &Case) -> [(&'static str, Stats); 3] {
    let text = case.text.as_str();
    let load = time_iters(case.warmup, case.iters, || {
        black_box(spec::load(black_box(text)));
    });
    let parsed = spec::load(text).0.expect("spec loads");
    let inventories: Vec<_> = case
        .inventories
        .iter()
        .map(|f| lloom_monctl::discover::validate::load(&f.name, &f.text).expect("valid inventory"))
        .collect();
    let build = time_iters(case.warmup, case.iters, || {
        black_box(model::build_with(black_box(&parsed), &inventories));
    });
    let (model, _) = model::build_with(&parsed, &inventories);
    let rendered = time_iters(case.warmup, case.iters, || {
        black_box(render::render(black_box(&model)).expect("renders"));
    });
    [
        ("spec::load", load),
        ("model::build", build),
        ("render::render", rendered),
    ]
}

// ---------------------------------------------------------------------------
// Report

fn fmt_time(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1_000.0 {
        format!("{us:.1} µs")
    } else if us < 1_000_000.0 {
        format!("{:.2} ms", us / 1e3)
    } else {
        format!("{:.3} s", us / 1e6)
    }
}

fn fmt_bytes(b: usize) -> String {
    let b = b as f64;
    if b < 1024.0 * 1024.0 {
        format!("{:.1} KiB", b / 1024.0)
    } else {
        format!("{:.1} MiB", b / (1024.0 * 1024.0))
    }
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not supported.
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "lloom-monctl render benchmark ({} mode, {cores} cores, {} build)",
        if quick() { "quick" } else { "full" },
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
    );
    println!();

    let rows: Vec<Row> = cases().into_iter().map(measure).collect();

    println!(
        "{:<26} {:>6} {:>6} {:>5} {:>10} {:>10} {:>11} {:>10} {:>9} {:>10}",
        "case",
        "hosts",
        "alerts",
        "iters",
        "median",
        "min",
        "per item",
        "peak heap",
        "allocs",
        "output"
    );
    println!("{}", "-".repeat(112));
    for r in &rows {
        let items = (r.case.hosts + r.case.alerts).max(1);
        println!(
            "{:<26} {:>6} {:>6} {:>5} {:>10} {:>10} {:>11} {:>10} {:>9} {:>10}",
            r.case.name,
            r.case.hosts,
            r.case.alerts,
            r.case.iters,
            fmt_time(r.compile.median),
            fmt_time(r.compile.min),
            fmt_time(r.compile.median / items as u32),
            fmt_bytes(r.peak),
            r.allocs,
            fmt_bytes(r.out_bytes),
        );
    }

    // Marginal cost between successive synthetic sizes: flat when linear.
    println!();
    println!("growth (synthetic; marginal = extra median time per extra item):");
    let synth: Vec<&Row> = rows.iter().skip(1).collect();
    for w in synth.windows(2) {
        let (a, b) = (w[0], w[1]);
        let items_a = a.case.hosts + a.case.alerts;
        let items_b = b.case.hosts + b.case.alerts;
        let ratio = b.compile.median.as_secs_f64() / a.compile.median.as_secs_f64();
        let ratio_min = b.compile.min.as_secs_f64() / a.compile.min.as_secs_f64();
        let marginal = (b.compile.median.as_secs_f64() - a.compile.median.as_secs_f64())
            / (items_b - items_a) as f64;
        println!(
            "  {:>6} -> {:>6} items (x{:.2}): median x{ratio:.2}, min x{ratio_min:.2}, marginal {:.2} µs/item, heap x{:.2}",
            items_a,
            items_b,
            items_b as f64 / items_a as f64,
            marginal * 1e6,
            b.peak as f64 / a.peak as f64,
        );
    }

    println!();
    println!("stages (median, run separately):");
    let stage_cases: Vec<&Row> = [rows.first(), rows.last()].into_iter().flatten().collect();
    for r in stage_cases {
        let parts = stages(&r.case)
            .iter()
            .map(|(name, s)| format!("{name} {}", fmt_time(s.median)))
            .collect::<Vec<_>>()
            .join(", ");
        println!("  {:<26} {parts}", r.case.name);
    }

    // What an operator waits for: one process, caches cold.
    let monctl = Path::new(env!("CARGO_BIN_EXE_lloom-monctl"));
    let iters = if quick() { 2 } else { 30 };
    let check = time_iters(1, iters, || {
        let out = std::process::Command::new(monctl)
            .args(["check", "specs/lloom.toml"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("run lloom-monctl");
        assert!(out.status.success(), "check fails");
    });
    println!();
    println!(
        "lloom-monctl check specs/lloom.toml, whole process: median {}, min {}",
        fmt_time(check.median),
        fmt_time(check.min)
    );
}
