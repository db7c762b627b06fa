//! Checks of dashboard panels: each query like a rule expression, the labels
//! its legend shows, and panel types Grafana no longer ships.

use super::context::Context;
use super::{checks, infer, labels, template, Found};
use crate::diagnostics::{suggest, Finding};
use crate::model::{Panel, PanelQuery};

/// Angular panels, removed in Grafana 12, and what replaces each.
const REMOVED_TYPES: &[(&str, &str)] = &[
    ("graph", "timeseries"),
    ("singlestat", "stat"),
    ("table-old", "table"),
    ("grafana-piechart-panel", "piechart"),
    ("grafana-worldmap-panel", "geomap"),
];

pub fn panel(cx: &Context, panel: &Panel) -> Vec<Found> {
    let mut found: Vec<Found> = panel.queries.iter().flat_map(|q| query(cx, q)).collect();
    if let Some((old, new)) = REMOVED_TYPES.iter().find(|(old, _)| *old == panel.kind) {
        found.push((
            Finding::warning(
                "lint/removed-panel-type",
                format!("panel type `{old}` is an Angular panel, removed in Grafana 12: Grafana converts it on load, and the dashboard changes under you"),
            )
            .help(format!("use `type = \"{new}\"`")),
            panel.kind_span.clone(),
        ));
    }
    found
}

/// A panel query: its selectors and labels, and the labels its legend shows.
fn query(cx: &Context, q: &PanelQuery) -> Vec<Found> {
    let Some(ast) = &q.expr.ast else {
        return Vec::new();
    };
    let mut found = Vec::new();
    checks::selectors(cx, ast, &mut found);
    let labels = infer::infer(cx, ast, &mut found);
    let mut found: Vec<Found> = found
        .into_iter()
        .map(|f| (f, q.expr.origin.span()))
        .collect();
    let legend = q.legend.as_deref().unwrap_or_default();
    // `__name__` is there as long as the query returns raw series.
    for l in template::legend_labels(legend)
        .into_iter()
        .filter(|l| l != "__name__")
    {
        if labels.never(&l) {
            found.push((
                Finding::error(
                    "lint/legend-label-missing",
                    format!("the legend shows `{{{{{l}}}}}`, but the query's series never carry `{l}`: every line gets the same empty name"),
                )
                .focus(format!("{{{{{l}}}}}"))
                .help(cx.external_hint(&l).unwrap_or_else(|| {
                    suggest(&l, labels.known().map(String::as_str), || {
                        format!("the query returns {}", labels::list(labels.known()))
                    })
                })),
                q.legend_span.clone(),
            ));
        }
    }
    found
}
