//! The stack's identity and the settings every concern reads.

use super::{ByteSize, Duration, LabelMap};

#[derive(Debug, Clone)]
pub struct Stack {
    pub name: String,
    /// `cluster`, `region` and the spec's extra labels.
    pub external_labels: LabelMap,
    pub scrape_interval: Duration,
    pub scrape_timeout: Duration,
    pub evaluation_interval: Duration,
    pub retention: Retention,
    pub runbook_base_url: String,
}

/// Prometheus command-line flags, kept for the deployment files.
#[derive(Debug, Clone)]
pub struct Retention {
    pub time: Duration,
    pub size: Option<ByteSize>,
}
