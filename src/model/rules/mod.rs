//! Alerting and recording rules: the built-in pack (`pack.rs`), tuned by the
//! spec, the spec's own rules (`custom.rs`), and the promtool cases that prove
//! them (`pack_cases.rs`, its numbers in `pack_values.rs`, and
//! `builtin_cases.rs` for the pack, `spec_cases.rs` for the spec's `[[test]]`s).

pub mod builtin_cases;
pub mod custom;
pub mod pack;
mod pack_cases;
mod pack_values;
pub mod spec_cases;
pub mod templates;
