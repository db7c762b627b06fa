//! GPU rows, only where the inventories list GPUs, in the Executor
//! Performance dashboard (or a GPUs one without executors): a row per GPU
//! host, titled with what `discover` found on it, with how many GPUs report
//! against how many it has, and each GPU's utilization, memory, temperature
//! and power against its own limit.

use super::rules::{names, INFO, MEMORY_RATIO, TEMPERATURE};
use super::Hardware;
use crate::model::core::dashboard::{lay_out, number, query, row_panel, FOLDER};
use crate::model::core::{Allow, Ctx, Dashboard, Panel, PanelQuery, Stack, Threshold};

pub const UID: &str = "lloom-gpus";
/// The built-in dashboard the GPU rows join when the spec has executors.
const EXECUTOR_UID: &str = "lloom-executor";

pub(crate) fn resolve(cx: &mut Ctx, hw: &Hardware, stack: &Stack) -> Option<Dashboard> {
    hw.gpu_hosts().next()?;
    let n = names(hw.exporter);
    let link = |alert: &str| {
        vec![(
            alert.to_string(),
            format!("{}/{alert}.md", stack.runbook_base_url),
        )]
    };
    let legend = format!("GPU {{{{{}}}}}", n.index_label);
    // Four time series after the stat, or five with the Lloom join.
    let width = if hw.joins_lloom { 4 } else { 5 };
    let mut panels = Vec::new();
    let mut sizes = Vec::new();
    for h in hw.gpu_hosts() {
        let inst = &h.instance;
        let sel = format!("{{cluster=~\"$cluster\", instance=\"{inst}\"}}");
        panels.push(row_panel(&format!("{} ({})", h.host, h.summary())));
        sizes.push((None, None));
        let count = h.gpus.len() as f64;
        let mut panel = |cx: &mut Ctx,
                         title: &str,
                         kind: &str,
                         unit: &str,
                         description: String,
                         expr: String,
                         legend: &str,
                         thresholds: Vec<Threshold>,
                         max: Option<f64>,
                         links: Vec<(String, String)>,
                         width: u32| {
            sizes.push((Some(width), Some(8)));
            Panel {
                kind: kind.into(),
                unit: Some(unit.into()),
                description,
                max,
                thresholds,
                links,
                queries: vec![PanelQuery {
                    expr: query(cx, &expr, None, stack),
                    legend: Some(legend.into()),
                    legend_span: None,
                }],
                allow: Allow::new(),
                ..row_panel(title)
            }
        };
        panels.push(panel(
            cx,
            "GPUs reporting",
            "stat",
            "short",
            format!("GPUs whose exporter reports, of the {count} the inventory lists; GpuMissing pages below {count}."),
            format!("count({})", n.at(n.per_gpu, &sel)),
            "GPUs",
            Threshold::steps(&[("red", None), ("green", Some(count))]),
            None,
            link("GpuMissing"),
            4,
        ));
        panels.push(panel(
            cx,
            "Utilization",
            "timeseries",
            "percentunit",
            "Share of time each GPU was busy, as its driver reports it.".into(),
            n.per_gpu(n.utilization, &sel),
            &legend,
            Vec::new(),
            Some(1.0),
            Vec::new(),
            width,
        ));
        panels.push(panel(
            cx,
            "Memory in use",
            "timeseries",
            "percentunit",
            format!(
                "Memory used over memory installed, per GPU; GpuMemoryHigh warns above {:.0}%.",
                MEMORY_RATIO * 100.0
            ),
            n.per_gpu(n.used_ratio, &sel),
            &legend,
            Threshold::steps(&[("green", None), ("red", Some(MEMORY_RATIO))]),
            Some(1.0),
            link("GpuMemoryHigh"),
            width,
        ));
        panels.push(panel(
            cx,
            "Temperature",
            "timeseries",
            "celsius",
            format!(
                "Core temperature per GPU; GpuTemperatureHigh warns above {TEMPERATURE:.0} °C."
            ),
            n.per_gpu(n.temperature, &sel),
            &legend,
            Threshold::steps(&[("green", None), ("red", Some(TEMPERATURE))]),
            None,
            link("GpuTemperatureHigh"),
            width,
        ));
        let limit = h
            .gpus
            .iter()
            .filter_map(|g| g.power_limit_watts)
            .fold(None, |m: Option<f64>, w| Some(m.map_or(w, |m| m.max(w))));
        panels.push(panel(
            cx,
            "Power",
            "timeseries",
            "watt",
            match limit {
                Some(w) => format!("Power draw per GPU; the axis ends at the highest power limit the inventory lists ({w} W)."),
                None => "Power draw per GPU.".into(),
            },
            n.per_gpu(n.power, &sel),
            &legend,
            Vec::new(),
            limit,
            Vec::new(),
            width,
        ));
        if hw.joins_lloom {
            panels.push(panel(
                cx,
                "Memory outside Lloom",
                "timeseries",
                "bytes",
                "Memory in use on each GPU that the Lloom executor does not account for (the driver's count minus `lloom_executor_gpu_memory_used_bytes`), joined through the inventory's mapping of UUIDs to devices (`lloom:gpu:info`): another process holds it.".into(),
                format!(
                    "nvidia_smi_memory_used_bytes{sel} * on (instance, uuid) group_left (device) {INFO}\n  - on (instance, device)\nlloom_executor_gpu_memory_used_bytes{sel}"
                ),
                "GPU {{device}}",
                Vec::new(),
                None,
                link("GpuMemoryHigh"),
                4,
            ));
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
