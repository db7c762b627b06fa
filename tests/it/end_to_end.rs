//! End to end: real Prometheus and Alertmanager, at the versions the stack
//! deploys (3.5.0 and 0.28.1, built by `tools/reference/build`), on loopback ports, running the example spec's
//! generated rules and routing, scrape a synthetic executor started here.
//! When the executor's GPU memory and queue pass the built-in thresholds, the
//! critical `ExecutorGPUMemoryHigh` must arrive through the generated
//! PagerDuty receiver and the warning `ExecutorHighQueueSize` through the
//! generated Slack receiver (each pointed at a local server that records the
//! requests), and neither the other way round; when they recover, both must
//! resolve.
//!
//! Overridden, and only these: timings (1 s scrape and evaluation, `for` 0,
//! group timers), addresses (targets, the receivers' URLs) and the paths of
//! the secret files. Clustering is off; every process stops at the end, also
//! on failure.

use crate::common;
use crate::e2e;

use e2e::http::{executor, Recorder};
use e2e::procs::{free_port, ready, wait_for, Proc};
use lloom_monctl::render::alertmanager::config::Config;
use lloom_monctl::render::prometheus::config::{PrometheusConfig, StaticConfig};
use lloom_monctl::render::prometheus::rule_file::{RuleFile, RuleOut};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(60);

