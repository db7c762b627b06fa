//! What the lint knows beyond the expression: series types, who scrapes them, how often.

use crate::catalog::{Exporter, MetricType};
use crate::model::{Duration, Model, Rule};
use std::collections::HashMap;

/// The type a selected series has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesKind {
    Counter,
    Gauge,
    /// A histogram's base name, which no series carries.
    HistogramBase,
    /// Produced by a recording rule or by Prometheus itself; its type is not declared.
    Derived,
}

pub struct Context<'m> {
    pub model: &'m Model,
    /// Recorded series → the interval of the group that records them.
    recorded: HashMap<&'m str, Duration>,
}

impl<'m> Context<'m> {
    pub fn new(model: &'m Model) -> Self {
        let mut recorded = HashMap::new();
        for g in &model.groups {
            let interval = g.interval.unwrap_or(model.stack.evaluation_interval);
            for r in &g.rules {
                if let Rule::Record(rec) = r {
                    recorded.insert(rec.name.as_str(), interval);
                }
            }
        }
        Context { model, recorded }
    }

    /// `None` when the series is unknown.
    pub fn kind(&self, series: &str) -> Option<SeriesKind> {
        if self.recorded.contains_key(series) || matches!(series, "ALERTS" | "ALERTS_FOR_STATE") {
            return Some(SeriesKind::Derived);
        }
        let catalog = &self.model.catalog;
        if let Some(m) = catalog.get(series) {
            return Some(match m.type_ {
                MetricType::Counter => SeriesKind::Counter,
                MetricType::Gauge => SeriesKind::Gauge,
                MetricType::Histogram | MetricType::Summary => SeriesKind::HistogramBase,
            });
        }
        // `_bucket`, `_sum` and `_count` of histograms and summaries are counters.
        catalog.series(series).map(|_| SeriesKind::Counter)
    }

    /// How often a series gets a new sample: its job's scrape interval, or its
    /// recording group's interval.
    pub fn sample_interval(&self, series: &str) -> Duration {
        if let Some(i) = self.recorded.get(series) {
            return *i;
        }
        let global = self.model.stack.scrape_interval;
        let job = match self.model.catalog.series(series).map(|m| m.exporter) {
            Some(Exporter::Client) => "lloom-client",
            Some(Exporter::Executor) => "lloom-executor",
            Some(Exporter::Validator) => "lloom-validator",
            Some(Exporter::System) => "node",
            _ => return global,
        };
        self.model
            .jobs
            .iter()
            .find(|j| j.name == job)
            .and_then(|j| j.scrape_interval)
            .unwrap_or(global)
    }
}
