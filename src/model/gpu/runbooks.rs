//! Runbook pages of the GPU alerts (`gpu_rules.rs`). Their queries read the
//! exporter the spec picked, so they are built here rather than kept in
//! `runbooks.toml` with the pack's.

use super::rules::{names, MEMORY_RATIO, TEMPERATURE};
use super::Hardware;
use crate::model::core::runbook::{Check, Related, Runbook, RunbookQuery};
use crate::model::core::Expr;

fn check(text: &str, commands: &[&str]) -> Check {
    Check {
        text: text.into(),
        commands: commands.iter().map(|c| c.to_string()).collect(),
    }
}

fn query(title: &str, expr: String) -> RunbookQuery {
    RunbookQuery {
        title: Some(title.into()),
        expr: Expr::builtin(expr),
    }
}

fn related(alert: &str, why: &str) -> Related {
    Related {
        alert: alert.into(),
        why: why.into(),
    }
}

/// One page per GPU alert; empty where no inventoried host has a GPU.
pub(crate) fn pages(hw: &Hardware) -> Vec<Runbook> {
    if hw.gpu_hosts().next().is_none() {
        return Vec::new();
    }
    let n = names(hw.exporter);
    let labels = vec![
        ("instance".to_string(), "the GPU host".to_string()),
        (
            n.index_label.to_string(),
            "the GPU's index, as `nvidia-smi -i` takes it".to_string(),
        ),
        (
            n.model_label.to_string(),
            "the GPU model, from the inventory".to_string(),
        ),
    ];
    let smi = "nvidia-smi --query-gpu=index,name,memory.used,memory.total,temperature.gpu,power.draw,clocks_throttle_reasons.active --format=csv";
    vec![
        Runbook {
            line: Some(format!("A GPU has more than {:.0}% of its memory in use.", MEMORY_RATIO * 100.0)),
            meaning: Some(format!("For 10 minutes one GPU has had more than {:.0}% of its memory allocated, as its exporter reads it from the driver.", MEMORY_RATIO * 100.0)),
            impact: Some("The next model load or large request on this GPU fails with an out-of-memory error; the executor that owns it starts failing requests.".into()),
            labels: labels.clone(),
            checks: vec![
                check("See which processes hold the memory: the Lloom executor should be the only large one.", &["nvidia-smi --query-compute-apps=pid,process_name,used_memory --format=csv"]),
                check("Compare with what the executor thinks it uses (`lloom_executor_gpu_memory_used_bytes`, whose `device` is the index here): a gap means memory held outside Lloom.", &[]),
            ],
            queries: vec![query("Memory in use, per GPU", n.per_gpu(n.used_ratio, ""))],
            related: vec![related("ExecutorGPUMemoryHigh", "the executor's own view of the same memory")],
            ..Runbook::bare("GpuMemoryHigh")
        },
        Runbook {
            line: Some(format!("A GPU runs hotter than {TEMPERATURE:.0} °C.")),
            meaning: Some(format!("For 5 minutes one GPU's core temperature has been above {TEMPERATURE:.0} °C.")),
            impact: Some("Hot GPUs lower their clocks: inference on this GPU slows, and a GPU that keeps heating shuts down.".into()),
            labels: labels.clone(),
            checks: vec![
                check("Read temperature, power and the active throttle reasons.", &[smi]),
                check("If all GPUs of the host are hot, look at the room and the host's fans; if one is, at its airflow or its load.", &[]),
            ],
            queries: vec![query("Temperature, per GPU", n.per_gpu(n.temperature, ""))],
            related: vec![],
            ..Runbook::bare("GpuTemperatureHigh")
        },
        Runbook {
            line: Some("The NVIDIA driver reported an XID error for a GPU.".into()),
            meaning: Some(match hw.exporter {
                crate::spec::GpuExporterKind::NvidiaSmi => "In the last 10 minutes the driver reported an XID error of the kinds that need a GPU reset or a reboot (48, 62, 64, 74, 79, 95, 119, 120) for this GPU. XIDs are the driver's fault reports; the others are mostly one application's bad memory access and are not alerted on. Only the exporter's NVML backend sees XIDs: with its nvidia-smi backend this alert has no data.".into(),
                crate::spec::GpuExporterKind::Dcgm => "In the last 10 minutes the last XID code dcgm-exporter reports for this GPU changed: the driver reported a new XID error. XIDs are the driver's fault reports: some are an application's bad memory access, others a GPU that fell off the bus or has failing memory.".into(),
            }),
            impact: Some("Requests on this GPU may fail or hang; a GPU with repeated XIDs usually needs a reset or the host a reboot.".into()),
            labels: labels.clone(),
            checks: vec![
                check("Read the XID numbers in the kernel log; NVIDIA's XID table says what each means (79: fallen off the bus, 48/63/64: memory errors).", &["sudo dmesg -T | grep -i xid | tail -n 20"]),
                check("Check the GPU's state and retired pages.", &["nvidia-smi -q -d ECC,PAGE_RETIREMENT"]),
            ],
            queries: vec![query(n.xid_title, n.per_gpu(n.xid, ""))],
            related: vec![related("GpuMissing", "a GPU that fell off the bus stops reporting")],
            ..Runbook::bare("GpuXidErrors")
        },
        Runbook {
            line: Some("Fewer GPUs report than the host's inventory lists.".into()),
            meaning: Some("For 10 minutes the GPU exporter of this host has reported fewer GPUs than `lloom-monctl discover` found on it (`lloom:gpu:expected_count` holds that count, and `gpus` the models), or none because the exporter is down.".into()),
            impact: Some("The executor on this host serves with less capacity than planned, or with none; requests go to other executors.".into()),
            labels: vec![("instance".into(), "the GPU host".into())],
            checks: vec![
                check("List the GPUs the driver sees now and compare with the inventory in the repository.", &["nvidia-smi -L"]),
                check("If the driver sees them all, the exporter is the problem: look at its container.", &["docker compose -f docker-compose.yml -f docker-compose.gpu.yml logs --tail 50 gpu-exporter  # in node-agent/"]),
                check("If a GPU is gone, look for XID 79 in the kernel log and plan a reboot; if the hardware changed on purpose, run `lloom-monctl discover` again and commit the inventory.", &["sudo dmesg -T | grep -i xid | tail -n 20"]),
            ],
            queries: vec![query("GPUs reporting, per host", format!("count by (instance) ({})", n.at(n.per_gpu, "")))],
            related: vec![related("GpuXidErrors", "XID 79 comes before a GPU disappears")],
            ..Runbook::bare("GpuMissing")
        },
    ]
}
