//! Alertmanager runs a receiver's text fields (Slack title and text,
//! PagerDuty description, e-mail headers, ...) as Go templates when it
//! sends, not when it loads: amtool passes a broken one, and the
//! notification fails at the worst moment. Each is parsed here as
//! Alertmanager would, with its function map.

use crate::diagnostics::Finding;
use crate::model::core::go_template::{action_at, check_for, help, Runner};
use crate::model::core::Ctx;
use crate::spec::{ReceiverSpec, SpecCode, Str};

/// Reports each templated field of `r` that Alertmanager would not parse.
pub fn check(cx: &mut Ctx, r: &ReceiverSpec) {
    for (field, value) in fields(r) {
        let Err(e) = check_for(value.get_ref(), Runner::Alertmanager) else {
            continue;
        };
        cx.push(
            Finding::new(
                SpecCode::BadTemplate,
                format!(
                    "`{field}` of receiver `{}` does not parse as a Go template: {}",
                    r.name.get_ref(),
                    e.message
                ),
            )
            .at(value.span())
            .focus(action_at(value.get_ref(), e.at))
            .help(help(&e, Runner::Alertmanager)),
        );
    }
}

/// The fields of `r` Alertmanager reads as templates, by their spec names.
fn fields(r: &ReceiverSpec) -> Vec<(String, &Str)> {
    let mut out: Vec<(String, &Str)> = Vec::new();
    for e in &r.email {
        out.push(("email.to".into(), &e.to));
        out.extend(e.from.iter().map(|v| ("email.from".into(), v)));
        out.extend(
            e.headers
                .iter()
                .map(|(k, v)| (format!("email.headers.{}", k.get_ref()), v)),
        );
    }
    for p in &r.pagerduty {
        out.extend(
            p.description
                .iter()
                .map(|v| ("pagerduty.description".into(), v)),
        );
        out.extend(p.severity.iter().map(|v| ("pagerduty.severity".into(), v)));
    }
    for s in &r.slack {
        out.extend(s.channel.iter().map(|v| ("slack.channel".into(), v)));
        out.extend(s.title.iter().map(|v| ("slack.title".into(), v)));
        out.extend(s.text.iter().map(|v| ("slack.text".into(), v)));
    }
    for o in &r.opsgenie {
        for (name, v) in [
            ("message", &o.message),
            ("description", &o.description),
            ("priority", &o.priority),
            ("tags", &o.tags),
        ] {
            out.extend(v.iter().map(|v| (format!("opsgenie.{name}"), v)));
        }
    }
    out
}
