//! What a render would change, found by reading only: which files differ,
//! which the tool owns, which are stale, which are temp files of a crashed
//! render. Every refusal (a symlink, a special file, a file the tool did not
//! write) is found here, before the first change.

use super::error::OutputError;
use super::manifest::{self, Manifest, MANIFEST};
use super::temp;
use super::tree::{Entry, Tree};
use crate::render::Artifact;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The changes that bring the directory to the artifacts.
#[derive(Debug, Default)]
pub struct Plan {
    /// Indexes of the artifacts whose file is missing or differs.
    pub writes: Vec<usize>,
    pub unchanged: usize,
    /// Files in the manifest that are no longer produced (present or not).
    pub stale: Vec<PathBuf>,
    /// Temp files of an interrupted render.
    pub strays: Vec<PathBuf>,
    /// Files the tool would write that exist but are not in its manifest.
    pub unmanaged: Vec<PathBuf>,
    /// The manifest as found.
    pub previous: Manifest,
    /// The manifest when the write is done.
    pub manifest: String,
}

impl Plan {
    /// The files the tool may own while the write runs: the old and the new.
    pub fn journal(&self, artifacts: &[Artifact]) -> Option<String> {
        let adds = artifacts
            .iter()
            .any(|a| !self.previous.paths.contains(&a.path));
        adds.then(|| {
            let mut all: BTreeSet<&Path> =
                self.previous.paths.iter().map(PathBuf::as_path).collect();
            all.extend(artifacts.iter().map(|a| a.path.as_path()));
            manifest::text(all, true)
        })
    }
}

/// Reads the directory and compares it with `artifacts` (the manifest not
/// among them).
pub fn plan(tree: &mut Tree, artifacts: &[Artifact]) -> Result<Plan, OutputError> {
    let previous = match tree.read(Path::new(MANIFEST))? {
        Some(bytes) => manifest::parse(
            String::from_utf8_lossy(&bytes).into_owned(),
            &tree.shown(Path::new(MANIFEST)),
        )?,
        None => Manifest::default(),
    };
    let mut plan = Plan {
        manifest: manifest::artifact(artifacts).contents,
        ..Plan::default()
    };
    for (i, a) in artifacts.iter().enumerate() {
        let state = tree.holds(&a.path, a.contents.as_bytes())?;
        if state.is_some() && !previous.paths.contains(&a.path) {
            plan.unmanaged.push(a.path.clone());
        }
        match state {
            Some(true) => plan.unchanged += 1,
            _ => plan.writes.push(i),
        }
    }
    let now: BTreeSet<&Path> = artifacts.iter().map(|a| a.path.as_path()).collect();
    for p in previous.paths.iter().filter(|p| !now.contains(p.as_path())) {
        match tree.entry(p)? {
            Entry::Missing | Entry::File => plan.stale.push(p.clone()),
            other => return Err(tree.refusal(p, other)),
        }
    }
    let mut managed = previous.paths.clone();
    managed.extend(artifacts.iter().map(|a| a.path.clone()));
    plan.strays = temp::strays(tree, &managed)?;
    plan.previous = previous;
    Ok(plan)
}
