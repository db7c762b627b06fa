//! The GPU rules, only where the inventories have GPUs (`rules/gpu-alerts.yml`):
//! per GPU host the count of GPUs its inventory lists, per GPU the mapping
//! of the exporter's `uuid` to Lloom's `device` (`lloom:gpu:info`), and the alerts: memory
//! nearly full, too hot, XID errors, and fewer GPUs reporting than listed.
//! nvidia_gpu_exporter labels its series with `uuid` (lower case, without
//! nvidia-smi's `GPU-`); the alerts join in the index and model from its own
//! `nvidia_smi_gpu_info`, which stays right when a GPU is swapped.

use super::{exporter_uuid, Hardware};
use crate::model::core::numbers::format_number;
use crate::model::core::{AlertRule, Allow, Expr, LabelMap, Places, RecordRule, Rule, RuleGroup};
use crate::spec::GpuExporterKind;

pub const GROUP: &str = "gpu_alerts";
/// Per GPU host: how many GPUs its inventory lists (`gpus` says which).
pub const EXPECTED: &str = "lloom:gpu:expected_count";
/// Per GPU (nvidia_gpu_exporter): the exporter's `uuid` with Lloom's `device`.
pub const INFO: &str = "lloom:gpu:info";
/// Thresholds of the GPU alerts.
pub const MEMORY_RATIO: f64 = 0.95;
pub const TEMPERATURE: f64 = 85.0;

/// How an exporter names what the alerts and panels read. Each expression
/// holds `{s}` where a selector goes (`{instance="gpu-1"}`), see [`Names::at`].
pub struct Names {
    pub used_ratio: &'static str,
    pub temperature: &'static str,
    pub utilization: &'static str,
    pub power: &'static str,
    /// Per GPU, a value the XID alert compares with `xid_fires`.
    pub xid: &'static str,
    pub xid_fires: &'static str,
    /// What `xid` holds, for the runbook's query.
    pub xid_title: &'static str,
    /// Names the XID in alert texts where the exporter labels it.
    pub xid_code: &'static str,
    /// A series every GPU has, to count GPUs by.
    pub per_gpu: &'static str,
    /// The labels that say which GPU: joined in from the inventory, or the exporter's own.
    pub join: &'static str,
    pub index_label: &'static str,
    pub model_label: &'static str,
}

impl Names {
    /// `expr` with `selector` on each of its metrics ("" for none).
    pub fn at(&self, expr: &str, selector: &str) -> String {
        expr.replace("{s}", selector)
    }

    /// `expr` for every GPU, labelled with the GPU's index and model.
    pub fn per_gpu(&self, expr: &str, selector: &str) -> String {
        format!("{}{}", self.at(expr, selector), self.join)
    }
}

pub fn names(kind: GpuExporterKind) -> Names {
    match kind {
        GpuExporterKind::NvidiaSmi => Names {
            used_ratio: "nvidia_smi_memory_used_bytes{s} / (nvidia_smi_memory_total_bytes{s} > 0)",
            temperature: "nvidia_smi_temperature_gpu{s}",
            utilization: "nvidia_smi_utilization_gpu_ratio{s}",
            power: "nvidia_smi_power_draw_watts{s}",
            // The NVML backend's event timestamp: unlike `increase()` of the
            // counter it sees a series' first event. Only XIDs that call for
            // a GPU reset or a reboot (the exporter's advice): most others
            // are one application's fault.
            xid: "(time() - nvidia_smi_xid_last_timestamp_seconds{xid=~\"48|62|64|74|79|95|119|120\"})",
            xid_fires: "< 600",
            xid_title: "Seconds since the last reset-class XID, per GPU and XID",
            xid_code: " {{ $labels.xid }}",
            per_gpu: "nvidia_smi_gpu_info{s}",
            join: " * on (instance, uuid) group_left (index, name) nvidia_smi_gpu_info",
            index_label: "index",
            model_label: "name",
        },
        GpuExporterKind::Dcgm => Names {
            // DCGM reports framebuffer memory in MiB, used and free.
            used_ratio:
                "DCGM_FI_DEV_FB_USED{s} / (DCGM_FI_DEV_FB_USED{s} + DCGM_FI_DEV_FB_FREE{s} > 0)",
            temperature: "DCGM_FI_DEV_GPU_TEMP{s}",
            // 0 to 100; as a ratio like nvidia_gpu_exporter's.
            utilization: "DCGM_FI_DEV_GPU_UTIL{s} / 100",
            power: "DCGM_FI_DEV_POWER_USAGE{s}",
            // The last XID code, a gauge: a new error changes it.
            xid: "changes(DCGM_FI_DEV_XID_ERRORS{s}[10m])",
            xid_fires: "> 0",
            xid_title: "Changes of the last XID code in 10 minutes, per GPU",
            xid_code: "",
            per_gpu: "DCGM_FI_DEV_GPU_TEMP{s}",
            join: "",
            index_label: "gpu",
            model_label: "modelName",
        },
    }
}

