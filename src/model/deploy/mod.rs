//! Where each piece runs and how it is reached: the monitoring host's
//! services and ports, the node agent's exporters, the pinned images, and
//! tracing. The compose files, systemd units and scripts render from this.

pub mod addressing;

use crate::diagnostics::{suggest, Finding};
use crate::model::core::names::{check_host, join_host_port};
use crate::model::core::Ctx;
use crate::spec::{DeploySpec, GpuExporterKind, Spec, SpecCode, Str, TracingSpec};
use std::collections::BTreeSet;

/// Images, pinned: a render is reproducible, and an upgrade is a reviewed diff.
pub const PROMETHEUS_IMAGE: &str = "prom/prometheus:v3.5.0";
pub const ALERTMANAGER_IMAGE: &str = "prom/alertmanager:v0.28.1";
pub const GRAFANA_IMAGE: &str = "grafana/grafana:12.1.0";
pub const LOKI_IMAGE: &str = "grafana/loki:3.5.3";
pub const ALLOY_IMAGE: &str = "grafana/alloy:v1.10.0";
pub const PROMTAIL_IMAGE: &str = "grafana/promtail:3.5.3";
pub const JAEGER_IMAGE: &str = "jaegertracing/jaeger:2.8.0";
pub const NODE_EXPORTER_IMAGE: &str = "prom/node-exporter:v1.9.1";
pub const NVIDIA_SMI_EXPORTER_IMAGE: &str = "utkuozdemir/nvidia_gpu_exporter:1.3.2";
pub const DCGM_EXPORTER_IMAGE: &str = "nvcr.io/nvidia/k8s/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04";

/// The monitoring host's services that publish ports, with their ports.
pub const SERVICES: &[(&str, &[u16])] = &[
    ("prometheus", &[9090]),
    ("alertmanager", &[9093]),
    ("grafana", &[3000]),
    ("loki", &[3100]),
    ("jaeger", &[16686, 4317, 4318]),
];

#[derive(Debug, Clone)]
pub struct Deploy {
    pub monitoring_host: String,
    /// Services published on every interface; the rest bind to 127.0.0.1.
    pub expose: BTreeSet<String>,
    /// The node exporter's port on every Lloom host; `None` without `[exporters.node]`.
    pub node_exporter_port: Option<u16>,
    pub gpu: Option<GpuDeploy>,
    pub tracing: Option<Tracing>,
}

#[derive(Debug, Clone)]
pub struct GpuDeploy {
    pub kind: GpuExporter,
    pub port: u16,
    /// The hosts that run it: those with GPUs.
    pub hosts: Vec<String>,
}

/// The GPU exporter the node agent runs: the model's own copy of
/// `[exporters.gpu] kind`, so that the renderers never read a spec type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GpuExporter {
    /// utkuozdemir/nvidia_gpu_exporter.
    NvidiaSmi,
    /// NVIDIA dcgm-exporter.
    Dcgm,
}

