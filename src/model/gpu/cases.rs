//! Rule tests of the GPU alerts, for the first GPU of the first GPU host:
//! each alert fed over and under its threshold, and `GpuMissing` fed one GPU
//! short, all GPUs, and nothing at all (the exporter down). Series are
//! labelled as the exporters label them: nvidia_gpu_exporter's `uuid` is
//! lower case without nvidia-smi's `GPU-`, and its identity is in
//! `nvidia_smi_gpu_info`, fed beside every case.

use super::rules::{GROUP, MEMORY_RATIO, TEMPERATURE};
use super::{exporter_uuid, Hardware, HostGpus};
use crate::discover::inventory::Gpu;
use crate::model::core::promtool::{
    expected, series_text, AlertCheck, ExpectedAlert, InputSeries, RuleTestCase,
};
use crate::model::core::{AlertRule, Duration, LabelMap, Rule, RuleGroup};
use crate::spec::GpuExporterKind;

const MINUTE: Duration = Duration(60_000);
/// Past every `for` of the group (10m) and the XID window.
const EVAL: Duration = Duration(15 * 60_000);
const SAMPLES: &str = "x20";

/// A GPU's series as its exporter labels them, plus the target's labels.
fn labels(kind: GpuExporterKind, h: &HostGpus, g: &Gpu) -> LabelMap {
    let mut l = LabelMap::from([
        ("job".to_string(), crate::model::core::GPU_JOB.to_string()),
        ("instance".to_string(), h.instance.clone()),
        // The target labels of `targets/gpu.json`.
        ("gpu_count".to_string(), h.gpus.len().to_string()),
        ("gpu_model".to_string(), h.models()),
    ]);
    match kind {
        GpuExporterKind::NvidiaSmi => {
            l.insert("uuid".into(), exporter_uuid(&g.uuid));
        }
        GpuExporterKind::Dcgm => {
            l.insert("gpu".into(), g.index.to_string());
            l.insert("UUID".into(), g.uuid.clone());
            l.insert("device".into(), format!("nvidia{}", g.index));
            l.insert("modelName".into(), g.name.clone());
            l.insert("Hostname".into(), h.host.clone());
        }
    }
    l
}

fn series(metric: &str, labels: &LabelMap, values: String) -> InputSeries {
    InputSeries {
        series: series_text(metric, labels),
        values,
    }
}

/// The metrics a case feeds, by exporter.
struct Metrics {
    used: &'static str,
    other: &'static str,
    temperature: &'static str,
    xid: &'static str,
    per_gpu: &'static str,
}

fn metrics(kind: GpuExporterKind) -> Metrics {
    match kind {
        GpuExporterKind::NvidiaSmi => Metrics {
            used: "nvidia_smi_memory_used_bytes",
            other: "nvidia_smi_memory_total_bytes",
            temperature: "nvidia_smi_temperature_gpu",
            xid: "nvidia_smi_xid_last_timestamp_seconds",
            per_gpu: "nvidia_smi_gpu_info",
        },
        GpuExporterKind::Dcgm => Metrics {
            used: "DCGM_FI_DEV_FB_USED",
            other: "DCGM_FI_DEV_FB_FREE",
            temperature: "DCGM_FI_DEV_GPU_TEMP",
            xid: "DCGM_FI_DEV_XID_ERRORS",
            per_gpu: "DCGM_FI_DEV_GPU_TEMP",
        },
    }
}

/// What every case is stated from: the first GPU of the first GPU host, its
/// series' labels and metrics, and the group's alerts to expect.
struct Fixture<'a> {
    hw: &'a Hardware,
    host: &'a HostGpus,
    gpu: &'a Gpu,
    kind: GpuExporterKind,
    metrics: Metrics,
    /// The GPU's series labels.
    labels: LabelMap,
    external_labels: &'a LabelMap,
}

