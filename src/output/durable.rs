//! When the written bytes reach the disk. A few files are each `fsync`ed;
//! more are made durable in one `syncfs` of the output directory's
//! filesystem (Linux), which costs about as much as one `fsync` instead of
//! one per file (10,000 files: 0.3 s instead of minutes). Either way every
//! temp file is durable before it is renamed into place, and each touched
//! directory is `fsync`ed after (docs/cli.md, "Durability").

use super::error::OutputError;
use super::tree::Tree;
use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;

/// At most this many changed files are `fsync`ed one by one; `syncfs`
/// flushes the whole filesystem, which is slower when it has other
/// unwritten data, so it is kept for bigger writes.
pub const FSYNC_EACH_UP_TO: usize = 8;

/// The files of one write, made durable together.
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
