//! Parsing a spec so that every structural error is reported, not just the first.
//!
//! serde stops at the first error. To go on, the document is parsed once into
//! toml's span-keeping tree; after each failed deserialization the entry the
//! error points at is pruned from the tree and deserialization is tried again.
//! A missing required key cannot be pruned away, so a placeholder is put in its
//! place instead (and the spec is then not handed on to the semantic checks,
//! which would judge the placeholder). Spans still refer to the original text,
//! so every error keeps its location.

use super::messages::{
    describe, describe_missing, first_line, missing_field, parse_unknown, syntax_finding,
};
use super::Spec;
use super::SpecCode;
use crate::diagnostics::{did_you_mean, Finding};
use serde::Deserialize;
use std::borrow::Cow;
use std::ops::Range;
use toml::de::{DeArray, DeInteger, DeTable, DeValue};
use toml::Spanned;

/// More structural errors than this in one spec are not worth listing.
const MAX_STRUCTURAL_ERRORS: usize = 50;

/// Where an entry sits in the document: keys, and 1-based positions in arrays.
type Path = Vec<String>;

/// Parses spec text. On structural errors the findings are returned together
/// with a partial spec (offending entries removed) when one could be built
/// without placeholders, so that later stages can add their findings too; the
/// caller must not render it.
pub fn load(text: &str) -> (Option<Spec>, Vec<Finding>) {
    let (root, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        let mut findings: Vec<Finding> = syntax
            .iter()
            .take(MAX_STRUCTURAL_ERRORS)
            .map(|e| syntax_finding(first_line(e.message()), e.span()))
            .collect();
        if syntax.len() > MAX_STRUCTURAL_ERRORS {
            findings.push(Finding::new(
                SpecCode::Syntax,
                format!(
                    "{} more TOML syntax errors after these",
                    syntax.len() - MAX_STRUCTURAL_ERRORS
                ),
            ));
        }
        return (None, findings);
    }
    let paths = super::secret_files::check(root.get_ref());
    let (spec, mut findings) = recover(text, root);
    if !paths.is_empty() {
        findings.extend(paths);
    }
    (spec, findings)
}

/// Deserializes the tree, mending it after each error (see the module's doc).
fn recover<'i>(text: &'i str, root: Spanned<DeTable<'i>>) -> (Option<Spec>, Vec<Finding>) {
    let mut recovery = Recovery {
        text,
        original: root.clone(),
        root,
        findings: Vec::new(),
        pruned: Vec::new(),
        next_placeholder: text.len() + 1,
        complete: true,
    };
    // Every round removes an entry, adds a placeholder or changes one's type;
    // the bound only guards against a loop.
    for _ in 0..MAX_STRUCTURAL_ERRORS * 8 {
        let de = toml::de::Deserializer::from(recovery.root.clone());
        let err = match Spec::deserialize(de) {
            Ok(spec) => return (recovery.complete.then_some(spec), recovery.findings),
            Err(err) => err,
        };
        if recovery.findings.len() >= MAX_STRUCTURAL_ERRORS || !recovery.mend(&err) {
            break;
        }
    }
    let mut findings = recovery.findings;
    if findings.is_empty() {
        // Recovery gave up before it could say why: never fail silently.
        findings.push(
            Finding::new(
                SpecCode::Invalid,
                "the spec does not match the expected structure",
            )
            .help("compare it with specs/lloom.toml and the spec reference in docs/spec.md"),
        );
    }
    (None, findings)
}

/// The state of error recovery: the tree as first parsed (whose spans the
/// findings point into) and the tree being mended.
struct Recovery<'i> {
    text: &'i str,
    original: Spanned<DeTable<'i>>,
    root: Spanned<DeTable<'i>>,
    findings: Vec<Finding>,
    /// Entries removed so far, and keys a did-you-mean has pointed at, by their
    /// path in the original document: if serde then finds them missing, that
    /// was reported already.
    pruned: Vec<Path>,
    /// Placeholders get spans past the end of the text, so that errors about
    /// them are recognised and never shown.
    next_placeholder: usize,
    /// No placeholder was put in: the spec deserialized is the operator's.
    complete: bool,
}

