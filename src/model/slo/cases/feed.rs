//! The series a case feeds, built from the SLO's selectors (an availability
//! SLO's `up` is fed as the share of successful scrapes); a selector with
//! regex matchers cannot be fed mechanically, so such an SLO gets no
//! generated case (its rules are still linted; `[[test]]` can feed it by
//! hand).

use crate::catalog::{Catalog, Exporter};
use crate::model::core::promql_names::selected_name;
use crate::model::core::promtool::{number, series_text, InputSeries};
use crate::model::core::{Duration, LabelMap};
use crate::model::slo::{Sli, Slo};
use promql_parser::label::MatchOp;
use promql_parser::parser::Expr as Ast;

/// Events per minute in the fed series.
const PER_MINUTE: f64 = 600.0;
/// Time between two samples of the fed series.
pub(super) const MINUTE: Duration = Duration(60_000);

/// The fed series' shape: `samples` one a minute, the errors `ratio` of all.
#[derive(Clone, Copy)]
struct Fed {
    ratio: f64,
    samples: u64,
}

impl Fed {
    /// A counter rising by `per_minute` every sample.
    fn rising(self, per_minute: f64) -> String {
        format!("0+{}x{}", number(round9(per_minute)), self.samples)
    }
}

/// Series whose error ratio is `ratio` at every window up to `until`.
pub(super) fn feed(
    catalog: &Catalog,
    slo: &Slo,
    ratio: f64,
    until: Duration,
    float_le: bool,
) -> Option<Vec<InputSeries>> {
    let fed = Fed {
        ratio,
        samples: until.0 / MINUTE.0 + 5,
    };
    match &slo.sli {
        Sli::Ratio { errors, total } => ratio_feed(catalog, errors, total, fed),
        Sli::Latency {
            histogram,
            threshold,
            matchers,
        } => latency_feed(catalog, histogram, *threshold, matchers, fed, float_le),
        Sli::Availability { jobs } => availability_feed(jobs, fed),
    }
}

/// Errors and total as two counters; where both are one metric, a bad and a
/// good series that the total's matchers both select.
fn ratio_feed(catalog: &Catalog, errors: &str, total: &str, fed: Fed) -> Option<Vec<InputSeries>> {
    let (e_name, e_matchers) = parse(errors)?;
    let (t_name, t_matchers) = parse(total)?;
    let base = scraped(catalog, &e_name);
    let bad = labels_matching(catalog, &e_name, &e_matchers, &base)?;
    if e_name != t_name {
        let t_base = scraped(catalog, &t_name);
        let all = labels_matching(catalog, &t_name, &t_matchers, &t_base)?;
        return Some(vec![
            InputSeries {
                series: series_text(&e_name, &bad),
                values: fed.rising(fed.ratio * PER_MINUTE),
            },
            InputSeries {
                series: series_text(&t_name, &all),
                values: fed.rising(PER_MINUTE),
            },
        ]);
    }
    let good = labels_failing(catalog, &e_name, &e_matchers, &base)?;
    let in_total = |l: &LabelMap| {
        t_matchers
            .iter()
            .all(|(n, op, v)| matches(op, v, l.get(n).map_or("", String::as_str)))
    };
    (in_total(&bad) && in_total(&good)).then(|| {
        vec![
            InputSeries {
                series: series_text(&e_name, &bad),
                values: fed.rising(fed.ratio * PER_MINUTE),
            },
            InputSeries {
                series: series_text(&e_name, &good),
                values: fed.rising((1.0 - fed.ratio) * PER_MINUTE),
            },
        ]
    })
}

/// The bucket at the threshold and the count; `float_le` writes a whole
/// threshold as Prometheus 3 does (`5.0`).
fn latency_feed(
    catalog: &Catalog,
    histogram: &str,
    threshold: f64,
    matchers: &[String],
    fed: Fed,
    float_le: bool,
) -> Option<Vec<InputSeries>> {
    let mut labels = scraped(catalog, histogram);
    for m in matchers {
        let (_, parsed) = parse(&format!("x{{{m}}}"))?;
        for (n, op, v) in parsed {
            if op != "=" {
                return None;
            }
            labels.insert(n, v);
        }
    }
    let mut bucket = labels.clone();
    let le = number(threshold);
    let le = if float_le && !le.contains(['.', 'e']) {
        format!("{le}.0")
    } else {
        le
    };
    bucket.insert("le".into(), le);
    Some(vec![
        InputSeries {
            series: series_text(&format!("{histogram}_bucket"), &bucket),
            values: fed.rising((1.0 - fed.ratio) * PER_MINUTE),
        },
        InputSeries {
            series: series_text(&format!("{histogram}_count"), &labels),
            values: fed.rising(PER_MINUTE),
        },
    ])
}

