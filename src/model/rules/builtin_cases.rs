//! The built-in alerts' rule tests: for each pack alert the spec's roles
//! bring, `pack_tests.rs`'s firing and quiet data at its effective threshold,
//! evaluated past the range and the effective `for`, and the alert the firing
//! side raises, labels and annotations expanded from the rule itself.

use super::pack;
use super::pack_cases::{fixture, Feed, Fixture, Side, Source, Values};
use crate::diagnostics::Finding;
use crate::model::core::promtool::{
    expected, number, series_text, AlertCheck, InputSeries, RuleTestCase,
};
use crate::model::core::{
    AlertRule, Ctx, Duration, LabelMap, Rule, RuleGroup, ScrapeJob, Stack, Targets,
};
use crate::spec::{Spec, SpecCode};

pub(crate) fn cases(
    cx: &mut Ctx,
    spec: &Spec,
    groups: &[RuleGroup],
    stack: &Stack,
    jobs: &[ScrapeJob],
) -> Vec<(String, RuleTestCase)> {
    let mut out = Vec::new();
    for g in groups {
        for rule in &g.rules {
            let Rule::Alert(a) = rule else { continue };
            let Some(builtin) = pack::ALERTS.iter().find(|p| p.name == a.name) else {
                continue;
            };
            let tuned = spec
                .pack
                .alert
                .iter()
                .find(|(k, _)| *k.get_ref() == a.name)
                .and_then(|(_, v)| v.threshold.as_ref());
            let t = tuned.map_or(builtin.threshold, |t| *t.get_ref());
            let fx = match fixture(&a.name, t) {
                Ok(fx) => fx,
                Err(why) => {
                    cx.push(
                        Finding::new(SpecCode::BadThreshold, format!("{}: {why}", a.name))
                            .at_opt(tuned.map(|t| t.span()))
                            .help("choose a threshold inside the metric's range, or disable the alert with `enabled = false`"),
                    );
                    continue;
                }
            };
            let eval = g.interval.unwrap_or(stack.evaluation_interval);
            for (side, firing) in [(&fx.fire, true), (&fx.quiet, false)] {
                match case(stack, jobs, a, &fx, side, firing, eval) {
                    Ok(c) => out.push((g.name.clone(), c)),
                    Err(why) => cx.push(Finding::new(
                        SpecCode::CannotExpand,
                        format!("the test of {} cannot state its annotations: {why}", a.name),
                    )),
                }
            }
        }
    }
    out
}

fn case(
    stack: &Stack,
    jobs: &[ScrapeJob],
    a: &AlertRule,
    fx: &Fixture,
    side: &Side,
    firing: bool,
    eval: Duration,
) -> Result<RuleTestCase, String> {
    // A whole sample grid point and evaluation, past the range and the `for`.
    let grid = lcm(fx.interval.0, eval.0);
    let needed = fx.window.0 + a.for_.map_or(0, |f| f.0) + 60_000;
    let eval_time = Duration(needed.div_ceil(grid) * grid);
    let samples = eval_time.0 / fx.interval.0;
    let scraped = scraped(jobs, fx.source);
    let input = side
        .input
        .iter()
        .map(|feed| input(feed, &scraped, samples))
        .collect();
    let mut expect = Vec::new();
    if firing {
        let mut labels = scraped.clone();
        labels.extend(
            fx.labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        let alert = expected(
            a,
            &labels,
            side.value,
            &stack.external_labels,
            &LabelMap::new(),
        )
        .map_err(|(key, e)| format!("`{key}`: {e}"))?;
        expect.push(alert);
    }
    let verb = if firing { "fires" } else { "stays quiet" };
    Ok(RuleTestCase {
        name: format!("{} {verb} (built-in)", a.name),
        interval: fx.interval,
        input,
        alerts: vec![AlertCheck {
            eval_time,
            alert: a.name.clone(),
            expect,
        }],
        exprs: Vec::new(),
    })
}

fn input(feed: &Feed, scraped: &LabelMap, samples: u64) -> InputSeries {
    let mut labels = scraped.clone();
    labels.extend(
        feed.labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    let values = match feed.values {
        Values::Gauge(v) => format!("{}x{samples}", number(v)),
        // A counter that never rises is written as the constant it is.
        Values::Counter(step) => match step == 0.0 {
            true => format!("0x{samples}"),
            false => format!("0+{}x{samples}", number(step)),
        },
    };
    InputSeries {
        series: series_text(feed.metric, &labels),
        values,
    }
}

/// `job`, `instance` and target labels of the series a source's target
/// exports, as the scrape config labels them; placeholders for discovered
/// targets, whose addresses are known only at run time.
fn scraped(jobs: &[ScrapeJob], source: Source) -> LabelMap {
    let lloom = |j: &&ScrapeJob| j.name.starts_with("lloom-");
    let job = match source {
        Source::Role(role) => jobs
            .iter()
            .find(|j| j.name == format!("lloom-{role}"))
            .or_else(|| {
                let discovered = |j: &&ScrapeJob| !matches!(j.targets, Targets::Static(_));
                jobs.iter().filter(lloom).find(discovered)
            }),
        Source::Node => jobs.iter().find(|j| j.name == "node"),
        Source::AnyLloom => jobs.iter().find(lloom),
        Source::Exporter => jobs
            .iter()
            .find(|j| !lloom(j) && j.name != "prometheus")
            .or_else(|| jobs.iter().find(|j| !lloom(j))),
    };
    let (fallback, port) = match source {
        Source::Role(role @ "executor") => (format!("lloom-{role}"), 9092),
        Source::Role(role @ "validator") => (format!("lloom-{role}"), 9093),
        Source::Role(role) => (format!("lloom-{role}"), 9091),
        Source::AnyLloom => ("lloom-client".into(), 9091),
        Source::Node | Source::Exporter => ("node".into(), 9100),
    };
    let mut labels = LabelMap::new();
    let mut instance = format!("10.0.0.1:{port}");
    if let Some(Targets::Static(groups)) = job.map(|j| &j.targets) {
        if let Some((g, t)) = groups
            .iter()
            .find_map(|g| g.targets.first().map(|t| (g, t)))
        {
            labels.extend(g.labels.clone());
            instance = t.clone();
        }
    }
    if job.is_some_and(|j| {
        j.relabel.first() == Some(&crate::model::prometheus::relabel::instance_from_host())
    }) {
        instance = instance.split(':').next().unwrap_or_default().to_string();
    }
    labels.insert("job".into(), job.map_or(fallback, |j| j.name.clone()));
    labels.insert("instance".into(), instance);
    labels
}

fn lcm(a: u64, b: u64) -> u64 {
    fn gcd(a: u64, b: u64) -> u64 {
        if b == 0 {
            a
        } else {
            gcd(b, a % b)
        }
    }
    if a == 0 || b == 0 {
        a.max(b).max(1)
    } else {
        a / gcd(a, b) * b
    }
}
