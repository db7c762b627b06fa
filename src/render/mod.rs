//! Model → files, one folder per format family; each maps the model to typed
//! output structs and serializes them. This file is the one list of what is
//! written where. Nothing here reads the spec.

pub mod alertmanager;
pub mod deploy;
mod docs;
pub mod grafana;
pub mod logs;
pub mod prometheus;
mod templates;
mod yaml;

use crate::model::alerting::Alertmanager;
use crate::model::logs::{Agent, Logs};
use crate::model::{Dashboard, Model};
use alertmanager::route_cases;
use deploy::{compose, compose_agent, scripts, systemd, tracing};
use docs::{metrics_md, readme, runbooks};
use grafana::{layout_svg, provisioning as grafana_provisioning};
use logs::{alloy, loki, promtail};
use prometheus::{file_sd, rule_file, rule_test_file};
use std::path::PathBuf;

/// One generated file, by path relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    pub path: PathBuf,
    pub contents: String,
}

/// A serializer or template failed: a bug in lloom-monctl, not in the spec.
#[derive(Debug)]
pub struct RenderError(pub String);

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Renders every artifact, sorted by path.
pub fn render(model: &Model) -> Result<Vec<Artifact>, RenderError> {
    let mut files = Vec::new();
    prometheus_files(model, &mut files)?;
    if let Some(am) = &model.alertmanager {
        alertmanager_files(model, am, &mut files)?;
    }
    if let Some(logs) = &model.logs {
        log_files(logs, &mut files)?;
    }
    if !model.dashboards.is_empty() {
        grafana_files(model, &mut files)?;
    }
    deployment(model, &mut files)?;
    docs(model, &mut files)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// `prometheus.yml`, its file_sd targets, a rule file per group and the
/// promtool tests of the rules.
fn prometheus_files(model: &Model, files: &mut Vec<Artifact>) -> Result<(), RenderError> {
    files.push(Artifact {
        path: PathBuf::from("prometheus/prometheus.yml"),
        contents: yaml::to_yaml(&prometheus::config::config(model))?,
    });
    files.extend(file_sd::files(model)?);
    for group in &model.groups {
        files.push(Artifact {
            path: PathBuf::from(format!("prometheus/rules/{}.yml", group.file_stem())),
            contents: yaml::to_yaml(&rule_file::rule_file(group))?,
        });
    }
    for file in &model.tests {
        files.push(Artifact {
            path: PathBuf::from(rule_test_file::path(file)),
            contents: yaml::to_yaml(&rule_test_file::test_file(model, file))?,
        });
    }
    Ok(())
}

/// `alertmanager.yml`, the notification templates and the amtool routing
/// checks.
fn alertmanager_files(
    model: &Model,
    am: &Alertmanager,
    files: &mut Vec<Artifact>,
) -> Result<(), RenderError> {
    files.push(Artifact {
        path: PathBuf::from("alertmanager/alertmanager.yml"),
        contents: yaml::to_yaml(&alertmanager::config::config(am))?,
    });
    files.push(Artifact {
        path: PathBuf::from("alertmanager/templates/lloom.tmpl"),
        contents: alertmanager::notification_templates::render(model)?,
    });
    files.push(Artifact {
        path: PathBuf::from("alertmanager/route-tests.sh"),
        contents: route_cases::script(model, am),
    });
    Ok(())
}

/// Loki's config and both log agents': `logs.agent` only picks the one that
/// runs.
fn log_files(logs: &Logs, files: &mut Vec<Artifact>) -> Result<(), RenderError> {
    files.push(Artifact {
        path: PathBuf::from("loki/loki.yml"),
        contents: yaml::to_yaml(&loki::config(logs))?,
    });
    files.push(Artifact {
        path: PathBuf::from(Agent::Promtail.config_path()),
        contents: yaml::to_yaml(&promtail::config(logs))?,
    });
    files.push(Artifact {
        path: PathBuf::from(Agent::Alloy.config_path()),
        contents: alloy::config(logs),
    });
    Ok(())
}

/// Grafana's provisioning, and each dashboard's JSON with its layout picture
/// beside it, in its folder.
fn grafana_files(model: &Model, files: &mut Vec<Artifact>) -> Result<(), RenderError> {
    files.push(Artifact {
        path: PathBuf::from("grafana/provisioning/datasources/lloom.yml"),
        contents: yaml::to_yaml(&grafana_provisioning::datasources(model))?,
    });
    files.push(Artifact {
        path: PathBuf::from("grafana/provisioning/dashboards/lloom.yml"),
        contents: yaml::to_yaml(&grafana_provisioning::providers(&model.dashboards))?,
    });
    for d in &model.dashboards {
        let dir = format!(
            "grafana/dashboards/{}",
            grafana_provisioning::folder_dir(&d.folder)
        );
        let json = serde_json::to_string_pretty(&grafana::dashboard::dashboard(d))
            .map_err(|e| RenderError(format!("dashboard {}: {e}", d.uid)))?;
        files.push(Artifact {
            path: PathBuf::from(format!("{dir}/{}.json", d.uid)),
            contents: json + "\n",
        });
        files.push(Artifact {
            path: PathBuf::from(format!("{dir}/{}.svg", d.uid)),
            contents: layout_svg::svg(&d.title, &panel_boxes(d)),
        });
    }
    Ok(())
}

/// The layout picture's view of a dashboard's panels.
fn panel_boxes(d: &Dashboard) -> Vec<layout_svg::PanelBox<'_>> {
    d.panels
        .iter()
        .map(|p| layout_svg::PanelBox {
            title: &p.title,
            kind: &p.kind,
            x: p.grid.x,
            y: p.grid.y,
            w: p.grid.w,
            h: p.grid.h,
        })
        .collect()
}

