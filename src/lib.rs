//! lloom-monctl: monitoring-as-code for the Lloom network.
//!
//! Pipeline: [`spec`] (parse, spans) → [`model`] (resolved, checked) →
//! [`render`] (typed output structs) → [`output`] (atomic write or drift check).
//! [`pipeline::compile`] runs the first three for every command.

pub mod catalog;
pub mod cli;
pub mod conform;
pub mod diagnostics;
pub mod discover;
pub mod inputs;
pub mod lint;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod spec;
