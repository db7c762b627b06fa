//! The generated README's deployment part: what runs where, how to start it,
//! back it up, and the guide's debug commands with this stack's ports.

use crate::model::{Model, Targets};
use serde::Serialize;

#[derive(Serialize)]
pub(super) struct Deployment {
    monitoring_host: String,
    exposed: Vec<String>,
    gpu_hosts: Vec<String>,
    agent: Option<&'static str>,
    logs: bool,
    tracing: bool,
    node_agent: bool,
    /// A Lloom target to `curl` in the debug commands.
    example_target: Option<String>,
    roles: Vec<&'static str>,
}

pub(super) fn deployment(model: &Model) -> Deployment {
    let d = &model.deploy;
    let example_target = model
        .jobs
        .iter()
        .filter(|j| j.name.starts_with("lloom-"))
        .find_map(|j| match &j.targets {
            Targets::Static(groups) => groups.iter().flat_map(|g| &g.targets).next().cloned(),
            _ => None,
        });
    Deployment {
        monitoring_host: d.monitoring_host.clone(),
        exposed: d.expose.iter().cloned().collect(),
        gpu_hosts: d.gpu.as_ref().map(|g| g.hosts.clone()).unwrap_or_default(),
        agent: model.logs.as_ref().map(|l| l.agent.name()),
        logs: model.logs.is_some(),
        tracing: d.tracing.is_some(),
        node_agent: d.node_exporter_port.is_some() || model.logs.is_some(),
        example_target,
        roles: if d.tracing.is_some() {
            model.roles()
        } else {
            Vec::new()
        },
    }
}
