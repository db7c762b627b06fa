//! `runbooks/<Alert>.md` for every page the model holds, and
//! `runbooks/README.md` indexing them. Alert texts hold Go templates
//! (`{{ $labels.instance }}`); they reach tera as values, never as template
//! source, so they come out as written.

use crate::model::{AlertRule, Model, Rule, RuleGroup, Runbook};
use crate::render::{templates, Artifact, RenderError};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

#[derive(Serialize)]
struct Page {
    alert: String,
    group: String,
    group_file: String,
    interval: String,
    severity: String,
    for_: Option<String>,
    line: Option<String>,
    meaning: Option<String>,
    impact: Option<String>,
    /// The annotations, as code spans.
    texts: Vec<Row>,
    /// What each Go template action in them stands for.
    actions: Vec<Row>,
    /// Labels the rule sets, as code spans.
    rule_labels: Vec<Row>,
    series_labels: Vec<Row>,
    checks: Vec<CheckRow>,
    /// Commands name `<instance>` and the like.
    placeholders: bool,
    spec_alert: bool,
    expr: String,
    /// Further rules of the same name (an SLO's tiers).
    others: Vec<Other>,
    queries: Vec<Row>,
    related: Vec<Row>,
}

/// A name and its text; what each holds depends on the list.
#[derive(Serialize)]
struct Row {
    name: String,
    text: String,
}

#[derive(Serialize)]
struct CheckRow {
    /// Continuation lines indented into the list item.
    text: String,
    commands: Vec<String>,
}

#[derive(Serialize)]
struct Other {
    severity: String,
    for_: Option<String>,
    labels: String,
    /// The annotations, as code spans.
    texts: Vec<Row>,
    expr: String,
}

#[derive(Serialize)]
struct IndexRow {
    alert: String,
    file: String,
    severity: String,
    group: String,
    line: String,
}

type Alerts<'m> = HashMap<&'m str, Vec<(&'m RuleGroup, &'m AlertRule)>>;

/// A page per runbook and the index of them all; an alert without a page is
/// listed with its own runbook URL, so that the index is complete.
pub fn render(model: &Model) -> Result<Vec<Artifact>, RenderError> {
    if model.runbooks.is_empty() {
        return Ok(Vec::new());
    }
    let alerts = alerts_by_name(model);
    let mut files = Vec::new();
    let mut index = Vec::new();
    for rb in &model.runbooks {
        let Some(rules) = alerts.get(rb.alert.as_str()) else {
            return Err(RenderError(format!(
                "runbook of `{}`: no such alert",
                rb.alert
            )));
        };
        let page = page(model, rb, rules);
        index.push(index_row(rb, rules, &page));
        files.push(Artifact {
            path: PathBuf::from(format!("runbooks/{}", rb.file)),
            contents: render_one("runbook.md", tera::Context::from_serialize(&page))?,
        });
    }
    let mut ctx = tera::Context::new();
    ctx.insert("stack", &model.stack.name);
    ctx.insert("alerts", &index);
    ctx.insert("elsewhere", &unpaged_alerts(model));
    files.push(Artifact {
        path: PathBuf::from("runbooks/README.md"),
        contents: render_one("runbooks-index.md", Ok(ctx))?,
    });
    Ok(files)
}

/// Every alert rule by name, with its group: an SLO's tiers share one name.
fn alerts_by_name(model: &Model) -> Alerts<'_> {
    let mut alerts: Alerts = HashMap::new();
    for g in &model.groups {
        for r in &g.rules {
            if let Rule::Alert(a) = r {
                alerts.entry(a.name.as_str()).or_default().push((g, a));
            }
        }
    }
    alerts
}

