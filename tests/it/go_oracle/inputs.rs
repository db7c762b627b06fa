//! The oracle's inputs: what the rendered valid fixtures hold, read back
//! from the files as Prometheus, Alertmanager, Promtail and Alloy read them,
//! and hand-picked cases.

use super::Kind;
use crate::common;
use promql_parser::label::MatchOp;
use promql_parser::parser::{self, Expr};
use serde_json::Value;

/// Longest text whose variants are tried (each has about twice its length).
pub const MAX_VARIED: usize = 400;

/// Cases where Rust's `regex` and Go's `regexp`, or a hand-written template
/// parser and Go's, part easily.
const HAND: &[(Kind, &str)] = &[
    (Kind::Regex, "a**"),
    (Kind::Regex, "a++"),
    (Kind::Regex, "a{1001}"),
    (Kind::Regex, "a{1000}"),
    (Kind::Regex, "(?u)x"),
    (Kind::Regex, "(?i)x(?-i:y)"),
    (Kind::Regex, "(?<n>a)(?P<m>b)"),
    (Kind::Regex, r"\pN\p{Greek}\PL[[:^alpha:]]"),
    (Kind::Regex, r"\Q.*\E\z\A\b\B"),
    (Kind::Regex, r"[a-z&&[^x]]"),
    (Kind::Regex, r"(a{2}){3}{4}"),
    (Kind::Regex, r"\x{10FFFF}\x41\101\0"),
    (Kind::Regex, "(?s).(?m)^$(?U)a+"),
    (Kind::Regex, r"[\d\D\w\W\s\S]"),
    (Kind::Prometheus, "{{ $labels.instance }"),
    (Kind::Prometheus, "{{ $value | humanizePercent }}"),
    (
        Kind::Prometheus,
        r#"{{ with query "up" }}{{ . | first | value | humanize }}{{ end }}"#,
    ),
    (
        Kind::Prometheus,
        r#"{{ range $i, $e := $labels }}{{ $i }}={{ $e }}{{ break }}{{ end }}"#,
    ),
    (
        Kind::Prometheus,
        r#"{{- /* a comment */ -}}{{ if and (gt $value 1.0) (lt $value 2.0) }}x{{ else if $value }}y{{ else }}z{{ end }}"#,
    ),
    (
        Kind::Prometheus,
        r#"{{ define "t" }}{{ . }}{{ end }}{{ template "t" $value }}{{ block "b" . }}{{ end }}"#,
    ),
    (
        Kind::Prometheus,
        r#"{{ printf "%.2f" $value }} {{ 'a' }} {{ 0x1F }} {{ 1e3 }} {{ -1.5 }} {{ `raw` }} {{ nil }}"#,
    ),
    (Kind::Prometheus, "{{ $x := 1 }}{{ $x = 2 }}{{ $x }}"),
    (
        Kind::Prometheus,
        "{{ .Labels.instance }} {{ $externalLabels.cluster }} {{ $externalURL }}",
    ),
    (Kind::Alertmanager, r#"{{ template "lloom.title" . }}"#),
    (
        Kind::Alertmanager,
        r#"{{ range .Alerts.Firing }}{{ .Labels.instance | toUpper }}{{ end }}"#,
    ),
    (
        Kind::Alertmanager,
        r#"{{ .CommonLabels.alertname | humanize }}"#,
    ),
    (
        Kind::Alertmanager,
        r#"{{ join ", " (stringSlice "a" "b") }} {{ date "15:04" .StartsAt | trimSpace }}"#,
    ),
    (Kind::Alertmanager, "{{ $labels.instance }}"),
    (Kind::Url, "https://hooks.example.org/a?note=100%#top"),
    (Kind::Url, "http://[fe80::1%25eth0]:9093/x"),
    (Kind::Url, "https://user@hooks.example.org:8443/caf%C3%A9"),
    (Kind::Url, "https://hooks.example.org\\alerts|x"),
    (Kind::Url, "https://bücher.example/x%zz"),
    (Kind::RuleFile, "/etc/prometheus/extra-rules/*-*.yml"),
    (Kind::RuleFile, "rules/[^a-c]x\\*.yml"),
    (Kind::RuleFile, "rules/[]a]/*.yml"),
    (Kind::FileSd, "targets/node-*-*.json"),
    (Kind::FileSd, "targets/[a-z]*.YAML"),
    (Kind::FileSd, "targets/*/x.yml"),
];

/// Every regex and template of the rendered valid fixtures, and [`HAND`].
pub fn seeds() -> Vec<(Kind, String)> {
    let mut out: Vec<(Kind, String)> = HAND.iter().map(|(k, t)| (*k, t.to_string())).collect();
    for spec in common::valid_specs() {
        for artifact in &common::compiled(&spec).artifacts {
            let path = artifact.path.to_string_lossy();
            let text = &artifact.contents;
            if path.ends_with(".alloy") {
                out.extend(alloy_regexes(text).into_iter().map(|r| (Kind::Regex, r)));
            } else if path.ends_with(".yml") || path.ends_with(".yaml") {
                let Ok(doc) = serde_saphyr::from_str::<Value>(text) else {
                    continue;
                };
                yaml_inputs(&path, &doc, &mut out);
            }
        }
    }
    out
}

fn yaml_inputs(path: &str, doc: &Value, out: &mut Vec<(Kind, String)>) {
    if path.starts_with("prometheus/rules/") {
        for rule in doc["groups"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|g| g["rules"].as_array().into_iter().flatten())
        {
            if rule.get("alert").is_some() {
                for field in ["annotations", "labels"] {
                    out.extend(strings(&rule[field]).map(|t| (Kind::Prometheus, t)));
                }
                let runbook = rule["annotations"]["runbook_url"].as_str();
                out.extend(
                    runbook
                        .filter(|u| !u.contains("{{"))
                        .map(|u| (Kind::Url, u.into())),
                );
            }
            if let Some(expr) = rule["expr"].as_str() {
                out.extend(promql_regexes(expr).into_iter().map(|r| (Kind::Regex, r)));
            }
        }
    } else if path == "alertmanager/alertmanager.yml" {
        alertmanager_inputs(doc, out);
    } else {
        if path == "prometheus/prometheus.yml" {
            let rule_files = doc["rule_files"].as_array().into_iter().flatten();
            out.extend(
                rule_files
                    .filter_map(Value::as_str)
                    .map(|f| (Kind::RuleFile, f.into())),
            );
        }
        // Prometheus's relabel rules and Promtail's stages: `regex` keys,
        // and `expression` inside a `regex` stage; file_sd `files`.
        walk(doc, &mut |key, value| {
            if key == Some("file_sd_configs") {
                for f in value.as_array().into_iter().flatten().flat_map(|c| {
                    c["files"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                }) {
                    out.push((Kind::FileSd, f.to_string()));
                }
            }
            if let (Some("regex"), Some(s)) = (key, value.as_str()) {
                out.push((Kind::Regex, s.to_string()));
            }
            if let (Some("regex"), Some(s)) = (key, value["expression"].as_str()) {
                out.push((Kind::Regex, s.to_string()));
            }
        });
    }
}

/// The notification fields Alertmanager runs as templates, and the regexes
/// of its matchers.
fn alertmanager_inputs(doc: &Value, out: &mut Vec<(Kind, String)>) {
    const TEMPLATED: &[&str] = &[
        "to",
        "from",
        "title",
        "text",
        "channel",
        "description",
        "severity",
        "message",
        "priority",
        "tags",
    ];
    for receiver in doc["receivers"].as_array().into_iter().flatten() {
        for configs in receiver.as_object().into_iter().flat_map(|o| o.values()) {
            for config in configs.as_array().into_iter().flatten() {
                for (key, value) in config.as_object().into_iter().flatten() {
                    if matches!(key.as_str(), "url" | "api_url") {
                        out.extend(value.as_str().map(|u| (Kind::Url, u.to_string())));
                    } else if TEMPLATED.contains(&key.as_str()) {
                        out.extend(value.as_str().map(|t| (Kind::Alertmanager, t.to_string())));
                    } else if key == "headers" {
                        out.extend(strings(value).map(|t| (Kind::Alertmanager, t)));
                    }
                }
            }
        }
    }
    walk(doc, &mut |key, value| {
        if matches!(
            key,
            Some("matchers" | "source_matchers" | "target_matchers")
        ) {
            for m in value
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                out.extend(matcher_regex(m).map(|r| (Kind::Regex, r)));
            }
        }
    });
}

/// The regex of an Alertmanager matcher (`name=~"value"`), unquoted.
fn matcher_regex(m: &str) -> Option<String> {
    let at = m.find("=~").or_else(|| m.find("!~"))?;
    let value = m[at + 2..].trim();
    let Some(quoted) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else {
        return Some(value.to_string());
    };
    serde_json::from_str::<String>(&format!("\"{quoted}\"")).ok()
}

/// Regexes of a PromQL expression: `=~`/`!~` matchers and `label_replace`.
fn promql_regexes(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(ast) = parser::parse(expr) {
        visit(&ast, &mut out);
    }
    out
}

fn visit(e: &Expr, out: &mut Vec<String>) {
    let matchers = |vs: &parser::VectorSelector, out: &mut Vec<String>| {
        for m in &vs.matchers.matchers {
            if matches!(m.op, MatchOp::Re(_) | MatchOp::NotRe(_)) {
                out.push(m.value.clone());
            }
        }
    };
    match e {
        Expr::VectorSelector(vs) => matchers(vs, out),
        Expr::MatrixSelector(ms) => matchers(&ms.vs, out),
        Expr::Aggregate(a) => visit(&a.expr, out),
        Expr::Unary(u) => visit(&u.expr, out),
        Expr::Binary(b) => {
            visit(&b.lhs, out);
            visit(&b.rhs, out);
        }
        Expr::Paren(p) => visit(&p.expr, out),
        Expr::Subquery(s) => visit(&s.expr, out),
        Expr::Call(c) => {
            for (i, arg) in c.args.args.iter().enumerate() {
                match (c.func.name, i, arg.as_ref()) {
                    ("label_replace", 4, Expr::StringLiteral(s)) => out.push(s.val.clone()),
                    _ => visit(arg, out),
                }
            }
        }
        _ => {}
    }
}

/// Alloy's `regex = "..."` and `expression = "..."` strings, unquoted.
fn alloy_regexes(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let (key, value) = l.trim().split_once(" = ")?;
            if !matches!(key, "regex" | "expression") {
                return None;
            }
            serde_json::from_str::<String>(value.trim_end_matches(',')).ok()
        })
        .collect()
}

/// The string values of a mapping.
fn strings(v: &Value) -> impl Iterator<Item = String> + '_ {
    v.as_object()
        .into_iter()
        .flat_map(|o| o.values())
        .filter_map(|v| v.as_str().map(str::to_string))
}

/// Calls `f` with every value of `v` and the key it is under.
fn walk(v: &Value, f: &mut dyn FnMut(Option<&str>, &Value)) {
    match v {
        Value::Object(o) => {
            for (k, v) in o {
                f(Some(k), v);
                walk(v, f);
            }
        }
        Value::Array(a) => a.iter().for_each(|v| walk(v, f)),
        _ => {}
    }
}
