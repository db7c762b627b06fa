//! Spec → model: defaults applied, every value checked, all findings collected.

use super::duration::{ByteSize, Duration};
use super::names::{is_label_name, is_metric_name};
use super::{
    dashboards, jobs, rules, runbooks, Allow, Allowance, LabelMap, Model, Retention, Stack,
};
use crate::catalog::{Catalog, Exporter, Metric, MetricType, Status};
use crate::diagnostics::Finding;
use crate::discover::inventory::Inventory;
use crate::spec::{Labels, Spec, Str};
use std::collections::BTreeMap;

/// Collects findings while the model is built; every check goes through here.
pub(super) struct Ctx {
    pub findings: Vec<Finding>,
    /// The rules' expressions, parsed ahead (`parse.rs`); taken as used.
    pub parsed: super::parse::Parsed,
}

impl Ctx {
    pub fn push(&mut self, f: Finding) {
        self.findings.push(f);
    }

    /// A duration that must be positive; `None` when absent or invalid.
    pub fn duration(&mut self, value: Option<&Str>, what: &str) -> Option<Duration> {
        let v = value?;
        match Duration::parse(v.get_ref()) {
            Ok(d) if d.0 > 0 => Some(d),
            Ok(_) => {
                self.push(
                    Finding::error("spec/bad-duration", format!("{what} must be longer than 0"))
                        .at(v.span())
                        .help("use a positive duration such as `15s`, `5m` or `1h`"),
                );
                None
            }
            Err(e) => {
                self.push(
                    Finding::error("spec/bad-duration", format!("{what}: {e}"))
                        .at(v.span())
                        .label("not a Prometheus duration")
                        .help(
                            "write a number and a unit, largest first: `30s`, `5m`, `1h30m`, `30d`",
                        ),
                );
                None
            }
        }
    }

    /// Checks a user label map: valid names, no reserved `__` prefix.
    pub fn labels(&mut self, labels: &Labels, what: &str) -> LabelMap {
        let mut out = LabelMap::new();
        for (k, v) in labels {
            self.label_name(k, what);
            out.insert(k.get_ref().clone(), v.get_ref().clone());
        }
        out
    }

    /// Silenced lint codes; the lint checks that each code exists and is used.
    pub fn allow(&mut self, allow: &Labels) -> Allow {
        let mut out = Allow::new();
        for (code, reason) in allow {
            if reason.get_ref().trim().is_empty() {
                self.push(
                    Finding::error(
                        "spec/empty-reason",
                        format!("`{}` is silenced without a reason", code.get_ref()),
                    )
                    .at(reason.span())
                    .help("say why the finding does not apply here, so that the next reader knows"),
                );
            }
            out.insert(
                code.get_ref().clone(),
                Allowance {
                    reason: reason.get_ref().clone(),
                    span: Some(code.span()),
                },
            );
        }
        out
    }

    /// Where each label or annotation was written.
    pub fn places(labels: &Labels) -> BTreeMap<String, std::ops::Range<usize>> {
        labels
            .iter()
            .map(|(k, v)| (k.get_ref().clone(), v.span()))
            .collect()
    }

    /// Checks only the syntax: relabel rules may name internal `__` labels.
    pub fn label_syntax(&mut self, name: &Str, what: &str) -> bool {
        let n = name.get_ref();
        if is_label_name(n) {
            return true;
        }
        self.push(
            Finding::error(
                "spec/bad-label-name",
                format!("`{n}` is not a valid label name ({what})"),
            )
            .at(name.span())
            .help("label names start with a letter or `_` and hold only letters, digits and `_`"),
        );
        false
    }

    /// A label the user sets: valid syntax and not reserved for Prometheus.
    pub fn label_name(&mut self, name: &Str, what: &str) -> bool {
        let n = name.get_ref();
        if !self.label_syntax(name, what) {
            false
        } else if n.starts_with("__") {
            self.push(
                Finding::error("spec/reserved-label", format!("label `{n}` is reserved for Prometheus ({what})"))
                    .at(name.span())
                    .help("names starting with `__` are internal to Prometheus; choose a name without the prefix"),
            );
            false
        } else {
            true
        }
    }
}

/// Builds the model; the findings decide whether it may be rendered.
pub fn build(spec: &Spec) -> (Model, Vec<Finding>) {
    build_with(spec, &[])
}

