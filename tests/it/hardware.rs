//! `[hardware]`: the inventories `discover` writes fit the GPU targets,
//! alerts, rule tests, dashboard and node agent to what each host has, and a
//! changed inventory is drift that `render --check` catches.

use crate::common;

use common::{compiled, run};
use lloom_monctl::model::{self, Rule};
use std::path::Path;

fn gpu_targets(spec: &str) -> Vec<String> {
    let c = compiled(spec);
    model::known_targets(&c.model.jobs, model::GPU_JOB)
        .map(String::from)
        .collect()
}

fn paths(spec: &str) -> Vec<String> {
    compiled(spec)
        .artifacts
        .iter()
        .map(|a| a.path.display().to_string())
        .collect()
}

#[test]
fn the_gpu_job_scrapes_exactly_the_hosts_whose_inventory_lists_gpus() {
    assert_eq!(
        gpu_targets("tests/fixtures/valid/gpu-fleet.toml"),
        ["executor1:9835", "executor2:9835", "executor3:9835"]
    );
    // client1 is listed in `[exporters.gpu] hosts`, but its inventory has no GPU.
    assert_eq!(
        gpu_targets("tests/fixtures/valid/gpu-dcgm.toml"),
        ["executor1:9400"]
    );
    assert!(gpu_targets("tests/fixtures/valid/gpu-none.toml").is_empty());
    // The example: executor2 has an inventory with a GPU, so it is scraped too.
    assert_eq!(
        gpu_targets("specs/lloom.toml"),
        ["executor1:9835", "executor2:9835"]
    );
}

#[test]
fn a_host_without_gpus_gets_no_gpu_rules_dashboard_or_exporter() {
    let files = paths("tests/fixtures/valid/gpu-none.toml");
    for absent in [
        "prometheus/rules/gpu-alerts.yml",
        "prometheus/tests/gpu-alerts.yml",
        "prometheus/targets/gpu.json",
        "node-agent/docker-compose.gpu.yml",
        "runbooks/GpuMissing.md",
    ] {
        assert!(!files.iter().any(|f| f == absent), "{absent} rendered");
    }
    let files = paths("tests/fixtures/valid/gpu-fleet.toml");
    for present in [
        "prometheus/rules/gpu-alerts.yml",
        "prometheus/tests/gpu-alerts.yml",
        "prometheus/targets/gpu.json",
        "node-agent/docker-compose.gpu.yml",
        "runbooks/GpuMissing.md",
    ] {
        assert!(files.iter().any(|f| f == present), "{present} missing");
    }
}

