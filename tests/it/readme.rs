//! The documents against the code: the guide-corrections page covers every
//! built-in rule that differs from the guide, the code tables in `docs/` are
//! generated from the code lists, and the README's example spec is valid.

use lloom_monctl::diagnostics::{markdown_table, Code};
use lloom_monctl::model::rules::pack::{ALERTS, RECORDS};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn docs_list_every_pack_rule_that_differs_from_the_guide() {
    let page = std::fs::read_to_string(root().join("docs/guide-corrections.md")).unwrap();
    let fixed = ALERTS
        .iter()
        .filter(|a| a.fix.is_some())
        .map(|a| a.name)
        .chain(RECORDS.iter().filter(|r| r.fix.is_some()).map(|r| r.name));
    for name in fixed {
        assert!(
            page.contains(&format!("`{name}`")),
            "docs/guide-corrections.md does not mention `{name}`, which the pack changes"
        );
    }
}

/// The code tables of `docs/`: each is generated from its list, between
/// `<!-- codes:NAME begin -->` and `<!-- codes:NAME end -->` on its page.
/// Another list is one more line here, and the two markers on its page.
const CODE_TABLES: &[(&str, &str, &[Code])] = &[
    ("spec", "docs/spec.md", lloom_monctl::spec::SpecCode::CODES),
    (
        "lint",
        "docs/lint.md",
        lloom_monctl::lint::codes::LintCode::CODES,
    ),
    (
        "conform",
        "docs/conform.md",
        lloom_monctl::conform::ConformCode::CODES,
    ),
    (
        "inventory",
        "docs/discovery.md",
        lloom_monctl::discover::InventoryCode::CODES,
    ),
];

/// Fails when a table differs from its list; with `UPDATE_DOCS=1` it
/// rewrites the tables instead.
#[test]
fn docs_code_tables_are_generated_from_the_code_lists() {
    let update = std::env::var("UPDATE_DOCS").is_ok_and(|v| v == "1");
    let mut stale = Vec::new();
    for (name, page, codes) in CODE_TABLES {
        let path = root().join(page);
        let text = std::fs::read_to_string(&path).unwrap();
        let begin = format!("<!-- codes:{name} begin -->\n");
        let end = format!("<!-- codes:{name} end -->");
        let start = text
            .find(&begin)
            .unwrap_or_else(|| panic!("{page} has no line `{}`", begin.trim_end()))
            + begin.len();
        let stop = start
            + text[start..]
                .find(&end)
                .unwrap_or_else(|| panic!("{page} has no line `{end}` after its begin marker"));
        let table = markdown_table(codes);
        if text[start..stop] == table {
            continue;
        }
        if update {
            let text = format!("{}{table}{}", &text[..start], &text[stop..]);
            std::fs::write(&path, text).unwrap();
        } else {
            stale.push(format!("{page} ({name})"));
        }
    }
    assert!(
        stale.is_empty(),
        "the code tables in {} differ from the code lists; \
         rewrite them with `UPDATE_DOCS=1 cargo test code_tables`",
        stale.join(", ")
    );
}

/// The spec on the README's first screen passes `check --deny warnings`.
#[test]
fn readme_example_spec_is_valid() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let spec = readme
        .split("```toml\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("README.md has a ```toml block");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("example.toml");
    std::fs::write(&path, spec).unwrap();
    let out = std::process::Command::new(crate::common::exe())
        .args(["check", "--deny", "warnings"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the README's example spec fails `check --deny warnings`:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
