//! `[roles.client|executor|validator]`: the Lloom hosts by role; each role
//! present becomes a `lloom-<role>` scrape job.

use super::scrape::RelabelSpec;
use super::{Labels, Str};
use serde::Deserialize;
use toml::Spanned;

/// The three Lloom roles; each present role becomes a `lloom-<role>` job.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RolesSpec {
    pub client: Option<RoleSpec>,
    pub executor: Option<RoleSpec>,
    pub validator: Option<RoleSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleSpec {
    /// `host` (the role's port) or `host:port`.
    pub hosts: Vec<Str>,
    pub port: Option<Spanned<u16>>,
    pub scrape_interval: Option<Str>,
    pub scrape_timeout: Option<Str>,
    pub metrics_path: Option<Str>,
    #[serde(default)]
    pub labels: Labels,
    #[serde(default)]
    pub relabel: Vec<Spanned<RelabelSpec>>,
}
