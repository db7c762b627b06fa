//! Inhibitions: alerts that mute others while they fire, the built-in
//! pair (critical over warning, page over ticket) and the spec's own.

use super::matchers::{self, MatchOp, Matcher};
use crate::model::core::Ctx;
use crate::spec::{AlertmanagerSpec, InhibitSpec, Str};

#[derive(Debug, Clone)]
pub struct Inhibit {
    pub source: Vec<Matcher>,
    pub target: Vec<Matcher>,
    pub equal: Vec<String>,
}

/// The built-in inhibitions, unless `builtin_inhibit = false`, then the spec's.
pub(super) fn inhibitions(cx: &mut Ctx, spec: &AlertmanagerSpec) -> Vec<Inhibit> {
    let mut inhibit = if spec.builtin_inhibit == Some(false) {
        Vec::new()
    } else {
        builtin_inhibitions()
    };
    inhibit.extend(spec.inhibit.iter().map(|i| inhibition(cx, i)));
    inhibit
}

/// The built-in inhibitions: a critical alert mutes the warning of the same
/// alert on the same instance, and an SLO's page mutes its ticket.
fn builtin_inhibitions() -> Vec<Inhibit> {
    let eq = |l: &str, v: &str| vec![Matcher::builtin(l, MatchOp::Equal, v)];
    vec![
        Inhibit {
            source: eq("severity", "critical"),
            target: eq("severity", "warning"),
            equal: vec!["alertname".into(), "instance".into()],
        },
        Inhibit {
            source: eq("tier", "page"),
            target: eq("tier", "ticket"),
            equal: vec!["slo".into()],
        },
    ]
}

fn inhibition(cx: &mut Ctx, i: &InhibitSpec) -> Inhibit {
    let mut parse = |list: &[Str]| -> Vec<Matcher> {
        list.iter()
            .filter_map(|m| matchers::parse(m).map_err(|f| cx.push(*f)).ok())
            .collect()
    };
    let source = parse(&i.source_matchers);
    let target = parse(&i.target_matchers);
    let equal = i
        .equal
        .iter()
        .filter(|l| cx.label_syntax(l, "equal"))
        .map(|l| l.get_ref().clone())
        .collect();
    Inhibit {
        source,
        target,
        equal,
    }
}
