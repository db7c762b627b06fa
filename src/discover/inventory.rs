//! The inventory of one host's GPUs: written by `lloom-monctl discover` on
//! the host, committed next to the spec, and read by `render` to fit
//! targets, alerts and panels to the hardware that is there.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One host's GPUs. `discover::validate::load` reads it back against the
/// JSON Schema derived from these types, since the file may be hand-edited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Inventory {
    /// The host's name, as the spec's targets name it.
    pub host: String,
    /// How the inventory was taken: `nvml` or `nvidia-smi`.
    pub source: String,
    /// The NVIDIA driver, e.g. `550.54.15`; absent on a host without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver_version: Option<String>,
    /// The CUDA version the driver supports, e.g. `12.4`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cuda_driver_version: Option<String>,
    /// In index order; empty on a host without GPUs, which then has no
    /// `[[gpu]]` table rather than an empty `gpu = []`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gpu: Vec<Gpu>,
}

/// One GPU, as NVML (or `nvidia-smi`) reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gpu {
    /// NVML's index, which Lloom's own per-device metrics carry as `device`.
    pub index: u32,
    /// `GPU-…`, which the GPU exporters carry.
    pub uuid: String,
    /// The product name, e.g. `NVIDIA H100 80GB HBM3`.
    pub name: String,
    /// Total framebuffer memory, in bytes (NVML's `memory_info().total`).
    pub memory_total_bytes: u64,
    /// `00000000:18:00.0`.
    pub pci_bus_id: String,
    /// The enforced power limit, in watts, where the driver reports one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power_limit_watts: Option<f64>,
}
