//! Dashboards as the lint and the renderers see them: the built-in ones
//! (`dashboards_builtin.rs`), the SLO one (`dashboards_slo.rs`) and the
//! spec's, every panel query parsed once with its Grafana variables
//! substituted, and every panel placed on Grafana's 24-column grid.

use super::build::Ctx;
use super::{grafana_vars, parse};
use super::{Allow, Expr, Stack};
use crate::diagnostics::{suggest, Finding};
use crate::spec::{DashboardSpec, PanelSpec, Str, VariableSpec};
use std::ops::Range;

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

#[derive(Debug, Clone)]
pub struct Dashboard {
    pub uid: String,
    pub title: String,
    pub description: String,
    /// The Grafana folder it is provisioned into.
    pub folder: String,
    pub tags: Vec<String>,
    /// Template variables beyond `datasource` and `cluster`, which every
    /// dashboard has.
    pub variables: Vec<Variable>,
    /// In display order; rows are panels of kind `row`.
    pub panels: Vec<Panel>,
}

/// A query variable: `label_values(<selector>, <label>)`.
#[derive(Debug, Clone)]
pub struct Variable {
    pub name: String,
    pub label: String,
    /// The selector part, linted like a query.
    pub selector: Expr,
    /// The label whose values the variable offers.
    pub values_of: String,
}

