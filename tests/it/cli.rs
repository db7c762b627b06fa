//! The command line as operators and CI use it, through the built binary.

use crate::common;

use common::{read_tree, render_to_temp, run};

fn code(out: &std::process::Output) -> i32 {
    out.status.code().expect("exited normally")
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn render_check_passes_on_the_committed_tree() {
    let out = run(&["render", "--check"]);
    assert_eq!(
        code(&out),
        0,
        "generated/ has drifted from specs/lloom.toml:\n{}",
        stdout(&out)
    );
}

#[test]
fn render_check_shows_a_diff_after_a_generated_file_is_edited() {
    let dir = render_to_temp("specs/lloom.toml");
    let out_dir = dir.path().to_str().unwrap();
    let rules = dir.path().join("prometheus/rules/lloom-client-alerts.yml");
    let text = std::fs::read_to_string(&rules).unwrap();
    std::fs::write(&rules, text.replace("> 0.05", "> 0.5")).unwrap();
    let before = read_tree(dir.path());

    let out = run(&["render", "specs/lloom.toml", "--out", out_dir, "--check"]);
    assert_eq!(code(&out), 1);
    let diff = stdout(&out);
    assert!(
        diff.contains("--- a/prometheus/rules/lloom-client-alerts.yml"),
        "{diff}"
    );
    assert!(
        diff.lines()
            .any(|l| l.starts_with('-') && l.ends_with("> 0.5")),
        "{diff}"
    );
    assert!(
        diff.lines()
            .any(|l| l.starts_with('+') && l.ends_with("> 0.05")),
        "{diff}"
    );
    assert!(stderr(&out).contains("run `lloom-monctl render`"));
    assert_eq!(read_tree(dir.path()), before, "--check must write nothing");

    assert_eq!(
        code(&run(&["render", "specs/lloom.toml", "--out", out_dir])),
        0
    );
    assert_eq!(
        code(&run(&[
            "render",
            "specs/lloom.toml",
            "--out",
            out_dir,
            "--check"
        ])),
        0
    );
}

#[test]
fn render_check_shows_a_diff_after_the_spec_is_edited() {
    let dir = render_to_temp("specs/lloom.toml");
    let spec = dir.path().join("edited.toml");
    let text = std::fs::read_to_string(common::root().join("specs/lloom.toml")).unwrap();
    std::fs::write(
        &spec,
        text.replace(
            "hosts = [\"validator1\"]",
            "hosts = [\"validator1\", \"validator2\"]",
        ),
    )
    .unwrap();
    let out = run(&[
        "render",
        spec.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
        "--check",
    ]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).contains("+    - validator2:9093"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn render_check_reports_missing_and_stale_files() {
    let dir = render_to_temp("specs/lloom.toml");
    std::fs::remove_file(dir.path().join("METRICS.md")).unwrap();
    let out = run(&[
        "render",
        "tests/fixtures/valid/minimal.toml",
        "--out",
        dir.path().to_str().unwrap(),
        "--check",
    ]);
    assert_eq!(code(&out), 1);
    let diff = stdout(&out);
    assert!(diff.contains("--- /dev/null\n+++ b/METRICS.md"), "{diff}");
    assert!(
        diff.contains("--- a/prometheus/rules/lloom-validator-alerts.yml\n+++ /dev/null"),
        "{diff}"
    );
}

#[test]
fn a_second_render_writes_nothing_and_is_byte_identical() {
    let dir = render_to_temp("specs/lloom.toml");
    let first = read_tree(dir.path());
    let out = run(&[
        "render",
        "specs/lloom.toml",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0);
    assert!(stderr(&out).contains("0 written"), "{}", stderr(&out));
    assert_eq!(read_tree(dir.path()), first);
}

#[test]
fn stale_files_are_removed_and_hand_written_files_kept() {
    let dir = render_to_temp("specs/lloom.toml");
    let out_dir = dir.path().to_str().unwrap();
    std::fs::write(dir.path().join("NOTES.md"), "mine").unwrap();
    std::fs::write(
        dir.path().join("prometheus/rules/hand-written.yml"),
        "groups: []\n",
    )
    .unwrap();
    assert!(dir
        .path()
        .join("prometheus/rules/lloom-validator-alerts.yml")
        .exists());

    let out = run(&[
        "render",
        "tests/fixtures/valid/minimal.toml",
        "--out",
        out_dir,
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        !dir.path()
            .join("prometheus/rules/lloom-validator-alerts.yml")
            .exists(),
        "stale rule file removed"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("NOTES.md")).unwrap(),
        "mine"
    );
    assert!(
        dir.path()
            .join("prometheus/rules/hand-written.yml")
            .exists(),
        "files the tool did not write are kept"
    );
    assert_eq!(
        code(&run(&[
            "render",
            "tests/fixtures/valid/minimal.toml",
            "--out",
            out_dir,
            "--check"
        ])),
        0
    );
}

#[test]
fn a_manifest_pointing_outside_the_output_is_refused() {
    let dir = render_to_temp("tests/fixtures/valid/minimal.toml");
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "keep").unwrap();
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    std::fs::write(out_dir.join(".lloom-monctl-manifest"), "../victim.txt\n").unwrap();
    let out = run(&[
        "render",
        "tests/fixtures/valid/minimal.toml",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(stderr(&out).contains("outside the output directory"));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
}

#[test]
fn check_validates_without_writing() {
    // Run where `render` would write: `check` must leave the directory as it was.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("specs")).unwrap();
    std::fs::copy(
        common::root().join("specs/lloom.toml"),
        dir.path().join("specs/lloom.toml"),
    )
    .unwrap();
    let before = read_tree(dir.path());
    let out = common::bin()
        .current_dir(dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(read_tree(dir.path()), before, "check wrote something");
    let render = common::bin()
        .current_dir(dir.path())
        .arg("render")
        .output()
        .unwrap();
    assert_eq!(code(&render), 0);
    assert_ne!(
        read_tree(dir.path()),
        before,
        "the same call with `render` does write: the check above can fail"
    );
}

#[test]
fn exit_codes_follow_the_readme_table() {
    assert_eq!(code(&run(&["render", "--no-such-flag"])), 2, "usage error");
    assert_eq!(code(&run(&["frobnicate"])), 2, "unknown command");
    assert_eq!(code(&run(&["--help"])), 0);
    assert_eq!(
        code(&run(&["check", "specs/does-not-exist.toml"])),
        3,
        "unreadable spec"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let out = run(&[
        "render",
        "specs/lloom.toml",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(
        code(&out),
        3,
        "output directory is a file: {}",
        stderr(&out)
    );
}

#[test]
fn lint_errors_exit_1_at_the_expression_and_deny_warnings_makes_warnings_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let base = "[stack]\nname = \"t\"\nrunbook_base_url = \"https://r.example.org\"\n[roles.client]\nhosts = [\"c1\"]\n";
    let alert = |expr: &str| {
        format!("{base}[[alert]]\nname = \"T\"\nexpr = '{expr}'\nseverity = \"warning\"\nsummary = \"s\"\ndescription = \"d\"\n")
    };
    let error_spec = dir.path().join("error.toml");
    std::fs::write(
        &error_spec,
        alert("rate(lloom_client_active_requests[5m]) > 1"),
    )
    .unwrap();
    let out = run(&["check", error_spec.to_str().unwrap()]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("error.toml:8:14: error[lint/rate-on-gauge]"),
        "{}",
        stderr(&out)
    );
    let out_dir = dir.path().join("out");
    assert_eq!(
        code(&run(&[
            "render",
            error_spec.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap()
        ])),
        1
    );
    assert!(
        !out_dir.exists(),
        "nothing is written when lint finds errors"
    );

    let warning_spec = dir.path().join("warning.toml");
    std::fs::write(&warning_spec, alert("lloom_client_requests_total > 100")).unwrap();
    let out = run(&["check", warning_spec.to_str().unwrap()]);
    assert_eq!(code(&out), 0);
    assert!(
        stderr(&out).contains("warning[lint/counter-without-rate]"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        code(&run(&[
            "check",
            "--deny",
            "warnings",
            warning_spec.to_str().unwrap()
        ])),
        1
    );
}

#[test]
fn example_spec_lints_clean_with_deny_warnings() {
    let out = run(&["check", "--deny", "warnings", "specs/lloom.toml"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.starts_with("specs/lloom.toml: ok: ")
            && err.ends_with("; 0 warning(s)\n")
            && err.lines().count() == 1,
        "{err}"
    );
}

#[test]
fn render_check_with_json_keeps_stdout_one_json_array() {
    let dir = render_to_temp("specs/lloom.toml");
    let rules = dir.path().join("prometheus/rules/lloom-client-alerts.yml");
    let text = std::fs::read_to_string(&rules).unwrap();
    std::fs::write(&rules, text.replace("> 0.05", "> 0.5")).unwrap();
    let out = run(&[
        "render",
        "specs/lloom.toml",
        "--out",
        dir.path().to_str().unwrap(),
        "--check",
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), 1);
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stdout(&out)));
    assert_eq!(findings, serde_json::json!([]));
    assert!(stderr(&out).contains("--- a/prometheus/rules/lloom-client-alerts.yml"));
}
