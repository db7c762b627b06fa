use super::{Labels, Str};
use serde::Deserialize;

/// A Grafana dashboard, declared so that its queries are linted with the
/// rules (and rendered once dashboards are generated).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DashboardSpec {
    pub title: Str,
    pub uid: Option<Str>,
    #[serde(default)]
    pub panel: Vec<PanelSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelSpec {
    pub title: Str,
    /// Grafana panel type; `timeseries` when absent.
    #[serde(rename = "type")]
    pub kind: Option<Str>,
    pub unit: Option<Str>,
    #[serde(default)]
    pub query: Vec<QuerySpec>,
    /// Lint codes silenced on this panel, each with the reason why.
    #[serde(default)]
    pub allow: Labels,
}

/// One query of a panel: PromQL with Grafana variables, and its legend.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuerySpec {
    pub expr: Str,
    pub legend: Option<Str>,
}
