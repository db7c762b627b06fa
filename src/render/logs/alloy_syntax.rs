//! A small typed writer for Alloy's configuration syntax, and a parser for
//! what it writes (the tests read the rendered file back with it).
//!
//! Alloy has no serde serializer, and pasting text into a template is how a
//! regex with a backslash or a quote breaks the file: here every string is
//! escaped, and names and references can only be identifiers.

use std::fmt::Write as _;

/// An attribute's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(String),
    Number(f64),
    Bool(bool),
    List(Vec<Value>),
    /// Keys in the order given; the renderer sorts where order does not matter.
    Object(Vec<(String, Value)>),
    /// An exported field of another component, written bare.
    Ref(Reference),
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

/// A dotted path of identifiers such as `local.file_match.lloom.targets`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference(String);

impl Reference {
    /// Panics unless every part is an identifier: references are written by
    /// lloom-monctl, never taken from the spec.
    pub fn new(path: &str) -> Reference {
        assert!(is_dotted(path), "not an Alloy reference: {path:?}");
        Reference(path.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A block: `name "label" { ... }`, attributes and nested blocks in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub name: String,
    pub label: Option<String>,
    pub body: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Attr(String, Value),
    Block(Block),
}

impl Block {
    /// Panics unless `name` is a dotted identifier (a component or block name).
    pub fn new(name: &str) -> Block {
        assert!(is_dotted(name), "not an Alloy block name: {name:?}");
        Block {
            name: name.to_string(),
            label: None,
            body: Vec::new(),
        }
    }

    pub fn label(mut self, label: &str) -> Block {
        self.label = Some(label.to_string());
        self
    }

    /// Panics unless `name` is an identifier.
    pub fn attr(mut self, name: &str, value: impl Into<Value>) -> Block {
        assert!(is_ident(name), "not an Alloy attribute name: {name:?}");
        self.body.push(Item::Attr(name.to_string(), value.into()));
        self
    }

    pub fn block(mut self, block: Block) -> Block {
        self.body.push(Item::Block(block));
        self
    }

    /// The value of attribute `name`, for readers of a parsed file.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.body.iter().find_map(|i| match i {
            Item::Attr(n, v) if n == name => Some(v),
            _ => None,
        })
    }

    /// The nested blocks called `name`.
    pub fn blocks<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.body.iter().filter_map(move |i| match i {
            Item::Block(b) if b.name == name => Some(b),
            _ => None,
        })
    }
}

pub fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(s, "true" | "false" | "null")
}

fn is_dotted(s: &str) -> bool {
    s.split('.').all(is_ident)
}

/// `s` as an Alloy string literal: `\\`, `\"`, `\n`, `\t`, `\r`, and every
/// other control character as `\uXXXX`. Alloy has no interpolation, so `${x}`
/// stays as written.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The file: a comment header, then the blocks, a blank line between them.
pub fn write(header: &str, blocks: &[Block]) -> String {
    let mut out = String::new();
    for line in header.lines() {
        let _ = writeln!(out, "// {line}");
    }
    for b in blocks {
        out.push('\n');
        write_block(&mut out, b, 0);
    }
    out
}

fn indent(out: &mut String, depth: usize) {
    out.push_str(&"  ".repeat(depth));
}

fn write_block(out: &mut String, b: &Block, depth: usize) {
    indent(out, depth);
    out.push_str(&b.name);
    if let Some(l) = &b.label {
        out.push(' ');
        out.push_str(&quote(l));
    }
    out.push_str(" {\n");
    for item in &b.body {
        match item {
            Item::Attr(name, value) => {
                indent(out, depth + 1);
                let _ = write!(out, "{name} = ");
                write_value(out, value, depth + 1);
                out.push('\n');
            }
            Item::Block(inner) => write_block(out, inner, depth + 1),
        }
    }
    indent(out, depth);
    out.push_str("}\n");
}

/// A value that fits on its line: no object inside.
fn inline(v: &Value) -> bool {
    match v {
        Value::Object(o) => o.is_empty(),
        Value::List(l) => l.iter().all(inline),
        _ => true,
    }
}

fn write_value(out: &mut String, v: &Value, depth: usize) {
    match v {
        Value::String(s) => out.push_str(&quote(s)),
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
            let _ = write!(out, "{}", *n as i64);
        }
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        Value::Ref(r) => out.push_str(&r.0),
        Value::List(items) if inline(v) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, item, depth);
            }
            out.push(']');
        }
        Value::Object(fields) if fields.is_empty() => out.push_str("{}"),
        // One element or field per line; Alloy needs the trailing comma.
        Value::List(items) => {
            out.push_str("[\n");
            for item in items {
                indent(out, depth + 1);
                write_value(out, item, depth + 1);
                out.push_str(",\n");
            }
            indent(out, depth);
            out.push(']');
        }
        Value::Object(fields) => {
            out.push_str("{\n");
            for (k, val) in fields {
                indent(out, depth + 1);
                if is_ident(k) {
                    out.push_str(k);
                } else {
                    out.push_str(&quote(k));
                }
                out.push_str(" = ");
                write_value(out, val, depth + 1);
                out.push_str(",\n");
            }
            indent(out, depth);
            out.push('}');
        }
    }
}

#[path = "alloy_parse.rs"]
mod parse_impl;
pub use parse_impl::parse;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        let nasty = "^(?P<a>\\S+) \"q\"\nnext\t${HOME} \u{1}";
        assert_eq!(
            quote(nasty),
            r#""^(?P<a>\\S+) \"q\"\nnext\t${HOME} \u0001""#
        );
        let file = write(
            "h",
            &[Block::new("x.y").label("a\"b").attr("s", nasty).attr(
                "o",
                Value::Object(vec![("a-b".into(), "".into()), ("c".into(), "\\".into())]),
            )],
        );
        assert_eq!(
            file,
            "// h\n\nx.y \"a\\\"b\" {\n  s = \"^(?P<a>\\\\S+) \\\"q\\\"\\nnext\\t${HOME} \\u0001\"\n  o = {\n    \"a-b\" = \"\",\n    c = \"\\\\\",\n  }\n}\n"
        );
        let back = parse(&file).unwrap();
        assert_eq!(back[0].label.as_deref(), Some("a\"b"));
        assert_eq!(back[0].get("s"), Some(&Value::from(nasty)));
    }

    #[test]
    fn values_round_trip_and_references_stay_bare() {
        let b = Block::new("loki.source.file")
            .label("lloom")
            .attr(
                "targets",
                Value::Ref(Reference::new("local.file_match.lloom.targets")),
            )
            .attr(
                "forward_to",
                Value::List(vec![Value::Ref(Reference::new(
                    "loki.process.lloom.receiver",
                ))]),
            )
            .attr("n", Value::Number(3.0))
            .attr("f", Value::Number(0.5))
            .attr("on", Value::Bool(true))
            .attr(
                "l",
                Value::List(vec![Value::Object(vec![("k".into(), "v".into())])]),
            )
            .block(Block::new("endpoint").attr("url", "http://x"));
        let text = write("h", std::slice::from_ref(&b));
        assert!(text.contains("  targets = local.file_match.lloom.targets\n"));
        assert!(text.contains("  forward_to = [loki.process.lloom.receiver]\n"));
        assert_eq!(parse(&text).unwrap(), vec![b.clone()]);
        assert_eq!(text, write("h", &[b]), "byte-deterministic");
    }

    #[test]
    #[should_panic(expected = "not an Alloy reference")]
    fn references_are_identifiers_only() {
        Reference::new("a.\"b\"");
    }
}
