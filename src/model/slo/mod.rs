//! `[[slo]]` resolved: the indicator, the objective as an error budget, the
//! period and each alert tier's windows. `slo_rules.rs` turns this into
//! recording and alerting rules; nothing here writes PromQL but selectors.

pub mod burn_rate;
pub mod cases;
pub mod dashboard;
pub mod rules;
pub mod runbooks;

use crate::catalog::{Catalog, MetricType};
use crate::diagnostics::{suggest, Finding};
use crate::model::core::numbers::format_number;
use crate::model::core::{Ctx, Duration, LabelMap, ScrapeJob};
use crate::spec::{SloSpec, SpecCode, Str, TierSpec};
use burn_rate::{Tier, Window};
use promql_parser::parser::{Expr as Ast, VectorSelector};
use std::ops::Range;

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
    pub sli: Range<usize>,
    pub period: Range<usize>,
}

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

pub(crate) fn resolve(
    cx: &mut Ctx,
    specs: &[SloSpec],
    catalog: &Catalog,
    jobs: &[ScrapeJob],
    scrape: Duration,
) -> Vec<Slo> {
    let mut seen = std::collections::BTreeSet::new();
    // Four samples of the slowest job: the shortest range a scaled window takes.
    let slowest = jobs
        .iter()
        .filter_map(|j| j.scrape_interval)
        .max()
        .unwrap_or(scrape)
        .max(scrape);
    let floor = Duration((4 * slowest.0).max(60_000));
    let mut out = Vec::new();
    for s in specs {
        let name = s.name.get_ref();
        let valid_name = !name.is_empty()
            && name.split('-').all(|w| {
                !w.is_empty()
                    && w.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            })
            && name.starts_with(|c: char| c.is_ascii_lowercase());
        if !valid_name {
            cx.push(
                Finding::new(SpecCode::BadName, format!("`{name}` is not a usable SLO name"))
                    .at(s.name.span())
                    .help("lower-case words joined by `-`, e.g. `request-success`; it becomes the `slo` label"),
            );
        } else if !seen.insert(name.clone()) {
            cx.push(
                Finding::new(
                    SpecCode::Duplicate,
                    format!("SLO `{name}` is defined twice"),
                )
                .at(s.name.span()),
            );
        }
        let objective = *s.objective.get_ref();
        if !(objective > 0.0 && objective < 100.0) {
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
        let min_rate = s.min_rate.as_ref().and_then(|m| {
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
        });
        let sli = sli(cx, s, catalog, jobs);
        let Some(period) = period else { continue };
        let places = SloPlaces {
            name: s.name.span(),
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
        if objective > 0.0 && objective < 100.0 {
            reachable(cx, &tiers, objective, period, s.objective.span());
        }
        let (Some((sli, _)), true, true) = (sli, valid_name, objective > 0.0 && objective < 100.0)
        else {
            continue;
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
        out.push(Slo {
            name: name.clone(),
            description: s.description.as_ref().map(|d| d.get_ref().clone()),
            objective,
            budget: burn_rate::error_budget(objective),
            period,
            sli,
            min_rate,
            tiers,
            places,
        });
    }
    out
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

/// The indicator and where it was written.
fn sli(
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
        let errors = counter(cx, &r.get_ref().errors, catalog);
        let total = counter(cx, &r.get_ref().total, catalog);
        return Some((
            Sli::Ratio {
                errors: errors?,
                total: total?,
            },
            r.get_ref().errors.span(),
        ));
    }
    if let Some(l) = &s.latency {
        let l = l.get_ref();
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
        return ok.then(|| {
            (
                Sli::Latency {
                    histogram: name.clone(),
                    threshold,
                    matchers,
                },
                l.histogram.span(),
            )
        });
    }
    let a = s.availability.as_ref()?;
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
    let vs = match promql_parser::parser::parse(s.get_ref()) {
        Ok(Ast::VectorSelector(vs))
            if vs.name.is_some() && vs.offset.is_none() && vs.at.is_none() =>
        {
            vs
        }
        _ => {
            cx.push(
                Finding::new(SpecCode::BadSloSelector, format!("`{}` is not a plain series selector", s.get_ref()))
                    .at(s.span())
                    .help("write a metric name with matchers, e.g. `lloom_client_requests_total{status!=\"success\"}`; the rules add rate() and sum()"),
            );
            return None;
        }
    };
    let name = vs.name.as_deref().unwrap_or_default();
    let counters = catalog
        .iter()
        .filter(|m| m.type_ == MetricType::Counter)
        .map(|m| m.name.as_str());
    match catalog.series(name) {
        None => {
            unknown_metric(cx, s, counters);
            None
        }
        Some(m) if m.type_ == MetricType::Counter || name.ends_with("_count") => {
            Some(selector(&vs))
        }
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

fn unknown_metric<'a>(cx: &mut Ctx, s: &Str, candidates: impl Iterator<Item = &'a str>) {
    let name = s
        .get_ref()
        .split('{')
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    let help = suggest(&name, candidates, || {
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
    match promql_parser::parser::parse(&format!("x{{{}}}", m.get_ref())) {
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

fn selector(vs: &VectorSelector) -> String {
    Ast::VectorSelector(vs.clone()).to_string()
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