impl From<GpuExporterKind> for GpuExporter {
    fn from(kind: GpuExporterKind) -> Self {
        match kind {
            GpuExporterKind::NvidiaSmi => GpuExporter::NvidiaSmi,
            GpuExporterKind::Dcgm => GpuExporter::Dcgm,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Tracing {
    pub sampling_rate: f64,
    /// Where nodes send OTLP over HTTP.
    pub endpoint: String,
}

impl Deploy {
    /// The address a published port binds to.
    pub fn bind(&self, service: &str) -> &'static str {
        if self.expose.contains(service) {
            "0.0.0.0"
        } else {
            "127.0.0.1"
        }
    }

    /// Loki's push endpoint as the log agents on the Lloom hosts see it.
    pub fn loki_push_url(&self) -> String {
        format!(
            "http://{}/loki/api/v1/push",
            join_host_port(&self.monitoring_host, 3100)
        )
    }
}

/// A host name that means "this machine".
pub fn is_loopback(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "::1")
}

/// The deployment the renderers lay out; `gpu_hosts` are the hosts whose
/// inventories list GPUs (or all GPU targets without `[hardware]`).
pub(crate) fn resolve(cx: &mut Ctx, spec: &Spec, gpu_hosts: Vec<String>) -> Deploy {
    let d = &spec.deploy;
    let monitoring_host = d.monitoring_host.as_ref().map_or_else(
        || "localhost".to_string(),
        |h| {
            check_monitoring_host(cx, h);
            h.get_ref().clone()
        },
    );
    let expose = expose(cx, d);
    check_pushed_exposed(cx, spec, &expose);
    // No GPU host (the inventories found none): no GPU override either.
    let gpu = spec
        .exporters
        .gpu
        .as_ref()
        .filter(|_| !gpu_hosts.is_empty())
        .map(|g| GpuDeploy {
            kind: g.kind.into(),
            port: g
                .port
                .as_ref()
                .map_or(g.kind.default_port(), |p| *p.get_ref()),
            hosts: gpu_hosts,
        });
    let tracing = spec
        .tracing
        .as_ref()
        .map(|t| tracing(cx, t, &monitoring_host));
    Deploy {
        monitoring_host,
        expose,
        node_exporter_port: spec
            .exporters
            .node
            .as_ref()
            .map(|n| n.port.as_ref().map_or(9100, |p| *p.get_ref())),
        gpu,
        tracing,
    }
}

/// The monitoring host goes into URLs (`http://<host>:3100/...`): an empty
/// one renders `http://:3100`, which no agent can reach.
fn check_monitoring_host(cx: &mut Ctx, h: &Str) {
    let finding = match check_host(h.get_ref()) {
        Err(_) if h.get_ref().is_empty() => {
            Finding::new(SpecCode::Empty, "`deploy.monitoring_host` is empty")
        }
        Err(e) => Finding::new(
            SpecCode::BadTarget,
            format!("`deploy.monitoring_host`: {e}"),
        ),
        Ok(()) if h.get_ref().matches(':').count() == 1 => Finding::new(
            SpecCode::BadTarget,
            "`deploy.monitoring_host` has a port: each service's own is added to it",
        ),
        Ok(()) => return,
    };
    cx.push(finding.at(h.span()).help(
        "name the host or address the Lloom hosts reach the monitoring host by, or remove the key for `localhost`",
    ));
}

/// `[deploy] expose`: the services published beyond loopback, each a known one.
fn expose(cx: &mut Ctx, d: &DeploySpec) -> BTreeSet<String> {
    let mut expose = BTreeSet::new();
    for e in &d.expose {
        let name = e.get_ref();
        if SERVICES.iter().any(|(s, _)| s == name) {
            expose.insert(name.clone());
        } else {
            cx.push(
                Finding::new(
                    SpecCode::UnknownService,
                    format!("`{name}` is not a service of the monitoring host"),
                )
                .at(e.span())
                .help(suggest(name, SERVICES.iter().map(|(s, _)| *s), || {
                    format!(
                        "the services are {}",
                        SERVICES
                            .iter()
                            .map(|(s, _)| *s)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })),
            );
        }
    }
    expose
}

/// The Lloom hosts push logs and traces to the monitoring host: a service
/// they push to must be published beyond loopback, or nothing arrives.
fn check_pushed_exposed(cx: &mut Ctx, spec: &Spec, expose: &BTreeSet<String>) {
    let Some(host) = spec
        .deploy
        .monitoring_host
        .as_ref()
        .filter(|h| !is_loopback(h.get_ref()))
    else {
        return;
    };
    let pushed = [
        ("loki", spec.logs.is_some(), "the log agents push logs"),
        (
            "jaeger",
            spec.tracing.is_some(),
            "the Lloom nodes send traces",
        ),
    ];
    for (service, used, what) in pushed {
        if used && !expose.contains(service) {
            cx.push(
                Finding::new(
                    SpecCode::PushTargetNotExposed,
                    format!(
                        "{what} to `{}`, but {service} is published on 127.0.0.1 only, so nothing from the Lloom hosts arrives",
                        host.get_ref()
                    ),
                )
                .at(host.span())
                .help(format!(
                    "add \"{service}\" to `[deploy] expose` (and firewall it to the Lloom hosts)"
                )),
            );
        }
    }
}

/// Tracing's sampling rate (0.1 unless given, kept within 0..1) and the
/// OTLP endpoint on the monitoring host.
fn tracing(cx: &mut Ctx, t: &TracingSpec, monitoring_host: &str) -> Tracing {
    let rate = t.sampling_rate.as_ref().map_or(0.1, |r| *r.get_ref());
    if !(0.0..=1.0).contains(&rate) {
        cx.push(
            Finding::new(
                SpecCode::BadSamplingRate,
                format!("sampling_rate {rate} is not between 0 and 1"),
            )
            .at_opt(t.sampling_rate.as_ref().map(|r| r.span()))
            .help("the share of requests traced: 0.1 traces one in ten"),
        );
    }
    Tracing {
        sampling_rate: rate.clamp(0.0, 1.0),
        endpoint: format!("http://{}", join_host_port(monitoring_host, 4318)),
    }
}

#[cfg(test)]
mod tests {
    const LOGS: &str = "[logs]\npaths = [\"/var/log/lloom/*.log\"]\n";

    fn not_exposed(sections: &str) -> Vec<String> {
        crate::model::test_spec::findings(sections, "spec/push-target-not-exposed")
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn logs_and_traces_to_a_remote_host_need_it_exposed() {
        let found = not_exposed(&format!(
            "[deploy]\nmonitoring_host = \"mon.example.org\"\n[tracing]\n{LOGS}"
        ));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("loki is published on 127.0.0.1 only"));
        assert!(found[1].contains("jaeger is published on 127.0.0.1 only"));
    }

    #[test]
    fn an_empty_or_unusable_monitoring_host_is_refused() {
        let found = |host: &str, code: &str| {
            crate::model::test_spec::findings(
                &format!("[deploy]\nmonitoring_host = \"{host}\"\n"),
                code,
            )
            .len()
        };
        assert_eq!(found("", "spec/empty"), 1);
        for bad in ["mon\\u0000", "mon host", "mon\\n", "mon.example.org:3100"] {
            assert_eq!(found(bad, "spec/bad-target"), 1, "{bad}");
        }
        assert_eq!(found(&"a".repeat(254), "spec/bad-target"), 1);
        assert_eq!(found("mon.example.org", "spec/bad-target"), 0);
    }

    #[test]
    fn an_ipv6_monitoring_host_is_bracketed_in_urls() {
        let text = format!("[stack]\nname = \"t\"\nrunbook_base_url = \"https://r.example.org\"\n[roles.client]\nhosts = [\"c1\"]\n[deploy]\nmonitoring_host = \"fd00::5\"\n[tracing]\n{LOGS}");
        let (spec, _) = crate::spec::load(&text);
        let (model, _) = crate::model::build(&spec.expect("spec"));
        let deploy = &model.deploy;
        assert_eq!(
            deploy.loki_push_url(),
            "http://[fd00::5]:3100/loki/api/v1/push"
        );
        let tracing = deploy.tracing.as_ref().expect("tracing");
        assert_eq!(tracing.endpoint, "http://[fd00::5]:4318");
    }

    #[test]
    fn exposed_or_single_host_is_quiet() {
        assert!(not_exposed(&format!(
            "[deploy]\nmonitoring_host = \"mon.example.org\"\nexpose = [\"loki\", \"jaeger\"]\n[tracing]\n{LOGS}"
        ))
        .is_empty());
        // Everything on one host: loopback is where the agents push.
        assert!(not_exposed(&format!("[tracing]\n{LOGS}")).is_empty());
    }
}
