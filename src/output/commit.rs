//! Carries out a plan in an order that survives a crash at any step:
//!
//! 1. remove the temp files of an interrupted render;
//! 2. if files are added, commit a manifest listing old and new (marked
//!    interrupted), so that whatever happens next, every file the tool may
//!    write is owned;
//! 3. write every changed file under a temp name, then make them all durable
//!    in one batch (`durable`);
//! 4. rename each over its final name: each file is old or new, never half;
//! 5. remove the stale files and the directories they leave empty;
//! 6. make the renames and removals durable (`durable`);
//! 7. commit the new manifest, only now without the stale files.

use super::crash::Steps;
use super::durable;
use super::error::OutputError;
use super::manifest::MANIFEST;
use super::plan::Plan;
use super::temp;
use super::tree::Tree;
use super::WriteReport;
use crate::render::Artifact;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Applies `plan` (from `plan::plan` under the same lock) to `tree`.
pub fn apply(
    tree: &mut Tree,
    artifacts: &[Artifact],
    plan: Plan,
    steps: &mut Steps,
) -> Result<WriteReport, OutputError> {
    let mut report = WriteReport {
        unchanged: plan.unchanged,
        ..WriteReport::default()
    };
    for stray in &plan.strays {
        steps.step();
        tree.unlink(stray)?;
        report.strays_removed.push(stray.clone());
    }
    if let Some(journal) = plan.journal(artifacts) {
        commit_manifest(tree, &journal, steps)?;
    }
    let mut touched: BTreeSet<PathBuf> = BTreeSet::new();
    let batch = durable::Batch::new(plan.writes.len() + plan.stale.len());
    let written = write_temps(tree, artifacts, &plan.writes, batch, steps)?;
    for (i, dir) in written {
        let a = &artifacts[i];
        steps.step();
        tree.rename(&dir, &temp::name(i), a.path.file_name().unwrap_or_default())?;
        report.written.push(a.path.clone());
        touched.insert(dir);
    }
    for stale in &plan.stale {
        steps.step();
        if tree.unlink(stale)? {
            report.removed.push(stale.clone());
        }
        touched.extend(remove_empty_parents(tree, stale, steps));
    }
    batch.finish_dirs(tree, &touched)?;
    if plan.manifest != plan.previous.text {
        commit_manifest(tree, &plan.manifest, steps)?;
        report.written.push(PathBuf::from(MANIFEST));
    } else {
        report.unchanged += 1;
    }
    Ok(report)
}

/// Writes the changed files under temp names and makes them durable; the
/// directory of each.
fn write_temps(
    tree: &mut Tree,
    artifacts: &[Artifact],
    writes: &[usize],
    mut batch: durable::Batch,
    steps: &mut Steps,
) -> Result<Vec<(usize, PathBuf)>, OutputError> {
    let mut written = Vec::with_capacity(writes.len());
    for &i in writes {
        let a = &artifacts[i];
        let dir = a.path.parent().unwrap_or(Path::new("")).to_path_buf();
        let fd = tree.create(&dir, &temp::name(i), a.contents.as_bytes(), steps)?;
        batch.add(fd, &tree.shown(&a.path))?;
        written.push((i, dir));
    }
    if !written.is_empty() {
        steps.step();
        batch.finish(tree)?;
    }
    Ok(written)
}

/// Removes the directories above `file` that it left empty, up to the root;
/// the directories whose entries changed.
fn remove_empty_parents(tree: &mut Tree, file: &Path, steps: &mut Steps) -> Vec<PathBuf> {
    let mut changed = vec![file.parent().unwrap_or(Path::new("")).to_path_buf()];
    let mut dir = file.parent();
    while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
        steps.step();
        if !tree.remove_if_empty(d) {
            break;
        }
        let parent = d.parent().unwrap_or(Path::new(""));
        changed.push(parent.to_path_buf());
        dir = Some(parent);
    }
    changed
}

/// Replaces the manifest durably: temp file, `fsync`, rename, `fsync` of the
/// root, so that the files it lists are decided before anything follows.
fn commit_manifest(tree: &mut Tree, text: &str, steps: &mut Steps) -> Result<(), OutputError> {
    let name = format!("{}manifest", temp::PREFIX);
    let root = Path::new("");
    let fd = tree.create(root, &name, text.as_bytes(), steps)?;
    durable::sync_file(&fd, &tree.shown(Path::new(MANIFEST)))?;
    drop(fd);
    steps.step();
    tree.rename(root, &name, std::ffi::OsStr::new(MANIFEST))?;
    tree.sync_dir(root)
}
