//! Servers and processes for `tests/end_to_end.rs`.

pub mod http;
pub mod procs;
