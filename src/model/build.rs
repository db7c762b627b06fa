//! Spec → model: the one place that names every concern. Each step resolves
//! one concern from the spec and what earlier steps resolved, and writes its
//! findings to the shared [`Ctx`]; the order below is the order of the data.

use super::core::promtool::{add_case, RuleTestFile};
use super::core::runbook::Runbook;
use super::core::{parse, Ctx, Dashboard, RuleGroup, Stack, GPU_JOB};
use super::gpu::Hardware;
use super::prometheus::file_patterns::Pattern;
use super::{
    alerting, catalog, dashboards, deploy, gpu, known_targets, logs, prometheus, rules, runbooks,
    slo, Model,
};
use crate::catalog::Catalog;
use crate::diagnostics::Finding;
use crate::discover::inventory::Inventory;
use crate::spec::{InstanceLabel, Spec, SpecCode};

/// Builds the model; the findings decide whether it may be rendered.
pub fn build(spec: &Spec) -> (Model, Vec<Finding>) {
    build_with(spec, &[])
}

/// The model of a spec and the GPU inventories its `[hardware]` names.
pub fn build_with(spec: &Spec, inventories: &[Inventory]) -> (Model, Vec<Finding>) {
    let mut cx = Ctx {
        findings: Vec::new(),
        parsed: parse::rules(spec),
    };
    let stack = prometheus::stack::resolve(&mut cx, spec);
    let catalog = catalog::resolve(&mut cx, spec);
    let mut hardware = gpu::resolve(&mut cx, spec, inventories);
    let jobs = prometheus::jobs::resolve(&mut cx, spec, &stack, hardware.as_ref());
    if let Some(hw) = hardware.as_mut() {
        if spec.stack.instance_label == InstanceLabel::Address {
            hw.scraped_at(known_targets(&jobs, GPU_JOB));
        }
    }
    let alertmanagers = prometheus::jobs::alertmanagers(&mut cx, spec);
    deploy::addressing::check(&mut cx, spec);
    let extra_rule_files: Vec<String> = spec
        .rules
        .extra_files
        .iter()
        .filter(|f| prometheus::file_patterns::check(&mut cx, f, Pattern::RuleFile))
        .map(|f| f.get_ref().clone())
        .collect();
    let mut groups = rules::custom::resolve(&mut cx, spec, &stack, &catalog);
    let slos = slo::resolve(&mut cx, &spec.slo, &catalog, &jobs, stack.scrape_interval);
    groups.extend(slo_groups(&mut cx, &slos, &stack));
    groups.extend(
        hardware
            .as_ref()
            .and_then(|hw| gpu::rules::group(hw, &stack.runbook_base_url)),
    );
    rules::templates::check_all(&mut cx, &groups);
    let dashboards = all_dashboards(&mut cx, spec, &stack, &groups, &slos, hardware.as_ref());
    // Last, so that every generated alert is in `groups`.
    let pages = generated_pages(&mut cx, &slos, hardware.as_ref());
    let runbooks = runbooks::resolve(&mut cx, spec, &stack, &jobs, &groups, pages);
    let alertmanager = spec
        .alertmanager
        .as_ref()
        .map(|a| alerting::resolve(&mut cx, a));
    let gpu_hosts = known_targets(&jobs, GPU_JOB)
        .map(|t| t.rsplit_once(':').map_or(t, |(h, _)| h).to_string())
        .collect();
    let deploy = deploy::resolve(&mut cx, spec, gpu_hosts);
    let logs = spec
        .logs
        .as_ref()
        .map(|l| logs::resolve(&mut cx, l, deploy.loki_push_url()));
    let tests = rule_tests(
        &mut cx,
        Tested {
            spec,
            groups: &groups,
            stack: &stack,
            jobs: &jobs,
            slos: &slos,
            catalog: &catalog,
            hardware: hardware.as_ref(),
        },
    );
    let model = Model {
        hardware,
        logs,
        deploy,
        grafana: dashboards::GrafanaSettings::resolve(spec.grafana.as_ref()),
        tests,
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
    (model, cx.findings)
}

/// The built-in dashboards, the GPU rows, the SLO dashboard and the spec's,
/// in the order Grafana's folder lists them.
fn all_dashboards(
    cx: &mut Ctx,
    spec: &Spec,
    stack: &Stack,
    groups: &[RuleGroup],
    slos: &[slo::Slo],
    hardware: Option<&Hardware>,
) -> Vec<Dashboard> {
    let mut dashboards = dashboards::builtin::resolve(cx, spec, stack, groups);
    if let Some(gpus) = hardware.and_then(|hw| gpu::dashboard::resolve(cx, hw, stack)) {
        gpu::dashboard::attach(&mut dashboards, gpus);
    }
    dashboards.extend(slo::dashboard::resolve(cx, slos, stack));
    dashboards.extend(dashboards::resolve_spec(cx, &spec.dashboard, stack));
    dashboards
}

/// The runbook pages the SLOs and the GPU alerts bring; the pack's and the
/// spec's alerts are paged by `runbooks::resolve`.
fn generated_pages(cx: &mut Ctx, slos: &[slo::Slo], hardware: Option<&Hardware>) -> Vec<Runbook> {
    let mut pages = slo::runbooks::pages(slos).unwrap_or_else(|e| {
        cx.push(internal_slo(e));
        Vec::new()
    });
    pages.extend(hardware.into_iter().flat_map(gpu::runbooks::pages));
    pages
}

/// One rule group per SLO.
fn slo_groups(cx: &mut Ctx, slos: &[slo::Slo], stack: &Stack) -> Vec<RuleGroup> {
    let mut groups = Vec::new();
    for s in slos {
        match slo::rules::group(s, &stack.runbook_base_url) {
            Ok(g) => groups.push(g),
            Err(e) => cx.push(internal_slo(e).at(s.places.name.clone())),
        }
    }
    groups
}

fn internal_slo(e: String) -> Finding {
    Finding::new(SpecCode::SloRules, e)
        .help("this is a bug in lloom-monctl: please report it with the SLO")
}

/// What the promtool cases are stated from: everything that makes rules.
struct Tested<'a> {
    spec: &'a Spec,
    groups: &'a [RuleGroup],
    stack: &'a Stack,
    jobs: &'a [super::core::ScrapeJob],
    slos: &'a [slo::Slo],
    catalog: &'a Catalog,
    hardware: Option<&'a Hardware>,
}

