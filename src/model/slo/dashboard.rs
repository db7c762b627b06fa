//! The SLO dashboard: per SLO a row with the objective against the actual
//! over the period, the error budget left, the burn rate per window and the
//! error ratio against the budget, all read from the SLO's recorded series.

use super::rules::ratio_name;
use super::Slo;
use crate::model::core::dashboard::{lay_out, query, row_panel, FOLDER};
use crate::model::core::numbers::format_number;
use crate::model::core::{Allow, Ctx, Dashboard, Panel, PanelQuery, Stack, Threshold};

pub(crate) fn resolve(cx: &mut Ctx, slos: &[Slo], stack: &Stack) -> Option<Dashboard> {
    if slos.is_empty() {
        return None;
    }
    let mut panels = Vec::new();
    let mut sizes = Vec::new();
    for slo in slos {
        let sel = |series: &str| format!("{series}{{slo=\"{}\"}}", slo.name);
        let budget = format_number(slo.budget);
        let objective = format_number(slo.objective);
        let runbook = format!(
            "{}/{}BudgetBurn.md",
            stack.runbook_base_url,
            slo.camel_name()
        );
        panels.push(row_panel(&format!(
            "{} ({objective}% over {})",
            slo.name, slo.period
        )));
        sizes.push((None, None));
        let mut panel = |cx: &mut Ctx,
                         title: &str,
                         kind: &str,
                         unit: &str,
                         description: String,
                         queries: Vec<(String, &str)>,
                         thresholds: Vec<Threshold>,
                         width: u32| {
            sizes.push((Some(width), None));
            Panel {
                kind: kind.into(),
                unit: Some(unit.into()),
                description,
                thresholds,
                links: vec![(format!("{}BudgetBurn", slo.camel_name()), runbook.clone())],
                queries: queries
                    .into_iter()
                    .map(|(expr, legend)| PanelQuery {
                        expr: query(cx, &expr, None, stack),
                        legend: Some(legend.to_string()),
                        legend_span: None,
                    })
                    .collect(),
                allow: Allow::new(),
                ..row_panel(title)
            }
        };
        let step = Threshold::steps(&[("red", None), ("green", Some(slo.objective))]);
        panels.push(panel(
            cx,
            "Actual over the period",
            "stat",
            "percent",
            format!(
                "The share of good events over the last {}, against the objective of {objective}%.",
                slo.period
            ),
            vec![(
                format!("100 * (1 - {})", sel(&ratio_name(slo.period))),
                "actual",
            )],
            step,
            6,
        ));
        let left = Threshold::steps(&[("red", None), ("orange", Some(0.25)), ("green", Some(0.5))]);
        panels.push(panel(
            cx,
            "Error budget left",
            "gauge",
            "percentunit",
            format!(
                "How much of the {} error budget ({}% of events) is left: 1 untouched, 0 spent.",
                slo.period,
                format_number(slo.budget * 100.0)
            ),
            vec![(sel("slo:error_budget:remaining"), "left")],
            left,
            6,
        ));
        let burn = Threshold::steps(&[("green", None), ("orange", Some(1.0))]);
        panels.push(panel(cx, "Burn rate per window", "timeseries", "none", "How fast each window spends the budget: 1 spends it exactly over the period; the page tier fires above 14.4 (1h) or 6 (6h) on a 30-day period.".into(), vec![(sel("slo:error_budget:burn_rate"), "{{window}}")], burn, 12));
        let short = slo.windows().first().copied().unwrap_or(slo.budget_step());
        let ratios = vec![
            (sel(&ratio_name(short)), "error ratio"),
            (
                format!("{budget} + 0 * {}", sel(&ratio_name(short))),
                "budget",
            ),
        ];
        panels.push(panel(cx, "Error ratio against the budget", "timeseries", "percentunit", format!("The error ratio over {short} against the budget of {budget}: above the budget line, the SLO is being missed right now."), ratios, Vec::new(), 24));
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
