//! `[logs]`: Loki's config, and the Alloy and Promtail configs, which must do
//! the same thing. The equivalence is checked on the rendered files, each
//! read back with its own parser, not on the structs they came from.

use crate::common;

use lloom_monctl::diagnostics::Finding;
use lloom_monctl::model::logs::Agent;
use lloom_monctl::pipeline::{compile, Failure};
use lloom_monctl::render::logs::alloy_syntax::{self, Block, Value};
use lloom_monctl::render::logs::loki::LokiConfig;
use lloom_monctl::render::logs::promtail::{PromtailConfig, Stage};
use std::collections::BTreeMap;
use std::path::Path;

const EXAMPLE: &str = "specs/lloom.toml";
const CUSTOM: &str = "tests/fixtures/valid/logs-promtail.toml";

type Map = BTreeMap<String, String>;

/// What a log agent does, as read from its config.
#[derive(Debug, PartialEq)]
struct Pipeline {
    /// Per file glob: `__path__`, `job` and the static labels.
    targets: Vec<Map>,
    /// Stage kinds in order, then their settings.
    stages: Vec<&'static str>,
    regex: String,
    timestamp: Option<(String, String)>,
    labels: Map,
    structured_metadata: Map,
    push_url: String,
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn promtail(dir: &Path) -> Pipeline {
    let config: PromtailConfig = serde_saphyr::from_str(&read(dir, "promtail/promtail.yml"))
        .expect("promtail.yml reads back into the typed config");
    assert_eq!(config.clients.len(), 1);
    assert_eq!(config.scrape_configs.len(), 1);
    let job = &config.scrape_configs[0];
    let mut p = Pipeline {
        targets: job
            .static_configs
            .iter()
            .map(|s| {
                assert_eq!(s.targets, ["localhost"]);
                s.labels.clone()
            })
            .collect(),
        stages: Vec::new(),
        regex: String::new(),
        timestamp: None,
        labels: Map::new(),
        structured_metadata: Map::new(),
        push_url: config.clients[0].url.clone(),
    };
    for stage in &job.pipeline_stages {
        let Stage {
            regex,
            timestamp,
            labels,
            structured_metadata,
        } = stage.clone();
        let set = [
            regex.is_some(),
            timestamp.is_some(),
            labels.is_some(),
            structured_metadata.is_some(),
        ];
        assert_eq!(set.iter().filter(|s| **s).count(), 1, "one key per stage");
        if let Some(r) = regex {
            p.stages.push("regex");
            p.regex = r.expression;
        }
        if let Some(t) = timestamp {
            p.stages.push("timestamp");
            p.timestamp = Some((t.source, t.format));
        }
        if let Some(l) = labels {
            p.stages.push("labels");
            p.labels = l;
        }
        if let Some(m) = structured_metadata {
            p.stages.push("structured_metadata");
            p.structured_metadata = m;
        }
    }
    p
}

fn string(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        other => panic!("expected a string, got {other:?}"),
    }
}

fn reference(v: Option<&Value>) -> String {
    match v {
        Some(Value::Ref(r)) => r.as_str().to_string(),
        Some(Value::List(l)) if l.len() == 1 => reference(l.first()),
        other => panic!("expected a reference, got {other:?}"),
    }
}

fn object(v: Option<&Value>) -> Map {
    match v {
        Some(Value::Object(fields)) => fields
            .iter()
            .map(|(k, v)| (k.clone(), string(Some(v))))
            .collect(),
        other => panic!("expected an object, got {other:?}"),
    }
}

fn component<'a>(blocks: &'a [Block], name: &str, label: &str) -> &'a Block {
    let found: Vec<_> = blocks
        .iter()
        .filter(|b| b.name == name && b.label.as_deref() == Some(label))
        .collect();
    assert_eq!(found.len(), 1, "one `{name} \"{label}\"`");
    found[0]
}

