//! Write benchmark: `cargo bench --bench write`.
//!
//! Times `output::write` (lock, plan, temp files, one durable batch,
//! renames, the manifest) on this machine's disk, for:
//! - the example spec into a fresh directory (every file written) and into
//!   the same directory again (every file unchanged);
//! - a spec with 10,000 custom alerts (a runbook page each: over 10,000
//!   files) into a fresh directory, in process and as the whole
//!   `lloom-monctl render` process.
//!
//! The aims (issue 15) are printed beside the figures. The directories are
//! made under cargo's target directory, on disk (not tmpfs), and removed at
//! the end.
//! `BENCH_QUICK=1` runs a 1,000-alert spec a few times, to check that the
//! bench still works; its figures are not meant to be read.

use lloom_monctl::{output, pipeline};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn quick() -> bool {
    std::env::var("BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// A spec with one client and `alerts` custom alerts, each its own.
fn alerts_spec(alerts: usize) -> String {
    let mut s = String::from(
        "[stack]\nname = \"lloom-bench\"\nrunbook_base_url = \"https://runbooks.example.org/lloom\"\n\n[roles.client]\nhosts = [\"client1\"]\n",
    );
    for i in 0..alerts {
        let _ = write!(
            s,
            "\n[[alert]]\nname = \"BenchAlert{i:05}\"\nexpr = 'sum by (instance) (rate(lloom_client_requests_total{{status=\"failed\"}}[5m])) > 0.{:05}'\nfor = \"5m\"\nseverity = \"warning\"\nsummary = \"Bench alert {i} on {{{{ $labels.instance }}}}\"\ndescription = \"Synthetic alert {i}: {{{{ $labels.instance }}}} failed too many requests for 5 minutes.\"\n",
            i + 1
        );
    }
    s
}

fn compile(text: &str, spec: &Path) -> Vec<lloom_monctl::render::Artifact> {
    let inventories = lloom_monctl::inputs::inventories(spec, text).expect("inventories");
    match pipeline::compile_with(text, inventories) {
        Ok(c) => c.artifacts,
        Err(_) => panic!("{} does not compile", spec.display()),
    }
}

fn scratch_root() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("write-bench")
}

/// A path under the target directory, on disk; nothing there yet.
fn scratch(name: &str) -> PathBuf {
    let dir = scratch_root().join(name);
    assert!(
        !dir.exists(),
        "{} is left from an earlier run",
        dir.display()
    );
    std::fs::create_dir_all(scratch_root()).expect("create scratch dir");
    dir
}

struct Stats {
    median: Duration,
    min: Duration,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    Stats {
        median: samples[samples.len() / 2],
        min: samples[0],
    }
}

/// `run` timed `iters` times after one warm-up, each on a fresh directory.
/// The directories are removed only at the end of the bench: ext4 creates
/// files slowly for a few minutes after many were deleted (it skips the
/// recently freed inodes), which would be measured instead of the write.
fn timed(iters: usize, name: &str, mut run: impl FnMut(&Path)) -> Stats {
    let mut samples = Vec::new();
    for i in 0..=iters {
        let dir = scratch(&format!("{name}-{i}"));
        let t = Instant::now();
        run(&dir);
        let d = t.elapsed();
        if i > 0 {
            samples.push(d);
        }
    }
    stats(samples)
}

fn fmt(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1_000.0 {
        format!("{us:.0} µs")
    } else if us < 1_000_000.0 {
        format!("{:.1} ms", us / 1e3)
    } else {
        format!("{:.2} s", us / 1e6)
    }
}

fn row(what: &str, s: &Stats, aim: Duration) {
    let verdict = if s.median <= aim { "met" } else { "MISSED" };
    println!(
        "  {what:<44} median {:>9}  min {:>9}  aim ≤ {:>7}  {verdict}",
        fmt(s.median),
        fmt(s.min),
        fmt(aim)
    );
}

fn main() {
    let q = quick();
    let _ = std::fs::remove_dir_all(scratch_root());
    println!(
        "lloom-monctl write benchmark ({} mode, {} build)",
        if q { "quick" } else { "full" },
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let example = root.join("specs/lloom.toml");
    let text = std::fs::read_to_string(&example).expect("read the example");
    let artifacts = compile(&text, &example);
    let iters = if q { 2 } else { 30 };
    println!("\nspecs/lloom.toml, {} files + manifest:", artifacts.len());
    let fresh = timed(iters, "example", |dir| {
        output::write(dir, &artifacts).expect("write");
    });
    row(
        "output::write, fresh directory",
        &fresh,
        Duration::from_millis(40),
    );
    let same = scratch("example-same");
    output::write(&same, &artifacts).expect("first write");
    let mut samples = Vec::new();
    for _ in 0..=iters * 10 {
        let t = Instant::now();
        let r = output::write(&same, &artifacts).expect("rewrite");
        samples.push(t.elapsed());
        assert!(r.written.is_empty(), "nothing changed, nothing written");
    }
    row(
        "output::write, unchanged",
        &stats(samples[1..].to_vec()),
        Duration::from_millis(2),
    );

    let alerts = if q { 1_000 } else { 10_000 };
    let spec_path = scratch("alerts-spec.toml");
    std::fs::write(&spec_path, alerts_spec(alerts)).expect("write the spec");
    let artifacts = compile(&std::fs::read_to_string(&spec_path).unwrap(), &spec_path);
    let iters = if q { 1 } else { 7 };
    println!(
        "\n{alerts} custom alerts, {} files + manifest:",
        artifacts.len()
    );
    let fresh = timed(iters, "alerts", |dir| {
        output::write(dir, &artifacts).expect("write");
    });
    row(
        "output::write, fresh directory",
        &fresh,
        Duration::from_secs(3),
    );
    let process = timed(iters, "alerts-process", |dir| {
        let out = Command::new(env!("CARGO_BIN_EXE_lloom-monctl"))
            .arg("render")
            .arg(&spec_path)
            .arg("--out")
            .arg(dir)
            .output()
            .expect("run lloom-monctl");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    });
    row(
        "lloom-monctl render (the whole process), fresh",
        &process,
        Duration::from_secs(3),
    );
    std::fs::remove_dir_all(scratch_root()).expect("remove the scratch directories");
}