/// `None` where no inventory lists a GPU: there would be nothing to alert on.
pub(crate) fn group(hw: &Hardware, runbook_base: &str) -> Option<RuleGroup> {
    hw.gpu_hosts().next()?;
    let mut rules = inventory_records(hw);
    rules.extend(alerts(hw.exporter, runbook_base));
    Some(RuleGroup {
        name: GROUP.into(),
        interval: None,
        rules,
    })
}

/// What the inventories say, as series the alerts and panels can join with:
/// each host's GPU count and, where Lloom's metrics can be joined, each GPU.
fn inventory_records(hw: &Hardware) -> Vec<Rule> {
    let record = |name: &str, value: usize, labels: LabelMap| {
        Rule::Record(RecordRule {
            name: name.into(),
            expr: Expr::builtin(format!("vector({value})")),
            labels,
            allow: Allow::new(),
            places: Places::default(),
        })
    };
    let mut rules = Vec::new();
    for h in hw.gpu_hosts() {
        let labels = LabelMap::from([
            ("instance".to_string(), h.instance.clone()),
            ("gpus".to_string(), h.summary()),
        ]);
        rules.push(record(EXPECTED, h.gpus.len(), labels));
    }
    // Per GPU, its exporter `uuid` (lower case, without `GPU-`) beside the
    // index Lloom's executor metrics call `device`: the join between them.
    if hw.joins_lloom {
        for h in hw.gpu_hosts() {
            for g in &h.gpus {
                let labels = LabelMap::from([
                    ("instance".to_string(), h.instance.clone()),
                    ("uuid".to_string(), exporter_uuid(&g.uuid)),
                    ("device".to_string(), g.index.to_string()),
                    ("gpu_model".to_string(), g.name.clone()),
                ]);
                rules.push(record(INFO, 1, labels));
            }
        }
    }
    rules
}

/// What a GPU alert states; its runbook is named after it.
struct GpuAlert {
    name: &'static str,
    expr: String,
    for_: Option<&'static str>,
    severity: &'static str,
    summary: String,
    description: String,
}

fn alert(a: GpuAlert, runbook_base: &str) -> Rule {
    let name = a.name;
    Rule::Alert(AlertRule {
        name: name.into(),
        expr: Expr::builtin(a.expr),
        for_: a
            .for_
            .map(|f| crate::model::core::Duration::parse(f).expect("built-in duration")),
        labels: LabelMap::from([("severity".to_string(), a.severity.to_string())]),
        annotations: LabelMap::from([
            ("summary".to_string(), a.summary),
            ("description".to_string(), a.description),
            (
                "runbook_url".to_string(),
                format!("{runbook_base}/{name}.md"),
            ),
        ]),
        allow: Allow::new(),
        places: Places::default(),
    })
}

/// Memory nearly full, too hot, XID errors, and fewer GPUs reporting than
/// the inventory lists, in the exporter's names.
fn alerts(kind: GpuExporterKind, runbook_base: &str) -> Vec<Rule> {
    let n = names(kind);
    let which = format!(
        "GPU {{{{ $labels.{} }}}} ({{{{ $labels.{} }}}}) on {{{{ $labels.instance }}}}",
        n.index_label, n.model_label
    );
    // One rule for every host: a host whose exporter is down reports no GPU
    // and is compared as 0 (`or` the expected count times 0).
    let reporting = format!("count by (instance) ({})", n.at(n.per_gpu, ""));
    let alerts = [
        GpuAlert {
            name: "GpuMemoryHigh",
            expr: format!("{} > {}\n", n.per_gpu(n.used_ratio, ""), format_number(MEMORY_RATIO)),
            for_: Some("10m"),
            severity: "warning",
            summary: format!("GPU memory almost full: {which}"),
            description: format!("{which} has {{{{ $value | humanizePercentage }}}} of its memory in use; new requests and model loads will fail on it."),
        },
        GpuAlert {
            name: "GpuTemperatureHigh",
            expr: format!("{} > {}\n", n.per_gpu(n.temperature, ""), format_number(TEMPERATURE)),
            for_: Some("5m"),
            severity: "warning",
            summary: format!("GPU too hot: {which}"),
            description: format!("{which} is at {{{{ $value }}}} °C; above about 85 °C GPUs throttle and inference slows down."),
        },
        GpuAlert {
            name: "GpuXidErrors",
            expr: format!("{} {}\n", n.per_gpu(n.xid, ""), n.xid_fires),
            for_: None,
            severity: "critical",
            summary: format!("XID error{}: {which}", n.xid_code),
            description: format!("The NVIDIA driver reported an XID error{} for {which} in the last 10 minutes: a GPU fault, which often needs a reset or a reboot.", n.xid_code),
        },
        GpuAlert {
            name: "GpuMissing",
            expr: format!("(\n  {reporting}\n  or on (instance)\n  {EXPECTED} * 0\n)\n< on (instance)\n{EXPECTED}\n"),
            for_: Some("10m"),
            severity: "critical",
            summary: "GPUs missing on {{ $labels.instance }}".into(),
            description: format!("Only {{{{ $value }}}} GPUs report on {{{{ $labels.instance }}}}, fewer than its inventory lists (`{EXPECTED}` has the count and the models): a GPU fell off the bus, or the GPU exporter is down."),
        },
    ];
    alerts.into_iter().map(|a| alert(a, runbook_base)).collect()
}
