//! Static targets: address checks, one owner per host:port, unique job names.

use super::relabel::instance_from_host;
use crate::diagnostics::Finding;
use crate::model::core::names::{check_url_path, is_simple_name, split_host_port};
use crate::model::core::target::Target;
use crate::model::core::{Ctx, ScrapeJob, Stack, TargetGroup, Targets};
use crate::spec::{SpecCode, Str};
use std::collections::BTreeMap;
use std::ops::Range;

/// Everything scraped so far, to find clashes.
pub(crate) struct Seen {
    /// (host, port) → job that scrapes it.
    addresses: BTreeMap<(String, u16), String>,
    /// job name → where it was declared.
    jobs: BTreeMap<String, Option<Range<usize>>>,
    /// `instance` holds the host only, so one job may not scrape a host twice.
    instance_host: bool,
}

impl Seen {
    pub(crate) fn new(instance_host: bool) -> Seen {
        Seen {
            addresses: BTreeMap::new(),
            jobs: BTreeMap::new(),
            instance_host,
        }
    }
}

pub(crate) fn claim_job(cx: &mut Ctx, seen: &mut Seen, name: &str, at: Option<&Str>) -> bool {
    let span = at.map(|a| a.span());
    if !is_simple_name(name) {
        cx.push(
            Finding::new(
                SpecCode::BadName,
                format!("job name `{name}` is not usable"),
            )
            .at_opt(span)
            .help("use letters, digits, `-` and `_`, at most 100 of them"),
        );
        return false;
    }
    if seen.jobs.contains_key(name) {
        cx.push(
            Finding::new(SpecCode::Duplicate, format!("job `{name}` is defined twice"))
                .at_opt(span)
                .label("second definition")
                .help("job names must be unique; `prometheus`, `lloom-<role>`, `node`, `nvidia-gpu`, `ethereum` and `alertmanager` are taken by built-in jobs"),
        );
        return false;
    }
    seen.jobs.insert(name.to_string(), span);
    true
}

pub(crate) fn static_job(
    cx: &mut Ctx,
    seen: &mut Seen,
    name: &str,
    at: Option<&Str>,
    targets: &[Target],
    labels: Option<&crate::spec::Labels>,
) -> ScrapeJob {
    claim_job(cx, seen, name, at);
    let mut hosts_in_job: BTreeMap<String, ()> = BTreeMap::new();
    let mut out = Vec::new();
    for t in targets {
        let text = t.text.get_ref();
        let span = (!t.builtin).then(|| t.text.span());
        let (host, explicit_port) = match split_host_port(text) {
            Ok((h, p)) => (h.to_string(), p),
            Err(e) => {
                cx.push(
                    Finding::new(SpecCode::BadTarget, e)
                        .at_opt(span)
                        .help("write `host` or `host:port`"),
                );
                continue;
            }
        };
        let port = explicit_port.or(t.default_port);
        let Some(port) = port else {
            cx.push(
                Finding::new(SpecCode::BadTarget, format!("target `{text}` has no port"))
                    .at_opt(span)
                    .help("write `host:port`"),
            );
            continue;
        };
        let key = (host.to_ascii_lowercase(), port);
        if let Some(other) = seen.addresses.get(&key) {
            cx.push(
                Finding::new(
                    SpecCode::PortConflict,
                    format!("{host}:{port} is scraped by job `{other}` already"),
                )
                .at_opt(span)
                .label(format!("also claimed by `{name}`"))
                .help(
                    "two exporters cannot listen on one host:port; give one of them another port",
                ),
            );
            continue;
        }
        if seen.instance_host && hosts_in_job.insert(key.0.clone(), ()).is_some() {
            cx.push(
                Finding::new(SpecCode::InstanceClash, format!("job `{name}` has two targets on host `{host}`"))
                    .at_opt(span)
                    .help("with `instance_label = \"host\"` both would get `instance=\"{host}\"` and their series would collide; set `instance_label = \"address\"` in [stack] or split the job"),
            );
        }
        seen.addresses.insert(key, name.to_string());
        let address = if explicit_port.is_some() {
            text.clone()
        } else {
            format!("{text}:{port}")
        };
        out.push(address);
    }
    let labels = labels
        .map(|l| cx.labels(l, "target label"))
        .unwrap_or_default();
    ScrapeJob {
        targets: Targets::Static(vec![TargetGroup {
            targets: out,
            labels,
        }]),
        relabel: if seen.instance_host {
            vec![instance_from_host()]
        } else {
            Vec::new()
        },
        ..ScrapeJob::named(name)
    }
}

