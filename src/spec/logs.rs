use super::{Labels, Str};
use serde::Deserialize;

/// `[logs]`: one log pipeline, rendered for Loki and both log agents.
/// Every key is optional: an empty `[logs]` is the guide's pipeline.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogsSpec {
    /// Which agent the deployment runs; both configs are rendered.
    #[serde(default)]
    pub agent: LogAgent,
    /// Globs of the files to tail.
    pub paths: Option<Vec<Str>>,
    /// The `job` label of every line.
    pub job: Option<Str>,
    /// RE2 regex with named groups, applied to each line.
    pub regex: Option<Str>,
    pub timestamp: Option<TimestampSpec>,
    /// Regex groups promoted to Loki labels (indexed: keep them few and bounded).
    pub labels: Option<Vec<Str>>,
    /// Regex groups kept as Loki structured metadata (not indexed).
    #[serde(default)]
    pub structured_metadata: Vec<Str>,
    /// Fixed labels added to every line.
    #[serde(default)]
    pub static_labels: Labels,
    /// Loki's `limits_config.retention_period`.
    pub retention: Option<Str>,
}

/// Where a line's own timestamp is and how to read it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimestampSpec {
    /// A named group of the regex.
    pub source: Str,
    /// A Go layout name (`RFC3339`, `UnixMs`, ...) or a Go reference layout.
    pub format: Option<Str>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogAgent {
    /// Grafana Alloy, Promtail's successor.
    #[default]
    Alloy,
    /// End of life since 2026-03-02; for operators who still run it.
    Promtail,
}
