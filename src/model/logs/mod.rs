//! `[logs]` resolved: one pipeline (files → regex → labels → Loki) that the
//! Loki, Alloy and Promtail renderers read alike, so that both agents do the
//! same thing. Labels are refused when their values are unbounded: in Loki
//! each distinct label set is a stream, and unbounded labels explode the index.

mod log_regex;

use crate::diagnostics::{did_you_mean, suggest, Finding};
use crate::model::core::{Ctx, Duration, LabelMap};
use crate::spec::{LogAgent, LogsSpec, SpecCode, Str};
use log_regex::Group;
use std::collections::BTreeSet;

/// The guide's Promtail regex.
pub const DEFAULT_REGEX: &str =
    r"^(?P<timestamp>\S+)\s+(?P<level>\S+)\s+(?P<component>\S+)\s+(?P<message>.*)$";
pub const DEFAULT_PATH: &str = "/var/log/lloom/*.log";
/// Promoted when the regex has these groups and the spec names no `labels`.
const DEFAULT_LABELS: [&str; 2] = ["level", "component"];
/// Named formats of Promtail's and Alloy's timestamp stage; others are Go layouts.
pub const TIMESTAMP_FORMATS: [&str; 14] = [
    "ANSIC",
    "UnixDate",
    "RubyDate",
    "RFC822",
    "RFC822Z",
    "RFC850",
    "RFC1123",
    "RFC1123Z",
    "RFC3339",
    "RFC3339Nano",
    "Unix",
    "UnixMs",
    "UnixUs",
    "UnixNs",
];
/// Group names that say their values are unbounded.
const UNBOUNDED: [&str; 20] = [
    "message",
    "msg",
    "request_id",
    "trace_id",
    "span_id",
    "id",
    "uuid",
    "user",
    "user_id",
    "session",
    "ip",
    "address",
    "path",
    "url",
    "query",
    "timestamp",
    "time",
    "ts",
    "duration",
    "latency",
];
const DAY: u64 = 24 * 3_600_000;

/// The log agent the deployment runs. Both configs are always rendered, so
/// that switching is a one-line spec change; this decides which one the
/// compose service and the systemd unit start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agent {
    /// Grafana Alloy (the default), reading `alloy/config.alloy`.
    Alloy,
    /// Promtail (end of life since 2026-03-02), reading `promtail/promtail.yml`.
    Promtail,
}