/// The model of a spec and the GPU inventories its `[hardware]` names.
pub fn build_with(spec: &Spec, inventories: &[Inventory]) -> (Model, Vec<Finding>) {
    let mut cx = Ctx {
        findings: Vec::new(),
        parsed: super::parse::rules(spec),
    };
    let stack = stack(&mut cx, spec);
    let catalog = catalog(&mut cx, spec);
    let mut hardware = super::hardware::resolve(&mut cx, spec, inventories);
    let jobs = jobs::resolve(&mut cx, spec, &stack, hardware.as_ref());
    if let Some(hw) = hardware.as_mut() {
        if spec.stack.instance_label == crate::spec::InstanceLabel::Address {
            hw.scraped_at(super::known_targets(&jobs, super::GPU_JOB));
        }
    }
    let alertmanagers = jobs::alertmanagers(&mut cx, spec);
    super::addressing::check(&mut cx, spec);
    let extra_rule_files = spec
        .rules
        .extra_files
        .iter()
        .map(|f| f.get_ref().clone())
        .collect();
    let mut groups = rules::resolve(&mut cx, spec, &stack, &catalog);
    let slos = super::slo::resolve(&mut cx, &spec.slo, &catalog, &jobs, stack.scrape_interval);
    for slo in &slos {
        match super::slo_rules::group(slo, &stack.runbook_base_url) {
            Ok(g) => groups.push(g),
            Err(e) => cx.push(
                Finding::error("internal/slo-rules", e)
                    .at(slo.places.name.clone())
                    .help("this is a bug in lloom-monctl: please report it with the SLO"),
            ),
        }
    }
    if let Some(hw) = &hardware {
        groups.extend(super::gpu_rules::group(hw, &stack.runbook_base_url));
    }
    let mut dashboards = super::dashboards_builtin::resolve(&mut cx, spec, &stack, &groups);
    if let Some(hw) = &hardware {
        if let Some(gpus) = super::dashboards_gpu::resolve(&mut cx, hw, &stack) {
            super::dashboards_gpu::attach(&mut dashboards, gpus);
        }
    }
    dashboards.extend(super::dashboards_slo::resolve(&mut cx, &slos, &stack));
    dashboards.extend(dashboards::resolve_spec(&mut cx, &spec.dashboard, &stack));
    // Last, so that every generated alert is in `groups`.
    let mut slo_pages = super::slo_runbooks::pages(&slos).unwrap_or_else(|e| {
        cx.push(
            Finding::error("internal/slo-rules", e)
                .help("this is a bug in lloom-monctl: please report it with the SLO"),
        );
        Vec::new()
    });
    slo_pages.extend(hardware.iter().flat_map(super::gpu_runbooks::pages));
    let runbooks = runbooks::resolve(&mut cx, spec, &stack, &jobs, &groups, slo_pages);
    let alertmanager = spec
        .alertmanager
        .as_ref()
        .map(|a| super::alertmanager::resolve(&mut cx, a));
    let gpu_hosts = super::known_targets(&jobs, super::GPU_JOB)
        .map(|t| t.rsplit_once(':').map_or(t, |(h, _)| h).to_string())
        .collect();
    let deploy = super::deploy::resolve(&mut cx, spec, gpu_hosts);
    let logs = spec
        .logs
        .as_ref()
        .map(|l| super::logs::resolve(&mut cx, l, deploy.loki_push_url()));
    let mut model = Model {
        hardware,
        logs,
        deploy,
        grafana: super::dashboards::GrafanaSettings::resolve(spec.grafana.as_ref()),
        tests: Vec::new(),
        slos,
        alertmanager,
        dashboards,
        runbooks,
        stack,
        jobs,
        alertmanagers,
        extra_rule_files,
        groups,
        catalog,
    };
    // Last: the tests read the whole model.
    model.tests = super::rule_tests::resolve(&mut cx, spec, &model);
    (model, cx.findings)
}

