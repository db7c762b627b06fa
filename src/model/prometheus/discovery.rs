//! Scrape jobs whose targets are found at run time: file_sd, Kubernetes
//! pods and Consul services.

use super::file_patterns::{self, Pattern};
use super::relabel::kubernetes_relabels;
use super::targets::{address, claim_job, metrics_path, Seen};
use crate::diagnostics::Finding;
use crate::model::core::{inline_secret, Ctx, Relabel, ScrapeJob, Targets};
use crate::spec::{ConsulSpec, DiscoverySpec, FileSdSpec, KubernetesSpec, SpecCode};

/// The `[discovery]` jobs, after the static ones: file_sd, then Kubernetes,
/// then Consul.
pub(crate) fn discovery_jobs(
    cx: &mut Ctx,
    seen: &mut Seen,
    d: &DiscoverySpec,
    jobs: &mut Vec<ScrapeJob>,
) {
    for f in &d.file_sd {
        jobs.push(file_sd_job(cx, seen, f));
    }
    if let Some(k) = &d.kubernetes {
        jobs.push(kubernetes_job(cx, seen, k));
    }
    if let Some(c) = &d.consul {
        jobs.push(consul_job(cx, seen, c));
    }
}

fn file_sd_job(cx: &mut Ctx, seen: &mut Seen, f: &FileSdSpec) -> ScrapeJob {
    claim_job(cx, seen, f.job.get_ref(), Some(&f.job));
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
    ScrapeJob {
        scrape_interval: cx.duration(f.scrape_interval.as_ref(), "scrape_interval"),
        metrics_path: metrics_path(cx, f.metrics_path.as_ref()),
        targets: Targets::Files {
            files: f
                .files
                .iter()
                .filter(|x| file_patterns::check(cx, x, Pattern::FileSd))
                .map(|x| x.get_ref().clone())
                .collect(),
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
    }
}

fn kubernetes_job(cx: &mut Ctx, seen: &mut Seen, k: &KubernetesSpec) -> ScrapeJob {
    let name = k.job.as_ref().map_or("lloom-k8s", |j| j.get_ref().as_str());
    claim_job(cx, seen, name, k.job.as_ref());
    ScrapeJob {
        scrape_interval: cx.duration(k.scrape_interval.as_ref(), "scrape_interval"),
        targets: Targets::KubernetesPods {
            namespaces: k.namespaces.iter().map(|n| n.get_ref().clone()).collect(),
        },
        relabel: kubernetes_relabels(),
        ..ScrapeJob::named(name)
    }
}

fn consul_job(cx: &mut Ctx, seen: &mut Seen, c: &ConsulSpec) -> ScrapeJob {
    inline_secret(cx, c.token.as_ref(), "token", "token_file");
    let name = c
        .job
        .as_ref()
        .map_or("lloom-consul", |j| j.get_ref().as_str());
    claim_job(cx, seen, name, c.job.as_ref());
    address(cx, &c.server, true);
    if c.services.is_empty() {
        cx.push(
            Finding::new(SpecCode::ConsulNoServices, "consul discovery lists no services: every service in the catalog will be scraped")
                .at(c.server.span())
                .help("list the Lloom services, e.g. `services = [\"lloom-client\", \"lloom-executor\", \"lloom-validator\"]`"),
        );
    }
    ScrapeJob {
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
    }
}