fn alloy(dir: &Path) -> Pipeline {
    let blocks =
        alloy_syntax::parse(&read(dir, "alloy/config.alloy")).expect("config.alloy parses");
    assert_eq!(blocks.len(), 4, "file_match, source, process, write");
    let files = component(&blocks, "local.file_match", "lloom");
    let source = component(&blocks, "loki.source.file", "lloom");
    let process = component(&blocks, "loki.process", "lloom");
    let write = component(&blocks, "loki.write", "default");
    // The components are wired into one chain.
    assert_eq!(
        reference(source.get("targets")),
        "local.file_match.lloom.targets"
    );
    assert_eq!(
        reference(source.get("forward_to")),
        "loki.process.lloom.receiver"
    );
    assert_eq!(
        reference(process.get("forward_to")),
        "loki.write.default.receiver"
    );
    let Some(Value::List(targets)) = files.get("path_targets") else {
        panic!("path_targets is a list");
    };
    let endpoints: Vec<_> = write.blocks("endpoint").collect();
    assert_eq!(endpoints.len(), 1);
    let mut p = Pipeline {
        targets: targets.iter().map(|t| object(Some(t))).collect(),
        stages: Vec::new(),
        regex: String::new(),
        timestamp: None,
        labels: Map::new(),
        structured_metadata: Map::new(),
        push_url: string(endpoints[0].get("url")),
    };
    for stage in process.body.iter().filter_map(|i| match i {
        alloy_syntax::Item::Block(b) => Some(b),
        alloy_syntax::Item::Attr(..) => None,
    }) {
        match stage.name.as_str() {
            "stage.regex" => {
                p.stages.push("regex");
                p.regex = string(stage.get("expression"));
            }
            "stage.timestamp" => {
                p.stages.push("timestamp");
                p.timestamp = Some((string(stage.get("source")), string(stage.get("format"))));
            }
            "stage.labels" => {
                p.stages.push("labels");
                p.labels = object(stage.get("values"));
            }
            "stage.structured_metadata" => {
                p.stages.push("structured_metadata");
                p.structured_metadata = object(stage.get("values"));
            }
            other => panic!("unexpected stage {other}"),
        }
    }
    p
}

/// The spec's `[logs] regex` as the TOML parser reads it.
fn spec_regex(spec: &str) -> Option<String> {
    let doc: toml::Table = toml::from_str(&read(common::root(), spec)).unwrap();
    doc["logs"]
        .get("regex")
        .map(|r| r.as_str().unwrap().to_string())
}

fn same_name(names: &[&str]) -> Map {
    names
        .iter()
        .map(|n| (n.to_string(), String::new()))
        .collect()
}

fn target(path: &str, job: &str, extra: &[(&str, &str)]) -> Map {
    let mut m: Map = extra
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    m.insert("__path__".into(), path.into());
    m.insert("job".into(), job.into());
    m
}

#[test]
fn both_agents_run_the_guides_pipeline_for_the_example_spec() {
    let dir = common::rendered(EXAMPLE);
    let (a, p) = (alloy(dir.path()), promtail(dir.path()));
    assert_eq!(
        a, p,
        "alloy/config.alloy and promtail/promtail.yml differ in effect"
    );
    assert_eq!(a.targets, [target("/var/log/lloom/*.log", "lloom", &[])]);
    assert_eq!(a.stages, ["regex", "timestamp", "labels"]);
    assert_eq!(
        a.regex,
        r"^(?P<timestamp>\S+)\s+(?P<level>\S+)\s+(?P<component>\S+)\s+(?P<message>.*)$"
    );
    assert_eq!(Some(&a.regex), spec_regex(EXAMPLE).as_ref());
    assert_eq!(a.timestamp, Some(("timestamp".into(), "RFC3339".into())));
    assert_eq!(a.labels, same_name(&["level", "component"]));
    assert_eq!(a.push_url, push_url(EXAMPLE));
}

/// Where the agents must push: Loki's port on the spec's `[deploy]
/// monitoring_host` (`localhost` when it names none), read from the spec
/// itself rather than from the model under test.
fn push_url(spec: &str) -> String {
    let table: toml::Table = read(common::root(), spec).parse().unwrap();
    let host = table
        .get("deploy")
        .and_then(|d| d.get("monitoring_host"))
        .and_then(|h| h.as_str())
        .unwrap_or("localhost");
    format!("http://{host}:3100/loki/api/v1/push")
}

