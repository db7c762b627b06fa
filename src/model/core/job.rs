//! Scrape jobs as Prometheus runs them: targets, their source and relabelling.

use super::{Duration, LabelMap};

#[derive(Debug, Clone)]
pub struct ScrapeJob {
    pub name: String,
    pub scrape_interval: Option<Duration>,
    pub scrape_timeout: Option<Duration>,
    pub metrics_path: Option<String>,
    pub scheme: Option<String>,
    pub targets: Targets,
    pub relabel: Vec<Relabel>,
}

/// Where a job's targets come from.
#[derive(Debug, Clone)]
pub enum Targets {
    Static(Vec<TargetGroup>),
    Files {
        files: Vec<String>,
        refresh_interval: Option<Duration>,
        /// Labels the files set on their targets, declared for the lint.
        labels: Vec<String>,
        /// What lloom-monctl writes into the first of `files` (the GPU job
        /// under `[hardware]`); empty where the operator keeps the files.
        generated: Vec<TargetGroup>,
    },
    KubernetesPods {
        namespaces: Vec<String>,
    },
    Consul {
        server: String,
        services: Vec<String>,
        token_file: Option<String>,
    },
}

/// The GPU exporter's scrape job: its targets are the hosts whose inventories list GPUs.
pub const GPU_JOB: &str = "nvidia-gpu";

/// `host:port` of every target the model knows for the job named `name`.
pub fn known_targets<'a>(jobs: &'a [ScrapeJob], name: &'a str) -> impl Iterator<Item = &'a str> {
    jobs.iter()
        .filter(move |j| j.name == name)
        .flat_map(|j| j.targets.known_groups())
        .flat_map(|g| g.targets.iter().map(String::as_str))
}

impl Targets {
    /// The target groups the model knows: static ones, or those it writes to a file.
    pub fn known_groups(&self) -> &[TargetGroup] {
        match self {
            Targets::Static(groups)
            | Targets::Files {
                generated: groups, ..
            } => groups,
            _ => &[],
        }
    }

    /// Debian's promtool 2.42 is built without these discovery mechanisms.
    pub fn needs_full_prometheus(&self) -> bool {
        matches!(
            self,
            Targets::KubernetesPods { .. } | Targets::Consul { .. }
        )
    }
}

#[derive(Debug, Clone)]
pub struct TargetGroup {
    pub targets: Vec<String>,
    pub labels: LabelMap,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Relabel {
    pub source_labels: Vec<String>,
    pub separator: Option<String>,
    pub target_label: Option<String>,
    pub regex: Option<String>,
    pub replacement: Option<String>,
    pub modulus: Option<u64>,
    /// `None` is Prometheus's default, `replace`.
    pub action: Option<&'static str>,
}
