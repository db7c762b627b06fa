//! A `/metrics` page through `conform`'s streaming parser and checks against
//! the built-in catalog, then its findings shown as the CLI shows them (a
//! second read for the lines): no input may panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lloom_monctl::catalog::Catalog;
use lloom_monctl::conform::{self, excerpts};
use lloom_monctl::diagnostics::Source;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    let catalog = CATALOG.get_or_init(Catalog::builtin);
    let Ok(result) = conform::conform_read(data, catalog, &[]) else {
        return;
    };
    let Ok(shown) = excerpts::gather(result.findings, data) else {
        return;
    };
    let source = Source::excerpts("metrics.prom", &shown.text, shown.line_numbers, shown.left_out);
    let _ = source.render_all(&shown.findings);
    let _ = source.json(&shown.findings);
});
