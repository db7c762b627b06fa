//! A `/metrics` page through `conform`'s parser and checks against the
//! built-in catalog: no input may panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lloom_monctl::catalog::Catalog;
use lloom_monctl::conform;
use lloom_monctl::diagnostics::Source;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    let catalog = CATALOG.get_or_init(Catalog::builtin);
    let text = String::from_utf8_lossy(data);
    let result = conform::conform(&text, catalog, &[]);
    let _ = Source::new("metrics.prom", &text).render_all(&result.findings);
});
