//! `docker-compose.yml` of the monitoring host: Prometheus, Alertmanager,
//! Grafana, Loki and Jaeger, wired to the generated files. Typed structs of
//! the compose fields both docker-compose 1.29 (Debian's) and the current
//! compose spec accept: no `version:`, long `depends_on` with conditions,
//! file secrets, named volumes.

use crate::model::deploy::{self, Deploy};
use crate::model::Model;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
pub struct Compose {
    pub services: BTreeMap<String, Service>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub volumes: BTreeMap<String, Volume>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub secrets: BTreeMap<String, SecretFile>,
}

/// A named volume with the engine's defaults.
#[derive(Serialize)]
pub struct Volume {}

#[derive(Serialize)]
pub struct SecretFile {
    pub file: String,
}

#[derive(Serialize, Default)]
pub struct Service {
    pub image: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    pub restart: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_mode: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pid: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub environment: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub depends_on: BTreeMap<String, DependsOn>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<Healthcheck>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cap_add: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deploy: Option<DeployResources>,
}

#[derive(Serialize)]
pub struct DependsOn {
    pub condition: &'static str,
}

#[derive(Serialize)]
pub struct Healthcheck {
    pub test: Vec<String>,
    pub interval: &'static str,
    pub timeout: &'static str,
    pub retries: u32,
    pub start_period: &'static str,
}

/// A GPU reservation: `deploy.resources.reservations.devices`.
#[derive(Serialize)]
pub struct DeployResources {
    pub resources: Resources,
}

#[derive(Serialize)]
pub struct Resources {
    pub reservations: Reservations,
}

#[derive(Serialize)]
pub struct Reservations {
    pub devices: Vec<Device>,
}

#[derive(Serialize)]
pub struct Device {
    pub driver: &'static str,
    pub count: &'static str,
    pub capabilities: Vec<&'static str>,
}

/// `wget` of a ready endpoint: every image used here has busybox's.
pub fn http_check(url: &str) -> Healthcheck {
    Healthcheck {
        test: vec![
            "CMD".into(),
            "wget".into(),
            "-q".into(),
            "-O".into(),
            "/dev/null".into(),
            url.into(),
        ],
        interval: "30s",
        timeout: "5s",
        retries: 5,
        start_period: "30s",
    }
}

fn ports(d: &Deploy, service: &str) -> Vec<String> {
    deploy::SERVICES
        .iter()
        .find(|(s, _)| *s == service)
        .map(|(_, ports)| {
            ports
                .iter()
                .map(|p| format!("{}:{p}:{p}", d.bind(service)))
                .collect()
        })
        .unwrap_or_default()
}

/// A compose secret's name for a file the configs read from `/run/secrets/`.
pub fn secret_name(path: &str) -> Option<&str> {
    path.strip_prefix("/run/secrets/")
        .filter(|n| !n.contains('/'))
}

/// The monitoring host's stack: every service the model enables, with the
/// named volumes and file secrets they use.
pub fn monitoring(model: &Model) -> Compose {
    let d = &model.deploy;
    let mut services = BTreeMap::new();
    let mut volumes = BTreeMap::new();
    let mut secrets = BTreeMap::new();

    services.insert("prometheus".to_string(), prometheus(model));
    volumes.insert("prometheus-data".to_string(), Volume {});
    if let Some(am) = &model.alertmanager {
        let mut am_secrets = Vec::new();
        for f in am.secret_files() {
            if let Some(name) = secret_name(&f) {
                secrets.insert(
                    name.to_string(),
                    SecretFile {
                        file: format!("./secrets/{name}"),
                    },
                );
                am_secrets.push(name.to_string());
            }
        }
        services.insert("alertmanager".to_string(), alertmanager(d, am_secrets));
        volumes.insert("alertmanager-data".to_string(), Volume {});
    }
    secrets.insert(
        "grafana_admin_password".into(),
        SecretFile {
            file: "./secrets/grafana_admin_password".into(),
        },
    );
    services.insert("grafana".to_string(), grafana(model));
    volumes.insert("grafana-data".to_string(), Volume {});
    if model.logs.is_some() {
        services.insert("loki".to_string(), loki(d));
        volumes.insert("loki-data".to_string(), Volume {});
    }
    if d.tracing.is_some() {
        services.insert("jaeger".to_string(), jaeger(d));
    }
    Compose {
        services,
        volumes,
        secrets,
    }
}

/// Another service's dependency: started and passing its healthcheck.
fn healthy() -> DependsOn {
    DependsOn {
        condition: "service_healthy",
    }
}

