//! The list of files the tool owns in the output directory, kept there, so
//! that a later render removes only its own stale files and never overwrites
//! a file it did not write. While a render that adds files runs, the manifest
//! lists the old and the new files together and is marked interrupted; only
//! when the stale files are gone does it shrink to the new list. A crash at
//! any moment therefore leaves a manifest that covers every file the tool
//! may have written.

use super::error::OutputError;
use crate::render::Artifact;
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

pub const MANIFEST: &str = ".lloom-monctl-manifest";

const HEADER: &str =
    "# Files written by lloom-monctl; a later render removes those it no longer produces.\n";

const INTERRUPTED: &str =
    "# interrupted: a render stopped before it finished; the next render completes it\n";

/// A manifest as read.
#[derive(Debug, Default)]
pub struct Manifest {
    /// Every path the tool may have written.
    pub paths: BTreeSet<PathBuf>,
    /// A render stopped between writing the combined list and removing the
    /// stale files.
    pub interrupted: bool,
    /// The text as read, to leave an unchanged manifest alone.
    pub text: String,
}

/// The manifest's text for `paths`.
pub fn text<'a>(paths: impl IntoIterator<Item = &'a Path>, interrupted: bool) -> String {
    let mut text = HEADER.to_string();
    if interrupted {
        text.push_str(INTERRUPTED);
    }
    for p in paths {
        text.push_str(&p.to_string_lossy());
        text.push('\n');
    }
    text
}

/// The manifest of a finished render of `artifacts`.
pub fn artifact(artifacts: &[Artifact]) -> Artifact {
    Artifact {
        path: PathBuf::from(MANIFEST),
        contents: text(artifacts.iter().map(|a| a.path.as_path()), false),
    }
}

/// Reads a manifest's text. An entry outside the output directory is refused:
/// an edited manifest must not let a render delete anything elsewhere.
pub fn parse(text: String, shown: &Path) -> Result<Manifest, OutputError> {
    let mut paths = BTreeSet::new();
    let mut interrupted = false;
    for line in text.lines() {
        if line.starts_with(INTERRUPTED.trim_end()) {
            interrupted = true;
        }
        if line.is_empty() || line.starts_with('#') || line == MANIFEST {
            continue;
        }
        let p = PathBuf::from(line);
        let normal = p.components().all(|c| matches!(c, Component::Normal(_)));
        if !normal {
            return Err(OutputError::ManifestOutside {
                manifest: shown.to_path_buf(),
                entry: line.to_string(),
            });
        }
        paths.insert(p);
    }
    Ok(Manifest {
        paths,
        interrupted,
        text,
    })
}
