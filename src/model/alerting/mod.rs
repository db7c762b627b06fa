//! `[alertmanager]` resolved: the routing tree, receivers, inhibitions, time
//! intervals and the route tests that prove who gets which alert.

pub mod matchers;
pub mod receivers;
pub mod routing;

use crate::diagnostics::{suggest, Finding};
use crate::model::core::{Ctx, Duration, LabelMap};
use crate::spec::{AlertmanagerSpec, InhibitSpec, RouteSpec, SpecCode, Str, TimeIntervalSpec};
use matchers::{MatchOp, Matcher};
use receivers::Receiver;
use routing::Route;
use std::collections::BTreeSet;
use std::ops::Range;

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
pub struct Inhibit {
    pub source: Vec<Matcher>,
    pub target: Vec<Matcher>,
    pub equal: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct TimeInterval {
    pub name: String,
    pub weekdays: Vec<String>,
    /// `(start, end)` as `HH:MM`.
    pub times: Vec<(String, String)>,
    pub days_of_month: Vec<String>,
    pub months: Vec<String>,
    pub location: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RouteTest {
    /// What the case is about, for the rendered script's comments.
    pub about: String,
    pub labels: LabelMap,
    pub receivers: Vec<String>,
    pub span: Option<Range<usize>>,
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

pub(crate) fn resolve(cx: &mut Ctx, spec: &AlertmanagerSpec) -> Alertmanager {
    let smtp = spec.smtp.as_ref().map(|s| {
        receivers::inline_secret(
            cx,
            s.auth_password.as_ref(),
            "auth_password",
            "auth_password_file",
        );
        Smtp {
            from: s.from.get_ref().clone(),
            smarthost: s.smarthost.get_ref().clone(),
            hello: s.hello.as_ref().map(|h| h.get_ref().clone()),
            auth_username: s.auth_username.as_ref().map(|u| u.get_ref().clone()),
            auth_password_file: s.auth_password_file.as_ref().map(|p| p.get_ref().clone()),
            require_tls: s.require_tls,
        }
    });
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
            && smtp.is_none()
        {
            cx.push(
                Finding::new(SpecCode::MissingKey, format!("email receiver `{}` has no SMTP server", r.name.get_ref()))
                    .at(r.name.span())
                    .help("add `[alertmanager.smtp]` with `from` and `smarthost`, or set both on the receiver"),
            );
        }
        receivers.push(receiver);
    }
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
    let mut inhibit = if spec.builtin_inhibit == Some(false) {
        Vec::new()
    } else {
        builtin_inhibitions()
    };
    inhibit.extend(spec.inhibit.iter().map(|i| inhibition(cx, i)));
    let route_tests = spec
        .route_test
        .iter()
        .map(|t| RouteTest {
            about: "from the spec".into(),
            labels: cx.labels(&t.labels, "route test label"),
            receivers: t
                .receivers
                .iter()
                .filter(|r| known.receiver(cx, r))
                .map(|r| r.get_ref().clone())
                .collect(),
            span: t.labels.keys().next().map(|k| k.span()),
        })
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

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

fn time_interval(cx: &mut Ctx, t: &TimeIntervalSpec) -> Option<TimeInterval> {
    let mut ok = true;
    for d in &t.weekdays {
        let day = d.get_ref().to_lowercase();
        let valid = day.split(':').all(|p| WEEKDAYS.contains(&p));
        if !valid {
            ok = false;
            cx.push(
                Finding::new(
                    SpecCode::BadWeekday,
                    format!("`{}` is not a weekday or a range of them", d.get_ref()),
                )
                .at(d.span())
                .help(suggest(&day, WEEKDAYS, || {
                    "use `monday` … `sunday`, or a range such as `monday:friday`".into()
                })),
            );
        }
    }
    let mut times = Vec::new();
    for r in &t.times {
        match r
            .get_ref()
            .split_once('-')
            .filter(|(a, b)| is_clock(a) && is_clock(b) && a < b)
        {
            Some((a, b)) => times.push((a.to_string(), b.to_string())),
            None => {
                ok = false;
                cx.push(
                    Finding::new(SpecCode::BadTimeRange, format!("`{}` is not a time range", r.get_ref()))
                        .at(r.span())
                        .help("write `HH:MM-HH:MM`, start before end, e.g. `09:00-17:00` (`24:00` ends the day)"),
                );
            }
        }
    }
    let list = |v: &[Str]| v.iter().map(|s| s.get_ref().clone()).collect();
    ok.then(|| TimeInterval {
        name: t.name.get_ref().clone(),
        weekdays: t
            .weekdays
            .iter()
            .map(|d| d.get_ref().to_lowercase())
            .collect(),
        times,
        days_of_month: list(&t.days_of_month),
        months: list(&t.months),
        location: t.location.as_ref().map(|l| l.get_ref().clone()),
    })
}

/// `HH:MM` with a valid hour and minute; `24:00` is the end of the day.
fn is_clock(s: &str) -> bool {
    let Some((h, m)) = s.split_once(':') else {
        return false;
    };
    let (Ok(h), Ok(m)) = (h.parse::<u32>(), m.parse::<u32>()) else {
        return false;
    };
    h.to_string().len() <= 2 && s.len() == 5 && ((h < 24 && m < 60) || (h == 24 && m == 0))
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
