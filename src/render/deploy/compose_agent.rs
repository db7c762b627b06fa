//! `node-agent/docker-compose.yml` for every Lloom host (node exporter, the
//! log agent) and `node-agent/docker-compose.gpu.yml`, the override that adds
//! the GPU exporter with an NVIDIA device reservation on hosts with GPUs.
//! Exporters use the host's network: Prometheus on the monitoring host
//! scrapes them where the spec's targets say, and node exporter sees the
//! host's real interfaces.

use super::compose::{
    http_check, Compose, DeployResources, Device, Reservations, Resources, Service, Volume,
};
use crate::model::deploy::{self, GpuDeploy, GpuExporter};
use crate::model::logs::Agent;
use crate::model::Model;
use std::collections::BTreeMap;

/// The directories the log agent reads, from the spec's globs.
fn log_dirs(paths: &[String]) -> Vec<String> {
    let mut dirs: Vec<String> = paths
        .iter()
        .map(|p| {
            let parts: Vec<&str> = p.split('/').collect();
            // The fixed directories before the first wildcard, or the file's directory.
            let fixed = parts
                .iter()
                .take_while(|part| !part.contains(['*', '?', '[']))
                .count();
            let dir = parts[..fixed.min(parts.len() - 1)].join("/");
            if dir.is_empty() {
                "/".to_string()
            } else {
                dir
            }
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs
}

/// The node agent's services: node exporter and the log agent, each where
/// the model has them; `None` where it has neither.
pub fn agent(model: &Model) -> Option<Compose> {
    let mut services = BTreeMap::new();
    let mut volumes = BTreeMap::new();
    if let Some(port) = model.deploy.node_exporter_port {
        services.insert(
            "node-exporter".to_string(),
            Service {
                image: deploy::NODE_EXPORTER_IMAGE.into(),
                command: vec![
                    "--path.rootfs=/host".into(),
                    format!("--web.listen-address=:{port}"),
                ],
                restart: "unless-stopped",
                network_mode: Some("host"),
                pid: Some("host"),
                volumes: vec!["/:/host:ro,rslave".into()],
                healthcheck: Some(http_check(&format!("http://localhost:{port}/metrics"))),
                ..Service::default()
            },
        );
    }
    if let Some(logs) = &model.logs {
        let mut mounts: Vec<String> = log_dirs(&logs.paths)
            .into_iter()
            .map(|d| format!("{d}:{d}:ro"))
            .collect();
        // On the host's network, as the exporters are: the push URL's host
        // (`localhost` where the monitoring stack shares the machine) means
        // the host, not the agent's own container.
        let service = match logs.agent {
            Agent::Alloy => {
                mounts.push("../alloy/config.alloy:/etc/alloy/config.alloy:ro".into());
                mounts.push("alloy-data:/var/lib/alloy".into());
                volumes.insert("alloy-data".to_string(), Volume {});
                Service {
                    image: deploy::ALLOY_IMAGE.into(),
                    command: vec![
                        "run".into(),
                        "--server.http.listen-addr=127.0.0.1:12345".into(),
                        "--storage.path=/var/lib/alloy/data".into(),
                        "/etc/alloy/config.alloy".into(),
                    ],
                    restart: "unless-stopped",
                    network_mode: Some("host"),
                    volumes: mounts,
                    ..Service::default()
                }
            }
            Agent::Promtail => {
                mounts.push("../promtail/promtail.yml:/etc/promtail/promtail.yml:ro".into());
                mounts.push("promtail-data:/var/lib/promtail".into());
                volumes.insert("promtail-data".to_string(), Volume {});
                Service {
                    image: deploy::PROMTAIL_IMAGE.into(),
                    command: vec!["-config.file=/etc/promtail/promtail.yml".into()],
                    restart: "unless-stopped",
                    network_mode: Some("host"),
                    volumes: mounts,
                    ..Service::default()
                }
            }
        };
        services.insert(logs.agent.name().to_string(), service);
    }
    (!services.is_empty()).then_some(Compose {
        services,
        volumes,
        secrets: BTreeMap::new(),
    })
}

/// The override for hosts with GPUs.
pub fn gpu(model: &Model) -> Option<Compose> {
    let g: &GpuDeploy = model.deploy.gpu.as_ref()?;
    let reservation = Some(DeployResources {
        resources: Resources {
            reservations: Reservations {
                devices: vec![Device {
                    driver: "nvidia",
                    count: "all",
                    capabilities: vec!["gpu"],
                }],
            },
        },
    });
    let service = match g.kind {
        GpuExporter::NvidiaSmi => Service {
            image: deploy::NVIDIA_SMI_EXPORTER_IMAGE.into(),
            command: vec![format!("--web.listen-address=:{}", g.port)],
            restart: "unless-stopped",
            network_mode: Some("host"),
            deploy: reservation,
            healthcheck: None,
            ..Service::default()
        },
        GpuExporter::Dcgm => Service {
            image: deploy::DCGM_EXPORTER_IMAGE.into(),
            command: vec!["-a".into(), format!(":{}", g.port)],
            restart: "unless-stopped",
            network_mode: Some("host"),
            // Profiling metrics need it.
            cap_add: vec!["SYS_ADMIN"],
            deploy: reservation,
            ..Service::default()
        },
    };
    Some(Compose {
        services: BTreeMap::from([("gpu-exporter".to_string(), service)]),
        volumes: BTreeMap::new(),
        secrets: BTreeMap::new(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn log_dirs_stop_at_the_first_wildcard() {
        let dirs = super::log_dirs(&[
            "/var/log/lloom/*.log".into(),
            "/var/log/lloom/node-*/x.log".into(),
            "/srv/logs/a.log".into(),
        ]);
        assert_eq!(dirs, ["/srv/logs", "/var/log/lloom"]);
    }
}
