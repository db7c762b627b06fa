//! The generated README's alerting part: who receives each alert, how to
//! check the routing, and what each SLO records and alerts on.

use crate::model::slo::Sli;
use crate::model::{AlertRule, LabelMap, Model};
use serde::Serialize;

#[derive(Serialize)]
pub(super) struct Alerting {
    /// Receivers by name, for the "who gets it" overview.
    receivers: Vec<String>,
    route_cases: usize,
    slos: Vec<SloRow>,
}

#[derive(Serialize)]
struct SloRow {
    name: String,
    objective: String,
    period: String,
    indicator: String,
    tiers: String,
    file: String,
}

/// The receivers an alert reaches, as the README shows them; empty without
/// an `[alertmanager]`.
pub(super) fn receivers(model: &Model, alert: &AlertRule) -> String {
    let Some(am) = &model.alertmanager else {
        return String::new();
    };
    let mut labels: LabelMap = model.stack.external_labels.clone();
    labels.extend(alert.labels.clone());
    labels.insert("alertname".into(), alert.name.clone());
    am.route.receivers(&labels).join(", ")
}

pub(super) fn alerting(model: &Model) -> Option<Alerting> {
    let am = model.alertmanager.as_ref()?;
    let slos = model
        .slos
        .iter()
        .map(|s| SloRow {
            name: s.name.clone(),
            objective: format!("{}%", s.objective),
            period: s.period.to_string(),
            indicator: match &s.sli {
                Sli::Ratio { errors, total } => format!("`{errors}` / `{total}`"),
                Sli::Latency {
                    histogram,
                    threshold,
                    ..
                } => {
                    format!("`{histogram}` above {threshold}")
                }
                Sli::Availability { jobs } => format!("`up` of {}", jobs.join(", ")),
            },
            tiers: s
                .tiers
                .iter()
                .map(|t| {
                    let pairs: Vec<String> = t
                        .windows
                        .iter()
                        .map(|w| {
                            format!(
                                "{}/{} at {}×",
                                w.long,
                                w.short,
                                (w.factor(s.period) * 1e4).round() / 1e4
                            )
                        })
                        .collect();
                    format!("{} ({})", t.tier.as_str(), pairs.join(", "))
                })
                .collect::<Vec<_>>()
                .join("; "),
            file: format!("slo-{}", s.name),
        })
        .collect();
    Some(Alerting {
        receivers: am.receivers.iter().map(|r| r.name.clone()).collect(),
        route_cases: crate::render::alertmanager::route_cases::cases(model, am).len(),
        slos,
    })
}
