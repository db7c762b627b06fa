//! A generator's promise is that what it writes loads (issue 18). This test
//! mutates the example and the valid fixtures, one scalar value at a time
//! (empty, whitespace, control characters, long strings, regex and template
//! metacharacters, unknown names, boundary numbers), renders each mutant,
//! and hands every mutant lloom-monctl accepts to the pinned promtool
//! (`check config`, which checks the rule files and target files too) and
//! amtool (`check-config`, with the notification templates). A mutant
//! lloom-monctl accepts and a real tool refuses fails the test.
//!
//! `LLOOM_MUTANTS=N` (default 600) and `LLOOM_MUTANT_SEED=S` run more, or
//! others, by hand: docs/oracles.md reports the long runs.

mod mutate;

use crate::common;
use lloom_monctl::pipeline::{compile_with, Compiled, Failure};
use mutate::{mutate, scalars, Rng};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The rendered files the real tools read.
const CHECKED: [&str; 2] = ["prometheus/", "alertmanager/"];

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One accepted mutant: what it changed and where its files are.
struct Accepted {
    what: String,
    dir: PathBuf,
}

/// Compiles `text` as the CLI does for the spec at `path`; `None` when
/// lloom-monctl refuses it. A crash or a render failure fails the test.
fn compile_mutant(path: &Path, text: &str, what: &str) -> Option<Compiled> {
    let inventories = lloom_monctl::inputs::inventories(path, text).ok()?;
    let result = std::panic::catch_unwind(|| compile_with(text, inventories));
    match result {
        Ok(Ok(c)) => Some(c),
        Ok(Err(Failure::Invalid(_) | Failure::Lint(_))) => None,
        Ok(Err(_)) => panic!("{what}: lloom-monctl failed to render an accepted spec"),
        Err(_) => panic!("{what}: lloom-monctl panicked"),
    }
}

fn write(c: &Compiled, dir: &Path, what: &str) {
    for a in &c.artifacts {
        let p = a.path.to_string_lossy();
        if CHECKED.iter().any(|prefix| p.starts_with(prefix)) {
            let target = dir.join(&a.path);
            std::fs::create_dir_all(target.parent().unwrap())
                .unwrap_or_else(|e| panic!("{what}: {}: {e}", a.path.display()));
            std::fs::write(&target, &a.contents)
                .unwrap_or_else(|e| panic!("{what}: {}: {e}", a.path.display()));
        }
    }
}

/// Runs `tool args files` once for all; when it fails, once a file, to
/// name the mutants it refuses, with what it said.
fn refused_by(tool: &Path, args: &[&str], accepted: &[Accepted], file: &str) -> Vec<String> {
    let accepted: Vec<&Accepted> = accepted
        .iter()
        .filter(|a| a.dir.join(file).exists())
        .collect();
    let files: Vec<PathBuf> = accepted.iter().map(|a| a.dir.join(file)).collect();
    let all = Command::new(tool).args(args).args(&files).output().unwrap();
    if all.status.success() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (a, f) in accepted.iter().zip(&files) {
        let one = Command::new(tool).args(args).arg(f).output().unwrap();
        if !one.status.success() && !environmental(&a.what, &one) {
            let said = failures(&one);
            out.push(format!(
                "{}: {} {}: {said}",
                a.what,
                tool.display(),
                args.join(" ")
            ));
        }
    }
    out
}

/// A refusal about the machine the tool runs on, not the file: promtool
/// wants a rule file named without `*` (`rules.extra_files`) to exist where
/// it runs; the operator's file is on the Prometheus host, not here.
fn environmental(what: &str, out: &std::process::Output) -> bool {
    what.contains("(rules.extra_files[") && said(out).contains("does not point to an existing file")
}

fn said(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
}

/// The lines of a tool's output that say what failed, each cut short.
fn failures(out: &std::process::Output) -> String {
    let text = said(out);
    let lines: Vec<String> = text
        .lines()
        .filter(|l| l.contains("FAILED") || l.contains("error") || l.contains("Error"))
        .map(|l| l.chars().take(300).collect())
        .collect();
    lines.join(" | ")
}

#[test]
fn no_mutant_lloom_monctl_accepts_is_refused_by_the_real_tools() {
    let count = env_number("LLOOM_MUTANTS", 600) as usize;
    let mut rng = Rng::new(env_number("LLOOM_MUTANT_SEED", 18));
    let work = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let seeds: Vec<(PathBuf, toml::Table)> = common::valid_specs()
        .iter()
        .map(|s| {
            let path = common::root().join(s);
            let text = std::fs::read_to_string(&path).unwrap();
            (path, toml::from_str(&text).unwrap())
        })
        .collect();
    let mut accepted = Vec::new();
    for i in 0..count {
        let (path, table) = &seeds[i % seeds.len()];
        let mut table = table.clone();
        let paths = scalars(&table);
        let what = mutate(&mut table, &paths, &mut rng);
        let name = path.file_name().unwrap().to_string_lossy();
        let what = format!("mutant {i} of {name} ({what})");
        let Ok(text) = toml::to_string(&table) else {
            continue;
        };
        if let Some(c) = compile_mutant(path, &text, &what) {
            let dir = work.path().join(i.to_string());
            write(&c, &dir, &what);
            accepted.push(Accepted { what, dir });
        }
    }
    let promtool = common::reference_tool("promtool");
    let amtool = common::reference_tool("amtool");
    let mut refused = refused_by(
        &promtool,
        &["check", "config"],
        &accepted,
        "prometheus/prometheus.yml",
    );
    refused.extend(refused_by(
        &amtool,
        &["check-config"],
        &accepted,
        "alertmanager/alertmanager.yml",
    ));
    eprintln!(
        "mutants: {count} tried, {} accepted by lloom-monctl, {} of those refused by a real tool",
        accepted.len(),
        refused.len()
    );
    assert!(
        accepted.len() * 5 > count,
        "only {} of {count} mutants were accepted: the mutations no longer reach the real tools",
        accepted.len()
    );
    assert!(
        refused.is_empty(),
        "lloom-monctl accepted what the real tools refuse:\n{}",
        refused.join("\n")
    );
}