/// The runbooks, `METRICS.md` and the tree's `README.md`: what people read.
fn docs(model: &Model, files: &mut Vec<Artifact>) -> Result<(), RenderError> {
    files.extend(runbooks::render(model)?);
    files.push(Artifact {
        path: PathBuf::from("METRICS.md"),
        contents: metrics_md::render(&model.catalog)?,
    });
    files.push(Artifact {
        path: PathBuf::from("README.md"),
        contents: readme::render(model)?,
    });
    Ok(())
}

/// The compose files, systemd units, scripts and node snippets: how the
/// stack runs.
fn deployment(model: &Model, files: &mut Vec<Artifact>) -> Result<(), RenderError> {
    files.push(Artifact {
        path: PathBuf::from("docker-compose.yml"),
        contents: yaml::to_yaml(&compose::monitoring(model))?,
    });
    if let Some(agent) = compose_agent::agent(model) {
        files.push(Artifact {
            path: PathBuf::from("node-agent/docker-compose.yml"),
            contents: yaml::to_yaml(&agent)?,
        });
    }
    if let Some(gpu) = compose_agent::gpu(model) {
        files.push(Artifact {
            path: PathBuf::from("node-agent/docker-compose.gpu.yml"),
            contents: yaml::to_yaml(&gpu)?,
        });
    }
    for unit in systemd::units(model) {
        files.push(Artifact {
            path: PathBuf::from(format!("systemd/{}", unit.name)),
            contents: unit.text(),
        });
    }
    files.push(Artifact {
        path: PathBuf::from("systemd/grafana-server.service.d/lloom.conf"),
        contents: systemd::grafana_dropin(model),
    });
    files.push(Artifact {
        path: PathBuf::from("scripts/backup.sh"),
        contents: scripts::backup(model),
    });
    files.push(Artifact {
        path: PathBuf::from("scripts/restore.sh"),
        contents: scripts::restore(),
    });
    if let Some(t) = &model.deploy.tracing {
        for role in model.roles() {
            files.push(Artifact {
                path: PathBuf::from(format!("lloom/{role}-tracing.toml")),
                contents: tracing::snippet(t, role),
            });
        }
    }
    Ok(())
}
