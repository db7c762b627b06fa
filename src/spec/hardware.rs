//! `[hardware]`: where the GPU hosts' inventories are.

use super::Str;
use serde::Deserialize;

/// `[hardware]`: the GPU inventories (`lloom-monctl discover`) that targets,
/// alerts, panels and the node agent are fitted to.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HardwareSpec {
    /// Globs of inventory files, relative to the spec's directory.
    #[serde(default)]
    pub inventory: Vec<Str>,
}
