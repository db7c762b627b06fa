//! The checks of one exposed metric against its catalog entry, and of a
//! Lloom family's name against Prometheus' naming conventions.

use super::exposition::{ExposedType, Family, LabelUse, SeriesKind};
use super::{article, ConformCode, Match};
use crate::catalog::{Metric, MetricType};
use crate::diagnostics::Finding;
use std::collections::BTreeMap;
use std::ops::Range;

/// Type and labels of the families that expose catalog metric `m`.
pub(super) fn metric(m: &Metric, families: &[&Family], out: &mut Vec<Finding>) {
    types(m, families, out);
    labels(m, families, out);
    initialised(m, families, out);
}

/// A counter whose known label values are not all exported yet: the
/// catalog's contract is that nodes start every known value at 0, because
/// `increase()` and `rate()` cannot see the first increment of a series that
/// is born at 1, and alerts on it (`increase(x{status="timeout"}[5m]) > 0`)
/// miss the first event.
fn initialised(m: &Metric, families: &[&Family], out: &mut Vec<Finding>) {
    if m.type_ != MetricType::Counter {
        return;
    }
    let Some(first) = first_of(families.iter().filter_map(|f| f.first_sample.clone())) else {
        return;
    };
    for (label, known) in &m.values {
        let uses: Vec<&LabelUse> = families
            .iter()
            .filter_map(|f| f.labels.get(label))
            .collect();
        if uses.iter().any(|u| !u.values_complete) {
            // Too many values were seen to tell (`conform/too-large`).
            continue;
        }
        let absent: Vec<&str> = known
            .iter()
            .filter(|v| !uses.iter().any(|u| u.values.contains_key(*v)))
            .map(String::as_str)
            .collect();
        if absent.is_empty() {
            continue;
        }
        let shown: Vec<String> = absent.iter().map(|v| format!("{label}=\"{v}\"")).collect();
        out.push(
            Finding::new(
                ConformCode::NotInitialised,
                format!("counter `{}` has no series with {}: it is not initialised to 0", m.name, shown.join(", ")),
            )
            .at(first.clone())
            .help(format!("export every known `{label}` at 0 from start-up: `increase()` cannot see the first increment of a series born at 1, so an alert on it misses the first event")),
        );
    }
}

/// The span that comes first in the text.
fn first_of(spans: impl Iterator<Item = Range<usize>>) -> Option<Range<usize>> {
    spans.min_by_key(|s| s.start)
}

fn types(m: &Metric, families: &[&Family], out: &mut Vec<Finding>) {
    let declare = format!("declare `# TYPE {} {}` before its samples, so that Prometheus' metadata and Grafana know it is {}", m.name, m.type_.as_str(), article(m.type_));
    let mut base_untyped = false;
    let parts: Vec<&&Family> = families
        .iter()
        .filter(|f| f.query_name() != m.name)
        .collect();
    for family in families.iter().filter(|f| f.query_name() == m.name) {
        match &family.declared {
            Some(d) if d.type_ == ExposedType::Untyped => {
                base_untyped = true;
                out.push(
                    Finding::new(ConformCode::Untyped, format!("`{}` is declared untyped; the catalog's entry is {}", m.name, article(m.type_)))
                        .at(d.type_span.clone())
                        .help(declare.clone()),
                );
            }
            Some(d) if d.type_.metric_type() != Some(m.type_) => out.push(
                Finding::new(
                    ConformCode::WrongType,
                    format!(
                        "`{}` is exposed as {}, but the catalog's entry is {}",
                        m.name,
                        d.type_.metric_type().map_or("untyped", article),
                        article(m.type_)
                    ),
                )
                .at(d.type_span.clone())
                .label(format!("the catalog says {}", m.type_.as_str()))
                .help(format!(
                    "{}; export it as {} again, or change the catalog entry and the expressions on it first",
                    consequence(m),
                    article(m.type_)
                )),
            ),
            Some(_) => {}
            None => {
                base_untyped = true;
                out.push(
                    Finding::new(ConformCode::Untyped, format!("`{}` has no `# TYPE` line; the catalog's entry is {}", m.name, article(m.type_)))
                        .at(family.name_span.clone())
                        .help(declare.clone()),
                );
            }
        }
    }
    if let (Some(first), false) = (parts.first(), base_untyped) {
        let names: Vec<&str> = parts.iter().map(|f| f.name.as_str()).collect();
        out.push(
            Finding::new(
                ConformCode::Untyped,
                format!("`{}` is exposed as untyped series ({}) without a `# TYPE` line; the catalog's entry is {}", m.name, names.join(", "), article(m.type_)),
            )
            .at(first.name_span.clone())
            .help(declare),
        );
    }
}

