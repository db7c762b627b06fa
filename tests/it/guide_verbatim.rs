//! What the lint reports on the operators' guide itself: every alert,
//! recording-rule, SLO and dashboard expression of
//! `../shared/reference/lloom-monitoring-guide.md`, entered verbatim in
//! `tests/fixtures/guide-verbatim.toml` against the guide's own metric list.
//! The table of guide defects in `docs/guide-corrections.md` is this
//! report, explained.

use crate::common;

use common::run;

const FIXTURE: &str = "tests/fixtures/guide-verbatim.toml";

#[test]
fn the_guide_as_written_fails_the_lint() {
    let out = run(&["check", FIXTURE]);
    assert_eq!(out.status.code(), Some(1), "lint errors exit 1");
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stderr));
}

#[test]
fn every_defect_found_in_the_guide_is_listed_in_the_docs() {
    let out = run(&["check", "--format", "json", FIXTURE]);
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let page = std::fs::read_to_string(common::root().join("docs/guide-corrections.md")).unwrap();
    let section = page
        .split("## What the lint finds in the guide")
        .nth(1)
        .expect("docs/guide-corrections.md has a section `## What the lint finds in the guide`");
    // Up to the next heading only: a code named elsewhere does not count.
    let section = section.split("\n#").next().unwrap_or(section);
    for f in &findings {
        let code = f["code"].as_str().unwrap();
        assert!(
            section.contains(&format!("`{code}`")),
            "the guide triggers `{code}` (line {}), which the guide section of docs/guide-corrections.md does not explain",
            f["line"]
        );
    }
}
