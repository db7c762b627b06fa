//! `conform`: a node's page against the spec's catalog, streamed in two
//! passes so that a page of any size is read in bounded memory.

use super::{failed, read, Exit, Report};
use crate::catalog::Catalog;
use crate::conform::{self, Role};
use crate::diagnostics::Source;
use std::path::Path;

/// `conform`: the spec's catalog against a node's exposition.
pub(super) fn conform_source(
    source: &str,
    (spec, root): (&Path, Option<&Path>),
    roles: &[Role],
    deny_warnings: bool,
    report: &mut Report,
) -> Exit {
    let catalog = match load_catalog(spec, root, report) {
        Ok(c) => c,
        Err(exit) => return exit,
    };
    let (result, shown) =
        match read::page(source).and_then(|page| conform_spooled(page, &catalog, roles)) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: {e}");
                return Exit::Io;
            }
        };
    let lines = Source::excerpts(source, &shown.text, shown.line_numbers, shown.left_out);
    report.findings(&lines, &shown.findings);
    let (errors, warnings) = shown.totals;
    let roles = match result.roles.as_slice() {
        [] => "none".to_string(),
        rs => rs.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", "),
    };
    let how = if result.inferred { "inferred" } else { "given" };
    eprintln!("{source}: {errors} error(s), {warnings} warning(s) against the catalog (roles: {roles}; {how})");
    if errors > 0 || (deny_warnings && warnings > 0) {
        Exit::Findings
    } else {
        Exit::Ok
    }
}

/// Conforms a page in two streamed passes: the checks, then the lines of
/// the findings shown. The error is one line.
fn conform_spooled(
    mut page: conform::fetch::Spooled,
    catalog: &Catalog,
    roles: &[Role],
) -> Result<(conform::Conformance, conform::excerpts::Excerpts), String> {
    use std::io::{BufReader, Seek};
    let failed = |e: std::io::Error| format!("cannot read the page: {e}");
    let mut result =
        conform::conform_read(BufReader::new(&page.file), catalog, roles).map_err(failed)?;
    conform::served_as(&page.origin, &mut result);
    page.file.rewind().map_err(failed)?;
    let findings = std::mem::take(&mut result.findings);
    let shown = conform::excerpts::gather(findings, BufReader::new(&page.file)).map_err(failed)?;

    Ok((result, shown))
}

/// The catalog of a spec that compiles. Its warnings are `check`'s business
/// and are not shown; its errors are, as `check` would show them.
fn load_catalog(path: &Path, root: Option<&Path>, report: &mut Report) -> Result<Catalog, Exit> {
    let text = read::spec(path)?;
    let name = path.display().to_string();
    match read::compile(path, &text, root) {
        Ok(compiled) => Ok(compiled.model.catalog),
        Err(failure) => Err(failed(&name, &text, failure, report)),
    }
}
