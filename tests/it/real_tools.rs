//! The generated files pass the real tools: promtool (config and rules, with
//! lint fatal) at the version the stack deploys (3.5.0, built by
//! `tools/reference/build`) and Debian's 2.42 as the floor for manual
//! installs, the published schemas, and a strict read back into the typed
//! model. A missing tool fails the suite; `.ci/test` installs and builds them.

use crate::common;

use lloom_monctl::render::prometheus::config::PrometheusConfig;
use lloom_monctl::render::prometheus::rule_file::RuleFile;
use std::path::Path;
use std::process::Command;

/// Debian's promtool 2.42: the floor for manual installs.
fn floor_promtool() -> std::path::PathBuf {
    common::require_tool("promtool", "apt-get install -y prometheus")
}

/// promtool 3.5.0, the version of the stack's Prometheus image.
fn promtool() -> std::path::PathBuf {
    common::reference_tool("promtool")
}

fn assert_ok(cmd: &mut Command, what: &str) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn rule_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir.join("prometheus/rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn promtool_accepts_rules_with_lint_fatal() {
    for promtool in [promtool(), floor_promtool()] {
        for spec in common::valid_specs() {
            let dir = common::rendered(&spec);
            assert_ok(
                Command::new(&promtool)
                    .args(["check", "rules", "--lint=all", "--lint-fatal"])
                    .args(rule_files(dir.path())),
                &format!("{} check rules for {spec}", promtool.display()),
            );
        }
    }
}

/// The pinned promtool reads the whole configuration, Kubernetes and Consul
/// jobs included, with the rule files it names.
#[test]
fn pinned_promtool_accepts_the_whole_config() {
    let promtool = promtool();
    for spec in common::valid_specs() {
        let dir = common::rendered(&spec);
        assert_ok(
            Command::new(&promtool)
                .args(["check", "config", "--lint=all", "--lint-fatal"])
                .arg(dir.path().join("prometheus/prometheus.yml")),
            &format!("promtool 3 check config for {spec}"),
        );
    }
    assert_ok(
        Command::new(&promtool)
            .args(["check", "config", "--lint=all", "--lint-fatal"])
            .arg(common::root().join("generated/prometheus/prometheus.yml")),
        "promtool 3 check config for generated/",
    );
}

/// Debian's promtool 2.42 is built without Kubernetes and Consul discovery:
/// it checks a copy without those jobs (the pinned promtool reads them all).
#[test]
fn floor_promtool_accepts_config_without_unsupported_discovery() {
    let promtool = floor_promtool();
    for spec in common::valid_specs() {
        let dir = common::render_to_temp(&spec);
        let path = dir.path().join("prometheus/prometheus.yml");
        let text = std::fs::read_to_string(&path).unwrap();
        let mut config: PrometheusConfig = serde_saphyr::from_str(&text).unwrap();
        config
            .scrape_configs
            .retain(|s| s.kubernetes_sd_configs.is_empty() && s.consul_sd_configs.is_empty());
        std::fs::write(&path, serde_saphyr::to_string(&config).unwrap()).unwrap();
        assert_ok(
            Command::new(&promtool).args(["check", "config"]).arg(&path),
            &format!("promtool 2 check config for {spec}"),
        );
    }
}

#[test]
fn generated_files_read_back_into_the_typed_model() {
    for spec in common::valid_specs() {
        let compiled = common::compiled(&spec);
        let expected = lloom_monctl::render::prometheus::config::config(&compiled.model);
        let dir = common::rendered(&spec);
        let yml = std::fs::read_to_string(dir.path().join("prometheus/prometheus.yml")).unwrap();
        let parsed: PrometheusConfig =
            serde_saphyr::from_str(&yml).unwrap_or_else(|e| panic!("{spec}: {e}"));
        assert_eq!(
            parsed, expected,
            "{spec}: prometheus.yml does not read back as written"
        );
        assert_eq!(
            rule_files(dir.path()).len(),
            compiled.model.groups.len(),
            "{spec}: one rule file per group"
        );
        for group in &compiled.model.groups {
            let path = dir
                .path()
                .join(format!("prometheus/rules/{}.yml", group.file_stem()));
            let parsed: RuleFile =
                serde_saphyr::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            assert_eq!(
                parsed,
                lloom_monctl::render::prometheus::rule_file::rule_file(group),
                "{spec}: {}",
                path.display()
            );
        }
    }
}

