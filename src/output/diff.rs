//! `render --check`: what would change, as a unified diff plus notes on what
//! a diff cannot show (temp files of a crashed render, files the tool did not
//! write, an interrupted render); nothing is written. It reads through the
//! same no-follow handles as a write, so a symlink cannot bring a file from
//! elsewhere into the diff.

use super::error::OutputError;
use super::lock;
use super::manifest::MANIFEST;
use super::plan::{self, Plan};
use super::tree::Tree;
use super::WriteOptions;
use crate::render::Artifact;
use similar::TextDiff;
use std::path::Path;

/// How the directory differs from what the spec renders to.
#[derive(Debug, Default)]
pub struct Drift {
    /// Unified diff, `a/` the directory, `b/` the render.
    pub diff: String,
    /// One line each, for what the diff does not show.
    pub notes: Vec<String>,
}

/// The drift of `out`, or `None` when it holds exactly the render.
pub fn drift(
    out: &Path,
    artifacts: &[Artifact],
    options: &WriteOptions,
) -> Result<Option<Drift>, OutputError> {
    let Some(mut tree) = Tree::open(out, false)? else {
        let mut drift = Drift::default();
        for a in super::with_manifest(artifacts) {
            push_diff(&mut drift.diff, &a.path, "", &a.contents);
        }
        return Ok(Some(drift));
    };
    lock::acquire(tree.root_fd(), lock::Mode::Shared, options, out)?;
    let plan = plan::plan(&mut tree, artifacts)?;
    let drift = describe(&mut tree, artifacts, &plan)?;
    Ok((!drift.diff.is_empty() || !drift.notes.is_empty()).then_some(drift))
}

fn describe(tree: &mut Tree, artifacts: &[Artifact], plan: &Plan) -> Result<Drift, OutputError> {
    let mut drift = Drift::default();
    for &i in &plan.writes {
        let a = &artifacts[i];
        let old = tree.read(&a.path)?.unwrap_or_default();
        push_diff(
            &mut drift.diff,
            &a.path,
            &String::from_utf8_lossy(&old),
            &a.contents,
        );
    }
    for stale in &plan.stale {
        if let Some(old) = tree.read(stale)? {
            push_diff(&mut drift.diff, stale, &String::from_utf8_lossy(&old), "");
        }
    }
    if plan.manifest != plan.previous.text {
        push_diff(
            &mut drift.diff,
            Path::new(MANIFEST),
            &plan.previous.text,
            &plan.manifest,
        );
    }
    if plan.previous.interrupted {
        drift.notes.push(format!(
            "{}: a render was interrupted; `lloom-monctl render` completes it",
            tree.shown(Path::new(MANIFEST)).display()
        ));
    }
    for stray in &plan.strays {
        drift.notes.push(format!(
            "{}: a temp file left by an interrupted render; `lloom-monctl render` removes it",
            tree.shown(stray).display()
        ));
    }
    for p in &plan.unmanaged {
        drift.notes.push(format!(
            "{}: lloom-monctl would write this file but did not write it (it is not in the manifest); `render` refuses to overwrite it without --force",
            tree.shown(p).display()
        ));
    }
    Ok(drift)
}

fn push_diff(report: &mut String, path: &Path, old: &str, new: &str) {
    let shown = path.display();
    let header_old = if old.is_empty() {
        "/dev/null".to_string()
    } else {
        format!("a/{shown}")
    };
    let header_new = if new.is_empty() {
        "/dev/null".to_string()
    } else {
        format!("b/{shown}")
    };
    report.push_str(
        &TextDiff::from_lines(old, new)
            .unified_diff()
            .context_radius(3)
            .header(&header_old, &header_new)
            .to_string(),
    );
}
