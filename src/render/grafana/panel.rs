//! A dashboard's panels in Grafana's classic JSON model: rows, and query
//! panels with their field config, runbook links and queries.

use super::dashboard::{DashboardLink, DataSourceRef, DATASOURCE};
use crate::model::{GridPos, Panel};
use serde::Serialize;

/// A row or a query panel: Grafana tells them apart by `type`.
#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum PanelJson {
    Row(RowJson),
    Query(Box<QueryPanelJson>),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RowJson {
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
pub(super) struct QueryPanelJson {
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

/// A panel's options, each kind with every key its Grafana schema requires
/// (the Grafana Foundation SDK's types decode them strictly), at Grafana's
/// defaults where we have no choice to make.
#[derive(Serialize)]
#[serde(untagged)]
enum Options {
    Series { legend: Legend, tooltip: Tooltip },
    Stat(StatOptions),
    Gauge(GaugeOptions),
    BarGauge(BarGaugeOptions),
    None {},
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Legend {
    calcs: Vec<&'static str>,
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
struct StatOptions {
    reduce_options: Reduce,
    graph_mode: &'static str,
    color_mode: &'static str,
    justify_mode: &'static str,
    text_mode: &'static str,
    wide_layout: bool,
    show_percent_change: bool,
    percent_change_color_mode: &'static str,
    orientation: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GaugeOptions {
    reduce_options: Reduce,
    show_threshold_labels: bool,
    show_threshold_markers: bool,
    sizing: &'static str,
    min_viz_width: u32,
    min_viz_height: u32,
    orientation: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BarGaugeOptions {
    reduce_options: Reduce,
    display_mode: &'static str,
    value_mode: &'static str,
    name_placement: &'static str,
    show_unfilled: bool,
    sizing: &'static str,
    min_viz_width: u32,
    min_viz_height: u32,
    max_viz_height: u32,
    legend: Legend,
    orientation: &'static str,
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

fn grid(g: GridPos) -> GridPosJson {
    GridPosJson {
        h: g.h,
        w: g.w,
        x: g.x,
        y: g.y,
    }
}

pub(super) fn panel(p: &Panel) -> PanelJson {
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
    PanelJson::Query(Box::new(QueryPanelJson {
        kind: kind.to_string(),
        id: p.id,
        title: p.title.clone(),
        description: p.description.clone(),
        datasource: DATASOURCE,
        grid_pos: grid(p.grid),
        field_config: field_config(p, kind),
        links: runbook_links(p),
        options: options(kind),
        targets: targets(p),
    }))
}

/// Unit, thresholds and colours; a time series draws its thresholds as
/// dashed lines.
fn field_config(p: &Panel, kind: &str) -> FieldConfig {
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
    FieldConfig {
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
    }
}

/// A link to the runbook of each alert the panel shows.
fn runbook_links(p: &Panel) -> Vec<DashboardLink> {
    p.links
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
        .collect()
}

/// The legend and tooltip of a time series, the reduction of a single value.
fn options(kind: &str) -> Options {
    match kind {
        "timeseries" => Options::Series {
            legend: legend(),
            tooltip: Tooltip {
                mode: "multi",
                sort: "desc",
            },
        },
        "stat" => Options::Stat(StatOptions {
            reduce_options: last_value(),
            graph_mode: "area",
            color_mode: "value",
            justify_mode: "auto",
            text_mode: "auto",
            wide_layout: true,
            show_percent_change: false,
            percent_change_color_mode: "standard",
            orientation: "auto",
        }),
        "gauge" => Options::Gauge(GaugeOptions {
            reduce_options: last_value(),
            show_threshold_labels: false,
            show_threshold_markers: true,
            sizing: "auto",
            min_viz_width: 75,
            min_viz_height: 75,
            orientation: "auto",
        }),
        "bargauge" => Options::BarGauge(BarGaugeOptions {
            reduce_options: last_value(),
            display_mode: "gradient",
            value_mode: "color",
            name_placement: "auto",
            show_unfilled: true,
            sizing: "auto",
            min_viz_width: 8,
            min_viz_height: 16,
            max_viz_height: 300,
            legend: legend(),
            orientation: "auto",
        }),
        _ => Options::None {},
    }
}

fn legend() -> Legend {
    Legend {
        calcs: Vec::new(),
        display_mode: "list",
        placement: "bottom",
        show_legend: true,
    }
}

fn last_value() -> Reduce {
    Reduce {
        calcs: vec!["lastNotNull"],
        fields: "",
        values: false,
    }
}

fn targets(p: &Panel) -> Vec<Target> {
    p.queries
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
        .collect()
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
