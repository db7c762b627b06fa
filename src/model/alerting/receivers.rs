//! Receivers: where notifications go. A secret is only ever a path that
//! Alertmanager reads at run time, so that the committed `generated/` tree
//! never holds one; an inline secret in the spec is an error at its place.

use crate::diagnostics::Finding;
use crate::model::core::http_url;
use crate::model::core::{inline_secret, url_credentials, Ctx};
use crate::spec::{
    EmailSpec, OpsgenieSpec, PagerDutySpec, ReceiverSpec, SlackSpec, SpecCode, Str, WebhookSpec,
};
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct Receiver {
    pub name: String,
    pub configs: Vec<ReceiverConfig>,
}

#[derive(Debug, Clone)]
pub enum ReceiverConfig {
    Email(Email),
    PagerDuty(PagerDuty),
    Slack(Slack),
    Webhook(Webhook),
    Opsgenie(Opsgenie),
}

#[derive(Debug, Clone)]
pub struct Email {
    pub to: String,
    pub from: Option<String>,
    pub smarthost: Option<String>,
    pub headers: BTreeMap<String, String>,
    pub send_resolved: Option<bool>,
    pub auth_username: Option<String>,
    pub auth_password_file: Option<String>,
}

/// Exactly one of the two key files.
#[derive(Debug, Clone)]
pub enum PagerDutyKey {
    RoutingKeyFile(String),
    ServiceKeyFile(String),
}

#[derive(Debug, Clone)]
pub struct PagerDuty {
    pub key: PagerDutyKey,
    pub url: Option<String>,
    pub description: String,
    pub severity: Option<String>,
    pub send_resolved: bool,
}

#[derive(Debug, Clone)]
pub struct Slack {
    /// `None`: the global `slack_api_url_file`.
    pub api_url_file: Option<String>,
    pub channel: Option<String>,
    pub title: String,
    pub text: String,
    pub send_resolved: bool,
}

#[derive(Debug, Clone)]
pub struct Webhook {
    pub url: String,
    pub credentials_file: Option<String>,
    pub max_alerts: Option<u32>,
    pub send_resolved: bool,
}

#[derive(Debug, Clone)]
pub struct Opsgenie {
    pub api_key_file: String,
    pub api_url: Option<String>,
    pub message: String,
    pub description: Option<String>,
    pub priority: Option<String>,
    pub tags: Option<String>,
    pub send_resolved: bool,
}

/// The notification texts of `alertmanager/templates/lloom.tmpl`.
pub const TITLE: &str = r#"{{ template "lloom.title" . }}"#;
pub const TEXT: &str = r#"{{ template "lloom.text" . }}"#;

pub(crate) fn receiver(cx: &mut Ctx, r: &ReceiverSpec, global_slack: bool) -> Receiver {
    super::notification_templates::check(cx, r);
    let mut configs = Vec::new();
    configs.extend(r.email.iter().map(|e| ReceiverConfig::Email(email(cx, e))));
    configs.extend(
        r.pagerduty
            .iter()
            .filter_map(|p| pagerduty(cx, p, &r.name))
            .map(ReceiverConfig::PagerDuty),
    );
    configs.extend(
        r.slack
            .iter()
            .map(|s| ReceiverConfig::Slack(slack(cx, s, global_slack, &r.name))),
    );
    configs.extend(
        r.webhook
            .iter()
            .map(|w| ReceiverConfig::Webhook(webhook(cx, w))),
    );
    configs.extend(
        r.opsgenie
            .iter()
            .filter_map(|o| opsgenie(cx, o, &r.name))
            .map(ReceiverConfig::Opsgenie),
    );
    Receiver {
        name: r.name.get_ref().clone(),
        configs,
    }
}

/// Reports `url` when Alertmanager would not take it as an http(s) URL.
fn http_url(cx: &mut Ctx, url: &Str, what: &str) {
    if let Err(e) = http_url::check(url.get_ref()) {
        cx.push(
            Finding::new(SpecCode::BadUrl, format!("{what}: {e}"))
                .at(url.span())
                .help("write the whole URL, such as `https://hooks.example.org/alerts`"),
        );
    }
}

fn text(s: &Option<Str>) -> Option<String> {
    s.as_ref().map(|s| s.get_ref().clone())
}

fn email(cx: &mut Ctx, e: &EmailSpec) -> Email {
    inline_secret(
        cx,
        e.auth_password.as_ref(),
        "auth_password",
        "auth_password_file",
    );
    super::smtp::check_addresses(cx, e.from.as_ref(), Some(&e.to), e.smarthost.as_ref());
    let mut headers: BTreeMap<String, String> = e
        .headers
        .iter()
        .map(|(k, v)| (k.get_ref().clone(), v.get_ref().clone()))
        .collect();
    headers
        .entry("Subject".to_string())
        .or_insert_with(|| TITLE.to_string());
    Email {
        to: e.to.get_ref().clone(),
        from: text(&e.from),
        smarthost: text(&e.smarthost),
        headers,
        send_resolved: e.send_resolved,
        auth_username: text(&e.auth_username),
        auth_password_file: text(&e.auth_password_file),
    }
}

