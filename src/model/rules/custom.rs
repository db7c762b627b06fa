//! Rule groups: the built-in pack for the parts the spec has, tuned by
//! `[pack.alert.*]`, plus the spec's own alerts and recording rules.

use super::pack::{Needs, PackAlert, ALERTS, GROUPS, RECORDS};
use crate::catalog::Catalog;
use crate::diagnostics::{suggest, Finding};
use crate::model::core::http_url;
use crate::model::core::names::{is_alert_name, is_simple_name};
use crate::model::core::numbers::format_number;
use crate::model::core::{
    parse, AlertRule, Allow, Ctx, Duration, Expr, LabelMap, Places, RecordRule, Rule,
};
use crate::model::core::{RuleGroup, Stack};
use crate::spec::{RecordSpec, Spec, SpecCode, Str};
use std::collections::BTreeMap;

const SEVERITIES: [&str; 3] = ["critical", "warning", "info"];
const CUSTOM_ALERTS: &str = "lloom_custom_alerts";
const CUSTOM_RECORDS: &str = "lloom_custom_recording";

/// Every rule group: the pack's groups first (empty ones dropped), then the
/// spec's own; group settings apply to both.
pub(crate) fn resolve(
    cx: &mut Ctx,
    spec: &Spec,
    stack: &Stack,
    catalog: &Catalog,
) -> Vec<RuleGroup> {
    let mut groups: Vec<RuleGroup> = GROUPS
        .iter()
        .map(|g| RuleGroup {
            name: g.name.to_string(),
            interval: g
                .interval
                .map(|i| Duration::parse(i).expect("built-in interval")),
            rules: Vec::new(),
        })
        .collect();
    check_pack_overrides(cx, spec);
    pack_rules(cx, spec, stack, &mut groups);
    spec_rules(cx, spec, stack, catalog, &mut groups);
    group_settings(cx, spec, &mut groups);
    groups.retain(|g| !g.rules.is_empty());
    groups
}

/// The pack's rules for the parts the spec has, unless `[pack] enabled = false`.
fn pack_rules(cx: &mut Ctx, spec: &Spec, stack: &Stack, groups: &mut Vec<RuleGroup>) {
    let has = |needs: Needs| brings(spec, needs);
    let pack = spec.pack.enabled != Some(false);
    for r in RECORDS.iter().filter(|r| pack && has(r.needs)) {
        let rule = Rule::Record(RecordRule {
            name: r.name.to_string(),
            expr: Expr::builtin(r.expr.to_string()),
            labels: LabelMap::new(),
            allow: Allow::new(),
            places: Places::default(),
        });
        push_rule(groups, r.group, rule);
    }
    for a in ALERTS.iter().filter(|a| pack && has(a.needs)) {
        if let Some(rule) = pack_alert(cx, spec, stack, a) {
            push_rule(groups, a.group, rule);
        }
    }
}

/// A pack alert as `[pack.alert.<name>]` tunes it; `None` where it is disabled.
fn pack_alert(cx: &mut Ctx, spec: &Spec, stack: &Stack, a: &PackAlert) -> Option<Rule> {
    let tuning = spec
        .pack
        .alert
        .iter()
        .find(|(k, _)| k.get_ref() == a.name)
        .map(|(_, v)| v);
    if tuning.and_then(|t| t.enabled) == Some(false) {
        return None;
    }
    let threshold = tuning
        .and_then(|t| t.threshold.as_ref())
        .map_or(a.threshold, |t| *t.get_ref());
    let for_ = match tuning.and_then(|t| t.for_.as_ref()) {
        Some(f) => cx.duration(Some(f), "for"),
        None => a
            .for_
            .map(|f| Duration::parse(f).expect("built-in duration")),
    };
    let severity = match tuning.and_then(|t| t.severity.as_ref()) {
        Some(s) => severity(cx, s),
        None => a.severity.to_string(),
    };
    let fill = |text: &str| self::fill(text, threshold);
    let mut labels = LabelMap::new();
    labels.insert("severity".into(), severity);
    Some(Rule::Alert(AlertRule {
        name: a.name.to_string(),
        expr: Expr::builtin(fill(a.expr)),
        for_,
        labels,
        annotations: annotations(fill(a.summary), fill(a.description), runbook(stack, a.name)),
        allow: tuning.map(|t| cx.allow(&t.allow)).unwrap_or_default(),
        places: Places::default(),
    }))
}

