//! Prometheus's files: `prometheus.yml`, the rule files, the promtool rule
//! test files that prove them, and the file_sd target files it scrapes.

pub mod config;
pub(super) mod file_sd;
pub mod rule_file;
pub mod rule_test_file;
