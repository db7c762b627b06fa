use super::{Labels, Str};
use serde::Deserialize;

/// Identity and global timing of one Prometheus stack.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StackSpec {
    /// Becomes the `cluster` external label.
    pub name: Str,
    /// Becomes the `region` external label.
    pub region: Option<Str>,
    #[serde(default)]
    pub external_labels: Labels,
    pub scrape_interval: Option<Str>,
    pub scrape_timeout: Option<Str>,
    pub evaluation_interval: Option<Str>,
    #[serde(default)]
    pub retention: RetentionSpec,
    /// Base of every alert's `runbook_url`.
    pub runbook_base_url: Str,
    #[serde(default)]
    pub instance_label: InstanceLabel,
}

/// Prometheus keeps retention in command-line flags, not in prometheus.yml.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionSpec {
    pub time: Option<Str>,
    pub size: Option<Str>,
}

/// What the `instance` label of static targets holds.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InstanceLabel {
    /// The host name without port (the guide's relabel rule), so that Lloom,
    /// node and GPU metrics of one machine join on `instance`.
    #[default]
    Host,
    /// Prometheus's default: `host:port`.
    Address,
}
