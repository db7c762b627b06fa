//! Runbook pages: one per alert whose `runbook_url` lloom-monctl generates,
//! reachable from the URL and the index, with the alerts' Go templates as
//! written and diagnostic queries that the lint has checked.

use crate::common;

use lloom_monctl::model::Rule;
use lloom_monctl::pipeline::{compile, Compiled, Failure};
use std::collections::BTreeMap;

fn compiled(text: &str) -> Compiled {
    match compile(text) {
        Ok(c) => c,
        Err(Failure::Invalid(f) | Failure::Lint(f)) => panic!("does not compile: {f:#?}"),
        Err(Failure::Render(e)) => panic!("does not render: {e}"),
        Err(Failure::Inventory { files, .. }) => panic!("invalid inventories: {}", files.len()),
    }
}

fn spec(path: &str) -> String {
    std::fs::read_to_string(common::root().join(path)).unwrap()
}

/// The files under `runbooks/`, by file name.
fn pages(c: &Compiled) -> BTreeMap<String, String> {
    c.artifacts
        .iter()
        .filter_map(|a| {
            let name = a.path.strip_prefix("runbooks").ok()?;
            Some((name.to_str()?.to_string(), a.contents.clone()))
        })
        .collect()
}

fn alerts(c: &Compiled) -> Vec<&lloom_monctl::model::AlertRule> {
    c.model
        .groups
        .iter()
        .flat_map(|g| &g.rules)
        .filter_map(|r| match r {
            Rule::Alert(a) => Some(a),
            Rule::Record(_) => None,
        })
        .collect()
}

const MINIMAL: &str = r#"
[stack]
name = "t"
runbook_base_url = "https://runbooks.example.org/lloom"
[roles.client]
hosts = ["localhost"]
"#;

#[test]
fn every_alert_of_every_valid_spec_has_its_page_at_its_url() {
    for path in common::valid_specs() {
        let c = common::compiled(&path);
        let pages = pages(&c);
        let base = &c.model.stack.runbook_base_url;
        let mut expected = vec!["README.md".to_string()];
        for a in alerts(&c) {
            let url = &a.annotations["runbook_url"];
            if url.starts_with(&format!("{base}/")) {
                let file = url.rsplit('/').next().unwrap();
                assert_eq!(file, format!("{}.md", a.name), "{path}: {url}");
                let page = pages
                    .get(file)
                    .unwrap_or_else(|| panic!("{path}: no runbooks/{file}"));
                assert!(
                    page.starts_with(&format!("# {}\n", a.name)),
                    "{path}: {file}"
                );
                assert!(page.contains("[All runbooks](README.md)"), "{path}: {file}");
                assert!(
                    pages["README.md"].contains(&format!("]({file})")),
                    "{path}: the index does not link {file}"
                );
                expected.push(file.to_string());
            }
        }
        expected.sort();
        expected.dedup();
        assert_eq!(
            pages.keys().cloned().collect::<Vec<_>>(),
            expected,
            "{path}"
        );
    }
}

#[test]
fn links_between_pages_resolve() {
    for path in common::valid_specs() {
        let c = common::compiled(&path);
        let pages = pages(&c);
        for (file, text) in &pages {
            for (i, _) in text.match_indices("](") {
                let target = &text[i + 2..i + 2 + text[i + 2..].find(')').unwrap()];
                if target.starts_with("../") || target.starts_with("http") {
                    continue;
                }
                assert!(pages.contains_key(target), "{path}: {file} links {target}");
            }
        }
    }
}

#[test]
fn go_templates_reach_the_pages_as_written() {
    let c = compiled(&spec("specs/lloom.toml"));
    let pages = pages(&c);
    for a in alerts(&c) {
        let page = &pages[&format!("{}.md", a.name)];
        for key in ["summary", "description"] {
            let text = &a.annotations[key];
            assert!(
                page.contains(text.as_str()),
                "{}: {key} not as written",
                a.name
            );
        }
    }
    let page = &pages["HighClientErrorRate.md"];
    assert!(page.contains("- `{{ $labels.instance }}`: the alert's `instance` label"));
    assert!(page.contains("`{{ $value | humanizePercentage }} of the requests from"));
}

#[test]
fn a_custom_alert_with_its_own_runbook_url_gets_no_page() {
    let c = compiled(&format!(
        r#"{MINIMAL}
[[alert]]
name = "Elsewhere"
expr = 'lloom_client_active_requests > 100'
severity = "info"
summary = "busy"
description = "{{{{ $labels.instance }}}} is busy"
runbook_url = "https://wiki.example.org/Elsewhere"
"#
    ));
    let pages = pages(&c);
    assert!(!pages.contains_key("Elsewhere.md"));
    assert!(pages.contains_key("HighClientErrorRate.md"));
    assert!(pages["README.md"].contains("- `Elsewhere`: <https://wiki.example.org/Elsewhere>"));
}

#[test]
fn a_custom_runbook_shows_the_operators_checks_and_linted_queries() {
    let alert = r#"
[[alert]]
name = "ClientBusy"
expr = 'lloom_client_active_requests > 100'
severity = "info"
summary = "busy"
description = "{{ $labels.instance }} is busy"
[alert.runbook]
checks = ["Look at `lloom_client_active_requests`."]
queries = ['sum by (instance) (lloom_client_active_requests)']
"#;
    let c = compiled(&format!("{MINIMAL}{alert}"));
    let page = &pages(&c)["ClientBusy.md"];
    assert!(page.contains("1. Look at `lloom_client_active_requests`.\n"));
    assert!(page.contains("```promql\nsum by (instance) (lloom_client_active_requests)\n```"));

    let typo = alert.replace(
        "sum by (instance) (lloom_client_active_requests)",
        "lloom_client_activ_requests",
    );
    let Err(Failure::Lint(f)) = compile(&format!("{MINIMAL}{typo}")) else {
        panic!("a runbook query on an unknown metric must fail the lint")
    };
    assert!(f.iter().any(|f| f.code == "lint/unknown-metric"), "{f:#?}");
}

#[test]
fn a_runbook_table_beside_a_runbook_url_is_a_conflict() {
    let text = format!(
        r#"{MINIMAL}
[[alert]]
name = "ClientBusy"
expr = 'lloom_client_active_requests > 100'
severity = "info"
summary = "busy"
description = "busy"
runbook_url = "https://wiki.example.org/ClientBusy"
[alert.runbook]
checks = ["never shown"]
"#
    );
    let Err(Failure::Invalid(f)) = compile(&text) else {
        panic!("a runbook that would never be shown must be refused")
    };
    assert!(f.iter().any(|f| f.code == "spec/conflict"), "{f:#?}");
}

#[test]
fn queries_are_only_for_the_parts_the_spec_has() {
    let c = compiled(MINIMAL);
    for rb in &c.model.runbooks {
        for q in &rb.queries {
            assert!(
                !q.expr.text.contains("lloom_executor") && !q.expr.text.contains("node_"),
                "{}: a client-only spec gets `{}`",
                rb.alert,
                q.expr.text
            );
        }
    }
    let full = compiled(&spec("specs/lloom.toml"));
    let timeout = full
        .model
        .runbooks
        .iter()
        .find(|r| r.alert == "ClientRequestTimeout");
    assert!(timeout
        .unwrap()
        .queries
        .iter()
        .any(|q| q.expr.text.contains("lloom_executor_queue_size")));
}
