//! The checks. Each has a stable code, a severity, and a fix in its help.

use super::codes::LintCode;
use super::context::{Context, SeriesKind};
use super::walk::{selects, walk};
use crate::diagnostics::{suggest, Finding};
use crate::model::core::promql_names::{selected_name, selector};
use crate::model::{AlertRule, Duration, RuleGroup};
use promql_parser::parser::{Expr, VectorSelector};

const RATE_FUNCS: [&str; 3] = ["rate", "irate", "increase"];
/// Functions that read a range as a gauge: a counter reset looks like a drop.
const GAUGE_FUNCS: [&str; 10] = [
    "deriv",
    "predict_linear",
    "delta",
    "idelta",
    "avg_over_time",
    "min_over_time",
    "max_over_time",
    "quantile_over_time",
    "stddev_over_time",
    "double_exponential_smoothing",
];

/// The metric a selector reads, bare or quoted (`{"a.b"}`).
fn name(vs: &VectorSelector) -> Option<&str> {
    selected_name(vs)
}

fn to_ms(d: std::time::Duration) -> Duration {
    Duration(d.as_millis() as u64)
}

/// Checks every selector: known metric, read the right way, sensible range.
pub fn selectors(cx: &Context, ast: &Expr, out: &mut Vec<Finding>) {
    let retention = cx.model.stack.retention.time;
    walk(ast, None, &mut |e, func| match e {
        Expr::VectorSelector(vs) => {
            let Some(series) = name(vs) else { return };
            match cx.kind(series) {
                None => out.push(unknown(cx, series)),
                Some(SeriesKind::HistogramBase) => out.push(histogram_base(series)),
                // Counting series or checking presence reads no value.
                Some(SeriesKind::Counter)
                    if !matches!(
                        func,
                        Some("absent" | "timestamp" | "count" | "group" | "count_values")
                    ) =>
                {
                    let sel = selector(series, &[]);
                    out.push(
                    Finding::new(LintCode::CounterWithoutRate, format!("counter `{series}` is read without rate() or increase()"))
                        .focus(series)
                        .help(format!("a counter's raw value resets when the process restarts; use `rate({sel}[5m])` or `increase({sel}[1h])`")),
                    );
                }
                _ => {}
            }
        }
        Expr::MatrixSelector(ms) => {
            let Some(series) = name(&ms.vs) else { return };
            let range = to_ms(ms.range);
            let kind = cx.kind(series);
            match kind {
                None => out.push(unknown(cx, series)),
                Some(SeriesKind::HistogramBase) => out.push(histogram_base(series)),
                Some(SeriesKind::Counter) if func.is_some_and(|f| GAUGE_FUNCS.contains(&f)) => out.push(
                    Finding::new(LintCode::CounterWithoutRate, format!("{}() on counter `{series}` reads its raw value, which drops to 0 on every restart", func.unwrap_or_default()))
                        .focus(series)
                        .help(format!("apply it to a rate: record `rate({}[5m])` and use {}() on the recorded series, or use increase() for totals", selector(series, &[]), func.unwrap_or_default())),
                ),
                Some(SeriesKind::Gauge) if func.is_some_and(|f| RATE_FUNCS.contains(&f)) => out.push(
                    Finding::new(LintCode::RateOnGauge, format!("{}() on gauge `{series}`", func.unwrap_or_default()))
                        .focus(series)
                        .help("rate() and increase() treat every drop as a counter reset; use deriv(), delta() or avg_over_time() on gauges"),
                ),
                _ => {}
            }
            let interval = cx.sample_interval(series);
            if kind.is_some() && range.0 < 2 * interval.0 {
                out.push(
                    Finding::new(LintCode::RangeTooShort, format!("range [{range}] over `{series}` holds fewer than two samples (one every {interval})"))
                        .focus(format!("[{range}]"))
                        .help(format!("use a range of at least {} (four samples: {} is safer)", Duration(2 * interval.0), Duration(4 * interval.0))),
                );
            }
            if range > retention {
                out.push(beyond_retention(range, retention));
            }
        }
        Expr::Subquery(sq) => {
            let range = to_ms(sq.range);
            if range > retention {
                out.push(beyond_retention(range, retention));
            }
        }
        _ => {}
    });
}

fn beyond_retention(range: Duration, retention: Duration) -> Finding {
    Finding::new(
        LintCode::RangeBeyondRetention,
        format!("range [{range}] is longer than the retention of {retention}: it reads data Prometheus has deleted"),
    )
    .focus(format!("[{range}"))
    .help("shorten the range (an SLO's period), or raise `stack.retention.time`")
}

fn histogram_base(series: &str) -> Finding {
    Finding::new(
        LintCode::HistogramBase,
        format!("`{series}` is a histogram: no series has its base name"),
    )
    .focus(series)
    .help(format!(
        "select `{series}_bucket`, `{series}_sum` or `{series}_count`"
    ))
}

fn unknown(cx: &Context, series: &str) -> Finding {
    let names = cx.series_names();
    Finding::new(
        LintCode::UnknownMetric,
        format!("`{series}` is neither in the metric catalog nor recorded by a rule"),
    )
    .focus(series)
    .help(suggest(series, names.iter().map(String::as_str), || {
        "check the name against generated/METRICS.md, or declare the metric in a [[metric]] entry"
            .into()
    }))
}

/// Checks an alert as a whole: can it be quiet, is `for` meaningful.
pub fn alert(
    cx: &Context,
    group: &RuleGroup,
    alert: &AlertRule,
    ast: &Expr,
    out: &mut Vec<Finding>,
) {
    if !selects(ast) {
        out.push(
            Finding::new(
                LintCode::AlertAlwaysFires,
                format!(
                    "alert `{}` has no comparison: it fires for every series it selects",
                    alert.name
                ),
            )
            .help("compare with a threshold, e.g. `... > 0.05`, or filter with `and`/`unless`"),
        );
    }
    let interval = group.interval.unwrap_or(cx.model.stack.evaluation_interval);
    if let Some(f) = alert.for_ {
        if f.0 > 0 && f < interval {
            out.push(
                Finding::new(LintCode::ForShorterThanInterval, format!("alert `{}` has `for: {f}`, shorter than its group's evaluation interval {interval}", alert.name))
                    .help(format!("the alert fires on its second evaluation anyway; set `for` to 0 or to at least {interval}")),
            );
        }
    }
}