fn read<T: serde::de::DeserializeOwned>(path: &Path) -> T {
    serde_saphyr::from_str(&std::fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write<T: serde::Serialize>(path: &Path, value: &T) {
    std::fs::write(path, serde_saphyr::to_string(value).unwrap()).unwrap();
}

/// The generated `prometheus.yml`, scraping only the synthetic executor.
fn prometheus_config(dir: &Path, executor: &str, alertmanager: &str) {
    let path = dir.join("prometheus/prometheus.yml");
    let mut c: PrometheusConfig = read(&path);
    c.global.scrape_interval = "1s".into();
    c.global.scrape_timeout = "1s".into();
    c.global.evaluation_interval = "1s".into();
    c.scrape_configs.retain(|j| j.job_name == "lloom-executor");
    let job = &mut c.scrape_configs[0];
    job.scrape_interval = None;
    job.scrape_timeout = None;
    job.static_configs = vec![StaticConfig {
        targets: vec![executor.into()],
        labels: Default::default(),
    }];
    let alerting = c.alerting.as_mut().expect("the example sends alerts");
    alerting.alertmanagers[0].static_configs = vec![StaticConfig {
        targets: vec![alertmanager.into()],
        labels: Default::default(),
    }];
    c.rule_files = vec![dir.join("prometheus/rules/*.yml").display().to_string()];
    write(&path, &c);
}

/// Every rule group evaluated each second, every alert without `for`.
fn rules_now(dir: &Path) {
    for entry in std::fs::read_dir(dir.join("prometheus/rules")).unwrap() {
        let path = entry.unwrap().path();
        let mut f: RuleFile = read(&path);
        for g in &mut f.groups {
            g.interval = Some("1s".into());
            for r in &mut g.rules {
                if let RuleOut::Alert(a) = r {
                    a.for_ = None;
                }
            }
        }
        write(&path, &f);
    }
}

/// The generated routing, with the receivers pointed at the recorders.
fn alertmanager_config(dir: &Path, secrets: &Path, pagerduty: &str, slack: &str) {
    let path = dir.join("alertmanager/alertmanager.yml");
    let mut c: Config = read(&path);
    c.route.group_wait = Some("0s".into());
    c.route.group_interval = Some("1s".into());
    c.route.repeat_interval = Some("1h".into());
    std::fs::write(secrets.join("pagerduty_routing_key"), "e2e-routing-key").unwrap();
    std::fs::write(secrets.join("slack_webhook_url"), slack).unwrap();
    std::fs::write(secrets.join("smtp_password"), "e2e").unwrap();
    let secret = |p: &Option<String>| {
        p.as_ref().map(|p| {
            secrets
                .join(Path::new(p).file_name().unwrap())
                .display()
                .to_string()
        })
    };
    if let Some(g) = c.global.as_mut() {
        g.smtp_auth_password_file = secret(&g.smtp_auth_password_file);
        g.smtp_smarthost = Some("127.0.0.1:9".into());
    }
    for r in &mut c.receivers {
        for p in &mut r.pagerduty_configs {
            p.routing_key_file = secret(&p.routing_key_file);
            p.url = Some(pagerduty.into());
        }
        for s in &mut r.slack_configs {
            s.api_url_file = secret(&s.api_url_file);
        }
    }
    c.templates = vec![dir
        .join("alertmanager")
        .join(&c.templates[0])
        .display()
        .to_string()];
    write(&path, &c);
}

#[test]
fn a_critical_alert_pages_and_a_warning_reaches_slack_then_both_resolve() {
    // The versions the stack deploys (Prometheus 3.5.0, Alertmanager 0.28.1).
    let prometheus = common::reference_tool("prometheus");
    let alertmanager = common::reference_tool("alertmanager");
    let work = tempfile::tempdir().unwrap();
    let dir = common::render_to_temp("specs/lloom.toml");

    let burning = Arc::new(AtomicBool::new(false));
    let node = executor(Arc::clone(&burning));
    let pagerduty =
        Recorder::start(r#"{"status":"success","message":"Event processed","dedup_key":"e2e"}"#);
    let slack = Recorder::start("ok");
    let (prom_port, am_port) = (free_port(), free_port());

    prometheus_config(
        dir.path(),
        &node.addr.to_string(),
        &format!("127.0.0.1:{am_port}"),
    );
    rules_now(dir.path());
    alertmanager_config(
        dir.path(),
        work.path(),
        &pagerduty.server.url("/v2/enqueue"),
        &slack.server.url("/slack"),
    );

    let am = Proc::spawn(
        "alertmanager",
        Command::new(alertmanager)
            .arg(format!(
                "--config.file={}",
                dir.path().join("alertmanager/alertmanager.yml").display()
            ))
            .arg(format!(
                "--storage.path={}",
                work.path().join("am").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{am_port}"))
            .arg("--cluster.listen-address="),
        work.path(),
    );
    let prom = Proc::spawn(
        "prometheus",
        Command::new(prometheus)
            .arg(format!(
                "--config.file={}",
                dir.path().join("prometheus/prometheus.yml").display()
            ))
            .arg(format!(
                "--storage.tsdb.path={}",
                work.path().join("tsdb").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{prom_port}")),
        work.path(),
    );
    let logs = || {
        format!(
            "--- prometheus\n{}\n--- alertmanager\n{}",
            prom.log_tail(),
            am.log_tail()
        )
    };
    wait_for("Alertmanager to be ready", LIMIT, || ready(am_port), logs);
    wait_for("Prometheus to be ready", LIMIT, || ready(prom_port), logs);

    burning.store(true, Ordering::SeqCst);
    let seen = || {
        format!(
            "pagerduty: {:#?}\nslack: {:#?}\n{}",
            pagerduty.all(),
            slack.all(),
            logs()
        )
    };
    wait_for(
        "ExecutorGPUMemoryHigh to page through PagerDuty",
        LIMIT,
        || {
            pagerduty.any(|b| {
                b.contains("\"event_action\":\"trigger\"") && b.contains("ExecutorGPUMemoryHigh")
            })
        },
        seen,
    );
    wait_for(
        "ExecutorHighQueueSize to reach Slack",
        LIMIT,
        || slack.any(|b| b.contains("FIRING") && b.contains("ExecutorHighQueueSize")),
        seen,
    );

    burning.store(false, Ordering::SeqCst);
    wait_for(
        "ExecutorGPUMemoryHigh to resolve on PagerDuty",
        LIMIT,
        || {
            pagerduty.any(|b| {
                b.contains("\"event_action\":\"resolve\"") && b.contains("ExecutorGPUMemoryHigh")
            })
        },
        seen,
    );
    wait_for(
        "ExecutorHighQueueSize to resolve on Slack",
        LIMIT,
        || slack.any(|b| b.contains("RESOLVED") && b.contains("ExecutorHighQueueSize")),
        seen,
    );

    // Each went to its own receiver only.
    assert!(
        !slack.any(|b| b.contains("ExecutorGPUMemoryHigh")),
        "{}",
        seen()
    );
    assert!(
        !pagerduty.any(|b| b.contains("ExecutorHighQueueSize")),
        "{}",
        seen()
    );
    // The notification carries the generated texts: summary and runbook link.
    assert!(slack.any(|b| b.contains("Runbook: https://github.com/dexloom/lloom-monctl/blob/main/generated/runbooks/ExecutorHighQueueSize.md")), "{}", seen());
    if std::env::var_os("E2E_SHOW").is_some() {
        eprintln!("{}", seen());
    }
    drop(prom);
    drop(am);
}
