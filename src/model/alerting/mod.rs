//! `[alertmanager]` resolved: the routing tree, receivers, inhibitions, time
//! intervals and the route tests that prove who gets which alert.
//! Inhibitions and time intervals have their own files.

mod inhibitions;
pub mod matchers;
mod notification_templates;
pub mod receivers;
pub mod routing;
mod smtp;
mod time_intervals;

use crate::diagnostics::{suggest, Finding};
use crate::model::core::{Ctx, Duration, LabelMap};
use crate::spec::{AlertmanagerSpec, RouteSpec, RouteTestSpec, SmtpSpec, SpecCode, Str};
use inhibitions::inhibitions;
pub use inhibitions::Inhibit;
use receivers::Receiver;
use routing::Route;
use std::collections::BTreeSet;
use std::ops::Range;
use time_intervals::time_interval;
pub use time_intervals::TimeInterval;

#[derive(Debug, Clone)]
pub struct Alertmanager {
    pub resolve_timeout: Option<Duration>,
    pub smtp: Option<Smtp>,
    pub slack_api_url_file: Option<String>,
    pub route: Route,
    pub receivers: Vec<Receiver>,
    pub inhibit: Vec<Inhibit>,
    pub time_intervals: Vec<TimeInterval>,
    /// The spec's route tests; the per-alert ones are derived at render time.
    pub route_tests: Vec<RouteTest>,
}

#[derive(Debug, Clone)]
pub struct Smtp {
    pub from: String,
    pub smarthost: String,
    pub hello: Option<String>,
    pub auth_username: Option<String>,
    pub auth_password_file: Option<String>,
    pub require_tls: Option<bool>,
}

#[derive(Debug, Clone)]
pub struct RouteTest {
    /// What the case is about, for the rendered script's comments.
    pub about: String,
    pub labels: LabelMap,
    pub receivers: Vec<String>,
    pub span: Option<Range<usize>>,
}

/// The Alertmanager config's content: receivers and time intervals first,
/// since the routes and route tests name them.
pub(crate) fn resolve(cx: &mut Ctx, spec: &AlertmanagerSpec) -> Alertmanager {
    let smtp = spec.smtp.as_ref().map(|s| self::smtp(cx, s));
    let receivers = self::receivers(cx, spec, smtp.is_some());
    let time_intervals: Vec<TimeInterval> = spec
        .time_interval
        .iter()
        .filter_map(|t| time_interval(cx, t))
        .collect();
    let known = Known {
        receivers: receivers.iter().map(|r| r.name.clone()).collect(),
        intervals: time_intervals.iter().map(|t| t.name.clone()).collect(),
    };
    let mut route = self::route(cx, &spec.route, &known, true);
    if route.receiver.is_none() {
        route.receiver = Some(String::new());
    }
    let inhibit = inhibitions(cx, spec);
    let route_tests = spec
        .route_test
        .iter()
        .map(|t| route_test(cx, t, &known))
        .collect();
    Alertmanager {
        resolve_timeout: cx.duration(spec.resolve_timeout.as_ref(), "resolve_timeout"),
        smtp,
        slack_api_url_file: spec
            .slack_api_url_file
            .as_ref()
            .map(|s| s.get_ref().clone()),
        route,
        receivers,
        inhibit,
        time_intervals,
        route_tests,
    }
}

/// The SMTP server; its password only ever as a file.
fn smtp(cx: &mut Ctx, s: &SmtpSpec) -> Smtp {
    crate::model::core::inline_secret(
        cx,
        s.auth_password.as_ref(),
        "auth_password",
        "auth_password_file",
    );
    smtp::check_addresses(cx, Some(&s.from), None, Some(&s.smarthost));
    Smtp {
        from: s.from.get_ref().clone(),
        smarthost: s.smarthost.get_ref().clone(),
        hello: s.hello.as_ref().map(|h| h.get_ref().clone()),
        auth_username: s.auth_username.as_ref().map(|u| u.get_ref().clone()),
        auth_password_file: s.auth_password_file.as_ref().map(|p| p.get_ref().clone()),
        require_tls: s.require_tls,
    }
}

/// Every receiver, each name once; an email receiver needs an SMTP server,
/// its own or `[alertmanager.smtp]`.
fn receivers(cx: &mut Ctx, spec: &AlertmanagerSpec, has_smtp: bool) -> Vec<Receiver> {
    let global_slack = spec.slack_api_url_file.is_some();
    let mut names = BTreeSet::new();
    let mut receivers = Vec::new();
    for r in &spec.receiver {
        if !names.insert(r.name.get_ref().clone()) {
            cx.push(
                Finding::new(
                    SpecCode::Duplicate,
                    format!("receiver `{}` is defined twice", r.name.get_ref()),
                )
                .at(r.name.span()),
            );
        }
        let receiver = receivers::receiver(cx, r, global_slack);
        if receiver.configs.iter().any(|c| matches!(c, receivers::ReceiverConfig::Email(e) if e.smarthost.is_none() || e.from.is_none()))
            && !has_smtp
        {
            cx.push(
                Finding::new(SpecCode::MissingKey, format!("email receiver `{}` has no SMTP server", r.name.get_ref()))
                    .at(r.name.span())
                    .help("add `[alertmanager.smtp]` with `from` and `smarthost`, or set both on the receiver"),
            );
        }
        receivers.push(receiver);
    }
    receivers
}

/// A `[[alertmanager.route_test]]`: labels and the receivers they must reach.
fn route_test(cx: &mut Ctx, t: &RouteTestSpec, known: &Known) -> RouteTest {
    RouteTest {
        about: "from the spec".into(),
        labels: cx.labels(&t.labels, "route test label"),
        receivers: t
            .receivers
            .iter()
            .filter(|r| known.receiver(cx, r))
            .map(|r| r.get_ref().clone())
            .collect(),
        span: t.labels.keys().next().map(|k| k.span()),
    }
}

