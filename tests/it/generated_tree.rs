//! Snapshots of whole generated trees: the reviewer's view of what a spec
//! change does to the output.

use crate::common;

use common::compiled;

/// All files of a render as one document, each under a `=== path ===` header.
fn tree(spec: &str) -> String {
    let c = compiled(spec);
    let mut out = String::new();
    for a in lloom_monctl::output::with_manifest(&c.artifacts) {
        out.push_str(&format!("=== {} ===\n{}", a.path.display(), a.contents));
    }
    out
}

#[test]
fn example_spec_tree() {
    insta::assert_snapshot!("example", tree("specs/lloom.toml"));
}

#[test]
fn valid_fixture_trees() {
    insta::glob!("../fixtures/valid", "*.toml", |path| {
        let rel = path
            .strip_prefix(common::root())
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        insta::assert_snapshot!(tree(&rel));
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
