//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The built binary, run from the repository root.
pub fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lloom-monctl"));
    cmd.current_dir(root());
    cmd
}

pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run lloom-monctl")
}

/// Renders `spec` (relative to the root) into a fresh temporary directory.
pub fn render_to_temp(spec: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["render", spec, "--out", dir.path().to_str().unwrap()]);
    assert!(
        out.status.success(),
        "render {spec} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

/// Every file under `dir`, by relative path.
pub fn read_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    files
}

/// Fails with a clear message when a tool the suite needs is missing: CI must
/// install it (`.ci/test` does), so a missing tool is a failure, never a skip.
pub fn require_tool(name: &str, install: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        let candidate = dir.join(name);
        if candidate.is_file() {
            return candidate;
        }
    }
    panic!("`{name}` is not installed; the test suite needs it. Install it with: {install} (`.ci/test` does this)");
}

/// The valid fixture specs plus the example spec.
pub fn valid_specs() -> Vec<String> {
    let mut specs = vec!["specs/lloom.toml".to_string()];
    let mut fixtures: Vec<String> = std::fs::read_dir(root().join("tests/fixtures/valid"))
        .unwrap()
        .map(|e| {
            format!(
                "tests/fixtures/valid/{}",
                e.unwrap().file_name().to_string_lossy()
            )
        })
        .filter(|p| p.ends_with(".toml"))
        .collect();
    fixtures.sort();
    specs.extend(fixtures);
    specs
}

/// Compiles a spec file (relative to the root) as the CLI does: with the
/// inventory files its `[hardware]` names, read next to it.
pub fn compile_spec(
    spec: &str,
) -> Result<lloom_monctl::pipeline::Compiled, lloom_monctl::pipeline::Failure> {
    let path = root().join(spec);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{spec}: {e}"));
    let inventories = lloom_monctl::inputs::inventories(&path, &text).unwrap();
    lloom_monctl::pipeline::compile_with(&text, inventories)
}

/// [`compile_spec`] of a spec that must compile.
pub fn compiled(spec: &str) -> lloom_monctl::pipeline::Compiled {
    compile_spec(spec)
        .unwrap_or_else(|_| panic!("{spec} does not compile; run `lloom-monctl check {spec}`"))
}
