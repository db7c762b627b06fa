//! The resolved model: defaults applied, names checked, every expression held
//! as data. Renderers read only this, never the spec.
//!
//! A folder per concern; `core/` holds the IR every concern shares and imports
//! nothing else of the model; `build.rs` alone names every concern and runs
//! them in order. The architecture test (`tests/it/architecture/mod.rs`) holds
//! these rules.

pub mod alerting;
mod build;
mod catalog;
pub mod core;
pub mod dashboards;
pub mod deploy;
pub mod gpu;
pub mod logs;
pub mod prometheus;
pub mod rules;
pub mod runbooks;
pub mod slo;
#[cfg(test)]
mod test_spec;

pub use build::{build, build_with};
pub use core::promtool::{
    AlertCheck, ExpectedAlert, ExpectedSample, ExprCheck, InputSeries, RuleTestCase, RuleTestFile,
};
pub use core::runbook::{Check, Related, Runbook, RunbookQuery};
pub use core::{
    builtin_ast, known_targets, AlertRule, Allow, Allowance, ByteSize, Dashboard, Duration, Expr,
    GridPos, LabelMap, Origin, Panel, PanelQuery, Places, RecordRule, Relabel, Retention, Rule,
    RuleGroup, ScrapeJob, Stack, TargetGroup, Targets, Threshold, Variable, GPU_JOB,
};

use crate::catalog::Catalog;

#[derive(Debug, Clone)]
pub struct Model {
    pub stack: Stack,
    pub jobs: Vec<ScrapeJob>,
    /// `host:port` of each Alertmanager.
    pub alertmanagers: Vec<String>,
    /// Rule files outside lloom-monctl's, as written in the spec.
    pub extra_rule_files: Vec<String>,
    pub groups: Vec<RuleGroup>,
    pub dashboards: Vec<Dashboard>,
    pub deploy: deploy::Deploy,
    /// Where Grafana reaches the datasources.
    pub grafana: dashboards::GrafanaSettings,
    pub catalog: Catalog,
    /// promtool rule unit tests, one file per rule group that has cases.
    pub tests: Vec<RuleTestFile>,
    /// Runbook pages, one per alert whose `runbook_url` lloom-monctl generates.
    pub runbooks: Vec<Runbook>,
    pub slos: Vec<slo::Slo>,
    /// `None` when the spec has no `[alertmanager]`: nothing is rendered for it.
    pub alertmanager: Option<alerting::Alertmanager>,
    /// `None` when the spec has no `[logs]`: no Loki or log agent files.
    pub logs: Option<logs::Logs>,
    /// `None` without `[hardware]`: GPU hosts are taken on the spec's word.
    pub hardware: Option<gpu::Hardware>,
}

impl Model {
    /// The Lloom roles the stack watches: those with a job of their own, or
    /// all three once discovery may find any.
    pub fn roles(&self) -> Vec<&'static str> {
        let discovered = self
            .jobs
            .iter()
            .any(|j| !matches!(j.targets, Targets::Static(_)));
        ["client", "executor", "validator"]
            .into_iter()
            .filter(|r| discovered || self.jobs.iter().any(|j| j.name == format!("lloom-{r}")))
            .collect()
    }
}
