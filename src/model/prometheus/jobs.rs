//! Scrape jobs: roles, exporters, extra static jobs and discovery, with the
//! checks that need the whole picture (job names, host:port conflicts).
//! Discovery's jobs are in `discovery.rs`.

use super::discovery::discovery_jobs;
use super::relabel::relabels;
use super::targets::{address, check_timeout, metrics_path, static_job, Seen};
use crate::diagnostics::Finding;
use crate::model::core::names::split_host_port;
use crate::model::core::target::Target;
use crate::model::core::{Ctx, ScrapeJob, Stack, Targets, GPU_JOB};
use crate::model::gpu::Hardware;
use crate::spec::{EthereumClient, InstanceLabel, RoleSpec, Spec, SpecCode, StaticJobSpec};
use std::collections::HashSet;
use std::ops::Range;

/// Each Lloom host once, with the place it was first named: the node and
/// GPU exporters run on these hosts.
type LloomHosts = Vec<(String, Range<usize>)>;

/// Every scrape job, in the order the config lists them; each source claims
/// its job names and addresses in `seen`, so later clashes point at the later one.
pub(crate) fn resolve(
    cx: &mut Ctx,
    spec: &Spec,
    stack: &Stack,
    hardware: Option<&Hardware>,
) -> Vec<ScrapeJob> {
    let mut seen = Seen::new(spec.stack.instance_label == InstanceLabel::Host);
    let mut jobs = vec![static_job(
        cx,
        &mut seen,
        "prometheus",
        None,
        &[Target::builtin("localhost:9090")],
        None,
    )];
    let lloom_hosts = role_jobs(cx, &mut seen, spec, stack, &mut jobs);
    jobs.extend(node_job(cx, &mut seen, spec, &lloom_hosts));
    jobs.extend(gpu_job(cx, &mut seen, spec, hardware, &lloom_hosts));
    jobs.extend(ethereum_job(cx, &mut seen, spec));
    for s in &spec.scrape {
        jobs.push(extra_job(cx, &mut seen, s, stack));
    }
    discovery_jobs(cx, &mut seen, &spec.discovery, &mut jobs);
    jobs.extend(alertmanager_job(cx, &mut seen, spec));
    jobs
}

/// One job per Lloom role; returns the roles' hosts, where the exporters run.
fn role_jobs(
    cx: &mut Ctx,
    seen: &mut Seen,
    spec: &Spec,
    stack: &Stack,
    jobs: &mut Vec<ScrapeJob>,
) -> LloomHosts {
    let roles = [
        ("client", spec.roles.client.as_ref(), 9091),
        ("executor", spec.roles.executor.as_ref(), 9092),
        ("validator", spec.roles.validator.as_ref(), 9093),
    ];
    let mut lloom_hosts = LloomHosts::new();
    // The same hosts, to keep the check for "seen" linear in the host count.
    let mut lloom_host_set: HashSet<&str> = HashSet::new();
    for (role, rs, default_port) in roles {
        let Some(rs) = rs else { continue };
        if rs.hosts.is_empty() {
            cx.push(
                Finding::new(SpecCode::NoHosts, format!("role `{role}` has no hosts")).help(
                    format!(
                        "list its hosts in `[roles.{role}] hosts = [..]`, or remove the section"
                    ),
                ),
            );
            continue;
        }
        jobs.push(role_job(cx, seen, role, rs, default_port, stack));
        for h in &rs.hosts {
            if let Ok((host, _)) = split_host_port(h.get_ref()) {
                if lloom_host_set.insert(host) {
                    lloom_hosts.push((host.to_string(), h.span()));
                }
            }
        }
    }
    lloom_hosts
}

fn role_job(
    cx: &mut Ctx,
    seen: &mut Seen,
    role: &str,
    rs: &RoleSpec,
    default_port: u16,
    stack: &Stack,
) -> ScrapeJob {
    let port = rs.port.as_ref().map_or(default_port, |p| *p.get_ref());
    let targets: Vec<Target> = rs.hosts.iter().map(|h| Target::host(h, port)).collect();
    let mut job = static_job(
        cx,
        seen,
        &format!("lloom-{role}"),
        None,
        &targets,
        Some(&rs.labels),
    );
    job.scrape_interval = cx.duration(rs.scrape_interval.as_ref(), "scrape_interval");
    job.scrape_timeout = cx.duration(rs.scrape_timeout.as_ref(), "scrape_timeout");
    job.metrics_path = metrics_path(cx, rs.metrics_path.as_ref());
    job.relabel.extend(relabels(cx, &rs.relabel));
    check_timeout(cx, &job, rs.scrape_timeout.as_ref(), stack);
    job
}

/// The node exporter, on every Lloom host and its `extra_hosts`.
fn node_job(
    cx: &mut Ctx,
    seen: &mut Seen,
    spec: &Spec,
    lloom_hosts: &LloomHosts,
) -> Option<ScrapeJob> {
    let node = spec.exporters.node.as_ref()?;
    let port = node.port.as_ref().map_or(9100, |p| *p.get_ref());
    let mut targets: Vec<Target> = lloom_hosts
        .iter()
        .map(|(h, at)| Target::derived(h, at.clone(), port))
        .collect();
    targets.extend(node.extra_hosts.iter().map(|h| Target::host(h, port)));
    let mut job = static_job(cx, seen, "node", None, &targets, None);
    job.scrape_interval = cx.duration(node.scrape_interval.as_ref(), "scrape_interval");
    Some(job)
}

