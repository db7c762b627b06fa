//! A spec's text through loading, the model and the lint, and its findings
//! shown as text and JSON: no input may panic, overflow or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lloom_monctl::diagnostics::{Finding, Source};
use lloom_monctl::{lint, model, spec};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (spec, mut findings) = spec::load(&text);
    if let Some(spec) = spec {
        let (model, more) = model::build_with(&spec, &[]);
        findings.extend(more);
        if !findings.iter().any(Finding::is_error) {
            findings.extend(lint::lint(&model));
        }
    }
    let source = Source::new("spec.toml", &text);
    let _ = source.render_all(&findings);
    let _ = source.json(&findings);
});
