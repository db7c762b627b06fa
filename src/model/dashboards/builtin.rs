//! The built-in dashboards (`dashboards.toml`), kept to the parts of the
//! spec that exist: a spec without executors gets no executor or GPU panels.

use crate::model::core::dashboard::FOLDER;
use crate::model::core::dashboard::{
    lay_out, query, row_panel, Dashboard, Panel, PanelQuery, Threshold, Variable,
};
use crate::model::core::{Allow, Ctx, Rule, RuleGroup, Stack};
use crate::model::rules::custom::brings;
use crate::model::rules::pack::Needs;
use crate::spec::Spec;
use serde::Deserialize;

/// What every selector of a built-in query filters on (`$f` in the data).
pub const FILTERS: &str = r#"cluster=~"$cluster", instance=~"$instance""#;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    dashboard: Vec<DashboardData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DashboardData {
    uid: String,
    title: String,
    description: String,
    needs: String,
    /// `label_values(...)` of the `instance` variable.
    instance: String,
    model: Option<String>,
    row: Vec<RowData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RowData {
    title: String,
    needs: Option<String>,
    panel: Vec<PanelData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PanelData {
    title: String,
    #[serde(rename = "type", default = "timeseries")]
    kind: String,
    unit: String,
    description: String,
    alert: Option<String>,
    max: Option<f64>,
    #[serde(default)]
    thresholds: Vec<ThresholdData>,
    width: Option<u32>,
    height: Option<u32>,
    query: Vec<QueryData>,
}

fn timeseries() -> String {
    "timeseries".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThresholdData {
    color: String,
    value: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QueryData {
    expr: String,
    legend: Option<String>,
}

fn needs(name: &str) -> Needs {
    match name {
        "client" => Needs::Client,
        "executor" => Needs::Executor,
        "validator" => Needs::Validator,
        "node" => Needs::NodeExporter,
        "always" => Needs::Always,
        other => panic!("built-in dashboards: unknown `needs = \"{other}\"`"),
    }
}

/// The dashboards the spec's parts bring; `groups` links panels to the
/// runbooks of their alerts.
pub(crate) fn resolve(
    cx: &mut Ctx,
    spec: &Spec,
    stack: &Stack,
    groups: &[RuleGroup],
) -> Vec<Dashboard> {
    let mut out = Vec::new();
    for d in data()
        .dashboard
        .iter()
        .filter(|d| brings(spec, needs(&d.needs)))
    {
        out.push(dashboard(cx, spec, stack, groups, d));
    }
    out
}

/// A dashboard of the data, with the rows the spec's parts bring.
fn dashboard(
    cx: &mut Ctx,
    spec: &Spec,
    stack: &Stack,
    groups: &[RuleGroup],
    d: &DashboardData,
) -> Dashboard {
    let mut panels = Vec::new();
    let mut sizes = Vec::new();
    for row in d
        .row
        .iter()
        .filter(|r| r.needs.as_deref().is_none_or(|n| brings(spec, needs(n))))
    {
        panels.push(row_panel(&row.title));
        sizes.push((None, None));
        for p in &row.panel {
            sizes.push((p.width, p.height));
            panels.push(panel(cx, stack, groups, p));
        }
    }
    lay_out(&mut panels, &sizes);
    let mut variables = vec![variable(cx, "instance", "Instance", &d.instance, stack)];
    if let Some(m) = &d.model {
        variables.push(variable(cx, "model", "Model", m, stack));
    }
    Dashboard {
        uid: d.uid.clone(),
        title: d.title.clone(),
        description: d.description.clone(),
        folder: FOLDER.into(),
        tags: vec!["lloom".into()],
        variables,
        panels,
    }
}

/// A panel of the data, its `$f` filled with [`FILTERS`], linked to its
/// alert's runbook where the spec has the alert.
fn panel(cx: &mut Ctx, stack: &Stack, groups: &[RuleGroup], p: &PanelData) -> Panel {
    let links = p
        .alert
        .as_deref()
        .and_then(|a| runbook(groups, a).map(|url| (a.to_string(), url)))
        .into_iter()
        .collect();
    Panel {
        kind: p.kind.clone(),
        unit: Some(p.unit.clone()),
        description: p.description.clone(),
        max: p.max,
        thresholds: p
            .thresholds
            .iter()
            .map(|t| Threshold {
                color: t.color.clone(),
                value: t.value,
            })
            .collect(),
        links,
        queries: p
            .query
            .iter()
            .map(|q| PanelQuery {
                expr: query(cx, &q.expr.replace("$f", FILTERS), None, stack),
                legend: q.legend.clone(),
                legend_span: None,
            })
            .collect(),
        allow: Allow::new(),
        ..row_panel(&p.title)
    }
}

/// The `runbook_url` of `alert`, where a group has it.
fn runbook(groups: &[RuleGroup], alert: &str) -> Option<String> {
    groups.iter().flat_map(|g| &g.rules).find_map(|r| match r {
        Rule::Alert(a) if a.name == alert => a.annotations.get("runbook_url").cloned(),
        _ => None,
    })
}

/// The data file, parsed once per process.
fn data() -> &'static File {
    static DATA: std::sync::OnceLock<File> = std::sync::OnceLock::new();
    DATA.get_or_init(|| {
        toml::from_str(include_str!("dashboards.toml")).expect("built-in dashboards are valid TOML")
    })
}

/// `label_values(<selector>, <label>)` split, the selector held as a query.
pub(crate) fn variable(
    cx: &mut Ctx,
    name: &str,
    label: &str,
    text: &str,
    stack: &Stack,
) -> Variable {
    let inner = text
        .strip_prefix("label_values(")
        .and_then(|t| t.strip_suffix(')'))
        .and_then(|t| t.rsplit_once(','))
        .unwrap_or_else(|| {
            panic!("built-in variable `{name}` is not label_values(selector, label): {text}")
        });
    Variable {
        name: name.into(),
        label: label.into(),
        selector: query(cx, inner.0.trim(), None, stack),
        values_of: inner.1.trim().into(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_data_parses_and_every_needs_is_known() {
        let file: super::File = toml::from_str(include_str!("dashboards.toml")).unwrap();
        assert!(file.dashboard.len() >= 5);
        for d in &file.dashboard {
            super::needs(&d.needs);
            for r in &d.row {
                r.needs.as_deref().map(super::needs);
                assert!(!r.panel.is_empty(), "{}: row {} is empty", d.title, r.title);
            }
        }
    }
}