impl Fixture<'_> {
    fn fired(&self, a: &AlertRule, labels: &LabelMap, value: f64) -> Result<ExpectedAlert, String> {
        expected(
            a,
            labels,
            Some(value),
            self.external_labels,
            &LabelMap::new(),
        )
        .map_err(|(k, e)| format!("{}: {k}: {e:?}", a.name))
    }

    /// The alert of the GPU, with `value`, when `fires`; nothing otherwise.
    fn expect(
        &self,
        fires: bool,
        a: &AlertRule,
        labels: &LabelMap,
        value: f64,
    ) -> Result<Vec<ExpectedAlert>, String> {
        Ok(if fires {
            vec![self.fired(a, labels, value)?]
        } else {
            Vec::new()
        })
    }

    /// `nvidia_smi_gpu_info` of the GPU, fed beside every per-GPU case: its
    /// identity, which the alerts join in.
    fn info(&self) -> Vec<InputSeries> {
        if self.kind != GpuExporterKind::NvidiaSmi {
            return Vec::new();
        }
        let mut l = self.labels.clone();
        l.insert("index".into(), self.gpu.index.to_string());
        l.insert("name".into(), self.gpu.name.clone());
        vec![series("nvidia_smi_gpu_info", &l, format!("1{SAMPLES}"))]
    }

    /// The labels a per-GPU alert carries: the series' and, for nvidia-smi,
    /// the index and model joined in from `nvidia_smi_gpu_info`.
    fn alert_labels(&self) -> LabelMap {
        let mut l = self.labels.clone();
        if self.kind == GpuExporterKind::NvidiaSmi {
            l.insert("index".into(), self.gpu.index.to_string());
            l.insert("name".into(), self.gpu.name.clone());
        }
        l
    }
}

fn case(
    name: String,
    alert: &AlertRule,
    input: Vec<InputSeries>,
    expect: Vec<ExpectedAlert>,
) -> (String, RuleTestCase) {
    let case = RuleTestCase {
        name,
        interval: MINUTE,
        input,
        alerts: vec![AlertCheck {
            eval_time: EVAL,
            alert: alert.name.clone(),
            expect,
        }],
        exprs: Vec::new(),
    };
    (GROUP.to_string(), case)
}

/// The cases of the alerts the group has, as `(group, case)`; `Err` names an
/// alert whose annotations do not expand.
pub(crate) fn cases(
    hw: &Hardware,
    groups: &[RuleGroup],
    external_labels: &LabelMap,
) -> Result<Vec<(String, RuleTestCase)>, String> {
    let Some(host) = hw.gpu_hosts().next() else {
        return Ok(Vec::new());
    };
    let Some(group) = groups.iter().find(|g| g.name == GROUP) else {
        return Ok(Vec::new());
    };
    let rule = |name: &str| {
        group.rules.iter().find_map(|r| match r {
            Rule::Alert(a) if a.name == name => Some(a),
            _ => None,
        })
    };
    let (kind, gpu) = (hw.exporter, &host.gpus[0]);
    let fx = Fixture {
        hw,
        host,
        gpu,
        kind,
        metrics: metrics(kind),
        labels: labels(kind, host, gpu),
        external_labels,
    };
    let mut out = Vec::new();
    if let Some(a) = rule("GpuMemoryHigh") {
        out.extend(memory_cases(&fx, a)?);
    }
    if let Some(a) = rule("GpuTemperatureHigh") {
        out.extend(temperature_cases(&fx, a)?);
    }
    if let Some(a) = rule("GpuXidErrors") {
        out.extend(xid_cases(&fx, a)?);
    }
    if let Some(a) = rule("GpuMissing") {
        out.extend(missing_cases(&fx, a)?);
    }
    Ok(out)
}

/// `GpuMemoryHigh` fed 97% and 50% of the GPU's memory used.
fn memory_cases(fx: &Fixture, a: &AlertRule) -> Result<Vec<(String, RuleTestCase)>, String> {
    let memory = fx.gpu.memory_total_bytes as f64;
    // nvidia-smi: used and total in bytes; DCGM: used and free in MiB.
    let feed_memory = |ratio: f64| match fx.kind {
        GpuExporterKind::NvidiaSmi => (ratio * memory, memory),
        GpuExporterKind::Dcgm => {
            let mib = (memory / 1_048_576.0).round();
            ((ratio * mib).round(), mib - (ratio * mib).round())
        }
    };
    let mut out = Vec::new();
    for (what, ratio) in [("over", 0.97), ("under", 0.5)] {
        let (used, other) = feed_memory(ratio);
        let mut input = vec![
            series(fx.metrics.used, &fx.labels, format!("{used}{SAMPLES}")),
            series(fx.metrics.other, &fx.labels, format!("{other}{SAMPLES}")),
        ];
        input.extend(fx.info());
        let value = match fx.kind {
            GpuExporterKind::NvidiaSmi => used / other,
            GpuExporterKind::Dcgm => used / (used + other),
        };
        let expect = fx.expect(value > MEMORY_RATIO, a, &fx.alert_labels(), value)?;
        let name = format!("GPU memory {what} {MEMORY_RATIO} of the total");
        out.push(case(name, a, input, expect));
    }
    Ok(out)
}

