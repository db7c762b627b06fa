//! The output directory is sacred (docs/cli.md, "Writing the output"):
//! nothing outside it is touched through a symlink, a file the tool did not
//! write is never overwritten without `--force`, a render killed at any step
//! leaves every file old or new and the next one converges, and renders of
//! one directory run one at a time.

use crate::common::{self, bin, copy_tree, read_tree};
use lloom_monctl::output::{CRASH_AFTER, MANIFEST, TEMP_PREFIX};
use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::symlink;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Output;

const BEFORE: &str = "tests/fixtures/output/before.toml";
const AFTER: &str = "tests/fixtures/output/after.toml";

type Tree = BTreeMap<PathBuf, Vec<u8>>;

fn render(spec: &str, out: &Path, extra: &[&str]) -> Output {
    bin()
        .args(["render", spec, "--out", out.to_str().unwrap()])
        .args(extra)
        .output()
        .expect("run lloom-monctl")
}

fn code(out: &Output) -> i32 {
    out.status
        .code()
        .unwrap_or_else(|| panic!("killed: {:?}", out.status))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The tree `spec` renders to, rendered once into a fresh directory.
fn tree_of(spec: &str) -> (tempfile::TempDir, Tree) {
    let dir = common::render_to_temp(spec);
    let tree = read_tree(dir.path());
    (dir, tree)
}

/// Every directory under `dir`, relative.
fn dirs_of(dir: &Path) -> BTreeSet<PathBuf> {
    let mut found = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                found.insert(path.strip_prefix(dir).unwrap().to_path_buf());
                stack.push(path);
            }
        }
    }
    found
}

#[test]
fn a_symlinked_subdirectory_is_refused_and_nothing_is_written_through_it() {
    let (dir, _) = tree_of(AFTER);
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::remove_dir_all(dir.path().join("prometheus")).unwrap();
    symlink(elsewhere.path(), dir.path().join("prometheus")).unwrap();
    for extra in [&[][..], &["--check"][..]] {
        let out = render(AFTER, dir.path(), extra);
        assert_eq!(code(&out), 3, "{}", stderr(&out));
        let shown = dir.path().join("prometheus").display().to_string();
        assert!(
            stderr(&out).contains(&format!("{shown} is a symbolic link")),
            "{}",
            stderr(&out)
        );
    }
    assert!(
        read_tree(elsewhere.path()).is_empty(),
        "nothing written outside"
    );
}