/// The index's line for a page: its own line, or the first rule's summary.
fn index_row(rb: &Runbook, rules: &[(&RuleGroup, &AlertRule)], page: &Page) -> IndexRow {
    let mut severities: Vec<&str> = rules
        .iter()
        .filter_map(|(_, a)| a.labels.get("severity").map(String::as_str))
        .collect();
    severities.sort_unstable();
    severities.dedup();
    IndexRow {
        alert: rb.alert.clone(),
        file: rb.file.clone(),
        severity: severities.join(", "),
        group: page.group.clone(),
        line: cell(&rb.line.clone().unwrap_or_else(|| {
            let s = rules[0]
                .1
                .annotations
                .get("summary")
                .cloned()
                .unwrap_or_default();
            if s.contains("{{") {
                code(&s)
            } else {
                s
            }
        })),
    }
}

/// Alerts without a page, each once, in rule order, with the URL its rule
/// gives.
fn unpaged_alerts(model: &Model) -> Vec<Row> {
    let paged: HashSet<&str> = model.runbooks.iter().map(|r| r.alert.as_str()).collect();
    let mut elsewhere: Vec<Row> = Vec::new();
    let mut listed = HashSet::new();
    for rule in model.groups.iter().flat_map(|g| &g.rules) {
        if let Rule::Alert(a) = rule {
            if !paged.contains(a.name.as_str()) && listed.insert(a.name.as_str()) {
                elsewhere.push(Row {
                    name: a.name.clone(),
                    text: a
                        .annotations
                        .get("runbook_url")
                        .cloned()
                        .unwrap_or_default(),
                });
            }
        }
    }
    elsewhere
}

/// One page's values: the runbook, and the first rule of its name for the
/// texts and labels.
fn page(model: &Model, rb: &Runbook, rules: &[(&RuleGroup, &AlertRule)]) -> Page {
    let (group, alert) = rules[0];
    let checks: Vec<CheckRow> = rb
        .checks
        .iter()
        .map(|c| CheckRow {
            text: c.text.trim().replace('\n', "\n    "),
            commands: c.commands.clone(),
        })
        .collect();
    Page {
        alert: rb.alert.clone(),
        group: group.name.clone(),
        group_file: group.file_stem(),
        interval: group
            .interval
            .unwrap_or(model.stack.evaluation_interval)
            .to_string(),
        severity: alert.labels.get("severity").cloned().unwrap_or_default(),
        for_: alert.for_.map(|d| d.to_string()),
        line: rb.line.clone(),
        meaning: rb.meaning.clone(),
        impact: rb.impact.clone(),
        texts: texts(alert),
        actions: template_actions(rules),
        rule_labels: alert
            .labels
            .iter()
            .map(|(k, v)| Row {
                name: k.clone(),
                text: code(v),
            })
            .collect(),
        series_labels: series_labels(rb, alert),
        placeholders: checks
            .iter()
            .any(|c| c.commands.iter().any(|x| x.contains('<'))),
        checks,
        spec_alert: rb.spec_alert,
        expr: alert.expr.text.trim_end().to_string(),
        others: rules[1..].iter().map(|(_, a)| other(a)).collect(),
        queries: rb
            .queries
            .iter()
            .map(|q| Row {
                name: q.title.clone().unwrap_or_default(),
                text: q.expr.text.trim().to_string(),
            })
            .collect(),
        related: rb
            .related
            .iter()
            .map(|r| Row {
                name: r.alert.clone(),
                text: r.why.clone(),
            })
            .collect(),
    }
}

/// Each Go template action in the rules' summaries and descriptions, once,
/// with what it stands for.
fn template_actions(rules: &[(&RuleGroup, &AlertRule)]) -> Vec<Row> {
    let mut actions: Vec<Row> = Vec::new();
    let all = rules.iter().flat_map(|(_, a)| {
        ["summary", "description"].map(|k| a.annotations.get(k).cloned().unwrap_or_default())
    });
    for t in all {
        for a in go_actions(&t) {
            if !actions.iter().any(|r| r.name == code(a)) {
                actions.push(Row {
                    name: code(a),
                    text: action_meaning(a),
                });
            }
        }
    }
    actions
}