/// Rule name → where the spec named it; `None` for the pack's rules.
type RuleNames = BTreeMap<String, Option<std::ops::Range<usize>>>;

/// The spec's `[[alert]]`s, then its `[[record]]`s, each name unique
/// across the pack and the spec.
fn spec_rules(
    cx: &mut Ctx,
    spec: &Spec,
    stack: &Stack,
    catalog: &Catalog,
    groups: &mut Vec<RuleGroup>,
) {
    let mut names = RuleNames::new();
    for g in groups.iter() {
        for r in &g.rules {
            names.insert(r.name().to_string(), None);
        }
    }
    for a in &spec.alert {
        if let Some(rule) = custom_alert(cx, a, stack) {
            if unique(cx, &mut names, &a.name, "alert") {
                push_rule(
                    groups,
                    group_name(cx, a.group.as_ref(), CUSTOM_ALERTS),
                    rule,
                );
            }
        }
    }
    for r in &spec.record {
        if let Some(rule) = custom_record(cx, r, catalog, &mut names) {
            push_rule(
                groups,
                group_name(cx, r.group.as_ref(), CUSTOM_RECORDS),
                rule,
            );
        }
    }
}

/// `[rules.groups.<name>]`: settings for a group, pack or custom, that exists.
fn group_settings(cx: &mut Ctx, spec: &Spec, groups: &mut [RuleGroup]) {
    for (name, settings) in &spec.rules.groups {
        match groups.iter_mut().find(|g| &g.name == name.get_ref()) {
            Some(g) => {
                if let Some(i) = cx.duration(settings.interval.as_ref(), "interval") {
                    g.interval = Some(i);
                }
            }
            None => {
                let known: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
                let help = suggest(name.get_ref(), known.iter().copied(), || {
                    format!("known groups: {}", known.join(", "))
                });
                cx.push(
                    Finding::new(
                        SpecCode::UnknownGroup,
                        format!("no rule group named `{}`", name.get_ref()),
                    )
                    .at(name.span())
                    .help(help),
                );
            }
        }
    }
}

fn push_rule(groups: &mut Vec<RuleGroup>, group: &str, rule: Rule) {
    match groups.iter_mut().find(|g| g.name == group) {
        Some(g) => g.rules.push(rule),
        None => groups.push(RuleGroup {
            name: group.to_string(),
            interval: None,
            rules: vec![rule],
        }),
    }
}

fn check_pack_overrides(cx: &mut Ctx, spec: &Spec) {
    for (name, tuning) in &spec.pack.alert {
        if !ALERTS.iter().any(|a| a.name == name.get_ref()) {
            let help = suggest(name.get_ref(), ALERTS.iter().map(|a| a.name), || {
                "the built-in alerts are listed in the README; custom alerts go in [[alert]]".into()
            });
            cx.push(
                Finding::new(
                    SpecCode::UnknownAlert,
                    format!("no built-in alert named `{}`", name.get_ref()),
                )
                .at(name.span())
                .help(help),
            );
        }
        if let Some(t) = &tuning.threshold {
            if !t.get_ref().is_finite() {
                cx.push(
                    Finding::new(SpecCode::BadThreshold, "threshold must be a finite number")
                        .at(t.span()),
                );
            }
        }
    }
}

