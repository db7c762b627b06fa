//! An alert's annotations and labels are Go templates: one that Go's
//! `text/template` does not parse, or that calls a function Prometheus does
//! not define, makes promtool refuse the rules file and Prometheus the rule
//! group, so it is a spec error, placed at its value.

use crate::diagnostics::Finding;
use crate::model::core::go_template::{action_at, check_for, help, Runner};
use crate::model::core::{AlertRule, Ctx, Rule, RuleGroup};
use crate::spec::SpecCode;

/// Checks the templates of every alert of `groups`: the spec's own, and
/// the generated ones that show the spec's text (SLO descriptions, runbook
/// URLs).
pub fn check_all(cx: &mut Ctx, groups: &[RuleGroup]) {
    for g in groups {
        for rule in &g.rules {
            if let Rule::Alert(alert) = rule {
                check(cx, alert);
            }
        }
    }
}

fn check(cx: &mut Ctx, alert: &AlertRule) {
    for (key, text, place, what) in alert.templates() {
        let Err(e) = check_for(text, Runner::Prometheus) else {
            continue;
        };
        cx.push(
            Finding::new(
                SpecCode::BadTemplate,
                format!(
                    "{what} `{key}` of `{}` does not parse as a Go template: {}",
                    alert.name, e.message
                ),
            )
            .at_opt(place.cloned())
            .focus(action_at(text, e.at))
            .help(help(&e, Runner::Prometheus)),
        );
    }
}
