//! `[[slo]]` resolved: the indicator, the objective as an error budget, the
//! period and each alert tier's windows. `rules.rs` turns this into
//! recording and alerting rules; nothing here writes PromQL but selectors.
//! The indicator is resolved in `sli.rs`.

pub mod burn_rate;
pub mod cases;
pub mod dashboard;
pub mod rules;
pub mod runbooks;
mod sli;

use crate::catalog::Catalog;
use crate::diagnostics::Finding;
use crate::model::core::numbers::format_number;
use crate::model::core::{Ctx, Duration, LabelMap, ScrapeJob};
use crate::spec::{SloSpec, SpecCode, Str, TierSpec};
use burn_rate::{Tier, Window};
pub use sli::Sli;
use std::collections::BTreeSet;
use std::ops::Range;
use toml::Spanned;

#[derive(Debug, Clone)]
pub struct Slo {
    /// Lower-case words joined by `-`; the `slo` label of every rule.
    pub name: String,
    pub description: Option<String>,
    /// Percent, e.g. 99.9.
    pub objective: f64,
    /// `1 - objective`, as a fraction.
    pub budget: f64,
    pub period: Duration,
    pub sli: Sli,
    /// Events per second below which the SLO does not alert.
    pub min_rate: Option<f64>,
    pub tiers: Vec<SloTier>,
    /// Where the SLO was written: its name, its indicator, its period.
    pub places: SloPlaces,
}

#[derive(Debug, Clone)]
pub struct SloPlaces {
    pub name: Range<usize>,
    /// The operator's description, which the alerts' description shows.
    pub description: Option<Range<usize>>,
    pub sli: Range<usize>,
    pub period: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct SloTier {
    pub tier: Tier,
    pub labels: LabelMap,
    pub windows: Vec<Window>,
}

impl Slo {
    /// The window over which the period's error ratio is averaged: about
    /// 1/720 of the period (1h for 30 days), whole seconds.
    pub fn budget_step(&self) -> Duration {
        Duration((self.period.0 / 720 / 1000 * 1000).max(60_000))
    }

    /// Every window a rule records, shortest first, each once.
    pub fn windows(&self) -> Vec<Duration> {
        let mut w: Vec<Duration> = self
            .tiers
            .iter()
            .flat_map(|t| &t.windows)
            .flat_map(|w| [w.long, w.short])
            .chain([self.budget_step()])
            .collect();
        w.sort();
        w.dedup();
        w
    }

    /// `RequestSuccess` for `request-success`: the alert names' stem.
    pub fn camel_name(&self) -> String {
        self.name
            .split('-')
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            })
            .collect()
    }
}

/// Every usable SLO; one with a bad name, objective or indicator is
/// reported and left out, after all its parts are checked.
pub(crate) fn resolve(
    cx: &mut Ctx,
    specs: &[SloSpec],
    catalog: &Catalog,
    jobs: &[ScrapeJob],
    scrape: Duration,
) -> Vec<Slo> {
    let mut seen = BTreeSet::new();
    // Four samples of the slowest job: the shortest range a scaled window takes.
    let slowest = jobs
        .iter()
        .filter_map(|j| j.scrape_interval)
        .max()
        .unwrap_or(scrape)
        .max(scrape);
    let floor = Duration((4 * slowest.0).max(60_000));
    specs
        .iter()
        .filter_map(|s| slo(cx, s, catalog, jobs, floor, &mut seen))
        .collect()
}

