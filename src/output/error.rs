//! Why the output directory was not written (or not checked). Every message
//! names the path and says how to fix it; nothing has been written when one
//! of these is returned before the first change (see `commit`).

use std::fmt;
use std::io;
use std::path::PathBuf;

/// A refusal or failure while reading or writing the output directory.
#[derive(Debug)]
pub enum OutputError {
    /// A symlink where the tool would read, write or remove.
    Symlink(PathBuf),
    /// Something that is not a regular file where a generated file goes
    /// (a directory, a FIFO, a device, a socket).
    NotAFile(PathBuf, &'static str),
    /// A file where a directory of the tree goes.
    NotADirectory(PathBuf),
    /// Files the tool would overwrite although it did not write them.
    Unmanaged { out: PathBuf, paths: Vec<PathBuf> },
    /// The manifest names something outside the output directory.
    ManifestOutside { manifest: PathBuf, entry: String },
    /// Another render holds the directory's lock past the timeout.
    Locked { out: PathBuf, waited_s: u64 },
    /// A system call failed.
    Io {
        path: PathBuf,
        what: &'static str,
        source: io::Error,
    },
}

impl OutputError {
    pub(crate) fn io(path: PathBuf, what: &'static str, source: impl Into<io::Error>) -> Self {
        OutputError::Io {
            path,
            what,
            source: source.into(),
        }
    }
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputError::Symlink(p) => write!(
                f,
                "{} is a symbolic link; lloom-monctl never writes, reads or removes through one, so that nothing outside the output directory is touched: replace it with the directory or file it points to, or remove it",
                p.display()
            ),
            OutputError::NotAFile(p, kind) => write!(
                f,
                "{} is a {kind}, where lloom-monctl writes a regular file: move it away",
                p.display()
            ),
            OutputError::NotADirectory(p) => write!(
                f,
                "{} is not a directory, where lloom-monctl writes a directory of files: move it away",
                p.display()
            ),
            OutputError::Unmanaged { out, paths } => {
                write!(
                    f,
                    "{} has {} file(s) that lloom-monctl did not write (they are not in its manifest) and would overwrite:",
                    out.display(),
                    paths.len()
                )?;
                for p in paths {
                    write!(f, "\n  {}", out.join(p).display())?;
                }
                write!(
                    f,
                    "\nnothing was written; move them away, render into an empty directory, or pass --force to adopt and overwrite them"
                )
            }
            OutputError::ManifestOutside { manifest, entry } => write!(
                f,
                "{} names `{entry}`, which is outside the output directory; fix or delete the manifest",
                manifest.display()
            ),
            OutputError::Locked { out, waited_s } => write!(
                f,
                "another lloom-monctl render of {} held its lock for {waited_s} s; try again when it has finished, or raise --lock-timeout",
                out.display()
            ),
            OutputError::Io { path, what, source } => {
                write!(f, "cannot {what} {}: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for OutputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OutputError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
