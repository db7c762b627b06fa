//! `README.md` of the generated tree: what is there and how to run it,
//! including the Prometheus command line that carries retention.

use crate::model::{Model, Rule, Targets};
use crate::render::{templates, RenderError};
use serde::Serialize;

#[derive(Serialize)]
struct GroupRow {
    name: String,
    file: String,
    alerts: usize,
    records: usize,
    interval: String,
}

#[derive(Serialize)]
struct TestRow {
    group: String,
    file: String,
    cases: usize,
}

#[derive(Serialize)]
struct JobRow {
    name: String,
    targets: String,
    interval: String,
    path: String,
}

#[derive(Serialize)]
struct AlertRow {
    name: String,
    receivers: String,
    severity: String,
    for_: String,
    group: String,
    runbook: String,
}

/// The Prometheus 3 command line for this stack: the flags of the systemd
/// unit (retention, lifecycle for `/-/reload`), none of the `--enable-feature`
/// flags that Prometheus 3 made defaults or removed.
pub fn command_line(model: &Model) -> String {
    let r = &model.stack.retention;
    let mut flags = vec![
        "prometheus".to_string(),
        "--config.file=/etc/prometheus/prometheus.yml".to_string(),
        "--storage.tsdb.path=/var/lib/prometheus".to_string(),
        format!("--storage.tsdb.retention.time={}", r.time),
    ];
    if let Some(size) = &r.size {
        flags.push(format!("--storage.tsdb.retention.size={}", size.text));
    }
    flags.push("--web.listen-address=:9090".to_string());
    flags.push("--web.enable-lifecycle".to_string());
    flags.join(" \\\n  ")
}

/// `3.5.0` of `prom/prometheus:v3.5.0`.
fn image_version(image: &str) -> &str {
    image
        .rsplit_once(':')
        .map_or(image, |(_, tag)| tag.trim_start_matches('v'))
}

/// Listed targets, shortened for large fleets: prometheus.yml has them all.
fn target_list<'a>(targets: impl Iterator<Item = &'a String>) -> String {
    const SHOWN: usize = 6;
    let all: Vec<&String> = targets.collect();
    let mut text = all
        .iter()
        .take(SHOWN)
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if all.len() > SHOWN {
        text.push_str(&format!(" and {} more", all.len() - SHOWN));
    }
    text
}

/// The tree's README: its tables come from the model, so they cannot drift
/// from the files beside them.
pub fn render(model: &Model) -> Result<String, RenderError> {
    let full: Vec<String> = model
        .jobs
        .iter()
        .filter(|j| j.targets.needs_full_prometheus())
        .map(|j| format!("`{}`", j.name))
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("stack", &model.stack.name);
    ctx.insert("groups", &group_rows(model));
    ctx.insert("jobs", &job_rows(model));
    ctx.insert("alerts", &alert_rows(model));
    ctx.insert("alerting", &super::readme_alerting::alerting(model));
    ctx.insert("deployment", &super::readme_deploy::deployment(model));
    ctx.insert("rule_tests", &test_rows(model));
    ctx.insert("runbooks", &model.runbooks.len());
    ctx.insert("command_line", &command_line(model));
    ctx.insert(
        "prometheus_version",
        image_version(crate::model::deploy::PROMETHEUS_IMAGE),
    );
    ctx.insert("full_prometheus_jobs", &full.join(" and "));
    ctx.insert("hardware", &hardware_rows(model));
    templates::built_in()
        .render("README.md", &ctx)
        .map_err(|e| RenderError(format!("README.md template: {e:?}")))
}

fn group_rows(model: &Model) -> Vec<GroupRow> {
    let global = model.stack.evaluation_interval.to_string();
    model
        .groups
        .iter()
        .map(|g| GroupRow {
            name: g.name.clone(),
            file: g.file_stem(),
            alerts: g
                .rules
                .iter()
                .filter(|r| matches!(r, Rule::Alert(_)))
                .count(),
            records: g
                .rules
                .iter()
                .filter(|r| matches!(r, Rule::Record(_)))
                .count(),
            interval: g
                .interval
                .map_or_else(|| format!("{global} (global)"), |i| i.to_string()),
        })
        .collect()
}

fn job_rows(model: &Model) -> Vec<JobRow> {
    model
        .jobs
        .iter()
        .map(|j| JobRow {
            name: j.name.clone(),
            targets: targets(&j.targets),
            interval: j
                .scrape_interval
                .unwrap_or(model.stack.scrape_interval)
                .to_string(),
            path: j.metrics_path.clone().unwrap_or_else(|| "/metrics".into()),
        })
        .collect()
}

/// Where a job's targets come from, in a table cell.
fn targets(targets: &Targets) -> String {
    match targets {
        Targets::Static(groups) => target_list(groups.iter().flat_map(|g| g.targets.iter())),
        Targets::Files {
            files, generated, ..
        } if !generated.is_empty() => format!(
            "{} (file_sd `prometheus/{}`)",
            target_list(generated.iter().flat_map(|g| g.targets.iter())),
            files.join(", ")
        ),
        Targets::Files { files, .. } => format!(
            "file_sd: {}",
            files
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Targets::KubernetesPods { namespaces } => format!(
            "Kubernetes pods in {}",
            if namespaces.is_empty() {
                "all namespaces".to_string()
            } else {
                namespaces.join(", ")
            }
        ),
        Targets::Consul {
            server, services, ..
        } => format!("Consul `{server}`: {}", services.join(", ")),
    }
}

fn alert_rows(model: &Model) -> Vec<AlertRow> {
    model
        .groups
        .iter()
        .flat_map(|g| g.rules.iter().map(move |r| (g, r)))
        .filter_map(|(g, r)| match r {
            Rule::Alert(a) => Some(AlertRow {
                name: a.name.clone(),
                receivers: super::readme_alerting::receivers(model, a),
                severity: a.labels.get("severity").cloned().unwrap_or_default(),
                for_: a.for_.map_or_else(|| "0s".into(), |d| d.to_string()),
                group: g.name.clone(),
                runbook: a
                    .annotations
                    .get("runbook_url")
                    .cloned()
                    .unwrap_or_default(),
            }),
            Rule::Record(_) => None,
        })
        .collect()
}

fn test_rows(model: &Model) -> Vec<TestRow> {
    model
        .tests
        .iter()
        .map(|t| TestRow {
            group: t.group.clone(),
            file: t.file_stem(),
            cases: t.cases.len(),
        })
        .collect()
}

#[derive(Serialize)]
struct HardwareRow {
    host: String,
    gpus: String,
    driver: String,
    source: String,
}

/// A row per inventoried host; empty without `[hardware]`.
fn hardware_rows(model: &Model) -> Vec<HardwareRow> {
    let Some(hw) = &model.hardware else {
        return Vec::new();
    };
    hw.hosts
        .iter()
        .map(|h| HardwareRow {
            host: h.host.clone(),
            gpus: h.summary(),
            driver: h.driver_version.clone().unwrap_or_else(|| "none".into()),
            source: h.source.clone(),
        })
        .collect()
}
