//! `alertmanager/alertmanager.yml`: typed structs for the fields both
//! Alertmanager 0.25 (Debian's amtool) and current releases accept; secrets
//! appear only as `*_file` paths.

use crate::model::alerting::receivers::{PagerDutyKey, Receiver, ReceiverConfig};
use crate::model::alerting::routing::Route;
use crate::model::alerting::{Alertmanager, Inhibit, TimeInterval};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where the notification templates are, relative to `alertmanager.yml`.
pub const TEMPLATES: &str = "templates/*.tmpl";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global: Option<Global>,
    pub templates: Vec<String>,
    pub route: RouteOut,
    pub receivers: Vec<ReceiverOut>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inhibit_rules: Vec<InhibitOut>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub time_intervals: Vec<TimeIntervalOut>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Global {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolve_timeout: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp_smarthost: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp_hello: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp_auth_username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp_auth_password_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp_require_tls: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slack_api_url_file: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteOut {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiver: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matchers: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_by: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_wait: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_interval: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_interval: Option<String>,
    #[serde(
        default,
        rename = "continue",
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub continue_: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mute_time_intervals: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub active_time_intervals: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<RouteOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiverOut {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub email_configs: Vec<EmailOut>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pagerduty_configs: Vec<PagerDutyOut>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slack_configs: Vec<SlackOut>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub webhook_configs: Vec<WebhookOut>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub opsgenie_configs: Vec<OpsgenieOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailOut {
    pub to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smarthost: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_password_file: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_resolved: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagerDutyOut {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing_key_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_key_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    pub send_resolved: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlackOut {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_url_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    pub title: String,
    pub text: String,
    pub send_resolved: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookOut {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_alerts: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_config: Option<HttpConfig>,
    pub send_resolved: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpConfig {
    pub authorization: Authorization,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authorization {
    pub credentials_file: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpsgenieOut {
    pub api_key_file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_url: Option<String>,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<String>,
    pub send_resolved: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InhibitOut {
    pub source_matchers: Vec<String>,
    pub target_matchers: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub equal: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeIntervalOut {
    pub name: String,
    pub time_intervals: Vec<TimeSpecOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeSpecOut {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub times: Vec<TimeRangeOut>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weekdays: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub days_of_month: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub months: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeRangeOut {
    pub start_time: String,
    pub end_time: String,
}

/// `alertmanager.yml`; the `global` block only where something sets it.
pub fn config(am: &Alertmanager) -> Config {
    let global = Global {
        resolve_timeout: am.resolve_timeout.map(|d| d.to_string()),
        smtp_from: am.smtp.as_ref().map(|s| s.from.clone()),
        smtp_smarthost: am.smtp.as_ref().map(|s| s.smarthost.clone()),
        smtp_hello: am.smtp.as_ref().and_then(|s| s.hello.clone()),
        smtp_auth_username: am.smtp.as_ref().and_then(|s| s.auth_username.clone()),
        smtp_auth_password_file: am.smtp.as_ref().and_then(|s| s.auth_password_file.clone()),
        smtp_require_tls: am.smtp.as_ref().and_then(|s| s.require_tls),
        slack_api_url_file: am.slack_api_url_file.clone(),
    };
    Config {
        global: (global != Global::default()).then_some(global),
        templates: vec![TEMPLATES.to_string()],
        route: route(&am.route),
        receivers: am.receivers.iter().map(receiver).collect(),
        inhibit_rules: am.inhibit.iter().map(inhibit).collect(),
        time_intervals: am.time_intervals.iter().map(time_interval).collect(),
    }
}

fn route(r: &Route) -> RouteOut {
    let d = |d: Option<crate::model::Duration>| d.map(|d| d.to_string());
    RouteOut {
        receiver: r.receiver.clone(),
        matchers: r.matchers.iter().map(ToString::to_string).collect(),
        group_by: r.group_by.clone(),
        group_wait: d(r.group_wait),
        group_interval: d(r.group_interval),
        repeat_interval: d(r.repeat_interval),
        continue_: r.continue_,
        mute_time_intervals: r.mute_time_intervals.clone(),
        active_time_intervals: r.active_time_intervals.clone(),
        routes: r.routes.iter().map(route).collect(),
    }
}

fn receiver(r: &Receiver) -> ReceiverOut {
    let mut out = ReceiverOut {
        name: r.name.clone(),
        email_configs: Vec::new(),
        pagerduty_configs: Vec::new(),
        slack_configs: Vec::new(),
        webhook_configs: Vec::new(),
        opsgenie_configs: Vec::new(),
    };
    for c in &r.configs {
        match c {
            ReceiverConfig::Email(e) => out.email_configs.push(EmailOut {
                to: e.to.clone(),
                from: e.from.clone(),
                smarthost: e.smarthost.clone(),
                auth_username: e.auth_username.clone(),
                auth_password_file: e.auth_password_file.clone(),
                headers: e.headers.clone(),
                send_resolved: e.send_resolved,
            }),
            ReceiverConfig::PagerDuty(p) => out.pagerduty_configs.push(PagerDutyOut {
                routing_key_file: match &p.key {
                    PagerDutyKey::RoutingKeyFile(f) => Some(f.clone()),
                    PagerDutyKey::ServiceKeyFile(_) => None,
                },
                service_key_file: match &p.key {
                    PagerDutyKey::ServiceKeyFile(f) => Some(f.clone()),
                    PagerDutyKey::RoutingKeyFile(_) => None,
                },
                url: p.url.clone(),
                description: p.description.clone(),
                severity: p.severity.clone(),
                send_resolved: p.send_resolved,
            }),
            ReceiverConfig::Slack(s) => out.slack_configs.push(SlackOut {
                api_url_file: s.api_url_file.clone(),
                channel: s.channel.clone(),
                title: s.title.clone(),
                text: s.text.clone(),
                send_resolved: s.send_resolved,
            }),
            ReceiverConfig::Webhook(w) => out.webhook_configs.push(WebhookOut {
                url: w.url.clone(),
                max_alerts: w.max_alerts,
                http_config: w.credentials_file.clone().map(|f| HttpConfig {
                    authorization: Authorization {
                        credentials_file: f,
                    },
                }),
                send_resolved: w.send_resolved,
            }),
            ReceiverConfig::Opsgenie(o) => out.opsgenie_configs.push(OpsgenieOut {
                api_key_file: o.api_key_file.clone(),
                api_url: o.api_url.clone(),
                message: o.message.clone(),
                description: o.description.clone(),
                priority: o.priority.clone(),
                tags: o.tags.clone(),
                send_resolved: o.send_resolved,
            }),
        }
    }
    out
}

fn inhibit(i: &Inhibit) -> InhibitOut {
    InhibitOut {
        source_matchers: i.source.iter().map(ToString::to_string).collect(),
        target_matchers: i.target.iter().map(ToString::to_string).collect(),
        equal: i.equal.clone(),
    }
}

fn time_interval(t: &TimeInterval) -> TimeIntervalOut {
    TimeIntervalOut {
        name: t.name.clone(),
        time_intervals: vec![TimeSpecOut {
            times: t
                .times
                .iter()
                .map(|(a, b)| TimeRangeOut {
                    start_time: a.clone(),
                    end_time: b.clone(),
                })
                .collect(),
            weekdays: t.weekdays.clone(),
            days_of_month: t.days_of_month.clone(),
            months: t.months.clone(),
            location: t.location.clone(),
        }],
    }
}