fn slo(
    cx: &mut Ctx,
    s: &SloSpec,
    catalog: &Catalog,
    jobs: &[ScrapeJob],
    floor: Duration,
    seen: &mut BTreeSet<String>,
) -> Option<Slo> {
    let valid_name = check_name(cx, &s.name, seen);
    let objective = *s.objective.get_ref();
    let valid_objective = objective > 0.0 && objective < 100.0;
    if !valid_objective {
        cx.push(
            Finding::new(SpecCode::BadObjective, format!("objective {objective} is not a percentage between 0 and 100 (exclusive)"))
                .at(s.objective.span())
                .help("write the objective in percent, e.g. `99.9` for three nines; 100 would leave no error budget"),
        );
    }
    let period = match &s.period {
        Some(p) => cx.duration(Some(p), "period"),
        None => Some(Duration(30 * 24 * 3_600_000)),
    };
    let min_rate = min_rate(cx, s.min_rate.as_ref());
    let sli = sli::sli(cx, s, catalog, jobs);
    let period = period?;
    let places = SloPlaces {
        name: s.name.span(),
        description: s.description.as_ref().map(|d| d.span()),
        sli: sli.as_ref().map_or(s.name.span(), |(_, span)| span.clone()),
        period: s.period.as_ref().map_or(s.name.span(), |p| p.span()),
    };
    let tiers = [
        (Tier::Page, &s.page, "critical"),
        (Tier::Ticket, &s.ticket, "warning"),
    ]
    .into_iter()
    .filter_map(|(tier, spec, severity)| {
        self::tier(cx, tier, spec.as_ref(), severity, period, floor, &places)
    })
    .collect::<Vec<_>>();
    if valid_objective {
        reachable(cx, &tiers, objective, period, s.objective.span());
    }
    let (Some((sli, _)), true, true) = (sli, valid_name, valid_objective) else {
        return None;
    };
    if let (Some(m), Sli::Availability { .. }) = (&s.min_rate, &sli) {
        cx.push(
            Finding::new(
                SpecCode::MinRateIgnored,
                "min_rate guards ratio and latency SLOs on their request rate; availability counts targets, so it has no effect here",
            )
            .at(m.span())
            .help("remove `min_rate` from this SLO"),
        );
    }
    Some(Slo {
        name: s.name.get_ref().clone(),
        description: s.description.as_ref().map(|d| d.get_ref().clone()),
        objective,
        budget: burn_rate::error_budget(objective),
        period,
        sli,
        min_rate,
        tiers,
        places,
    })
}

/// The name becomes the `slo` label: lower-case words joined by `-`, once.
fn check_name(cx: &mut Ctx, name: &Str, seen: &mut BTreeSet<String>) -> bool {
    let at = name.span();
    let name = name.get_ref();
    let valid_name = !name.is_empty()
        && name.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.len() <= crate::model::core::names::MAX_NAME;
    if !valid_name {
        cx.push(
            Finding::new(SpecCode::BadName, format!("`{name}` is not a usable SLO name"))
                .at(at)
                .help("lower-case words joined by `-`, at most 100 characters, e.g. `request-success`; it becomes the `slo` label"),
        );
    } else if !seen.insert(name.clone()) {
        cx.push(
            Finding::new(
                SpecCode::Duplicate,
                format!("SLO `{name}` is defined twice"),
            )
            .at(at),
        );
    }
    valid_name
}

fn min_rate(cx: &mut Ctx, min_rate: Option<&Spanned<f64>>) -> Option<f64> {
    min_rate.and_then(|m| {
        let v = *m.get_ref();
        if v.is_finite() && v > 0.0 {
            Some(v)
        } else {
            cx.push(
                Finding::new(
                    SpecCode::BadMinRate,
                    "min_rate must be a positive number of events per second",
                )
                .at(m.span()),
            );
            None
        }
    })
}

