use super::{Labels, Str};
use serde::Deserialize;
use toml::Spanned;

/// A Grafana dashboard of the operator's own, rendered next to the built-in
/// ones; its queries are linted with the rules.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DashboardSpec {
    pub title: Str,
    /// Stable across renders; derived from the title when absent.
    pub uid: Option<Str>,
    pub description: Option<Str>,
    /// The Grafana folder; `Lloom custom` when absent.
    pub folder: Option<Str>,
    /// Template variables beyond `datasource` and `cluster`.
    #[serde(default)]
    pub variable: Vec<VariableSpec>,
    #[serde(default)]
    pub panel: Vec<PanelSpec>,
}

/// `query = 'label_values(<selector>, <label>)'`: Grafana's Prometheus
/// variable query, whose selector is linted.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariableSpec {
    pub name: Str,
    pub label: Option<Str>,
    pub query: Str,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelSpec {
    pub title: Str,
    /// Grafana panel type; `timeseries` when absent.
    #[serde(rename = "type")]
    pub kind: Option<Str>,
    pub unit: Option<Str>,
    pub description: Option<Str>,
    /// Panels with the same `row` in a run are grouped under a row of that title.
    pub row: Option<Str>,
    /// Grid columns (of 24) and rows; by type when absent.
    pub width: Option<Spanned<u32>>,
    pub height: Option<Spanned<u32>>,
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

/// `[grafana]`: where Grafana reaches its datasources.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrafanaSpec {
    /// `http://prometheus:9090` (the compose service) when absent.
    pub prometheus_url: Option<Str>,
    /// `http://alertmanager:9093` when absent.
    pub alertmanager_url: Option<Str>,
    /// `http://loki:3100` when absent (with `[logs]`).
    pub loki_url: Option<Str>,
    /// `http://jaeger:16686` when absent (with `[tracing]`).
    pub jaeger_url: Option<Str>,
}
