//! `[[slo]]`: service level objectives, each with exactly one kind of
//! indicator (`ratio`, `latency` or `availability`) and its alert tiers.

use super::{Labels, Str};
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SloSpec {
    /// Lower-case words joined by `-`: it becomes the `slo` label.
    pub name: Str,
    pub description: Option<Str>,
    /// The objective in percent, e.g. `99.9`.
    pub objective: Spanned<f64>,
    /// The compliance period; `30d` when absent.
    pub period: Option<Str>,
    /// Below this many events per second (over an alert's long window) the
    /// SLO does not alert: a handful of requests says nothing about a burn.
    pub min_rate: Option<Spanned<f64>>,
    pub ratio: Option<Spanned<RatioSpec>>,
    pub latency: Option<Spanned<LatencySpec>>,
    pub availability: Option<Spanned<AvailabilitySpec>>,
    pub page: Option<TierSpec>,
    pub ticket: Option<TierSpec>,
}

/// Bad events over all events: two selectors of counters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatioSpec {
    pub errors: Str,
    pub total: Str,
}

/// Events slower than a histogram bucket bound are bad.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatencySpec {
    /// The histogram's name (without `_bucket`).
    pub histogram: Str,
    /// The bound in the histogram's unit; it must be one of its buckets.
    pub threshold: Spanned<f64>,
    /// Extra matchers for both selectors, e.g. `job="lloom-client"`.
    #[serde(default)]
    pub matchers: Vec<Str>,
}

/// Failed scrapes over all scrapes of these jobs (`up`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AvailabilitySpec {
    pub jobs: Vec<Str>,
}

/// One alert tier (`page` or `ticket`): on, labelled, and its windows.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierSpec {
    pub enabled: Option<bool>,
    /// Replace the tier's default labels (`severity`), or add more.
    #[serde(default)]
    pub labels: Labels,
    /// Multi-window pairs; the SRE workbook's when absent.
    pub windows: Option<Vec<Spanned<WindowSpec>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowSpec {
    pub long: Str,
    pub short: Str,
    /// Percent of the period's error budget spent within `long` that alerts.
    pub budget: Spanned<f64>,
}
