//! Parsing a spec so that every structural error is reported, not just the first.
//!
//! serde stops at the first error. To go on, the document is parsed once into
//! toml's span-keeping tree; after each failed deserialization the entry the
//! error points at is pruned from the tree and deserialization is tried again.
//! Spans still refer to the original text, so every error keeps its location.

use super::Spec;
use crate::diagnostics::{did_you_mean, Finding};
use serde::Deserialize;
use std::ops::Range;
use toml::de::{DeArray, DeTable, DeValue};
use toml::Spanned;

/// More structural errors than this in one spec are not worth listing.
const MAX_STRUCTURAL_ERRORS: usize = 50;

/// Why a spec could not be turned into [`Spec`] at all.
#[derive(Debug)]
pub struct LoadError {
    pub findings: Vec<Finding>,
}

/// Parses spec text. On structural errors the findings are returned together
/// with a partial spec (offending entries removed) when one could be built, so
/// that later stages can add their findings too; the caller must not render it.
pub fn load(text: &str) -> (Option<Spec>, Vec<Finding>) {
    let (root, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        let findings = syntax
            .iter()
            .map(|e| {
                Finding::error(
                    "spec/syntax",
                    format!("TOML syntax: {}", first_line(e.message())),
                )
                .at_opt(e.span())
                .help("fix the TOML syntax at this place; see https://toml.io/en/v1.0.0")
            })
            .collect();
        return (None, findings);
    }
    let mut root = root;
    let mut findings = Vec::new();
    let mut pruned: Vec<Range<usize>> = Vec::new();
    loop {
        let de = toml::de::Deserializer::from(root.clone());
        let err = match Spec::deserialize(de) {
            Ok(spec) => return (Some(spec), findings),
            Err(err) => err,
        };
        let span = err.span().unwrap_or(0..0);
        let cascade = pruned
            .iter()
            .any(|p| span.start <= p.start && p.end <= span.end);
        let removed = prune_table(root.get_mut(), &span, &mut Vec::new());
        if !cascade {
            let path = removed
                .as_ref()
                .map(|(_, path)| path.as_slice())
                .unwrap_or(&[]);
            findings.push(describe(&err, span.clone(), path));
        }
        match removed {
            Some((removed_span, _)) if findings.len() < MAX_STRUCTURAL_ERRORS => {
                pruned.push(removed_span)
            }
            _ => return (None, findings),
        }
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s).trim()
}

/// Removes the innermost entry that contains `span`; returns the removed
/// entry's span and the table path it sat in.
fn prune_table(
    table: &mut DeTable<'_>,
    span: &Range<usize>,
    path: &mut Vec<String>,
) -> Option<(Range<usize>, Vec<String>)> {
    let hit = table
        .iter()
        .find(|(k, v)| contains(&k.span(), span) || contains(&v.span(), span))
        .map(|(k, _)| k.get_ref().to_string())?;
    let key_span_hit;
    {
        let (k, v) = table
            .iter_mut()
            .find(|(k, _)| k.get_ref().as_ref() == hit)?;
        key_span_hit = contains(&k.span(), span);
        if !key_span_hit {
            path.push(hit.clone());
            if let Some(found) = prune_value(v, span, path) {
                return Some(found);
            }
            path.pop();
        }
    }
    let (k, v) = table.remove_entry(hit.as_str())?;
    Some((k.span().start..v.span().end.max(k.span().end), path.clone()))
}

fn prune_value(
    value: &mut Spanned<DeValue<'_>>,
    span: &Range<usize>,
    path: &mut Vec<String>,
) -> Option<(Range<usize>, Vec<String>)> {
    let value_span = value.span();
    match value.get_mut() {
        DeValue::Table(t) => prune_table(t, span, path),
        DeValue::Array(items) => {
            let idx = items.iter().position(|item| contains(&item.span(), span))?;
            path.push(format!("{}", idx + 1));
            let slice: &mut [Spanned<DeValue<'_>>] = items;
            if let Some(found) = prune_value(&mut slice[idx], span, path) {
                return Some(found);
            }
            path.pop();
            // The element itself is wrong: rebuild the array without it.
            let mut rest = DeArray::new();
            let removed = items[idx].span();
            for (i, item) in items.iter().enumerate() {
                if i != idx {
                    rest.push(item.clone());
                }
            }
            *items = rest;
            let _ = value_span;
            Some((removed, path.clone()))
        }
        _ => None,
    }
}

fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end && outer != &(0..0)
}

/// Turns a serde error into a finding with a did-you-mean where one helps.
fn describe(err: &toml::de::Error, span: Range<usize>, path: &[String]) -> Finding {
    let msg = first_line(err.message());
    let place = display_path(path);
    if let Some((name, expected)) = parse_unknown(msg, "unknown field `") {
        let help = match did_you_mean(&name, expected.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None if expected.is_empty() => format!("remove `{name}`: {place} takes no keys"),
            None => format!("remove it, or use one of: {}", expected.join(", ")),
        };
        return Finding::error(
            "spec/unknown-key",
            format!("unknown key `{name}` in {place}"),
        )
        .at(span)
        .label("not a key here")
        .help(help);
    }
    if let Some((name, expected)) = parse_unknown(msg, "unknown variant `") {
        let help = match did_you_mean(&name, expected.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("use one of: {}", expected.join(", ")),
        };
        return Finding::error(
            "spec/unknown-value",
            format!("unknown value `{name}` in {place}"),
        )
        .at(span)
        .label("not one of the allowed values")
        .help(help);
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return Finding::error(
            "spec/missing-key",
            format!("missing key `{field}` in {place}"),
        )
        .at(span)
        .label(format!("`{field}` is required here"))
        .help(format!(
            "add `{field} = ...`; see the spec reference in README.md"
        ));
    }
    if msg.starts_with("invalid type") || msg.starts_with("invalid value") {
        return Finding::error("spec/wrong-type", format!("{msg} in {place}"))
            .at(span)
            .label("wrong type")
            .help("quote strings, use [..] for lists and { .. } or [table] for tables");
    }
    Finding::error("spec/invalid", format!("{msg} in {place}")).at(span)
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

    #[test]
    fn shows_array_positions_one_based() {
        assert_eq!(display_path(&["alert".into(), "2".into()]), "`alert[2]`");
    }
}