pub(crate) fn check_timeout(cx: &mut Ctx, job: &ScrapeJob, timeout: Option<&Str>, stack: &Stack) {
    let interval = job.scrape_interval.unwrap_or(stack.scrape_interval);
    if let (Some(t), Some(at)) = (job.scrape_timeout, timeout) {
        if t > interval {
            cx.push(
                Finding::new(SpecCode::TimeoutTooLong, format!("job `{}`: scrape_timeout {t} is longer than its scrape_interval {interval}", job.name))
                    .at(at.span())
                    .help("Prometheus refuses a timeout longer than the interval; shorten it"),
            );
        }
    }
}

pub(crate) fn metrics_path(cx: &mut Ctx, path: Option<&Str>) -> Option<String> {
    let p = path?;
    if let Err(e) = check_url_path(p.get_ref()) {
        cx.push(
            Finding::new(SpecCode::BadPath, format!("metrics_path: {e}"))
                .at(p.span())
                .help("write an absolute URL path such as `/metrics`"),
        );
        return None;
    }
    Some(p.get_ref().clone())
}

/// Checks a `host:port` address; `port_required` for addresses that have no default port.
pub(crate) fn address(cx: &mut Ctx, a: &Str, port_required: bool) -> bool {
    match split_host_port(a.get_ref()) {
        Ok((_, None)) if port_required => {
            cx.push(
                Finding::new(
                    SpecCode::BadTarget,
                    format!("`{}` has no port", a.get_ref()),
                )
                .at(a.span())
                .help("write `host:port`"),
            );
            false
        }
        Ok(_) => true,
        Err(e) => {
            cx.push(
                Finding::new(SpecCode::BadTarget, e)
                    .at(a.span())
                    .help("write `host:port`"),
            );
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::test_spec::findings;

    /// A role's hosts and metrics path go into prometheus.yml: a NUL, a
    /// newline or a megabyte there must stop at the spec.
    fn role(hosts: &str, path: &str, code: &str) -> usize {
        let spec = format!("[roles.executor]\nhosts = [{hosts}]\nmetrics_path = \"{path}\"\n");
        findings(&spec, code).len()
    }

    #[test]
    fn control_characters_and_huge_hosts_are_refused() {
        for bad in ["\"e1\\u0000\"", "\"e1\\n\"", "\"e1\\u001b:9100\""] {
            assert_eq!(role(bad, "/metrics", "spec/bad-target"), 1, "{bad}");
        }
        let huge = format!("\"{}\"", "e".repeat(1 << 20));
        assert_eq!(role(&huge, "/metrics", "spec/bad-target"), 1);
        assert_eq!(
            role("\"e1\", \"e2:9100\"", "/metrics", "spec/bad-target"),
            0
        );
    }

    #[test]
    fn every_other_host_of_the_spec_is_checked_too() {
        let sections = [
            "[exporters.node]\nextra_hosts = [\"h\\u0000\"]\n",
            "[alerting]\nalertmanagers = [\"am\\n:9093\"]\n",
            "[discovery.consul]\nserver = \"consul\\u0000:8500\"\nservices = [\"x\"]\n",
        ];
        for spec in sections {
            assert_eq!(findings(spec, "spec/bad-target").len(), 1, "{spec}");
        }
    }

    #[test]
    fn control_characters_and_huge_metrics_paths_are_refused() {
        for bad in ["/metrics\\u0000", "/met\\nrics", "/m\\u007f"] {
            assert_eq!(role("\"e1\"", bad, "spec/bad-path"), 1, "{bad}");
        }
        let huge = format!("/{}", "m".repeat(1 << 20));
        assert_eq!(role("\"e1\"", &huge, "spec/bad-path"), 1);
        assert_eq!(role("\"e1\"", "/metrics", "spec/bad-path"), 0);
    }
}