/// `GpuTemperatureHigh` fed 5 °C over its threshold and 20 °C under.
fn temperature_cases(fx: &Fixture, a: &AlertRule) -> Result<Vec<(String, RuleTestCase)>, String> {
    let mut out = Vec::new();
    for (what, celsius) in [("over", TEMPERATURE + 5.0), ("under", TEMPERATURE - 20.0)] {
        let mut input = vec![series(
            fx.metrics.temperature,
            &fx.labels,
            format!("{celsius}{SAMPLES}"),
        )];
        input.extend(fx.info());
        let expect = fx.expect(celsius > TEMPERATURE, a, &fx.alert_labels(), celsius)?;
        let name = format!("GPU temperature {what} {TEMPERATURE} °C");
        out.push(case(name, a, input, expect));
    }
    Ok(out)
}

/// `GpuXidErrors` fed an XID that pages and one that does not, in each
/// exporter's notation.
fn xid_cases(fx: &Fixture, a: &AlertRule) -> Result<Vec<(String, RuleTestCase)>, String> {
    // nvidia-smi: the time of the last event per XID, from 11m on: XID 79
    // (fallen off the bus) pages, XID 13 (an application's fault) does not.
    // DCGM: the last XID code, changing from 0 to 79 at 11m, or staying 0.
    let cases: Vec<(&str, LabelMap, &str, bool)> = match fx.kind {
        GpuExporterKind::NvidiaSmi => {
            let with = |xid: &str| {
                let mut l = fx.labels.clone();
                l.insert("xid".into(), xid.into());
                l
            };
            vec![
                ("XID 79 4 minutes before", with("79"), "_x10 660x10", true),
                (
                    "only XID 13, an application's fault",
                    with("13"),
                    "_x10 660x10",
                    false,
                ),
            ]
        }
        GpuExporterKind::Dcgm => vec![
            (
                "XID 79 4 minutes before",
                fx.labels.clone(),
                "0x10 79x10",
                true,
            ),
            ("no XID error", fx.labels.clone(), "0x20", false),
        ],
    };
    let mut out = Vec::new();
    for (what, xl, values, fires) in cases {
        let mut input = vec![series(fx.metrics.xid, &xl, values.to_string())];
        input.extend(fx.info());
        let mut labels = fx.alert_labels();
        labels.extend(xl);
        let expect = fx.expect(fires, a, &labels, 240.0)?;
        out.push(case(what.to_string(), a, input, expect));
    }
    Ok(out)
}

/// `GpuMissing` fed one GPU short, every GPU, and the exporter down.
fn missing_cases(fx: &Fixture, a: &AlertRule) -> Result<Vec<(String, RuleTestCase)>, String> {
    let (kind, h) = (fx.kind, fx.host);
    let every: Vec<InputSeries> = h
        .gpus
        .iter()
        .map(|g| {
            series(
                fx.metrics.per_gpu,
                &labels(kind, h, g),
                format!("1{SAMPLES}"),
            )
        })
        .collect();
    let n = h.gpus.len();
    let missing_labels = LabelMap::from([("instance".to_string(), h.instance.clone())]);
    // Other GPU hosts are fed nothing: they fire too, as a down exporter does.
    let others = |fed: Option<f64>| -> Result<Vec<_>, String> {
        let mut v: Vec<_> = fx
            .hw
            .gpu_hosts()
            .filter(|o| o.host != h.host)
            .map(|o| {
                fx.fired(
                    a,
                    &LabelMap::from([("instance".to_string(), o.instance.clone())]),
                    0.0,
                )
            })
            .collect::<Result<_, _>>()?;
        if let Some(value) = fed {
            v.push(fx.fired(a, &missing_labels, value)?);
        }
        v.sort_by(|x, y| x.labels.get("instance").cmp(&y.labels.get("instance")));
        Ok(v)
    };
    let exporter_down = series(
        "up",
        &LabelMap::from([
            ("job".to_string(), crate::model::core::GPU_JOB.to_string()),
            ("instance".to_string(), h.instance.clone()),
        ]),
        format!("0{SAMPLES}"),
    );
    Ok(vec![
        case(
            format!("{} of the {n} GPUs of {} reporting", n - 1, h.host),
            a,
            every[1..].to_vec(),
            others(Some((n - 1) as f64))?,
        ),
        case(
            format!("all {n} GPUs of {} reporting", h.host),
            a,
            every.clone(),
            others(None)?,
        ),
        case(
            format!("the GPU exporter of {} down", h.host),
            a,
            vec![exporter_down],
            others(Some(0.0))?,
        ),
    ])
}