/// The agent's container shares the host's network, so a push to
/// `localhost` reaches the host's Loki, not the container itself.
#[test]
fn the_log_agent_runs_on_the_host_network() {
    for spec in [EXAMPLE, CUSTOM] {
        let dir = common::rendered(spec);
        let compose: serde_json::Value =
            serde_saphyr::from_str(&read(dir.path(), "node-agent/docker-compose.yml")).unwrap();
        let services = compose["services"].as_object().unwrap();
        let agents: Vec<_> = ["alloy", "promtail"]
            .iter()
            .filter_map(|a| services.get(*a))
            .collect();
        assert_eq!(agents.len(), 1, "{spec}: one log agent");
        assert_eq!(agents[0]["network_mode"], "host", "{spec}");
    }
}

#[test]
fn both_agents_run_a_custom_pipeline_with_quotes_and_backslashes() {
    let dir = common::rendered(CUSTOM);
    let (a, p) = (alloy(dir.path()), promtail(dir.path()));
    assert_eq!(
        a, p,
        "alloy/config.alloy and promtail/promtail.yml differ in effect"
    );
    let fixed = [("datacenter", "eu-1"), ("env", "dev")];
    assert_eq!(
        a.targets,
        [
            target("/var/log/lloom/*.log", "lloom-dev", &fixed),
            target("/srv/lloom/logs/executor-*.log", "lloom-dev", &fixed),
        ]
    );
    assert_eq!(
        a.stages,
        ["regex", "timestamp", "labels", "structured_metadata"]
    );
    let regex = spec_regex(CUSTOM).unwrap();
    assert!(
        regex.contains(r#"msg="(?P<msg>(?:[^"\\]|\\.)*)""#),
        "the fixture has quotes and backslashes"
    );
    assert_eq!(a.regex, regex, "unescaped, the regex is the spec's");
    assert_eq!(
        a.timestamp,
        Some(("ts".into(), "2006-01-02 15:04:05.000".into()))
    );
    assert_eq!(a.labels, same_name(&["lvl", "node"]));
    assert_eq!(a.structured_metadata, same_name(&["request_id"]));
    assert_eq!(a.push_url, push_url(CUSTOM));
}

#[test]
fn the_spec_picks_the_agent_and_both_configs_are_rendered() {
    for (spec, agent) in [(EXAMPLE, Agent::Alloy), (CUSTOM, Agent::Promtail)] {
        let c = compile(&read(common::root(), spec)).ok().unwrap();
        assert_eq!(c.model.logs.as_ref().unwrap().agent, agent, "{spec}");
        let paths: Vec<_> = c
            .artifacts
            .iter()
            .map(|a| a.path.to_str().unwrap().to_string())
            .collect();
        for p in [
            "loki/loki.yml",
            Agent::Alloy.config_path(),
            Agent::Promtail.config_path(),
        ] {
            assert!(paths.iter().any(|x| x == p), "{spec}: no {p}");
        }
    }
}

#[test]
fn loki_keeps_the_retention_with_a_delete_request_store_and_passes_its_schema() {
    for (spec, retention) in [(EXAMPLE, "30d"), (CUSTOM, "8w")] {
        let dir = common::rendered(spec);
        let loki: LokiConfig = serde_saphyr::from_str(&read(dir.path(), "loki/loki.yml")).unwrap();
        assert_eq!(loki.limits_config.retention_period, retention, "{spec}");
        assert!(loki.compactor.retention_enabled);
        assert_eq!(
            loki.compactor.delete_request_store, "filesystem",
            "Loki 3 needs it with retention"
        );
        assert_eq!(loki.schema_config.configs[0].schema, "v13");
        let tool = common::root().join("../shared/tools/validate-generated");
        let out = std::process::Command::new("python3")
            .arg(&tool)
            .arg(dir.path())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{spec}: validate-generated failed:\n{stdout}"
        );
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with("ok ") && l.ends_with("loki/loki.yml (loki)")),
            "{spec}: loki.yml was not checked against the Loki schema:\n{stdout}"
        );
    }
}

#[test]
fn a_spec_without_logs_renders_no_log_files() {
    let c = compile(&read(common::root(), "tests/fixtures/valid/minimal.toml"))
        .ok()
        .unwrap();
    assert!(c.model.logs.is_none());
    for a in &c.artifacts {
        let top = a
            .path
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_str()
            .unwrap();
        assert!(
            !["loki", "alloy", "promtail"].contains(&top),
            "{}",
            a.path.display()
        );
    }
}