#[test]
fn each_gpu_host_expects_the_count_its_inventory_lists() {
    let c = compiled("tests/fixtures/valid/gpu-fleet.toml");
    let group = c
        .model
        .groups
        .iter()
        .find(|g| g.name == "gpu_alerts")
        .unwrap();
    let expected: Vec<(String, String, String)> = group
        .rules
        .iter()
        .filter_map(|r| match r {
            Rule::Record(rec) if rec.name == "lloom:gpu:expected_count" => Some((
                rec.labels["instance"].clone(),
                rec.expr.text.clone(),
                rec.labels["gpus"].clone(),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(
        expected,
        [
            (
                "executor1".into(),
                "vector(8)".into(),
                "8 × NVIDIA H100 80GB HBM3".into()
            ),
            (
                "executor2".into(),
                "vector(1)".into(),
                "1 × NVIDIA H100 80GB HBM3".into()
            ),
            (
                "executor3".into(),
                "vector(2)".into(),
                "NVIDIA A100-SXM4-80GB + NVIDIA GeForce RTX 4090".into()
            ),
        ]
    );
    // Per GPU (8 + 1 + 2) the mapping of the exporter's uuid to Lloom's device,
    // in the exporter's spelling: lower case, without nvidia-smi's `GPU-`.
    let info: Vec<(&str, &str)> = group
        .rules
        .iter()
        .filter_map(|r| match r {
            Rule::Record(rec) if rec.name == "lloom:gpu:info" => {
                Some((rec.labels["uuid"].as_str(), rec.labels["device"].as_str()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(info.len(), 11);
    assert_eq!(info[0], ("a1b2c3d4-1e2f-4a5b-9c8d-0e1f2a3b4c50", "0"));
}

#[test]
fn every_gpu_alert_fires_once_and_stays_quiet_once() {
    for spec in [
        "tests/fixtures/valid/gpu-fleet.toml",
        "tests/fixtures/valid/gpu-dcgm.toml",
        "specs/lloom.toml",
    ] {
        let c = compiled(spec);
        let file = c
            .model
            .tests
            .iter()
            .find(|f| f.group == "gpu_alerts")
            .unwrap();
        for alert in ["GpuMemoryHigh", "GpuTemperatureHigh", "GpuXidErrors"] {
            let checks: Vec<_> = file
                .cases
                .iter()
                .flat_map(|c| &c.alerts)
                .filter(|a| a.alert == alert)
                .collect();
            let firing = checks.iter().filter(|c| !c.expect.is_empty()).count();
            assert_eq!((firing, checks.len() - firing), (1, 1), "{spec}: {alert}");
        }
        let missing: Vec<_> = file
            .cases
            .iter()
            .filter(|c| c.alerts.iter().any(|a| a.alert == "GpuMissing"))
            .map(|c| c.name.clone())
            .collect();
        assert_eq!(missing.len(), 3, "{spec}: {missing:?}");
    }
}

#[test]
fn the_executor_dashboard_has_a_row_per_gpu_host_titled_with_its_hardware() {
    let c = compiled("tests/fixtures/valid/gpu-fleet.toml");
    assert!(!c.model.dashboards.iter().any(|d| d.uid == "lloom-gpus"));
    let d = c
        .model
        .dashboards
        .iter()
        .find(|d| d.uid == "lloom-executor")
        .unwrap();
    let rows: Vec<&str> = d
        .panels
        .iter()
        .filter(|p| p.kind == "row")
        .map(|p| p.title.as_str())
        .collect();
    assert_eq!(
        rows[rows.len() - 3..],
        [
            "executor1 (8 × NVIDIA H100 80GB HBM3)",
            "executor2 (1 × NVIDIA H100 80GB HBM3)",
            "executor3 (NVIDIA A100-SXM4-80GB + NVIDIA GeForce RTX 4090)",
        ]
    );
    // The power axis ends at the inventory's power limit.
    let power = d.panels.iter().find(|p| p.title == "Power").unwrap();
    assert_eq!(power.max, Some(700.0));
    // Lloom's own per-device memory is joined to the exporter's through the inventory.
    let outside = d
        .panels
        .iter()
        .find(|p| p.title == "Memory outside Lloom")
        .unwrap();
    assert!(outside.queries[0].expr.text.contains("lloom:gpu:info"));
    // Panels do not overlap, and ids follow the order.
    for (i, a) in d.panels.iter().enumerate() {
        assert_eq!(a.id as usize, i + 1);
        for b in &d.panels[i + 1..] {
            assert!(
                !a.grid.overlaps(&b.grid),
                "{} and {} overlap",
                a.title,
                b.title
            );
        }
    }
}

#[test]
fn gpu_hosts_without_executors_get_a_gpus_dashboard_of_their_own() {
    let dir = workspace(
        r#"
[stack]
name = "t"
runbook_base_url = "https://runbooks.example.org"

[roles.validator]
hosts = ["executor1"]

[exporters.gpu]
hosts = ["executor1"]

[hardware]
inventory = ["inventory/*.toml"]
"#,
        &[("executor1.toml", "tests/fixtures/inventory/8xh100.toml")],
    );
    let spec = path(dir.path(), "spec.toml");
    let out_dir = path(dir.path(), "out");
    let out = run(&["render", &spec, "--out", &out_dir]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = std::fs::read_to_string(
        dir.path()
            .join("out/grafana/dashboards/lloom/lloom-gpus.json"),
    )
    .unwrap();
    assert!(json.contains("executor1 (8 × NVIDIA H100 80GB HBM3)"));
    // No executor metrics to join: no "Memory outside Lloom" and no mapping records.
    assert!(!json.contains("Memory outside Lloom"));
    let rules =
        std::fs::read_to_string(dir.path().join("out/prometheus/rules/gpu-alerts.yml")).unwrap();
    assert!(!rules.contains("lloom:gpu:info"));
}

#[test]
fn the_gpu_target_file_labels_each_host_with_its_gpus() {
    let c = compiled("tests/fixtures/valid/gpu-fleet.toml");
    let file = c
        .artifacts
        .iter()
        .find(|a| a.path == Path::new("prometheus/targets/gpu.json"))
        .unwrap();
    let groups: serde_json::Value = serde_json::from_str(&file.contents).unwrap();
    assert_eq!(
        groups[2],
        serde_json::json!({
            "targets": ["executor3:9835"],
            "labels": { "gpu_count": "2", "gpu_model": "NVIDIA A100-SXM4-80GB, NVIDIA GeForce RTX 4090" }
        })
    );
    let yml = c
        .artifacts
        .iter()
        .find(|a| a.path == Path::new("prometheus/prometheus.yml"))
        .unwrap();
    assert!(yml
        .contents
        .contains("  file_sd_configs:\n  - files:\n    - targets/gpu.json\n"));
}

/// A spec in a temporary directory, with inventories beside it.
fn workspace(spec: &str, inventories: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("spec.toml"), spec).unwrap();
    std::fs::create_dir(dir.path().join("inventory")).unwrap();
    for (name, from) in inventories {
        std::fs::copy(
            common::root().join(from),
            dir.path().join("inventory").join(name),
        )
        .unwrap();
    }
    dir
}

const FLEET: &str = r#"
[stack]
name = "t"
runbook_base_url = "https://runbooks.example.org"

[roles.executor]
hosts = ["executor1", "executor2"]

[exporters.gpu]

[hardware]
inventory = ["inventory/*.toml"]
"#;

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).to_str().unwrap().to_string()
}

#[test]
fn missing_and_unknown_inventories_are_located_warnings() {
    // executor2 has no inventory; client1's names a host the spec lacks.
    let dir = workspace(
        FLEET,
        &[
            ("executor1.toml", "tests/fixtures/inventory/8xh100.toml"),
            ("client1.toml", "tests/fixtures/inventory/none.toml"),
        ],
    );
    let spec = path(dir.path(), "spec.toml");
    let out = run(&["check", &spec]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(&format!("{spec}:7:23: warning[spec/inventory-missing]: `executor2` is scraped for GPUs, but no inventory describes it")),
        "{err}"
    );
    assert!(
        err.contains("lloom-monctl discover --output inventory/executor2.toml"),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{spec}:12:14: warning[spec/inventory-host-unknown]"
        )),
        "{err}"
    );
    // And with --deny warnings they fail.
    let out = run(&["check", "--deny", "warnings", &spec]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn an_invalid_inventory_is_reported_in_its_own_file_and_nothing_is_written() {
    let dir = workspace(
        FLEET,
        &[
            ("executor1.toml", "tests/fixtures/inventory/8xh100.toml"),
            (
                "executor2.toml",
                "tests/fixtures/inventory/invalid/duplicate-index.toml",
            ),
        ],
    );
    let spec = path(dir.path(), "spec.toml");
    let out_dir = path(dir.path(), "out");
    let out = run(&["render", &spec, "--out", &out_dir]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let inventory = path(dir.path(), "inventory/executor2.toml");
    assert!(
        err.contains(&format!("{inventory}:16:9: error[inventory/invalid]")),
        "{err}"
    );
    assert!(!dir.path().join("out").exists(), "nothing is written");
}

/// One run shows everything: the spec's own errors are not hidden behind an
/// invalid inventory.
#[test]
fn an_invalid_inventory_and_spec_errors_are_reported_together() {
    let spec_text = FLEET.replacen("[stack]\n", "[stack]\nscrape_intervall = \"15s\"\n", 1);
    let dir = workspace(
        &spec_text,
        &[
            ("executor1.toml", "tests/fixtures/inventory/8xh100.toml"),
            (
                "executor2.toml",
                "tests/fixtures/inventory/invalid/duplicate-index.toml",
            ),
        ],
    );
    let spec = path(dir.path(), "spec.toml");
    let out = run(&["check", &spec]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("error[spec/unknown-key]"), "{err}");
    assert!(err.contains("error[inventory/invalid]"), "{err}");
}

/// With `instance_label = "address"` the expected counts carry the address
/// the exporter is scraped at, its own port included, or `GpuMissing` would
/// compare series that never meet and fire forever.
#[test]
fn address_mode_expects_gpus_at_the_scraped_address() {
    let spec_text = r#"
[stack]
name = "t"
runbook_base_url = "https://runbooks.example.org"
instance_label = "address"

[roles.executor]
hosts = ["executor2"]

[exporters.gpu]
hosts = ["executor2:9999"]

[hardware]
inventory = ["inventory/*.toml"]
"#;
    let dir = workspace(
        spec_text,
        &[("executor2.toml", "tests/fixtures/inventory/h100.toml")],
    );
    let spec = dir.path().join("spec.toml");
    let inventories = lloom_monctl::inputs::inventories(&spec, spec_text).unwrap();
    let Ok(c) = lloom_monctl::pipeline::compile_with(spec_text, inventories) else {
        panic!("the spec compiles");
    };
    assert_eq!(
        model::known_targets(&c.model.jobs, model::GPU_JOB).collect::<Vec<_>>(),
        ["executor2:9999"]
    );
    let instances: Vec<&str> = c
        .model
        .groups
        .iter()
        .flat_map(|g| &g.rules)
        .filter_map(|r| match r {
            Rule::Record(rec) if rec.name == "lloom:gpu:expected_count" => {
                Some(rec.labels["instance"].as_str())
            }
            _ => None,
        })
        .collect();
    assert_eq!(instances, ["executor2:9999"]);
}

#[test]
fn a_changed_inventory_is_drift() {
    let dir = workspace(
        FLEET,
        &[
            ("executor1.toml", "tests/fixtures/inventory/8xh100.toml"),
            ("executor2.toml", "tests/fixtures/inventory/h100.toml"),
        ],
    );
    let spec = path(dir.path(), "spec.toml");
    let out_dir = path(dir.path(), "out");
    assert!(run(&["render", &spec, "--out", &out_dir]).status.success());
    assert!(run(&["render", "--check", &spec, "--out", &out_dir])
        .status
        .success());
    // executor2 is now the 8-GPU host: the expected counts change.
    std::fs::copy(
        common::root().join("tests/fixtures/inventory/8xh100.toml"),
        dir.path().join("inventory/executor2.toml"),
    )
    .unwrap();
    let text = std::fs::read_to_string(dir.path().join("inventory/executor2.toml"))
        .unwrap()
        .replace("host = \"executor1\"", "host = \"executor2\"");
    std::fs::write(dir.path().join("inventory/executor2.toml"), text).unwrap();
    let out = run(&["render", "--check", &spec, "--out", &out_dir]);
    let diff = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{diff}");
    assert!(diff.contains("prometheus/rules/gpu-alerts.yml"), "{diff}");
    assert!(diff.contains("+    expr: vector(8)"), "{diff}");
}
