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