/// Names a route may refer to.
struct Known {
    receivers: Vec<String>,
    intervals: Vec<String>,
}

impl Known {
    fn receiver(&self, cx: &mut Ctx, name: &Str) -> bool {
        let code = SpecCode::UnknownReceiver;
        check(
            cx,
            name,
            &self.receivers,
            code,
            "receiver",
            "[[alertmanager.receiver]]",
        )
    }

    fn interval(&self, cx: &mut Ctx, name: &Str) -> bool {
        let code = SpecCode::UnknownTimeInterval;
        check(
            cx,
            name,
            &self.intervals,
            code,
            "time interval",
            "[[alertmanager.time_interval]]",
        )
    }
}

/// Is `name` one of `known`? If not, a finding with did-you-mean.
fn check(
    cx: &mut Ctx,
    name: &Str,
    known: &[String],
    code: SpecCode,
    what: &str,
    table: &str,
) -> bool {
    if known.iter().any(|k| k == name.get_ref()) {
        return true;
    }
    let help = suggest(name.get_ref(), known.iter().map(String::as_str), || {
        let listed = if known.is_empty() {
            "none".to_string()
        } else {
            known.join(", ")
        };
        format!("define it in {table}; known: {listed}")
    });
    cx.push(
        Finding::new(code, format!("no {what} named `{}`", name.get_ref()))
            .at(name.span())
            .help(help),
    );
    false
}

fn route(cx: &mut Ctx, r: &RouteSpec, known: &Known, root: bool) -> Route {
    for (field, table, op) in [("match", &r.match_, "="), ("match_re", &r.match_re, "=~")] {
        if let Some(t) = table {
            let converted: Vec<String> = t
                .get_ref()
                .iter()
                .map(|(k, v)| format!("'{k}{op}{}'", toml::Value::to_string(v)))
                .collect();
            cx.push(
                Finding::new(
                    SpecCode::DeprecatedMatch,
                    format!("`{field}` is deprecated in Alertmanager"),
                )
                .at(t.span())
                .help(format!("write `matchers = [{}]`", converted.join(", "))),
            );
        }
    }
    if root && r.receiver.is_none() {
        cx.push(
            Finding::new(
                SpecCode::MissingKey,
                "the root route needs a `receiver`: alerts no route matches go there",
            )
            .help("add `receiver = \"default\"` to `[alertmanager.route]`"),
        );
    }
    if root && (!r.matchers.is_empty() || r.continue_.is_some()) {
        cx.push(
            Finding::new(
                SpecCode::BadRoute,
                "the root route matches every alert: it takes no `matchers` or `continue`",
            )
            .at_opt(r.matchers.first().map(|m| m.span())),
        );
    }
    let receiver = r.receiver.as_ref().filter(|n| known.receiver(cx, n));
    let matchers = r
        .matchers
        .iter()
        .filter_map(|m| matchers::parse(m).map_err(|f| cx.push(*f)).ok())
        .collect();
    let mut intervals = |list: &[Str]| -> Vec<String> {
        list.iter()
            .filter(|n| known.interval(cx, n))
            .map(|n| n.get_ref().clone())
            .collect()
    };
    let mute_time_intervals = intervals(&r.mute_time_intervals);
    let active_time_intervals = intervals(&r.active_time_intervals);
    let group_by = r.group_by.as_ref().map(|g| {
        g.iter()
            .filter(|l| l.get_ref() == "..." || cx.label_syntax(l, "group_by"))
            .map(|l| l.get_ref().clone())
            .collect()
    });
    Route {
        receiver: receiver.map(|n| n.get_ref().clone()),
        receiver_span: r.receiver.as_ref().map(|n| n.span()),
        matchers,
        group_by,
        group_wait: cx.duration(r.group_wait.as_ref(), "group_wait"),
        group_interval: cx.duration(r.group_interval.as_ref(), "group_interval"),
        repeat_interval: cx.duration(r.repeat_interval.as_ref(), "repeat_interval"),
        continue_: r.continue_.unwrap_or(false),
        mute_time_intervals,
        active_time_intervals,
        routes: r
            .routes
            .iter()
            .map(|c| route(cx, c.get_ref(), known, false))
            .collect(),
    }
}

impl Alertmanager {
    /// Every secret file the config names, each once: compose mounts them as
    /// secrets, and the tests plant values in them.
    pub fn secret_files(&self) -> Vec<String> {
        use receivers::{PagerDutyKey, ReceiverConfig};
        let mut files: Vec<String> = Vec::new();
        files.extend(
            self.smtp
                .as_ref()
                .and_then(|s| s.auth_password_file.clone()),
        );
        files.extend(self.slack_api_url_file.clone());
        for c in self.receivers.iter().flat_map(|r| &r.configs) {
            match c {
                ReceiverConfig::Email(e) => files.extend(e.auth_password_file.clone()),
                ReceiverConfig::PagerDuty(p) => files.push(match &p.key {
                    PagerDutyKey::RoutingKeyFile(f) | PagerDutyKey::ServiceKeyFile(f) => f.clone(),
                }),
                ReceiverConfig::Slack(s) => files.extend(s.api_url_file.clone()),
                ReceiverConfig::Webhook(w) => files.extend(w.credentials_file.clone()),
                ReceiverConfig::Opsgenie(o) => files.push(o.api_key_file.clone()),
            }
        }
        files.sort();
        files.dedup();
        files
    }
}
