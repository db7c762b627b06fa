//! An inventory file through `check-inventory`'s reader (schema and
//! consistency checks): no input may panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lloom_monctl::diagnostics::Source;
use lloom_monctl::discover::validate;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(findings) = validate::load("inventory.toml", &text) {
        let _ = Source::new("inventory.toml", &text).render_all(&findings);
    }
});
