//! `grafana/dashboards/<folder>/<uid>.json`: Grafana's classic dashboard JSON
//! model, which file provisioning loads in Grafana 11 to 13, as typed structs.
//! Every panel reads the `datasource` variable, whose default is the
//! provisioned Prometheus; `cluster` filters every built-in query.

use super::panel::{panel, PanelJson};
use super::provisioning::PROMETHEUS_UID;
use crate::model::{Dashboard, Variable};
use serde::Serialize;

/// Grafana 12.3's, the last of the classic model; older Grafanas migrate up.
pub const SCHEMA_VERSION: u32 = 41;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DashboardJson {
    annotations: List<Annotation>,
    description: String,
    editable: bool,
    graph_tooltip: u32,
    links: Vec<DashboardLink>,
    panels: Vec<PanelJson>,
    refresh: &'static str,
    schema_version: u32,
    tags: Vec<String>,
    templating: List<VariableJson>,
    time: TimeRange,
    timezone: &'static str,
    title: String,
    uid: String,
    version: u32,
}

#[derive(Serialize)]
struct List<T> {
    list: Vec<T>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Annotation {
    built_in: u32,
    datasource: DataSourceRef,
    enable: bool,
    hide: bool,
    icon_color: &'static str,
    name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// A dashboard's link bar entry, or a panel's link (Grafana uses one shape).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DashboardLink {
    pub(super) as_dropdown: bool,
    pub(super) icon: &'static str,
    pub(super) include_vars: bool,
    pub(super) keep_time: bool,
    pub(super) tags: Vec<&'static str>,
    pub(super) target_blank: bool,
    pub(super) title: String,
    pub(super) tooltip: String,
    #[serde(rename = "type")]
    pub(super) kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) url: Option<String>,
}

#[derive(Serialize, Clone)]
pub(super) struct DataSourceRef {
    #[serde(rename = "type")]
    kind: &'static str,
    uid: &'static str,
}

/// Every panel and query reads the dashboard's `datasource` variable.
pub(super) const DATASOURCE: DataSourceRef = DataSourceRef {
    kind: "prometheus",
    uid: "${datasource}",
};

#[derive(Serialize)]
struct TimeRange {
    from: &'static str,
    to: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VariableJson {
    #[serde(rename = "type")]
    kind: &'static str,
    name: String,
    label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    datasource: Option<DataSourceRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    definition: Option<String>,
    query: String,
    refresh: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    include_all: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    all_value: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    multi: Option<bool>,
    current: Current,
    #[serde(skip_serializing_if = "Option::is_none")]
    sort: Option<u32>,
    hide: u32,
}

#[derive(Serialize)]
struct Current {
    text: &'static str,
    value: &'static str,
}

/// A dashboard's JSON; not editable in the UI, since the next render
/// would overwrite the edit.
pub fn dashboard(d: &Dashboard) -> DashboardJson {
    let mut variables = vec![
        VariableJson {
            kind: "datasource",
            name: "datasource".into(),
            label: "Data source".into(),
            datasource: None,
            definition: None,
            query: "prometheus".into(),
            refresh: 1,
            include_all: None,
            all_value: None,
            multi: None,
            current: Current {
                text: "Prometheus",
                value: PROMETHEUS_UID,
            },
            sort: None,
            hide: 0,
        },
        query_variable(
            "cluster",
            "Cluster",
            "label_values(up, cluster)".into(),
            false,
        ),
    ];
    variables.extend(d.variables.iter().map(variable));
    DashboardJson {
        annotations: List {
            list: vec![Annotation {
                built_in: 1,
                datasource: DataSourceRef {
                    kind: "grafana",
                    uid: "-- Grafana --",
                },
                enable: true,
                hide: true,
                icon_color: "rgba(0, 211, 255, 1)",
                name: "Annotations & Alerts",
                kind: "dashboard",
            }],
        },
        description: d.description.clone(),
        // Provisioned from files: an edit in the UI would be lost at the next render.
        editable: false,
        graph_tooltip: 1,
        links: vec![DashboardLink {
            as_dropdown: true,
            icon: "external link",
            include_vars: true,
            keep_time: true,
            tags: vec!["lloom"],
            target_blank: false,
            title: "Lloom dashboards".into(),
            tooltip: String::new(),
            kind: "dashboards",
            url: None,
        }],
        panels: d.panels.iter().map(panel).collect(),
        refresh: "1m",
        schema_version: SCHEMA_VERSION,
        tags: d.tags.clone(),
        templating: List { list: variables },
        time: TimeRange {
            from: "now-6h",
            to: "now",
        },
        timezone: "browser",
        title: d.title.clone(),
        uid: d.uid.clone(),
        version: 1,
    }
}

fn variable(v: &Variable) -> VariableJson {
    query_variable(&v.name, &v.label, v.query(), true)
}

/// A Prometheus query variable; "All" is `.*`, which also matches series
/// without the label (a local Prometheus has no `cluster`).
fn query_variable(name: &str, label: &str, query: String, multi: bool) -> VariableJson {
    VariableJson {
        kind: "query",
        name: name.into(),
        label: label.into(),
        datasource: Some(DATASOURCE),
        definition: Some(query.clone()),
        query,
        refresh: 2,
        include_all: Some(true),
        all_value: Some(".*"),
        multi: Some(multi),
        current: Current {
            text: "All",
            value: "$__all",
        },
        sort: Some(1),
        hide: 0,
    }
}
