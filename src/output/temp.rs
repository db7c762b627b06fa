//! The tool's temp files: each file is written under a temp name beside its
//! final place and renamed over it, so a reader never sees half a file. A
//! crash leaves temp files behind; the next render removes them, and
//! `render --check` reports them.

use super::error::OutputError;
use super::tree::{Entry, Tree};
use std::collections::BTreeSet;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// Every temp name starts with this.
pub const PREFIX: &str = ".lloom-monctl-tmp.";

/// The temp name of the `index`th file of a write: short, so that it fits
/// beside any final name.
pub fn name(index: usize) -> String {
    format!("{PREFIX}{index}")
}

/// Whether `name` is a temp file of this tool. (The versions before used
/// `.NAME.XXXXXX`; a user's `.README.md.backup` looks the same, so those
/// are left alone.)
fn is_temp(name: &OsStr) -> bool {
    name.as_bytes().starts_with(PREFIX.as_bytes())
}

/// The temp files (and symlinks in their place) left in the directories that
/// hold `managed` files, and in the root (the manifest's).
pub fn strays(tree: &mut Tree, managed: &BTreeSet<PathBuf>) -> Result<Vec<PathBuf>, OutputError> {
    let mut dirs: BTreeSet<&Path> = managed
        .iter()
        .map(|p| p.parent().unwrap_or(Path::new("")))
        .collect();
    dirs.insert(Path::new(""));
    let mut found = Vec::new();
    for dir in dirs {
        let listed: Vec<OsString> = tree.list(dir)?;
        for n in listed.iter().filter(|n| is_temp(n)) {
            let rel = dir.join(n);
            if matches!(tree.entry(&rel)?, Entry::File | Entry::Symlink) {
                found.push(rel);
            }
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_with_the_prefix_are_temp_files() {
        assert!(is_temp(OsStr::new(".lloom-monctl-tmp.3")));
        for no in [
            "README.md",
            ".README.md.0eB5Pe",
            ".README.md.backup",
            "lloom-monctl-tmp.3",
        ] {
            assert!(!is_temp(OsStr::new(no)), "{no}");
        }
    }
}
