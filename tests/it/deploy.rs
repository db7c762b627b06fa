//! The runnable stack: compose files pass Debian's `docker-compose config -q`
//! (1.29) as well as the compose-spec schema (`real_tools.rs`), scripts pass
//! shellcheck, systemd units pass `systemd-analyze verify`, Prometheus and
//! Alertmanager start natively from the units' own command lines, no port is
//! published beyond loopback unless the spec asks, no secret is inlined, and
//! a spec without logs and tracing runs no Loki, agent or Jaeger.

use crate::common;

use common::{read_tree, rendered, require_tool};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn ok(cmd: &mut Command, what: &str) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn files_with(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = read_tree(dir)
        .into_keys()
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .map(|p| dir.join(p))
        .collect();
    out.sort();
    out
}

/// The compose files of a rendered tree, each with the files it is used with.
fn compose_sets(dir: &Path) -> Vec<Vec<PathBuf>> {
    let mut sets = Vec::new();
    if dir.join("docker-compose.yml").is_file() {
        sets.push(vec![dir.join("docker-compose.yml")]);
    }
    let agent = dir.join("node-agent/docker-compose.yml");
    if agent.is_file() {
        sets.push(vec![agent.clone()]);
        let gpu = dir.join("node-agent/docker-compose.gpu.yml");
        if gpu.is_file() {
            sets.push(vec![agent, gpu]);
        }
    }
    sets
}

#[test]
fn docker_compose_accepts_every_compose_file() {
    let dc = require_tool("docker-compose", "apt-get install -y docker-compose");
    for spec in common::valid_specs() {
        let dir = rendered(&spec);
        let sets = compose_sets(dir.path());
        assert!(!sets.is_empty(), "{spec} renders a compose file");
        for set in sets {
            let mut cmd = Command::new(&dc);
            for f in &set {
                cmd.arg("-f").arg(f);
            }
            ok(
                cmd.args(["config", "-q"]),
                &format!("{spec}: docker-compose config -q {set:?}"),
            );
        }
    }
}

#[test]
fn shellcheck_accepts_every_script() {
    let shellcheck = require_tool("shellcheck", "apt-get install -y shellcheck");
    for spec in common::valid_specs() {
        let dir = rendered(&spec);
        for script in files_with(dir.path(), ".sh") {
            ok(
                Command::new(&shellcheck).arg(&script),
                &format!("{spec}: shellcheck {}", script.display()),
            );
        }
    }
    // And the repository's own: CI's scripts and the reference tools' build.
    for script in [".ci/run", ".ci/test", "tools/reference/build"] {
        ok(
            Command::new(&shellcheck).arg(common::root().join(script)),
            &format!("shellcheck {script}"),
        );
    }
}

/// A copy of the units where an executable this machine lacks (Loki, Alloy,
/// Jaeger are not Debian packages) is a stub, so that systemd checks the rest.
fn units_for_verify(dir: &Path, scratch: &Path) -> Vec<PathBuf> {
    let stub = scratch.join("stub");
    std::fs::write(&stub, "#!/bin/sh\n").unwrap();
    Command::new("chmod").arg("+x").arg(&stub).status().unwrap();
    files_with(dir, ".service")
        .into_iter()
        .map(|unit| {
            let text = std::fs::read_to_string(&unit).unwrap();
            let exec = text
                .lines()
                .find_map(|l| l.strip_prefix("ExecStart="))
                .unwrap();
            let binary = exec.split(' ').next().unwrap();
            let text = if Path::new(binary).exists() {
                text.clone()
            } else {
                text.replacen(binary, stub.to_str().unwrap(), 1)
            };
            let copy = scratch.join(unit.file_name().unwrap());
            std::fs::write(&copy, text).unwrap();
            copy
        })
        .collect()
}