#[test]
fn a_symlinked_file_is_refused_and_its_target_neither_written_nor_shown() {
    let (dir, _) = tree_of(AFTER);
    let elsewhere = tempfile::tempdir().unwrap();
    let secret = elsewhere.path().join("secret.txt");
    std::fs::write(&secret, "TOP SECRET token\n").unwrap();
    std::fs::remove_file(dir.path().join("README.md")).unwrap();
    symlink(&secret, dir.path().join("README.md")).unwrap();
    for extra in [&[][..], &["--check"][..]] {
        let out = render(AFTER, dir.path(), extra);
        assert_eq!(code(&out), 3, "{}", stderr(&out));
        assert!(
            stderr(&out).contains("README.md is a symbolic link"),
            "{}",
            stderr(&out)
        );
        let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
        assert!(
            !all.contains("TOP SECRET"),
            "the target is never shown: {all}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(&secret).unwrap(),
        "TOP SECRET token\n"
    );
}

#[test]
fn a_manifest_entry_through_a_symlink_removes_nothing_outside() {
    let (dir, before) = tree_of(BEFORE);
    let elsewhere = tempfile::tempdir().unwrap();
    copy_tree(&dir.path().join("loki"), elsewhere.path());
    let outside = read_tree(elsewhere.path());
    assert!(!outside.is_empty());
    std::fs::remove_dir_all(dir.path().join("loki")).unwrap();
    symlink(elsewhere.path(), dir.path().join("loki")).unwrap();
    let out = render(AFTER, dir.path(), &[]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("loki is a symbolic link"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        read_tree(elsewhere.path()),
        outside,
        "nothing removed outside"
    );
    let manifest = std::fs::read(dir.path().join(MANIFEST)).unwrap();
    assert_eq!(
        manifest,
        before[Path::new(MANIFEST)],
        "refused before any change"
    );
}

#[test]
fn an_output_directory_that_is_a_symlink_is_refused() {
    let real = tempfile::tempdir().unwrap();
    let parent = tempfile::tempdir().unwrap();
    let link = parent.path().join("generated");
    symlink(real.path(), &link).unwrap();
    let out = render(AFTER, &link, &[]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("generated is a symbolic link"),
        "{}",
        stderr(&out)
    );
    assert!(read_tree(real.path()).is_empty());
}

#[test]
fn a_fifo_where_a_file_goes_is_refused_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("README.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    for extra in [&["--force"][..], &["--check"][..]] {
        let out = render(AFTER, dir.path(), extra);
        assert_eq!(code(&out), 3, "{}", stderr(&out));
        assert!(
            stderr(&out).contains("README.md is a FIFO"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn an_unmanaged_file_is_kept_and_listed_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "mine\n").unwrap();
    std::fs::write(dir.path().join("NOTES.md"), "mine too\n").unwrap();
    let before = read_tree(dir.path());
    let out = render(AFTER, dir.path(), &[]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("1 file(s) that lloom-monctl did not write"),
        "{err}"
    );
    assert!(
        err.contains(&dir.path().join("README.md").display().to_string()),
        "{err}"
    );
    assert!(
        !err.contains("NOTES.md"),
        "only the files it would overwrite: {err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(read_tree(dir.path()), before, "nothing written");
    let check = render(AFTER, dir.path(), &["--check"]);
    assert_eq!(code(&check), 1);
    assert!(stderr(&check)
        .contains("README.md: lloom-monctl would write this file but did not write it"));
}

#[test]
fn a_directory_with_only_other_files_is_rendered_into() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("NOTES.md"), "mine\n").unwrap();
    let out = render(AFTER, dir.path(), &[]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("NOTES.md")).unwrap(),
        "mine\n"
    );
}

#[test]
fn force_adopts_the_files_it_would_overwrite_and_says_so() {
    let (_, after) = tree_of(AFTER);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "mine\n").unwrap();
    let out = render(AFTER, dir.path(), &["--force"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let shown = dir.path().join("README.md").display().to_string();
    assert!(
        stderr(&out).contains(&format!("adopted {shown} (--force)")),
        "{}",
        stderr(&out)
    );
    assert_eq!(read_tree(dir.path()), after, "the file is the tool's now");
    let again = render(AFTER, dir.path(), &[]);
    assert_eq!(
        code(&again),
        0,
        "no --force needed any more: {}",
        stderr(&again)
    );
}

#[test]
fn stray_temp_files_fail_the_check_and_are_removed_by_render() {
    let (dir, after) = tree_of(AFTER);
    let strays = [
        format!("prometheus/rules/{TEMP_PREFIX}7"),
        format!("{TEMP_PREFIX}manifest"),
    ];
    // A user's file that looks like the temp names of the versions before.
    std::fs::write(dir.path().join(".README.md.backup"), "mine\n").unwrap();
    for s in &strays {
        std::fs::write(dir.path().join(s), "half a fi").unwrap();
    }
    let check = render(AFTER, dir.path(), &["--check"]);
    assert_eq!(code(&check), 1, "{}", stderr(&check));
    for s in &strays {
        let note = format!(
            "{}: a temp file left by an interrupted render",
            dir.path().join(s).display()
        );
        assert!(stderr(&check).contains(&note), "{}", stderr(&check));
    }
    let out = render(AFTER, dir.path(), &[]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("removed 2 temp file(s)"),
        "{}",
        stderr(&out)
    );
    let mut expected = after.clone();
    expected.insert(".README.md.backup".into(), b"mine\n".to_vec());
    assert_eq!(read_tree(dir.path()), expected, "the user's file is kept");
    assert_eq!(code(&render(AFTER, dir.path(), &["--check"])), 0);
}

#[test]
fn two_renders_at_once_leave_exactly_one_specs_tree() {
    let (_, example) = tree_of("specs/lloom.toml");
    let (_, after) = tree_of(AFTER);
    for _ in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let spawn = |spec: &str| {
            bin()
                .args(["render", spec, "--out", dir.path().to_str().unwrap()])
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn("specs/lloom.toml"), spawn(AFTER));
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            assert_eq!(code(&out), 0, "both finish: {}", stderr(&out));
        }
        let tree = read_tree(dir.path());
        assert!(tree == example || tree == after, "a mix of two trees");
    }
}