fn errors(logs: &str) -> Vec<Finding> {
    let spec = format!(
        "[stack]\nname = \"t\"\nrunbook_base_url = \"https://x.org/r\"\n[roles.client]\nhosts = [\"c1\"]\n[logs]\n{logs}\n"
    );
    match compile(&spec) {
        Ok(_) => Vec::new(),
        Err(Failure::Invalid(f)) => f,
        Err(_) => panic!("not a spec error: {logs}"),
    }
}

fn codes(logs: &str) -> Vec<&'static str> {
    errors(logs).iter().map(|f| f.code).collect()
}

#[test]
fn unbounded_labels_are_refused() {
    const HIGH: &str = "spec/high-cardinality-label";
    // By name, whatever the pattern.
    for name in [
        "message",
        "request_id",
        "trace_id",
        "user",
        "ip",
        "ts",
        "order_id",
    ] {
        let spec = format!("regex = '(?P<{name}>[a-z]{{3}})'\nlabels = [\"{name}\"]");
        assert_eq!(codes(&spec), [HIGH], "{name}");
    }
    // By pattern: free text anywhere, or a token class up to the end of the line.
    for regex in [
        r"(?P<x>.+) end",
        r#"x="(?P<x>[^"]*)""#,
        r"^\S+ (?P<x>\S+)$",
        r"(?P<x>\S+)\s*$",
    ] {
        assert_eq!(
            codes(&format!("regex = '{regex}'\nlabels = [\"x\"]")),
            [HIGH],
            "{regex}"
        );
    }
    // Bounded: a word in the middle, an enumeration, a short class.
    for regex in [
        r"^(?P<x>\S+) rest",
        r"(?P<x>INFO|WARN|ERROR)$",
        r"(?P<x>[a-z]{1,8})$",
    ] {
        assert_eq!(
            codes(&format!("regex = '{regex}'\nlabels = [\"x\"]")),
            Vec::<&str>::new(),
            "{regex}"
        );
    }
    let f = &errors("labels = [\"message\"]")[0];
    let help = f.help.as_deref().unwrap();
    assert!(
        help.contains("new stream")
            && help.contains("| regexp")
            && help.contains("structured_metadata")
    );
    // As structured metadata the same group is fine.
    assert!(codes("structured_metadata = [\"message\"]").is_empty());
}

#[test]
fn the_other_logs_checks_are_located_findings() {
    let cases = [
        ("labels = [\"levle\"]", "spec/unknown-group"),
        ("timestamp = { source = \"time\" }", "spec/unknown-group"),
        ("regex = '(?P<a>x)\\1'", "spec/bad-regex"),
        ("regex = '(?P<a>x(?<=y))'", "spec/bad-regex"),
        ("regex = '(?x) (?P<a>x)'", "spec/bad-regex"),
        ("regex = '(?P<a>x'", "spec/bad-regex"),
        (
            "timestamp = { source = \"timestamp\", format = \"%Y-%m-%d\" }",
            "spec/bad-timestamp-format",
        ),
        ("retention = \"36h\"", "spec/bad-retention"),
        ("retention = \"1 day\"", "spec/bad-duration"),
        ("paths = [\"var/log/*.log\"]", "spec/bad-path"),
        ("static_labels = { job = \"x\" }", "spec/duplicate"),
        ("static_labels = { level = \"x\" }", "spec/duplicate"),
        ("static_labels = { __x = \"x\" }", "spec/reserved-label"),
        ("labels = [\"level\", \"level\"]", "spec/duplicate"),
    ];
    for (logs, code) in cases {
        let f = errors(logs);
        assert_eq!(
            f.iter().map(|f| f.code).collect::<Vec<_>>(),
            [code],
            "{logs}"
        );
        assert!(f[0].span.is_some(), "{logs}: not located");
    }
    let f = &errors("labels = [\"levle\"]")[0];
    assert_eq!(f.help.as_deref(), Some("did you mean `level`?"));
    for ok in [
        "timestamp = { source = \"timestamp\", format = \"UnixMs\" }",
        "retention = \"1d\"",
        "agent = \"promtail\"",
    ] {
        assert!(codes(ok).is_empty(), "{ok}");
    }
}
