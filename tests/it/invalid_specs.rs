//! Every fixture under `tests/fixtures/invalid/` holds one kind of mistake (and
//! `multiple-errors.toml` several). For each, `render` and `check` must exit 2,
//! print nothing on stdout, leave an already rendered output directory exactly
//! as it was, and report the mistake on stderr as the snapshot shows: the place
//! of the offending text, what is wrong, and how to fix it.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const VALID_SPEC: &str = "specs/lloom.toml";

fn monctl(args: &[&str]) -> Output {
    Command::new(crate::common::exe())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("lloom-monctl runs")
}

/// Every entry under `root`, by relative path: a file's bytes, or `None` for a directory.
fn tree(root: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Option<Vec<u8>>>) {
        for entry in std::fs::read_dir(dir).expect("read output dir") {
            let path = entry.expect("dir entry").path();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            if path.is_dir() {
                out.insert(rel, None);
                walk(root, &path, out);
            } else {
                out.insert(rel, Some(std::fs::read(&path).expect("read output file")));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// The fixture's path relative to the crate root, as a user would type it.
fn relative(path: &Path) -> String {
    let name = path.file_name().unwrap().to_str().unwrap();
    format!("tests/fixtures/invalid/{name}")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("output is UTF-8")
}

#[test]
fn invalid_spec() {
    insta::glob!("../fixtures/invalid", "*.toml", |path| {
        let spec = relative(path);
        let tmp = tempfile::tempdir().expect("temp dir");
        let out = tmp.path().to_str().expect("UTF-8 temp path");

        // A copy of the valid spec's render (rendered once for all fixtures).
        common::copy_tree(common::rendered(VALID_SPEC).path(), tmp.path());
        let before = tree(tmp.path());
        assert!(before.values().any(Option::is_some), "nothing was rendered");

        let render = monctl(&["render", &spec, "--out", out]);
        let code = render.status.code();
        let stderr = text(&render.stderr);
        assert_eq!(code, Some(2), "{spec}: render exit code; stderr:\n{stderr}");
        assert!(
            render.stdout.is_empty(),
            "{spec}: render wrote to stdout:\n{}",
            text(&render.stdout)
        );
        assert!(
            tree(tmp.path()) == before,
            "{spec}: render changed the output directory"
        );
        assert!(
            stderr.contains("error["),
            "{spec}: no error reported:\n{stderr}"
        );

        let check = monctl(&["check", &spec]);
        assert_eq!(check.status.code(), Some(2), "{spec}: check exit code");
        assert!(check.stdout.is_empty(), "{spec}: check wrote to stdout");
        assert_eq!(
            text(&check.stderr),
            stderr,
            "{spec}: check and render report differently"
        );

        insta::assert_snapshot!(format!("exit: {}\n{stderr}", code.unwrap()));
    });
}

#[test]
fn multiple_errors_are_all_reported_in_one_run() {
    let spec = "tests/fixtures/invalid/multiple-errors.toml";
    let check = monctl(&["check", spec]);
    assert_eq!(check.status.code(), Some(2));
    let stderr = text(&check.stderr);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error[")).collect();
    assert!(
        errors.len() >= 4,
        "expected at least 4 errors, got {}:\n{stderr}",
        errors.len()
    );
    // Two structural errors (unknown keys) and two semantic ones.
    for code in [
        "error[spec/unknown-key]: unknown key `scrape_intervall`",
        "error[spec/unknown-key]: unknown key `prot`",
        "error[spec/bad-duration]",
        "error[spec/bad-promql]",
    ] {
        assert!(
            errors.iter().any(|l| l.contains(code)),
            "`{code}` missing:\n{stderr}"
        );
    }
}