fn custom_alert(cx: &mut Ctx, a: &crate::spec::AlertSpec, stack: &Stack) -> Option<Rule> {
    let name = a.name.get_ref();
    if !is_alert_name(name) {
        cx.push(
            Finding::new(SpecCode::BadName, format!("`{name}` is not a usable alert name"))
                .at(a.name.span())
                .help("alert names hold letters, digits and `_` (at most 100), conventionally CamelCase such as `ExecutorQueueFull`"),
        );
        return None;
    }
    let expr = expr(cx, &a.expr);
    let for_ = cx.duration(a.for_.as_ref(), "for");
    let mut labels = cx.labels(&a.labels, "alert label");
    if labels.contains_key("severity") {
        cx.push(
            Finding::new(
                SpecCode::Duplicate,
                "set the severity with `severity`, not in `labels`",
            )
            .at_opt(
                a.labels
                    .keys()
                    .find(|k| k.get_ref() == "severity")
                    .map(|k| k.span()),
            )
            .help("remove `severity` from `labels`"),
        );
    }
    labels.insert("severity".into(), severity(cx, &a.severity));
    cx.label_value(&a.summary, "summary", true);
    cx.label_value(&a.description, "description", true);
    if let Some(u) = &a.runbook_url {
        runbook_url(cx, u);
    }
    let url = a
        .runbook_url
        .as_ref()
        .map_or_else(|| runbook(stack, name), |u| u.get_ref().clone());
    let mut annotations = annotations(
        a.summary.get_ref().clone(),
        a.description.get_ref().clone(),
        url,
    );
    for (k, v) in cx.annotations(&a.annotations) {
        if annotations.insert(k.clone(), v).is_some() {
            cx.push(
                Finding::new(
                    SpecCode::Duplicate,
                    format!("annotation `{k}` has its own key"),
                )
                .at_opt(
                    a.annotations
                        .keys()
                        .find(|x| x.get_ref() == &k)
                        .map(|x| x.span()),
                )
                .help("use `summary`, `description` and `runbook_url` directly"),
            );
        }
    }
    let mut places = Places {
        labels: Ctx::places(&a.labels),
        annotations: Ctx::places(&a.annotations),
    };
    places
        .annotations
        .insert("summary".into(), a.summary.span());
    places
        .annotations
        .insert("description".into(), a.description.span());
    if let Some(u) = &a.runbook_url {
        places.annotations.insert("runbook_url".into(), u.span());
    }
    places.labels.insert("severity".into(), a.severity.span());
    let alert = AlertRule {
        name: name.clone(),
        expr,
        for_,
        labels,
        annotations,
        allow: cx.allow(&a.allow),
        places,
    };
    Some(Rule::Alert(alert))
}

/// A `[[record]]`, checked against the catalog so that it never overwrites
/// a series Lloom exports; `None` where it is unusable or taken.
fn custom_record(
    cx: &mut Ctx,
    r: &RecordSpec,
    catalog: &Catalog,
    names: &mut RuleNames,
) -> Option<Rule> {
    let name = r.name.get_ref();
    if !cx.metric_name(&r.name, "recording rule") {
        return None;
    }
    if catalog.series(name).is_some() {
        cx.push(
            Finding::new(SpecCode::Duplicate, format!("recording rule `{name}` would overwrite catalog metric `{name}`"))
                .at(r.name.span())
                .help("name recorded series `level:metric:operations`, e.g. `job:lloom_client_requests:rate5m`"),
        );
        return None;
    }
    let expr = expr(cx, &r.expr);
    let labels = cx.labels(&r.labels, "rule label");
    if !unique(cx, names, &r.name, "recording rule") {
        return None;
    }
    Some(Rule::Record(RecordRule {
        name: name.clone(),
        expr,
        labels,
        allow: cx.allow(&r.allow),
        places: Places {
            labels: Ctx::places(&r.labels),
            annotations: Default::default(),
        },
    }))
}

fn unique(cx: &mut Ctx, names: &mut RuleNames, name: &Str, what: &str) -> bool {
    match names.get(name.get_ref()) {
        Some(first) => {
            let n = name.get_ref();
            let (message, label, help) = match first {
                None if ALERTS.iter().any(|a| a.name == n) => (
                    format!("{what} `{n}` has the name of a built-in alert"),
                    "taken by the built-in pack",
                    format!("tune the built-in alert under [pack.alert.{n}], or give yours another name"),
                ),
                None => (
                    format!("{what} `{n}` has the name of a built-in rule"),
                    "taken by the built-in pack",
                    "give yours another name".to_string(),
                ),
                Some(_) => (
                    format!("{what} `{n}` is defined twice"),
                    "second definition",
                    "rule names must be unique; rename one of them".to_string(),
                ),
            };
            cx.push(
                Finding::new(SpecCode::Duplicate, message)
                    .at(name.span())
                    .label(label)
                    .help(help),
            );
            false
        }
        None => {
            names.insert(name.get_ref().clone(), Some(name.span()));
            true
        }
    }
}

