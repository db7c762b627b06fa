//! The files a spec names besides itself: the GPU inventories of
//! `[hardware] inventory`, found by glob relative to the spec's directory.
//! The only I/O before the pure pipeline; the CLI and the tests share it.
//!
//! A spec comes from a pull request, so what it names is confined: every
//! file read resolves, symlinks followed, inside the project root
//! ([`root`]), is a regular file and is at most [`MAX_INPUT`] bytes
//! ([`read`]). Anything else is an error located at the glob, which never
//! shows the content of a file it refused.

mod read;
mod root;

use crate::diagnostics::Finding;
use crate::spec::SpecCode;
pub use read::{open_regular, read_capped, read_text, ReadError, MAX_INPUT};
pub use root::project_root;
use root::{literal_prefix, normalize, spec_dir};
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};

/// More inventory files than this for one spec is no fleet, but a glob
/// gone wrong (`**/*`).
const MAX_FILES: usize = 1024;

/// An inventory file as read: its name (as shown in findings) and text.
#[derive(Debug, Clone)]
pub struct InventoryFile {
    pub name: String,
    pub text: String,
}

/// What the spec's `[hardware]` named: the files read, and findings (in the
/// spec) about the globs and files that were refused.
#[derive(Debug, Default)]
pub struct Named {
    pub files: Vec<InventoryFile>,
    pub findings: Vec<Finding>,
}

/// The globs of `[hardware] inventory` and where each is, if the spec is
/// TOML enough to say.
fn globs(spec_text: &str) -> Vec<(String, Range<usize>)> {
    let Ok(root) = DeTable::parse(spec_text) else {
        return Vec::new(); // the spec's own errors are reported by the pipeline
    };
    let Some(hardware) = root.get_ref().get("hardware") else {
        return Vec::new();
    };
    let DeValue::Table(hardware) = hardware.get_ref() else {
        return Vec::new();
    };
    let Some(DeValue::Array(items)) = hardware.get("inventory").map(|v| v.get_ref()) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|v| match v.get_ref() {
            DeValue::String(s) => Some((s.to_string(), v.span())),
            _ => None,
        })
        .collect()
}

/// Every inventory file the spec at `spec_path` names, sorted by name; a
/// glob that matches nothing is no error here (the model warns about the
/// hosts). `root`: `--root`, else found from the spec ([`project_root`]).
pub fn read_inventories(spec_path: &Path, spec_text: &str, root: Option<&Path>) -> Named {
    let mut named = Named::default();
    let globs = globs(spec_text);
    if globs.is_empty() {
        return named;
    }
    let (root, dir) = match project_root(spec_path, root)
        .and_then(|r| Ok((r, spec_dir(spec_path).canonicalize()?)))
    {
        Ok(dirs) => dirs,
        Err(e) => {
            named.findings.push(
                Finding::new(
                    SpecCode::UnreadableFile,
                    format!("cannot find the project root: {e}"),
                )
                .at(globs[0].1.clone()),
            );
            return named;
        }
    };
    for (glob, span) in &globs {
        if let Err(f) = one_glob(&root, &dir, glob, span, &mut named.files) {
            named.findings.push(*f);
        }
    }
    named.files.sort_by(|a, b| a.name.cmp(&b.name));
    named.files.dedup_by(|a, b| a.name == b.name);
    named
}

/// The old interface: the files, or the findings' messages as one error.
pub fn inventories(spec_path: &Path, spec_text: &str) -> Result<Vec<InventoryFile>, String> {
    let named = read_inventories(spec_path, spec_text, None);
    if named.findings.is_empty() {
        return Ok(named.files);
    }
    let messages: Vec<String> = named.findings.into_iter().map(|f| f.message).collect();
    Err(messages.join("; "))
}

/// The files of one glob, each checked before it is read.
fn one_glob(
    root: &Path,
    dir: &Path,
    glob: &str,
    span: &Range<usize>,
    files: &mut Vec<InventoryFile>,
) -> Result<(), Box<Finding>> {
    let outside = |why: String| {
        Box::new(
            Finding::new(SpecCode::PathOutsideRoot, why)
                .at(span.clone())
                .label("outside the project root")
                .help(format!("inventories must lie inside the project root `{}` (the nearest directory with `.git` above the spec, or `--root DIR`); write the glob relative to the spec", root.display())),
        )
    };
    let unreadable =
        |why: String| Box::new(Finding::new(SpecCode::UnreadableFile, why).at(span.clone()));
    if Path::new(glob).is_absolute() || glob.starts_with(['/', '\\']) {
        return Err(outside(format!(
            "inventory glob `{glob}` is an absolute path"
        )));
    }
    let pattern = normalize(&dir.join(glob)).unwrap_or_default();
    if !literal_prefix(&pattern).starts_with(root) {
        return Err(outside(format!(
            "inventory glob `{glob}` climbs out of the project root"
        )));
    }
    let paths = glob::glob(&pattern.to_string_lossy())
        .map_err(|e| unreadable(format!("bad inventory glob `{glob}`: {}", e.msg)))?;
    let mut outside_count = 0;
    for p in paths {
        let p = p.map_err(|e| {
            unreadable(format!(
                "cannot list the inventories of `{glob}`: {}",
                e.error()
            ))
        })?;
        if files.len() >= MAX_FILES {
            return Err(unreadable(format!(
                "inventory glob `{glob}` matches more than {MAX_FILES} files"
            )));
        }
        let real: PathBuf = match p.canonicalize() {
            Ok(real) => real,
            Err(e) => {
                return Err(unreadable(format!(
                    "cannot read inventory {}: {e}",
                    p.display()
                )))
            }
        };
        if !real.starts_with(root) {
            outside_count += 1;
            continue;
        }
        let text = read_text(&real, MAX_INPUT)
            .map_err(|e| unreadable(format!("cannot read inventory {}: {e}", p.display())))?;
        files.push(InventoryFile {
            name: p.display().to_string(),
            text,
        });
    }
    if outside_count > 0 {
        return Err(outside(format!("inventory glob `{glob}` matches {outside_count} file(s) that resolve outside the project root (symlinks followed)")));
    }
    Ok(())
}