fn stack(cx: &mut Ctx, spec: &Spec) -> Stack {
    let s = &spec.stack;
    let mut external_labels = LabelMap::new();
    if s.name.get_ref().trim().is_empty() {
        cx.push(
            Finding::error("spec/empty", "`stack.name` is empty")
                .at(s.name.span())
                .help("name the stack, e.g. `lloom-prod`"),
        );
    }
    external_labels.insert("cluster".into(), s.name.get_ref().clone());
    if let Some(region) = &s.region {
        external_labels.insert("region".into(), region.get_ref().clone());
    }
    for (k, v) in &s.external_labels {
        if !cx.label_name(k, "external label") {
            continue;
        }
        if external_labels.contains_key(k.get_ref()) {
            cx.push(
                Finding::error("spec/duplicate", format!("external label `{}` is already set by the stack", k.get_ref()))
                    .at(k.span())
                    .help("`cluster` comes from `stack.name` and `region` from `stack.region`; set them there"),
            );
            continue;
        }
        external_labels.insert(k.get_ref().clone(), v.get_ref().clone());
    }
    let scrape_interval = cx
        .duration(s.scrape_interval.as_ref(), "scrape_interval")
        .unwrap_or(Duration::secs(15));
    let evaluation_interval = cx
        .duration(s.evaluation_interval.as_ref(), "evaluation_interval")
        .unwrap_or(Duration::secs(15));
    let scrape_timeout = match cx.duration(s.scrape_timeout.as_ref(), "scrape_timeout") {
        Some(t) if t > scrape_interval => {
            cx.push(
                Finding::error(
                    "spec/timeout-too-long",
                    format!("scrape_timeout {t} is longer than scrape_interval {scrape_interval}"),
                )
                .at_opt(s.scrape_timeout.as_ref().map(|t| t.span()))
                .help("Prometheus refuses a timeout longer than the interval; shorten it"),
            );
            t
        }
        Some(t) => t,
        None => Duration::secs(10).min(scrape_interval),
    };
    let time = cx
        .duration(s.retention.time.as_ref(), "retention.time")
        .unwrap_or(Duration(15 * 24 * 3_600_000));
    let size = s
        .retention
        .size
        .as_ref()
        .and_then(|v| match ByteSize::parse(v.get_ref()) {
            Ok(size) => Some(size),
            Err(e) => {
                cx.push(
                    Finding::error("spec/bad-size", format!("retention.size: {e}"))
                        .at(v.span())
                        .help("write a whole number and a unit, e.g. `100GB`"),
                );
                None
            }
        });
    let url = s.runbook_base_url.get_ref();
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        cx.push(
            Finding::error("spec/bad-url", format!("runbook_base_url `{url}` is not an http(s) URL"))
                .at(s.runbook_base_url.span())
                .help("give the URL under which the runbooks are published, e.g. `https://runbooks.example.org/lloom`"),
        );
    }
    Stack {
        name: s.name.get_ref().clone(),
        external_labels,
        scrape_interval,
        scrape_timeout,
        evaluation_interval,
        retention: Retention { time, size },
        runbook_base_url: url.trim_end_matches('/').to_string(),
    }
}

fn catalog(cx: &mut Ctx, spec: &Spec) -> Catalog {
    let mut catalog = Catalog::builtin();
    if spec.catalog.include_proposed == Some(false) {
        catalog.retain(|m| m.status != Status::Proposed);
    }
    for m in &spec.metric {
        let name = m.name.get_ref();
        if !is_metric_name(name) {
            cx.push(
                Finding::error("spec/bad-metric-name", format!("`{name}` is not a valid metric name"))
                    .at(m.name.span())
                    .help("metric names hold only letters, digits, `_` and `:`, and do not start with a digit"),
            );
            continue;
        }
        let Some(type_) = MetricType::parse(m.type_.get_ref()) else {
            cx.push(
                Finding::error(
                    "spec/unknown-value",
                    format!("unknown metric type `{}`", m.type_.get_ref()),
                )
                .at(m.type_.span())
                .help("use counter, gauge, histogram or summary"),
            );
            continue;
        };
        let exporter = match &m.role {
            None => Exporter::Custom,
            Some(r) => match Exporter::parse(r.get_ref()) {
                Some(e) => e,
                None => {
                    cx.push(
                        Finding::error(
                            "spec/unknown-value",
                            format!("unknown role `{}` for metric `{name}`", r.get_ref()),
                        )
                        .at(r.span())
                        .help("use client, executor, validator, system or custom"),
                    );
                    Exporter::Custom
                }
            },
        };
        let labels = m
            .labels
            .iter()
            .filter(|l| cx.label_name(l, "metric label"))
            .map(|l| l.get_ref().clone())
            .collect();
        let metric = Metric {
            name: name.clone(),
            type_,
            exporter,
            help: m.help.get_ref().clone(),
            labels,
            values: Default::default(),
            unit: None,
            status: Status::Spec,
            decision: None,
        };
        if !catalog.insert(metric) {
            cx.push(
                Finding::error("spec/duplicate", format!("metric `{name}` is already in the catalog"))
                    .at(m.name.span())
                    .help("remove this entry; the built-in catalog (generated/METRICS.md) already defines it"),
            );
        }
    }
    catalog
}