fn tier(
    cx: &mut Ctx,
    tier: Tier,
    spec: Option<&TierSpec>,
    severity: &str,
    period: Duration,
    floor: Duration,
    places: &SloPlaces,
) -> Option<SloTier> {
    if spec.and_then(|t| t.enabled) == Some(false) {
        return None;
    }
    let mut labels = LabelMap::from([("severity".to_string(), severity.to_string())]);
    if let Some(t) = spec {
        labels.extend(cx.labels(&t.labels, "SLO alert label"));
    }
    labels.insert("tier".into(), tier.as_str().into());
    let windows = match spec.and_then(|t| t.windows.as_ref()) {
        None => burn_rate::default_windows(tier, period, floor),
        Some(list) => list
            .iter()
            .filter_map(|w| {
                let long = cx.duration(Some(&w.get_ref().long), "long window")?;
                let short = cx.duration(Some(&w.get_ref().short), "short window")?;
                let budget_percent = *w.get_ref().budget.get_ref();
                if short >= long {
                    cx.push(Finding::new(SpecCode::BadWindow, format!("the short window {short} is not shorter than the long window {long}"))
                        .at(w.get_ref().short.span())
                        .help("the short window (about a twelfth of the long one) makes the alert stop soon after the burn stops"));
                    return None;
                }
                if !(budget_percent > 0.0 && budget_percent <= 100.0) {
                    cx.push(Finding::new(SpecCode::BadWindow, "budget is the percent of the error budget spent within `long`: more than 0, at most 100")
                        .at(w.get_ref().budget.span()));
                    return None;
                }
                Some(Window { long, short, budget_percent })
            })
            .collect(),
    };
    if let Some(w) = windows.iter().find(|w| w.long >= period) {
        cx.push(
            Finding::new(SpecCode::SloPeriod, format!("the period {period} is not longer than the {} alert's {} window", tier.as_str(), w.long))
                .at(places.period.clone())
                .help("an alert window must be a part of the period: lengthen the period or shorten the window"),
        );
        return None;
    }
    Some(SloTier {
        tier,
        labels,
        windows,
    })
}

/// A burn-rate alert fires at `factor × budget`; where that error ratio is 1
/// or more (a low objective, or much budget in a short window), even every
/// request failing cannot reach it, and the alert can never fire.
fn reachable(cx: &mut Ctx, tiers: &[SloTier], objective: f64, period: Duration, at: Range<usize>) {
    let budget = burn_rate::error_budget(objective);
    for t in tiers {
        let Some(w) = t.windows.iter().find(|w| w.factor(period) * budget >= 1.0) else {
            continue;
        };
        let factor = w.factor(period);
        cx.push(
            Finding::new(
                SpecCode::SloUnreachable,
                format!(
                    "the {} alert's {} window fires at {} × the error budget of {}%, an error ratio of {}: more than every request failing, so it can never fire",
                    t.tier.as_str(),
                    w.long,
                    format_number(factor),
                    format_number(budget * 100.0),
                    format_number(factor * budget),
                ),
            )
            .at(at.clone())
            .help(format!(
                "raise the objective, give that window less of the budget (`{0}.windows`), or turn the tier off (`{0}.enabled = false`)",
                t.tier.as_str()
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    fn unreachable(objective: &str, page: &str) -> usize {
        let slo = format!(
            "[[slo]]\nname = \"ok\"\nobjective = {objective}\n{page}[slo.ratio]\nerrors = 'lloom_client_requests_total{{status!=\"success\"}}'\ntotal = 'lloom_client_requests_total'\n"
        );
        crate::model::test_spec::findings(&slo, "spec/slo-unreachable").len()
    }

    #[test]
    fn a_page_alert_beyond_an_error_ratio_of_one_is_refused() {
        assert_eq!(unreachable("90", ""), 1);
    }

    #[test]
    fn reachable_tiers_are_quiet() {
        assert_eq!(unreachable("99.9", ""), 0);
        // At 90% only the page tier is out of reach; without it, tickets work.
        assert_eq!(unreachable("90", "[slo.page]\nenabled = false\n"), 0);
    }

    fn ignored(indicator: &str) -> usize {
        let slo = format!("[[slo]]\nname = \"s\"\nobjective = 99.9\nmin_rate = 1\n{indicator}");
        crate::model::test_spec::findings(&slo, "spec/min-rate-ignored").len()
    }

    #[test]
    fn min_rate_on_availability_is_a_warning() {
        assert_eq!(
            ignored("[slo.availability]\njobs = [\"lloom-client\"]\n"),
            1
        );
    }

    #[test]
    fn min_rate_on_a_ratio_is_quiet() {
        assert_eq!(
            ignored("[slo.ratio]\nerrors = 'lloom_client_requests_total{status!=\"success\"}'\ntotal = 'lloom_client_requests_total'\n"),
            0
        );
    }
}
