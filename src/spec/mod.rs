//! The TOML spec as written by the operator: strict types, spans kept for errors.
//!
//! Nothing here resolves defaults or checks meaning; that is the model's job.
//! Values the model must validate (durations, names, expressions) stay
//! `Spanned<String>` so that one bad value does not hide the others.

mod alerting;
mod alertmanager;
mod catalog;
pub mod codes;
mod dashboards;
mod deploy;
mod discovery;
mod exporters;
mod hardware;
mod load;
mod logs;
mod messages;
mod pack;
mod promtool_cases;
mod roles;
mod rules;
mod scrape;
mod secret_files;
mod slo;
mod stack;

pub use alerting::AlertingSpec;
pub use alertmanager::{
    AlertmanagerSpec, EmailSpec, InhibitSpec, OpsgenieSpec, PagerDutySpec, ReceiverSpec, RouteSpec,
    RouteTestSpec, SlackSpec, SmtpSpec, TimeIntervalSpec, WebhookSpec,
};
pub use catalog::{CatalogSpec, MetricSpec};
pub use codes::SpecCode;
pub use dashboards::{DashboardSpec, GrafanaSpec, PanelSpec, QuerySpec, VariableSpec};
pub use deploy::{DeploySpec, TracingSpec};
pub use discovery::{ConsulSpec, DiscoverySpec, FileSdSpec, KubernetesSpec};
pub use exporters::{
    EthereumClient, EthereumSpec, ExportersSpec, GpuExporterKind, GpuExporterSpec, NodeExporterSpec,
};
pub use hardware::HardwareSpec;
pub use load::load;
pub use logs::{LogAgent, LogsSpec, TimestampSpec};
pub use pack::{PackAlertSpec, PackSpec};
pub use promtool_cases::{ExpectSpec, InputSpec, RuleTestSpec};
pub use roles::{RoleSpec, RolesSpec};
pub use rules::{AlertSpec, RecordSpec, RuleGroupSpec, RulesSpec, RunbookSpec};
pub use scrape::{RelabelAction, RelabelSpec, StaticJobSpec};
pub use slo::{AvailabilitySpec, LatencySpec, RatioSpec, SloSpec, TierSpec, WindowSpec};
pub use stack::{InstanceLabel, RetentionSpec, StackSpec};

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// A string with its place in the spec.
pub type Str = Spanned<String>;
/// A map of label names to values, both located.
pub type Labels = BTreeMap<Str, Str>;

/// The whole spec file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub stack: StackSpec,
    #[serde(default)]
    pub roles: RolesSpec,
    #[serde(default)]
    pub exporters: ExportersSpec,
    /// Extra static scrape jobs.
    #[serde(default)]
    pub scrape: Vec<StaticJobSpec>,
    #[serde(default)]
    pub discovery: DiscoverySpec,
    #[serde(default)]
    pub alerting: AlertingSpec,
    #[serde(default)]
    pub rules: RulesSpec,
    /// Tuning of the built-in alert pack.
    #[serde(default)]
    pub pack: PackSpec,
    #[serde(default)]
    pub alert: Vec<AlertSpec>,
    #[serde(default)]
    pub record: Vec<RecordSpec>,
    /// Which built-in metrics the catalog holds.
    #[serde(default)]
    pub catalog: CatalogSpec,
    /// Metrics added to the built-in catalog.
    #[serde(default)]
    pub metric: Vec<MetricSpec>,
    #[serde(default)]
    pub dashboard: Vec<DashboardSpec>,
    pub grafana: Option<GrafanaSpec>,
    #[serde(default)]
    pub deploy: DeploySpec,
    pub tracing: Option<TracingSpec>,
    pub hardware: Option<HardwareSpec>,
    /// The operator's own promtool rule tests.
    #[serde(default)]
    pub test: Vec<RuleTestSpec>,
    /// Routing and receivers; no `alertmanager.yml` is rendered without it.
    pub alertmanager: Option<AlertmanagerSpec>,
    #[serde(default)]
    pub slo: Vec<SloSpec>,
    /// Loki and the log agents; nothing is rendered for logs without it.
    pub logs: Option<LogsSpec>,
}
