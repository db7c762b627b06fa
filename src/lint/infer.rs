//! Infers the label set of every sub-expression, bottom up, and reports the
//! label mistakes found on the way: matchers on labels a series never has,
//! grouping by them, `histogram_quantile` without `le`.

use super::codes::LintCode;
use super::context::{Context, SeriesKind};
use super::labels::{list, LabelSet};
use super::matching;
use crate::catalog::MetricType;
use crate::diagnostics::{suggest, Finding};
use crate::model::core::grafana_vars;
use crate::model::core::promql_names::{self, label_name, selected_name};
use promql_parser::label::{MatchOp, Matcher};
use promql_parser::parser::{Expr, LabelModifier, VectorSelector};

/// The labels of `expr`'s result; findings go to `out`.
pub fn infer(cx: &Context, expr: &Expr, out: &mut Vec<Finding>) -> LabelSet {
    match expr {
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) => LabelSet::scalar(),
        Expr::VectorSelector(vs) => selector(cx, vs, out),
        Expr::MatrixSelector(ms) => selector(cx, &ms.vs, out),
        Expr::Paren(p) => infer(cx, &p.expr, out),
        Expr::Unary(u) => infer(cx, &u.expr, out),
        Expr::Subquery(s) => infer(cx, &s.expr, out),
        Expr::Aggregate(a) => {
            let op = a.op.to_string();
            let mut set = infer(cx, &a.expr, out);
            if let Some(p) = &a.param {
                infer(cx, p, out);
            }
            summary_quantiles(cx, &op, &set, out);
            // topk and friends select series; they keep every label.
            let selects = matches!(op.as_str(), "topk" | "bottomk" | "limitk" | "limit_ratio");
            match &a.modifier {
                Some(LabelModifier::Include(by)) => {
                    let by = &by.labels;
                    for l in by.iter().filter(|l| set.never(l)) {
                        out.push(missing_by(cx, &op, l, &set));
                    }
                    if !selects {
                        set.keep(by);
                    }
                }
                Some(LabelModifier::Exclude(without)) if !selects => set.drop(&without.labels),
                None if !selects => set.keep(&[]),
                _ => {}
            }
            if op == "count_values" {
                if let Some(Expr::StringLiteral(s)) = a.param.as_deref() {
                    set.add(&s.val);
                }
            }
            set
        }
        Expr::Binary(b) => {
            let lhs = infer(cx, &b.lhs, out);
            let rhs = infer(cx, &b.rhs, out);
            matching::binary(b, lhs, rhs, out)
        }
        Expr::Call(c) => {
            let args: Vec<LabelSet> = c.args.args.iter().map(|a| infer(cx, a, out)).collect();
            call(cx, c.func.name, &c.args.args, args, out)
        }
        Expr::Extension(_) => LabelSet::open(),
    }
}

fn call(
    cx: &Context,
    func: &str,
    exprs: &[Box<Expr>],
    mut args: Vec<LabelSet>,
    out: &mut Vec<Finding>,
) -> LabelSet {
    let string_arg = |i: usize| match exprs.get(i).map(|e| e.as_ref()) {
        Some(Expr::StringLiteral(s)) => Some(s.val.clone()),
        _ => None,
    };
    match func {
        "time" | "pi" | "scalar" => LabelSet::scalar(),
        "vector" => LabelSet::default(),
        "absent" | "absent_over_time" => {
            let mut set = LabelSet::default();
            if let Some(vs) = exprs.first().and_then(|e| selector_of(e)) {
                for m in &vs.matchers.matchers {
                    if m.op == MatchOp::Equal && m.name != "__name__" {
                        set.add(&m.name);
                    }
                }
            }
            set
        }
        "histogram_quantile" => {
            let mut set = args.pop().unwrap_or_else(LabelSet::open);
            histogram_quantile(cx, &set, out);
            set.drop(&["le".to_string()]);
            set.metric = None;
            set
        }
        "label_replace" | "label_join" => {
            let mut set = args.into_iter().next().unwrap_or_else(LabelSet::open);
            if let Some(dst) = string_arg(1) {
                set.fixed.remove(&dst);
                if !set.always.contains(&dst) {
                    set.maybe.insert(dst);
                }
            }
            set.metric = None;
            set
        }
        // Every other function keeps the labels of its vector argument; the
        // date functions without one read `vector(time())`.
        _ => args.into_iter().find(|a| !a.scalar).unwrap_or_default(),
    }
}

