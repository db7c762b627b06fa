//! GPU rows, only where the inventories list GPUs, in the Executor
//! Performance dashboard (or a GPUs one without executors): a row per GPU
//! host, titled with what `discover` found on it, with how many GPUs report
//! against how many it has, and each GPU's utilization, memory, temperature
//! and power against its own limit.

use super::rules::{names, Names, INFO, MEMORY_RATIO, TEMPERATURE};
use super::{Hardware, HostGpus};
use crate::model::core::dashboard::{lay_out, number, query, row_panel, FOLDER};
use crate::model::core::{Allow, Ctx, Dashboard, Panel, PanelQuery, Stack, Threshold};

pub const UID: &str = "lloom-gpus";
/// The built-in dashboard the GPU rows join when the spec has executors.
const EXECUTOR_UID: &str = "lloom-executor";

/// `None` without GPUs: an empty dashboard would only say nothing is there.
pub(crate) fn resolve(cx: &mut Ctx, hw: &Hardware, stack: &Stack) -> Option<Dashboard> {
    hw.gpu_hosts().next()?;
    let n = names(hw.exporter);
    let mut panels = Vec::new();
    let mut sizes = Vec::new();
    for h in hw.gpu_hosts() {
        panels.push(row_panel(&format!("{} ({})", h.host, h.summary())));
        sizes.push((None, None));
        for p in host_panels(hw, &n, h) {
            sizes.push((Some(p.width), Some(8)));
            panels.push(panel(cx, p, stack));
        }
    }
    lay_out(&mut panels, &sizes);
    Some(Dashboard {
        uid: UID.into(),
        title: "GPUs".into(),
        description: "Every GPU the hardware inventories list, host by host: utilization, memory, temperature and power, and how many report.".into(),
        folder: FOLDER.into(),
        tags: vec!["lloom".into(), "gpu".into()],
        variables: Vec::new(),
        panels,
    })
}

/// A panel of a host's row, its query still text.
struct GpuPanel {
    title: &'static str,
    kind: &'static str,
    unit: &'static str,
    description: String,
    expr: String,
    legend: String,
    thresholds: Vec<Threshold>,
    max: Option<f64>,
    /// The alert whose runbook the panel links to.
    alert: Option<&'static str>,
    width: u32,
}

fn panel(cx: &mut Ctx, p: GpuPanel, stack: &Stack) -> Panel {
    let links = p
        .alert
        .map(|a| (a.to_string(), format!("{}/{a}.md", stack.runbook_base_url)))
        .into_iter()
        .collect();
    Panel {
        kind: p.kind.into(),
        unit: Some(p.unit.into()),
        description: p.description,
        max: p.max,
        thresholds: p.thresholds,
        links,
        queries: vec![PanelQuery {
            expr: query(cx, &p.expr, None, stack),
            legend: Some(p.legend),
            legend_span: None,
        }],
        allow: Allow::new(),
        ..row_panel(p.title)
    }
}

/// How many GPUs report, each GPU's gauges and, where Lloom's metrics can
/// be joined, the memory Lloom does not account for.
fn host_panels(hw: &Hardware, n: &Names, h: &HostGpus) -> Vec<GpuPanel> {
    let inst = &h.instance;
    let sel = format!("{{cluster=~\"$cluster\", instance=\"{inst}\"}}");
    let mut out = vec![reporting_panel(n, h, &sel)];
    // Four time series after the stat, or five with the Lloom join.
    let width = if hw.joins_lloom { 4 } else { 5 };
    out.extend(per_gpu_panels(n, h, &sel, width));
    if hw.joins_lloom {
        out.push(lloom_memory_panel(&sel));
    }
    out
}

fn reporting_panel(n: &Names, h: &HostGpus, sel: &str) -> GpuPanel {
    let count = h.gpus.len() as f64;
    GpuPanel {
        title: "GPUs reporting",
        kind: "stat",
        unit: "short",
        description: format!("GPUs whose exporter reports, of the {count} the inventory lists; GpuMissing pages below {count}."),
        expr: format!("count({})", n.at(n.per_gpu, sel)),
        legend: "GPUs".into(),
        thresholds: Threshold::steps(&[("red", None), ("green", Some(count))]),
        max: None,
        alert: Some("GpuMissing"),
        width: 4,
    }
}

