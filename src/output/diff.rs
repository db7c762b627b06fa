//! `render --check`: what would change, as a unified diff; nothing is written.

use super::manifest;
use crate::render::Artifact;
use similar::TextDiff;
use std::io;
use std::path::Path;

/// The unified diff between `out` and what it should hold, or `None` when in sync.
pub fn drift(out: &Path, artifacts: &[Artifact]) -> io::Result<Option<String>> {
    let all = super::with_manifest(artifacts);
    let mut report = String::new();
    for a in &all {
        let path = out.join(&a.path);
        let current = match std::fs::read_to_string(&path) {
            Ok(t) => Some(t),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        if current.as_deref() == Some(a.contents.as_str()) {
            continue;
        }
        let shown = a.path.display().to_string();
        let old = current.unwrap_or_default();
        let diff = TextDiff::from_lines(&old, &a.contents);
        let header_old = if old.is_empty() {
            "/dev/null".to_string()
        } else {
            format!("a/{shown}")
        };
        report.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(&header_old, &format!("b/{shown}"))
                .to_string(),
        );
    }
    let previous = manifest::read(out).unwrap_or_default();
    for stale in manifest::stale(&previous, &all) {
        let path = out.join(stale);
        if let Ok(old) = std::fs::read_to_string(&path) {
            let shown = stale.display();
            let diff = TextDiff::from_lines(&old, "");
            report.push_str(
                &diff
                    .unified_diff()
                    .header(&format!("a/{shown}"), "/dev/null")
                    .to_string(),
            );
        }
    }
    Ok((!report.is_empty()).then_some(report))
}
