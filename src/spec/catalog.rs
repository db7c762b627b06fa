//! `[catalog]` and `[[metric]]`: the metric catalog's scope, and the metrics
//! the spec adds to it.

use super::Str;
use serde::Deserialize;

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
