//! The rendered Grafana dashboards and provisioning, for every valid spec:
//! panels never overlap and stay on the 24-column grid, every query panel has
//! a target whose PromQL parses (and, as `check --deny warnings` proves, lints
//! clean), every `$variable` used is defined, every datasource uid resolves
//! to a provisioned datasource, and each dashboard has its layout picture.
//! A spec without executors gets no executor or GPU panel.

use crate::common;

use common::{read_tree, rendered, run};
use lloom_monctl::model::core::grafana_vars;
use lloom_monctl::model::Duration;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every dashboard JSON of a rendered tree, by path.
fn dashboards(tree: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<(PathBuf, Value)> {
    tree.iter()
        .filter(|(p, _)| {
            p.starts_with("grafana/dashboards") && p.extension().is_some_and(|e| e == "json")
        })
        .map(|(p, b)| {
            (
                p.clone(),
                serde_json::from_slice(b).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
            )
        })
        .collect()
}

fn provisioned_uids(tree: &BTreeMap<PathBuf, Vec<u8>>) -> BTreeSet<String> {
    let text =
        String::from_utf8_lossy(&tree[Path::new("grafana/provisioning/datasources/lloom.yml")])
            .into_owned();
    let doc: Value = serde_saphyr::from_str(&text).unwrap();
    doc["datasources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["uid"].as_str().unwrap().to_string())
        .collect()
}

fn grid(p: &Value) -> (u64, u64, u64, u64) {
    let g = &p["gridPos"];
    let n = |k: &str| {
        g[k].as_u64()
            .unwrap_or_else(|| panic!("gridPos.{k} of {}", p["title"]))
    };
    (n("x"), n("y"), n("w"), n("h"))
}

#[test]
fn every_dashboard_of_every_valid_spec_is_sound() {
    for spec in common::valid_specs() {
        let check = run(&["check", "--deny", "warnings", &spec]);
        assert_eq!(
            check.status.code(),
            Some(0),
            "{spec}: every panel query lints clean:\n{}",
            String::from_utf8_lossy(&check.stderr)
        );
        let dir = rendered(&spec);
        let tree = read_tree(dir.path());
        let uids = provisioned_uids(&tree);
        let boards = dashboards(&tree);
        assert!(!boards.is_empty(), "{spec} renders dashboards");
        let mut seen_uids = BTreeSet::new();
        for (path, d) in &boards {
            let at = format!("{spec}: {}", path.display());
            assert!(
                seen_uids.insert(d["uid"].as_str().unwrap().to_string()),
                "{at}: duplicate uid"
            );
            assert!(
                tree.contains_key(&path.with_extension("svg")),
                "{at}: no layout picture next to it"
            );
            let vars: BTreeMap<String, &Value> = d["templating"]["list"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| (v["name"].as_str().unwrap().to_string(), v))
                .collect();
            let resolve = |uid: &str| -> String {
                match uid.strip_prefix("${").and_then(|u| u.strip_suffix('}')) {
                    Some(var) => vars[var]["current"]["value"].as_str().unwrap().to_string(),
                    None => uid.to_string(),
                }
            };
            let panels = d["panels"].as_array().unwrap();
            let mut ids = BTreeSet::new();
            for (i, p) in panels.iter().enumerate() {
                let (x, _, w, h) = grid(p);
                assert!(
                    w > 0 && h > 0 && x + w <= 24,
                    "{at}: panel {} off the grid",
                    p["title"]
                );
                assert!(
                    ids.insert(p["id"].as_u64().unwrap()),
                    "{at}: duplicate panel id"
                );
                for q in &panels[i + 1..] {
                    let (a, b) = (grid(p), grid(q));
                    let overlap =
                        a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3;
                    assert!(!overlap, "{at}: {} overlaps {}", p["title"], q["title"]);
                }
                if p["type"] == "row" {
                    continue;
                }
                let targets = p["targets"].as_array().unwrap();
                assert!(
                    !targets.is_empty(),
                    "{at}: panel {} has no target",
                    p["title"]
                );
                let mut sources = vec![p["datasource"]["uid"].as_str().unwrap()];
                for t in targets {
                    sources.push(t["datasource"]["uid"].as_str().unwrap());
                    let expr = t["expr"].as_str().unwrap();
                    let substituted = grafana_vars::substitute(expr, Duration::secs(15));
                    promql_parser::parser::parse(&substituted)
                        .unwrap_or_else(|e| panic!("{at}: {expr}: {e}"));
                    for text in [expr, t["legendFormat"].as_str().unwrap()] {
                        for v in grafana_vars::references(text) {
                            assert!(
                                vars.contains_key(&v),
                                "{at}: panel {} uses ${v}, which is not defined",
                                p["title"]
                            );
                        }
                    }
                }
                for uid in sources {
                    assert!(
                        uids.contains(&resolve(uid)),
                        "{at}: datasource {uid} is not provisioned ({uids:?})"
                    );
                }
            }
            for v in vars.values() {
                if let Some(uid) = v["datasource"]["uid"].as_str() {
                    assert!(
                        uids.contains(&resolve(uid)),
                        "{at}: variable datasource {uid}"
                    );
                }
                if let Some(q) = v["query"].as_str().filter(|_| v["type"] == "query") {
                    for r in grafana_vars::references(q) {
                        assert!(vars.contains_key(&r), "{at}: variable query uses ${r}");
                    }
                }
            }
        }
        // One provider per folder, each reading the folder's directory.
        let providers =
            String::from_utf8_lossy(&tree[Path::new("grafana/provisioning/dashboards/lloom.yml")])
                .into_owned();
        for (path, _) in &boards {
            let folder = path
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_str()
                .unwrap();
            assert!(
                providers.contains(&format!("/var/lib/grafana/dashboards/{folder}")),
                "{spec}: no provider reads {folder}"
            );
        }
    }
}

#[test]
fn a_spec_without_executors_has_no_executor_or_gpu_panel() {
    let dir = rendered("tests/fixtures/valid/minimal.toml");
    let tree = read_tree(dir.path());
    let boards = dashboards(&tree);
    assert!(
        boards
            .iter()
            .all(|(p, _)| !p.ends_with("lloom-executor.json")),
        "no Executor Performance dashboard"
    );
    for (path, d) in &boards {
        for p in d["panels"].as_array().unwrap() {
            let queries = p["targets"].to_string();
            let title = p["title"].as_str().unwrap();
            let about_executors = queries.contains("lloom_executor_")
                || queries.contains("gpu")
                || title.contains("GPU");
            assert!(
                !about_executors,
                "{}: panel {title} is about executors",
                path.display()
            );
        }
    }
    // The example, with executors, has both.
    let example = read_tree(rendered("specs/lloom.toml").path());
    let exec = &example[Path::new("grafana/dashboards/lloom/lloom-executor.json")];
    assert!(String::from_utf8_lossy(exec).contains("GPU utilization"));
}

#[test]
fn the_slo_dashboard_reads_each_slos_recorded_series() {
    let example = read_tree(rendered("specs/lloom.toml").path());
    let slos: Value =
        serde_json::from_slice(&example[Path::new("grafana/dashboards/lloom/lloom-slos.json")])
            .unwrap();
    let text = slos.to_string();
    for slo in ["request-success", "request-latency", "availability"] {
        for series in [
            "slo:error_budget:remaining",
            "slo:error_budget:burn_rate",
            "slo:sli_error:ratio_rate30d",
        ] {
            assert!(
                text.contains(&format!("{series}{{slo=\\\"{slo}\\\"}}")),
                "{slo}: {series}"
            );
        }
    }
    // Without SLOs, no SLO dashboard.
    let minimal = read_tree(rendered("tests/fixtures/valid/minimal.toml").path());
    assert!(!minimal.contains_key(Path::new("grafana/dashboards/lloom/lloom-slos.json")));
}
