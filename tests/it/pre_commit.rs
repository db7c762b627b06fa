//! The pre-commit hooks work for a repository that uses them, proven with
//! `pre-commit try-repo` (which installs the hook with cargo, as users get it).
//! The hook's build is cached under target/, so only the first run is slow.
//! try-repo builds what git tracks (plus uncommitted edits to tracked files):
//! a new source file must be added to git before this test can see it.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

fn try_repo(workdir: &Path, hook: &str, files: &[&str]) -> Output {
    let pre_commit = common::require_tool("pre-commit", "pip install pre-commit");
    let target = common::root().join("target");
    Command::new(pre_commit)
        .current_dir(workdir)
        .env("PRE_COMMIT_HOME", target.join("pre-commit-home"))
        .env("CARGO_TARGET_DIR", target.join("pre-commit-target"))
        .args([
            "try-repo",
            common::root().to_str().unwrap(),
            hook,
            "--verbose",
            "--files",
        ])
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

    let good = try_repo(w, "lloom-monctl-check", &["specs/lloom.toml"]);
    let text = String::from_utf8_lossy(&good.stdout);
    assert!(
        good.status.success(),
        "the hook rejected the example spec:\n{text}{}",
        String::from_utf8_lossy(&good.stderr)
    );
    assert!(text.contains("Passed"), "{text}");

    let bad = try_repo(w, "lloom-monctl-check", &["specs/broken.toml"]);
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

    let good = try_repo(
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

    let bad = try_repo(
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
