//! Every code of every stage's table (spec, lint, conform, inventory) is
//! produced by at least one fixture: no listed code is dead, and each has an
//! example of what makes it. The specs run through the pipeline as `check`
//! runs them (inventories included), the `/metrics` pages through `conform`,
//! the inventories and nvidia-smi's CSV through their readers.
//!
//! A spec code that no other fixture shows has its own
//! `tests/fixtures/spec/<code>.toml`, which produces that code and no other.

use lloom_monctl::catalog::Catalog;
use lloom_monctl::conform::fetch::{Origin, Page};
use lloom_monctl::conform::{conform, conform_page, ConformCode};
use lloom_monctl::diagnostics::{Code, Finding};
use lloom_monctl::discover::{smi, validate, InventoryCode};
use lloom_monctl::inputs;
use lloom_monctl::lint::codes::LintCode;
use lloom_monctl::pipeline::{compile_named, Failure};
use lloom_monctl::spec::SpecCode;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Codes no fixture is for, and why.
const NO_FIXTURE: &[(SpecCode, &str)] = &[
    (
        SpecCode::SloRules,
        "a bug: the rules of an SLO the model accepted cannot be made",
    ),
    (
        SpecCode::GpuTests,
        "a bug: the GPU rule tests of valid inventories cannot be stated",
    ),
];

/// The spec fixtures: every directory of specs that fail or warn.
const SPEC_DIRS: &[&str] = &[
    "tests/fixtures/invalid",
    "tests/fixtures/spec",
    "tests/fixtures/lint",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The files under `dir` (relative to the root), recursively, ending in `ext`.
fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root().join(dir)];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every finding of a spec, as `check` gets them: the spec's, the lint's
/// (when the spec has no errors) and its inventories'.
fn spec_findings(path: &Path) -> Vec<Finding> {
    let text = read(path);
    match compile_named(&text, inputs::read_inventories(path, &text, None)) {
        Ok(compiled) => compiled.warnings,
        Err(Failure::Invalid(f) | Failure::Lint(f)) => f,
        Err(Failure::Inventory { files, spec }) => {
            files.into_iter().flat_map(|(_, f)| f).chain(spec).collect()
        }
        Err(Failure::Render(e)) => panic!("{}: render failed: {e:?}", path.display()),
    }
}

/// A page as an HTTP server answered it: a saved response (status line,
/// headers, a blank line, the body), read as `conform` reads a fetched page.
fn served(response: &str) -> Page {
    let (head, text) = response
        .split_once("\n\n")
        .expect("headers, a blank line, a body");
    let content_type = head.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("content-type")
            .then(|| value.trim().to_string())
    });
    Page {
        text: text.to_string(),
        origin: Origin::Http { content_type },
    }
}

/// Each fixture's codes, by its path relative to the root.
fn produced() -> BTreeMap<String, BTreeSet<&'static str>> {
    let mut out = BTreeMap::new();
    let mut add = |path: &Path, findings: Vec<Finding>| {
        let name = path.strip_prefix(root()).unwrap().display().to_string();
        out.insert(name, findings.into_iter().map(|f| f.code).collect());
    };
    for dir in SPEC_DIRS {
        for path in files(dir, "toml") {
            add(&path, spec_findings(&path));
        }
    }
    let catalog = Catalog::builtin();
    for path in files("tests/fixtures/conform", "prom") {
        add(&path, conform(&read(&path), &catalog, &[]).findings);
    }
    for path in files("tests/fixtures/conform-served", "http") {
        add(
            &path,
            conform_page(&served(&read(&path)), &catalog, &[]).findings,
        );
    }
    for path in files("tests/fixtures/inventory", "toml") {
        let name = path.display().to_string();
        add(
            &path,
            validate::load(&name, &read(&path))
                .err()
                .unwrap_or_default(),
        );
    }
    for path in files("tests/fixtures/nvidia-smi", "csv") {
        add(
            &path,
            smi::parse(&read(&path), "host").err().unwrap_or_default(),
        );
    }
    out
}

fn tables() -> [(&'static str, &'static [Code]); 4] {
    [
        ("spec", SpecCode::CODES),
        ("lint", LintCode::CODES),
        ("conform", ConformCode::CODES),
        ("inventory", InventoryCode::CODES),
    ]
}

#[test]
fn every_listed_code_is_produced_by_a_fixture() {
    let produced = produced();
    let all: BTreeSet<&str> = produced.values().flatten().copied().collect();
    let mut missing = Vec::new();
    for (stage, codes) in tables() {
        for c in codes {
            let exempt = NO_FIXTURE.iter().any(|(e, _)| e.code() == c.code);
            if !exempt && !all.contains(c.code) {
                missing.push(format!("{} ({stage})", c.code));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "no fixture produces {}: add one, e.g. tests/fixtures/spec/<code>.toml for a spec code",
        missing.join(", ")
    );
    for (code, why) in NO_FIXTURE {
        assert!(
            code.code().starts_with("internal/"),
            "only bugs go without a fixture, but `{}` is exempt ({why})",
            code.code()
        );
    }
}

#[test]
fn each_spec_fixture_produces_its_code_alone() {
    for path in files("tests/fixtures/spec", "toml") {
        let slug = path.file_stem().unwrap().to_string_lossy();
        let code = format!("spec/{slug}");
        assert!(
            SpecCode::find(&code).is_some(),
            "{}: `{code}` is not a spec code",
            path.display()
        );
        let found: BTreeSet<&str> = spec_findings(&path).iter().map(|f| f.code).collect();
        assert_eq!(
            found,
            BTreeSet::from([code.as_str()]),
            "{}: the fixture of `{code}` must produce it and nothing else",
            path.display()
        );
    }
}

#[test]
fn codes_are_unique_and_named_after_their_stage() {
    let mut seen = BTreeSet::new();
    for (stage, codes) in tables() {
        for c in codes {
            assert!(seen.insert(c.code), "`{}` is listed twice", c.code);
            let prefix = c.code.split('/').next().unwrap();
            assert!(
                prefix == stage || (stage == "spec" && prefix == "internal"),
                "`{}` is in the {stage} table",
                c.code
            );
            assert!(!c.meaning.is_empty() && !c.meaning.contains('\n'));
        }
    }
}
