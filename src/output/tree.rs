//! The output directory, reached only through directory handles opened with
//! `O_NOFOLLOW`: every component of every path is checked, so a symlink (or a
//! FIFO, a device) where the tool reads, writes or removes is an error that
//! names it, and nothing outside the directory is ever touched.

use super::crash::Steps;
use super::error::OutputError;
use rustix::fs::{self as fs, AtFlags, FileType, Mode, OFlags};
use rustix::io::Errno;
use std::collections::HashMap;
use std::ffi::OsString;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

/// What is at a path, looked at without following a symlink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Missing,
    File,
    Dir,
    Symlink,
    Special(&'static str),
}

/// Open handles on the output directory and the subdirectories used so far.
pub struct Tree {
    root: PathBuf,
    dirs: HashMap<PathBuf, OwnedFd>,
}

const DIR_FLAGS: OFlags = OFlags::RDONLY
    .union(OFlags::DIRECTORY)
    .union(OFlags::NOFOLLOW)
    .union(OFlags::CLOEXEC);

impl Tree {
    /// Opens `out`, creating it (and its parents) when `create`; `None` when
    /// it does not exist and is not to be created. `out` itself must not be
    /// a symlink: a committed `generated -> /elsewhere` would send every file
    /// out of the project.
    pub fn open(out: &Path, create: bool) -> Result<Option<Tree>, OutputError> {
        match std::fs::symlink_metadata(out) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(OutputError::Symlink(out.to_path_buf()))
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !create => return Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::create_dir_all(out)
                .map_err(|e| OutputError::io(out.to_path_buf(), "create", e))?,
            Err(e) => return Err(OutputError::io(out.to_path_buf(), "read", e)),
        }
        let fd = match fs::openat(fs::CWD, out, DIR_FLAGS, Mode::empty()) {
            Ok(fd) => fd,
            Err(Errno::NOTDIR) => return Err(OutputError::NotADirectory(out.to_path_buf())),
            Err(Errno::LOOP) => return Err(OutputError::Symlink(out.to_path_buf())),
            Err(e) => return Err(OutputError::io(out.to_path_buf(), "open", e)),
        };
        let mut dirs = HashMap::new();
        dirs.insert(PathBuf::new(), fd);
        Ok(Some(Tree {
            root: out.to_path_buf(),
            dirs,
        }))
    }

    /// The path as the user sees it, for messages.
    pub fn shown(&self, rel: &Path) -> PathBuf {
        self.root.join(rel)
    }

    /// The root's handle, for the lock and `syncfs`.
    pub fn root_fd(&self) -> &OwnedFd {
        &self.dirs[Path::new("")]
    }

    /// The handle of directory `rel`, opening each component without
    /// following symlinks; created (each `mkdir` a step) when `create`.
    /// `None` when it does not exist and is not to be created.
    pub fn dir(
        &mut self,
        rel: &Path,
        create: Option<&mut Steps>,
    ) -> Result<Option<&OwnedFd>, OutputError> {
        if !self.dirs.contains_key(rel) {
            let Some(parent) = rel.parent() else {
                unreachable!("the root is always open")
            };
            let name = rel
                .file_name()
                .expect("a relative path of normal components");
            let mut create = create;
            if self.dir(parent, create.as_deref_mut())?.is_none() {
                return Ok(None);
            }
            let fd = match self.open_child(parent, name, create)? {
                Some(fd) => fd,
                None => return Ok(None),
            };
            self.dirs.insert(rel.to_path_buf(), fd);
        }
        Ok(self.dirs.get(rel))
    }

    fn open_child(
        &self,
        parent: &Path,
        name: &std::ffi::OsStr,
        create: Option<&mut Steps>,
    ) -> Result<Option<OwnedFd>, OutputError> {
        let pfd = &self.dirs[parent];
        let rel = parent.join(name);
        match fs::openat(pfd, name, DIR_FLAGS, Mode::empty()) {
            Ok(fd) => return Ok(Some(fd)),
            Err(Errno::NOENT) => {}
            Err(e) => return Err(self.classify(&rel, e)),
        }
        let Some(steps) = create else {
            return Ok(None);
        };
        steps.step();
        match fs::mkdirat(pfd, name, Mode::from_raw_mode(0o755)) {
            Ok(()) | Err(Errno::EXIST) => {}
            Err(e) => return Err(OutputError::io(self.shown(&rel), "create directory", e)),
        }
        match fs::openat(pfd, name, DIR_FLAGS, Mode::empty()) {
            Ok(fd) => Ok(Some(fd)),
            Err(e) => Err(self.classify(&rel, e)),
        }
    }

    /// Turns a failed open into the error that says what is in the way.
    fn classify(&self, rel: &Path, e: Errno) -> OutputError {
        match self.entry_of(rel) {
            Ok(Entry::Symlink) => OutputError::Symlink(self.shown(rel)),
            Ok(Entry::File) if e == Errno::NOTDIR => OutputError::NotADirectory(self.shown(rel)),
            Ok(Entry::Special(kind)) => OutputError::NotAFile(self.shown(rel), kind),
            _ => OutputError::io(self.shown(rel), "open", e),
        }
    }

    /// `lstat` of a path whose parent is already open.
    fn entry_of(&self, rel: &Path) -> Result<Entry, OutputError> {
        let parent = rel.parent().unwrap_or(Path::new(""));
        let name = rel.file_name().unwrap_or_default();
        let pfd = &self.dirs[parent];
        match fs::statat(pfd, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(st) => Ok(kind(FileType::from_raw_mode(st.st_mode))),
            Err(Errno::NOENT) => Ok(Entry::Missing),
            Err(e) => Err(OutputError::io(self.shown(rel), "inspect", e)),
        }
    }

    /// What is at `rel`; a symlinked or non-directory parent is an error.
    pub fn entry(&mut self, rel: &Path) -> Result<Entry, OutputError> {
        let parent = rel.parent().unwrap_or(Path::new(""));
        if self.dir(parent, None)?.is_none() {
            return Ok(Entry::Missing);
        }
        self.entry_of(rel)
    }

    /// The contents of the regular file at `rel`, `None` when absent; a
    /// symlink or a special file there is an error (a FIFO would hang a read,
    /// a symlink could show a file from elsewhere in a diff).
    pub fn read(&mut self, rel: &Path) -> Result<Option<Vec<u8>>, OutputError> {
        let Some(file) = self.open_file(rel)? else {
            return Ok(None);
        };
        let mut bytes = Vec::new();
        std::fs::File::from(file)
            .read_to_end(&mut bytes)
            .map_err(|e| OutputError::io(self.shown(rel), "read", e))?;
        Ok(Some(bytes))
    }

    /// Whether the regular file at `rel` holds exactly `bytes` (`None`: absent);
    /// a file of another length is not read at all.
    pub fn holds(&mut self, rel: &Path, bytes: &[u8]) -> Result<Option<bool>, OutputError> {
        let Some(file) = self.open_file(rel)? else {
            return Ok(None);
        };
        let len = fs::fstat(&file)
            .map_err(|e| OutputError::io(self.shown(rel), "inspect", e))?
            .st_size;
        if u64::try_from(len).ok() != Some(bytes.len() as u64) {
            return Ok(Some(false));
        }
        let mut current = Vec::with_capacity(bytes.len());
        std::fs::File::from(file)
            .take(bytes.len() as u64 + 1)
            .read_to_end(&mut current)
            .map_err(|e| OutputError::io(self.shown(rel), "read", e))?;
        Ok(Some(current == bytes))
    }

    fn open_file(&mut self, rel: &Path) -> Result<Option<OwnedFd>, OutputError> {
        match self.entry(rel)? {
            Entry::Missing => return Ok(None),
            Entry::File => {}
            other => return Err(self.refusal(rel, other)),
        }
        let parent = rel.parent().unwrap_or(Path::new(""));
        let pfd = &self.dirs[parent];
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        match fs::openat(
            pfd,
            rel.file_name().unwrap_or_default(),
            flags,
            Mode::empty(),
        ) {
            Ok(fd) => Ok(Some(fd)),
            Err(Errno::NOENT) => Ok(None),
            Err(e) => Err(self.classify(rel, e)),
        }
    }

    /// The error for something other than a regular file at `rel`.
    pub fn refusal(&self, rel: &Path, entry: Entry) -> OutputError {
        match entry {
            Entry::Symlink => OutputError::Symlink(self.shown(rel)),
            Entry::Dir => OutputError::NotAFile(self.shown(rel), "directory"),
            Entry::Special(kind) => OutputError::NotAFile(self.shown(rel), kind),
            Entry::Missing | Entry::File => unreachable!("not a refusal"),
        }
    }

    /// The names in directory `rel` (empty when it does not exist).
    pub fn list(&mut self, rel: &Path) -> Result<Vec<OsString>, OutputError> {
        let shown = self.shown(rel);
        let Some(fd) = self.dir(rel, None)? else {
            return Ok(Vec::new());
        };
        let mut dir =
            fs::Dir::read_from(fd).map_err(|e| OutputError::io(shown.clone(), "list", e))?;
        let mut names = Vec::new();
        while let Some(entry) = dir.read() {
            let entry = entry.map_err(|e| OutputError::io(shown.clone(), "list", e))?;
            let name = entry.file_name().to_bytes();
            if name != b"." && name != b".." {
                names.push(OsString::from(
                    <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(name),
                ));
            }
        }
        Ok(names)
    }

    /// Creates `name` in directory `dir` (created as needed) with `bytes`;
    /// the name must not exist. Durability is the caller's (`durable`).
    pub fn create(
        &mut self,
        dir: &Path,
        name: &str,
        bytes: &[u8],
        steps: &mut Steps,
    ) -> Result<OwnedFd, OutputError> {
        let shown = self.shown(&dir.join(name));
        let fd = self
            .dir(dir, Some(steps))?
            .ok_or_else(|| OutputError::io(shown.clone(), "create", Errno::NOENT))?;
        steps.step();
        let flags =
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let file = fs::openat(fd, name, flags, Mode::from_raw_mode(0o644))
            .map_err(|e| OutputError::io(shown.clone(), "create", e))?;
        let mut writer = std::fs::File::from(file);
        writer
            .write_all(bytes)
            .map_err(|e| OutputError::io(shown.clone(), "write", e))?;
        Ok(writer.into())
    }

    /// Renames `from` to `to`, both in directory `dir` (already open).
    pub fn rename(&self, dir: &Path, from: &str, to: &std::ffi::OsStr) -> Result<(), OutputError> {
        let fd = &self.dirs[dir];
        fs::renameat(fd, from, fd, to)
            .map_err(|e| OutputError::io(self.shown(&dir.join(to)), "replace", e))
    }

    /// Removes the file at `rel`; `false` when it was not there.
    pub fn unlink(&mut self, rel: &Path) -> Result<bool, OutputError> {
        let parent = rel.parent().unwrap_or(Path::new(""));
        let Some(fd) = self.dir(parent, None)? else {
            return Ok(false);
        };
        match fs::unlinkat(fd, rel.file_name().unwrap_or_default(), AtFlags::empty()) {
            Ok(()) => Ok(true),
            Err(Errno::NOENT) => Ok(false),
            Err(e) => Err(OutputError::io(self.shown(rel), "remove", e)),
        }
    }

    /// Removes directory `rel` if it is empty; `false` when it was not
    /// removed (not empty, or not there). Its handle is dropped first.
    pub fn remove_if_empty(&mut self, rel: &Path) -> bool {
        let (Some(parent), Some(name)) = (rel.parent(), rel.file_name()) else {
            return false;
        };
        let Ok(Some(pfd)) = self.dir(parent, None) else {
            return false;
        };
        let removed = fs::unlinkat(pfd, name, AtFlags::REMOVEDIR).is_ok();
        if removed {
            self.dirs.remove(rel);
        }
        removed
    }

    /// `fsync` of directory `rel`, so that the names changed in it are durable.
    pub fn sync_dir(&self, rel: &Path) -> Result<(), OutputError> {
        match self.dirs.get(rel) {
            Some(fd) => fs::fsync(fd).map_err(|e| OutputError::io(self.shown(rel), "sync", e)),
            None => Ok(()),
        }
    }

    /// Whether directory `rel` is open (it exists and was used).
    pub fn is_open(&self, rel: &Path) -> bool {
        self.dirs.contains_key(rel)
    }
}

fn kind(t: FileType) -> Entry {
    match t {
        FileType::RegularFile => Entry::File,
        FileType::Directory => Entry::Dir,
        FileType::Symlink => Entry::Symlink,
        FileType::Fifo => Entry::Special("FIFO"),
        FileType::Socket => Entry::Special("socket"),
        FileType::CharacterDevice => Entry::Special("character device"),
        FileType::BlockDevice => Entry::Special("block device"),
        FileType::Unknown => Entry::Special("file of unknown type"),
    }
}
