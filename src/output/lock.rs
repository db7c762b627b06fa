//! One render at a time per output directory: an advisory `flock` on the
//! directory itself. It leaves no file behind (nothing for `git status` or
//! `render --check` to see), and the kernel drops it when a render dies, so a
//! killed render never blocks the next one.

use super::error::OutputError;
use super::WriteOptions;
use rustix::fs::{flock, FlockOperation};
use rustix::io::Errno;
use std::os::fd::AsFd;
use std::path::Path;
use std::time::{Duration, Instant};

/// Exclusive for a write, shared for `--check` (which then never sees a
/// write half done).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Exclusive,
    Shared,
}

/// Takes the lock on `fd` (the directory `out`), waiting up to the options'
/// timeout; their `on_wait` is called once if another render holds it.
/// Released when `fd` is closed.
pub fn acquire(
    fd: impl AsFd,
    mode: Mode,
    options: &WriteOptions,
    out: &Path,
) -> Result<(), OutputError> {
    let timeout = options.lock_timeout;
    let op = match mode {
        Mode::Exclusive => FlockOperation::NonBlockingLockExclusive,
        Mode::Shared => FlockOperation::NonBlockingLockShared,
    };
    let start = Instant::now();
    let mut told = false;
    loop {
        match flock(&fd, op) {
            Ok(()) => return Ok(()),
            Err(Errno::WOULDBLOCK) | Err(Errno::INTR) => {}
            Err(e) => return Err(OutputError::io(out.to_path_buf(), "lock", e)),
        }
        if start.elapsed() >= timeout {
            return Err(OutputError::Locked {
                out: out.to_path_buf(),
                waited_s: timeout.as_secs(),
            });
        }
        if !told {
            if let Some(f) = options.on_wait {
                f(out);
            }
            told = true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
