//! Rule tests of each SLO's alerts, fed with a constant error ratio (so that
//! every window sees the same ratio): a fast burn pages (and tickets); a
//! ratio just inside the page threshold tickets only; one just inside the
//! ticket threshold raises nothing. A latency SLO is also fed buckets written
//! as Prometheus 3 writes them (`le="5.0"`). The series come from
//! `feed.rs`.

mod feed;

use super::burn_rate::Tier;
use super::{Sli, Slo};
use crate::catalog::Catalog;
use crate::model::core::promtool::{
    expected, number, AlertCheck, ExpectedAlert, RuleTestCase, RuleTestFile,
};
use crate::model::core::{AlertRule, Duration, LabelMap, Rule, RuleGroup};
use feed::{feed, round9, MINUTE};

/// `(group, case)` for every SLO whose group has an alert: with both tiers
/// off there is nothing a test could check.
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
        let cases = slo_cases(slo, &alerts, catalog, external_labels);
        out.extend(cases.into_iter().map(|c| (group.clone(), c)));
    }
    out
}

/// One case per fed ratio, checked once the longest window has filled; the
/// feeds stop at the first the SLO's selectors cannot state.
fn slo_cases(
    slo: &Slo,
    alerts: &[&AlertRule],
    catalog: &Catalog,
    external_labels: &LabelMap,
) -> Vec<RuleTestCase> {
    let thresholds = Thresholds {
        page: threshold(slo, Tier::Page),
        ticket: threshold(slo, Tier::Ticket),
    };
    let eval_time = eval_time(slo);
    let mut out = Vec::new();
    for (what, ratio, float_le) in feeds(slo, &thresholds) {
        // Nine decimals, so that the test reads `0.0057`, not `0.005699999999999999`.
        let ratio = round9(ratio);
        let Some(input) = feed(catalog, slo, ratio, eval_time, float_le) else {
            break;
        };
        let expect = expected_alerts(slo, alerts, &thresholds, ratio, external_labels);
        let name = alerts.first().map_or_else(String::new, |a| a.name.clone());
        out.push(RuleTestCase {
            name: format!("SLO {}: {what} (error ratio {})", slo.name, number(ratio)),
            interval: MINUTE,
            input,
            alerts: vec![AlertCheck {
                eval_time,
                alert: name,
                expect,
            }],
            exprs: Vec::new(),
        });
    }
    out
}

/// Each tier's lowest burn rate, as a multiple of the budget; `None` for a
/// tier that is off.
struct Thresholds {
    page: Option<f64>,
    ticket: Option<f64>,
}

fn threshold(slo: &Slo, tier: Tier) -> Option<f64> {
    slo.tiers.iter().find(|t| t.tier == tier).and_then(|t| {
        t.windows
            .iter()
            .map(|w| w.factor(slo.period))
            .reduce(f64::min)
    })
}

/// The ratios to feed: a fast burn, and just inside each tier's threshold;
/// a latency SLO's fast burn again with `le` as Prometheus 3 writes it.
fn feeds(slo: &Slo, t: &Thresholds) -> Vec<(&'static str, f64, bool)> {
    // The fast burn stays an error ratio below 1 (halfway from the page
    // threshold to 1 at most): counters cannot fail more than all requests.
    let fast = (20.0_f64.max(t.page.unwrap_or(0.0) * 1.5) * slo.budget)
        .min((1.0 + t.page.unwrap_or(0.0) * slo.budget) / 2.0);
    let mut feeds = vec![("a fast burn", fast, false)];
    if let Some(p) = t.page {
        feeds.push((
            "just inside the page threshold",
            0.95 * p * slo.budget,
            false,
        ));
    }
    if let Some(t) = t.ticket {
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
    feeds
}

/// Ten minutes past the longest window of 6h or less (1h without one), so
/// that a case feeds hours of samples, not days.
fn eval_time(slo: &Slo) -> Duration {
    let longest = slo
        .tiers
        .iter()
        .flat_map(|t| &t.windows)
        .map(|w| w.long)
        .filter(|l| l.0 <= 6 * 3_600_000)
        .max();
    Duration(longest.unwrap_or(Duration(3_600_000)).0 + 10 * MINUTE.0)
}

/// The alerts whose tier's threshold `ratio` is over.
fn expected_alerts(
    slo: &Slo,
    alerts: &[&AlertRule],
    t: &Thresholds,
    ratio: f64,
    external_labels: &LabelMap,
) -> Vec<ExpectedAlert> {
    let fires = |limit: Option<f64>| limit.is_some_and(|l| ratio > l * slo.budget);
    let mut expect = Vec::new();
    for a in alerts {
        let tier = a.labels.get("tier").map(String::as_str);
        let limit = if tier == Some("page") {
            t.page
        } else {
            t.ticket
        };
        if fires(limit) {
            let labels = LabelMap::from([("slo".to_string(), slo.name.clone())]);
            let Ok(e) = expected(a, &labels, Some(ratio), external_labels, &LabelMap::new()) else {
                continue;
            };
            expect.push(e);
        }
    }
    expect
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