/// Utilization, memory, temperature and power, a series per GPU, each
/// against the limit its alert or the inventory sets.
fn per_gpu_panels(n: &Names, h: &HostGpus, sel: &str, width: u32) -> Vec<GpuPanel> {
    let legend = format!("GPU {{{{{}}}}}", n.index_label);
    let limit = h
        .gpus
        .iter()
        .filter_map(|g| g.power_limit_watts)
        .fold(None, |m: Option<f64>, w| Some(m.map_or(w, |m| m.max(w))));
    let series = || GpuPanel {
        title: "",
        kind: "timeseries",
        unit: "",
        description: String::new(),
        expr: String::new(),
        legend: legend.clone(),
        thresholds: Vec::new(),
        max: None,
        alert: None,
        width,
    };
    vec![
        GpuPanel {
            title: "Utilization",
            unit: "percentunit",
            description: "Share of time each GPU was busy, as its driver reports it.".into(),
            expr: n.per_gpu(n.utilization, sel),
            max: Some(1.0),
            ..series()
        },
        GpuPanel {
            title: "Memory in use",
            unit: "percentunit",
            description: format!(
                "Memory used over memory installed, per GPU; GpuMemoryHigh warns above {:.0}%.",
                MEMORY_RATIO * 100.0
            ),
            expr: n.per_gpu(n.used_ratio, sel),
            thresholds: Threshold::steps(&[("green", None), ("red", Some(MEMORY_RATIO))]),
            max: Some(1.0),
            alert: Some("GpuMemoryHigh"),
            ..series()
        },
        GpuPanel {
            title: "Temperature",
            unit: "celsius",
            description: format!(
                "Core temperature per GPU; GpuTemperatureHigh warns above {TEMPERATURE:.0} °C."
            ),
            expr: n.per_gpu(n.temperature, sel),
            thresholds: Threshold::steps(&[("green", None), ("red", Some(TEMPERATURE))]),
            alert: Some("GpuTemperatureHigh"),
            ..series()
        },
        GpuPanel {
            title: "Power",
            unit: "watt",
            description: match limit {
                Some(w) => format!("Power draw per GPU; the axis ends at the highest power limit the inventory lists ({w} W)."),
                None => "Power draw per GPU.".into(),
            },
            expr: n.per_gpu(n.power, sel),
            max: limit,
            ..series()
        },
    ]
}

/// Memory another process holds: the driver's count less Lloom's own, joined
/// through the inventory's UUIDs.
fn lloom_memory_panel(sel: &str) -> GpuPanel {
    GpuPanel {
        title: "Memory outside Lloom",
        kind: "timeseries",
        unit: "bytes",
        description: "Memory in use on each GPU that the Lloom executor does not account for (the driver's count minus `lloom_executor_gpu_memory_used_bytes`), joined through the inventory's mapping of UUIDs to devices (`lloom:gpu:info`): another process holds it.".into(),
        expr: format!(
            "nvidia_smi_memory_used_bytes{sel} * on (instance, uuid) group_left (device) {INFO}\n  - on (instance, device)\nlloom_executor_gpu_memory_used_bytes{sel}"
        ),
        legend: "GPU {{device}}".into(),
        thresholds: Vec::new(),
        max: None,
        alert: Some("GpuMemoryHigh"),
        width: 4,
    }
}

/// The GPU rows go below the Executor Performance dashboard's own, where
/// there is one (executors are the GPU hosts); otherwise they are a
/// dashboard of their own.
pub(crate) fn attach(dashboards: &mut Vec<Dashboard>, gpus: Dashboard) {
    let Some(executor) = dashboards.iter_mut().find(|d| d.uid == EXECUTOR_UID) else {
        dashboards.push(gpus);
        return;
    };
    let bottom = executor
        .panels
        .iter()
        .map(|p| p.grid.y + p.grid.h)
        .max()
        .unwrap_or(0);
    for mut p in gpus.panels {
        p.grid.y += bottom;
        executor.panels.push(p);
    }
    number(&mut executor.panels);
}
