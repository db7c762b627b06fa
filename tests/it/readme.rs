//! The README's table of guide defects covers every built-in rule that
//! differs from the guide.

use lloom_monctl::model::pack::{ALERTS, RECORDS};

#[test]
fn readme_lists_every_pack_rule_that_differs_from_the_guide() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let fixed = ALERTS
        .iter()
        .filter(|a| a.fix.is_some())
        .map(|a| a.name)
        .chain(RECORDS.iter().filter(|r| r.fix.is_some()).map(|r| r.name));
    for name in fixed {
        assert!(
            readme.contains(&format!("`{name}`")),
            "README.md does not mention `{name}`, which the pack changes"
        );
    }
}

#[test]
fn readme_tables_list_every_lint_and_conform_code_with_its_severity() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let lint = lloom_monctl::lint::codes::CODES
        .iter()
        .map(|c| (c.code, c.severity));
    let conform = lloom_monctl::conform::CODES
        .iter()
        .map(|c| (c.code, c.severity));
    for (code, severity) in lint.chain(conform) {
        let row = format!("| `{code}` | {} |", severity.as_str());
        assert!(
            readme.contains(&row),
            "README.md has no table row starting `{row}`"
        );
    }
}
