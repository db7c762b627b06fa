//! `[hardware]`: the GPUs the inventories say each host has. Targets,
//! alerts, panels and the node agent are fitted to them: a host without GPUs
//! gets no GPU exporter to scrape (and no "target down" for one), a host
//! with eight gets eight panels and a "GPU missing" check against eight.

pub mod cases;
pub mod dashboard;
pub mod rules;
pub mod runbooks;

use crate::diagnostics::Finding;
use crate::discover::inventory::{Gpu, Inventory};
use crate::model::core::names::{join_host_port, split_host_port};
use crate::model::core::target::Target;
use crate::model::core::{Ctx, LabelMap, TargetGroup, Targets};
use crate::spec::{GpuExporterKind, InstanceLabel, Spec, SpecCode};
use std::collections::BTreeSet;
use std::ops::Range;

#[derive(Debug, Clone)]
pub struct Hardware {
    pub exporter: GpuExporterKind,
    pub port: u16,
    /// Every inventoried host, by name; hosts without GPUs included.
    pub hosts: Vec<HostGpus>,
    /// `[hardware] inventory`, for findings about the inventories.
    place: Option<Range<usize>>,
    /// Lloom's per-device executor metrics (`device`) can be joined with the
    /// exporter's (`uuid`) through the inventory: nvidia_gpu_exporter, and
    /// `instance` the bare host on both jobs.
    pub joins_lloom: bool,
}

#[derive(Debug, Clone)]
pub struct HostGpus {
    pub host: String,
    /// `instance` on its GPU exporter's series, as the relabelling sets it.
    pub instance: String,
    pub gpus: Vec<Gpu>,
    /// The NVIDIA driver the inventory saw; `None` on a host without one.
    pub driver_version: Option<String>,
    /// How the inventory was made: `nvml` or `nvidia-smi`.
    pub source: String,
}

impl HostGpus {
    /// The distinct models, in index order: `NVIDIA A100-SXM4-80GB, NVIDIA GeForce RTX 4090`.
    pub fn models(&self) -> String {
        let mut names: Vec<&str> = Vec::new();
        for g in &self.gpus {
            if !names.contains(&g.name.as_str()) {
                names.push(&g.name);
            }
        }
        names.join(", ")
    }

    /// `8 × NVIDIA H100 80GB HBM3`, or the models one by one on a mixed host.
    pub fn summary(&self) -> String {
        let mut names: Vec<&str> = self.gpus.iter().map(|g| g.name.as_str()).collect();
        names.dedup();
        match names.as_slice() {
            [] => "no GPU".into(),
            [one] => format!("{} × {one}", self.gpus.len()),
            _ => self
                .gpus
                .iter()
                .map(|g| g.name.as_str())
                .collect::<Vec<_>>()
                .join(" + "),
        }
    }
}

impl Hardware {
    /// With `instance_label = "address"`, a GPU host's `instance` is the
    /// address it is scraped at, which `[exporters.gpu] hosts` may give
    /// another port than the exporter's: take it from the job's targets, so
    /// that the expected counts and joins match the scraped series.
    pub(crate) fn scraped_at<'a>(&mut self, targets: impl Iterator<Item = &'a str>) {
        for target in targets {
            let Ok((host, _)) = split_host_port(target) else {
                continue;
            };
            if let Some(h) = self.hosts.iter_mut().find(|h| h.host == host) {
                h.instance = target.to_string();
            }
        }
    }

    /// The hosts that have GPUs: the only ones the GPU exporter runs on.
    pub fn gpu_hosts(&self) -> impl Iterator<Item = &HostGpus> {
        self.hosts.iter().filter(|h| !h.gpus.is_empty())
    }
}

