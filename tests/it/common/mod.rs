//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// The smallest valid spec, for a test to add one piece to.
pub const MINIMAL_SPEC: &str = "[stack]\nname = \"t\"\nrunbook_base_url = \"https://x.org/r\"\n[roles.client]\nhosts = [\"c1\"]\n";

/// The errors (not warnings, not the lint's) of [`MINIMAL_SPEC`] with
/// `extra` added; none when it compiles.
pub fn spec_errors(extra: &str) -> Vec<lloom_monctl::diagnostics::Finding> {
    use lloom_monctl::pipeline::{compile, Failure};
    let spec = format!("{MINIMAL_SPEC}{extra}");
    match compile(&spec) {
        Ok(_) | Err(Failure::Lint(_)) => Vec::new(),
        Err(Failure::Invalid(f)) => f.into_iter().filter(|f| f.is_error()).collect(),
        Err(_) => panic!("neither compiled nor refused:\n{spec}"),
    }
}

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The binary under test: a hard link, made once per run, to the one cargo
/// built for this suite. The pre-commit test's `cargo install` of the hooks
/// builds into the same target directory and replaces cargo's file meanwhile;
/// the link keeps this build's. Renamed into place, so that a run still
/// using the previous link is not disturbed, and no copy piles up.
pub fn exe() -> &'static Path {
    static EXE: OnceLock<PathBuf> = OnceLock::new();
    EXE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bin");
        std::fs::create_dir_all(&dir).expect("create the binary's directory");
        let exe = dir.join("lloom-monctl");
        let fresh = dir.join(format!("lloom-monctl.{}", std::process::id()));
        let _ = std::fs::remove_file(&fresh);
        let built = env!("CARGO_BIN_EXE_lloom-monctl");
        std::fs::hard_link(built, &fresh)
            .or_else(|_| std::fs::copy(built, &fresh).map(drop))
            .expect("link the binary");
        std::fs::rename(&fresh, &exe).expect("move the binary into place");
        exe
    })
}

/// The built binary, run from the repository root.
pub fn bin() -> Command {
    let mut cmd = Command::new(exe());
    cmd.current_dir(root());
    cmd
}

pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run lloom-monctl")
}

/// Renders `spec` (relative to the root) into a fresh temporary directory,
/// for a test that changes the render; one that only reads it takes the
/// shared one, [`rendered`].
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

/// Copies every file under `from` to the same place under `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    for (path, bytes) in read_tree(from) {
        let dest = to.join(path);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::write(dest, bytes).unwrap();
    }
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

/// A reference tool built at its pinned version by `tools/reference/build`
/// (promtool and prometheus 3.5.0, amtool and alertmanager 0.28.1, sloth,
/// the Alloy and dashboard checkers): looked for in the directories of
/// `LLOOM_TOOLS_BIN` (`.ci/test` sets it), else in those the build script
/// prints. Missing, it fails the test with how to build it.
pub fn reference_tool(name: &str) -> PathBuf {
    for dir in reference_dirs() {
        let candidate = dir.join(name);
        if candidate.is_file() {
            return candidate;
        }
    }
    panic!(
        "the reference `{name}` is not built; the test suite needs it. Build the pinned \
         tools with: tools/reference/build (`.ci/test` does this; Go and the Go module \
         proxy are needed once)"
    );
}

/// The reference tools' directories, first among `PATH`: for a script that
/// finds its tool on `PATH` (`route-tests.sh`), as an operator's CI would.
pub fn path_with_reference_tools() -> std::ffi::OsString {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs = reference_dirs()
        .iter()
        .cloned()
        .chain(std::env::split_paths(&path));
    std::env::join_paths(dirs).expect("PATH entries")
}

fn reference_dirs() -> &'static [PathBuf] {
    static DIRS: OnceLock<Vec<PathBuf>> = OnceLock::new();
    DIRS.get_or_init(|| {
        let list = std::env::var("LLOOM_TOOLS_BIN").unwrap_or_else(|_| printed_dirs());
        std::env::split_paths(&list).collect()
    })
}

/// What `tools/reference/build --print` says: where the pinned tools are.
fn printed_dirs() -> String {
    let out = Command::new(root().join("tools/reference/build"))
        .arg("--print")
        .output()
        .expect("run tools/reference/build --print");
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("export LLOOM_TOOLS_BIN="))
        .unwrap_or_default()
        .to_string()
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

/// [`compile_spec`] of a spec that must compile, compiled afresh.
pub fn compiled_fresh(spec: &str) -> lloom_monctl::pipeline::Compiled {
    compile_spec(spec)
        .unwrap_or_else(|_| panic!("{spec} does not compile; run `lloom-monctl check {spec}`"))
}

/// [`compiled_fresh`], once per run: every test that compiles `spec` shares
/// the one compilation.
pub fn compiled(spec: &str) -> Arc<lloom_monctl::pipeline::Compiled> {
    static COMPILED: Shared<lloom_monctl::pipeline::Compiled> = Shared::new();
    COMPILED.get(spec, || compiled_fresh(spec))
}

/// `spec` rendered by the binary once per run, shared by every test that
/// reads that render. Never change it: a test that edits its render (or
/// tests rendering itself) uses [`render_to_temp`].
pub fn rendered(spec: &str) -> Arc<Rendered> {
    static RENDERED: Shared<Rendered> = Shared::new();
    RENDERED.get(spec, || {
        let path = renders_dir().join(spec.replace('/', "_"));
        std::fs::create_dir(&path).unwrap();
        let out = run(&["render", spec, "--out", path.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "render {spec} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Rendered(path)
    })
}

/// A shared render: see [`rendered`].
pub struct Rendered(PathBuf);

impl Rendered {
    pub fn path(&self) -> &Path {
        &self.0
    }
}

/// Values made once per run, by key, for every test that asks: the first
/// asker makes it while later ones for the same key wait, and different keys
/// are made in parallel.
struct Shared<T>(Mutex<BTreeMap<String, Arc<OnceLock<Arc<T>>>>>);

impl<T> Shared<T> {
    const fn new() -> Self {
        Shared(Mutex::new(BTreeMap::new()))
    }

    fn get(&self, key: &str, make: impl FnOnce() -> T) -> Arc<T> {
        let cell = Arc::clone(
            self.0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(key.to_string())
                .or_default(),
        );
        Arc::clone(cell.get_or_init(|| Arc::new(make())))
    }
}

/// This run's directory for [`rendered`], under target/tmp. A process-wide
/// value is never dropped, so the directory outlives the run; it is removed
/// by a later run, once the lock this one holds on `<dir>.lock` is free.
fn renders_dir() -> &'static Path {
    static DIR: OnceLock<(PathBuf, File)> = OnceLock::new();
    &DIR.get_or_init(|| {
        let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("renders");
        std::fs::create_dir_all(&base).unwrap();
        for entry in std::fs::read_dir(&base).unwrap().flatten() {
            let dir = entry.path();
            let Ok(lock) = File::open(dir.with_extension("lock")) else {
                continue;
            };
            if dir.is_dir() && lock.try_lock().is_ok() {
                let _ = std::fs::remove_dir_all(&dir);
                let _ = std::fs::remove_file(dir.with_extension("lock"));
            }
        }
        let dir = tempfile::Builder::new()
            .prefix("run-")
            .tempdir_in(&base)
            .unwrap()
            .keep();
        // Locked before it takes its name, so no other run sees it free.
        let lock = tempfile::NamedTempFile::new_in(&base).unwrap();
        lock.as_file().lock().unwrap();
        let lock = lock.persist(dir.with_extension("lock")).unwrap();
        (dir, lock)
    })
    .0
}
