//! Rule tests of each SLO's alerts, fed with a constant error ratio (so that
//! every window sees the same ratio): a fast burn pages (and tickets); a
//! ratio just inside the page threshold tickets only; one just inside the
//! ticket threshold raises nothing. A latency SLO is also fed buckets written
//! as Prometheus 3 writes them (`le="5.0"`).
//!
//! Input series are built from the SLO's selectors (an availability SLO's
//! `up` is fed as the share of successful scrapes); a selector with regex
//! matchers cannot be fed mechanically, so such an SLO gets no generated case
//! (its rules are still linted; `[[test]]` can feed it by hand).

use super::burn_rate::Tier;
use super::{Sli, Slo};
use crate::catalog::{Catalog, Exporter};
use crate::model::core::promtool::{
    expected, number, series_text, AlertCheck, InputSeries, RuleTestCase, RuleTestFile,
};
use crate::model::core::{AlertRule, Duration, LabelMap, Rule, RuleGroup};
use promql_parser::label::MatchOp;
use promql_parser::parser::Expr as Ast;

/// Events per minute in the fed series.
const PER_MINUTE: f64 = 600.0;
const MINUTE: Duration = Duration(60_000);

pub(crate) fn cases(
    slos: &[Slo],
    groups: &[RuleGroup],
    catalog: &Catalog,
    external_labels: &LabelMap,
) -> Vec<(String, RuleTestCase)> {
    let mut out = Vec::new();
    for slo in slos {
        let group = format!("slo_{}", slo.name.replace('-', "_"));
        let Some(g) = groups.iter().find(|g| g.name == group) else {
            continue;
        };
        let alerts: Vec<&AlertRule> = g
            .rules
            .iter()
            .filter_map(|r| match r {
                Rule::Alert(a) => Some(a),
                Rule::Record(_) => None,
            })
            .collect();
        // Both tiers off: no alert, and nothing a test could check.
        if alerts.is_empty() {
            continue;
        }
        let threshold = |tier: Tier| {
            slo.tiers.iter().find(|t| t.tier == tier).and_then(|t| {
                t.windows
                    .iter()
                    .map(|w| w.factor(slo.period))
                    .reduce(f64::min)
            })
        };
        let (page, ticket) = (threshold(Tier::Page), threshold(Tier::Ticket));
        // The ratios to feed: a fast burn, and just inside each tier's threshold.
        // The fast burn stays an error ratio below 1 (halfway from the page
        // threshold to 1 at most): counters cannot fail more than all requests.
        let fast = (20.0_f64.max(page.unwrap_or(0.0) * 1.5) * slo.budget)
            .min((1.0 + page.unwrap_or(0.0) * slo.budget) / 2.0);
        let mut feeds = vec![("a fast burn", fast, false)];
        if let Some(p) = page {
            feeds.push((
                "just inside the page threshold",
                0.95 * p * slo.budget,
                false,
            ));
        }
        if let Some(t) = ticket {
            feeds.push((
                "just inside the ticket threshold",
                0.95 * t * slo.budget,
                false,
            ));
        }
        if matches!(slo.sli, Sli::Latency { .. }) {
            feeds.push((
                "a fast burn, buckets as Prometheus 3 writes them",
                feeds[0].1,
                true,
            ));
        }
        let longest = slo
            .tiers
            .iter()
            .flat_map(|t| &t.windows)
            .map(|w| w.long)
            .filter(|l| l.0 <= 6 * 3_600_000)
            .max();
        let eval_time = Duration(longest.unwrap_or(Duration(3_600_000)).0 + 10 * MINUTE.0);
        for (what, ratio, float_le) in feeds {
            // Nine decimals, so that the test reads `0.0057`, not `0.005699999999999999`.
            let ratio = round9(ratio);
            let Some(input) = feed(catalog, slo, ratio, eval_time, float_le) else {
                break;
            };
            let fires = |limit: Option<f64>| limit.is_some_and(|l| ratio > l * slo.budget);
            let mut expect = Vec::new();
            for a in &alerts {
                let tier = a.labels.get("tier").map(String::as_str);
                let limit = if tier == Some("page") { page } else { ticket };
                if fires(limit) {
                    let labels = LabelMap::from([("slo".to_string(), slo.name.clone())]);
                    let Ok(e) =
                        expected(a, &labels, Some(ratio), external_labels, &LabelMap::new())
                    else {
                        continue;
                    };
                    expect.push(e);
                }
            }
            let name = alerts.first().map_or_else(String::new, |a| a.name.clone());
            out.push((
                group.clone(),
                RuleTestCase {
                    name: format!("SLO {}: {what} (error ratio {})", slo.name, number(ratio)),
                    interval: MINUTE,
                    input,
                    alerts: vec![AlertCheck {
                        eval_time,
                        alert: name,
                        expect,
                    }],
                    exprs: Vec::new(),
                },
            ));
        }
    }
    out
}

