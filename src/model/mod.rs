//! The resolved model: defaults applied, names checked, every expression held
//! as data. Renderers read only this, never the spec.

mod addressing;
pub mod alertmanager;
mod build;
mod builtin_tests;
pub mod burn_rate;
pub mod dashboards;
mod dashboards_builtin;
mod dashboards_gpu;
mod dashboards_slo;
pub mod deploy;
mod duration;
pub mod go_fmt;
mod gpu_rules;
mod gpu_runbooks;
mod gpu_tests;
pub mod grafana_vars;
pub mod hardware;
mod jobs;
mod log_regex;
pub mod logs;
pub mod matchers;
mod names;
pub mod pack;
mod pack_tests;
mod parse;
pub mod receivers;
mod relabel;
pub mod routing;
pub mod rule_tests;
mod rules;
mod runbooks;
pub mod slo;
mod slo_rules;
mod slo_runbooks;
mod slo_tests;
mod spec_tests;
mod targets;
pub mod template_expand;
#[cfg(test)]
mod test_spec;

pub use build::{build, build_with};
pub use dashboards::{Dashboard, GridPos, Panel, PanelQuery, Threshold, Variable};
pub use duration::{ByteSize, Duration};
pub use rule_tests::{
    AlertCheck, ExpectedAlert, ExpectedSample, ExprCheck, InputSeries, RuleTestCase, RuleTestFile,
};
pub use runbooks::{Check, Related, Runbook, RunbookQuery};

use crate::catalog::Catalog;
use std::collections::BTreeMap;
use std::ops::Range;

pub type LabelMap = BTreeMap<String, String>;

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
    pub alertmanager: Option<alertmanager::Alertmanager>,
    /// `None` when the spec has no `[logs]`: no Loki or log agent files.
    pub logs: Option<logs::Logs>,
    /// `None` without `[hardware]`: GPU hosts are taken on the spec's word.
    pub hardware: Option<hardware::Hardware>,
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

#[derive(Debug, Clone)]
pub struct Stack {
    pub name: String,
    /// `cluster`, `region` and the spec's extra labels.
    pub external_labels: LabelMap,
    pub scrape_interval: Duration,
    pub scrape_timeout: Duration,
    pub evaluation_interval: Duration,
    pub retention: Retention,
    pub runbook_base_url: String,
}

/// Prometheus command-line flags, kept for the deployment files.
#[derive(Debug, Clone)]
pub struct Retention {
    pub time: Duration,
    pub size: Option<ByteSize>,
}

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

#[derive(Debug, Clone)]
pub struct RuleGroup {
    pub name: String,
    /// Evaluation interval; `None` uses the global one.
    pub interval: Option<Duration>,
    pub rules: Vec<Rule>,
}

impl RuleGroup {
    /// File stem under `prometheus/rules/`.
    pub fn file_stem(&self) -> String {
        self.name.replace('_', "-")
    }
}

#[derive(Debug, Clone)]
pub enum Rule {
    Alert(AlertRule),
    Record(RecordRule),
}

impl Rule {
    pub fn expr(&self) -> &Expr {
        match self {
            Rule::Alert(a) => &a.expr,
            Rule::Record(r) => &r.expr,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Rule::Alert(a) => &a.name,
            Rule::Record(r) => &r.name,
        }
    }

    pub fn labels(&self) -> &LabelMap {
        match self {
            Rule::Alert(a) => &a.labels,
            Rule::Record(r) => &r.labels,
        }
    }

    pub fn allow(&self) -> &Allow {
        match self {
            Rule::Alert(a) => &a.allow,
            Rule::Record(r) => &r.allow,
        }
    }

    pub fn places(&self) -> &Places {
        match self {
            Rule::Alert(a) => &a.places,
            Rule::Record(r) => &r.places,
        }
    }
}

#[derive(Debug, Clone)]
pub struct AlertRule {
    pub name: String,
    pub expr: Expr,
    pub for_: Option<Duration>,
    pub labels: LabelMap,
    pub annotations: LabelMap,
    pub allow: Allow,
    pub places: Places,
}

#[derive(Debug, Clone)]
pub struct RecordRule {
    pub name: String,
    pub expr: Expr,
    pub labels: LabelMap,
    pub allow: Allow,
    pub places: Places,
}

/// Lint codes silenced on one rule or panel, by code, each with the
/// operator's reason: a silenced finding stays explained in the spec.
pub type Allow = BTreeMap<String, Allowance>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowance {
    pub reason: String,
    /// The code's place in the spec; `None` for built-in rules.
    pub span: Option<Range<usize>>,
}

/// Where a rule's labels and annotations were written, so that findings about
/// their templates point there; empty for built-in rules.
#[derive(Debug, Clone, Default)]
pub struct Places {
    pub labels: BTreeMap<String, Range<usize>>,
    pub annotations: BTreeMap<String, Range<usize>>,
}

/// A PromQL expression, where it was written, and its syntax tree, parsed
/// once here so that the lint does not parse again.
#[derive(Debug, Clone)]
pub struct Expr {
    pub text: String,
    pub origin: Origin,
    /// `None` only when the spec's text does not parse; such a model carries an
    /// error finding and is neither linted nor rendered.
    pub ast: Option<promql_parser::parser::Expr>,
}

impl Expr {
    /// An expression lloom-monctl composed from parts of the spec (an SLO's
    /// selectors), pointing at them; `Err` is a bug: the parts were checked.
    pub fn composed(text: String, span: Range<usize>) -> Result<Expr, String> {
        let ast = promql_parser::parser::parse(&text)
            .map_err(|e| format!("composed expression does not parse: {e}: {text}"))?;
        Ok(Expr {
            text,
            origin: Origin::Spec(span),
            ast: Some(ast),
        })
    }

    /// A built-in dashboard query, parsed by the caller (after Grafana's
    /// variables were substituted); the test suite proves every one parses.
    pub fn builtin_panel(
        text: String,
        parsed: Result<promql_parser::parser::Expr, String>,
    ) -> Expr {
        let ast =
            parsed.unwrap_or_else(|e| panic!("built-in panel query does not parse: {e}: {text}"));
        Expr {
            text,
            origin: Origin::Builtin,
            ast: Some(ast),
        }
    }

    /// A built-in pack expression; the test suite proves every one parses.
    pub fn builtin(text: String) -> Expr {
        let ast = builtin_ast(&text)
            .unwrap_or_else(|e| panic!("built-in expression does not parse: {e}: {text}"));
        Expr {
            text,
            origin: Origin::Builtin,
            ast: Some(ast),
        }
    }
}

/// Built-in texts are the same in every compile (given the stack's intervals):
/// each is parsed once per process, and copies are handed out.
pub fn builtin_ast(text: &str) -> Result<promql_parser::parser::Expr, String> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    type Cache = Mutex<HashMap<String, Result<promql_parser::parser::Expr, String>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Cache::default);
    if let Some(hit) = cache.lock().expect("parse cache").get(text) {
        return hit.clone();
    }
    let parsed = promql_parser::parser::parse(text);
    cache
        .lock()
        .expect("parse cache")
        .insert(text.to_string(), parsed.clone());
    parsed
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The built-in pack.
    Builtin,
    /// The spec, at this byte range.
    Spec(Range<usize>),
}

impl Origin {
    pub fn span(&self) -> Option<Range<usize>> {
        match self {
            Origin::Builtin => None,
            Origin::Spec(span) => Some(span.clone()),
        }
    }
}
