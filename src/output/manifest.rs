//! The list of files the last render wrote, kept in the output directory, so
//! that a later render removes only its own stale files.

use crate::render::Artifact;
use std::io;
use std::path::{Component, Path, PathBuf};

pub const MANIFEST: &str = ".lloom-monctl-manifest";

const HEADER: &str =
    "# Files written by lloom-monctl; a later render removes those it no longer produces.\n";

pub fn artifact(artifacts: &[Artifact]) -> Artifact {
    let mut text = HEADER.to_string();
    for a in artifacts {
        text.push_str(&a.path.to_string_lossy());
        text.push('\n');
    }
    Artifact {
        path: PathBuf::from(MANIFEST),
        contents: text,
    }
}

/// Paths listed by the previous render. A manifest that names a path outside
/// the output directory is refused: it would let an edited file delete anything.
pub fn read(out: &Path) -> io::Result<Vec<PathBuf>> {
    let text = match std::fs::read_to_string(out.join(MANIFEST)) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut paths = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let p = PathBuf::from(line);
        if !p.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{} names `{line}`, which is outside the output directory; fix or delete the manifest", out.join(MANIFEST).display()),
            ));
        }
        paths.push(p);
    }
    Ok(paths)
}

/// Paths the previous render wrote that this one does not produce.
pub fn stale<'a>(
    previous: &'a [PathBuf],
    now: &[Artifact],
) -> impl Iterator<Item = &'a PathBuf> + use<'a> {
    let now: std::collections::BTreeSet<PathBuf> = now.iter().map(|a| a.path.clone()).collect();
    previous.iter().filter(move |p| !now.contains(*p))
}