fn prometheus(model: &Model) -> Service {
    let d = &model.deploy;
    let mut command = vec![
        "--config.file=/etc/prometheus/prometheus.yml".to_string(),
        "--storage.tsdb.path=/prometheus".to_string(),
        format!(
            "--storage.tsdb.retention.time={}",
            model.stack.retention.time
        ),
    ];
    command.extend(
        model
            .stack
            .retention
            .size
            .as_ref()
            .map(|s| format!("--storage.tsdb.retention.size={}", s.text)),
    );
    command.push("--web.enable-lifecycle".into());
    // Snapshots for backups need the admin API; it stays on loopback.
    if !d.expose.contains("prometheus") {
        command.push("--web.enable-admin-api".into());
    }
    let mut depends_on = BTreeMap::new();
    if model.alertmanager.is_some() {
        depends_on.insert("alertmanager".to_string(), healthy());
    }
    Service {
        image: deploy::PROMETHEUS_IMAGE.into(),
        command,
        restart: "unless-stopped",
        ports: ports(d, "prometheus"),
        volumes: vec![
            "./prometheus:/etc/prometheus:ro".into(),
            "prometheus-data:/prometheus".into(),
        ],
        depends_on,
        healthcheck: Some(http_check("http://localhost:9090/-/ready")),
        ..Service::default()
    }
}

/// Alertmanager, reading its receivers' secrets from the compose secrets
/// named here.
fn alertmanager(d: &Deploy, secrets: Vec<String>) -> Service {
    Service {
        image: deploy::ALERTMANAGER_IMAGE.into(),
        command: vec![
            "--config.file=/etc/alertmanager/alertmanager.yml".into(),
            "--storage.path=/alertmanager".into(),
            // One instance: no gossip port, no peers to find.
            "--cluster.listen-address=".into(),
        ],
        restart: "unless-stopped",
        ports: ports(d, "alertmanager"),
        volumes: vec![
            "./alertmanager:/etc/alertmanager:ro".into(),
            "alertmanager-data:/alertmanager".into(),
        ],
        secrets,
        healthcheck: Some(http_check("http://localhost:9093/-/ready")),
        ..Service::default()
    }
}

fn grafana(model: &Model) -> Service {
    let d = &model.deploy;
    let environment = BTreeMap::from([
        (
            "GF_SECURITY_ADMIN_PASSWORD__FILE".to_string(),
            "/run/secrets/grafana_admin_password".to_string(),
        ),
        ("GF_AUTH_ANONYMOUS_ENABLED".to_string(), "false".to_string()),
        ("GF_USERS_ALLOW_SIGN_UP".to_string(), "false".to_string()),
        (
            "GF_ANALYTICS_REPORTING_ENABLED".to_string(),
            "false".to_string(),
        ),
    ]);
    let mut depends_on = BTreeMap::from([("prometheus".to_string(), healthy())]);
    if model.logs.is_some() {
        depends_on.insert("loki".to_string(), healthy());
    }
    if d.tracing.is_some() {
        depends_on.insert("jaeger".to_string(), healthy());
    }
    Service {
        image: deploy::GRAFANA_IMAGE.into(),
        restart: "unless-stopped",
        ports: ports(d, "grafana"),
        volumes: vec![
            "./grafana/provisioning:/etc/grafana/provisioning:ro".into(),
            "./grafana/dashboards:/var/lib/grafana/dashboards:ro".into(),
            "grafana-data:/var/lib/grafana".into(),
        ],
        environment,
        secrets: vec!["grafana_admin_password".into()],
        depends_on,
        healthcheck: Some(http_check("http://localhost:3000/api/health")),
        ..Service::default()
    }
}

fn loki(d: &Deploy) -> Service {
    Service {
        image: deploy::LOKI_IMAGE.into(),
        command: vec!["-config.file=/etc/loki/loki.yml".into()],
        restart: "unless-stopped",
        ports: ports(d, "loki"),
        volumes: vec![
            "./loki/loki.yml:/etc/loki/loki.yml:ro".into(),
            "loki-data:/loki".into(),
        ],
        healthcheck: Some(http_check("http://localhost:3100/ready")),
        ..Service::default()
    }
}

fn jaeger(d: &Deploy) -> Service {
    Service {
        image: deploy::JAEGER_IMAGE.into(),
        restart: "unless-stopped",
        // The UI, and OTLP over gRPC and HTTP from the Lloom nodes.
        ports: ports(d, "jaeger"),
        // Jaeger 2's healthcheckv2 extension; the image is Alpine, so
        // busybox wget is there.
        healthcheck: Some(http_check("http://localhost:13133/status")),
        ..Service::default()
    }
}
