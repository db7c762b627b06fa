//! The spec's `[[dashboard]]`s, and where Grafana reaches the datasources.
//! The built-in dashboards are in `builtin.rs`; the SLO and GPU ones live
//! with their concerns.

pub mod builtin;

use crate::diagnostics::{suggest, Finding};
use crate::model::core::dashboard::{lay_out, query, row_panel, slug, RESERVED_VARIABLES};
use crate::model::core::{Ctx, Dashboard, Panel, PanelQuery, Stack, Variable};
use crate::spec::{DashboardSpec, PanelSpec, SpecCode, Str, VariableSpec};

/// The datasource URLs Grafana's provisioning names.
#[derive(Debug, Clone)]
pub struct GrafanaSettings {
    pub prometheus_url: String,
    pub alertmanager_url: String,
    pub loki_url: String,
    pub jaeger_url: String,
}

impl GrafanaSettings {
    /// The compose stack's service names, unless the spec says otherwise.
    pub fn resolve(spec: Option<&crate::spec::GrafanaSpec>) -> GrafanaSettings {
        let get = |v: Option<&Str>, default: &str| {
            v.map_or_else(|| default.to_string(), |s| s.get_ref().clone())
        };
        GrafanaSettings {
            prometheus_url: get(
                spec.and_then(|g| g.prometheus_url.as_ref()),
                "http://prometheus:9090",
            ),
            alertmanager_url: get(
                spec.and_then(|g| g.alertmanager_url.as_ref()),
                "http://alertmanager:9093",
            ),
            loki_url: get(spec.and_then(|g| g.loki_url.as_ref()), "http://loki:3100"),
            jaeger_url: get(
                spec.and_then(|g| g.jaeger_url.as_ref()),
                "http://jaeger:16686",
            ),
        }
    }
}

/// Panel types Grafana ships; Angular ones removed in Grafana 12 map to their
/// replacement (the lint warns about them).
const KINDS: &[&str] = &[
    "timeseries",
    "stat",
    "gauge",
    "table",
    "bargauge",
    "barchart",
    "heatmap",
    "piechart",
    "histogram",
    "text",
    "logs",
];
pub const REMOVED_KINDS: &[(&str, &str)] = &[
    ("graph", "timeseries"),
    ("singlestat", "stat"),
    ("table-old", "table"),
    ("grafana-piechart-panel", "piechart"),
];

pub(crate) fn resolve_spec(cx: &mut Ctx, specs: &[DashboardSpec], stack: &Stack) -> Vec<Dashboard> {
    specs
        .iter()
        .map(|d| {
            let title = d.title.get_ref().clone();
            let uid = d
                .uid
                .as_ref()
                .map_or_else(|| slug(&title), |u| u.get_ref().clone());
            let mut panels = Vec::new();
            let mut sizes = Vec::new();
            let mut row: Option<&str> = None;
            for p in &d.panel {
                if let Some(r) = p.row.as_ref().map(|r| r.get_ref().as_str()) {
                    if row != Some(r) {
                        panels.push(row_panel(r));
                        sizes.push((None, None));
                        row = Some(r);
                    }
                }
                panels.push(panel(cx, p, stack));
                sizes.push((
                    p.width.as_ref().map(|w| *w.get_ref()),
                    p.height.as_ref().map(|h| *h.get_ref()),
                ));
            }
            lay_out(&mut panels, &sizes);
            Dashboard {
                uid,
                title,
                description: d
                    .description
                    .as_ref()
                    .map(|t| t.get_ref().clone())
                    .unwrap_or_default(),
                folder: d
                    .folder
                    .as_ref()
                    .map_or_else(|| "Lloom custom".to_string(), |f| f.get_ref().clone()),
                tags: vec!["lloom".into(), "custom".into()],
                variables: d
                    .variable
                    .iter()
                    .filter_map(|v| variable(cx, v, stack))
                    .collect(),
                panels,
            }
        })
        .collect()
}

/// A spec variable: `label_values(<selector>, <label>)`, the selector linted.
fn variable(cx: &mut Ctx, v: &VariableSpec, stack: &Stack) -> Option<Variable> {
    let text = v.query.get_ref();
    let Some((selector, label)) = text
        .trim()
        .strip_prefix("label_values(")
        .and_then(|t| t.strip_suffix(')'))
        .and_then(|t| t.rsplit_once(','))
    else {
        cx.push(
            Finding::new(SpecCode::BadVariable, format!("`{text}` is not `label_values(<selector>, <label>)`"))
                .at(v.query.span())
                .help("e.g. `label_values(lloom_executor_requests_total{instance=~\"$instance\"}, model)`"),
        );
        return None;
    };
    let name = v.name.get_ref();
    if !crate::model::core::names::is_label_name(name)
        || RESERVED_VARIABLES.contains(&name.as_str())
    {
        cx.push(
            Finding::new(SpecCode::BadVariable, format!("`{name}` cannot name a variable here"))
                .at(v.name.span())
                .help("use letters, digits and `_`; `datasource` and `cluster` are defined on every dashboard"),
        );
        return None;
    }
    Some(Variable {
        name: name.clone(),
        label: v
            .label
            .as_ref()
            .map_or_else(|| name.clone(), |l| l.get_ref().clone()),
        selector: query(cx, selector.trim(), Some(v.query.span()), stack),
        values_of: label.trim().to_string(),
    })
}

fn panel(cx: &mut Ctx, p: &PanelSpec, stack: &Stack) -> Panel {
    let kind = match &p.kind {
        None => "timeseries".to_string(),
        Some(k) => {
            let name = k.get_ref();
            if !KINDS.contains(&name.as_str()) && !REMOVED_KINDS.iter().any(|(old, _)| old == name)
            {
                cx.push(
                    Finding::new(
                        SpecCode::UnknownPanelType,
                        format!("`{name}` is not a Grafana panel type"),
                    )
                    .at(k.span())
                    .help(suggest(name, KINDS.iter().copied(), || {
                        format!("use one of {}", KINDS.join(", "))
                    })),
                );
            }
            name.clone()
        }
    };
    Panel {
        kind,
        kind_span: p.kind.as_ref().map(|k| k.span()),
        unit: p.unit.as_ref().map(|u| u.get_ref().clone()),
        description: p
            .description
            .as_ref()
            .map(|d| d.get_ref().clone())
            .unwrap_or_default(),
        queries: p
            .query
            .iter()
            .map(|q| PanelQuery {
                expr: query(cx, q.expr.get_ref(), Some(q.expr.span()), stack),
                legend: q.legend.as_ref().map(|l| l.get_ref().clone()),
                legend_span: q.legend.as_ref().map(|l| l.span()),
            })
            .collect(),
        allow: cx.allow(&p.allow),
        ..row_panel(p.title.get_ref())
    }
}
