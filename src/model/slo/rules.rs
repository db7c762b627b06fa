//! An SLO's rules, one group per SLO (`rules/slo-<name>.yml`):
//! - `slo:sli_error:ratio_rate<w>`: the error ratio over each window the
//!   alerts read (7 with both tiers' default windows, shared where equal);
//! - `slo:sli_error:ratio_rate<period>`: over the period, as the average of
//!   the ratio over about 1/720 of it, read by a subquery (cheap: 720 points);
//! - `slo:error_budget:remaining`: 1 − period ratio / budget;
//! - `slo:error_budget:burn_rate`: every window's burn rate in one series
//!   per window (`window` label), for dashboards;
//! - one alert per tier, `<Name>BudgetBurn` with `tier` and `severity`.
//!
//! So one SLO with both tiers costs 10 recording rules and 2 alerts.

use super::burn_rate::{Tier, Window};
use super::{Sli, Slo, SloTier};
use crate::model::core::numbers::format_number as render_number;
use crate::model::core::promql_names::selector;
use crate::model::core::{
    AlertRule, Allow, Duration, Expr, LabelMap, Places, RecordRule, Rule, RuleGroup,
};
use std::ops::Range;

/// The rule group of an SLO; `Err` only if a composed expression does not
/// parse, which is a bug in lloom-monctl.
pub(crate) fn group(slo: &Slo, runbook_base: &str) -> Result<RuleGroup, String> {
    let mut rules = recording_rules(slo)?;
    for t in &slo.tiers {
        rules.push(tier_alert(slo, t, runbook_base)?);
    }
    Ok(RuleGroup {
        name: format!("slo_{}", slo.name.replace('-', "_")),
        interval: None,
        rules,
    })
}

/// A recording rule of the SLO, labelled with its name.
fn record(slo: &Slo, name: String, text: String, at: &Range<usize>) -> Result<Rule, String> {
    Ok(Rule::Record(RecordRule {
        name,
        expr: Expr::composed(text, at.clone())?,
        labels: LabelMap::from([("slo".to_string(), slo.name.clone())]),
        allow: Allow::new(),
        places: Places::default(),
    }))
}

/// `slo:…{slo="<name>"}`: a series the SLO's own rules record.
fn own(slo: &Slo, name: &str) -> String {
    format!("{name}{{slo=\"{}\"}}", slo.name)
}

/// Every window's error ratio, the period's, the budget left and the burn
/// rates: what the alerts and the dashboards read.
fn recording_rules(slo: &Slo) -> Result<Vec<Rule>, String> {
    let mut rules = Vec::new();
    for w in slo.windows() {
        rules.push(record(
            slo,
            ratio_name(w),
            error_ratio(&slo.sli, w),
            &slo.places.sli,
        )?);
    }
    let step = slo.budget_step();
    let period_ratio = ratio_name(slo.period);
    rules.push(record(
        slo,
        period_ratio.clone(),
        format!(
            "avg_over_time({}[{}:{step}])",
            own(slo, &ratio_name(step)),
            slo.period
        ),
        &slo.places.period,
    )?);
    let budget = render_number(slo.budget);
    rules.push(record(
        slo,
        "slo:error_budget:remaining".into(),
        format!("1 - {} / {budget}", own(slo, &period_ratio)),
        &slo.places.period,
    )?);
    let burns = burn_rates(slo, &budget);
    if !burns.is_empty() {
        rules.push(record(
            slo,
            "slo:error_budget:burn_rate".into(),
            burns.join("\nor\n") + "\n",
            &slo.places.sli,
        )?);
    }
    Ok(rules)
}

/// One burn rate per window, labelled with it; the budget step only where a
/// tier alerts on it too (it exists for the period's average).
fn burn_rates(slo: &Slo, budget: &str) -> Vec<String> {
    let step = slo.budget_step();
    slo.windows()
        .into_iter()
        .filter(|w| {
            *w != step
                || slo
                    .tiers
                    .iter()
                    .flat_map(|t| &t.windows)
                    .any(|x| x.long == *w || x.short == *w)
        })
        .map(|w| {
            format!(
                "label_replace({} / {budget}, \"window\", \"{w}\", \"\", \"\")",
                own(slo, &ratio_name(w))
            )
        })
        .collect()
}

/// `<Name>BudgetBurn` of one tier, its runbook named after it.
fn tier_alert(slo: &Slo, t: &SloTier, runbook_base: &str) -> Result<Rule, String> {
    let mut alert_labels = t.labels.clone();
    alert_labels.insert("slo".into(), slo.name.clone());
    let name = format!("{}BudgetBurn", slo.camel_name());
    let annotations = LabelMap::from([
        ("summary".to_string(), summary(slo, t.tier)),
        ("description".to_string(), description(slo, &t.windows)),
        (
            "runbook_url".to_string(),
            format!("{runbook_base}/{name}.md"),
        ),
    ]);
    Ok(Rule::Alert(AlertRule {
        expr: Expr::composed(alert_expr(slo, &t.windows), slo.places.name.clone())?,
        name,
        for_: None,
        labels: alert_labels,
        annotations,
        allow: Allow::new(),
        places: Places {
            annotations: slo
                .places
                .description
                .iter()
                .map(|at| ("description".to_string(), at.clone()))
                .collect(),
            ..Places::default()
        },
    }))
}

