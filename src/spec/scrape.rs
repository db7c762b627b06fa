//! `[[scrape]]`: extra static scrape jobs, and the relabel rules they and the
//! roles take.

use super::{Labels, Str};
use serde::Deserialize;
use toml::Spanned;

/// An extra static scrape job.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaticJobSpec {
    pub job: Str,
    pub targets: Vec<Str>,
    pub metrics_path: Option<Str>,
    pub scheme: Option<Str>,
    pub scrape_interval: Option<Str>,
    pub scrape_timeout: Option<Str>,
    #[serde(default)]
    pub labels: Labels,
    #[serde(default)]
    pub relabel: Vec<Spanned<RelabelSpec>>,
}

/// One Prometheus relabel rule, field for field.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelabelSpec {
    #[serde(default)]
    pub source_labels: Vec<Str>,
    pub separator: Option<Str>,
    pub target_label: Option<Str>,
    pub regex: Option<Str>,
    pub replacement: Option<Str>,
    pub modulus: Option<u64>,
    #[serde(default)]
    pub action: RelabelAction,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RelabelAction {
    #[default]
    Replace,
    Keep,
    Drop,
    Hashmod,
    Labelmap,
    Labeldrop,
    Labelkeep,
    Lowercase,
    Uppercase,
    Keepequal,
    Dropequal,
}
