//! Checks of dashboard panels: each query like a rule expression, the labels
//! its legend shows, and panel types Grafana no longer ships.

use super::codes::LintCode;
use super::context::Context;
use super::{checks, infer, labels, template, Found};
use crate::diagnostics::{suggest, Finding};
use crate::model::core::dashboard::RESERVED_VARIABLES;
use crate::model::core::grafana_vars;
use crate::model::dashboards::REMOVED_KINDS;
use crate::model::{Dashboard, Panel, PanelQuery, Variable};

pub fn panel(cx: &Context, dashboard: &Dashboard, panel: &Panel) -> Vec<Found> {
    let mut found: Vec<Found> = panel.queries.iter().flat_map(|q| query(cx, q)).collect();
    for q in &panel.queries {
        // Each text with its own place: a variable is reported where it is
        // written, in whichever of Grafana's spellings.
        let texts = [
            (Some(q.expr.text.as_str()), q.expr.origin.span()),
            (q.legend.as_deref(), q.legend_span.clone()),
        ];
        for (text, place) in texts {
            for v in text.into_iter().flat_map(grafana_vars::references) {
                if !defined(dashboard, &v) {
                    let finding = unknown_variable(dashboard, &v, text.unwrap_or_default());
                    found.push((finding, place.clone()));
                }
            }
        }
    }
    if let Some((old, new)) = REMOVED_KINDS.iter().find(|(old, _)| *old == panel.kind) {
        found.push((
            Finding::new(
                LintCode::RemovedPanelType,
                format!("panel type `{old}` is an Angular panel, removed in Grafana 12: Grafana converts it on load, and lloom-monctl writes `{new}` for it"),
            )
            .help(format!("use `type = \"{new}\"`")),
            panel.kind_span.clone(),
        ));
    }
    found
}

/// `label_values(<selector>, <label>)`: the selector like a query, and the
/// label among those its series carry, else the variable offers nothing.
pub fn variable(cx: &Context, v: &Variable) -> Vec<Found> {
    let Some(ast) = &v.selector.ast else {
        return Vec::new();
    };
    let mut found = Vec::new();
    checks::selectors(cx, ast, &mut found);
    // label_values() reads labels only: a raw counter is no mistake here.
    found.retain(|f| f.code != "lint/counter-without-rate");
    let labels = infer::infer(cx, ast, &mut found);
    if labels.never(&v.values_of) {
        found.push(
            Finding::new(
                LintCode::VariableLabelMissing,
                format!("variable `{}` offers the values of `{}`, which the series of `{}` never carry: it stays empty", v.name, v.values_of, v.selector.text),
            )
            .focus(v.values_of.clone())
            .help(suggest(&v.values_of, labels.known().map(String::as_str), || format!("the series carry {}", labels::list(labels.known())))),
        );
    }
    let span = v.selector.origin.span();
    found.into_iter().map(|f| (f, span.clone())).collect()
}

fn defined(dashboard: &Dashboard, name: &str) -> bool {
    RESERVED_VARIABLES.contains(&name) || dashboard.variables.iter().any(|v| v.name == name)
}

/// How `text` spells variable `name`: `${name...}` up to its `}`, `[[name]]`,
/// or `$name`.
fn written(text: &str, name: &str) -> String {
    let braced = format!("${{{name}");
    if let Some(at) = text.find(&braced) {
        if let Some(end) = text[at..].find('}') {
            return text[at..=at + end].to_string();
        }
    }
    let bracketed = format!("[[{name}]]");
    if text.contains(&bracketed) {
        return bracketed;
    }
    format!("${name}")
}

/// `text` is where it is used: the caret goes under the spelling written
/// there (`$v`, `${v:regex}` or `[[v]]`).
fn unknown_variable(dashboard: &Dashboard, name: &str, text: &str) -> Finding {
    let known: Vec<&str> = RESERVED_VARIABLES
        .iter()
        .copied()
        .chain(dashboard.variables.iter().map(|v| v.name.as_str()))
        .collect();
    Finding::new(
        LintCode::UnknownVariable,
        format!(
            "`${name}` is not a variable of dashboard `{}`: Grafana leaves it in the query as text",
            dashboard.title
        ),
    )
    .focus(written(text, name))
    .help(suggest(name, known.iter().copied(), || {
        format!(
            "define it with `[[dashboard.variable]]`; the dashboard has {}",
            known.join(", ")
        )
    }))
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
                Finding::new(
                    LintCode::LegendLabelMissing,
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