#[test]
fn systemd_accepts_every_unit() {
    let analyze = require_tool("systemd-analyze", "apt-get install -y systemd");
    for spec in common::valid_specs() {
        let dir = rendered(&spec);
        let scratch = tempfile::tempdir().unwrap();
        let units = units_for_verify(dir.path(), scratch.path());
        assert!(
            units.iter().any(|u| u.ends_with("prometheus.service")),
            "{spec}"
        );
        ok(
            Command::new(&analyze).arg("verify").args(&units),
            &format!("{spec}: systemd-analyze verify"),
        );
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn ready(port: u16) -> bool {
    use std::io::{Read, Write};
    let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = write!(s, "GET /-/ready HTTP/1.0\r\n\r\n");
    let mut reply = String::new();
    let _ = s.read_to_string(&mut reply);
    reply.contains(" 200 ")
}

struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A unit's ExecStart, with the generated tree for `/etc/<name>`, scratch
/// directories for `/var/lib/<name>` and a loopback port substituted.
fn start(
    unit: &str,
    (dir, scratch): (&Path, &Path),
    port: u16,
    default_port: u16,
    binary_path: &dyn Fn(&str) -> PathBuf,
) -> Running {
    let text = std::fs::read_to_string(dir.join("systemd").join(unit)).unwrap();
    let words = lloom_monctl::render::deploy::systemd::Unit::exec_start(&text).unwrap();
    let args: Vec<String> = words[1..]
        .iter()
        .map(|w| {
            w.replace("/etc/prometheus", dir.join("prometheus").to_str().unwrap())
                .replace(
                    "/etc/alertmanager",
                    dir.join("alertmanager").to_str().unwrap(),
                )
                .replace("/var/lib/", &format!("{}/", scratch.display()))
                .replace(&format!(":{default_port}"), &format!(":{port}"))
        })
        .collect();
    assert!(
        args.iter()
            .any(|a| a.contains(&format!("127.0.0.1:{port}"))),
        "{unit} listens on loopback: {args:?}"
    );
    let binary = Path::new(&words[0])
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let log = std::fs::File::create(scratch.join(format!("{binary}.log"))).unwrap();
    let child = Command::new(binary_path(&binary))
        .args(&args)
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap();
    Running(child)
}

/// Debian's `prometheus` and `prometheus-alertmanager`, as the units name them.
fn floor_binary(name: &str) -> PathBuf {
    require_tool(
        name,
        "apt-get install -y prometheus prometheus-alertmanager",
    )
}

/// The versions the stack deploys, for the units' binaries.
fn pinned_binary(name: &str) -> PathBuf {
    common::reference_tool(name.trim_start_matches("prometheus-"))
}

#[test]
fn prometheus_and_alertmanager_start_from_the_units_command_lines() {
    // Debian's 2.42 on a spec without Kubernetes or Consul discovery, which it
    // lacks; 3.5.0 and 0.28.1, the stack's, on the example.
    for (spec, binary_path) in [
        (
            "tests/fixtures/valid/alerting-tuned.toml",
            &floor_binary as &dyn Fn(&str) -> PathBuf,
        ),
        ("specs/lloom.toml", &pinned_binary),
    ] {
        starts_from_the_units(&rendered(spec), binary_path);
    }
}

fn starts_from_the_units(dir: &common::Rendered, binary_path: &dyn Fn(&str) -> PathBuf) {
    let scratch = tempfile::tempdir().unwrap();
    let (prom_port, am_port) = (free_port(), free_port());
    let dirs = (dir.path(), scratch.path());
    let _am = start("alertmanager.service", dirs, am_port, 9093, binary_path);
    let _prom = start("prometheus.service", dirs, prom_port, 9090, binary_path);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !(ready(prom_port) && ready(am_port)) {
        if Instant::now() > deadline {
            let logs: Vec<String> = ["prometheus", "prometheus-alertmanager"]
                .iter()
                .map(|b| {
                    std::fs::read_to_string(scratch.path().join(format!("{b}.log")))
                        .unwrap_or_default()
                })
                .collect();
            panic!("not ready within 60 s:\n{}", logs.join("\n---\n"));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn compose_files(dir: &Path) -> Vec<(PathBuf, Value)> {
    compose_sets(dir)
        .into_iter()
        .flatten()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|p| {
            let doc: Value = serde_saphyr::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            (p, doc)
        })
        .collect()
}

/// The services a spec's `[deploy] expose` names.
fn exposed(spec: &str) -> Vec<String> {
    let text = std::fs::read_to_string(common::root().join(spec)).unwrap();
    text.parse::<toml::Table>()
        .unwrap()
        .get("deploy")
        .and_then(|d| d.get("expose"))
        .and_then(|e| e.as_array())
        .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn no_port_is_published_beyond_loopback_unless_the_spec_asks() {
    for spec in common::valid_specs() {
        let dir = rendered(&spec);
        let exposed = exposed(&spec);
        let mut published = 0;
        for (path, doc) in compose_files(dir.path()) {
            for (name, service) in doc["services"].as_object().unwrap() {
                for port in service["ports"].as_array().into_iter().flatten() {
                    let port = port.as_str().unwrap();
                    let bind = if exposed.contains(name) {
                        "0.0.0.0:"
                    } else {
                        "127.0.0.1:"
                    };
                    assert!(
                        port.starts_with(bind),
                        "{spec}: {}: {name} publishes {port}",
                        path.display()
                    );
                    published += 1;
                }
            }
        }
        // Prometheus and Grafana publish in every spec.
        assert!(published >= 2, "{spec}: only {published} ports checked");
    }
}

/// The same rule for the manual setup: each monitoring-host unit listens on
/// 127.0.0.1 unless the spec exposes its service.
#[test]
fn no_unit_listens_beyond_loopback_unless_the_spec_asks() {
    // (file under systemd/, service name in `[deploy] expose`, setting)
    let listens = [
        ("prometheus.service", "prometheus", "--web.listen-address="),
        (
            "alertmanager.service",
            "alertmanager",
            "--web.listen-address=",
        ),
        ("loki.service", "loki", "-server.http-listen-address="),
        ("jaeger.service", "jaeger", "JAEGER_LISTEN_HOST="),
        (
            "grafana-server.service.d/lloom.conf",
            "grafana",
            "GF_SERVER_HTTP_ADDR=",
        ),
    ];
    let mut seen = 0;
    for spec in common::valid_specs() {
        let dir = rendered(&spec);
        let exposed = exposed(&spec);
        for (file, service, setting) in listens {
            let Ok(unit) = std::fs::read_to_string(dir.path().join("systemd").join(file)) else {
                continue;
            };
            let host = if exposed.iter().any(|e| e == service) {
                "0.0.0.0"
            } else {
                "127.0.0.1"
            };
            let at = unit
                .find(setting)
                .unwrap_or_else(|| panic!("{spec}: {file} has no {setting}"));
            assert!(
                unit[at + setting.len()..].starts_with(host),
                "{spec}: {file}: {setting} is not {host}"
            );
            seen += 1;
        }
    }
    assert!(seen > 10, "only {seen} units checked");
}

#[test]
fn secrets_are_compose_secrets_and_grafana_never_runs_with_a_default_password() {
    let dir = rendered("specs/lloom.toml");
    let compose = std::fs::read_to_string(dir.path().join("docker-compose.yml")).unwrap();
    let doc: Value = serde_saphyr::from_str(&compose).unwrap();
    let grafana = &doc["services"]["grafana"];
    assert_eq!(
        grafana["environment"]["GF_SECURITY_ADMIN_PASSWORD__FILE"],
        "/run/secrets/grafana_admin_password"
    );
    assert!(grafana["environment"]
        .get("GF_SECURITY_ADMIN_PASSWORD")
        .is_none());
    assert_eq!(grafana["environment"]["GF_AUTH_ANONYMOUS_ENABLED"], "false");
    assert_eq!(grafana["environment"]["GF_USERS_ALLOW_SIGN_UP"], "false");
    // Every secret file alertmanager.yml names under /run/secrets is a compose secret.
    let am = std::fs::read_to_string(dir.path().join("alertmanager/alertmanager.yml")).unwrap();
    for name in [
        "pagerduty_routing_key",
        "slack_webhook_url",
        "smtp_password",
    ] {
        assert!(am.contains(&format!("/run/secrets/{name}")));
        assert_eq!(
            doc["secrets"][name]["file"],
            format!("./secrets/{name}"),
            "{name}"
        );
        assert!(doc["services"]["alertmanager"]["secrets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == name));
    }
    for (path, bytes) in read_tree(dir.path()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("admin:admin") && !text.contains("admin/admin"),
            "{}",
            path.display()
        );
    }
}

#[test]
fn without_logs_and_tracing_no_loki_agent_or_jaeger_runs() {
    let tree = read_tree(rendered("tests/fixtures/valid/minimal.toml").path());
    for path in tree.keys() {
        let p = path.to_string_lossy();
        assert!(
            !p.starts_with("loki/")
                && !p.starts_with("alloy/")
                && !p.starts_with("promtail/")
                && !p.starts_with("lloom/"),
            "{p}"
        );
        assert!(
            !p.contains("jaeger")
                && !p.contains("loki")
                && !p.contains("alloy")
                && !p.contains("promtail"),
            "{p}"
        );
    }
    let compose = String::from_utf8_lossy(&tree[Path::new("docker-compose.yml")]).into_owned();
    for service in ["loki", "jaeger", "alloy", "promtail"] {
        assert!(
            !compose.contains(&format!("{service}:")),
            "{service} runs without being asked for"
        );
    }
    // The example has all three.
    let example = read_tree(rendered("specs/lloom.toml").path());
    let compose = String::from_utf8_lossy(&example[Path::new("docker-compose.yml")]).into_owned();
    assert!(
        compose.contains("  loki:") && compose.contains("  jaeger:"),
        "{compose}"
    );
    assert!(example.contains_key(Path::new("lloom/executor-tracing.toml")));
}
