//! Alertmanager's files: `alertmanager.yml`, the notification templates, and
//! the amtool script that proves the routing.

pub mod config;
pub(super) mod notification_templates;
pub(super) mod route_cases;
