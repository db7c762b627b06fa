//! Scrape jobs: roles, exporters, extra static jobs and discovery, with the
//! checks that need the whole picture (job names, host:port conflicts).

use super::relabel::{kubernetes_relabels, relabels};
use super::targets::{address, check_timeout, claim_job, metrics_path, static_job, Seen};
use crate::diagnostics::Finding;
use crate::model::core::names::split_host_port;
use crate::model::core::target::Target;
use crate::model::core::{Ctx, Relabel, ScrapeJob, Stack, Targets};
use crate::model::gpu::Hardware;
use crate::spec::{EthereumClient, InstanceLabel, Spec, SpecCode};
use std::collections::HashSet;
use std::ops::Range;

pub(crate) fn resolve(
    cx: &mut Ctx,
    spec: &Spec,
    stack: &Stack,
    hardware: Option<&Hardware>,
) -> Vec<ScrapeJob> {
    let mut seen = Seen::new(spec.stack.instance_label == InstanceLabel::Host);
    let mut jobs = Vec::new();

    jobs.push(static_job(
        cx,
        &mut seen,
        "prometheus",
        None,
        &[Target::builtin("localhost:9090")],
        None,
    ));
    let roles = [
        ("client", spec.roles.client.as_ref(), 9091),
        ("executor", spec.roles.executor.as_ref(), 9092),
        ("validator", spec.roles.validator.as_ref(), 9093),
    ];
    // Each Lloom host once, with the place it was first named.
    let mut lloom_hosts: Vec<(String, Range<usize>)> = Vec::new();
    // The same hosts, to keep the check for "seen" linear in the host count.
    let mut lloom_host_set: HashSet<&str> = HashSet::new();
    for (role, rs, default_port) in roles {
        let Some(rs) = rs else { continue };
        let port = rs.port.as_ref().map_or(default_port, |p| *p.get_ref());
        let targets: Vec<Target> = rs.hosts.iter().map(|h| Target::host(h, port)).collect();
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
        let mut job = static_job(
            cx,
            &mut seen,
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
        for h in &rs.hosts {
            if let Ok((host, _)) = split_host_port(h.get_ref()) {
                if lloom_host_set.insert(host) {
                    lloom_hosts.push((host.to_string(), h.span()));
                }
            }
        }
        jobs.push(job);
    }

    if let Some(node) = &spec.exporters.node {
        let port = node.port.as_ref().map_or(9100, |p| *p.get_ref());
        let mut targets: Vec<Target> = lloom_hosts
            .iter()
            .map(|(h, at)| Target::derived(h, at.clone(), port))
            .collect();
        targets.extend(node.extra_hosts.iter().map(|h| Target::host(h, port)));
        let mut job = static_job(cx, &mut seen, "node", None, &targets, None);
        job.scrape_interval = cx.duration(node.scrape_interval.as_ref(), "scrape_interval");
        jobs.push(job);
    }

    if let Some(gpu) = &spec.exporters.gpu {
        let port = gpu
            .port
            .as_ref()
            .map_or(gpu.kind.default_port(), |p| *p.get_ref());
        let targets: Vec<Target> = match &gpu.hosts {
            Some(hosts) => hosts.iter().map(|h| Target::host(h, port)).collect(),
            // Each executor host once, even if it runs several executors.
            None => {
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
        };
        let targets = match hardware {
            Some(hw) => hw.fit(cx, targets, &lloom_hosts),
            None => targets,
        };
        if targets.is_empty() && hardware.is_some() {
            // The inventories say there is no GPU to watch: not a mistake.
        } else if targets.is_empty() {
            cx.push(
                Finding::new(
                    SpecCode::NoHosts,
                    "the GPU exporter has no hosts: no executors and no `hosts`",
                )
                .help("list the GPU hosts in `[exporters.gpu] hosts = [..]`"),
            );
        } else {
            let mut job = static_job(
                cx,
                &mut seen,
                crate::model::core::GPU_JOB,
                None,
                &targets,
                None,
            );
            job.scrape_interval = cx.duration(gpu.scrape_interval.as_ref(), "scrape_interval");
            if let Some(hw) = hardware {
                job.targets = hw.target_file(&job.targets);
            }
            jobs.push(job);
        }
    }

    if let Some(eth) = &spec.exporters.ethereum {
        let targets: Vec<Target> = eth.targets.iter().map(Target::address).collect();
        let mut job = static_job(cx, &mut seen, "ethereum", None, &targets, None);
        job.scrape_interval = cx.duration(eth.scrape_interval.as_ref(), "scrape_interval");
        job.metrics_path = metrics_path(cx, eth.metrics_path.as_ref()).or(match eth.client {
            EthereumClient::Geth => Some("/debug/metrics/prometheus".into()),
            EthereumClient::Reth => Some("/".into()),
            EthereumClient::Other => None,
        });
        jobs.push(job);
    }

    for s in &spec.scrape {
        let targets: Vec<Target> = s.targets.iter().map(Target::address).collect();
        let mut job = static_job(
            cx,
            &mut seen,
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
        jobs.push(job);
    }

    let d = &spec.discovery;
    for f in &d.file_sd {
        claim_job(cx, &mut seen, f.job.get_ref(), Some(&f.job));
        if f.files.is_empty() {
            cx.push(
                Finding::new(
                    SpecCode::Empty,
                    format!("file_sd job `{}` lists no files", f.job.get_ref()),
                )
                .at(f.job.span())
                .help("add `files = [\"targets/*.json\"]`"),
            );
        }
        jobs.push(ScrapeJob {
            scrape_interval: cx.duration(f.scrape_interval.as_ref(), "scrape_interval"),
            metrics_path: metrics_path(cx, f.metrics_path.as_ref()),
            targets: Targets::Files {
                files: f.files.iter().map(|x| x.get_ref().clone()).collect(),
                refresh_interval: cx.duration(f.refresh_interval.as_ref(), "refresh_interval"),
                labels: f
                    .labels
                    .iter()
                    .filter(|l| cx.label_name(l, "file_sd label"))
                    .map(|l| l.get_ref().clone())
                    .collect(),
                generated: Vec::new(),
            },
            ..ScrapeJob::named(f.job.get_ref())
        });
    }
    if let Some(k) = &d.kubernetes {
        let name = k.job.as_ref().map_or("lloom-k8s", |j| j.get_ref().as_str());
        claim_job(cx, &mut seen, name, k.job.as_ref());
        jobs.push(ScrapeJob {
            scrape_interval: cx.duration(k.scrape_interval.as_ref(), "scrape_interval"),
            targets: Targets::KubernetesPods {
                namespaces: k.namespaces.iter().map(|n| n.get_ref().clone()).collect(),
            },
            relabel: kubernetes_relabels(),
            ..ScrapeJob::named(name)
        });
    }
    if let Some(c) = &d.consul {
        let name = c
            .job
            .as_ref()
            .map_or("lloom-consul", |j| j.get_ref().as_str());
        claim_job(cx, &mut seen, name, c.job.as_ref());
        address(cx, &c.server, true);
        if c.services.is_empty() {
            cx.push(
                Finding::new(SpecCode::ConsulNoServices, "consul discovery lists no services: every service in the catalog will be scraped")
                    .at(c.server.span())
                    .help("list the Lloom services, e.g. `services = [\"lloom-client\", \"lloom-executor\", \"lloom-validator\"]`"),
            );
        }
        jobs.push(ScrapeJob {
            scrape_interval: cx.duration(c.scrape_interval.as_ref(), "scrape_interval"),
            targets: Targets::Consul {
                server: c.server.get_ref().clone(),
                services: c.services.iter().map(|s| s.get_ref().clone()).collect(),
                token_file: c.token_file.as_ref().map(|t| t.get_ref().clone()),
            },
            relabel: vec![Relabel {
                source_labels: vec!["__meta_consul_service".into()],
                target_label: Some("service".into()),
                ..Relabel::default()
            }],
            ..ScrapeJob::named(name)
        });
    }

    if !spec.alerting.alertmanagers.is_empty() {
        let targets: Vec<Target> = spec
            .alerting
            .alertmanagers
            .iter()
            .map(Target::address)
            .collect();
        // Alertmanager is scraped on the address it is reached at.
        jobs.push(static_job(
            cx,
            &mut seen,
            "alertmanager",
            None,
            &targets,
            None,
        ));
    }
    jobs
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
