use super::{Labels, Str};
use serde::Deserialize;
use toml::Spanned;

/// The three Lloom roles; each present role becomes a `lloom-<role>` job.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RolesSpec {
    pub client: Option<RoleSpec>,
    pub executor: Option<RoleSpec>,
    pub validator: Option<RoleSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleSpec {
    /// `host` (the role's port) or `host:port`.
    pub hosts: Vec<Str>,
    pub port: Option<Spanned<u16>>,
    pub scrape_interval: Option<Str>,
    pub scrape_timeout: Option<Str>,
    pub metrics_path: Option<Str>,
    #[serde(default)]
    pub labels: Labels,
    #[serde(default)]
    pub relabel: Vec<Spanned<RelabelSpec>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportersSpec {
    pub node: Option<NodeExporterSpec>,
    pub gpu: Option<GpuExporterSpec>,
    pub ethereum: Option<EthereumSpec>,
}

/// Node exporter runs on every Lloom host; `extra_hosts` adds others (e.g. the monitoring host).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeExporterSpec {
    pub port: Option<Spanned<u16>>,
    #[serde(default)]
    pub extra_hosts: Vec<Str>,
    pub scrape_interval: Option<Str>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GpuExporterSpec {
    #[serde(default)]
    pub kind: GpuExporterKind,
    pub port: Option<Spanned<u16>>,
    /// Hosts with GPUs; executors when left out.
    pub hosts: Option<Vec<Str>>,
    pub scrape_interval: Option<Str>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GpuExporterKind {
    /// utkuozdemir/nvidia_gpu_exporter, port 9835.
    #[default]
    NvidiaSmi,
    /// NVIDIA dcgm-exporter, port 9400.
    Dcgm,
}

impl GpuExporterKind {
    /// The port the exporter listens on unless `[exporters.gpu] port` says otherwise.
    pub fn default_port(self) -> u16 {
        match self {
            GpuExporterKind::NvidiaSmi => 9835,
            GpuExporterKind::Dcgm => 9400,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EthereumSpec {
    /// `host:port` of each Ethereum node's metrics endpoint.
    pub targets: Vec<Str>,
    #[serde(default)]
    pub client: EthereumClient,
    pub metrics_path: Option<Str>,
    pub scrape_interval: Option<Str>,
}

/// The Ethereum client decides the metrics path.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EthereumClient {
    /// geth serves Prometheus metrics on `/debug/metrics/prometheus`.
    #[default]
    Geth,
    /// reth serves them on `/`.
    Reth,
    /// Anything else: `/metrics` unless `metrics_path` says otherwise.
    Other,
}

/// An extra static scrape job.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaticJobSpec {
    pub job: Str,
    pub targets: Vec<Str>,
    pub metrics_path: Option<Str>,
    pub scheme: Option<Str>,
    pub scrape_interval: Option<Str>,
    pub scrape_timeout: Option<Str>,
    #[serde(default)]
    pub labels: Labels,
    #[serde(default)]
    pub relabel: Vec<Spanned<RelabelSpec>>,
}

/// One Prometheus relabel rule, field for field.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelabelSpec {
    #[serde(default)]
    pub source_labels: Vec<Str>,
    pub separator: Option<Str>,
    pub target_label: Option<Str>,
    pub regex: Option<Str>,
    pub replacement: Option<Str>,
    pub modulus: Option<u64>,
    #[serde(default)]
    pub action: RelabelAction,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RelabelAction {
    #[default]
    Replace,
    Keep,
    Drop,
    Hashmod,
    Labelmap,
    Labeldrop,
    Labelkeep,
    Lowercase,
    Uppercase,
    Keepequal,
    Dropequal,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscoverySpec {
    #[serde(default)]
    pub file_sd: Vec<FileSdSpec>,
    pub kubernetes: Option<KubernetesSpec>,
    pub consul: Option<ConsulSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSdSpec {
    pub job: Str,
    pub files: Vec<Str>,
    pub refresh_interval: Option<Str>,
    pub metrics_path: Option<Str>,
    pub scrape_interval: Option<Str>,
    /// Label names the target files set, so that the lint knows them.
    #[serde(default)]
    pub labels: Vec<Str>,
}

/// Pods that opt in with `prometheus.io/scrape: "true"` annotations.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KubernetesSpec {
    pub job: Option<Str>,
    #[serde(default)]
    pub namespaces: Vec<Str>,
    pub scrape_interval: Option<Str>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsulSpec {
    pub job: Option<Str>,
    /// `host:port` of the Consul agent.
    pub server: Str,
    pub services: Vec<Str>,
    /// A file holding the ACL token; tokens are never written into the config.
    pub token_file: Option<Str>,
    pub scrape_interval: Option<Str>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertingSpec {
    /// `host:port` of each Alertmanager.
    #[serde(default)]
    pub alertmanagers: Vec<Str>,
}