impl Variable {
    pub fn query(&self) -> String {
        format!("label_values({}, {})", self.selector.text, self.values_of)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridPos {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

impl GridPos {
    pub fn overlaps(&self, o: &GridPos) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
}

#[derive(Debug, Clone)]
pub struct Panel {
    /// Unique within the dashboard, stable across renders: its position.
    pub id: u32,
    pub title: String,
    /// Grafana's panel type, e.g. `timeseries`; `row` for a row.
    pub kind: String,
    /// Where the type was written; `None` when defaulted.
    pub kind_span: Option<Range<usize>>,
    pub unit: Option<String>,
    pub description: String,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Steps from the lowest: the first has no value (the base colour).
    pub thresholds: Vec<Threshold>,
    /// Runbook links: (alert, URL).
    pub links: Vec<(String, String)>,
    pub queries: Vec<PanelQuery>,
    pub grid: GridPos,
    pub allow: Allow,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    pub color: String,
    pub value: Option<f64>,
}

impl Threshold {
    /// Grafana's steps from `(color, from)` pairs; the first starts at `None`
    /// (minus infinity).
    pub fn steps(steps: &[(&str, Option<f64>)]) -> Vec<Threshold> {
        steps
            .iter()
            .map(|(color, value)| Threshold {
                color: color.to_string(),
                value: *value,
            })
            .collect()
    }
}

#[derive(Debug, Clone)]
pub struct PanelQuery {
    /// `text` is the query as written, variables and all; `ast` is parsed
    /// from the substituted text.
    pub expr: Expr,
    pub legend: Option<String>,
    pub legend_span: Option<Range<usize>>,
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

/// The height of a panel when none is given, by type.
pub fn default_height(kind: &str) -> u32 {
    match kind {
        "row" => 1,
        "stat" | "gauge" | "bargauge" => 5,
        _ => 8,
    }
}

/// The width of a panel when none is given, by type.
pub fn default_width(kind: &str) -> u32 {
    match kind {
        "row" => 24,
        "stat" | "gauge" | "bargauge" => 6,
        _ => 12,
    }
}

/// Places panels left to right, wrapping at 24 columns; a row starts a new
/// line and takes it whole. Deterministic, and never overlapping.
pub fn lay_out(panels: &mut [Panel], sizes: &[(Option<u32>, Option<u32>)]) {
    let (mut x, mut y, mut line) = (0u32, 0u32, 0u32);
    for (p, (w, h)) in panels.iter_mut().zip(sizes) {
        let w = w.unwrap_or_else(|| default_width(&p.kind)).clamp(1, 24);
        let h = h.unwrap_or_else(|| default_height(&p.kind)).max(1);
        if p.kind == "row" || x + w > 24 {
            y += line;
            x = 0;
            line = 0;
        }
        p.grid = GridPos {
            x,
            y,
            w: if p.kind == "row" { 24 } else { w },
            h,
        };
        if p.kind == "row" {
            y += h;
        } else {
            x += w;
            line = line.max(h);
        }
    }
    number(panels);
}

/// Panel ids in reading order, from 1: deterministic, and unique per dashboard.
pub fn number(panels: &mut [Panel]) {
    for (i, p) in panels.iter_mut().enumerate() {
        p.id = i as u32 + 1;
    }
}

/// A query of a panel, as the model holds it: parsed from the text with
/// Grafana's variables substituted; a parse error is a finding at `span`.
pub(super) fn query(cx: &mut Ctx, text: &str, span: Option<Range<usize>>, stack: &Stack) -> Expr {
    let substituted = grafana_vars::substitute(text, stack.scrape_interval);
    let parsed = match span {
        Some(_) => promql_parser::parser::parse(&substituted),
        None => super::builtin_ast(&substituted),
    };
    match span {
        Some(span) => parse::located(
            cx,
            &Str::new(span, text.to_string()),
            parsed,
            "in this query",
            "Grafana variables may appear inside matcher values and as `$__rate_interval`, `$__interval` or `$__range`; check brackets and quotes",
        ),
        None => Expr::builtin_panel(text.to_string(), parsed),
    }
}

pub(super) fn resolve_spec(cx: &mut Ctx, specs: &[DashboardSpec], stack: &Stack) -> Vec<Dashboard> {
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
            Finding::error("spec/bad-variable", format!("`{text}` is not `label_values(<selector>, <label>)`"))
                .at(v.query.span())
                .help("e.g. `label_values(lloom_executor_requests_total{instance=~\"$instance\"}, model)`"),
        );
        return None;
    };
    let name = v.name.get_ref();
    if !super::names::is_label_name(name) || RESERVED_VARIABLES.contains(&name.as_str()) {
        cx.push(
            Finding::error("spec/bad-variable", format!("`{name}` cannot name a variable here"))
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

/// Variables every dashboard has.
pub const RESERVED_VARIABLES: [&str; 2] = ["datasource", "cluster"];

pub fn row_panel(title: &str) -> Panel {
    Panel {
        id: 0,
        title: title.to_string(),
        kind: "row".into(),
        kind_span: None,
        unit: None,
        description: String::new(),
        min: None,
        max: None,
        thresholds: Vec::new(),
        links: Vec::new(),
        queries: Vec::new(),
        grid: GridPos {
            x: 0,
            y: 0,
            w: 24,
            h: 1,
        },
        allow: Allow::new(),
    }
}

fn panel(cx: &mut Ctx, p: &PanelSpec, stack: &Stack) -> Panel {
    let kind = match &p.kind {
        None => "timeseries".to_string(),
        Some(k) => {
            let name = k.get_ref();
            if !KINDS.contains(&name.as_str()) && !REMOVED_KINDS.iter().any(|(old, _)| old == name)
            {
                cx.push(
                    Finding::error(
                        "spec/unknown-panel-type",
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

/// `lloom-request-flow` for "Lloom Request Flow": a stable uid from a title.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(kind: &str) -> Panel {
        Panel {
            kind: kind.into(),
            ..row_panel("p")
        }
    }

    #[test]
    fn layout_flows_wraps_and_starts_rows_on_a_new_line() {
        let mut panels = vec![
            p("row"),
            p("stat"),
            p("stat"),
            p("timeseries"),
            p("timeseries"),
            p("row"),
            p("timeseries"),
        ];
        let sizes = vec![(None, None); panels.len()];
        lay_out(&mut panels, &sizes);
        let grid: Vec<(u32, u32, u32, u32)> = panels
            .iter()
            .map(|p| (p.grid.x, p.grid.y, p.grid.w, p.grid.h))
            .collect();
        assert_eq!(
            grid,
            [
                (0, 0, 24, 1),
                (0, 1, 6, 5),
                (6, 1, 6, 5),
                (12, 1, 12, 8),
                (0, 9, 12, 8),
                (0, 17, 24, 1),
                (0, 18, 12, 8)
            ]
        );
        assert_eq!(
            panels.iter().map(|p| p.id).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5, 6, 7]
        );
        for (i, a) in panels.iter().enumerate() {
            for b in &panels[i + 1..] {
                assert!(
                    !a.grid.overlaps(&b.grid),
                    "{:?} overlaps {:?}",
                    a.grid,
                    b.grid
                );
            }
        }
    }

    #[test]
    fn slugs_are_stable_uids() {
        assert_eq!(slug("Lloom Request Flow"), "lloom-request-flow");
        assert_eq!(slug("  p99 < 5s!"), "p99-5s");
    }
}
