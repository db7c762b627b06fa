//! Routing against the alerts that exist: a matcher on a label no alert
//! carries, or on a value no alert has, routes nothing, and the alerts meant
//! for it fall through to another receiver.

use super::codes::LintCode;
use super::labels::LabelSet;
use crate::diagnostics::{suggest, Finding};
use crate::model::alerting::matchers::Matcher;
use crate::model::{AlertRule, Model};
use std::collections::{BTreeMap, BTreeSet};

/// The labels an alert reaches Alertmanager with.
pub struct AlertLabels {
    /// Labels whose value the rule or the stack fixes (`severity`,
    /// `alertname`, external labels).
    pub fixed: BTreeMap<String, String>,
    /// Labels from the expression's series; `None`: any label may come.
    pub series: Option<BTreeSet<String>>,
}

impl AlertLabels {
    pub fn of(model: &Model, alert: &AlertRule, set: &LabelSet) -> AlertLabels {
        let mut fixed = model.stack.external_labels.clone();
        fixed.extend(alert.labels.clone());
        fixed.insert("alertname".into(), alert.name.clone());
        let series = (!set.open).then(|| set.known().cloned().collect());
        AlertLabels { fixed, series }
    }

    fn may_carry(&self, label: &str) -> bool {
        self.fixed.contains_key(label) || self.series.as_ref().is_none_or(|s| s.contains(label))
    }
}

/// Every matcher the spec wrote in routes and inhibitions.
pub fn check(model: &Model, alerts: &[AlertLabels], out: &mut Vec<Finding>) {
    let Some(am) = &model.alertmanager else {
        return;
    };
    let matchers = am.route.all().into_iter().flat_map(|r| &r.matchers).chain(
        am.inhibit
            .iter()
            .flat_map(|i| i.source.iter().chain(&i.target)),
    );
    for m in matchers {
        let Some(span) = m.span.clone() else { continue }; // built-in inhibitions
        if let Some(f) = finding(m, alerts) {
            out.push(f.at(span));
        }
    }
}

fn finding(m: &Matcher, alerts: &[AlertLabels]) -> Option<Finding> {
    // A matcher that accepts the empty value matches alerts without the label.
    if m.accepts_any(&[String::new()]) {
        return None;
    }
    let carrying: Vec<&AlertLabels> = alerts.iter().filter(|a| a.may_carry(&m.name)).collect();
    if carrying.is_empty() {
        let known: BTreeSet<&str> = alerts
            .iter()
            .flat_map(|a| a.fixed.keys().chain(a.series.iter().flatten()))
            .map(String::as_str)
            .collect();
        return Some(
            Finding::new(
                LintCode::RouteLabelUnknown,
                format!(
                    "no alert carries the label `{}`, so `{m}` matches nothing",
                    m.name
                ),
            )
            .help(suggest(&m.name, known.iter().copied(), || {
                format!(
                    "alerts carry {}",
                    known.iter().copied().collect::<Vec<_>>().join(", ")
                )
            })),
        );
    }
    // Only where every alert with the label has a known value can a value be ruled out.
    let values: Option<Vec<String>> = carrying
        .iter()
        .map(|a| a.fixed.get(&m.name).cloned())
        .collect();
    let values = values?;
    if m.accepts_any(&values) {
        return None;
    }
    let mut shown = values.clone();
    shown.sort();
    shown.dedup();
    Some(
        Finding::new(
            LintCode::RouteLabelUnknown,
            format!("no alert has a `{}` that `{m}` accepts", m.name),
        )
        .help(suggest(&m.value, shown.iter().map(String::as_str), || {
            format!("the alerts' values are {}", shown.join(", "))
        })),
    )
}
