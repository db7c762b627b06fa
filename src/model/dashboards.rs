//! Dashboards as the lint and the renderers see them: every panel query
//! parsed once, with its Grafana variables substituted.

use super::build::Ctx;
use super::{grafana_vars, parse};
use super::{Allow, Expr, Stack};
use crate::spec::{DashboardSpec, Str};
use std::ops::Range;

#[derive(Debug, Clone)]
pub struct Dashboard {
    pub title: String,
    pub uid: Option<String>,
    pub panels: Vec<Panel>,
}

#[derive(Debug, Clone)]
pub struct Panel {
    pub title: String,
    /// Grafana's panel type, e.g. `timeseries`.
    pub kind: String,
    /// Where the type was written; `None` when defaulted.
    pub kind_span: Option<Range<usize>>,
    pub unit: Option<String>,
    pub queries: Vec<PanelQuery>,
    pub allow: Allow,
}

#[derive(Debug, Clone)]
pub struct PanelQuery {
    /// `text` is the query as written, variables and all; `ast` is parsed
    /// from the substituted text.
    pub expr: Expr,
    pub legend: Option<String>,
    pub legend_span: Option<Range<usize>>,
}

pub(super) fn resolve(cx: &mut Ctx, specs: &[DashboardSpec], stack: &Stack) -> Vec<Dashboard> {
    specs
        .iter()
        .map(|d| Dashboard {
            title: d.title.get_ref().clone(),
            uid: d.uid.as_ref().map(|u| u.get_ref().clone()),
            panels: d
                .panel
                .iter()
                .map(|p| Panel {
                    title: p.title.get_ref().clone(),
                    kind: p
                        .kind
                        .as_ref()
                        .map_or("timeseries".to_string(), |k| k.get_ref().clone()),
                    kind_span: p.kind.as_ref().map(|k| k.span()),
                    unit: p.unit.as_ref().map(|u| u.get_ref().clone()),
                    queries: p
                        .query
                        .iter()
                        .map(|q| PanelQuery {
                            expr: query(cx, &q.expr, stack),
                            legend: q.legend.as_ref().map(|l| l.get_ref().clone()),
                            legend_span: q.legend.as_ref().map(|l| l.span()),
                        })
                        .collect(),
                    allow: cx.allow(&p.allow),
                })
                .collect(),
        })
        .collect()
}

fn query(cx: &mut Ctx, e: &Str, stack: &Stack) -> Expr {
    let text = grafana_vars::substitute(e.get_ref(), stack.scrape_interval);
    let parsed = promql_parser::parser::parse(&text);
    parse::located(
        cx,
        e,
        parsed,
        "in this query",
        "Grafana variables may appear inside matcher values and as `$__rate_interval`, `$__interval` or `$__range`; check brackets and quotes",
    )
}
