//! `grafana/dashboards/<folder>/<uid>.json`: Grafana's classic dashboard JSON
//! model, which file provisioning loads in Grafana 11 to 13, as typed structs.
//! Every panel reads the `datasource` variable, whose default is the
//! provisioned Prometheus; `cluster` filters every built-in query.

use super::provisioning::PROMETHEUS_UID;
use crate::model::{Dashboard, GridPos, Panel, Variable};
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
struct DashboardLink {
    as_dropdown: bool,
    icon: &'static str,
    include_vars: bool,
    keep_time: bool,
    tags: Vec<&'static str>,
    target_blank: bool,
    title: String,
    tooltip: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize, Clone)]
struct DataSourceRef {
    #[serde(rename = "type")]
    kind: &'static str,
    uid: &'static str,
}

/// Every panel and query reads the dashboard's `datasource` variable.
const DATASOURCE: DataSourceRef = DataSourceRef {
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

/// A row or a query panel: Grafana tells them apart by `type`.
#[derive(Serialize)]
#[serde(untagged)]
enum PanelJson {
    Row(RowJson),
    Query(Box<QueryPanelJson>),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RowJson {
    #[serde(rename = "type")]
    kind: &'static str,
    id: u32,
    title: String,
    collapsed: bool,
    panels: Vec<()>,
    grid_pos: GridPosJson,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct QueryPanelJson {
    #[serde(rename = "type")]
    kind: String,
    id: u32,
    title: String,
    description: String,
    datasource: DataSourceRef,
    grid_pos: GridPosJson,
    field_config: FieldConfig,
    links: Vec<DashboardLink>,
    options: Options,
    targets: Vec<Target>,
}

#[derive(Serialize)]
struct GridPosJson {
    h: u32,
    w: u32,
    x: u32,
    y: u32,
}

#[derive(Serialize)]
struct FieldConfig {
    defaults: FieldDefaults,
    overrides: Vec<()>,
}

#[derive(Serialize)]
struct FieldDefaults {
    unit: String,
    thresholds: Thresholds,
    color: ColorMode,
    #[serde(skip_serializing_if = "Option::is_none")]
    min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom: Option<Custom>,
}

#[derive(Serialize)]
struct Thresholds {
    mode: &'static str,
    steps: Vec<Step>,
}

#[derive(Serialize)]
struct Step {
    color: String,
    /// `null` for the base step.
    value: Option<f64>,
}

#[derive(Serialize)]
struct ColorMode {
    mode: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Custom {
    thresholds_style: ColorMode,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Options {
    Series {
        legend: Legend,
        tooltip: Tooltip,
    },
    Single {
        #[serde(rename = "reduceOptions")]
        reduce_options: Reduce,
    },
    None {},
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Legend {
    display_mode: &'static str,
    placement: &'static str,
    show_legend: bool,
}

#[derive(Serialize)]
struct Tooltip {
    mode: &'static str,
    sort: &'static str,
}

#[derive(Serialize)]
struct Reduce {
    calcs: Vec<&'static str>,
    fields: &'static str,
    values: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Target {
    datasource: DataSourceRef,
    editor_mode: &'static str,
    expr: String,
    legend_format: String,
    range: bool,
    ref_id: String,
}

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

fn grid(g: GridPos) -> GridPosJson {
    GridPosJson {
        h: g.h,
        w: g.w,
        x: g.x,
        y: g.y,
    }
}

fn panel(p: &Panel) -> PanelJson {
    if p.kind == "row" {
        return PanelJson::Row(RowJson {
            kind: "row",
            id: p.id,
            title: p.title.clone(),
            collapsed: false,
            panels: Vec::new(),
            grid_pos: grid(p.grid),
        });
    }
    // Grafana converts removed Angular panels on load; write what it shows.
    let kind = crate::model::dashboards::REMOVED_KINDS
        .iter()
        .find(|(old, _)| *old == p.kind)
        .map_or(p.kind.as_str(), |(_, new)| new);
    let steps = if p.thresholds.is_empty() {
        vec![Step {
            color: "green".into(),
            value: None,
        }]
    } else {
        p.thresholds
            .iter()
            .map(|t| Step {
                color: t.color.clone(),
                value: t.value,
            })
            .collect()
    };
    let series = kind == "timeseries";
    PanelJson::Query(Box::new(QueryPanelJson {
        kind: kind.to_string(),
        id: p.id,
        title: p.title.clone(),
        description: p.description.clone(),
        datasource: DATASOURCE,
        grid_pos: grid(p.grid),
        field_config: FieldConfig {
            defaults: FieldDefaults {
                unit: p.unit.clone().unwrap_or_else(|| "short".into()),
                thresholds: Thresholds {
                    mode: "absolute",
                    steps,
                },
                color: ColorMode {
                    mode: if series {
                        "palette-classic"
                    } else {
                        "thresholds"
                    },
                },
                min: p.min,
                max: p.max,
                custom: (series && !p.thresholds.is_empty()).then_some(Custom {
                    thresholds_style: ColorMode { mode: "dashed" },
                }),
            },
            overrides: Vec::new(),
        },
        links: p
            .links
            .iter()
            .map(|(alert, url)| DashboardLink {
                as_dropdown: false,
                icon: "doc",
                include_vars: false,
                keep_time: false,
                tags: Vec::new(),
                target_blank: true,
                title: format!("Runbook: {alert}"),
                tooltip: format!("What to do when {alert} fires"),
                kind: "link",
                url: Some(url.clone()),
            })
            .collect(),
        options: match kind {
            "timeseries" => Options::Series {
                legend: Legend {
                    display_mode: "list",
                    placement: "bottom",
                    show_legend: true,
                },
                tooltip: Tooltip {
                    mode: "multi",
                    sort: "desc",
                },
            },
            "stat" | "gauge" | "bargauge" => Options::Single {
                reduce_options: Reduce {
                    calcs: vec!["lastNotNull"],
                    fields: "",
                    values: false,
                },
            },
            _ => Options::None {},
        },
        targets: p
            .queries
            .iter()
            .enumerate()
            .map(|(i, q)| Target {
                datasource: DATASOURCE,
                editor_mode: "code",
                expr: q.expr.text.clone(),
                legend_format: q.legend.clone().unwrap_or_else(|| "__auto".into()),
                range: true,
                ref_id: ref_id(i),
            })
            .collect(),
    }))
}

/// `A`, `B`, … `Z`, `AA`: Grafana's query letters.
fn ref_id(i: usize) -> String {
    let mut n = i;
    let mut s = String::new();
    loop {
        s.insert(0, (b'A' + (n % 26) as u8) as char);
        if n < 26 {
            return s;
        }
        n = n / 26 - 1;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn query_letters() {
        assert_eq!(super::ref_id(0), "A");
        assert_eq!(super::ref_id(25), "Z");
        assert_eq!(super::ref_id(26), "AA");
    }
}
