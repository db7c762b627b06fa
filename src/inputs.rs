//! The files a spec names besides itself: the GPU inventories of
//! `[hardware] inventory`, found by glob relative to the spec's directory.
//! The only I/O before the pure pipeline; the CLI and the tests share it.

use std::path::Path;

/// An inventory file as read: its name (as shown in findings) and text.
#[derive(Debug, Clone)]
pub struct InventoryFile {
    pub name: String,
    pub text: String,
}

/// The globs of `[hardware] inventory`, if the spec is TOML enough to say.
fn globs(spec_text: &str) -> Vec<String> {
    let Ok(table) = spec_text.parse::<toml::Table>() else {
        return Vec::new(); // the spec's own errors are reported by the pipeline
    };
    table
        .get("hardware")
        .and_then(|h| h.get("inventory"))
        .and_then(|i| i.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Every inventory file the spec at `spec_path` names, sorted by name; a glob
/// that matches nothing is no error here (the model warns about the hosts).
pub fn inventories(spec_path: &Path, spec_text: &str) -> Result<Vec<InventoryFile>, String> {
    let dir = spec_path.parent().unwrap_or(Path::new("."));
    let mut files = Vec::new();
    for g in globs(spec_text) {
        let pattern = dir.join(&g);
        let paths = glob::glob(&pattern.to_string_lossy())
            .map_err(|e| format!("bad inventory glob `{g}`: {e}"))?;
        for p in paths {
            let p = p.map_err(|e| format!("cannot read an inventory of `{g}`: {e}"))?;
            let text = std::fs::read_to_string(&p)
                .map_err(|e| format!("cannot read inventory {}: {e}", p.display()))?;
            files.push(InventoryFile {
                name: p.display().to_string(),
                text,
            });
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files.dedup_by(|a, b| a.name == b.name);
    Ok(files)
}
