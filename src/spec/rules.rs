//! `[rules]`, `[[alert]]` and `[[record]]`: the operator's own rules and the
//! groups they go in.

use super::{Labels, Str};
use serde::Deserialize;
use std::collections::BTreeMap;

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