/// `None` without `[hardware]`. Inventories of hosts no role names are
/// warned about (and not scraped: nothing says they are reachable).
pub(crate) fn resolve(cx: &mut Ctx, spec: &Spec, inventories: &[Inventory]) -> Option<Hardware> {
    let hw = spec.hardware.as_ref()?;
    let place = hw.inventory.first().map(|g| g.span());
    let gpu = spec.exporters.gpu.as_ref();
    let exporter = gpu.map_or(GpuExporterKind::NvidiaSmi, |g| g.kind);
    let port = gpu
        .and_then(|g| g.port.as_ref())
        .map_or(exporter.default_port(), |p| *p.get_ref());
    let known: BTreeSet<&str> = [
        &spec.roles.client,
        &spec.roles.executor,
        &spec.roles.validator,
    ]
    .into_iter()
    .flatten()
    .flat_map(|r| r.hosts.iter())
    .chain(gpu.and_then(|g| g.hosts.as_ref()).into_iter().flatten())
    .filter_map(|h| split_host_port(h.get_ref()).ok().map(|(host, _)| host))
    .collect();
    let mut hosts: Vec<HostGpus> = Vec::new();
    for inv in inventories {
        if hosts.iter().any(|h| h.host == inv.host) {
            cx.push(
                Finding::new(
                    SpecCode::Duplicate,
                    format!("two inventories describe host `{}`", inv.host),
                )
                .at_opt(place.clone())
                .help(
                    "keep one inventory per host: `lloom-monctl discover` writes the current one",
                ),
            );
            continue;
        }
        if !known.contains(inv.host.as_str()) {
            cx.push(
                Finding::new(SpecCode::InventoryHostUnknown, format!("the inventory of `{}` names a host the spec does not scrape", inv.host))
                    .at_opt(place.clone())
                    .help("add the host to a role's `hosts`, or remove its inventory; its GPUs are not monitored"),
            );
        }
        let instance = if spec.stack.instance_label == InstanceLabel::Host {
            inv.host.clone()
        } else {
            join_host_port(&inv.host, port)
        };
        hosts.push(HostGpus {
            host: inv.host.clone(),
            instance,
            gpus: inv.gpu.clone(),
            driver_version: inv.driver_version.clone(),
            source: inv.source.clone(),
        });
    }
    hosts.sort_by(|a, b| a.host.cmp(&b.host));
    let joins_lloom = exporter == GpuExporterKind::NvidiaSmi
        && spec.stack.instance_label == InstanceLabel::Host
        && spec.roles.executor.is_some();
    Some(Hardware {
        exporter,
        port,
        hosts,
        place,
        joins_lloom,
    })
}

/// nvidia_gpu_exporter's `uuid` label of a GPU: nvidia-smi's `GPU-3F8C…`
/// becomes `3f8c…`.
pub fn exporter_uuid(uuid: &str) -> String {
    let lower = uuid.to_lowercase();
    lower.strip_prefix("gpu-").unwrap_or(&lower).to_string()
}

/// The GPU job's target file under `prometheus/`, with a group per host.
pub const TARGET_FILE: &str = "targets/gpu.json";

impl Hardware {
    /// The GPU job's static targets as a generated file_sd file: one group
    /// per host, labelled with its GPUs' models and count (a host without an
    /// inventory gets no labels), so that a new inventory changes one file.
    pub(crate) fn target_file(&self, targets: &Targets) -> Targets {
        let generated = targets
            .known_groups()
            .iter()
            .flat_map(|g| &g.targets)
            .map(|t| {
                let host = split_host_port(t).map_or(t.as_str(), |(h, _)| h);
                let labels = self.host(host).map_or_else(LabelMap::new, |h| {
                    LabelMap::from([
                        ("gpu_count".to_string(), h.gpus.len().to_string()),
                        ("gpu_model".to_string(), h.models()),
                    ])
                });
                TargetGroup {
                    targets: vec![t.clone()],
                    labels,
                }
            })
            .collect();
        Targets::Files {
            files: vec![TARGET_FILE.into()],
            refresh_interval: None,
            labels: vec!["gpu_count".into(), "gpu_model".into()],
            generated,
        }
    }

    pub fn host(&self, name: &str) -> Option<&HostGpus> {
        self.hosts.iter().find(|h| h.host == name)
    }

    /// The GPU exporter's targets fitted to the inventories: a host whose
    /// inventory lists no GPU is dropped, one without an inventory is kept
    /// (with a warning: better a "target down" than a blind spot), and a
    /// Lloom host whose inventory lists GPUs is added.
    pub(crate) fn fit<'a>(
        &self,
        cx: &mut Ctx,
        targets: Vec<Target<'a>>,
        lloom_hosts: &[(String, Range<usize>)],
    ) -> Vec<Target<'a>> {
        let mut out = Vec::new();
        let mut named = BTreeSet::new();
        for t in targets {
            let host = t.host_name().to_string();
            match self.host(&host) {
                Some(h) if h.gpus.is_empty() => {}
                Some(_) => out.push(t),
                None => {
                    cx.push(
                        Finding::new(SpecCode::InventoryMissing, format!("`{host}` is scraped for GPUs, but no inventory describes it"))
                            .at_opt(t.span().or(self.place.clone()))
                            .help(format!("run `lloom-monctl discover --output inventory/{host}.toml` on {host} and commit the file")),
                    );
                    out.push(t);
                }
            }
            named.insert(host);
        }
        for h in self.gpu_hosts().filter(|h| !named.contains(&h.host)) {
            if let Some((_, at)) = lloom_hosts.iter().find(|(name, _)| *name == h.host) {
                out.push(Target::derived(&h.host, at.clone(), self.port));
            }
        }
        out
    }
}
