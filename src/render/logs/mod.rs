//! The log pipeline's files: Loki's config and both log agents' (Alloy's,
//! through its own typed writer, and Promtail's).

pub mod alloy;
pub mod alloy_syntax;
pub mod loki;
pub mod promtail;