impl Agent {
    pub fn name(self) -> &'static str {
        match self {
            Agent::Alloy => "alloy",
            Agent::Promtail => "promtail",
        }
    }

    /// The agent's config, relative to the output directory.
    pub fn config_path(self) -> &'static str {
        match self {
            Agent::Alloy => "alloy/config.alloy",
            Agent::Promtail => "promtail/promtail.yml",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Logs {
    pub agent: Agent,
    /// Globs of the files to tail, one target each.
    pub paths: Vec<String>,
    /// The `job` label.
    pub job: String,
    /// RE2 (Go) syntax, checked; named groups become extracted fields.
    pub regex: String,
    pub timestamp: Option<Timestamp>,
    /// Groups promoted to labels, sorted.
    pub labels: Vec<String>,
    /// Groups attached as Loki structured metadata, sorted.
    pub structured_metadata: Vec<String>,
    /// Fixed labels besides `job`.
    pub static_labels: LabelMap,
    /// Loki's retention: whole days.
    pub retention: Duration,
    /// Loki's push endpoint as the agents reach it.
    pub push_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timestamp {
    pub source: String,
    pub format: String,
}

/// The one pipeline both agents render; `push_url` is Loki as the Lloom
/// hosts reach it.
pub(crate) fn resolve(cx: &mut Ctx, spec: &LogsSpec, push_url: String) -> Logs {
    let agent = match spec.agent {
        LogAgent::Alloy => Agent::Alloy,
        LogAgent::Promtail => Agent::Promtail,
    };
    let regex = spec.regex.as_ref().map_or(DEFAULT_REGEX, |r| r.get_ref());
    let groups = groups(cx, spec, regex);
    let names: Vec<&str> = groups.iter().flatten().map(|g| g.name.as_str()).collect();
    let timestamp = timestamp(cx, spec, groups.as_deref());
    let labels = match &spec.labels {
        Some(list) => promoted(cx, list, groups.as_deref()),
        None => DEFAULT_LABELS
            .iter()
            .filter(|l| names.contains(l))
            .map(|l| l.to_string())
            .collect(),
    };
    let structured_metadata = structured_metadata(cx, spec, groups.as_deref(), &labels);
    let static_labels = static_labels(cx, spec, &labels);
    Logs {
        agent,
        paths: paths(cx, spec.paths.as_deref()),
        job: job(cx, spec.job.as_ref()),
        regex: regex.to_string(),
        timestamp,
        labels: labels.into_iter().collect(),
        structured_metadata: structured_metadata.into_iter().collect(),
        static_labels,
        retention: retention(cx, spec.retention.as_ref()),
        push_url,
    }
}

/// The regex's named groups; `None` when the regex is refused, and the
/// group checks then stay quiet.
fn groups(cx: &mut Ctx, spec: &LogsSpec, regex: &str) -> Option<Vec<Group>> {
    match log_regex::analyze(regex) {
        Ok(g) => Some(g),
        Err(p) => {
            let at = spec.regex.as_ref().map(|r| r.span());
            cx.push(
                Finding::new(SpecCode::BadRegex, format!("logs.regex {}", p.message))
                    .at_opt(at)
                    .focus(p.focus.unwrap_or_default())
                    .help("write RE2 syntax with named groups `(?P<name>...)`; in TOML, use single quotes so backslashes stay as written"),
            );
            None
        }
    }
}

/// Groups kept as structured metadata: attached to each line without
/// making a stream, so they may be unbounded; never also a label.
fn structured_metadata(
    cx: &mut Ctx,
    spec: &LogsSpec,
    groups: Option<&[Group]>,
    labels: &BTreeSet<String>,
) -> BTreeSet<String> {
    let mut structured_metadata = BTreeSet::new();
    for m in &spec.structured_metadata {
        let name = m.get_ref();
        if !cx.label_name(m, "logs structured metadata") || !is_group(cx, m, groups) {
            continue;
        }
        if labels.contains(name) {
            cx.push(
                Finding::new(
                    SpecCode::Duplicate,
                    format!("`{name}` is already promoted to a label"),
                )
                .at(m.span())
                .help("keep it in one of `labels` and `structured_metadata`"),
            );
        } else if !structured_metadata.insert(name.clone()) {
            cx.push(duplicate(m, "structured_metadata"));
        }
    }
    structured_metadata
}

/// Fixed labels; one that `job` or a promoted group would overwrite is dropped.
fn static_labels(cx: &mut Ctx, spec: &LogsSpec, labels: &BTreeSet<String>) -> LabelMap {
    let mut static_labels = cx.labels(&spec.static_labels, "logs static label");
    for k in spec.static_labels.keys() {
        let clash = if k.get_ref() == "job" {
            Some("`job` comes from `logs.job`; set it there")
        } else if labels.contains(k.get_ref()) {
            Some("a promoted group of the same name would overwrite it; rename one of them")
        } else {
            None
        };
        if let Some(help) = clash {
            static_labels.remove(k.get_ref());
            cx.push(
                Finding::new(
                    SpecCode::Duplicate,
                    format!("static label `{}` is already set", k.get_ref()),
                )
                .at(k.span())
                .help(help),
            );
        }
    }
    static_labels
}

fn duplicate(s: &Str, what: &str) -> Finding {
    Finding::new(
        SpecCode::Duplicate,
        format!("`{}` is listed twice in logs.{what}", s.get_ref()),
    )
    .at(s.span())
    .help("remove one of them")
}

/// Whether `s` names a group; reports it when not. A refused regex has no
/// groups to compare with, so then everything passes.
fn is_group(cx: &mut Ctx, s: &Str, groups: Option<&[Group]>) -> bool {
    let Some(groups) = groups else { return true };
    let name = s.get_ref();
    if groups.iter().any(|g| &g.name == name) {
        return true;
    }
    let names = groups.iter().map(|g| g.name.as_str());
    let list: Vec<String> = groups.iter().map(|g| format!("`{}`", g.name)).collect();
    cx.push(
        Finding::new(
            SpecCode::UnknownGroup,
            format!("`{name}` is not a named group of logs.regex"),
        )
        .at(s.span())
        .help(suggest(name, names, || {
            if list.is_empty() {
                "the regex has no named groups: capture with `(?P<name>...)`".into()
            } else {
                format!("the regex's groups are {}", list.join(", "))
            }
        })),
    );
    false
}

fn promoted(cx: &mut Ctx, list: &[Str], groups: Option<&[Group]>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for l in list {
        let name = l.get_ref();
        if !cx.label_name(l, "logs label") || !is_group(cx, l, groups) {
            continue;
        }
        let by_name = UNBOUNDED.contains(&name.as_str()) || name.ends_with("_id");
        let pattern = groups
            .into_iter()
            .flatten()
            .find(|g| &g.name == name)
            .and_then(|g| g.catch_all);
        let why = match (by_name, pattern) {
            (true, _) => "its name says its values are unbounded".to_string(),
            (false, Some(p)) => format!("its pattern is a catch-all: {p}"),
            (false, None) => {
                if !out.insert(name.clone()) {
                    cx.push(duplicate(l, "labels"));
                }
                continue;
            }
        };
        cx.push(
            Finding::new(SpecCode::HighCardinalityLabel, format!("`{name}` would be a high-cardinality Loki label: {why}"))
                .at(l.span())
                .label("unbounded label")
                .help(format!("each distinct label value makes a new stream in Loki, and unbounded values explode its index; keep `{name}` in the line and filter with `| regexp` or `| logfmt` at query time, or list it in `structured_metadata`")),
        );
    }
    out
}

fn timestamp(cx: &mut Ctx, spec: &LogsSpec, groups: Option<&[Group]>) -> Option<Timestamp> {
    let Some(t) = &spec.timestamp else {
        let has = groups.is_some_and(|g| g.iter().any(|g| g.name == "timestamp"));
        return has.then(|| Timestamp {
            source: "timestamp".into(),
            format: "RFC3339".into(),
        });
    };
    is_group(cx, &t.source, groups);
    let format = t.format.as_ref().map_or("RFC3339", |f| f.get_ref());
    if let Some(f) = &t.format {
        if !TIMESTAMP_FORMATS.contains(&format) && !is_go_layout(format) {
            // Case-blind, so that `rfc3339` finds `RFC3339`.
            let lower: Vec<String> = TIMESTAMP_FORMATS
                .iter()
                .map(|n| n.to_ascii_lowercase())
                .collect();
            let best = did_you_mean(
                &format.to_ascii_lowercase(),
                lower.iter().map(String::as_str),
            )
            .and_then(|b| lower.iter().position(|l| l == b));
            let hint = match best {
                Some(i) => format!("did you mean `{}`?", TIMESTAMP_FORMATS[i]),
                None => format!("use one of {}, or a Go layout of the reference time such as `2006-01-02 15:04:05.000`", TIMESTAMP_FORMATS.join(", ")),
            };
            cx.push(
                Finding::new(
                    SpecCode::BadTimestampFormat,
                    format!("unknown timestamp format `{format}`"),
                )
                .at(f.span())
                .help(hint),
            );
        }
    }
    Some(Timestamp {
        source: t.source.get_ref().clone(),
        format: format.to_string(),
    })
}

/// A Go layout writes the reference time `Mon Jan 2 15:04:05 MST 2006`;
/// strftime (`%Y`) and `YYYY` are the usual mistakes.
fn is_go_layout(f: &str) -> bool {
    !f.contains('%')
        && ["2006", "15:04", "03:04", "Jan", "Mon"]
            .iter()
            .any(|t| f.contains(t))
}

fn paths(cx: &mut Ctx, spec: Option<&[Str]>) -> Vec<String> {
    let Some(list) = spec else {
        return vec![DEFAULT_PATH.to_string()];
    };
    let mut out: Vec<String> = Vec::new();
    for p in list {
        let path = p.get_ref();
        if !path.starts_with('/') {
            cx.push(
                Finding::new(
                    SpecCode::BadPath,
                    format!("log path `{path}` is not absolute"),
                )
                .at(p.span())
                .help("the agents tail files by absolute glob, e.g. `/var/log/lloom/*.log`"),
            );
        } else if out.contains(path) {
            cx.push(duplicate(p, "paths"));
        } else {
            out.push(path.clone());
        }
    }
    if list.is_empty() {
        cx.push(
            Finding::new(SpecCode::Empty, "`logs.paths` is empty")
                .help("list the files to tail, e.g. `paths = [\"/var/log/lloom/*.log\"]`, or leave the key out for that default"),
        );
    }
    out
}

fn job(cx: &mut Ctx, spec: Option<&Str>) -> String {
    let Some(j) = spec else { return "lloom".into() };
    if j.get_ref().trim().is_empty() {
        cx.push(
            Finding::new(SpecCode::Empty, "`logs.job` is empty")
                .at(j.span())
                .help("name the job label of the lines, e.g. `lloom`"),
        );
    }
    j.get_ref().clone()
}

fn retention(cx: &mut Ctx, spec: Option<&Str>) -> Duration {
    let thirty_days = Duration(30 * DAY);
    let Some(d) = cx.duration(spec, "logs.retention") else {
        return thirty_days;
    };
    if d.0 < DAY || d.0 % DAY != 0 {
        cx.push(
            Finding::new(SpecCode::BadRetention, format!("logs.retention {d} is not a whole number of days"))
                .at_opt(spec.map(|s| s.span()))
                .help("Loki's compactor applies retention per daily index table: use `1d` or more, in days (`30d`, `8w`)"),
        );
        return thirty_days;
    }
    d
}
