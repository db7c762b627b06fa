//! spec → model → render, shared by `render`, `render --check` and `check`,
//! which differ only in where the result goes.

use crate::diagnostics::Finding;
use crate::discover::validate;
use crate::inputs::{InventoryFile, Named};
use crate::lint;
use crate::model::{self, Model};
use crate::render::{self, Artifact, RenderError};
use crate::spec;

/// A spec that passed every check, rendered in memory.
pub struct Compiled {
    pub model: Model,
    pub artifacts: Vec<Artifact>,
    /// Findings that do not stop rendering.
    pub warnings: Vec<Finding>,
}

pub enum Failure {
    /// The spec has errors; all findings, warnings included.
    Invalid(Vec<Finding>),
    /// The spec is well-formed but its expressions have lint errors.
    Lint(Vec<Finding>),
    /// A serializer failed: a bug in lloom-monctl.
    Render(RenderError),
    /// Inventories named by `[hardware]` are invalid; each with its findings,
    /// and the spec's own findings from loading it, so that one run shows all.
    Inventory {
        files: Vec<(InventoryFile, Vec<Finding>)>,
        spec: Vec<Finding>,
    },
}

/// A spec without inventories (or whose `[hardware]` finds none).
pub fn compile(text: &str) -> Result<Compiled, Failure> {
    compile_with(text, Vec::new())
}

/// A spec with the inventory files its `[hardware]` names (`inputs.rs`).
pub fn compile_with(text: &str, files: Vec<InventoryFile>) -> Result<Compiled, Failure> {
    let (spec, mut findings) = spec::load(text);
    let mut inventories = Vec::new();
    let mut bad = Vec::new();
    for f in files {
        match validate::load(&f.name, &f.text) {
            Ok(inv) => inventories.push(inv),
            Err(e) => bad.push((f, e)),
        }
    }
    if !bad.is_empty() {
        return Err(Failure::Inventory {
            files: bad,
            spec: findings,
        });
    }
    let Some(spec) = spec else {
        return Err(Failure::Invalid(findings));
    };
    let (model, more) = model::build_with(&spec, &inventories);
    findings.extend(more);
    if findings.iter().any(Finding::is_error) {
        return Err(Failure::Invalid(findings));
    }
    findings.extend(lint::lint(&model));
    if findings.iter().any(Finding::is_error) {
        return Err(Failure::Lint(findings));
    }
    let artifacts = render::render(&model).map_err(Failure::Render)?;
    Ok(Compiled {
        model,
        artifacts,
        warnings: findings,
    })
}

/// A spec with what its `[hardware]` named (`inputs::read_inventories`): a
/// glob or file that was refused is an error in the spec, beside the spec's own.
pub fn compile_named(text: &str, named: Named) -> Result<Compiled, Failure> {
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
