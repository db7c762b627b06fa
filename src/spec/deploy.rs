//! `[deploy]` and `[tracing]`: where the stack runs and how the pieces reach
//! each other. The monitoring host runs Prometheus, Alertmanager, Grafana,
//! Loki and Jaeger; every Lloom host runs the node agent (node exporter, the
//! GPU exporter where it has GPUs, the log agent).

use super::Str;
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeploySpec {
    /// The name or address Lloom hosts reach the monitoring host by (for logs
    /// and traces); `localhost` when everything runs on one host.
    pub monitoring_host: Option<Str>,
    /// Services whose ports are published on every interface; all others
    /// bind to 127.0.0.1. Remote log agents need `loki`, remote nodes'
    /// traces `jaeger`.
    #[serde(default)]
    pub expose: Vec<Str>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TracingSpec {
    /// The share of requests a Lloom node traces, 0 to 1; the guide's 0.1 when absent.
    pub sampling_rate: Option<Spanned<f64>>,
}
