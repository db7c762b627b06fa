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
        if write_file(&out.join(&a.path), a.contents.as_bytes())? {
            report.written.push(a.path.clone());
        } else {
            report.unchanged += 1;
        }
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

/// Writes one file atomically (temp file, fsync, rename), creating its
/// directory; `false` when it already held `bytes` and was left alone, so its
/// timestamp stays. `discover --output` writes its inventory through this too.
pub fn write_file(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    use std::io::Write;
    if std::fs::read(path).ok().as_deref() == Some(bytes) {
        return Ok(false);
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = atomic_write_file::AtomicWriteFile::open(path)?;
    file.write_all(bytes)?;
    file.commit()?;
    Ok(true)
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

#[cfg(test)]
mod tests {
    use super::write_file;
    use std::time::{Duration, SystemTime};

    #[test]
    fn writes_a_file_and_leaves_an_unchanged_one_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("inventory/executor1.toml");
        assert!(write_file(&path, b"a = 1\n").unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a = 1\n");
        // Set the time well into the past: a rewrite would move it to now.
        let past = SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(past)
            .unwrap();
        assert!(!write_file(&path, b"a = 1\n").unwrap());
        let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        assert_eq!(modified, past);
        assert!(write_file(&path, b"a = 2\n").unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a = 2\n");
        assert_ne!(std::fs::metadata(&path).unwrap().modified().unwrap(), past);
    }
}
