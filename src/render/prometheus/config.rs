//! `prometheus.yml`, as typed structs that serialize to what Prometheus 3 and
//! promtool 2.42 both accept. They also deserialize (strictly), so tests can
//! read a generated file back and compare.

use crate::model::{LabelMap, Model, Relabel, ScrapeJob, Targets};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrometheusConfig {
    pub global: Global,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alerting: Option<Alerting>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rule_files: Vec<String>,
    pub scrape_configs: Vec<ScrapeConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Global {
    pub scrape_interval: String,
    pub scrape_timeout: String,
    pub evaluation_interval: String,
    pub external_labels: LabelMap,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alerting {
    pub alertmanagers: Vec<AlertmanagerConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertmanagerConfig {
    pub static_configs: Vec<StaticConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScrapeConfig {
    pub job_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scrape_interval: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scrape_timeout: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub static_configs: Vec<StaticConfig>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub file_sd_configs: Vec<FileSdConfig>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kubernetes_sd_configs: Vec<KubernetesSdConfig>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consul_sd_configs: Vec<ConsulSdConfig>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relabel_configs: Vec<RelabelConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaticConfig {
    pub targets: Vec<String>,
    #[serde(default, skip_serializing_if = "LabelMap::is_empty")]
    pub labels: LabelMap,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSdConfig {
    pub files: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_interval: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KubernetesSdConfig {
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespaces: Option<Namespaces>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Namespaces {
    pub names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsulSdConfig {
    pub server: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
    /// The ACL token is read from a file and sent as a bearer token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<Authorization>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authorization {
    #[serde(rename = "type")]
    pub type_: String,
    pub credentials_file: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelabelConfig {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_labels: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub separator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modulus: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
}

/// Where rule files are, relative to prometheus.yml.
pub const RULES_GLOB: &str = "rules/*.yml";

/// `prometheus.yml`: the stack's globals, its Alertmanagers, the rule files
/// and a scrape config per job.
pub fn config(model: &Model) -> PrometheusConfig {
    let s = &model.stack;
    let alerting = (!model.alertmanagers.is_empty()).then(|| Alerting {
        alertmanagers: vec![AlertmanagerConfig {
            static_configs: vec![StaticConfig {
                targets: model.alertmanagers.clone(),
                labels: LabelMap::new(),
            }],
        }],
    });
    let mut rule_files = vec![RULES_GLOB.to_string()];
    rule_files.extend(model.extra_rule_files.iter().cloned());
    PrometheusConfig {
        global: Global {
            scrape_interval: s.scrape_interval.to_string(),
            scrape_timeout: s.scrape_timeout.to_string(),
            evaluation_interval: s.evaluation_interval.to_string(),
            external_labels: s.external_labels.clone(),
        },
        alerting,
        rule_files,
        scrape_configs: model.jobs.iter().map(scrape_config).collect(),
    }
}

fn scrape_config(job: &ScrapeJob) -> ScrapeConfig {
    let mut sc = ScrapeConfig {
        job_name: job.name.clone(),
        scrape_interval: job.scrape_interval.map(|d| d.to_string()),
        scrape_timeout: job.scrape_timeout.map(|d| d.to_string()),
        metrics_path: job.metrics_path.clone(),
        scheme: job.scheme.clone(),
        static_configs: Vec::new(),
        file_sd_configs: Vec::new(),
        kubernetes_sd_configs: Vec::new(),
        consul_sd_configs: Vec::new(),
        relabel_configs: job.relabel.iter().map(relabel).collect(),
    };
    match &job.targets {
        Targets::Static(groups) => {
            sc.static_configs = groups
                .iter()
                .map(|g| StaticConfig {
                    targets: g.targets.clone(),
                    labels: g.labels.clone(),
                })
                .collect();
        }
        Targets::Files {
            files,
            refresh_interval,
            ..
        } => {
            sc.file_sd_configs = vec![FileSdConfig {
                files: files.clone(),
                refresh_interval: refresh_interval.map(|d| d.to_string()),
            }];
        }
        Targets::KubernetesPods { namespaces } => {
            sc.kubernetes_sd_configs = vec![KubernetesSdConfig {
                role: "pod".into(),
                namespaces: (!namespaces.is_empty()).then(|| Namespaces {
                    names: namespaces.clone(),
                }),
            }];
        }
        Targets::Consul {
            server,
            services,
            token_file,
        } => {
            sc.consul_sd_configs = vec![ConsulSdConfig {
                server: server.clone(),
                services: services.clone(),
                authorization: token_file.as_ref().map(|f| Authorization {
                    type_: "Bearer".into(),
                    credentials_file: f.clone(),
                }),
            }];
        }
    }
    sc
}

fn relabel(r: &Relabel) -> RelabelConfig {
    RelabelConfig {
        source_labels: r.source_labels.clone(),
        separator: r.separator.clone(),
        target_label: r.target_label.clone(),
        regex: r.regex.clone(),
        replacement: r.replacement.clone(),
        modulus: r.modulus,
        action: r.action.map(str::to_string),
    }
}
