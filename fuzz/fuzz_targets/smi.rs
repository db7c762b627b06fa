//! nvidia-smi's CSV through `discover --from-smi`'s reader, and a read
//! inventory through the checks `discover` makes before writing it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lloom_monctl::diagnostics::Source;
use lloom_monctl::discover::{self, smi, validate};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match smi::parse(&text, "host1") {
        Ok(inventory) => {
            let toml = discover::to_toml(&inventory);
            let _ = validate::load("inventory", &toml);
        }
        Err(findings) => {
            let _ = Source::new("gpus.csv", &text).render_all(&findings);
        }
    }
});
