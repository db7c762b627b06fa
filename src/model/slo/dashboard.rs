//! The SLO dashboard: per SLO a row with the objective against the actual
//! over the period, the error budget left, the burn rate per window and the
//! error ratio against the budget, all read from the SLO's recorded series.

use super::rules::ratio_name;
use super::Slo;
use crate::model::core::dashboard::{lay_out, query, row_panel, FOLDER};
use crate::model::core::numbers::format_number;
use crate::model::core::{Allow, Ctx, Dashboard, Panel, PanelQuery, Stack, Threshold};

/// `None` without SLOs: an empty dashboard would only say nothing is there.
pub(crate) fn resolve(cx: &mut Ctx, slos: &[Slo], stack: &Stack) -> Option<Dashboard> {
    if slos.is_empty() {
        return None;
    }
    let mut panels = Vec::new();
    let mut sizes = Vec::new();
    for slo in slos {
        panels.push(row_panel(&format!(
            "{} ({}% over {})",
            slo.name,
            format_number(slo.objective),
            slo.period
        )));
        sizes.push((None, None));
        for p in budget_panels(slo).into_iter().chain(burn_panels(slo)) {
            sizes.push((Some(p.width), None));
            panels.push(panel(cx, slo, p, stack));
        }
    }
    lay_out(&mut panels, &sizes);
    Some(Dashboard {
        uid: "lloom-slos".into(),
        title: "Lloom SLOs".into(),
        description: "Every SLO of the spec: objective against actual, error budget left, burn rate per window.".into(),
        folder: FOLDER.into(),
        tags: vec!["lloom".into(), "slo".into()],
        variables: Vec::new(),
        panels,
    })
}

/// A panel of an SLO's row, its queries (with their legends) still text.
struct SloPanel {
    title: &'static str,
    kind: &'static str,
    unit: &'static str,
    description: String,
    queries: Vec<(String, &'static str)>,
    thresholds: Vec<Threshold>,
    width: u32,
}

/// Every panel links to the runbook of the SLO's alert.
fn panel(cx: &mut Ctx, slo: &Slo, p: SloPanel, stack: &Stack) -> Panel {
    let alert = format!("{}BudgetBurn", slo.camel_name());
    let runbook = format!(
        "{}/{}BudgetBurn.md",
        stack.runbook_base_url,
        slo.camel_name()
    );
    Panel {
        kind: p.kind.into(),
        unit: Some(p.unit.into()),
        description: p.description,
        thresholds: p.thresholds,
        links: vec![(alert, runbook)],
        queries: p
            .queries
            .into_iter()
            .map(|(expr, legend)| PanelQuery {
                expr: query(cx, &expr, None, stack),
                legend: Some(legend.to_string()),
                legend_span: None,
            })
            .collect(),
        allow: Allow::new(),
        ..row_panel(p.title)
    }
}

/// `series{slo="<name>"}`: a series the SLO's own rules record.
fn own(slo: &Slo, series: &str) -> String {
    format!("{series}{{slo=\"{}\"}}", slo.name)
}

/// Where the SLO stands over its period: the actual against the objective,
/// and the budget left.
fn budget_panels(slo: &Slo) -> Vec<SloPanel> {
    let objective = format_number(slo.objective);
    vec![
        SloPanel {
            title: "Actual over the period",
            kind: "stat",
            unit: "percent",
            description: format!(
                "The share of good events over the last {}, against the objective of {objective}%.",
                slo.period
            ),
            queries: vec![(
                format!("100 * (1 - {})", own(slo, &ratio_name(slo.period))),
                "actual",
            )],
            thresholds: Threshold::steps(&[("red", None), ("green", Some(slo.objective))]),
            width: 6,
        },
        SloPanel {
            title: "Error budget left",
            kind: "gauge",
            unit: "percentunit",
            description: format!(
                "How much of the {} error budget ({}% of events) is left: 1 untouched, 0 spent.",
                slo.period,
                format_number(slo.budget * 100.0)
            ),
            queries: vec![(own(slo, "slo:error_budget:remaining"), "left")],
            thresholds: Threshold::steps(&[
                ("red", None),
                ("orange", Some(0.25)),
                ("green", Some(0.5)),
            ]),
            width: 6,
        },
    ]
}

/// How fast the budget goes now: the burn rate per window, and the error
/// ratio over the shortest window against the budget.
fn burn_panels(slo: &Slo) -> Vec<SloPanel> {
    let budget = format_number(slo.budget);
    let short = slo.windows().first().copied().unwrap_or(slo.budget_step());
    vec![
        SloPanel {
            title: "Burn rate per window",
            kind: "timeseries",
            unit: "none",
            description: "How fast each window spends the budget: 1 spends it exactly over the period; the page tier fires above 14.4 (1h) or 6 (6h) on a 30-day period.".into(),
            queries: vec![(own(slo, "slo:error_budget:burn_rate"), "{{window}}")],
            thresholds: Threshold::steps(&[("green", None), ("orange", Some(1.0))]),
            width: 12,
        },
        SloPanel {
            title: "Error ratio against the budget",
            kind: "timeseries",
            unit: "percentunit",
            description: format!("The error ratio over {short} against the budget of {budget}: above the budget line, the SLO is being missed right now."),
            queries: vec![
                (own(slo, &ratio_name(short)), "error ratio"),
                (
                    format!("{budget} + 0 * {}", own(slo, &ratio_name(short))),
                    "budget",
                ),
            ],
            thresholds: Vec::new(),
            width: 24,
        },
    ]
}
