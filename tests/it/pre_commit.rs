//! The pre-commit hooks work for a repository that uses them, proven with
//! real `pre-commit`: a `.pre-commit-config.yaml` names this repository at a
//! revision holding the working tree, as a user's config names it at a tag,
//! and `pre-commit run` installs the hooks with `cargo install` (the hooks are
//! `language: rust`) and runs them on a spec or inventory.
//!
//! The revision is HEAD, or, with uncommitted edits to tracked files, the
//! commit `git stash create` makes of them (with fixed dates, so the same
//! tree is the same revision; HEAD, the index and the files are left alone).
//! pre-commit installs a revision once and keeps it in `PRE_COMMIT_HOME`
//! (target/pre-commit-home), so a run on an unchanged tree builds nothing,
//! and a changed one builds the tool once, not once per `pre-commit` call as
//! `try-repo` did; `pre-commit gc` drops what earlier revisions installed.
//! The install builds into this build's own target directory, in the debug
//! profile (`debug_cargo`), where the suite has built the dependencies
//! already, and offline (`CARGO_NET_OFFLINE`): `cargo install`
//! ignores Cargo.lock and takes the newest versions it may, which offline are
//! those already downloaded, on a fresh machine the locked ones.
//!
//! Like try-repo, this sees what git tracks (plus uncommitted edits to
//! tracked files): a new source file must be added to git before this test
//! can see it.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// This build's target directory (target/, unless CARGO_TARGET_DIR moves it).
fn target() -> &'static Path {
    Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap()
}

fn pre_commit(workdir: &Path) -> Command {
    let mut cmd = Command::new(common::require_tool("pre-commit", "pip install pre-commit"));
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![debug_cargo()];
    dirs.extend(std::env::split_paths(&path));
    cmd.current_dir(workdir)
        .env("PATH", std::env::join_paths(dirs).expect("PATH"))
        .env("PRE_COMMIT_HOME", target().join("pre-commit-home"))
        .env("CARGO_TARGET_DIR", target())
        .env("CARGO_NET_OFFLINE", "true");
    cmd
}

/// A directory whose `cargo` adds `--debug` to pre-commit's `cargo install`:
/// the hooks then build with the dependencies this suite has built already,
/// instead of a release build of them all. What is proven (the hooks install
/// from the repository and run) does not depend on the profile.
fn debug_cargo() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        use std::os::unix::fs::PermissionsExt;
        let dir = target().join("pre-commit-cargo");
        std::fs::create_dir_all(&dir).unwrap();
        let real = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let real = serde_json::to_string(&real).unwrap();
        let script = format!(
            "#!/bin/sh\nif [ \"$1\" = install ]; then shift; exec {real} install --debug \"$@\"; fi\nexec {real} \"$@\"\n"
        );
        let path = dir.join("cargo");
        std::fs::write(&path, script).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        dir
    })
    .clone()
}

fn output(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The config naming this repository's hooks at the working tree's
/// revision, written once per run (see the module's comment).
fn config() -> &'static Path {
    static CONFIG: OnceLock<PathBuf> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let root = common::root();
        let mut git = Command::new("git");
        git.current_dir(root);
        for (name, value) in [
            ("GIT_AUTHOR_NAME", "lloom-monctl tests"),
            ("GIT_AUTHOR_EMAIL", "tests@lloom-monctl.invalid"),
            ("GIT_AUTHOR_DATE", "@946684800 +0000"),
            ("GIT_COMMITTER_NAME", "lloom-monctl tests"),
            ("GIT_COMMITTER_EMAIL", "tests@lloom-monctl.invalid"),
            ("GIT_COMMITTER_DATE", "@946684800 +0000"),
        ] {
            git.env(name, value);
        }
        let stash = output(git.args(["stash", "create"])).stdout;
        let mut rev = String::from_utf8(stash).unwrap().trim().to_string();
        if rev.is_empty() {
            let head = output(
                Command::new("git")
                    .current_dir(root)
                    .args(["rev-parse", "HEAD"]),
            );
            rev = String::from_utf8(head.stdout).unwrap().trim().to_string();
        }
        let home = target().join("pre-commit-home");
        std::fs::create_dir_all(&home).unwrap();
        let path = home.join("lloom-monctl-hooks.yaml");
        let repo = serde_json::to_string(root.to_str().unwrap()).unwrap();
        std::fs::write(
            &path,
            format!(
                "repos:\n- repo: {repo}\n  rev: {rev}\n  hooks:\n  \
                 - id: lloom-monctl-check\n  - id: lloom-monctl-check-inventory\n"
            ),
        )
        .unwrap();
        output(pre_commit(&home).arg("gc"));
        path
    })
}

