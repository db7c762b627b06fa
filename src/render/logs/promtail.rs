//! `promtail/promtail.yml`: the same pipeline as `alloy/config.alloy`, for
//! operators who still run Promtail (end of life since 2026-03-02).

use crate::model::logs::Logs;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Promtail's scrape job; the lines' `job` label comes from the spec.
pub const JOB_NAME: &str = "lloom_logs";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromtailConfig {
    pub server: Server,
    pub positions: Positions,
    pub clients: Vec<Client>,
    pub scrape_configs: Vec<ScrapeConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    pub http_listen_port: u16,
    /// 0: no gRPC listener, which Promtail does not need.
    pub grpc_listen_port: u16,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Positions {
    pub filename: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Client {
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScrapeConfig {
    pub job_name: String,
    pub static_configs: Vec<StaticConfig>,
    pub pipeline_stages: Vec<Stage>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaticConfig {
    pub targets: Vec<String>,
    /// `job`, `__path__` and the static labels.
    pub labels: BTreeMap<String, String>,
}

/// One pipeline stage: a one-key map, as Promtail reads them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<RegexStage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<TimestampStage>,
    /// Label name → extracted field; `""` is the field of the same name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub structured_metadata: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegexStage {
    pub expression: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimestampStage {
    pub source: String,
    pub format: String,
}

fn same_name(names: &[String]) -> BTreeMap<String, String> {
    names.iter().map(|n| (n.clone(), String::new())).collect()
}

/// `promtail.yml`: typed, so that the tests read it back and compare.
pub fn config(logs: &Logs) -> PromtailConfig {
    let static_configs = logs
        .paths
        .iter()
        .map(|path| {
            let mut labels = logs.static_labels.clone();
            labels.insert("job".into(), logs.job.clone());
            labels.insert("__path__".into(), path.clone());
            StaticConfig {
                targets: vec!["localhost".into()],
                labels,
            }
        })
        .collect();
    let mut stages = vec![Stage {
        regex: Some(RegexStage {
            expression: logs.regex.clone(),
        }),
        ..Stage::default()
    }];
    if let Some(t) = &logs.timestamp {
        stages.push(Stage {
            timestamp: Some(TimestampStage {
                source: t.source.clone(),
                format: t.format.clone(),
            }),
            ..Stage::default()
        });
    }
    if !logs.labels.is_empty() {
        stages.push(Stage {
            labels: Some(same_name(&logs.labels)),
            ..Stage::default()
        });
    }
    if !logs.structured_metadata.is_empty() {
        stages.push(Stage {
            structured_metadata: Some(same_name(&logs.structured_metadata)),
            ..Stage::default()
        });
    }
    PromtailConfig {
        server: Server {
            http_listen_port: 9080,
            grpc_listen_port: 0,
        },
        positions: Positions {
            filename: "/var/lib/promtail/positions.yaml".into(),
        },
        clients: vec![Client {
            url: logs.push_url.clone(),
        }],
        scrape_configs: vec![ScrapeConfig {
            job_name: JOB_NAME.into(),
            static_configs,
            pipeline_stages: stages,
        }],
    }
}
