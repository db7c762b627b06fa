//! `[pack]`: tuning of the built-in alert pack, alert by alert.

use super::{Labels, Str};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// Tuning of the built-in alert pack, by alert name.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackSpec {
    /// `false` leaves the built-in rules out: the spec brings all its own.
    pub enabled: Option<bool>,
    #[serde(default)]
    pub alert: BTreeMap<Str, PackAlertSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackAlertSpec {
    pub enabled: Option<bool>,
    pub threshold: Option<Spanned<f64>>,
    #[serde(rename = "for")]
    pub for_: Option<Str>,
    pub severity: Option<Str>,
    /// Lint codes silenced on this rule, each with the reason why.
    #[serde(default)]
    pub allow: Labels,
}
