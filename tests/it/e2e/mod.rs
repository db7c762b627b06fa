//! Servers and processes for `tests/it/end_to_end.rs`.

pub mod http;
pub mod procs;
