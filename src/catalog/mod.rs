//! The Lloom metric catalog: the contract that Lloom nodes implement and that
//! every expression is checked against.
//!
//! The built-in part is data (`builtin.toml`), taken from the operators' guide;
//! where the guide is ambiguous or silent the entry records the decision made.

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MetricType {
    Counter,
    Gauge,
    Histogram,
    Summary,
}

impl MetricType {
    pub fn as_str(self) -> &'static str {
        match self {
            MetricType::Counter => "counter",
            MetricType::Gauge => "gauge",
            MetricType::Histogram => "histogram",
            MetricType::Summary => "summary",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "counter" => Some(MetricType::Counter),
            "gauge" => Some(MetricType::Gauge),
            "histogram" => Some(MetricType::Histogram),
            "summary" => Some(MetricType::Summary),
            _ => None,
        }
    }
}

/// Who exports a metric; decides the section of METRICS.md and which jobs carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Exporter {
    Client,
    Executor,
    Validator,
    /// node exporter
    System,
    /// The GPU exporter (nvidia_gpu_exporter or dcgm-exporter).
    Gpu,
    /// Added by Prometheus itself at scrape time (`up`).
    Scrape,
    /// Declared in a spec.
    Custom,
}

impl Exporter {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "client" => Some(Exporter::Client),
            "executor" => Some(Exporter::Executor),
            "validator" => Some(Exporter::Validator),
            "system" => Some(Exporter::System),
            "custom" => Some(Exporter::Custom),
            _ => None,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Exporter::Client => "Client",
            Exporter::Executor => "Executor",
            Exporter::Validator => "Validator",
            Exporter::System => "System (node exporter)",
            Exporter::Gpu => "GPU exporters",
            Exporter::Scrape => "Scrape (added by Prometheus)",
            Exporter::Custom => "Custom (declared in the spec)",
        }
    }
}

/// Where an entry comes from, so readers know what is settled and what is proposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Listed in the guide's "Key Metrics".
    Listed,
    /// Used in the guide's expressions but never listed: part of the contract now.
    Proposed,
    /// Declared in the operator's spec.
    Spec,
    /// Written by Prometheus itself (`up`): always there.
    Prometheus,
    /// Defined by a third-party exporter (the GPU exporters).
    Exporter,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    /// Base name; a histogram's series are `<name>_bucket`, `_sum`, `_count`.
    pub name: String,
    #[serde(rename = "type")]
    pub type_: MetricType,
    pub exporter: Exporter,
    pub help: String,
    /// Labels beyond `job` and `instance`, which scraping adds.
    #[serde(default)]
    pub labels: Vec<String>,
    /// Known values of labels, where the contract fixes them.
    #[serde(default)]
    pub values: BTreeMap<String, Vec<String>>,
    pub unit: Option<String>,
    pub status: Status,
    /// Why this entry is as it is, where the guide left a choice.
    pub decision: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    metrics: BTreeMap<String, Metric>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    metric: Vec<Metric>,
}

impl Catalog {
    /// The catalog built from the guide. Its data is checked by the test suite,
    /// so a failure here is a bug in lloom-monctl, not in the user's spec.
    /// Parsed once per process: every compile starts from a copy.
    pub fn builtin() -> Catalog {
        static BUILTIN: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                let file: CatalogFile = toml::from_str(include_str!("builtin.toml"))
                    .expect("built-in catalog is valid TOML");
                let mut catalog = Catalog::default();
                for m in file.metric {
                    let name = m.name.clone();
                    assert!(
                        catalog.metrics.insert(name.clone(), m).is_none(),
                        "duplicate built-in metric {name}"
                    );
                }
                catalog
            })
            .clone()
    }

    /// Adds a metric; returns false if the name is taken.
    pub fn insert(&mut self, metric: Metric) -> bool {
        if self.metrics.contains_key(&metric.name) {
            return false;
        }
        self.metrics.insert(metric.name.clone(), metric);
        true
    }

    /// Keeps the metrics `keep` accepts.
    pub fn retain(&mut self, keep: impl Fn(&Metric) -> bool) {
        self.metrics.retain(|_, m| keep(m));
    }

    pub fn get(&self, name: &str) -> Option<&Metric> {
        self.metrics.get(name)
    }

    /// The catalog entry that exports a series name, e.g. `x_bucket` of histogram `x`.
    pub fn series(&self, series: &str) -> Option<&Metric> {
        if let Some(m) = self.metrics.get(series) {
            return Some(m);
        }
        for suffix in ["_bucket", "_sum", "_count"] {
            if let Some(base) = series.strip_suffix(suffix) {
                if let Some(m) = self.metrics.get(base) {
                    if matches!(m.type_, MetricType::Histogram | MetricType::Summary)
                        && !(suffix == "_bucket" && m.type_ == MetricType::Summary)
                    {
                        return Some(m);
                    }
                }
            }
        }
        None
    }

    pub fn iter(&self) -> impl Iterator<Item = &Metric> {
        self.metrics.values()
    }

    pub fn len(&self) -> usize {
        self.metrics.len()
    }

    pub fn is_empty(&self) -> bool {
        self.metrics.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalog_loads_and_follows_naming_conventions() {
        let c = Catalog::builtin();
        assert!(c.len() > 40);
        for m in c.iter() {
            if m.type_ == MetricType::Counter {
                assert!(
                    m.name.ends_with("_total"),
                    "{} is a counter without _total",
                    m.name
                );
            } else {
                assert!(
                    !m.name.ends_with("_total"),
                    "{} ends in _total but is no counter",
                    m.name
                );
            }
            for l in m.values.keys() {
                assert!(
                    m.labels.contains(l),
                    "{}: values for undeclared label {l}",
                    m.name
                );
            }
            if m.status == Status::Proposed {
                assert!(
                    m.decision.is_some(),
                    "{} is proposed without a reason",
                    m.name
                );
            }
        }
    }

    #[test]
    fn histogram_series_resolve_to_their_metric() {
        let c = Catalog::builtin();
        let m = c
            .series("lloom_client_request_duration_seconds_bucket")
            .unwrap();
        assert_eq!(m.type_, MetricType::Histogram);
        assert!(c.series("lloom_client_active_requests_bucket").is_none());
    }
}
