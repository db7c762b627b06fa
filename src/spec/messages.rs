//! The wording of structural findings: serde's and toml's messages turned
//! into what is wrong, where, and how to fix it.

use super::SpecCode;
use crate::diagnostics::{suggest, Finding};
use std::ops::Range;

pub(super) fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s).trim()
}

pub(super) fn syntax_finding(msg: &str, span: Option<Range<usize>>) -> Finding {
    let help = if msg.contains("string") && msg.contains("expected `\"`") {
        "close the string with `\"` on the same line; use `\"\"\"` for text over several lines"
    } else if msg.contains("duplicate key") {
        "each key may be set only once in a table; remove one of them"
    } else {
        "fix the TOML syntax at this place; see https://toml.io/en/v1.0.0"
    };
    Finding::new(SpecCode::Syntax, format!("TOML syntax: {msg}"))
        .at_opt(span)
        .help(help)
}

pub(super) fn missing_field(msg: &str) -> Option<&str> {
    let rest = msg.strip_prefix("missing field `")?;
    rest.split('`').next()
}

pub(super) fn describe_missing(
    field: &str,
    span: Option<Range<usize>>,
    table: &[String],
) -> Finding {
    let place = display_path(table);
    let finding = Finding::new(
        SpecCode::MissingKey,
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
                "add `{example}` to this table; see the spec reference in docs/spec.md"
            )),
        None => finding.help(format!(
            "add `[{field}]` with its keys; see the spec reference in docs/spec.md"
        )),
    }
}

/// Turns a serde error into a finding with a did-you-mean where one helps.
/// `path` leads to the entry the error is about.
pub(super) fn describe(
    msg: &str,
    span: Option<Range<usize>>,
    path: &[String],
    text: &str,
) -> Finding {
    let parent = display_path(&path[..path.len().saturating_sub(1)]);
    let subject = display_path(path);
    // The key the value is written under; none for an array element.
    let key = path
        .last()
        .filter(|p| !p.chars().all(|c| c.is_ascii_digit()))
        .map_or("", String::as_str);
    if let Some((name, expected)) = parse_unknown(msg, "unknown field `") {
        let help = suggest(
            &name,
            expected.iter().map(String::as_str),
            || match expected.is_empty() {
                true => format!("remove `{name}`: {parent} takes no keys"),
                false => format!("remove it, or use one of: {}", expected.join(", ")),
            },
        );
        return Finding::new(
            SpecCode::UnknownKey,
            format!("unknown key `{name}` in {parent}"),
        )
        .at_opt(span)
        .label("unknown key")
        .help(help);
    }
    if let Some((name, expected)) = parse_unknown(msg, "unknown variant `") {
        let help = suggest(&name, expected.iter().map(String::as_str), || {
            format!("use one of: {}", expected.join(", "))
        });
        return Finding::new(
            SpecCode::UnknownValue,
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
        return Finding::new(
            SpecCode::WrongType,
            format!("{subject} must be {want}, not {}", found_name(found)),
        )
        .at_opt(span)
        .label(format!("expected {want}"))
        .help(help);
    }
    Finding::new(SpecCode::Invalid, format!("{msg} in {subject}")).at_opt(span)
}

/// What serde expected, in the spec's words, and how to write it.
pub(super) fn type_help(
    expected: &str,
    key: &str,
    written: Option<&str>,
) -> (&'static str, String) {
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
pub(super) fn found_name(found: &str) -> String {
    match found {
        "sequence" => "a list".into(),
        "map" => "a table".into(),
        f => f.replacen("floating point", "number", 1),
    }
}

pub(super) fn display_path(path: &[String]) -> String {
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
pub(super) fn parse_unknown(msg: &str, prefix: &str) -> Option<(String, Vec<String>)> {
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