pub fn ratio_name(w: Duration) -> String {
    format!("slo:sli_error:ratio_rate{w}")
}

/// Bad events over all events within `w`, summed over the fleet.
fn error_ratio(sli: &Sli, w: Duration) -> String {
    match sli {
        Sli::Ratio { errors, total } => format!(
            "sum(rate({}[{w}]))\n  /\nsum(rate({}[{w}]))\n",
            errors, total
        ),
        Sli::Latency {
            histogram,
            threshold,
            matchers,
        } => {
            let mut bucket = vec![le_matcher(*threshold)];
            bucket.extend(matchers.iter().cloned());
            format!(
                "1 - (\n  sum(rate({}[{w}]))\n    /\n  sum(rate({}[{w}]))\n)\n",
                selector(&format!("{histogram}_bucket"), &bucket),
                selector(&format!("{histogram}_count"), matchers),
            )
        }
        Sli::Availability { jobs } => {
            format!("1 - avg(avg_over_time(up{{{}}}[{w}]))\n", job_matcher(jobs))
        }
    }
}

/// The matcher of a bucket bound as both Prometheus 2 and 3 write it: a whole
/// number is `5` in 2 and `5.0` in 3 (which normalises `le`), so a regex;
/// any other bound is written alike by both (`2.5`), so an equality (a regex
/// without a pattern is needless: `lint/needless-regex`).
pub fn le_matcher(threshold: f64) -> String {
    let plain = render_number(threshold);
    if plain.contains(['.', 'e']) {
        format!("le=\"{plain}\"")
    } else {
        format!("le=~\"{plain}(\\\\.0)?\"")
    }
}

/// The jobs' matcher: an equality for one job (a regex without a pattern is
/// needless: `lint/needless-regex`), else a regex of alternatives.
pub(super) fn job_matcher(jobs: &[String]) -> String {
    match jobs {
        [one] => format!("job=\"{one}\""),
        _ => {
            let jobs: Vec<String> = jobs.iter().map(|j| regex_escape(j)).collect();
            format!("job=~\"{}\"", jobs.join("|"))
        }
    }
}

/// A job name as a regex alternative, escaped for the regex and for the
/// PromQL string around it.
fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push_str("\\\\");
        }
        out.push(c);
    }
    out
}

/// Both windows of each pair above `factor × budget`; any pair fires.
fn alert_expr(slo: &Slo, windows: &[Window]) -> String {
    let budget = render_number(slo.budget);
    let sel = |w: Duration| format!("{}{{slo=\"{}\"}}", ratio_name(w), slo.name);
    let guard = |w: Duration| match (&slo.min_rate, &slo.sli) {
        (Some(min), Sli::Ratio { total, .. }) => format!(
            "\n  and on ()\n  sum(rate({total}[{w}])) > {}",
            render_number(*min)
        ),
        (
            Some(min),
            Sli::Latency {
                histogram,
                matchers,
                ..
            },
        ) => format!(
            "\n  and on ()\n  sum(rate({}[{w}])) > {}",
            selector(&format!("{histogram}_count"), matchers),
            render_number(*min)
        ),
        _ => String::new(),
    };
    let pairs: Vec<String> = windows
        .iter()
        .map(|w| {
            let threshold = format!("({} * {budget})", render_number(w.factor(slo.period)));
            format!(
                "(\n  {} > {threshold}\n  and\n  {} > {threshold}{}\n)",
                sel(w.long),
                sel(w.short),
                guard(w.long)
            )
        })
        .collect();
    pairs.join("\nor\n") + "\n"
}

fn summary(slo: &Slo, tier: Tier) -> String {
    let pace = match tier {
        Tier::Page => "fast",
        Tier::Ticket => "steadily",
    };
    format!("SLO {} is burning its error budget {pace}", slo.name)
}

fn description(slo: &Slo, windows: &[Window]) -> String {
    let pace: Vec<String> = windows
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let of = if i == 0 {
                format!(" of the {} error budget", slo.period)
            } else {
                String::new()
            };
            format!("{}%{of} in {}", render_number(w.budget_percent), w.long)
        })
        .collect();
    let objective = render_number(slo.objective);
    let what = slo
        .description
        .as_deref()
        .map(|d| format!(" of {d}"))
        .unwrap_or_default();
    format!(
        "Objective {objective}%{what} over {}. The error ratio over the alert's long window is {{{{ $value | humanizePercentage }}}}, a pace that spends {}.",
        slo.period,
        pace.join(" or ")
    )
}
