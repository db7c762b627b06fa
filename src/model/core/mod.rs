//! The IR every concern shares: expressions, rules, scrape jobs, dashboards,
//! runbooks, promtool cases, durations and names, and the [`Ctx`] that
//! collects findings. It imports nothing else of the model, so any concern
//! may build on it without a cycle.

mod ctx;
pub mod dashboard;
mod duration;
mod expr;
pub mod go_fmt;
pub mod go_template;
pub mod grafana_vars;
pub mod http_url;
mod job;
mod labels;
pub mod names;
pub mod numbers;
pub mod parse;
pub mod promql;
pub mod promql_names;
pub mod promtool;
pub mod re2;
mod re2_names;
#[cfg(test)]
mod re2_tests;
mod rule;
pub mod runbook;
mod secrets;
mod stack;
pub(crate) mod target;
pub mod template_expand;

pub use ctx::Ctx;
pub use dashboard::{Dashboard, GridPos, Panel, PanelQuery, Threshold, Variable};
pub use duration::{ByteSize, Duration};
pub use expr::{builtin_ast, Expr, Origin};
pub use job::{known_targets, Relabel, ScrapeJob, TargetGroup, Targets, GPU_JOB};
pub use labels::LabelMap;
pub use rule::{AlertRule, Allow, Allowance, Places, RecordRule, Rule, RuleGroup};
pub use secrets::{inline_secret, url_credentials};
pub use stack::{Retention, Stack};
