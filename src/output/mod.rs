//! Rendered files → disk. `write` replaces each changed file atomically and
//! removes the files an earlier render wrote that are no longer produced;
//! `drift` compares without writing. Files lloom-monctl did not write are
//! never touched: the manifest records what it wrote.

mod diff;
mod manifest;

pub use diff::drift;
pub use manifest::MANIFEST;

use crate::render::Artifact;
use std::io;
use std::path::{Path, PathBuf};

/// What a write changed, for the summary line.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    pub written: Vec<PathBuf>,
    pub unchanged: usize,
    pub removed: Vec<PathBuf>,
}

/// The artifacts plus the manifest that lists them.
pub fn with_manifest(artifacts: &[Artifact]) -> Vec<Artifact> {
    let mut all = artifacts.to_vec();
    all.push(manifest::artifact(artifacts));
    all
}

/// Writes `artifacts` under `out`. Each file is replaced atomically (temp file,
/// fsync, rename), so a reader never sees half a file; unchanged files are left
/// alone so their timestamps stay.
pub fn write(out: &Path, artifacts: &[Artifact]) -> io::Result<WriteReport> {
    let previous = manifest::read(out)?;
    let all = with_manifest(artifacts);
    let mut report = WriteReport::default();
    for a in &all {
        let path = out.join(&a.path);
        if std::fs::read(&path).ok().as_deref() == Some(a.contents.as_bytes()) {
            report.unchanged += 1;
            continue;
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        write_atomic(&path, a.contents.as_bytes())?;
        report.written.push(a.path.clone());
    }
    for stale in manifest::stale(&previous, &all) {
        let path = out.join(stale);
        match std::fs::remove_file(&path) {
            Ok(()) => report.removed.push(stale.clone()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        remove_empty_parents(out, &path);
    }
    Ok(report)
}

fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let mut file = atomic_write_file::AtomicWriteFile::open(path)?;
    file.write_all(bytes)?;
    file.commit()
}

/// Removes directories left empty by stale files, up to (not including) `out`.
fn remove_empty_parents(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out || !d.starts_with(out) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
