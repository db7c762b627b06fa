//! `[[test]]`: the operator's own promtool rule tests, next to the built-in
//! pack's. Values the model checks (durations, series, numbers) keep their spans.

use super::{Labels, Str};
use serde::Deserialize;
use toml::Spanned;

/// One test of one alert: input series, and the alerts firing at `eval_time`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleTestSpec {
    pub name: Str,
    /// The alert under test, built-in or custom.
    pub alert: Str,
    /// Time between two input samples; 1m when absent.
    pub interval: Option<Str>,
    pub eval_time: Str,
    pub input: Vec<Spanned<InputSpec>>,
    /// The alerts firing at `eval_time`; `[]`: the alert must not fire.
    pub expect: Vec<Spanned<ExpectSpec>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputSpec {
    /// `metric{job="...", instance="...", label="value"}`.
    pub series: Str,
    /// promtool's expanding notation, e.g. `0+60x30` or `1x10`.
    pub values: Str,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectSpec {
    /// The labels of the series the alert fires for; the alert's own labels
    /// (`severity`, `labels`) are added.
    #[serde(default)]
    pub labels: Labels,
    /// `$value` at `eval_time`, for annotations that print it.
    pub value: Option<Spanned<f64>>,
    /// Annotations as promtool must see them, for templates lloom-monctl does
    /// not expand; the others are expanded from the alert.
    #[serde(default)]
    pub annotations: Labels,
}
