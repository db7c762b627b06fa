//! The tool's temp files: each file is written under a temp name beside its
//! final place and renamed over it, so a reader never sees half a file. A
//! crash leaves temp files behind; the next render removes them, and
//! `render --check` reports them.

use super::error::OutputError;
use super::tree::{Entry, Tree};
use std::collections::{BTreeMap, BTreeSet};
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

/// Whether `name` in a directory holding the tool's files `managed` is a temp
/// file of this tool, or of the versions before it (`.NAME.XXXXXX`, six
/// letters or digits, beside a file NAME it manages).
fn is_temp(name: &OsStr, managed: &BTreeSet<&OsStr>) -> bool {
    let bytes = name.as_bytes();
    if bytes.starts_with(PREFIX.as_bytes()) {
        return true;
    }
    let Some(rest) = bytes.strip_prefix(b".") else {
        return false;
    };
    let Some((base, suffix)) = rest.len().checked_sub(7).map(|n| rest.split_at(n)) else {
        return false;
    };
    suffix[0] == b'.'
        && suffix[1..].iter().all(u8::is_ascii_alphanumeric)
        && managed.contains(OsStr::from_bytes(base))
}

/// The temp files (and symlinks in their place) left in the directories that
/// hold `managed` files.
pub fn strays(tree: &mut Tree, managed: &BTreeSet<PathBuf>) -> Result<Vec<PathBuf>, OutputError> {
    let mut by_dir: BTreeMap<&Path, BTreeSet<&OsStr>> = BTreeMap::new();
    for p in managed {
        let dir = p.parent().unwrap_or(Path::new(""));
        by_dir.entry(dir).or_default().extend(p.file_name());
    }
    by_dir
        .entry(Path::new(""))
        .or_default()
        .insert(OsStr::new(super::MANIFEST));
    let mut found = Vec::new();
    for (dir, names) in by_dir {
        let listed: Vec<OsString> = tree.list(dir)?;
        for n in listed.iter().filter(|n| is_temp(n, &names)) {
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
    fn temp_names_of_this_tool_and_of_earlier_versions() {
        let managed: BTreeSet<&OsStr> = [OsStr::new("README.md")].into();
        for yes in [".lloom-monctl-tmp.3", ".README.md.0eB5Pe"] {
            assert!(is_temp(OsStr::new(yes), &managed), "{yes}");
        }
        for no in [
            "README.md",
            ".README.md.0eB5P",
            ".notes.md.0eB5Pe",
            ".README.md.0eB-Pe",
            ".",
        ] {
            assert!(!is_temp(OsStr::new(no), &managed), "{no}");
        }
    }
}