/// `up` fed as the share of successful scrapes: the rules only average it,
/// and a constant share gives every window the ratio.
fn availability_feed(jobs: &[String], fed: Fed) -> Option<Vec<InputSeries>> {
    let labels = LabelMap::from([
        ("job".to_string(), jobs.first()?.clone()),
        ("instance".to_string(), "node1".to_string()),
    ]);
    Some(vec![InputSeries {
        series: series_text("up", &labels),
        values: format!("{}x{}", number(round9(1.0 - fed.ratio)), fed.samples),
    }])
}

type Matchers = Vec<(String, &'static str, String)>;

/// A selector's metric name and its matchers, `=` and `!=` only.
fn parse(selector: &str) -> Option<(String, Matchers)> {
    let Ok(Ast::VectorSelector(vs)) = crate::model::core::promql::parse(selector) else {
        return None;
    };
    let mut out = Vec::new();
    for m in vs.matchers.matchers.iter().filter(|m| m.name != "__name__") {
        let op = match m.op {
            MatchOp::Equal => "=",
            MatchOp::NotEqual => "!=",
            MatchOp::Re(_) | MatchOp::NotRe(_) => return None,
        };
        out.push((m.name.clone(), op, m.value.clone()));
    }
    Some((selected_name(&vs)?.to_string(), out))
}

fn matches(op: &str, want: &str, got: &str) -> bool {
    (op == "=") == (want == got)
}

/// A value of `label` other than `not`: a known one where the catalog has them.
fn other_value(catalog: &Catalog, metric: &str, label: &str, not: &str) -> String {
    catalog
        .series(metric)
        .and_then(|m| m.values.get(label))
        .and_then(|vs| vs.iter().find(|v| *v != not).cloned())
        .unwrap_or_else(|| format!("not_{not}"))
}

/// Labels that satisfy every matcher.
fn labels_matching(
    catalog: &Catalog,
    metric: &str,
    matchers: &Matchers,
    base: &LabelMap,
) -> Option<LabelMap> {
    let mut l = base.clone();
    for (n, op, v) in matchers {
        let value = if *op == "=" {
            v.clone()
        } else {
            other_value(catalog, metric, n, v)
        };
        l.insert(n.clone(), value);
    }
    matchers
        .iter()
        .all(|(n, op, v)| matches(op, v, &l[n]))
        .then_some(l)
}

/// Labels of a good event: every matcher but the first holds, the first fails.
fn labels_failing(
    catalog: &Catalog,
    metric: &str,
    matchers: &Matchers,
    base: &LabelMap,
) -> Option<LabelMap> {
    let ((n, op, v), rest) = matchers.split_first()?;
    let mut l = labels_matching(catalog, metric, &rest.to_vec(), base)?;
    let value = if *op == "=" {
        other_value(catalog, metric, n, v)
    } else {
        v.clone()
    };
    l.insert(n.clone(), value);
    Some(l)
}

/// `job` and `instance` as scraping sets them on a metric of the catalog.
fn scraped(catalog: &Catalog, metric: &str) -> LabelMap {
    let job = match catalog.series(metric).map(|m| m.exporter) {
        Some(Exporter::Client) => "lloom-client",
        Some(Exporter::Executor) => "lloom-executor",
        Some(Exporter::Validator) => "lloom-validator",
        Some(Exporter::System) => "node",
        _ => "lloom",
    };
    LabelMap::from([
        ("job".to_string(), job.to_string()),
        ("instance".to_string(), "node1".to_string()),
    ])
}

/// Nine decimals: what fed ratios and rates are written with.
pub(super) fn round9(v: f64) -> f64 {
    (v * 1e9).round() / 1e9
}