/// An SLO's test file loads only its own group (every SLO group records the
/// same series names, for its own `slo` label) and evaluates once a minute:
/// the fed ratio is constant, so a finer step proves nothing more and costs
/// promtool four times the work.
pub(crate) fn steady(files: &mut [RuleTestFile], slos: &[Slo]) {
    for slo in slos {
        let group = format!("slo_{}", slo.name.replace('-', "_"));
        if let Some(f) = files.iter_mut().find(|f| f.group == group) {
            f.rule_groups = vec![group];
            f.evaluation_interval = MINUTE;
        }
    }
}

/// Series whose error ratio is `ratio` at every window up to `until`.
fn feed(
    catalog: &Catalog,
    slo: &Slo,
    ratio: f64,
    until: Duration,
    float_le: bool,
) -> Option<Vec<InputSeries>> {
    let samples = until.0 / MINUTE.0 + 5;
    let rising = |per_minute: f64| format!("0+{}x{samples}", number(round9(per_minute)));
    match &slo.sli {
        Sli::Ratio { errors, total } => {
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
                        values: rising(ratio * PER_MINUTE),
                    },
                    InputSeries {
                        series: series_text(&t_name, &all),
                        values: rising(PER_MINUTE),
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
                        values: rising(ratio * PER_MINUTE),
                    },
                    InputSeries {
                        series: series_text(&e_name, &good),
                        values: rising((1.0 - ratio) * PER_MINUTE),
                    },
                ]
            })
        }
        Sli::Latency {
            histogram,
            threshold,
            matchers,
        } => {
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
            let le = number(*threshold);
            let le = if float_le && !le.contains(['.', 'e']) {
                format!("{le}.0")
            } else {
                le
            };
            bucket.insert("le".into(), le);
            Some(vec![
                InputSeries {
                    series: series_text(&format!("{histogram}_bucket"), &bucket),
                    values: rising((1.0 - ratio) * PER_MINUTE),
                },
                InputSeries {
                    series: series_text(&format!("{histogram}_count"), &labels),
                    values: rising(PER_MINUTE),
                },
            ])
        }
        Sli::Availability { jobs } => {
            // `up` fed as the share of successful scrapes: the rules only
            // average it, and a constant share gives every window the ratio.
            let labels = LabelMap::from([
                ("job".to_string(), jobs.first()?.clone()),
                ("instance".to_string(), "node1".to_string()),
            ]);
            Some(vec![InputSeries {
                series: series_text("up", &labels),
                values: format!("{}x{samples}", number(round9(1.0 - ratio))),
            }])
        }
    }
}

type Matchers = Vec<(String, &'static str, String)>;

/// A selector's metric name and its matchers, `=` and `!=` only.
fn parse(selector: &str) -> Option<(String, Matchers)> {
    let Ok(Ast::VectorSelector(vs)) = promql_parser::parser::parse(selector) else {
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
    Some((vs.name.unwrap_or_default(), out))
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

fn round9(v: f64) -> f64 {
    (v * 1e9).round() / 1e9
}