/// The selector inside `rate(x[5m])`, `x`, `(x)`.
fn selector_of(e: &Expr) -> Option<&VectorSelector> {
    match e {
        Expr::VectorSelector(vs) => Some(vs),
        Expr::MatrixSelector(ms) => Some(&ms.vs),
        Expr::Paren(p) => selector_of(&p.expr),
        _ => None,
    }
}

fn selector(cx: &Context, vs: &VectorSelector, out: &mut Vec<Finding>) -> LabelSet {
    let name = selected_name(vs).map(str::to_string);
    let mut set = match &name {
        Some(n) => series_labels(cx, n),
        None => LabelSet::open(),
    };
    let matchers = vs
        .matchers
        .matchers
        .iter()
        .chain(vs.matchers.or_matchers.iter().flatten());
    for m in matchers.filter(|m| m.name != "__name__") {
        let series = name.as_deref().unwrap_or("the selector");
        if set.never(&m.name) {
            if !m.is_match("") {
                out.push(unknown_label(cx, series, m, &set));
            }
            continue;
        }
        if m.value.contains(grafana_vars::VARIABLE) {
            continue; // a Grafana variable: any value
        }
        out.extend(super::needless_regex::check(m));
        if let Some(f) = name.as_deref().and_then(|n| bad_value(cx, n, m)) {
            out.push(f);
        }
        if m.op == MatchOp::Equal && !m.value.is_empty() {
            set.fixed.insert(m.name.clone(), m.value.clone());
        }
    }
    set.metric = name;
    set
}

/// A series' labels: a recorded series', a catalog metric's plus scraping's.
fn series_labels(cx: &Context, series: &str) -> LabelSet {
    if let Some(set) = cx.recorded_labels(series) {
        return set;
    }
    if matches!(series, "ALERTS" | "ALERTS_FOR_STATE") {
        let mut set = LabelSet::open();
        set.add("alertname");
        if series == "ALERTS" {
            set.add("alertstate");
        }
        return set;
    }
    let Some(m) = cx.model.catalog.series(series) else {
        return LabelSet::open();
    };
    let mut set = cx.scrape.clone();
    for l in &m.labels {
        set.add(l);
    }
    match m.type_ {
        MetricType::Histogram if series == m.name => return LabelSet::open(),
        MetricType::Histogram if series.ends_with("_bucket") => set.add("le"),
        MetricType::Summary if series == m.name => set.add("quantile"),
        _ => {}
    }
    set
}

fn unknown_label(cx: &Context, series: &str, m: &Matcher, set: &LabelSet) -> Finding {
    let labels = list(set.known());
    let help = if let Some(hint) = cx.external_hint(&m.name) {
        hint
    } else if m.name == "quantile" && series.ends_with("_bucket") {
        format!("histograms have `le` buckets, not quantiles: `histogram_quantile(0.99, sum by (le) (rate({}[5m])))`", promql_names::selector(series, &[]))
    } else {
        suggest(&m.name, set.known().map(String::as_str), || {
            format!("its labels are {labels}")
        })
    };
    Finding::new(
        LintCode::UnknownLabel,
        format!(
            "`{series}` has no label `{}`: the matcher `{}{}\"{}\"` selects nothing",
            m.name, m.name, m.op, m.value
        ),
    )
    .focus(&m.name)
    .help(help)
}

