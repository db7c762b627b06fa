//! For unit tests: the findings of a small spec, so a check's firing and
//! quiet cases read as the spec sections that make them.

use crate::diagnostics::Finding;

/// The model's findings with `code` for a one-client spec plus `sections`;
/// the spec itself must load cleanly.
pub fn findings(sections: &str, code: &str) -> Vec<Finding> {
    let text = format!(
        "[stack]\nname = \"t\"\nrunbook_base_url = \"https://runbooks.example.org\"\n[roles.client]\nhosts = [\"c1\"]\n{sections}"
    );
    let (spec, found) = crate::spec::load(&text);
    assert!(found.is_empty(), "{found:?}");
    let (_, found) = crate::model::build(&spec.expect("spec"));
    found.into_iter().filter(|f| f.code == code).collect()
}
