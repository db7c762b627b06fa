//! The human-readable files: `README.md`, `METRICS.md` and the runbooks.

pub(super) mod metrics_md;
pub(super) mod readme;
mod readme_alerting;
mod readme_deploy;
pub(super) mod runbooks;
