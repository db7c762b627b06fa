//! Grafana's files: provisioning, each dashboard's JSON and a picture of its
//! layout.

pub mod dashboard;
pub(super) mod layout_svg;
mod panel;
pub mod provisioning;