#[test]
fn discovery_jobs_have_the_shape_prometheus_3_expects() {
    let dir = common::rendered("tests/fixtures/valid/discovery-only.toml");
    let yml = std::fs::read_to_string(dir.path().join("prometheus/prometheus.yml")).unwrap();
    let config: PrometheusConfig = serde_saphyr::from_str(&yml).unwrap();
    let k8s = config
        .scrape_configs
        .iter()
        .find(|s| !s.kubernetes_sd_configs.is_empty())
        .unwrap();
    assert_eq!(k8s.kubernetes_sd_configs[0].role, "pod");
    // The guide's address rule lists only the port annotation, so its regex never matched.
    let addr = k8s
        .relabel_configs
        .iter()
        .find(|r| r.target_label.as_deref() == Some("__address__"))
        .unwrap();
    assert_eq!(
        addr.source_labels,
        [
            "__address__",
            "__meta_kubernetes_pod_annotation_prometheus_io_port"
        ]
    );
    let re = regex::Regex::new(&format!("^(?:{})$", addr.regex.as_deref().unwrap())).unwrap();
    assert_eq!(
        re.replace("10.0.0.7:8080;9092", addr.replacement.as_deref().unwrap()),
        "10.0.0.7:9092"
    );
    let consul = config
        .scrape_configs
        .iter()
        .find(|s| !s.consul_sd_configs.is_empty())
        .unwrap();
    let auth = consul.consul_sd_configs[0].authorization.as_ref().unwrap();
    assert_eq!(
        auth.credentials_file, "/run/secrets/consul_token",
        "the token is read from a file, never inlined"
    );
}

#[test]
fn published_schemas_accept_the_generated_tree() {
    let tool = common::root().join("../shared/tools/validate-generated");
    assert!(
        tool.is_file(),
        "{} is missing: the suite runs with ../shared beside the repo",
        tool.display()
    );
    for spec in common::valid_specs() {
        let dir = common::rendered(&spec);
        assert_ok(
            Command::new("python3").arg(&tool).arg(dir.path()),
            &format!("validate-generated for {spec}"),
        );
    }
    assert_ok(
        Command::new("python3")
            .arg(&tool)
            .arg(common::root().join("generated")),
        "validate-generated generated",
    );
}

/// The reference tools are the versions the rendered compose file deploys:
/// what the suite proves is what the operators run.
#[test]
fn pinned_tools_are_the_versions_the_stack_deploys() {
    use lloom_monctl::model::deploy::{ALERTMANAGER_IMAGE, PROMETHEUS_IMAGE};
    let tag = |image: &str| image.rsplit_once(":v").unwrap().1.to_string();
    for (tool, image) in [
        ("promtool", PROMETHEUS_IMAGE),
        ("prometheus", PROMETHEUS_IMAGE),
        ("amtool", ALERTMANAGER_IMAGE),
        ("alertmanager", ALERTMANAGER_IMAGE),
    ] {
        let out = Command::new(common::reference_tool(tool))
            .arg("--version")
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            text.contains(&format!("version {} ", tag(image))),
            "{tool} is not the version of {image}: {text}"
        );
    }
    let compose =
        std::fs::read_to_string(common::root().join("generated/docker-compose.yml")).unwrap();
    assert!(compose.contains(PROMETHEUS_IMAGE) && compose.contains(ALERTMANAGER_IMAGE));
}