/// The labels the alert's series carry beyond those the rule sets.
fn series_labels(rb: &Runbook, alert: &AlertRule) -> Vec<Row> {
    rb.labels
        .iter()
        .filter(|(k, _)| !alert.labels.contains_key(k))
        .map(|(k, v)| Row {
            name: k.clone(),
            text: v.clone(),
        })
        .collect()
}

/// A further rule of the page's name (an SLO's other tier).
fn other(a: &AlertRule) -> Other {
    Other {
        severity: a.labels.get("severity").cloned().unwrap_or_default(),
        for_: a.for_.map(|d| d.to_string()),
        labels: a
            .labels
            .iter()
            .map(|(k, v)| code(&format!("{k}=\"{v}\"")))
            .collect::<Vec<_>>()
            .join(", "),
        texts: texts(a),
        expr: a.expr.text.trim_end().to_string(),
    }
}

fn render_one(name: &str, ctx: Result<tera::Context, tera::Error>) -> Result<String, RenderError> {
    ctx.and_then(|c| templates::built_in().render(name, &c))
        .map_err(|e| RenderError(format!("{name} template: {e:?}")))
}

/// Summary, description and the other annotations but the URL, as code spans.
fn texts(alert: &AlertRule) -> Vec<Row> {
    let rest = alert
        .annotations
        .keys()
        .map(String::as_str)
        .filter(|k| !matches!(*k, "summary" | "description" | "runbook_url"));
    ["summary", "description"]
        .into_iter()
        .chain(rest)
        .map(|k| Row {
            name: k.to_string(),
            text: code(alert.annotations.get(k).map_or("", String::as_str)),
        })
        .collect()
}

/// Text as one Markdown code span, whatever backticks it holds.
fn code(text: &str) -> String {
    let text = text.trim().replace('\n', " ");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Text for a table cell, where `|` would end the cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// The `{{ ... }}` actions of a Go template, as written.
fn go_actions(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        out.push(&rest[start..start + len + 2]);
        rest = &rest[start + len + 2..];
    }
    out
}

/// What a Go template action shows, for the operator reading a notification.
fn action_meaning(action: &str) -> String {
    let name_after = |prefix: &str| {
        action.find(prefix).map(|i| {
            action[i + prefix.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect::<String>()
        })
    };
    let format = [
        "humanizePercentage",
        "humanizeDuration",
        "humanize1024",
        "humanize",
    ]
    .into_iter()
    .find(|f| action.contains(f))
    .map(|f| format!(", formatted by `{f}`"))
    .unwrap_or_default();
    if let Some(l) = name_after("$labels.").or_else(|| name_after(".Labels.")) {
        format!("the alert's `{l}` label")
    } else if let Some(l) = name_after("$externalLabels.") {
        format!("this Prometheus's external label `{l}`")
    } else if action.contains("$value") || action.contains(".Value") {
        format!("the expression's value when the alert fired{format}")
    } else {
        "a Go template that Prometheus expands".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_survive_backticks_and_cells_survive_pipes() {
        assert_eq!(code("{{ $labels.instance }}"), "`{{ $labels.instance }}`");
        assert_eq!(code("a `b` c"), "``a `b` c``");
        assert_eq!(code("`b`"), "`` `b` ``");
        assert_eq!(cell("a | b"), "a \\| b");
    }

    #[test]
    fn actions_say_what_they_stand_for() {
        let t = "{{ $value | humanizePercentage }} on {{ $labels.instance }}";
        assert_eq!(
            go_actions(t),
            [
                "{{ $value | humanizePercentage }}",
                "{{ $labels.instance }}"
            ]
        );
        assert_eq!(
            action_meaning(go_actions(t)[0]),
            "the expression's value when the alert fired, formatted by `humanizePercentage`"
        );
        assert_eq!(
            action_meaning(go_actions(t)[1]),
            "the alert's `instance` label"
        );
    }
}
