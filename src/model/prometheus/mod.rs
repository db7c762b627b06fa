//! Prometheus itself: the stack's settings, its scrape jobs, their targets
//! and relabelling.

mod discovery;
pub mod file_patterns;
pub mod jobs;
pub mod relabel;
pub mod stack;
mod targets;
