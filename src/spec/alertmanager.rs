//! `[alertmanager]`: where alerts go. Receivers take secrets only as files
//! Alertmanager reads itself; the inline forms are accepted by the parser only
//! so that the model can point at them and say what to write instead.

use super::{Labels, Str};
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertmanagerSpec {
    pub resolve_timeout: Option<Str>,
    pub smtp: Option<SmtpSpec>,
    /// A file holding the Slack webhook URL for every Slack receiver.
    pub slack_api_url_file: Option<Str>,
    /// `false` leaves out the built-in inhibition rules (critical mutes the
    /// warning of the same alert and instance; an SLO page mutes its ticket).
    pub builtin_inhibit: Option<bool>,
    pub route: RouteSpec,
    #[serde(default)]
    pub receiver: Vec<ReceiverSpec>,
    #[serde(default)]
    pub inhibit: Vec<InhibitSpec>,
    #[serde(default)]
    pub time_interval: Vec<TimeIntervalSpec>,
    /// Labels of an alert and the receivers it must reach.
    #[serde(default)]
    pub route_test: Vec<RouteTestSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSpec {
    pub from: Str,
    pub smarthost: Str,
    pub hello: Option<Str>,
    pub auth_username: Option<Str>,
    pub auth_password_file: Option<Str>,
    /// Rejected: a password must come from `auth_password_file`.
    pub auth_password: Option<Str>,
    pub require_tls: Option<bool>,
}

/// A node of the routing tree; the top one is the root route.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteSpec {
    pub receiver: Option<Str>,
    /// `label="value"`, `label!="value"`, `label=~"regex"`, `label!~"regex"`.
    #[serde(default)]
    pub matchers: Vec<Str>,
    pub group_by: Option<Vec<Str>>,
    pub group_wait: Option<Str>,
    pub group_interval: Option<Str>,
    pub repeat_interval: Option<Str>,
    #[serde(rename = "continue")]
    pub continue_: Option<bool>,
    #[serde(default)]
    pub mute_time_intervals: Vec<Str>,
    #[serde(default)]
    pub active_time_intervals: Vec<Str>,
    #[serde(default)]
    pub routes: Vec<Spanned<RouteSpec>>,
    /// Rejected: the deprecated `match`/`match_re` maps; use `matchers`.
    #[serde(rename = "match")]
    pub match_: Option<Spanned<toml::Table>>,
    pub match_re: Option<Spanned<toml::Table>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiverSpec {
    pub name: Str,
    #[serde(default)]
    pub email: Vec<EmailSpec>,
    #[serde(default)]
    pub pagerduty: Vec<PagerDutySpec>,
    #[serde(default)]
    pub slack: Vec<SlackSpec>,
    #[serde(default)]
    pub webhook: Vec<WebhookSpec>,
    #[serde(default)]
    pub opsgenie: Vec<OpsgenieSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailSpec {
    pub to: Str,
    pub from: Option<Str>,
    pub smarthost: Option<Str>,
    #[serde(default)]
    pub headers: Labels,
    pub send_resolved: Option<bool>,
    pub auth_username: Option<Str>,
    pub auth_password_file: Option<Str>,
    /// Rejected: use `auth_password_file`.
    pub auth_password: Option<Str>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagerDutySpec {
    /// Events API v2 integration key, in a file.
    pub routing_key_file: Option<Str>,
    /// Events API v1 service key, in a file.
    pub service_key_file: Option<Str>,
    /// The Events API endpoint; Alertmanager's default when absent.
    pub url: Option<Str>,
    pub description: Option<Str>,
    pub severity: Option<Str>,
    pub send_resolved: Option<bool>,
    /// Rejected: use `routing_key_file`.
    pub routing_key: Option<Str>,
    /// Rejected: use `service_key_file`.
    pub service_key: Option<Str>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlackSpec {
    /// The webhook URL, in a file; `alertmanager.slack_api_url_file` when absent.
    pub api_url_file: Option<Str>,
    pub channel: Option<Str>,
    pub title: Option<Str>,
    pub text: Option<Str>,
    pub send_resolved: Option<bool>,
    /// Rejected: a Slack webhook URL is a secret; use `api_url_file`.
    pub api_url: Option<Str>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookSpec {
    pub url: Str,
    /// A bearer token, in a file (`http_config.authorization.credentials_file`).
    pub credentials_file: Option<Str>,
    pub max_alerts: Option<Spanned<u32>>,
    pub send_resolved: Option<bool>,
    /// Rejected: use `credentials_file`.
    pub credentials: Option<Str>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpsgenieSpec {
    pub api_key_file: Option<Str>,
    pub api_url: Option<Str>,
    pub message: Option<Str>,
    pub description: Option<Str>,
    pub priority: Option<Str>,
    pub tags: Option<Str>,
    pub send_resolved: Option<bool>,
    /// Rejected: use `api_key_file`.
    pub api_key: Option<Str>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InhibitSpec {
    pub source_matchers: Vec<Str>,
    pub target_matchers: Vec<Str>,
    #[serde(default)]
    pub equal: Vec<Str>,
}

/// A named set of times (for `mute_time_intervals`/`active_time_intervals`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeIntervalSpec {
    pub name: Str,
    #[serde(default)]
    pub weekdays: Vec<Str>,
    /// `"09:00-17:00"` ranges, in `location`'s time.
    #[serde(default)]
    pub times: Vec<Str>,
    #[serde(default)]
    pub days_of_month: Vec<Str>,
    #[serde(default)]
    pub months: Vec<Str>,
    pub location: Option<Str>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteTestSpec {
    pub labels: Labels,
    pub receivers: Vec<Str>,
}
