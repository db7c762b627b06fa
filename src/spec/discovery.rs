//! `[discovery]`: scrape targets found at run time, by file_sd, Kubernetes
//! or Consul.

use super::Str;
use serde::Deserialize;

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
    /// Rejected: the token must come from `token_file`.
    pub token: Option<Str>,
    pub scrape_interval: Option<Str>,
}