impl Recovery<'_> {
    /// Reports `err` (unless it is about a placeholder) and mends the tree so
    /// that the next try gets past it; false when it cannot be mended.
    fn mend(&mut self, err: &toml::de::Error) -> bool {
        let msg = first_line(err.message());
        // The root table's span is 0..0: such an error has no place in the text.
        let span = err.span().filter(|s| *s != (0..0));
        let placeholder = span.clone().filter(|s| s.start > self.text.len());
        let in_placeholder = placeholder.is_some();
        if let Some(s) = placeholder.filter(|_| missing_field(msg).is_none()) {
            // A placeholder of the wrong type: try the next type.
            return retype_placeholder(self.root.get_mut(), &s);
        }
        let path = span
            .as_ref()
            .and_then(|s| locate(self.original.get_ref(), s))
            .unwrap_or_default();
        if let Some(field) = missing_field(msg) {
            return self.fill_missing(field, span, path, in_placeholder);
        }
        self.findings
            .push(describe(msg, span.clone(), &path, self.text));
        let Some(span) = span else { return false };
        if !prune(self.root.get_mut(), &span) {
            return false;
        }
        // A misspelt required key (`hostz` for `hosts`) leaves the right one
        // missing; the did-you-mean of the misspelling says all there is to say.
        if let Some((name, expected)) = parse_unknown(msg, "unknown field `") {
            if let Some(best) = did_you_mean(&name, expected.iter().map(String::as_str)) {
                let mut meant = path[..path.len().saturating_sub(1)].to_vec();
                meant.push(best.to_string());
                self.pruned.push(meant);
            }
        }
        self.pruned.push(path);
        true
    }

    /// A missing required key: reported unless that was said already, then
    /// a placeholder in its place, which makes the spec incomplete.
    fn fill_missing(
        &mut self,
        field: &str,
        span: Option<Range<usize>>,
        path: Path,
        in_placeholder: bool,
    ) -> bool {
        let mut field_path = path.clone();
        field_path.push(field.to_string());
        if !in_placeholder && !self.pruned.contains(&field_path) {
            self.findings
                .push(describe_missing(field, span.clone(), &path));
        }
        let table = match &span {
            None => Some(self.root.get_mut()),
            Some(s) => find_table(self.root.get_mut(), s),
        };
        let Some(table) = table else { return false };
        let at = self.next_placeholder..self.next_placeholder + 1;
        self.next_placeholder += 2;
        table.insert(
            Spanned::new(at.clone(), Cow::Owned(field.to_string())),
            Spanned::new(at, DeValue::String(Cow::Borrowed(""))),
        );
        self.complete = false;
        true
    }
}

/// The path of the innermost entry (key and value) or array element whose
/// span holds `span`. Every entry is searched, not only those whose span holds
/// `span`: a `[table]`'s span is only its header, not its keys.
fn locate(table: &DeTable<'_>, span: &Range<usize>) -> Option<Path> {
    for (k, v) in table.iter() {
        let key = k.get_ref().to_string();
        // An error in the key itself (an unknown `[[a.b]]`): the key, not
        // the array element whose header holds it.
        if contains(&k.span(), span) {
            return Some(vec![key]);
        }
        if let Some(mut inner) = locate_in(v, span) {
            inner.insert(0, key);
            return Some(inner);
        }
        if contains(&k.span(), span) || contains(&v.span(), span) {
            return Some(vec![key]);
        }
    }
    None
}

/// The path below `value` of the innermost entry that holds `span`.
fn locate_in(value: &Spanned<DeValue<'_>>, span: &Range<usize>) -> Option<Path> {
    match value.get_ref() {
        DeValue::Table(t) => locate(t, span),
        DeValue::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            let mut inner =
                locate_in(item, span).or_else(|| contains(&item.span(), span).then(Vec::new))?;
            inner.insert(0, format!("{}", i + 1));
            Some(inner)
        }),
        _ => None,
    }
}

/// Removes the innermost entry or array element that holds `span`.
fn prune(table: &mut DeTable<'_>, span: &Range<usize>) -> bool {
    let mut hit = None;
    for (k, v) in table.iter_mut() {
        if !contains(&k.span(), span) && prune_in(v, span) {
            return true;
        }
        if contains(&k.span(), span) || contains(&v.span(), span) {
            hit = Some(k.get_ref().to_string());
            break;
        }
    }
    match hit {
        Some(key) => table.remove_entry(key.as_str()).is_some(),
        None => false,
    }
}

