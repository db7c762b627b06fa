//! `*_file` keys take the path of a file holding a secret. A value that is
//! no path is most likely the secret itself, pasted into the wrong key: it
//! would be written into the generated config as a "path", so it is refused
//! (and, like every secret, shown masked).

use super::SpecCode;
use crate::diagnostics::{looks_like_path, Finding};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// A finding for every `*_file` string in the document that is not a path.
/// Iterative: the document's depth does not matter.
pub fn check(root: &DeTable<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut stack: Vec<(Option<&str>, &Spanned<DeValue<'_>>)> = Vec::new();
    let mut tables = vec![root];
    loop {
        if let Some(table) = tables.pop() {
            stack.extend(table.iter().map(|(k, v)| (Some(k.get_ref().as_ref()), v)));
            continue;
        }
        let Some((key, value)) = stack.pop() else {
            break;
        };
        match value.get_ref() {
            DeValue::Table(t) => tables.push(t),
            DeValue::Array(items) => stack.extend(items.iter().map(|v| (key, v))),
            DeValue::String(s) => {
                if let Some(key) = key.filter(|k| k.ends_with("_file")) {
                    if !s.is_empty() && !looks_like_path(s) {
                        findings.push(finding(key, value));
                    }
                }
            }
            _ => {}
        }
    }
    findings.sort_by_key(|f| f.span.as_ref().map(|s| s.start));
    findings
}

fn finding(key: &str, value: &Spanned<DeValue<'_>>) -> Finding {
    Finding::new(
        SpecCode::SecretNotAPath,
        format!("`{key}` takes the path of a file, and this is not one: it looks like the secret itself"),
    )
    .at(value.span())
    .redact()
    .label("not a path")
    .help(format!("put the secret into a file on the host that runs the service and give its absolute path: `{key} = \"/run/secrets/<name>\"`; if the secret was committed, rotate it"))
}
