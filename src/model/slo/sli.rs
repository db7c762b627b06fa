//! The indicator of an SLO: which events are bad, as normalised selectors
//! checked against the metric catalog and the scrape jobs.

use crate::catalog::{Catalog, MetricType};
use crate::diagnostics::{suggest, Finding};
use crate::model::core::promql_names::{self, selected_name};
use crate::model::core::{Ctx, ScrapeJob};
use crate::spec::{AvailabilitySpec, LatencySpec, RatioSpec, SloSpec, SpecCode, Str};
use promql_parser::label::MatchOp;
use promql_parser::parser::{Expr as Ast, VectorSelector};
use std::ops::Range;
use toml::Spanned;

/// The indicator, as normalised selectors (printed from the parsed tree).
#[derive(Debug, Clone)]
pub enum Sli {
    Ratio {
        errors: String,
        total: String,
    },
    /// `histogram` is the base name; `matchers` go inside `{}` of both.
    Latency {
        histogram: String,
        threshold: f64,
        matchers: Vec<String>,
    },
    Availability {
        jobs: Vec<String>,
    },
}

/// The indicator and where it was written; `None` where it is missing,
/// doubled or unusable.
pub(super) fn sli(
    cx: &mut Ctx,
    s: &SloSpec,
    catalog: &Catalog,
    jobs: &[ScrapeJob],
) -> Option<(Sli, Range<usize>)> {
    let kinds = [
        s.ratio.as_ref().map(|r| r.span()),
        s.latency.as_ref().map(|l| l.span()),
        s.availability.as_ref().map(|a| a.span()),
    ];
    if kinds.iter().flatten().count() != 1 {
        cx.push(
            Finding::new(SpecCode::SloKind, format!("SLO `{}` needs exactly one indicator", s.name.get_ref()))
                .at(kinds.iter().flatten().nth(1).cloned().unwrap_or(s.name.span()))
                .help("give one of `[slo.ratio]` (errors/total), `[slo.latency]` (a histogram bucket) or `[slo.availability]` (`up` of jobs)"),
        );
        return None;
    }
    if let Some(r) = &s.ratio {
        return ratio(cx, r.get_ref(), catalog);
    }
    if let Some(l) = &s.latency {
        return latency(cx, l.get_ref(), catalog);
    }
    availability(cx, s.availability.as_ref()?, jobs)
}

/// Errors over total: both counters of the catalog.
fn ratio(cx: &mut Ctx, r: &RatioSpec, catalog: &Catalog) -> Option<(Sli, Range<usize>)> {
    let errors = counter(cx, &r.errors, catalog);
    let total = counter(cx, &r.total, catalog);
    Some((
        Sli::Ratio {
            errors: errors?,
            total: total?,
        },
        r.errors.span(),
    ))
}

/// Requests under a bucket bound of a catalog histogram.
fn latency(cx: &mut Ctx, l: &LatencySpec, catalog: &Catalog) -> Option<(Sli, Range<usize>)> {
    let name = l.histogram.get_ref();
    let ok = match catalog.get(name) {
        Some(m) if m.type_ == MetricType::Histogram => true,
        Some(m) => {
            cx.push(Finding::new(SpecCode::SloMetricType, format!("`{name}` is a {}, not a histogram: a latency SLO counts requests under a bucket bound", m.type_.as_str()))
                .at(l.histogram.span()));
            false
        }
        None => {
            unknown_metric(
                cx,
                &l.histogram,
                name,
                catalog
                    .iter()
                    .filter(|m| m.type_ == MetricType::Histogram)
                    .map(|m| m.name.as_str()),
            );
            false
        }
    };
    let threshold = *l.threshold.get_ref();
    if !(threshold.is_finite() && threshold > 0.0) {
        cx.push(
            Finding::new(
                SpecCode::BadThreshold,
                "the latency threshold must be a positive bucket bound",
            )
            .at(l.threshold.span()),
        );
        return None;
    }
    let matchers: Vec<String> = l
        .matchers
        .iter()
        .filter_map(|m| label_matcher(cx, m))
        .collect();
    ok.then(|| {
        (
            Sli::Latency {
                histogram: name.clone(),
                threshold,
                matchers,
            },
            l.histogram.span(),
        )
    })
}