#[test]
fn a_render_waits_for_the_lock_and_fails_clearly_after_the_timeout() {
    let (dir, before) = tree_of(BEFORE);
    let held = std::fs::File::open(dir.path()).unwrap();
    rustix::fs::flock(&held, rustix::fs::FlockOperation::LockExclusive).unwrap();
    let out = render(AFTER, dir.path(), &["--lock-timeout", "1"]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("waiting for another lloom-monctl render of"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("held its lock for 1 s"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read_tree(dir.path()), before, "nothing written");
    drop(held);
    let out = render(AFTER, dir.path(), &["--lock-timeout", "1"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

/// Copies `before` into a fresh directory and renders AFTER into it,
/// aborting before step `n + 1`; `None` when the render finished first.
fn crash_at(before: &Path, n: u64) -> Option<tempfile::TempDir> {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(before, dir.path());
    let out = bin()
        .args(["render", AFTER, "--out", dir.path().to_str().unwrap()])
        .env(CRASH_AFTER, n.to_string())
        .output()
        .unwrap();
    if out.status.success() {
        return None;
    }
    assert_eq!(
        out.status.signal(),
        Some(6),
        "aborted by the hook: {}",
        stderr(&out)
    );
    Some(dir)
}

fn is_temp(p: &Path) -> bool {
    p.file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with(TEMP_PREFIX)
}

#[test]
fn a_render_killed_at_any_step_leaves_old_or_new_files_and_the_next_converges() {
    let (before_dir, before) = tree_of(BEFORE);
    let (after_dir, after) = tree_of(AFTER);
    let after_dirs = dirs_of(after_dir.path());
    let mut n = 0;
    while let Some(dir) = crash_at(before_dir.path(), n) {
        let now = read_tree(dir.path());
        for (path, bytes) in now.iter().filter(|(p, _)| *p != Path::new(MANIFEST)) {
            let known = [before.get(path), after.get(path)].contains(&Some(bytes));
            assert!(
                known || is_temp(path),
                "step {n}: {} is neither old nor new",
                path.display()
            );
        }
        if now != after {
            let check = render(AFTER, dir.path(), &["--check"]);
            assert_eq!(
                code(&check),
                1,
                "step {n}: --check must not pass: {}",
                stderr(&check)
            );
        }
        let out = render(AFTER, dir.path(), &["--lock-timeout", "0"]);
        assert_eq!(
            code(&out),
            0,
            "step {n}: a killed render never blocks: {}",
            stderr(&out)
        );
        assert_eq!(
            read_tree(dir.path()),
            after,
            "step {n}: converges to the new tree"
        );
        assert_eq!(
            dirs_of(dir.path()),
            after_dirs,
            "step {n}: and its directories"
        );
        n += 1;
    }
    assert!(n > 40, "every step was tried: {n}");
    eprintln!("crashed at each of {n} steps");
}

#[test]
fn a_stale_file_left_by_an_interrupted_removal_is_removed_by_the_next_render() {
    let (before_dir, before) = tree_of(BEFORE);
    let (_, after) = tree_of(AFTER);
    let stale = Path::new("systemd/promtail.service");
    assert!(before.contains_key(stale) && !after.contains_key(stale));
    // The last steps remove the stale files, then commit the manifest:
    // find a crash after every new file is in place, with a stale one left.
    let copy = tempfile::tempdir().unwrap();
    copy_tree(before_dir.path(), copy.path());
    let artifacts = &common::compiled(AFTER).artifacts;
    let total = lloom_monctl::output::write(copy.path(), artifacts)
        .unwrap()
        .steps;
    let dir = (0..total)
        .rev()
        .filter_map(|n| crash_at(before_dir.path(), n))
        .find(|d| {
            let now = read_tree(d.path());
            now.contains_key(stale)
                && after
                    .iter()
                    .all(|(p, b)| p == Path::new(MANIFEST) || now.get(p) == Some(b))
        })
        .expect("a crash between the new files and the stale removal");
    let check = render(AFTER, dir.path(), &["--check"]);
    assert_eq!(code(&check), 1, "{}", stderr(&check));
    assert!(String::from_utf8_lossy(&check.stdout).contains("a/systemd/promtail.service"));
    assert!(
        stderr(&check).contains("a render was interrupted"),
        "{}",
        stderr(&check)
    );
    let out = render(AFTER, dir.path(), &[]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(read_tree(dir.path()), after);
}