/// promtool rule unit tests, one file per rule group that has cases: the
/// built-in pack's, the SLOs', the GPU alerts' and the spec's `[[test]]`s.
fn rule_tests(cx: &mut Ctx, t: Tested) -> Vec<RuleTestFile> {
    let labels = &t.stack.external_labels;
    let mut cases = rules::builtin_cases::cases(cx, t.spec, t.groups, t.stack, t.jobs);
    cases.extend(slo::cases::cases(t.slos, t.groups, t.catalog, labels));
    let mut files = Vec::new();
    let interval = t.stack.evaluation_interval;
    for (group, case) in cases {
        add_case(&mut files, t.groups, interval, &group, case);
    }
    slo::cases::steady(&mut files, t.slos);
    let gpu = t.hardware.map(|hw| gpu::cases::cases(hw, t.groups, labels));
    match gpu.unwrap_or(Ok(Vec::new())) {
        Ok(cases) => {
            for (group, case) in cases {
                add_case(&mut files, t.groups, interval, &group, case);
            }
        }
        Err(why) => cx.push(
            Finding::new(
                SpecCode::GpuTests,
                format!("the GPU rule tests cannot be stated: {why}"),
            )
            .help("this is a bug in lloom-monctl: please report it with the inventories"),
        ),
    }
    for (group, case) in rules::spec_cases::cases(cx, t.spec, t.groups, labels) {
        add_case(&mut files, t.groups, interval, &group, case);
    }
    files
}
