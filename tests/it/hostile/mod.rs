//! The hostile corpus (`tests/fixtures/hostile/`): specs and inputs a pull
//! request could bring, each run by the binary under a time and memory
//! bound, with the assertion that no planted secret and no planted line of a
//! file outside the project root appears in its output. The promises it
//! holds are stated in docs/security.md.

mod confine;
mod generate;
mod run;

use crate::common::{exe, root};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A line planted in every file outside the project root, and in the
/// environment (`/proc/self/environ`).
const OUTSIDE: &str = "OUTSIDELINE";

#[derive(Debug, Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Debug, Clone, Deserialize)]
struct Case {
    name: String,
    spec: Option<String>,
    generate: Option<String>,
    #[serde(default)]
    setup: Vec<String>,
    args: Vec<String>,
    exit: i32,
}

fn corpus() -> PathBuf {
    root().join("tests/fixtures/hostile")
}

/// The `secret-*` and `glob-*` specs, each a `render` and a `check --format json` case.
fn spec_cases() -> Vec<Case> {
    let mut names: Vec<String> = std::fs::read_dir(corpus().join("specs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("secret-") || n.starts_with("glob-"))
        .collect();
    names.sort();
    let setup = |n: &str| {
        if n.starts_with("glob-") {
            vec!["links".to_string()]
        } else {
            vec![]
        }
    };
    names
        .iter()
        .flat_map(|n| {
            let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect();
            let case = |suffix: &str, a: &[&str]| Case {
                name: format!("{n} ({suffix})"),
                spec: Some(n.clone()),
                generate: None,
                setup: setup(n),
                args: args(a),
                exit: 2,
            };
            [
                case("render", &["render", "{spec}", "--out", "{out}"]),
                case("check json", &["check", "--format", "json", "{spec}"]),
            ]
        })
        .collect()
}

fn listed_cases() -> Vec<Case> {
    let text = std::fs::read_to_string(corpus().join("cases.toml")).unwrap();
    toml::from_str::<Cases>(&text).unwrap().case
}

/// The words of `spec` that hold `PLANTED`: the secrets it plants.
fn planted_secrets(spec: &str) -> Vec<String> {
    spec.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.contains("PLANTED"))
        .map(str::to_string)
        .collect()
}

/// What in `output` gives away a planted secret or an outside line.
fn leaks(output: &[u8], secrets: &[String]) -> Vec<String> {
    let text = String::from_utf8_lossy(output);
    let mut found = Vec::new();
    if text.contains(OUTSIDE) {
        found.push(format!(
            "a planted line of a file outside the root ({OUTSIDE})"
        ));
    }
    for s in secrets {
        if let Some(w) = s
            .as_bytes()
            .windows(6)
            .find(|w| text.contains(std::str::from_utf8(w).unwrap()))
        {
            found.push(format!(
                "part `{}` of the secret `{s}`",
                String::from_utf8_lossy(w)
            ));
        }
    }
    found
}

/// Runs one case in a fresh project; the problems found, if any.
fn run_case(case: &Case, base: &str) -> Vec<String> {
    let tmp = tempfile::tempdir().unwrap();
    let (proj, outside, out) = (
        tmp.path().join("proj"),
        tmp.path().join("outside"),
        tmp.path().join("out"),
    );
    for d in [&proj.join(".git"), &outside, &out] {
        std::fs::create_dir_all(d).unwrap();
    }
    let planted: String = (1..=5)
        .map(|i| format!("host = \"{OUTSIDE}-{i}\"\n"))
        .collect();
    std::fs::write(outside.join("environ.toml"), &planted).unwrap();
    std::fs::write(outside.join("passwd"), &planted).unwrap();
    let fill = |s: &str| {
        s.replace("{spec}", proj.join("spec.toml").to_str().unwrap())
            .replace("{out}", out.to_str().unwrap())
            .replace("{proj}", proj.to_str().unwrap())
            .replace("{outside}", outside.to_str().unwrap())
    };
    let spec = match (&case.spec, &case.generate) {
        (Some(file), _) => {
            fill(&std::fs::read_to_string(corpus().join("specs").join(file)).unwrap())
        }
        (None, Some(name)) => generate::spec(name, base),
        (None, None) => base.to_string(),
    };
    std::fs::write(proj.join("spec.toml"), &spec).unwrap();
    for step in &case.setup {
        generate::setup(step, &proj, &outside);
    }
    let args: Vec<String> = case.args.iter().map(|a| fill(a)).collect();
    let env = [("LLOOM_PLANTED", "OUTSIDELINE-env")];
    let ran = run::bounded(exe(), &args, &proj, &env);
    let mut problems = Vec::new();
    if ran.timed_out {
        problems.push(format!(
            "ran past {:?} of CPU time or {:?} in all ({:?} CPU, {:?} in all)",
            run::TIME_BOUND,
            run::WALL_BOUND,
            ran.cpu,
            ran.elapsed
        ));
    } else if ran.code != Some(case.exit) {
        let tail = String::from_utf8_lossy(&ran.stderr);
        let tail: String = tail.chars().take(600).collect();
        problems.push(format!(
            "exit {:?}, expected {} ({:?}): {tail}",
            ran.code, case.exit, ran.elapsed
        ));
    }
    if ran.overflow > 0 {
        problems.push(format!(
            "printed {} bytes past {} of output",
            ran.overflow,
            run::OUTPUT_BOUND
        ));
    }
    let secrets = planted_secrets(&spec);
    for (what, bytes) in [("stdout", &ran.stdout), ("stderr", &ran.stderr)] {
        for leak in leaks(bytes, &secrets) {
            problems.push(format!("{what} shows {leak}"));
        }
    }
    for file in walk(&out) {
        for leak in leaks(&std::fs::read(&file).unwrap(), &secrets) {
            problems.push(format!("{} shows {leak}", file.display()));
        }
    }
    problems
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p)
            } else {
                files.push(p)
            }
        }
    }
    files
}

fn check_all(cases: &[Case]) {
    let base = std::fs::read_to_string(corpus().join("base.toml")).unwrap();
    let failures: Vec<String> = cases
        .iter()
        .flat_map(|c| {
            run_case(c, &base)
                .into_iter()
                .map(move |p| format!("{}: {p}", c.name))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Secrets in every secret field in near-miss forms, and globs that reach
/// outside the root (traversal, absolute, `/proc`, symlinks, non-regular and
/// oversized files): exit 2, nothing planted shown, nothing written.
#[test]
fn hostile_specs_leak_nothing() {
    let cases = spec_cases();
    assert!(cases.len() > 150, "the corpus' specs are found");
    check_all(&cases);
}

/// Deep nesting, long operator chains, huge lines, non-regular files,
/// control characters, large CSVs and pages: each within its bounds.
#[test]
fn hostile_inputs_stay_within_bounds() {
    check_all(&listed_cases());
}

#[test]
fn the_leak_check_sees_a_leak() {
    let secrets = planted_secrets("x = \"ZqabcPLANTEDdef12345\"");
    assert_eq!(secrets, ["ZqabcPLANTEDdef12345"]);
    assert!(leaks(b"x = ****", &secrets).is_empty());
    assert_eq!(leaks(b"shown: TEDdef12 here", &secrets).len(), 1);
    assert_eq!(leaks(b"OUTSIDELINE-1", &[]).len(), 1);
}
