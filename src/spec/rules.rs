use super::{Labels, Str};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesSpec {
    /// Rule files kept outside lloom-monctl (globs, as Prometheus reads them).
    #[serde(default)]
    pub extra_files: Vec<Str>,
    /// Per-group settings, by group name (built-in or custom).
    #[serde(default)]
    pub groups: BTreeMap<Str, RuleGroupSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleGroupSpec {
    pub interval: Option<Str>,
}

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

/// A custom alert rule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertSpec {
    pub name: Str,
    pub expr: Str,
    #[serde(rename = "for")]
    pub for_: Option<Str>,
    pub severity: Str,
    pub summary: Str,
    pub description: Str,
    pub group: Option<Str>,
    pub runbook_url: Option<Str>,
    /// What the generated runbook page tells on-call to check; only for an
    /// alert whose page lloom-monctl writes (no `runbook_url` of its own).
    pub runbook: Option<RunbookSpec>,
    #[serde(default)]
    pub labels: Labels,
    #[serde(default)]
    pub annotations: Labels,
    /// Lint codes silenced on this rule, each with the reason why.
    #[serde(default)]
    pub allow: Labels,
}

/// The operator's part of a custom alert's runbook page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunbookSpec {
    /// First checks, in order, as Markdown.
    #[serde(default)]
    pub checks: Vec<Str>,
    /// Diagnostic PromQL, linted like the rules.
    #[serde(default)]
    pub queries: Vec<Str>,
}

/// A custom recording rule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordSpec {
    pub name: Str,
    pub expr: Str,
    pub group: Option<Str>,
    #[serde(default)]
    pub labels: Labels,
    /// Lint codes silenced on this rule, each with the reason why.
    #[serde(default)]
    pub allow: Labels,
}

/// The built-in catalog's scope.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogSpec {
    /// `false` keeps only the metrics the guide lists (and the spec's own):
    /// expressions are then checked against what nodes are known to export,
    /// not against the metrics lloom-monctl proposes.
    pub include_proposed: Option<bool>,
}

/// A metric added to the catalog.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricSpec {
    pub name: Str,
    #[serde(rename = "type")]
    pub type_: Str,
    pub help: Str,
    #[serde(default)]
    pub labels: Vec<Str>,
    pub role: Option<Str>,
}
