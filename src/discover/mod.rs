//! `lloom-monctl discover`: a GPU host's inventory, taken with NVML (or parsed
//! from `nvidia-smi` CSV where the tool cannot run), written as TOML and read
//! back with every problem located.
//!
//! Per DESIGN, this module imports nothing of the project but
//! [`crate::diagnostics`]: the model reads inventories through
//! [`validate::load`], never the other way round.

mod codes;
pub mod inventory;
pub mod nvml;
mod places;
pub mod smi;
pub mod validate;

#[cfg(test)]
mod fake;

pub use codes::InventoryCode;
use inventory::Inventory;
use std::fmt;

/// The `nvidia-smi` command line whose output `--from-smi` reads.
pub const SMI_COMMAND: &str = "nvidia-smi --query-gpu=index,uuid,name,memory.total,pci.bus_id,power.limit,driver_version --format=csv,noheader,nounits";

/// Why NVML discovery failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiscoverError {
    /// NVML could not be loaded or initialised: there is no usable NVIDIA
    /// driver on this host. The text is NVML's own reason.
    NoDriver(String),
    /// NVML is there but a query failed (a GPU fell off the bus, say).
    Query { what: String, message: String },
}

impl fmt::Display for DiscoverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiscoverError::NoDriver(why) => write!(
                f,
                "no NVIDIA driver here: cannot load NVML ({why}); `--from-smi` works without \
                 it: run `{SMI_COMMAND} > gpus.csv` where nvidia-smi works, then \
                 `lloom-monctl discover --from-smi gpus.csv`"
            ),
            DiscoverError::Query { what, message } => {
                write!(f, "NVML could not tell {what}: {message}")
            }
        }
    }
}

impl std::error::Error for DiscoverError {}

/// The inventory as the TOML file `discover` writes. Deterministic (no
/// timestamps), so that running discover again on unchanged hardware leaves
/// the committed file as it is.
pub fn to_toml(inventory: &Inventory) -> String {
    let body = toml::to_string(inventory).expect("an inventory serializes to TOML");
    format!(
        "# GPU inventory of {}, made by `lloom-monctl discover`.\n\
         # It may be committed next to the spec; run discover again rather than editing it.\n\n{body}",
        inventory.host
    )
}

/// This machine's name: `/proc/sys/kernel/hostname`, else `$HOSTNAME`.
pub fn hostname() -> Option<String> {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_without_gpus_has_no_gpu_table() {
        let inv = nvml::inventory(&fake::no_gpus(), "client1").unwrap();
        let text = to_toml(&inv);
        assert!(!text.contains("gpu"), "{text}");
        assert!(text.starts_with("# GPU inventory of client1, made by `lloom-monctl discover`."));
    }

    #[test]
    fn what_discover_writes_reads_back_unchanged() {
        for (source, host) in fake::all() {
            let inv = nvml::inventory(&source, host).unwrap();
            let text = to_toml(&inv);
            assert_eq!(validate::load("t.toml", &text), Ok(inv), "{text}");
        }
    }
}
