//! Parsing a spec so that every structural error is reported, not just the first.
//!
//! serde stops at the first error. To go on, the document is parsed once into
//! toml's span-keeping tree; after each failed deserialization the entry the
//! error points at is pruned from the tree and deserialization is tried again.
//! A missing required key cannot be pruned away, so a placeholder is put in its
//! place instead (and the spec is then not handed on to the semantic checks,
//! which would judge the placeholder). Spans still refer to the original text,
//! so every error keeps its location.

use super::Spec;
use crate::diagnostics::{did_you_mean, Finding};
use serde::Deserialize;
use std::borrow::Cow;
use std::ops::Range;
use toml::de::{DeArray, DeInteger, DeTable, DeValue};
use toml::Spanned;

/// More structural errors than this in one spec are not worth listing.
const MAX_STRUCTURAL_ERRORS: usize = 50;

/// Why a spec could not be turned into [`Spec`] at all.
#[derive(Debug)]
pub struct LoadError {
    pub findings: Vec<Finding>,
}

/// Where an entry sits in the document: keys, and 1-based positions in arrays.
type Path = Vec<String>;

/// Parses spec text. On structural errors the findings are returned together
/// with a partial spec (offending entries removed) when one could be built
/// without placeholders, so that later stages can add their findings too; the
/// caller must not render it.
pub fn load(text: &str) -> (Option<Spec>, Vec<Finding>) {
    let (root, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        let findings = syntax
            .iter()
            .map(|e| syntax_finding(first_line(e.message()), e.span()))
            .collect();
        return (None, findings);
    }
    let original = root.clone();
    let mut root = root;
    let mut findings = Vec::new();
    // Entries removed so far, and keys a did-you-mean has pointed at, by their
    // path in the original document: if serde then finds them missing, that
    // was reported already.
    let mut pruned: Vec<Path> = Vec::new();
    // Placeholders get spans past the end of the text, so that errors about
    // them are recognised and never shown.
    let mut next_placeholder = text.len() + 1;
    let mut complete = true;
    // Every round removes an entry, adds a placeholder or changes one's type;
    // the bound only guards against a loop.
    for _ in 0..MAX_STRUCTURAL_ERRORS * 8 {
        let de = toml::de::Deserializer::from(root.clone());
        let err = match Spec::deserialize(de) {
            Ok(spec) => return (complete.then_some(spec), findings),
            Err(err) => err,
        };
        if findings.len() >= MAX_STRUCTURAL_ERRORS {
            break;
        }
        let msg = first_line(err.message());
        // The root table's span is 0..0: such an error has no place in the text.
        let span = err.span().filter(|s| *s != (0..0));
        let placeholder = span.clone().filter(|s| s.start > text.len());
        let in_placeholder = placeholder.is_some();
        if let Some(s) = placeholder.filter(|_| missing_field(msg).is_none()) {
            // A placeholder of the wrong type: try the next type.
            if retype_placeholder(root.get_mut(), &s) {
                continue;
            }
            break;
        }
        let path = span
            .as_ref()
            .and_then(|s| locate(original.get_ref(), s))
            .unwrap_or_default();
        if let Some(field) = missing_field(msg) {
            let mut field_path = path.clone();
            field_path.push(field.to_string());
            if !in_placeholder && !pruned.contains(&field_path) {
                findings.push(describe_missing(field, span.clone(), &path));
            }
            let table = match &span {
                None => Some(root.get_mut()),
                Some(s) => find_table(root.get_mut(), s),
            };
            let Some(table) = table else { break };
            let at = next_placeholder..next_placeholder + 1;
            next_placeholder += 2;
            table.insert(
                Spanned::new(at.clone(), Cow::Owned(field.to_string())),
                Spanned::new(at, DeValue::String(Cow::Borrowed(""))),
            );
            complete = false;
            continue;
        }
        findings.push(describe(msg, span.clone(), &path, text));
        let Some(span) = span else { break };
        if !prune(root.get_mut(), &span) {
            break;
        }
        // A misspelt required key (`hostz` for `hosts`) leaves the right one
        // missing; the did-you-mean of the misspelling says all there is to say.
        if let Some((name, expected)) = parse_unknown(msg, "unknown field `") {
            if let Some(best) = did_you_mean(&name, expected.iter().map(String::as_str)) {
                let mut meant = path[..path.len().saturating_sub(1)].to_vec();
                meant.push(best.to_string());
                pruned.push(meant);
            }
        }
        pruned.push(path);
    }
    (None, findings)
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s).trim()
}

fn syntax_finding(msg: &str, span: Option<Range<usize>>) -> Finding {
    let help = if msg.contains("string") && msg.contains("expected `\"`") {
        "close the string with `\"` on the same line; use `\"\"\"` for text over several lines"
    } else if msg.contains("duplicate key") {
        "each key may be set only once in a table; remove one of them"
    } else {
        "fix the TOML syntax at this place; see https://toml.io/en/v1.0.0"
    };
    Finding::error("spec/syntax", format!("TOML syntax: {msg}"))
        .at_opt(span)
        .help(help)
}

fn missing_field(msg: &str) -> Option<&str> {
    let rest = msg.strip_prefix("missing field `")?;
    rest.split('`').next()
}

