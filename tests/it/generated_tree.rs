//! Snapshots of generated output: the reviewer's view of what a change does
//! to it. The example spec's whole tree; for each valid fixture, only the
//! files it is there to show (see `SHOWN`), so that a change to one file
//! rewrites the example's snapshot and those of the fixtures about that file,
//! not every fixture's.

use crate::common;

use common::compiled;
use lloom_monctl::output::with_manifest;

/// All files of a render as one document, each under a `=== path ===` header.
fn tree(spec: &str) -> String {
    let c = compiled(spec);
    let mut out = String::new();
    for a in with_manifest(&c.artifacts) {
        out.push_str(&format!("=== {} ===\n{}", a.path.display(), a.contents));
    }
    out
}

/// What each valid fixture is there to show (its header comment says what),
/// as the parts of its render that its snapshot holds, besides the manifest
/// (the list of files rendered): a file, every file under a directory
/// (`dir/`), or the section of a Markdown file under a `## ` heading
/// (`file#Heading`). The rest of each file is in the example's snapshot, and
/// every valid fixture's whole render passes the real tools and the checks of
/// `tests/it/` all the same.
const SHOWN: &[(&str, &[&str])] = &[
    (
        "alerting-tuned.toml",
        &[
            "alertmanager/alertmanager.yml",
            "alertmanager/route-tests.sh",
            "prometheus/rules/lloom-custom-alerts.yml",
            "prometheus/rules/slo-executor-latency.yml",
            "prometheus/rules/slo-request-success.yml",
            "prometheus/tests/slo-executor-latency.yml",
            "prometheus/tests/slo-request-success.yml",
        ],
    ),
    (
        "discovery-only.toml",
        &["prometheus/prometheus.yml", "README.md#Scrape jobs"],
    ),
    // The three inventories: compare these snapshots to see what the
    // hardware changes.
    (
        "gpu-none.toml",
        &[
            "prometheus/prometheus.yml",
            "README.md#GPU hardware",
            "grafana/dashboards/lloom/lloom-executor.svg",
        ],
    ),
    (
        "gpu-h100.toml",
        &[
            "prometheus/prometheus.yml",
            "prometheus/targets/gpu.json",
            "prometheus/rules/gpu-alerts.yml",
            "prometheus/tests/gpu-alerts.yml",
            "node-agent/docker-compose.gpu.yml",
            "README.md#GPU hardware",
            "grafana/dashboards/lloom/lloom-executor.svg",
        ],
    ),
    (
        "gpu-8xh100.toml",
        &[
            "prometheus/prometheus.yml",
            "prometheus/targets/gpu.json",
            "prometheus/rules/gpu-alerts.yml",
            "prometheus/tests/gpu-alerts.yml",
            "node-agent/docker-compose.gpu.yml",
            "README.md#GPU hardware",
            "grafana/dashboards/lloom/lloom-executor.svg",
        ],
    ),
    (
        "gpu-dcgm.toml",
        &[
            "prometheus/prometheus.yml",
            "prometheus/targets/gpu.json",
            "prometheus/rules/gpu-alerts.yml",
            "prometheus/tests/gpu-alerts.yml",
            "node-agent/docker-compose.gpu.yml",
            "README.md#GPU hardware",
            "grafana/dashboards/lloom/lloom-executor.json",
            "runbooks/GpuMemoryHigh.md",
            "runbooks/GpuMissing.md",
            "runbooks/GpuTemperatureHigh.md",
            "runbooks/GpuXidErrors.md",
        ],
    ),
    (
        "gpu-fleet.toml",
        &[
            "prometheus/targets/gpu.json",
            "prometheus/rules/gpu-alerts.yml",
            "prometheus/tests/gpu-alerts.yml",
            "node-agent/docker-compose.gpu.yml",
            "README.md#GPU hardware",
            "grafana/dashboards/lloom/lloom-executor.svg",
        ],
    ),
    (
        "logs-promtail.toml",
        &[
            "promtail/promtail.yml",
            "loki/loki.yml",
            "systemd/promtail.service",
            "systemd/loki.service",
            "docker-compose.yml",
            "node-agent/docker-compose.yml",
            "grafana/provisioning/datasources/lloom.yml",
        ],
    ),
    (
        "many-hosts.toml",
        &[
            "prometheus/prometheus.yml",
            "prometheus/rules/capacity-planning.yml",
            "prometheus/rules/fleet-efficiency.yml",
            "prometheus/rules/lloom-executor-alerts.yml",
            "prometheus/rules/lloom-validator-alerts.yml",
            "node-agent/docker-compose.gpu.yml",
            "runbooks/ExecutorBatchesTooSmall.md",
            "README.md#Alerts",
            "METRICS.md#Executor",
        ],
    ),
    (
        "minimal.toml",
        &[
            "README.md",
            "prometheus/prometheus.yml",
            "docker-compose.yml",
            "systemd/prometheus.service",
        ],
    ),
    (
        "tuned-pack.toml",
        &["prometheus/rules/", "prometheus/tests/", "README.md#Alerts"],
    ),
];

