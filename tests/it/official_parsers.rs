//! What no server here can load, read by its own project's code: every
//! rendered `alloy/config.alloy` by Alloy's parser (`github.com/grafana/alloy/syntax`),
//! every rendered dashboard decoded strictly by the Go types of the Grafana
//! Foundation SDK, panels and Prometheus queries included, then its
//! validation (`alloy-parse` and `dashboard-decode`, small checkers that
//! `tools/reference/build` builds from `tools/reference/checkers`). Both can
//! fail: a broken file is refused.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Files under `dir` whose name ends with `suffix`, recursively.
fn files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    common::read_tree(dir)
        .into_keys()
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .map(|p| dir.join(p))
        .collect()
}

/// Runs a checker on `paths`; its output, and whether it passed.
fn check(checker: &str, paths: &[PathBuf]) -> (bool, String) {
    let out = Command::new(common::reference_tool(checker))
        .args(paths)
        .output()
        .unwrap_or_else(|e| panic!("{checker}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// The rendered trees: every valid spec's, and the committed one.
fn trees() -> Vec<(String, PathBuf)> {
    let mut trees: Vec<(String, PathBuf)> = common::valid_specs()
        .into_iter()
        .map(|s| {
            let dir = common::rendered(&s).path().to_path_buf();
            (s, dir)
        })
        .collect();
    trees.push(("generated/".into(), common::root().join("generated")));
    trees
}

#[test]
fn alloys_parser_reads_every_rendered_alloy_file() {
    let mut seen = 0;
    for (spec, dir) in trees() {
        let alloy = files(&dir, ".alloy");
        if alloy.is_empty() {
            continue;
        }
        seen += alloy.len();
        let (ok, text) = check("alloy-parse", &alloy);
        assert!(ok, "{spec}: Alloy's parser refuses it:\n{text}");
    }
    assert!(seen >= 2, "the example and a fixture render Alloy: {seen}");
}

#[test]
fn the_foundation_sdk_decodes_every_rendered_dashboard() {
    for (spec, dir) in trees() {
        let boards = files(&dir.join("grafana/dashboards"), ".json");
        assert!(!boards.is_empty(), "{spec}: no dashboard");
        let (ok, text) = check("dashboard-decode", &boards);
        assert!(ok, "{spec}: the Grafana Foundation SDK refuses it:\n{text}");
        assert_eq!(text.lines().count(), boards.len(), "{text}");
    }
}

#[test]
fn both_checkers_refuse_a_broken_file() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = common::rendered("specs/lloom.toml");
    let alloy = std::fs::read_to_string(dir.path().join("alloy/config.alloy")).unwrap();
    let broken = scratch.path().join("config.alloy");
    // A block left open, as a hand edit might.
    std::fs::write(&broken, alloy.replacen('}', "", 1)).unwrap();
    let (ok, text) = check("alloy-parse", &[broken]);
    assert!(!ok, "{text}");

    let board = files(&dir.path().join("grafana/dashboards"), ".json").remove(0);
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&board).unwrap()).unwrap();
    json["panels"][1]["options"]["legendd"] = serde_json::json!({});
    json["panels"][1]["targets"][0]["exprr"] = serde_json::json!("up");
    let broken = scratch.path().join("board.json");
    std::fs::write(&broken, json.to_string()).unwrap();
    let (ok, text) = check("dashboard-decode", &[broken]);
    assert!(!ok, "{text}");
    assert!(text.contains("unexpected field 'exprr'"), "{text}");
}
