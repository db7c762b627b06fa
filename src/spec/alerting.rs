//! `[alerting]`: the Alertmanagers Prometheus sends alerts to (each is also
//! scraped); `[alertmanager]` configures the stack's own.

use super::Str;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertingSpec {
    /// `host:port` of each Alertmanager.
    #[serde(default)]
    pub alertmanagers: Vec<Str>,
}
