//! The project root, inside which every file a spec names must lie: the
//! nearest ancestor of the spec holding `.git`, or `--root DIR`.

use std::path::{Component, Path, PathBuf};

/// The project root of the spec at `spec_path`: `given` if set, else the
/// nearest ancestor of the spec's directory with a `.git` (a directory, or a
/// worktree's file), else the spec's own directory. Symlinks resolved.
pub fn project_root(spec_path: &Path, given: Option<&Path>) -> std::io::Result<PathBuf> {
    if let Some(dir) = given {
        return dir.canonicalize();
    }
    let dir = spec_dir(spec_path).canonicalize()?;
    Ok(dir
        .ancestors()
        .find(|d| d.join(".git").exists())
        .unwrap_or(&dir)
        .to_path_buf())
}

/// The directory the spec's relative paths start from.
pub fn spec_dir(spec_path: &Path) -> &Path {
    match spec_path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// `path` with `.` and `..` worked out lexically (no symlinks followed);
/// `None` if a `..` climbs above the filesystem's root.
pub fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            other => out.push(other),
        }
    }
    Some(out)
}

/// The part of a glob before its first wildcard component: the directory
/// it searches in.
pub fn literal_prefix(pattern: &Path) -> PathBuf {
    pattern
        .components()
        .take_while(|c| !c.as_os_str().to_string_lossy().contains(['*', '?', '[']))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_and_finds_the_literal_prefix() {
        assert_eq!(
            normalize(Path::new("/r/specs/../inv/./a.toml")),
            Some(PathBuf::from("/r/inv/a.toml"))
        );
        assert_eq!(
            literal_prefix(Path::new("/r/inv/*/a.toml")),
            PathBuf::from("/r/inv")
        );
    }
}