/// The path of the innermost entry (key and value) or array element whose
/// span holds `span`. Every entry is searched, not only those whose span holds
/// `span`: a `[table]`'s span is only its header, not its keys.
fn locate(table: &DeTable<'_>, span: &Range<usize>) -> Option<Path> {
    for (k, v) in table.iter() {
        let key = k.get_ref().to_string();
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
        if prune_in(v, span) {
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

fn describe_missing(field: &str, span: Option<Range<usize>>, table: &[String]) -> Finding {
    let place = display_path(table);
    let finding = Finding::error(
        "spec/missing-key",
        format!("missing key `{field}` in {place}"),
    );
    let example = match field {
        "hosts" | "targets" | "files" | "services" | "alertmanagers" => format!("{field} = [..]"),
        _ => format!("{field} = \"..\""),
    };
    match span {
        Some(span) => finding
            .at(span)
            .label(format!("this table needs `{field}`"))
            .help(format!(
                "add `{example}` to this table; see the spec reference in README.md"
            )),
        None => finding.help(format!(
            "add `[{field}]` with its keys; see the spec reference in README.md"
        )),
    }
}

/// Turns a serde error into a finding with a did-you-mean where one helps.
/// `path` leads to the entry the error is about.
fn describe(msg: &str, span: Option<Range<usize>>, path: &[String], text: &str) -> Finding {
    let parent = display_path(&path[..path.len().saturating_sub(1)]);
    let subject = display_path(path);
    // The key the value is written under; none for an array element.
    let key = path
        .last()
        .filter(|p| !p.chars().all(|c| c.is_ascii_digit()))
        .map_or("", String::as_str);
    if let Some((name, expected)) = parse_unknown(msg, "unknown field `") {
        let help = match did_you_mean(&name, expected.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None if expected.is_empty() => format!("remove `{name}`: {parent} takes no keys"),
            None => format!("remove it, or use one of: {}", expected.join(", ")),
        };
        return Finding::error(
            "spec/unknown-key",
            format!("unknown key `{name}` in {parent}"),
        )
        .at_opt(span)
        .label("unknown key")
        .help(help);
    }
    if let Some((name, expected)) = parse_unknown(msg, "unknown variant `") {
        let help = match did_you_mean(&name, expected.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("use one of: {}", expected.join(", ")),
        };
        return Finding::error(
            "spec/unknown-value",
            format!("unknown value `{name}` for {subject}"),
        )
        .at_opt(span)
        .label("not one of the allowed values")
        .help(help);
    }
    let mismatch = msg
        .strip_prefix("invalid type: ")
        .or_else(|| msg.strip_prefix("invalid value: "))
        .and_then(|rest| rest.rsplit_once(", expected "));
    if let Some((found, expected)) = mismatch {
        let written = span
            .as_ref()
            .and_then(|s| text.get(s.clone()))
            .filter(|w| !w.contains('\n') && w.len() <= 60);
        let (want, help) = type_help(expected, key, written);
        return Finding::error(
            "spec/wrong-type",
            format!("{subject} must be {want}, not {}", found_name(found)),
        )
        .at_opt(span)
        .label(format!("expected {want}"))
        .help(help);
    }
    Finding::error("spec/invalid", format!("{msg} in {subject}")).at_opt(span)
}

/// What serde expected, in the spec's words, and how to write it.
fn type_help(expected: &str, key: &str, written: Option<&str>) -> (&'static str, String) {
    let unquoted = written.map(|w| w.trim_matches(|c| c == '"' || c == '\''));
    let example = |value: String| match key {
        "" => format!("`{value}`"),
        _ => format!("`{key} = {value}`"),
    };
    match expected {
        "a sequence" => (
            "a list",
            match written {
                Some(w) => format!("write a list in brackets, e.g. {}", example(format!("[{w}]"))),
                None => "write a list in brackets: `[\"a\", \"b\"]`".into(),
            },
        ),
        "a string" => (
            "a string",
            match unquoted {
                Some(w) => format!("quote the value, e.g. {}", example(format!("\"{w}\""))),
                None => "quote the value".into(),
            },
        ),
        "a boolean" => ("`true` or `false`", "write `true` or `false`, without quotes".into()),
        "u16" => (
            "a whole number from 0 to 65535",
            "write the number without quotes, e.g. `port = 9091`".into(),
        ),
        "u64" | "u32" | "usize" => (
            "a whole number",
            "write a whole number without quotes".into(),
        ),
        "f64" | "f32" => ("a number", "write a number without quotes, e.g. `0.05`".into()),
        e if e.starts_with("struct ") || e == "a map" => (
            "a table",
            format!("write it as a table: a `[..]` header with the keys below it, or `{key} = {{ .. }}`"),
        ),
        _ => (
            "a value of another type",
            "quote strings, use [..] for lists and { .. } or [table] for tables".into(),
        ),
    }
}

/// serde's name of what was found, in the spec's words.
fn found_name(found: &str) -> String {
    match found {
        "sequence" => "a list".into(),
        "map" => "a table".into(),
        f => f.replacen("floating point", "number", 1),
    }
}

fn display_path(path: &[String]) -> String {
    if path.is_empty() {
        return "the top level".to_string();
    }
    let mut out = String::new();
    for part in path {
        if part.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(&format!("[{part}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(part);
        }
    }
    format!("`{out}`")
}

/// Splits "unknown field `x`, expected one of `a`, `b`" into `x` and `[a, b]`.
fn parse_unknown(msg: &str, prefix: &str) -> Option<(String, Vec<String>)> {
    let rest = msg.strip_prefix(prefix)?;
    let (name, tail) = rest.split_once('`')?;
    let expected = tail
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    Some((name.to_string(), expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_serde_unknown_messages() {
        let (name, exp) = parse_unknown(
            "unknown field `hostz`, expected one of `hosts`, `port`",
            "unknown field `",
        )
        .unwrap();
        assert_eq!(name, "hostz");
        assert_eq!(exp, vec!["hosts", "port"]);
    }

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

    #[test]
    fn shows_array_positions_one_based() {
        assert_eq!(display_path(&["alert".into(), "2".into()]), "`alert[2]`");
    }
}
