//! What the lint knows beyond the expression: series types, who scrapes them, how often.

use super::labels::LabelSet;
use crate::catalog::{Exporter, MetricType};
use crate::model::{Duration, Model, RecordRule, Rule, Targets};
use std::cell::RefCell;
use std::collections::HashMap;

/// The type a selected series has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesKind {
    Counter,
    Gauge,
    /// A histogram's base name, which no series carries.
    HistogramBase,
    /// A summary's quantile series (`x{quantile="0.99"}`): a gauge that must
    /// not be aggregated.
    Quantile,
    /// Produced by a recording rule or by Prometheus itself; its type is not declared.
    Derived,
}

pub struct Context<'m> {
    pub model: &'m Model,
    /// Recorded series → the interval of the group that records them.
    recorded: HashMap<&'m str, Duration>,
    /// Every rule recording each series: a name may be recorded by several
    /// (one per GPU, each with its own labels).
    records: HashMap<&'m str, Vec<&'m RecordRule>>,
    /// Labels that scraping puts on every scraped series.
    pub scrape: LabelSet,
    /// Every value `job` can take; `None` when relabelling or target labels
    /// may set it to something else.
    pub job_names: Option<Vec<String>>,
    /// Label sets of recorded series, inferred on first use; `None` while
    /// being inferred, so that a rule reading itself ends as an open set.
    recorded_labels: RefCell<HashMap<&'m str, Option<LabelSet>>>,
}

impl<'m> Context<'m> {
    pub fn new(model: &'m Model) -> Self {
        let mut recorded = HashMap::new();
        let mut records = HashMap::new();
        for g in &model.groups {
            let interval = g.interval.unwrap_or(model.stack.evaluation_interval);
            for r in &g.rules {
                if let Rule::Record(rec) = r {
                    recorded.insert(rec.name.as_str(), interval);
                    records
                        .entry(rec.name.as_str())
                        .or_insert_with(Vec::new)
                        .push(rec);
                }
            }
        }
        Context {
            model,
            recorded,
            records,
            scrape: scrape_labels(model),
            job_names: job_names(model),
            recorded_labels: RefCell::default(),
        }
    }

    /// Why a label missing from local series may still be expected: it is an
    /// external label, which Prometheus adds only on the way out.
    pub fn external_hint(&self, label: &str) -> Option<String> {
        let value = self.model.stack.external_labels.get(label)?;
        Some(format!("`{label}` is an external label (`{label}=\"{value}\"`): Prometheus adds it to alerts, federation and remote writes, never to the series a local query reads; in alert templates use `$externalLabels.{label}`"))
    }

    /// Every series name a selector may use, for did-you-mean hints.
    pub fn series_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.records.keys().map(|s| s.to_string()).collect();
        for m in self.model.catalog.iter() {
            match m.type_ {
                MetricType::Histogram => {
                    names.extend(["_bucket", "_sum", "_count"].map(|s| format!("{}{s}", m.name)))
                }
                MetricType::Summary => {
                    names.extend(["", "_sum", "_count"].map(|s| format!("{}{s}", m.name)))
                }
                _ => names.push(m.name.clone()),
            }
        }
        names
    }

    /// The labels of a recorded series: its expression's, plus the rule's.
    pub fn recorded_labels(&self, series: &str) -> Option<LabelSet> {
        let (&name, rules) = self.records.get_key_value(series)?;
        if let Some(done) = self.recorded_labels.borrow().get(name) {
            return Some(done.clone().unwrap_or_else(LabelSet::open));
        }
        self.recorded_labels.borrow_mut().insert(name, None);
        // The series of every rule recording the name: only what all share is fixed.
        let mut merged: Option<LabelSet> = None;
        for rule in rules {
            let mut set = match &rule.expr.ast {
                // Findings in the recording rule are reported when it is linted.
                Some(ast) => super::infer::infer(self, ast, &mut Vec::new()),
                None => LabelSet::open(),
            };
            for (k, v) in &rule.labels {
                set.add(k);
                set.fixed.insert(k.clone(), v.clone());
            }
            set.scalar = false;
            merged = Some(match merged {
                Some(m) => m.union(set),
                None => set,
            });
        }
        let mut set = merged.unwrap_or_else(LabelSet::open);
        set.scalar = false;
        set.metric = Some(name.to_string());
        self.recorded_labels
            .borrow_mut()
            .insert(name, Some(set.clone()));
        Some(set)
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
                MetricType::Histogram => SeriesKind::HistogramBase,
                MetricType::Summary => SeriesKind::Quantile,
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
            Some(Exporter::Gpu) => crate::model::GPU_JOB,
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

/// `job` and `instance` on every series; target and relabel labels on some;
/// anything at all once a `labelmap` rule copies discovery labels over.
fn scrape_labels(model: &Model) -> LabelSet {
    let mut set = LabelSet::default();
    set.always.insert("job".into());
    set.always.insert("instance".into());
    for job in &model.jobs {
        match &job.targets {
            Targets::Static(groups) => {
                for g in groups {
                    set.maybe.extend(g.labels.keys().cloned());
                }
            }
            Targets::Files { labels, .. } => set.maybe.extend(labels.iter().cloned()),
            Targets::KubernetesPods { .. } | Targets::Consul { .. } => {}
        }
        for r in &job.relabel {
            if r.action == Some("labelmap") {
                set.open = true;
            }
            if let Some(t) = &r.target_label {
                if !t.starts_with("__") {
                    set.maybe.insert(t.clone());
                }
            }
        }
    }
    set.maybe.retain(|l| !set.always.contains(l));
    set
}

/// The job names, unless a relabel rule, a `labelmap`, a target label or a
/// file_sd file may write `job` itself.
fn job_names(model: &Model) -> Option<Vec<String>> {
    let mut names = Vec::new();
    for job in &model.jobs {
        let rewrites = job
            .relabel
            .iter()
            .any(|r| r.action == Some("labelmap") || r.target_label.as_deref() == Some("job"));
        let sets = match &job.targets {
            Targets::Static(groups) => groups.iter().any(|g| g.labels.contains_key("job")),
            Targets::Files { labels, .. } => labels.iter().any(|l| l == "job"),
            Targets::KubernetesPods { .. } | Targets::Consul { .. } => false,
        };
        if rewrites || sets {
            return None;
        }
        names.push(job.name.clone());
    }
    names.sort();
    Some(names)
}
