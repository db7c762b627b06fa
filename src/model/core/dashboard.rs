//! Dashboards as the lint and the renderers see them: panels placed on
//! Grafana's 24-column grid, every query parsed once with its Grafana
//! variables substituted. Concerns build their dashboards from these parts.

use super::parse;
use super::{builtin_ast, grafana_vars, Allow, Ctx, Expr, Stack};
use crate::spec::Str;
use std::ops::Range;

/// The Grafana folder the built-in dashboards are provisioned into.
pub const FOLDER: &str = "Lloom";

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
pub fn query(cx: &mut Ctx, text: &str, span: Option<Range<usize>>, stack: &Stack) -> Expr {
    let substituted = grafana_vars::substitute(text, stack.scrape_interval);
    let parsed = match span {
        Some(_) => crate::model::core::promql::parse(&substituted),
        None => builtin_ast(&substituted),
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
