//! One file written durably where the user said (`discover --output`):
//! temp file beside it, `fsync`, rename, `fsync` of its directory.

use super::temp;
use std::io::{self, Write};
use std::path::Path;

/// Writes `bytes` to `path`, creating its directory; `false` when it already
/// held them and was left alone, so its timestamp stays.
pub fn write_file(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    if std::fs::read(path).ok().as_deref() == Some(bytes) {
        return Ok(false);
    }
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => {
            std::fs::create_dir_all(d)?;
            d
        }
        None => Path::new("."),
    };
    let tmp = dir.join(format!("{}{}", temp::PREFIX, name.to_string_lossy()));
    let _ = std::fs::remove_file(&tmp);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, path)?;
    std::fs::File::open(dir)?.sync_all()?;
    Ok(true)
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
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temp file is left");
    }
}