/// What goes wrong in the rendered rules when `m` has another type.
fn consequence(m: &Metric) -> String {
    match m.type_ {
        MetricType::Counter => "the alerts and rules apply `rate()` and `increase()` to it, which read any decrease as a counter reset".to_string(),
        MetricType::Gauge => "the alerts and rules read its current value, which only a gauge holds".to_string(),
        MetricType::Histogram => format!("the alerts and rules read `{}_bucket` with `histogram_quantile()`, which only a histogram exports", m.name),
        MetricType::Summary => "the alerts and rules read its `quantile` series, which only a summary exports".to_string(),
    }
}

fn labels(m: &Metric, families: &[&Family], out: &mut Vec<Finding>) {
    let samples: u64 = families.iter().map(|f| f.samples).sum();
    for label in &m.labels {
        let lacking: u64 = families.iter().map(|f| f.lacking(label)).sum();
        let Some(first) = first_of(families.iter().filter_map(|f| f.first_lacking(label))) else {
            continue;
        };
        let message = if lacking == samples {
            format!(
                "no sample of `{}` carries the catalog label `{label}`",
                m.name
            )
        } else {
            format!(
                "{lacking} of {samples} samples of `{}` lack the catalog label `{label}`",
                m.name
            )
        };
        let values = m
            .values
            .get(label)
            .map(|v| format!(" (one of: {})", v.join(", ")))
            .unwrap_or_default();
        out.push(
            Finding::new(ConformCode::MissingLabel, message)
                .at(first)
                .label(format!("no `{label}` label"))
                .help(format!("alerts and rules that match on `{label}` or aggregate `by ({label})` lose these series; set `{label}`{values} on every sample")),
        );
    }
    extra_labels(m, families, out);
    unknown_values(m, families, out);
}

/// Labels the catalog does not list, each once, where it first appears
/// on a series that should not carry it.
fn extra_labels(m: &Metric, families: &[&Family], out: &mut Vec<Finding>) {
    let mut first: BTreeMap<&str, Range<usize>> = BTreeMap::new();
    for family in families {
        let type_ = family
            .type_()
            .and_then(ExposedType::metric_type)
            .unwrap_or(m.type_);
        for (name, use_) in family.labels.iter().filter(|(n, _)| !m.labels.contains(n)) {
            let spans = SeriesKind::ALL
                .iter()
                .zip(&use_.first_on)
                .filter(|(kind, _)| !expected_extra(type_, **kind, name))
                .filter_map(|(_, span)| span.clone());
            if let Some(span) = first_of(spans) {
                let slot = first.entry(name).or_insert_with(|| span.clone());
                if span.start < slot.start {
                    *slot = span;
                }
            }
        }
    }
    out.extend(
        first
            .into_iter()
            .map(|(name, span)| extra_label(m, name, span)),
    );
}

/// Values outside the catalog's known ones, each once, where it first appears.
fn unknown_values(m: &Metric, families: &[&Family], out: &mut Vec<Finding>) {
    for (label, known) in m.values.iter().filter(|(l, _)| m.labels.contains(l)) {
        let mut first: BTreeMap<&str, Range<usize>> = BTreeMap::new();
        let seen = families
            .iter()
            .filter_map(|f| f.labels.get(label))
            .flat_map(|u| &u.values);
        for (value, span) in seen.filter(|(v, _)| !known.contains(v)) {
            let slot = first.entry(value).or_insert_with(|| span.clone());
            if span.start < slot.start {
                *slot = span.clone();
            }
        }
        out.extend(
            first
                .into_iter()
                .map(|(value, span)| unknown_value(m, label, value, span, known)),
        );
    }
}

/// `le` on a histogram's `_bucket` series and `quantile` on a summary's own.
fn expected_extra(type_: MetricType, kind: SeriesKind, name: &str) -> bool {
    match name {
        "le" => type_ == MetricType::Histogram && kind == SeriesKind::Bucket,
        "quantile" => type_ == MetricType::Summary && kind != SeriesKind::Aggregate,
        _ => false,
    }
}