fn pagerduty(cx: &mut Ctx, p: &PagerDutySpec, receiver: &Str) -> Option<PagerDuty> {
    if let Some(url) = &p.url {
        url_credentials(cx, url, "url");
        http_url(cx, url, "PagerDuty url");
    }
    inline_secret(
        cx,
        p.routing_key.as_ref(),
        "routing_key",
        "routing_key_file",
    );
    inline_secret(
        cx,
        p.service_key.as_ref(),
        "service_key",
        "service_key_file",
    );
    let key = match (&p.routing_key_file, &p.service_key_file) {
        (Some(r), None) => PagerDutyKey::RoutingKeyFile(r.get_ref().clone()),
        (None, Some(s)) => PagerDutyKey::ServiceKeyFile(s.get_ref().clone()),
        (Some(_), Some(s)) => {
            cx.push(
                Finding::new(SpecCode::Conflict, "a PagerDuty receiver takes `routing_key_file` (Events API v2) or `service_key_file` (v1), not both")
                    .at(s.span())
                    .help("keep `routing_key_file` unless the PagerDuty service is a v1 integration"),
            );
            return None;
        }
        (None, None) => {
            if p.routing_key.is_none() && p.service_key.is_none() {
                cx.push(
                    Finding::new(SpecCode::MissingKey, format!("PagerDuty receiver `{}` has no integration key", receiver.get_ref()))
                        .at(receiver.span())
                        .help("add `routing_key_file = \"/run/secrets/pagerduty_routing_key\"` (Events API v2)"),
                );
            }
            return None;
        }
    };
    Some(PagerDuty {
        key,
        url: text(&p.url),
        description: text(&p.description).unwrap_or_else(|| TITLE.to_string()),
        severity: text(&p.severity),
        send_resolved: p.send_resolved.unwrap_or(true),
    })
}

fn slack(cx: &mut Ctx, s: &SlackSpec, global: bool, receiver: &Str) -> Slack {
    inline_secret(cx, s.api_url.as_ref(), "api_url", "api_url_file");
    if s.api_url_file.is_none() && s.api_url.is_none() && !global {
        cx.push(
            Finding::new(SpecCode::MissingKey, format!("Slack receiver `{}` has no webhook URL", receiver.get_ref()))
                .at(receiver.span())
                .help("add `api_url_file = \"/run/secrets/slack_webhook_url\"`, or `alertmanager.slack_api_url_file` for every Slack receiver"),
        );
    }
    Slack {
        api_url_file: text(&s.api_url_file),
        channel: text(&s.channel),
        title: text(&s.title).unwrap_or_else(|| TITLE.to_string()),
        text: text(&s.text).unwrap_or_else(|| TEXT.to_string()),
        // Slack's default is false; an operator expects to see the all-clear.
        send_resolved: s.send_resolved.unwrap_or(true),
    }
}

fn webhook(cx: &mut Ctx, w: &WebhookSpec) -> Webhook {
    inline_secret(
        cx,
        w.credentials.as_ref(),
        "credentials",
        "credentials_file",
    );
    url_credentials(cx, &w.url, "url");
    let url = w.url.get_ref();
    http_url(cx, &w.url, "webhook url");
    Webhook {
        url: url.clone(),
        credentials_file: text(&w.credentials_file),
        max_alerts: w.max_alerts.as_ref().map(|m| *m.get_ref()),
        send_resolved: w.send_resolved.unwrap_or(true),
    }
}

fn opsgenie(cx: &mut Ctx, o: &OpsgenieSpec, receiver: &Str) -> Option<Opsgenie> {
    inline_secret(cx, o.api_key.as_ref(), "api_key", "api_key_file");
    if let Some(url) = &o.api_url {
        url_credentials(cx, url, "api_url");
        http_url(cx, url, "Opsgenie api_url");
    }
    let Some(key) = &o.api_key_file else {
        if o.api_key.is_none() {
            cx.push(
                Finding::new(
                    SpecCode::MissingKey,
                    format!("Opsgenie receiver `{}` has no API key", receiver.get_ref()),
                )
                .at(receiver.span())
                .help("add `api_key_file = \"/run/secrets/opsgenie_api_key\"`"),
            );
        }
        return None;
    };
    Some(Opsgenie {
        api_key_file: key.get_ref().clone(),
        api_url: text(&o.api_url),
        message: text(&o.message).unwrap_or_else(|| TITLE.to_string()),
        description: text(&o.description),
        priority: text(&o.priority),
        tags: text(&o.tags),
        send_resolved: o.send_resolved.unwrap_or(true),
    })
}
