//! Reading a file whose name came from outside: only a regular file, and
//! only up to a size cap checked before reading, so that `/dev/zero`, a FIFO
//! or a 4 GB file costs nothing.

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// The largest spec, inventory or nvidia-smi CSV read.
pub const MAX_INPUT: u64 = 16 * 1024 * 1024;

/// Why a file was not read; one line, without the file's content.
#[derive(Debug)]
pub enum ReadError {
    NotAFile,
    TooLarge { len: u64, cap: u64 },
    NotUtf8,
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotAFile => write!(f, "not a regular file"),
            ReadError::TooLarge { len, cap } => {
                write!(f, "{len} bytes, larger than the {} MiB cap", cap >> 20)
            }
            ReadError::NotUtf8 => write!(f, "not UTF-8 text"),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// The text of the regular file at `path`, if it is at most `cap` bytes.
/// The checks are made on the opened file, so a swap in between does not
/// get past them; a file that grows while read is cut at the cap and refused.
pub fn read_text(path: &Path, cap: u64) -> Result<String, ReadError> {
    let file = open_regular(path)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if meta.len() > cap {
        return Err(ReadError::TooLarge {
            len: meta.len(),
            cap,
        });
    }
    read_capped(file, cap)
}

/// The regular file at `path`, opened: a FIFO, device or directory is
/// refused, checked on the opened file too, so a swap in between does not
/// get past it. A regular file is finite, so reading it to its end ends.
pub fn open_regular(path: &Path) -> Result<File, ReadError> {
    // Before opening too: opening a FIFO would wait for a writer.
    if !std::fs::metadata(path).map_err(ReadError::Io)?.is_file() {
        return Err(ReadError::NotAFile);
    }
    let file = File::open(path).map_err(ReadError::Io)?;
    if !file.metadata().map_err(ReadError::Io)?.is_file() {
        return Err(ReadError::NotAFile);
    }
    Ok(file)
}

/// At most `cap` bytes of `reader` as text (stdin, say).
pub fn read_capped(reader: impl Read, cap: u64) -> Result<String, ReadError> {
    let mut bytes = Vec::new();
    reader
        .take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge {
            len: bytes.len() as u64,
            cap,
        });
    }
    String::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)
}
