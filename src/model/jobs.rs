//! Scrape jobs: roles, exporters, extra static jobs and discovery, with the
//! checks that need the whole picture (job names, host:port conflicts).

use super::build::Ctx;
use super::names::{is_simple_name, split_host_port};
use super::{Relabel, ScrapeJob, Stack, TargetGroup, Targets};
use crate::diagnostics::Finding;
use crate::spec::{
    EthereumClient, GpuExporterKind, InstanceLabel, RelabelAction, RelabelSpec, Spec, Str,
};
use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

/// The guide's rule: `instance` is the host without its port, so that metrics
/// of one machine from different exporters join on `instance`.
fn instance_from_host() -> Relabel {
    Relabel {
        source_labels: vec!["__address__".into()],
        target_label: Some("instance".into()),
        regex: Some("([^:]+):.*".into()),
        replacement: Some("$1".into()),
        ..Relabel::default()
    }
}

/// Everything scraped so far, to find clashes.
struct Seen {
    /// (host, port) → job that scrapes it.
    addresses: BTreeMap<(String, u16), String>,
    /// job name → where it was declared.
    jobs: BTreeMap<String, Option<Range<usize>>>,
    instance_host: bool,
}

pub(super) fn resolve(cx: &mut Ctx, spec: &Spec, stack: &Stack) -> Vec<ScrapeJob> {
    let mut seen = Seen {
        addresses: BTreeMap::new(),
        jobs: BTreeMap::new(),
        instance_host: spec.stack.instance_label == InstanceLabel::Host,
    };
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
                Finding::warning("spec/no-hosts", format!("role `{role}` has no hosts")).help(
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
        let default_port = match gpu.kind {
            GpuExporterKind::NvidiaSmi => 9835,
            GpuExporterKind::Dcgm => 9400,
        };
        let port = gpu.port.as_ref().map_or(default_port, |p| *p.get_ref());
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
        if targets.is_empty() {
            cx.push(
                Finding::warning(
                    "spec/no-hosts",
                    "the GPU exporter has no hosts: no executors and no `hosts`",
                )
                .help("list the GPU hosts in `[exporters.gpu] hosts = [..]`"),
            );
        } else {
            let mut job = static_job(cx, &mut seen, "nvidia-gpu", None, &targets, None);
            job.scrape_interval = cx.duration(gpu.scrape_interval.as_ref(), "scrape_interval");
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
                        Finding::error("spec/unknown-value", format!("unknown scheme `{other}`"))
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
                Finding::error(
                    "spec/empty",
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
                Finding::warning("spec/empty", "consul discovery lists no services: every service in the catalog will be scraped")
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

pub(super) fn alertmanagers(cx: &mut Ctx, spec: &Spec) -> Vec<String> {
    spec.alerting
        .alertmanagers
        .iter()
        .filter(|a| address(cx, a, true))
        .map(|a| a.get_ref().clone())
        .collect()
}

impl ScrapeJob {
    fn named(name: &str) -> ScrapeJob {
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

/// A target as written (or derived from a host of another section).
struct Target<'a> {
    text: std::borrow::Cow<'a, Str>,
    /// The port to add when the text has none; `None` when a port is required.
    default_port: Option<u16>,
    /// Built-in targets have no place in the spec.
    derived: bool,
}

impl<'a> Target<'a> {
    fn host(s: &'a Str, port: u16) -> Self {
        Target {
            text: std::borrow::Cow::Borrowed(s),
            default_port: Some(port),
            derived: false,
        }
    }
    fn address(s: &'a Str) -> Self {
        Target {
            text: std::borrow::Cow::Borrowed(s),
            default_port: None,
            derived: false,
        }
    }
    /// A target made from a host named elsewhere (node exporter on a role's
    /// host); findings point at that host.
    fn derived(host: &str, at: Range<usize>, port: u16) -> Self {
        Target {
            text: std::borrow::Cow::Owned(Str::new(at, host.to_string())),
            default_port: Some(port),
            derived: false,
        }
    }
    fn builtin(addr: &str) -> Self {
        Target {
            text: std::borrow::Cow::Owned(Str::new(0..0, addr.to_string())),
            default_port: None,
            derived: true,
        }
    }
}

fn claim_job(cx: &mut Ctx, seen: &mut Seen, name: &str, at: Option<&Str>) -> bool {
    let span = at.map(|a| a.span());
    if !is_simple_name(name) {
        cx.push(
            Finding::error("spec/bad-name", format!("job name `{name}` is not usable"))
                .at_opt(span)
                .help("use letters, digits, `-` and `_`"),
        );
        return false;
    }
    if seen.jobs.contains_key(name) {
        cx.push(
            Finding::error("spec/duplicate", format!("job `{name}` is defined twice"))
                .at_opt(span)
                .label("second definition")
                .help("job names must be unique; `prometheus`, `lloom-<role>`, `node`, `nvidia-gpu`, `ethereum` and `alertmanager` are taken by built-in jobs"),
        );
        return false;
    }
    seen.jobs.insert(name.to_string(), span);
    true
}

fn static_job(
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
        let span = (!t.derived).then(|| t.text.span());
        let (host, explicit_port) = match split_host_port(text) {
            Ok((h, p)) => (h.to_string(), p),
            Err(e) => {
                cx.push(
                    Finding::error("spec/bad-target", e)
                        .at_opt(span)
                        .help("write `host` or `host:port`"),
                );
                continue;
            }
        };
        let port = explicit_port.or(t.default_port);
        let Some(port) = port else {
            cx.push(
                Finding::error("spec/bad-target", format!("target `{text}` has no port"))
                    .at_opt(span)
                    .help("write `host:port`"),
            );
            continue;
        };
        let key = (host.to_ascii_lowercase(), port);
        if let Some(other) = seen.addresses.get(&key) {
            cx.push(
                Finding::error(
                    "spec/port-conflict",
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
                Finding::error("spec/instance-clash", format!("job `{name}` has two targets on host `{host}`"))
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

fn check_timeout(cx: &mut Ctx, job: &ScrapeJob, timeout: Option<&Str>, stack: &Stack) {
    let interval = job.scrape_interval.unwrap_or(stack.scrape_interval);
    if let (Some(t), Some(at)) = (job.scrape_timeout, timeout) {
        if t > interval {
            cx.push(
                Finding::error("spec/timeout-too-long", format!("job `{}`: scrape_timeout {t} is longer than its scrape_interval {interval}", job.name))
                    .at(at.span())
                    .help("Prometheus refuses a timeout longer than the interval; shorten it"),
            );
        }
    }
}

fn metrics_path(cx: &mut Ctx, path: Option<&Str>) -> Option<String> {
    let p = path?;
    if !p.get_ref().starts_with('/') {
        cx.push(
            Finding::error(
                "spec/bad-path",
                format!("metrics_path `{}` does not start with `/`", p.get_ref()),
            )
            .at(p.span())
            .help("write an absolute URL path such as `/metrics`"),
        );
        return None;
    }
    Some(p.get_ref().clone())
}

/// Checks a `host:port` address; `port_required` for addresses that have no default port.
fn address(cx: &mut Ctx, a: &Str, port_required: bool) -> bool {
    match split_host_port(a.get_ref()) {
        Ok((_, None)) if port_required => {
            cx.push(
                Finding::error("spec/bad-target", format!("`{}` has no port", a.get_ref()))
                    .at(a.span())
                    .help("write `host:port`"),
            );
            false
        }
        Ok(_) => true,
        Err(e) => {
            cx.push(
                Finding::error("spec/bad-target", e)
                    .at(a.span())
                    .help("write `host:port`"),
            );
            false
        }
    }
}

const ACTIONS: [&str; 11] = [
    "replace",
    "keep",
    "drop",
    "hashmod",
    "labelmap",
    "labeldrop",
    "labelkeep",
    "lowercase",
    "uppercase",
    "keepequal",
    "dropequal",
];

fn relabels(cx: &mut Ctx, specs: &[toml::Spanned<RelabelSpec>]) -> Vec<Relabel> {
    specs
        .iter()
        .map(|r| relabel(cx, r.get_ref(), r.span()))
        .collect()
}

fn relabel(cx: &mut Ctx, r: &RelabelSpec, at: Range<usize>) -> Relabel {
    let action = r.action;
    let action_name = ACTIONS[action as usize];
    for l in &r.source_labels {
        label_any(cx, l);
    }
    if let Some(t) = &r.target_label {
        label_any(cx, t);
    }
    if let Some(re) = &r.regex {
        // Prometheus anchors relabel regexes at both ends.
        if let Err(e) = regex::Regex::new(&format!("^(?:{})$", re.get_ref())) {
            cx.push(
                Finding::error("spec/bad-regex", format!("relabel regex does not compile: {}", e.to_string().lines().last().unwrap_or("").trim_start_matches("error: ")))
                    .at(re.span())
                    .help("Prometheus uses RE2 syntax; in TOML, write regexes in single quotes so backslashes stay as written"),
            );
        }
    }
    let needs_target = matches!(
        action,
        RelabelAction::Replace
            | RelabelAction::Hashmod
            | RelabelAction::Lowercase
            | RelabelAction::Uppercase
            | RelabelAction::Keepequal
            | RelabelAction::Dropequal
    );
    if needs_target && r.target_label.is_none() {
        cx.push(
            Finding::error(
                "spec/missing-key",
                format!("relabel action `{action_name}` needs `target_label`"),
            )
            .at(at.clone())
            .help("add `target_label = \"...\"`"),
        );
    }
    if action == RelabelAction::Hashmod && r.modulus.is_none() {
        cx.push(
            Finding::error(
                "spec/missing-key",
                "relabel action `hashmod` needs `modulus`",
            )
            .at(at.clone())
            .help("add `modulus = N`"),
        );
    }
    if matches!(
        action,
        RelabelAction::Keep | RelabelAction::Drop | RelabelAction::Hashmod
    ) && r.source_labels.is_empty()
    {
        cx.push(
            Finding::error(
                "spec/missing-key",
                format!("relabel action `{action_name}` needs `source_labels`"),
            )
            .at(at.clone())
            .help("add `source_labels = [\"...\"]`"),
        );
    }
    Relabel {
        source_labels: r
            .source_labels
            .iter()
            .map(|s| s.get_ref().clone())
            .collect(),
        separator: r.separator.as_ref().map(|s| s.get_ref().clone()),
        target_label: r.target_label.as_ref().map(|s| s.get_ref().clone()),
        regex: r.regex.as_ref().map(|s| s.get_ref().clone()),
        replacement: r.replacement.as_ref().map(|s| s.get_ref().clone()),
        modulus: r.modulus,
        action: (action != RelabelAction::Replace).then_some(action_name),
    }
}

/// Relabel rules may name internal (`__`) labels, so only the syntax is checked.
fn label_any(cx: &mut Ctx, l: &Str) {
    if !super::names::is_label_name(l.get_ref()) {
        cx.push(
            Finding::error(
                "spec/bad-label-name",
                format!("`{}` is not a valid label name", l.get_ref()),
            )
            .at(l.span())
            .help("label names start with a letter or `_` and hold only letters, digits and `_`"),
        );
    }
}

/// Annotation-based pod discovery, as in the guide, with its address rule fixed.
fn kubernetes_relabels() -> Vec<Relabel> {
    let r = |src: &[&str], target: &str| Relabel {
        source_labels: src.iter().map(|s| s.to_string()).collect(),
        target_label: Some(target.into()),
        ..Relabel::default()
    };
    vec![
        Relabel {
            source_labels: vec!["__meta_kubernetes_pod_annotation_prometheus_io_scrape".into()],
            regex: Some("true".into()),
            action: Some("keep"),
            ..Relabel::default()
        },
        Relabel {
            source_labels: vec!["__meta_kubernetes_pod_annotation_prometheus_io_path".into()],
            target_label: Some("__metrics_path__".into()),
            regex: Some("(.+)".into()),
            ..Relabel::default()
        },
        // The guide lists only the port annotation here, so its two-group regex
        // never matches; the address must come first.
        Relabel {
            source_labels: vec![
                "__address__".into(),
                "__meta_kubernetes_pod_annotation_prometheus_io_port".into(),
            ],
            target_label: Some("__address__".into()),
            regex: Some(r"([^:]+)(?::\d+)?;(\d+)".into()),
            replacement: Some("$1:$2".into()),
            ..Relabel::default()
        },
        r(&["__meta_kubernetes_namespace"], "namespace"),
        r(&["__meta_kubernetes_pod_name"], "pod"),
    ]
}
