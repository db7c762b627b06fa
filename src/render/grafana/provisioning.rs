//! `grafana/provisioning/`: the datasources every dashboard references, with
//! fixed uids, and one file provider per dashboard folder.

use crate::model::{Dashboard, Model};
use serde::Serialize;

/// The Prometheus datasource's uid: the default of every dashboard's
/// `datasource` variable.
pub const PROMETHEUS_UID: &str = "lloom-prometheus";
pub const ALERTMANAGER_UID: &str = "lloom-alertmanager";
pub const LOKI_UID: &str = "lloom-loki";
pub const JAEGER_UID: &str = "lloom-jaeger";

/// Where the provider reads the dashboards, as mounted in the Grafana container.
pub const DASHBOARDS_DIR: &str = "/var/lib/grafana/dashboards";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Datasources {
    api_version: u32,
    datasources: Vec<Datasource>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Datasource {
    name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    uid: &'static str,
    url: String,
    access: &'static str,
    is_default: bool,
    editable: bool,
    json_data: JsonData,
}

#[derive(Serialize)]
#[serde(untagged)]
enum JsonData {
    #[serde(rename_all = "camelCase")]
    Prometheus {
        http_method: &'static str,
        /// The scrape interval: `$__rate_interval` is four of it.
        time_interval: String,
        prometheus_type: &'static str,
    },
    #[serde(rename_all = "camelCase")]
    Alertmanager {
        implementation: &'static str,
        handle_grafana_managed_alerts: bool,
    },
    #[serde(rename_all = "camelCase")]
    Loki { max_lines: u32 },
    /// Jaeger needs no settings.
    Empty {},
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Providers {
    api_version: u32,
    providers: Vec<Provider>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Provider {
    name: String,
    org_id: u32,
    folder: String,
    folder_uid: String,
    #[serde(rename = "type")]
    kind: &'static str,
    disable_deletion: bool,
    update_interval_seconds: u32,
    allow_ui_updates: bool,
    options: ProviderOptions,
}

#[derive(Serialize)]
struct ProviderOptions {
    path: String,
}

/// The datasources, with the fixed uids the dashboards reference.
pub fn datasources(model: &Model) -> Datasources {
    let g = &model.grafana;
    let mut datasources = vec![Datasource {
        name: "Prometheus",
        kind: "prometheus",
        uid: PROMETHEUS_UID,
        url: g.prometheus_url.clone(),
        access: "proxy",
        is_default: true,
        editable: false,
        json_data: JsonData::Prometheus {
            http_method: "POST",
            time_interval: model.stack.scrape_interval.to_string(),
            prometheus_type: "Prometheus",
        },
    }];
    if model.alertmanager.is_some() || !model.alertmanagers.is_empty() {
        datasources.push(Datasource {
            name: "Alertmanager",
            kind: "alertmanager",
            uid: ALERTMANAGER_UID,
            url: g.alertmanager_url.clone(),
            access: "proxy",
            is_default: false,
            editable: false,
            json_data: JsonData::Alertmanager {
                implementation: "prometheus",
                handle_grafana_managed_alerts: false,
            },
        });
    }
    if model.logs.is_some() {
        datasources.push(Datasource {
            name: "Loki",
            kind: "loki",
            uid: LOKI_UID,
            url: g.loki_url.clone(),
            access: "proxy",
            is_default: false,
            editable: false,
            json_data: JsonData::Loki { max_lines: 1000 },
        });
    }
    if model.deploy.tracing.is_some() {
        datasources.push(Datasource {
            name: "Jaeger",
            kind: "jaeger",
            uid: JAEGER_UID,
            url: g.jaeger_url.clone(),
            access: "proxy",
            is_default: false,
            editable: false,
            json_data: JsonData::Empty {},
        });
    }
    Datasources {
        api_version: 1,
        datasources,
    }
}

/// A folder's directory name under `grafana/dashboards/`.
pub fn folder_dir(folder: &str) -> String {
    crate::model::core::dashboard::slug(folder)
}

/// A file provider per dashboard folder, so that each folder shows in
/// Grafana as it does on disk.
pub fn providers(dashboards: &[Dashboard]) -> Providers {
    let mut folders: Vec<&str> = dashboards.iter().map(|d| d.folder.as_str()).collect();
    folders.sort();
    folders.dedup();
    Providers {
        api_version: 1,
        providers: folders
            .into_iter()
            .map(|f| Provider {
                name: folder_dir(f),
                org_id: 1,
                folder: f.to_string(),
                folder_uid: folder_dir(f),
                kind: "file",
                // Generated files are the truth: no deleting or editing in the UI.
                disable_deletion: true,
                update_interval_seconds: 30,
                allow_ui_updates: false,
                options: ProviderOptions {
                    path: format!("{DASHBOARDS_DIR}/{}", folder_dir(f)),
                },
            })
            .collect(),
    }
}
