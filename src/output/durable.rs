//! When the written bytes reach the disk. A few files are each `fsync`ed,
//! and so is each directory whose entries changed. More are made durable
//! by one `syncfs` of the output directory's filesystem (Linux) before the
//! renames and one after them, which costs about as much as one `fsync`
//! each instead of one per file and directory (10,000 files: 0.3 s instead
//! of a minute). Either way every temp file is durable before it is renamed
//! into place, and every rename and removal before the manifest that
//! depends on it (docs/cli.md, "Durability").

use super::error::OutputError;
use super::tree::Tree;
use std::collections::BTreeSet;
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};

/// At most this many changed files are `fsync`ed one by one; `syncfs`
/// flushes the whole filesystem, which is slower when it has other
/// unwritten data, so it is kept for bigger writes.
pub const FSYNC_EACH_UP_TO: usize = 8;

/// The files of one write, made durable together.
#[derive(Debug, Clone, Copy)]
pub struct Batch {
    each: bool,
}

impl Batch {
    /// A batch for `files` files.
    pub fn new(files: usize) -> Batch {
        Batch {
            each: files <= FSYNC_EACH_UP_TO || !cfg!(target_os = "linux"),
        }
    }

    /// A file written in full; closed here (or synced first, for few files).
    pub fn add(&mut self, fd: OwnedFd, shown: &Path) -> Result<(), OutputError> {
        if self.each {
            sync_file(&fd, shown)?;
        }
        Ok(())
    }

    /// Makes every file added durable.
    pub fn finish(self, tree: &Tree) -> Result<(), OutputError> {
        if self.each {
            return Ok(());
        }
        syncfs(tree.root_fd(), &tree.shown(Path::new("")))
    }

    /// Makes the renames and removals in `dirs` durable: each directory
    /// (and those above it, where a new directory's name lives), or all at
    /// once.
    pub fn finish_dirs(self, tree: &Tree, dirs: &BTreeSet<PathBuf>) -> Result<(), OutputError> {
        if dirs.is_empty() {
            return Ok(());
        }
        if !self.each {
            return syncfs(tree.root_fd(), &tree.shown(Path::new("")));
        }
        let mut all = BTreeSet::new();
        for d in dirs {
            all.extend(d.ancestors().map(Path::to_path_buf));
        }
        for d in all.iter().filter(|d| tree.is_open(d)) {
            tree.sync_dir(d)?;
        }
        Ok(())
    }
}

/// `fsync` of one file.
pub fn sync_file(fd: impl AsFd, shown: &Path) -> Result<(), OutputError> {
    rustix::fs::fsync(fd).map_err(|e| OutputError::io(shown.to_path_buf(), "sync", e))
}

#[cfg(target_os = "linux")]
fn syncfs(fd: impl AsFd, shown: &Path) -> Result<(), OutputError> {
    rustix::fs::syncfs(fd).map_err(|e| OutputError::io(shown.to_path_buf(), "sync", e))
}

#[cfg(not(target_os = "linux"))]
fn syncfs(_fd: impl AsFd, _shown: &Path) -> Result<(), OutputError> {
    unreachable!("files are synced one by one where there is no syncfs")
}
