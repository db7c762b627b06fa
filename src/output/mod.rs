//! Rendered files → disk, treating the output directory as sacred:
//! - nothing outside it is read, written or removed (`tree`: no symlink is
//!   ever followed inside it);
//! - a file the tool did not write is never overwritten without `--force`,
//!   nor ever removed (`manifest`);
//! - a crash at any moment leaves each file old or new, and the next render
//!   converges (`commit`, proven by the crash test);
//! - one render at a time (`lock`);
//! - durable in one batch (`durable`).
//!
//! `drift` compares without writing.

mod commit;
mod crash;
mod diff;
mod durable;
mod error;
mod file;
mod lock;
mod manifest;
mod plan;
mod temp;
mod tree;

pub use crash::CRASH_AFTER;
pub use diff::{drift, Drift};
pub use error::OutputError;
pub use file::write_file;
pub use manifest::MANIFEST;
pub use temp::PREFIX as TEMP_PREFIX;

use crate::render::Artifact;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What a write changed, for the summary line.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    pub written: Vec<PathBuf>,
    pub unchanged: usize,
    pub removed: Vec<PathBuf>,
    /// Existing files taken over with `--force`.
    pub adopted: Vec<PathBuf>,
    /// Temp files of an interrupted render, removed.
    pub strays_removed: Vec<PathBuf>,
    /// Changes made (the unit of `LLOOM_MONCTL_CRASH_AFTER`).
    pub steps: u64,
}

/// How a write or check treats the directory.
#[derive(Debug, Clone, Copy)]
pub struct WriteOptions {
    /// Adopt (overwrite) existing files the tool did not write.
    pub force: bool,
    /// How long to wait for another render of the same directory.
    pub lock_timeout: Duration,
    /// Called once when another render holds the lock, before waiting.
    pub on_wait: Option<fn(&Path)>,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            force: false,
            lock_timeout: Duration::from_secs(120),
            on_wait: None,
        }
    }
}

/// The artifacts plus the manifest that lists them.
pub fn with_manifest(artifacts: &[Artifact]) -> Vec<Artifact> {
    let mut all = artifacts.to_vec();
    all.push(manifest::artifact(artifacts));
    all
}

/// `write_with` and the default options.
pub fn write(out: &Path, artifacts: &[Artifact]) -> Result<WriteReport, OutputError> {
    write_with(out, artifacts, &WriteOptions::default())
}

/// Writes `artifacts` under `out` (created if missing). Unchanged files are
/// left alone so their timestamps stay; a refusal comes before any change.
pub fn write_with(
    out: &Path,
    artifacts: &[Artifact],
    options: &WriteOptions,
) -> Result<WriteReport, OutputError> {
    let mut tree = tree::Tree::open(out, true)?.expect("created");
    lock::acquire(tree.root_fd(), lock::Mode::Exclusive, options, out)?;
    let plan = plan::plan(&mut tree, artifacts)?;
    let adopted = plan.unmanaged.clone();
    if !adopted.is_empty() && !options.force {
        return Err(OutputError::Unmanaged {
            out: out.to_path_buf(),
            paths: adopted,
        });
    }
    let mut steps = crash::Steps::from_env();
    let mut report = commit::apply(&mut tree, artifacts, plan, &mut steps)?;
    report.adopted = adopted;
    report.steps = steps.taken();
    Ok(report)
}
