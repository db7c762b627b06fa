//! An alert's annotations and labels are Go templates: one that Go's
//! `text/template` does not parse makes promtool refuse the rules file and
//! Prometheus the rule group, so it is a spec error, placed at its value.
//! Function names are left to the lint (`lint/template-unknown-function`),
//! which suggests the one meant.

use crate::diagnostics::Finding;
use crate::model::core::go_template::{action_at, check as parse, PROMETHEUS_VARS};
use crate::model::core::{AlertRule, Ctx};
use crate::spec::SpecCode;

pub fn check(cx: &mut Ctx, alert: &AlertRule) {
    for (key, text, place, what) in alert.templates() {
        let Err(e) = parse(text, PROMETHEUS_VARS, &|_| true) else {
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
            .help("Prometheus reads annotations and labels with Go's text/template: each `{{` needs its `}}`, each `if`/`range`/`with` its `{{ end }}`; write a literal `{{` as `{{ \"{{\" }}`"),
        );
    }
}