/// The GPU exporter, on its `hosts` or else the executors; under
/// `[hardware]` only where the inventories list GPUs.
fn gpu_job(
    cx: &mut Ctx,
    seen: &mut Seen,
    spec: &Spec,
    hardware: Option<&Hardware>,
    lloom_hosts: &LloomHosts,
) -> Option<ScrapeJob> {
    let gpu = spec.exporters.gpu.as_ref()?;
    let port = gpu
        .port
        .as_ref()
        .map_or(gpu.kind.default_port(), |p| *p.get_ref());
    let targets = match &gpu.hosts {
        Some(hosts) => hosts.iter().map(|h| Target::host(h, port)).collect(),
        None => executor_targets(spec, lloom_hosts, port),
    };
    let targets = match hardware {
        Some(hw) => hw.fit(cx, targets, lloom_hosts),
        None => targets,
    };
    if targets.is_empty() && hardware.is_some() {
        // The inventories say there is no GPU to watch: not a mistake.
        return None;
    }
    if targets.is_empty() {
        cx.push(
            Finding::new(
                SpecCode::NoHosts,
                "the GPU exporter has no hosts: no executors and no `hosts`",
            )
            .help("list the GPU hosts in `[exporters.gpu] hosts = [..]`"),
        );
        return None;
    }
    let mut job = static_job(cx, seen, GPU_JOB, None, &targets, None);
    job.scrape_interval = cx.duration(gpu.scrape_interval.as_ref(), "scrape_interval");
    if let Some(hw) = hardware {
        job.targets = hw.target_file(&job.targets);
    }
    Some(job)
}

/// Each executor host once, even if it runs several executors.
fn executor_targets<'a>(spec: &Spec, lloom_hosts: &'a LloomHosts, port: u16) -> Vec<Target<'a>> {
    let executors: HashSet<&str> = spec
        .roles
        .executor
        .iter()
        .flat_map(|r| r.hosts.iter())
        .filter_map(|h| split_host_port(h.get_ref()).ok().map(|(host, _)| host))
        .collect();
    lloom_hosts
        .iter()
        .filter(|(h, _)| executors.contains(h.as_str()))
        .map(|(h, at)| Target::derived(h, at.clone(), port))
        .collect()
}

/// The Ethereum client's own metrics, on the path its `client` serves them.
fn ethereum_job(cx: &mut Ctx, seen: &mut Seen, spec: &Spec) -> Option<ScrapeJob> {
    let eth = spec.exporters.ethereum.as_ref()?;
    let targets: Vec<Target> = eth.targets.iter().map(Target::address).collect();
    let mut job = static_job(cx, seen, "ethereum", None, &targets, None);
    job.scrape_interval = cx.duration(eth.scrape_interval.as_ref(), "scrape_interval");
    job.metrics_path = metrics_path(cx, eth.metrics_path.as_ref()).or(match eth.client {
        EthereumClient::Geth => Some("/debug/metrics/prometheus".into()),
        EthereumClient::Reth => Some("/".into()),
        EthereumClient::Other => None,
    });
    Some(job)
}

/// One `[[scrape]]` job, written by the operator.
fn extra_job(cx: &mut Ctx, seen: &mut Seen, s: &StaticJobSpec, stack: &Stack) -> ScrapeJob {
    let targets: Vec<Target> = s.targets.iter().map(Target::address).collect();
    let mut job = static_job(
        cx,
        seen,
        s.job.get_ref(),
        Some(&s.job),
        &targets,
        Some(&s.labels),
    );
    job.scrape_interval = cx.duration(s.scrape_interval.as_ref(), "scrape_interval");
    job.scrape_timeout = cx.duration(s.scrape_timeout.as_ref(), "scrape_timeout");
    job.metrics_path = metrics_path(cx, s.metrics_path.as_ref());
    job.scheme = s
        .scheme
        .as_ref()
        .and_then(|sc| match sc.get_ref().as_str() {
            "http" | "https" => Some(sc.get_ref().clone()),
            other => {
                cx.push(
                    Finding::new(SpecCode::UnknownValue, format!("unknown scheme `{other}`"))
                        .at(sc.span())
                        .help("use `http` or `https`"),
                );
                None
            }
        });
    job.relabel.extend(relabels(cx, &s.relabel));
    check_timeout(cx, &job, s.scrape_timeout.as_ref(), stack);
    job
}

/// Alertmanager itself, scraped on the address it is reached at.
fn alertmanager_job(cx: &mut Ctx, seen: &mut Seen, spec: &Spec) -> Option<ScrapeJob> {
    if spec.alerting.alertmanagers.is_empty() {
        return None;
    }
    // A bad address is reported once, by `alertmanagers`; it is not scraped.
    let targets: Vec<Target> = spec
        .alerting
        .alertmanagers
        .iter()
        .filter(|a| split_host_port(a.get_ref()).is_ok())
        .map(Target::address)
        .collect();
    if targets.is_empty() {
        return None;
    }
    Some(static_job(cx, seen, "alertmanager", None, &targets, None))
}

pub(crate) fn alertmanagers(cx: &mut Ctx, spec: &Spec) -> Vec<String> {
    spec.alerting
        .alertmanagers
        .iter()
        .filter(|a| address(cx, a, true))
        .map(|a| a.get_ref().clone())
        .collect()
}

impl ScrapeJob {
    pub(crate) fn named(name: &str) -> ScrapeJob {
        ScrapeJob {
            name: name.to_string(),
            scrape_interval: None,
            scrape_timeout: None,
            metrics_path: None,
            scheme: None,
            targets: Targets::Static(Vec::new()),
            relabel: Vec::new(),
        }
    }
}