/// An equality or regex matcher that no value the catalog fixes can satisfy.
fn bad_value(cx: &Context, series: &str, m: &Matcher) -> Option<Finding> {
    let (values, whose) = if m.name == "job" {
        (cx.job_names.as_ref()?, "the scrape jobs are")
    } else {
        let metric = cx.model.catalog.series(series)?;
        (
            metric.values.get(&m.name)?,
            "the catalog fixes its values to",
        )
    };
    let possible = match &m.op {
        MatchOp::Equal | MatchOp::Re(_) => values.iter().any(|v| m.is_match(v)) || m.is_match(""),
        MatchOp::NotEqual | MatchOp::NotRe(_) => return None,
    };
    if possible {
        return None;
    }
    Some(
        Finding::new(
            LintCode::UnknownLabelValue,
            format!(
                "`{series}` never has `{}{}\"{}\"`: {whose} {}",
                m.name,
                m.op,
                m.value,
                values.join(", ")
            ),
        )
        .focus(format!("\"{}\"", m.value))
        .help(suggest(&m.value, values.iter().map(String::as_str), || {
            "use one of the values listed (the catalog's are in generated/METRICS.md)".to_string()
        })),
    )
}

fn missing_by(cx: &Context, op: &str, label: &str, set: &LabelSet) -> Finding {
    let help = cx.external_hint(label).unwrap_or_else(|| {
        suggest(label, set.known().map(String::as_str), || {
            format!("group by labels the series have: {}", list(set.known()))
        })
    });
    Finding::new(
        LintCode::GroupByMissingLabel,
        format!(
            "`{op} by ({})`: {} never carries `{label}`, so every series falls into one group with `{label}` empty",
            label_name(label),
            set.describe()
        ),
    )
    .focus(label)
    .help(help)
}

/// One finding per `histogram_quantile()`: reading something other than
/// buckets explains the missing `le` too.
fn histogram_quantile(cx: &Context, set: &LabelSet, out: &mut Vec<Finding>) {
    let catalogued = set
        .metric
        .as_deref()
        .and_then(|s| Some((s, cx.model.catalog.series(s)?)));
    if let Some((series, m)) = catalogued {
        if !(m.type_ == MetricType::Histogram && series.ends_with("_bucket")) {
            out.push(
                Finding::new(
                    LintCode::QuantileNotBucket,
                    format!("histogram_quantile() over `{series}`, which is not a histogram's `_bucket` series"),
                )
                .focus(series)
                .help(match cx.kind(series) {
                    Some(SeriesKind::Quantile) => format!("`{series}` is a summary: select its quantile directly, `{series}{{quantile=\"0.99\"}}`"),
                    _ => "histogram_quantile() reads the cumulative `le` buckets of a histogram: `rate(x_bucket[5m])`".to_string(),
                }),
            );
            return;
        }
    }
    if set.never("le") {
        out.push(
            Finding::new(
                LintCode::QuantileWithoutLe,
                format!("histogram_quantile() over {}, which has no `le` label: the result is always empty", set.describe()),
            )
            .focus("histogram_quantile")
            .help("keep `le` when aggregating buckets: `sum by (le) (rate(x_bucket[5m]))`"),
        );
    }
}

/// Averaging or summing a summary's quantiles yields no quantile of anything.
fn summary_quantiles(cx: &Context, op: &str, set: &LabelSet, out: &mut Vec<Finding>) {
    let Some(series) = set.metric.as_deref() else {
        return;
    };
    if matches!(op, "sum" | "avg") && cx.kind(series) == Some(SeriesKind::Quantile) {
        out.push(
            Finding::new(
                LintCode::AggregatedQuantile,
                format!("{op}() over the quantiles of summary `{series}`: a {op} of per-instance quantiles is not a quantile"),
            )
            .focus(op)
            .help("show per-instance quantiles, or take max() as an upper bound; for fleet-wide quantiles export a histogram"),
        );
    }
}