/// The manifest and the parts `shown` names of a render, as one document,
/// each under a `=== part ===` header. A part the render lacks is an error:
/// the fixture no longer shows what `SHOWN` says.
fn parts(spec: &str, shown: &[&str]) -> String {
    let c = compiled(spec);
    let files = with_manifest(&c.artifacts);
    let mut out = String::new();
    let manifest = files.last().unwrap();
    out.push_str(&format!(
        "=== {} ===\n{}",
        manifest.path.display(),
        manifest.contents
    ));
    for part in shown {
        let (path, heading) = match part.split_once('#') {
            Some((path, heading)) => (path, Some(heading)),
            None => (*part, None),
        };
        let matching: Vec<_> = files
            .iter()
            .filter(|a| match path.strip_suffix('/') {
                Some(dir) => a.path.starts_with(dir),
                None => a.path.to_str() == Some(path),
            })
            .collect();
        assert!(!matching.is_empty(), "{spec} renders no {path}");
        for a in matching {
            let text = match heading {
                Some(heading) => section(&a.contents, heading)
                    .unwrap_or_else(|| panic!("{spec}: {path} has no `## {heading}`")),
                None => &a.contents,
            };
            let name = a.path.display().to_string()
                + &heading.map(|h| format!("#{h}")).unwrap_or_default();
            out.push_str(&format!("=== {name} ===\n{text}"));
        }
    }
    out
}

/// The section of a Markdown text under `## heading`, up to the next `## `.
fn section<'a>(text: &'a str, heading: &str) -> Option<&'a str> {
    let start = text.find(&format!("\n## {heading}\n"))? + 1;
    let end = text[start + 3..]
        .find("\n## ")
        .map_or(text.len(), |i| start + 3 + i + 1);
    Some(&text[start..end])
}

#[test]
fn example_spec_tree() {
    insta::assert_snapshot!("example", tree("specs/lloom.toml"));
}

#[test]
fn valid_fixture_files() {
    insta::glob!("../fixtures/valid", "*.toml", |path| {
        let rel = path
            .strip_prefix(common::root())
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let name = path.file_name().unwrap().to_str().unwrap();
        let (_, shown) = SHOWN
            .iter()
            .find(|(fixture, _)| *fixture == name)
            .unwrap_or_else(|| panic!("say in SHOWN what {name} is there to show"));
        insta::assert_snapshot!(parts(&rel, shown));
    });
}

#[test]
fn rendering_is_deterministic() {
    for spec in common::valid_specs() {
        let a = &compiled(&spec).artifacts;
        let b = &common::compiled_fresh(&spec).artifacts;
        assert_eq!(a, b, "{spec} renders differently twice");
    }
}

#[test]
fn committed_generated_tree_matches_the_example_spec() {
    let c = compiled("specs/lloom.toml");
    let on_disk = common::read_tree(&common::root().join("generated"));
    for a in lloom_monctl::output::with_manifest(&c.artifacts) {
        let disk = on_disk
            .get(&a.path)
            .map(|b| String::from_utf8_lossy(b).into_owned());
        assert_eq!(
            disk.as_deref(),
            Some(a.contents.as_str()),
            "generated/{} is stale: run `lloom-monctl render`",
            a.path.display()
        );
    }
}

#[test]
fn rule_groups_follow_the_roles_present() {
    let minimal = compiled("tests/fixtures/valid/minimal.toml");
    let groups: Vec<&str> = minimal
        .model
        .groups
        .iter()
        .map(|g| g.name.as_str())
        .collect();
    assert!(groups.contains(&"lloom_client_alerts"));
    assert!(
        !groups
            .iter()
            .any(|g| g.contains("executor") || g.contains("validator")),
        "{groups:?}"
    );
}

#[test]
fn every_alert_has_severity_summary_description_and_runbook() {
    for spec in common::valid_specs() {
        let c = compiled(&spec);
        for g in &c.model.groups {
            for r in &g.rules {
                if let lloom_monctl::model::Rule::Alert(a) = r {
                    assert!(
                        a.labels.contains_key("severity"),
                        "{spec}: {} lacks severity",
                        a.name
                    );
                    for key in ["summary", "description", "runbook_url"] {
                        let v = a.annotations.get(key).map(String::as_str).unwrap_or("");
                        assert!(!v.is_empty(), "{spec}: {} lacks {key}", a.name);
                    }
                    let url = &a.annotations["runbook_url"];
                    assert!(
                        url.starts_with("http") && url.ends_with(&format!("/{}.md", a.name)),
                        "{url}"
                    );
                }
            }
        }
    }
}

#[test]
fn retention_is_on_the_command_line_not_in_prometheus_yml() {
    let c = compiled("specs/lloom.toml");
    let yml = &c
        .artifacts
        .iter()
        .find(|a| a.path.ends_with("prometheus.yml"))
        .unwrap()
        .contents;
    assert!(
        !yml.contains("retention"),
        "prometheus.yml has no retention keys"
    );
    let readme = &c
        .artifacts
        .iter()
        .find(|a| a.path.ends_with("README.md"))
        .unwrap()
        .contents;
    assert!(readme.contains("--storage.tsdb.retention.time=30d"));
    assert!(readme.contains("--storage.tsdb.retention.size=100GB"));
}
