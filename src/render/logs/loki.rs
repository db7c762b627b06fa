//! `loki/loki.yml`: Loki 3 as one binary on local disk, with retention by
//! the compactor. Every key is in Loki 3's published schema.

use crate::model::logs::Logs;
use serde::{Deserialize, Serialize};

/// Loki's HTTP port; the agents push to it.
pub const HTTP_PORT: u16 = 3100;
const DATA: &str = "/loki";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LokiConfig {
    pub auth_enabled: bool,
    pub server: Server,
    pub common: Common,
    pub schema_config: SchemaConfig,
    pub compactor: Compactor,
    pub limits_config: Limits,
    pub analytics: Analytics,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    pub http_listen_port: u16,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Common {
    /// Without it Loki looks for an `eth0`/`en0` address for its one-member ring.
    pub instance_addr: String,
    pub path_prefix: String,
    pub storage: Storage,
    pub replication_factor: u32,
    pub ring: Ring,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Storage {
    pub filesystem: Filesystem,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filesystem {
    pub chunks_directory: String,
    pub rules_directory: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ring {
    pub kvstore: KvStore,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KvStore {
    pub store: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaConfig {
    pub configs: Vec<PeriodConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodConfig {
    pub from: String,
    pub store: String,
    pub object_store: String,
    pub schema: String,
    pub index: Index,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Index {
    pub prefix: String,
    pub period: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Compactor {
    pub working_directory: String,
    pub retention_enabled: bool,
    /// Loki 3 refuses to start with retention on and no delete request store.
    pub delete_request_store: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    pub retention_period: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Analytics {
    pub reporting_enabled: bool,
}

/// `loki.yml`: typed, so that the tests read it back and compare.
pub fn config(logs: &Logs) -> LokiConfig {
    LokiConfig {
        auth_enabled: false,
        server: Server {
            http_listen_port: HTTP_PORT,
        },
        common: Common {
            instance_addr: "127.0.0.1".into(),
            path_prefix: DATA.into(),
            storage: Storage {
                filesystem: Filesystem {
                    chunks_directory: format!("{DATA}/chunks"),
                    rules_directory: format!("{DATA}/rules"),
                },
            },
            replication_factor: 1,
            ring: Ring {
                kvstore: KvStore {
                    store: "inmemory".into(),
                },
            },
        },
        schema_config: SchemaConfig {
            configs: vec![PeriodConfig {
                from: "2024-01-01".into(),
                store: "tsdb".into(),
                object_store: "filesystem".into(),
                schema: "v13".into(),
                index: Index {
                    prefix: "index_".into(),
                    period: "24h".into(),
                },
            }],
        },
        compactor: Compactor {
            working_directory: format!("{DATA}/compactor"),
            retention_enabled: true,
            delete_request_store: "filesystem".into(),
        },
        limits_config: Limits {
            retention_period: logs.retention.to_string(),
        },
        analytics: Analytics {
            reporting_enabled: false,
        },
    }
}