/// `up` of scrape jobs this spec has.
fn availability(
    cx: &mut Ctx,
    a: &Spanned<AvailabilitySpec>,
    jobs: &[ScrapeJob],
) -> Option<(Sli, Range<usize>)> {
    let mut ok = !a.get_ref().jobs.is_empty();
    if !ok {
        cx.push(
            Finding::new(
                SpecCode::SloKind,
                "an availability SLO needs the `jobs` whose `up` it counts",
            )
            .at(a.span()),
        );
    }
    for j in &a.get_ref().jobs {
        if !jobs.iter().any(|k| &k.name == j.get_ref()) {
            ok = false;
            let help = suggest(j.get_ref(), jobs.iter().map(|k| k.name.as_str()), || {
                "name a scrape job of this spec (generated/README.md lists them)".into()
            });
            cx.push(
                Finding::new(
                    SpecCode::UnknownJob,
                    format!("no scrape job named `{}`", j.get_ref()),
                )
                .at(j.span())
                .help(help),
            );
        }
    }
    ok.then(|| {
        (
            Sli::Availability {
                jobs: a
                    .get_ref()
                    .jobs
                    .iter()
                    .map(|j| j.get_ref().clone())
                    .collect(),
            },
            a.span(),
        )
    })
}

/// A selector of a counter (or a histogram's `_count`), printed from its tree.
fn counter(cx: &mut Ctx, s: &Str, catalog: &Catalog) -> Option<String> {
    let plain = match crate::model::core::promql::parse(s.get_ref()) {
        Ok(Ast::VectorSelector(vs)) if vs.offset.is_none() && vs.at.is_none() => {
            selector(&vs).map(|text| (selected_name(&vs).unwrap_or_default().to_string(), text))
        }
        _ => None,
    };
    let Some((name, text)) = plain else {
        cx.push(
            Finding::new(SpecCode::BadSloSelector, format!("`{}` is not a plain series selector", s.get_ref()))
                .at(s.span())
                .help("write a metric name with matchers, e.g. `lloom_client_requests_total{status!=\"success\"}`; the rules add rate() and sum()"),
        );
        return None;
    };
    let counters = catalog
        .iter()
        .filter(|m| m.type_ == MetricType::Counter)
        .map(|m| m.name.as_str());
    match catalog.series(&name) {
        None => {
            unknown_metric(cx, s, &name, counters);
            None
        }
        Some(m) if m.type_ == MetricType::Counter || name.ends_with("_count") => Some(text),
        Some(m) => {
            cx.push(
                Finding::new(SpecCode::SloMetricType, format!("`{name}` is a {}: a ratio SLO counts events, so `errors` and `total` must be counters", m.type_.as_str()))
                    .at(s.span())
                    .help("use a counter such as `lloom_client_requests_total`, or a histogram's `_count`"),
            );
            None
        }
    }
}

fn unknown_metric<'a>(
    cx: &mut Ctx,
    s: &Str,
    name: &str,
    candidates: impl Iterator<Item = &'a str>,
) {
    let help = suggest(name, candidates, || {
        "SLOs read catalog metrics (generated/METRICS.md); add the metric with `[[metric]]`".into()
    });
    cx.push(
        Finding::new(
            SpecCode::SloUnknownMetric,
            format!("`{name}` is not in the metric catalog"),
        )
        .at(s.span())
        .help(help),
    );
}

/// `name="value"` as PromQL prints it, for the latency selectors.
fn label_matcher(cx: &mut Ctx, m: &Str) -> Option<String> {
    match crate::model::core::promql::parse(&format!("x{{{}}}", m.get_ref())) {
        Ok(Ast::VectorSelector(vs)) if vs.matchers.matchers.len() == 1 => {
            Some(vs.matchers.matchers[0].to_string())
        }
        _ => {
            cx.push(
                Finding::new(
                    SpecCode::BadMatcher,
                    format!("`{}` is not one PromQL label matcher", m.get_ref()),
                )
                .at(m.span())
                .help("write e.g. `job=\"lloom-client\"`"),
            );
            None
        }
    }
}

/// The selector as PromQL prints it (matchers sorted); a name given as
/// `{"a.b"}` or `{__name__="a.b"}` is written by `promql_names::selector`,
/// quoted if it is UTF-8. `None` without a metric name, or with `or` between
/// matchers after a quoted name, which would split the name from them.
fn selector(vs: &VectorSelector) -> Option<String> {
    if vs.name.is_some() {
        return Some(Ast::VectorSelector(vs.clone()).to_string());
    }
    let name = selected_name(vs)?;
    let mut rest = vs.matchers.clone();
    rest.matchers
        .retain(|m| !(m.name == "__name__" && m.op == MatchOp::Equal && m.value == name));
    if !rest.or_matchers.is_empty() {
        return None;
    }
    let rest = rest.to_string();
    let matchers: Vec<String> = (!rest.is_empty()).then_some(rest).into_iter().collect();
    Some(promql_names::selector(name, &matchers))
}
