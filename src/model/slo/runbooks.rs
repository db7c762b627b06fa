//! The runbook page of each SLO's `<Name>BudgetBurn` alert: what the burn
//! means for its tier, where the errors come from, and the recorded series to
//! look at. Its queries are linted like every other expression.

use super::rules::{job_matcher, ratio_name};
use super::{Sli, Slo};
use crate::model::core::numbers::format_number;
use crate::model::core::promql_names::selector;
use crate::model::core::runbook::{Check, Related, Runbook, RunbookQuery};
use crate::model::core::Expr;

pub(crate) fn pages(slos: &[Slo]) -> Result<Vec<Runbook>, String> {
    slos.iter().map(page).collect()
}

fn page(slo: &Slo) -> Result<Runbook, String> {
    let name = format!("{}BudgetBurn", slo.camel_name());
    let objective = format_number(slo.objective);
    let budget_percent = format_number(slo.budget * 100.0);
    let what = slo
        .description
        .clone()
        .unwrap_or_else(|| format!("the SLO `{}`", slo.name));
    let sel = |series: &str| format!("{series}{{slo=\"{}\"}}", slo.name);
    let mut queries = vec![
        query(
            slo,
            "Burn rate per window (1 spends the budget exactly over the period)",
            sel("slo:error_budget:burn_rate"),
        )?,
        query(
            slo,
            "Error budget left over the period (1 = untouched, 0 = spent)",
            sel("slo:error_budget:remaining"),
        )?,
    ];
    let bad = bad_events(slo)?;
    queries.extend(bad.queries);
    let source = bad.source;
    Ok(Runbook {
        line: Some(format!("SLO {} ({objective}% over {}) is spending its error budget too fast", slo.name, slo.period)),
        meaning: Some(format!(
            "The objective is {objective}% of {what} over {}, which allows {budget_percent}% of events to be bad: the error budget. The bad events are {source}. The `page` tier (severity critical) fires when the recent error ratio would spend the whole budget within days; the `ticket` tier (warning) on a steady burn that would spend it before the period ends. Both check a long and a short window, so the alert stops soon after the burn stops.",
            slo.period
        )),
        impact: Some(bad.impact.to_string()),
        labels: vec![
            ("slo".into(), "the SLO's name".into()),
            ("tier".into(), "`page` (fast burn) or `ticket` (slow burn)".into()),
        ],
        checks: checks(slo),
        queries,
        related: bad.related.iter().map(|a| Related { alert: a.to_string(), why: "a cause of bad events this SLO counts".into() }).collect(),
        ..Runbook::bare(&name)
    })
}

/// A query of the page, placed at the SLI so that a finding points there.
fn query(slo: &Slo, title: &str, text: String) -> Result<RunbookQuery, String> {
    Ok(RunbookQuery {
        title: Some(title.to_string()),
        expr: Expr::composed(text, slo.places.sli.clone())?,
    })
}

/// What the SLI makes of the bad events: what they are, what they cost, the
/// alerts that point at a cause, and the queries that find where they come
/// from.
struct BadEvents {
    source: String,
    impact: &'static str,
    related: &'static [&'static str],
    queries: Vec<RunbookQuery>,
}

fn bad_events(slo: &Slo) -> Result<BadEvents, String> {
    Ok(match &slo.sli {
        Sli::Ratio { errors, total } => BadEvents {
            queries: vec![query(
                slo,
                "Which instances the bad events come from",
                format!("sum by (instance) (rate({errors}[5m]))\n  /\nsum by (instance) (rate({total}[5m]))\n"),
            )?],
            source: format!("`{errors}` over `{total}`"),
            impact: "Requests are failing: clients get errors and may retry against other executors, paying again.",
            related: &["HighClientErrorRate", "ClientRequestTimeout", "LloomTargetDown"],
        },
        Sli::Latency {
            histogram,
            threshold,
            ..
        } => BadEvents {
            queries: vec![
                query(
                    slo,
                    "The fleet's p99 now",
                    format!("histogram_quantile(0.99, sum by (le) (rate({}[5m])))", selector(&format!("{histogram}_bucket"), &[])),
                )?,
                query(
                    slo,
                    "p99 by instance",
                    format!("histogram_quantile(0.99, sum by (instance, le) (rate({}[5m])))", selector(&format!("{histogram}_bucket"), &[])),
                )?,
            ],
            source: format!(
                "`{histogram}` events slower than {}",
                format_number(*threshold)
            ),
            impact: "Requests are slow: clients wait, time out or give up.",
            related: &[
                "ExecutorHighQueueSize",
                "ExecutorNearCapacity",
                "ExecutorGPUMemoryHigh",
                "ClientRequestTimeout",
            ],
        },
        Sli::Availability { jobs } => BadEvents {
            queries: vec![query(
                slo,
                "The targets that are down now",
                format!("up{{{}}} == 0", job_matcher(jobs)),
            )?],
            source: format!("failed scrapes of {}", jobs.join(", ")),
            impact: "Lloom nodes are unreachable: their requests, validations and payments stop.",
            related: &["LloomTargetDown", "ScrapeTargetDown"],
        },
    })
}

/// The on-call's steps: the tier, the cause, the budget left.
fn checks(slo: &Slo) -> Vec<Check> {
    let short = slo
        .windows()
        .first()
        .map(|w| ratio_name(*w))
        .unwrap_or_default();
    vec![
        Check { text: "Look at `tier`: a page needs action now, a ticket within the working day. The burn rate per window (first query) shows whether the burn is still going on (short windows high) or over (only long windows high).".into(), commands: vec![] },
        Check { text: format!("Find where the bad events come from with the third query, then follow the related alerts below; `{short}` is the ratio over the shortest window."), commands: vec![] },
        Check { text: "Check the budget left (second query). Near 0, hold risky changes (model rollouts, executor upgrades) until it recovers.".into(), commands: vec![] },
    ]
}