fn prune_in(value: &mut Spanned<DeValue<'_>>, span: &Range<usize>) -> bool {
    match value.get_mut() {
        DeValue::Table(t) => prune(t, span),
        DeValue::Array(items) => {
            let slice: &mut [Spanned<DeValue<'_>>] = items;
            if slice.iter_mut().any(|item| prune_in(item, span)) {
                return true;
            }
            let Some(idx) = items.iter().position(|item| contains(&item.span(), span)) else {
                return false;
            };
            // The element itself is wrong: rebuild the array without it.
            let mut rest = DeArray::new();
            for (i, item) in items.iter().enumerate() {
                if i != idx {
                    rest.push(item.clone());
                }
            }
            *items = rest;
            true
        }
        _ => false,
    }
}

/// The innermost table whose span holds `span`: the one serde found a key missing in.
fn find_table<'a, 'i>(
    table: &'a mut DeTable<'i>,
    span: &Range<usize>,
) -> Option<&'a mut DeTable<'i>> {
    for (_, v) in table.iter_mut() {
        if let Some(t) = find_table_in(v, span) {
            return Some(t);
        }
    }
    None
}

fn find_table_in<'a, 'i>(
    value: &'a mut Spanned<DeValue<'i>>,
    span: &Range<usize>,
) -> Option<&'a mut DeTable<'i>> {
    let holds = contains(&value.span(), span);
    match value.get_mut() {
        DeValue::Table(t) => {
            // Decide before borrowing `t` for the search below.
            if holds && find_table(t, span).is_none() {
                return Some(t);
            }
            find_table(t, span)
        }
        DeValue::Array(items) => {
            let slice: &mut [Spanned<DeValue<'i>>] = items;
            slice.iter_mut().find_map(|item| find_table_in(item, span))
        }
        _ => None,
    }
}

/// Gives the placeholder at `span` the next type to try; false when all were tried.
fn retype_placeholder(table: &mut DeTable<'_>, span: &Range<usize>) -> bool {
    for (_, v) in table.iter_mut() {
        if v.span() == *span {
            let next = match v.get_ref() {
                DeValue::String(_) => DeValue::Array(DeArray::new()),
                DeValue::Array(_) => DeValue::Table(DeTable::new()),
                DeValue::Table(_) => DeValue::Integer(DeInteger::default()),
                DeValue::Integer(_) => DeValue::Boolean(false),
                _ => return false,
            };
            *v.get_mut() = next;
            return true;
        }
        let found = match v.get_mut() {
            DeValue::Table(t) => retype_placeholder(t, span),
            DeValue::Array(items) => {
                let slice: &mut [Spanned<DeValue<'_>>] = items;
                slice.iter_mut().any(|item| match item.get_mut() {
                    DeValue::Table(t) => retype_placeholder(t, span),
                    _ => false,
                })
            }
            _ => false,
        };
        if found {
            return true;
        }
    }
    false
}

fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end && outer != &(0..0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STACK: &str = "[stack]\nname = \"t\"\nrunbook_base_url = \"https://x.org/r\"\n";

    /// The messages, sorted: serde's order is not the order of the text.
    fn messages(text: &str) -> Vec<String> {
        let mut found: Vec<String> = load(text).1.into_iter().map(|f| f.message).collect();
        found.sort();
        found
    }

    #[test]
    fn finds_keys_below_table_headers() {
        let text = format!("{STACK}[roles.client]\nhosts = [\"c1\"]\nprot = 1\n");
        assert_eq!(
            messages(&text),
            vec!["unknown key `prot` in `roles.client`"]
        );
    }

    #[test]
    fn a_misspelt_array_of_tables_is_reported_once_in_its_parent() {
        let text = format!(
            "{STACK}[roles.client]\nhosts = [\"c1\"]\n[[alertmanager.receivers]]\nname = \"r\"\n"
        );
        let found = messages(&text);
        assert!(
            found.iter().filter(|m| m.contains("receivers")).count() == 1
                && found.contains(&"unknown key `receivers` in `alertmanager`".to_string()),
            "{found:?}"
        );
    }

    #[test]
    fn array_positions_stay_those_of_the_text_after_pruning() {
        let text = format!("{STACK}[roles.client]\nhosts = [1, \"c1\", 2]\n");
        let (spec, found) = load(&text);
        assert!(spec.is_some(), "only optional parts were pruned");
        let found: Vec<String> = found.into_iter().map(|f| f.message).collect();
        assert_eq!(
            found,
            vec![
                "`roles.client.hosts[1]` must be a string, not integer `1`",
                "`roles.client.hosts[3]` must be a string, not integer `2`",
            ]
        );
    }

    #[test]
    fn a_misspelt_or_mistyped_required_key_is_reported_once() {
        for body in ["hostz = [\"c1\"]", "hosts = \"c1\""] {
            let text = format!("{STACK}[roles.client]\n{body}\n");
            let (spec, found) = load(&text);
            assert_eq!(found.len(), 1, "{body}: {found:?}");
            assert!(spec.is_none(), "a placeholder stands in for `hosts`");
        }
    }

    #[test]
    fn a_missing_key_does_not_hide_later_errors() {
        let text = "[stack]\nname = \"t\"\ncolour = 1\n";
        assert_eq!(
            messages(text),
            vec![
                "missing key `runbook_base_url` in `stack`",
                "unknown key `colour` in `stack`"
            ]
        );
        assert_eq!(messages(""), vec!["missing key `stack` in the top level"]);
        // A placeholder [stack] is filled in, so the rest is still checked.
        assert_eq!(
            messages("[roles.client]\nhosts = [\"c1\"]\nprot = 1\n"),
            vec![
                "missing key `stack` in the top level",
                "unknown key `prot` in `roles.client`",
            ]
        );
    }
}
