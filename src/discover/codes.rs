//! Every inventory code, its severity and what it means: the table in
//! docs/discovery.md is generated from this list.

use crate::diagnostics::code_table;

code_table! {
    /// The codes of findings about an inventory file or nvidia-smi's CSV.
    pub enum InventoryCode {
        Syntax("inventory/syntax", Error, "the file is not valid TOML"),
        Invalid("inventory/invalid", Error, "the inventory does not match its schema, or its GPUs are inconsistent"),
        Smi("inventory/smi", Error, "a line of nvidia-smi's CSV cannot be read"),
    }
}