fn extra_label(m: &Metric, name: &str, span: Range<usize>) -> Finding {
    let finding = Finding::new(
        ConformCode::ExtraLabel,
        format!("label `{name}` on `{}` is not in the catalog", m.name),
    )
    .at(span);
    match name {
        "job" | "instance" => finding
            .label(format!("becomes `exported_{name}`"))
            .help(format!("Prometheus sets `{name}` from the scrape target and renames this one `exported_{name}` (honor_labels is off), so it only adds a label; drop it from the exposition")),
        "le" | "quantile" => finding.help(format!("`{name}` belongs on the series of {} only", if name == "le" { "a histogram's `_bucket`" } else { "a summary" })),
        _ => {
            let known = if m.labels.is_empty() { "none".to_string() } else { m.labels.join(", ") };
            finding.help(format!("the catalog's labels are: {known}; a label it does not list multiplies the series and no checked expression uses it: drop it, or add it to the catalog entry"))
        }
    }
}

fn unknown_value(
    m: &Metric,
    label: &str,
    value: &str,
    span: Range<usize>,
    known: &[String],
) -> Finding {
    Finding::new(
        ConformCode::UnknownLabelValue,
        format!(
            "`{label}=\"{}\"` is not a value the catalog knows for `{}`",
            value.escape_default(),
            m.name
        ),
    )
    .at(span)
    .help(format!(
        "known values: {}; alerts and rules that match on them miss this series",
        known.join(", ")
    ))
}

/// Units that are not Prometheus base units, and the base unit to use.
const NON_BASE_UNITS: &[(&str, &str)] = &[
    ("milliseconds", "seconds"),
    ("ms", "seconds"),
    ("microseconds", "seconds"),
    ("nanoseconds", "seconds"),
    ("minutes", "seconds"),
    ("hours", "seconds"),
    ("kilobytes", "bytes"),
    ("megabytes", "bytes"),
    ("gigabytes", "bytes"),
    ("kb", "bytes"),
    ("mb", "bytes"),
    ("gb", "bytes"),
];

/// Prometheus' naming conventions on a Lloom family. A name the catalog has
/// is the contract and was checked with it, so only HELP is checked then.
pub(super) fn naming(family: &Family, match_: &Match, out: &mut Vec<Finding>) {
    let name = family.query_name();
    let at = || family.name_span.clone();
    let warn = |message: String, help: String| {
        Finding::new(ConformCode::Naming, message)
            .at(at())
            .help(help)
    };
    if family.help.is_none() && !matches!(match_, Match::Part(_)) {
        out.push(warn(
            format!("`{}` has no `# HELP` line", family.name),
            "Prometheus and Grafana show HELP as the metric's description; give the metric one where it is registered".to_string(),
        ));
    }
    if !matches!(match_, Match::NotInCatalog) {
        return;
    }
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        out.push(warn(
            format!("`{name}` has upper-case letters"),
            format!(
                "metric names are snake_case: `{}`",
                name.to_ascii_lowercase()
            ),
        ));
    }
    let segments: Vec<&str> = name.split('_').collect();
    for (unit, base) in NON_BASE_UNITS {
        if let Some(i) = segments.iter().position(|s| s.eq_ignore_ascii_case(unit)) {
            let mut renamed = segments.clone();
            renamed[i] = base;
            out.push(warn(
                format!("`{name}` is in {unit}, not in {base}"),
                format!("Prometheus names and values use base units: export `{}` with the value in {base}", renamed.join("_")),
            ));
        }
    }
    let type_ = family.type_();
    if type_ == Some(ExposedType::Counter) && !name.ends_with("_total") {
        out.push(warn(
            format!("counter `{name}` does not end in `_total`"),
            format!("name it `{name}_total`: counters end in `_total` (OpenMetrics requires it)"),
        ));
    }
    if let Some(t @ (ExposedType::Gauge | ExposedType::Histogram | ExposedType::Summary)) = type_ {
        if name.ends_with("_total") {
            out.push(warn(
                format!(
                    "{} `{name}` ends in `_total`, which marks a counter",
                    t.as_str()
                ),
                "drop `_total`, or export it as a counter if it only ever grows".to_string(),
            ));
        }
    }
    let histogram_like = matches!(type_, Some(ExposedType::Histogram | ExposedType::Summary));
    if let (Some(suffix), false) = (
        ["_bucket", "_sum", "_count"]
            .iter()
            .find(|s| name.ends_with(*s)),
        histogram_like,
    ) {
        out.push(warn(
            format!("`{name}` ends in `{suffix}` outside a histogram or summary"),
            format!("Prometheus reserves `{suffix}` for histogram and summary series: declare the family `# TYPE {} histogram` (or summary) if it is one, or rename it", &name[..name.len() - suffix.len()]),
        ));
    }
}
