//! The project root that confines what a spec may read: the nearest
//! directory above the spec with `.git`, or `--root DIR`.

use crate::common::{exe, root};
use std::path::Path;
use std::process::Command;

const SPEC: &str = "[stack]\nname = \"t\"\nrunbook_base_url = \"https://r.example.org\"\n[roles.executor]\nhosts = [\"executor1\"]\n[exporters.gpu]\n[hardware]\ninventory = [\"../inv/*.toml\"]\n";

/// `proj/specs/s.toml` names `../inv/*.toml`, which holds an inventory of `executor1`.
fn project(with_git: bool) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let proj = tmp.path().join("proj");
    std::fs::create_dir_all(proj.join("specs")).unwrap();
    std::fs::create_dir_all(proj.join("inv")).unwrap();
    if with_git {
        std::fs::create_dir_all(proj.join(".git")).unwrap();
    }
    std::fs::write(proj.join("specs/s.toml"), SPEC).unwrap();
    let inv = std::fs::read_to_string(root().join("tests/fixtures/inventory/h100.toml")).unwrap();
    std::fs::write(
        proj.join("inv/h100.toml"),
        inv.replace("executor2", "executor1"),
    )
    .unwrap();
    tmp
}

fn check(dir: &Path, extra: &[&str]) -> (i32, String) {
    let spec = dir.join("proj/specs/s.toml");
    let out = Command::new(exe())
        .arg("check")
        .arg(&spec)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_glob_may_climb_to_the_directory_that_holds_git() {
    let tmp = project(true);
    let (code, err) = check(tmp.path(), &[]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn without_git_the_root_is_the_spec_directory_unless_given() {
    let tmp = project(false);
    let (code, err) = check(tmp.path(), &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("spec/path-outside-root"), "{err}");
    let given = tmp.path().join("proj");
    let (code, err) = check(tmp.path(), &["--root", given.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
}