fn group_name<'a>(cx: &mut Ctx, group: Option<&'a Str>, default: &'a str) -> &'a str {
    match group {
        Some(g) if !is_simple_name(g.get_ref()) => {
            cx.push(
                Finding::new(
                    SpecCode::BadName,
                    format!("group name `{}` is not usable", g.get_ref()),
                )
                .at(g.span())
                .help("group names become file names: use letters, digits, `_` and `-`"),
            );
            default
        }
        Some(g) => g.get_ref(),
        None => default,
    }
}

fn severity(cx: &mut Ctx, s: &Str) -> String {
    if !SEVERITIES.contains(&s.get_ref().as_str()) {
        let help = suggest(s.get_ref(), SEVERITIES, || {
            "use critical, warning or info".into()
        });
        cx.push(
            Finding::new(
                SpecCode::UnknownValue,
                format!("unknown severity `{}`", s.get_ref()),
            )
            .at(s.span())
            .help(help),
        );
    }
    s.get_ref().clone()
}

/// A rule's expression, parsed ahead on all cores (`parse.rs`) where it could be.
fn expr(cx: &mut Ctx, e: &Str) -> Expr {
    let parsed = cx
        .parsed
        .remove(&e.span().start)
        .unwrap_or_else(|| crate::model::core::promql::parse(e.get_ref()));
    parse::located(
        cx,
        e,
        parsed,
        "in this expression",
        "check brackets, quotes and function names; https://prometheus.io/docs/prometheus/latest/querying/basics/",
    )
}

/// An alert's own `runbook_url`: a link the on-call opens. One that is a
/// template (`…/{{ $labels.alertname }}.md`) is checked as a template, and
/// here only for its scheme.
fn runbook_url(cx: &mut Ctx, u: &Str) {
    let url = u.get_ref();
    let checked = match url.split_once("{{") {
        Some((head, _)) => http_url::check(head).map_err(|e| e.replace(head, url)),
        None => http_url::check(url),
    };
    if let Err(e) = checked {
        cx.push(
            Finding::new(SpecCode::BadUrl, format!("runbook_url: {e}"))
                .at(u.span())
                .help("give the page's whole URL, such as `https://runbooks.example.org/lloom/ExecutorDown.md`"),
        );
    }
}

fn annotations(summary: String, description: String, runbook_url: String) -> LabelMap {
    LabelMap::from([
        ("summary".to_string(), summary),
        ("description".to_string(), description),
        ("runbook_url".to_string(), runbook_url),
    ])
}

/// Whether the spec has the part a pack rule `needs`; runbook queries are
/// gated the same way, so that a page never queries a role the spec lacks.
pub(crate) fn brings(spec: &Spec, needs: Needs) -> bool {
    // Discovered targets can be of any role, so discovery brings every role's rules.
    let d = &spec.discovery;
    let discovered = !d.file_sd.is_empty() || d.kubernetes.is_some() || d.consul.is_some();
    match needs {
        Needs::Client => spec.roles.client.is_some() || discovered,
        Needs::Executor => spec.roles.executor.is_some() || discovered,
        Needs::Validator => spec.roles.validator.is_some() || discovered,
        Needs::NodeExporter => spec.exporters.node.is_some(),
        Needs::Always => true,
    }
}

/// A pack text with `{threshold}` and `{threshold_percent}` filled in.
pub(crate) fn fill(text: &str, threshold: f64) -> String {
    text.replace("{threshold_percent}", &format_number(threshold * 100.0))
        .replace("{threshold}", &format_number(threshold))
}

/// The runbook URL lloom-monctl generates a page for.
pub(crate) fn runbook(stack: &Stack, alert: &str) -> String {
    format!("{}/{alert}.md", stack.runbook_base_url)
}
