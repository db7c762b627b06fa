//! What the commands read: the spec named on the command line (the user's
//! choice, read as given, but only a regular file up to the size cap), and
//! the files the spec names, confined to the project root (`inputs`).

use super::Exit;
use crate::conform::fetch;
use crate::inputs::{self, open_regular, read_text, MAX_INPUT};
use crate::pipeline::{compile_named, Compiled, Failure};
use std::path::Path;

/// The spec's text; a spec that cannot be read is exit 3.
pub(super) fn spec(path: &Path) -> Result<String, Exit> {
    read_text(path, MAX_INPUT).map_err(|e| {
        eprintln!("error: cannot read spec {}: {e}", path.display());
        Exit::Io
    })
}

/// Compiles the spec with the inventories it names, confined to the root.
pub(super) fn compile(path: &Path, text: &str, root: Option<&Path>) -> Result<Compiled, Failure> {
    compile_named(text, inputs::read_inventories(path, text, root))
}

/// `conform`'s page: fetched from a URL and spooled, or a saved file read
/// as given (a regular file, of any size: it is streamed). The error is
/// one line.
pub(super) fn page(source: &str) -> Result<fetch::Spooled, String> {
    if fetch::is_url(source) {
        return fetch::read(source);
    }
    let file = open_regular(Path::new(source)).map_err(|e| format!("cannot read {source}: {e}"))?;
    Ok(fetch::Spooled {
        file,
        origin: fetch::Origin::File,
    })
}
