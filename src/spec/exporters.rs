//! `[exporters.*]`: the node, GPU and Ethereum exporters lloom-monctl scrapes
//! next to the Lloom roles.

use super::Str;
use serde::Deserialize;
use toml::Spanned;

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