/// `pre-commit run <hook> --files <files>` in `workdir`, a git repository.
fn run_hook(workdir: &Path, hook: &str, files: &[&str]) -> Output {
    let config = config();
    pre_commit(workdir)
        .args(["run", hook, "--verbose", "--config"])
        .arg(config)
        .arg("--files")
        .args(files)
        .output()
        .expect("run pre-commit")
}

fn git(workdir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .current_dir(workdir)
        .args(args)
        .status()
        .unwrap()
        .success();
    assert!(ok, "git {args:?} failed");
}

#[test]
fn check_hook_passes_a_valid_spec_and_fails_an_invalid_one() {
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path();
    git(w, &["init", "-q"]);
    std::fs::create_dir(w.join("specs")).unwrap();
    std::fs::copy(
        common::root().join("specs/lloom.toml"),
        w.join("specs/lloom.toml"),
    )
    .unwrap();
    std::fs::create_dir(w.join("specs/inventory")).unwrap();
    for f in ["executor1.toml", "executor2.toml"] {
        std::fs::copy(
            common::root().join("specs/inventory").join(f),
            w.join("specs/inventory").join(f),
        )
        .unwrap();
    }
    std::fs::write(w.join("specs/broken.toml"), "[stack]\nname = \"x\"\nrunbook_base_url = \"https://r.example.org\"\nscrape_interval = \"5 minutes\"\n").unwrap();
    git(w, &["add", "-A"]);

    let good = run_hook(w, "lloom-monctl-check", &["specs/lloom.toml"]);
    let text = String::from_utf8_lossy(&good.stdout);
    assert!(
        good.status.success(),
        "the hook rejected the example spec:\n{text}{}",
        String::from_utf8_lossy(&good.stderr)
    );
    assert!(text.contains("Passed"), "{text}");

    let bad = run_hook(w, "lloom-monctl-check", &["specs/broken.toml"]);
    let text = String::from_utf8_lossy(&bad.stdout);
    assert!(
        !bad.status.success(),
        "the hook passed a broken spec:\n{text}"
    );
    assert!(
        text.contains("specs/broken.toml:4:19: error[spec/bad-duration]"),
        "{text}"
    );
}

#[test]
fn inventory_hook_passes_a_discovered_inventory_and_fails_a_broken_one() {
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path();
    git(w, &["init", "-q"]);
    std::fs::create_dir_all(w.join("specs/inventory")).unwrap();
    std::fs::copy(
        common::root().join("specs/inventory/executor1.toml"),
        w.join("specs/inventory/executor1.toml"),
    )
    .unwrap();
    std::fs::copy(
        common::root().join("tests/fixtures/inventory/invalid/duplicate-index.toml"),
        w.join("specs/inventory/broken.toml"),
    )
    .unwrap();
    git(w, &["add", "-A"]);

    let good = run_hook(
        w,
        "lloom-monctl-check-inventory",
        &["specs/inventory/executor1.toml"],
    );
    let text = String::from_utf8_lossy(&good.stdout);
    assert!(
        good.status.success(),
        "the hook rejected an inventory:\n{text}"
    );
    assert!(text.contains("Passed"), "{text}");

    let bad = run_hook(
        w,
        "lloom-monctl-check-inventory",
        &["specs/inventory/broken.toml"],
    );
    let text = String::from_utf8_lossy(&bad.stdout);
    assert!(
        !bad.status.success(),
        "the hook passed a broken inventory:\n{text}"
    );
    assert!(text.contains("specs/inventory/broken.toml:"), "{text}");
}
