//! The routing tree, and which receivers an alert with given labels reaches,
//! evaluated as Alertmanager does (first matching child unless `continue`,
//! the node itself when no child matches). The route tests rendered from this
//! are run with `amtool config routes test`, so the two must agree.

use super::matchers::Matcher;
use crate::model::core::{Duration, LabelMap};
use std::ops::Range;

#[derive(Debug, Clone)]
pub struct Route {
    /// Inherited from the parent when `None`; the root always has one.
    pub receiver: Option<String>,
    pub receiver_span: Option<Range<usize>>,
    pub matchers: Vec<Matcher>,
    pub group_by: Option<Vec<String>>,
    pub group_wait: Option<Duration>,
    pub group_interval: Option<Duration>,
    pub repeat_interval: Option<Duration>,
    pub continue_: bool,
    pub mute_time_intervals: Vec<String>,
    pub active_time_intervals: Vec<String>,
    pub routes: Vec<Route>,
}

impl Route {
    /// The receivers an alert reaches, in Alertmanager's order. A receiver
    /// reached by two routes is listed twice, as amtool lists it: it is
    /// notified twice, once per route.
    pub fn receivers(&self, labels: &LabelMap) -> Vec<String> {
        let mut out = Vec::new();
        let root = self.receiver.as_deref().unwrap_or_default();
        self.walk(labels, root, &mut out);
        out
    }

    fn walk(&self, labels: &LabelMap, inherited: &str, out: &mut Vec<String>) {
        let receiver = self.receiver.as_deref().unwrap_or(inherited);
        let before = out.len();
        for child in &self.routes {
            if child.matchers.iter().all(|m| m.matches(labels)) {
                child.walk(labels, receiver, out);
                if !child.continue_ {
                    break;
                }
            }
        }
        if out.len() == before {
            out.push(receiver.to_string());
        }
    }

    /// Every route below and including this one.
    pub fn all(&self) -> Vec<&Route> {
        let mut out = vec![self];
        for r in &self.routes {
            out.extend(r.all());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::matchers::{MatchOp, Matcher};
    use super::*;

    fn route(
        receiver: Option<&str>,
        matcher: Option<(&str, &str)>,
        cont: bool,
        routes: Vec<Route>,
    ) -> Route {
        Route {
            receiver: receiver.map(str::to_string),
            receiver_span: None,
            matchers: matcher
                .map(|(l, v)| vec![Matcher::builtin(l, MatchOp::Equal, v)])
                .unwrap_or_default(),
            group_by: None,
            group_wait: None,
            group_interval: None,
            repeat_interval: None,
            continue_: cont,
            mute_time_intervals: vec![],
            active_time_intervals: vec![],
            routes,
        }
    }

    fn labels(pairs: &[(&str, &str)]) -> LabelMap {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_guide_routing() {
        let tree = route(
            Some("default"),
            None,
            false,
            vec![
                route(
                    Some("pagerduty"),
                    Some(("severity", "critical")),
                    true,
                    vec![],
                ),
                route(Some("slack"), Some(("severity", "warning")), false, vec![]),
            ],
        );
        assert_eq!(
            tree.receivers(&labels(&[("severity", "critical")])),
            ["pagerduty"]
        );
        assert_eq!(
            tree.receivers(&labels(&[("severity", "warning")])),
            ["slack"]
        );
        assert_eq!(
            tree.receivers(&labels(&[("severity", "info")])),
            ["default"]
        );
    }

    #[test]
    fn continue_reaches_later_siblings_and_children_inherit_the_receiver() {
        let tree = route(
            Some("default"),
            None,
            false,
            vec![
                route(
                    Some("pagerduty"),
                    Some(("severity", "critical")),
                    true,
                    vec![],
                ),
                route(
                    None,
                    Some(("team", "gpu")),
                    false,
                    vec![route(
                        Some("gpu-oncall"),
                        Some(("severity", "critical")),
                        false,
                        vec![],
                    )],
                ),
                route(Some("slack"), Some(("team", "gpu")), false, vec![]),
            ],
        );
        let crit_gpu = labels(&[("severity", "critical"), ("team", "gpu")]);
        assert_eq!(tree.receivers(&crit_gpu), ["pagerduty", "gpu-oncall"]);
        let warn_gpu = labels(&[("severity", "warning"), ("team", "gpu")]);
        assert_eq!(
            tree.receivers(&warn_gpu),
            ["default"],
            "the gpu route inherits `default`"
        );
    }
}
