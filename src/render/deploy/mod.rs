//! How the stack runs: the compose files, systemd units, backup scripts and
//! the Lloom nodes' tracing snippets.

pub mod compose;
pub(super) mod compose_agent;
pub(super) mod scripts;
pub mod systemd;
pub(super) mod tracing;
