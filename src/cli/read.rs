//! What the commands read: the spec named on the command line (the user's
//! choice, read as given, but only a regular file up to the size cap), and
//! the files the spec names, confined to the project root (`inputs`).

use super::Exit;
use crate::inputs::{self, read_text, MAX_INPUT};
use crate::pipeline::{compile_with, Compiled, Failure};
use std::path::Path;

/// The spec's text; a spec that cannot be read is exit 3.
pub(super) fn spec(path: &Path) -> Result<String, Exit> {
    read_text(path, MAX_INPUT).map_err(|e| {
        eprintln!("error: cannot read spec {}: {e}", path.display());
        Exit::Io
    })
}

/// Compiles the spec with the inventories it names; a glob or file that was
/// refused is an error in the spec, beside the spec's own.
pub(super) fn compile(path: &Path, text: &str, root: Option<&Path>) -> Result<Compiled, Failure> {
    let named = inputs::read_inventories(path, text, root);
    let result = compile_with(text, named.files);
    if named.findings.is_empty() {
        return result;
    }
    let mut findings = named.findings;
    match result {
        Ok(compiled) => {
            findings.extend(compiled.warnings);
            Err(Failure::Invalid(findings))
        }
        Err(Failure::Invalid(more) | Failure::Lint(more)) => {
            findings.extend(more);
            Err(Failure::Invalid(findings))
        }
        Err(Failure::Inventory { files, spec }) => {
            findings.extend(spec);
            Err(Failure::Inventory {
                files,
                spec: findings,
            })
        }
        Err(other) => Err(other),
    }
}
