//! The `[logs]` regex read as a syntax tree: its named groups, which of them
//! capture free text, and the syntax Rust's `regex` accepts but Go's RE2
//! (Promtail's and Alloy's engine) does not.

use regex_syntax::ast::{
    self, Assertion, AssertionKind, Ast, ClassSet, ClassSetItem, ClassUnicodeKind, Flag,
    FlagsItemKind, GroupKind, HexLiteralKind, LiteralKind, RepetitionKind, RepetitionRange,
};

/// A named group of the regex, in the order written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Group {
    pub name: String,
    /// Why its values are unbounded, when its pattern is a catch-all.
    pub catch_all: Option<&'static str>,
}

/// Why the regex is refused, and the part of it to point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub message: String,
    pub focus: Option<String>,
}

/// The named groups of `pattern`, or why Go's RE2 would not take it.
pub(crate) fn analyze(pattern: &str) -> Result<Vec<Group>, Problem> {
    let tree = ast::parse::Parser::new()
        .parse(pattern)
        .map_err(|e| parse_problem(pattern, &e))?;
    not_in_re2(pattern, &tree)?;
    // The AST parser leaves some errors (bad Unicode class names, size) to the compiler.
    if let Err(e) = regex::Regex::new(pattern) {
        let text = e.to_string();
        let last = text
            .lines()
            .last()
            .unwrap_or("")
            .trim_start_matches("error: ");
        return Err(Problem {
            message: format!("does not compile: {last}"),
            focus: None,
        });
    }
    let mut groups = Vec::new();
    walk(&tree, false, &mut groups);
    Ok(groups)
}

fn piece(pattern: &str, span: &ast::Span) -> Option<String> {
    pattern
        .get(span.start.offset..span.end.offset)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn parse_problem(pattern: &str, e: &ast::Error) -> Problem {
    let message = match e.kind() {
        ast::ErrorKind::UnsupportedLookAround => {
            "look-around (`(?=`, `(?!`, `(?<=`, `(?<!`) is not supported: Promtail and Alloy use Go's RE2, which has none".to_string()
        }
        ast::ErrorKind::UnsupportedBackreference => {
            "backreferences (`\\1`) are not supported: Promtail and Alloy use Go's RE2, which has none".to_string()
        }
        kind => format!("does not compile: {kind}"),
    };
    Problem {
        message,
        focus: piece(pattern, e.span()),
    }
}

/// Syntax that Rust's `regex` accepts and Go's `regexp` rejects.
fn not_in_re2(pattern: &str, tree: &Ast) -> Result<(), Problem> {
    let refuse = |what: &str, span: &ast::Span| {
        Err(Problem {
            message: format!(
                "{what} is Rust-only syntax: Promtail and Alloy use Go's RE2, which rejects it"
            ),
            focus: piece(pattern, span),
        })
    };
    match tree {
        Ast::Flags(f) => match flags(&f.flags.items) {
            Some(i) => refuse("this flag (Go knows `i`, `m`, `s` and `U`)", &i.span),
            None => Ok(()),
        },
        Ast::Literal(l) => match l.kind {
            LiteralKind::HexFixed(HexLiteralKind::UnicodeShort | HexLiteralKind::UnicodeLong)
            | LiteralKind::HexBrace(HexLiteralKind::UnicodeShort | HexLiteralKind::UnicodeLong) => {
                refuse("`\\u`/`\\U` (write `\\x{..}`)", &l.span)
            }
            _ => Ok(()),
        },
        Ast::Assertion(a) => assertion(a).map_or(Ok(()), |what| refuse(what, &a.span)),
        Ast::ClassUnicode(c) => match c.kind {
            ClassUnicodeKind::NamedValue { .. } => refuse("`\\p{name=value}`", &c.span),
            _ => Ok(()),
        },
        Ast::ClassBracketed(c) => class_set(pattern, &c.kind),
        Ast::Repetition(r) => not_in_re2(pattern, &r.ast),
        Ast::Group(g) => {
            if let GroupKind::NonCapturing(f) = &g.kind {
                if let Some(i) = flags(&f.items) {
                    return refuse("this flag (Go knows `i`, `m`, `s` and `U`)", &i.span);
                }
            }
            not_in_re2(pattern, &g.ast)
        }
        Ast::Alternation(a) => a.asts.iter().try_for_each(|t| not_in_re2(pattern, t)),
        Ast::Concat(c) => c.asts.iter().try_for_each(|t| not_in_re2(pattern, t)),
        Ast::Empty(_) | Ast::Dot(_) | Ast::ClassPerl(_) => Ok(()),
    }
}

/// A flag Go does not know (it has `i`, `m`, `s` and `U`).
fn flags(items: &[ast::FlagsItem]) -> Option<&ast::FlagsItem> {
    items.iter().find(|i| {
        matches!(
            i.kind,
            FlagsItemKind::Flag(Flag::Unicode | Flag::CRLF | Flag::IgnoreWhitespace)
        )
    })
}

fn assertion(a: &Assertion) -> Option<&'static str> {
    match a.kind {
        AssertionKind::StartLine
        | AssertionKind::EndLine
        | AssertionKind::StartText
        | AssertionKind::EndText
        | AssertionKind::WordBoundary
        | AssertionKind::NotWordBoundary => None,
        _ => Some("this word-boundary assertion (Go knows `\\b` and `\\B`)"),
    }
}

fn class_set(pattern: &str, set: &ClassSet) -> Result<(), Problem> {
    match set {
        ClassSet::BinaryOp(op) => Err(Problem {
            message: "class set operations (`&&`, `--`, `~~`) are Rust-only syntax: Promtail and Alloy use Go's RE2, which rejects them".into(),
            focus: piece(pattern, &op.span),
        }),
        ClassSet::Item(item) => class_item(pattern, item),
    }
}

fn class_item(pattern: &str, item: &ClassSetItem) -> Result<(), Problem> {
    match item {
        ClassSetItem::Bracketed(b) => class_set(pattern, &b.kind),
        ClassSetItem::Union(u) => u.items.iter().try_for_each(|i| class_item(pattern, i)),
        ClassSetItem::Unicode(c) if matches!(c.kind, ClassUnicodeKind::NamedValue { .. }) => {
            Err(Problem {
                message: "`\\p{name=value}` is Rust-only syntax: Promtail and Alloy use Go's RE2, which rejects it".into(),
                focus: piece(pattern, &c.span),
            })
        }
        _ => Ok(()),
    }
}

/// Collects the named groups. `at_end`: nothing but optional parts and an
/// end anchor (`$`, `\z`) follows this node.
fn walk(tree: &Ast, at_end: bool, out: &mut Vec<Group>) {
    match tree {
        Ast::Group(g) => {
            if let GroupKind::CaptureName { name, .. } = &g.kind {
                out.push(Group {
                    name: name.name.clone(),
                    catch_all: catch_all(&g.ast, at_end),
                });
            }
            walk(&g.ast, at_end, out);
        }
        Ast::Concat(c) => {
            for (i, t) in c.asts.iter().enumerate() {
                walk(t, ends_line(&c.asts[i + 1..], at_end), out);
            }
        }
        Ast::Alternation(a) => a.asts.iter().for_each(|t| walk(t, at_end, out)),
        Ast::Repetition(r) => walk(&r.ast, false, out),
        _ => {}
    }
}

/// Whether `rest` can match nothing and then ends the line.
fn ends_line(rest: &[Ast], at_end: bool) -> bool {
    let mut anchored = at_end;
    for t in rest.iter().rev() {
        match t {
            Ast::Assertion(a)
                if matches!(a.kind, AssertionKind::EndLine | AssertionKind::EndText) =>
            {
                anchored = true
            }
            Ast::Assertion(_) | Ast::Empty(_) | Ast::Flags(_) => {}
            Ast::Repetition(r) if min(&r.op.kind) == 0 => {}
            _ => return false,
        }
    }
    anchored
}

fn min(kind: &RepetitionKind) -> u32 {
    match kind {
        RepetitionKind::ZeroOrOne | RepetitionKind::ZeroOrMore => 0,
        RepetitionKind::OneOrMore => 1,
        RepetitionKind::Range(
            RepetitionRange::Exactly(n)
            | RepetitionRange::AtLeast(n)
            | RepetitionRange::Bounded(n, _),
        ) => *n,
    }
}

fn unbounded(kind: &RepetitionKind) -> bool {
    matches!(
        kind,
        RepetitionKind::ZeroOrMore
            | RepetitionKind::OneOrMore
            | RepetitionKind::Range(RepetitionRange::AtLeast(_))
    )
}

/// A group is a catch-all when an unbounded repetition in it takes free text
/// (`.*`, `[^"]+`: spaces included) anywhere, or takes a token class that
/// excludes only a few characters (`\S+`, `[^,]+`) up to the end of the line.
fn catch_all(tree: &Ast, at_end: bool) -> Option<&'static str> {
    match tree {
        Ast::Repetition(r) if unbounded(&r.op.kind) => match wildcard(&r.ast) {
            Some(true) => Some("it takes any text, spaces included"),
            Some(false) if at_end => Some("it takes the rest of the line"),
            _ => None,
        },
        Ast::Group(g) => catch_all(&g.ast, at_end),
        Ast::Concat(c) => c
            .asts
            .iter()
            .enumerate()
            .find_map(|(i, t)| catch_all(t, ends_line(&c.asts[i + 1..], at_end))),
        Ast::Alternation(a) => a.asts.iter().find_map(|t| catch_all(t, at_end)),
        _ => None,
    }
}

/// `Some(spaces)` for "everything but a few characters" (`.`, `\S`, `[^x]`),
/// with whether it matches a space; `None` for a positive class or literal.
fn wildcard(tree: &Ast) -> Option<bool> {
    match tree {
        Ast::Dot(_) => Some(true),
        Ast::ClassPerl(c) if c.negated => Some(!matches!(c.kind, ast::ClassPerlKind::Space)),
        Ast::ClassUnicode(c) if c.negated => Some(true),
        Ast::ClassBracketed(c) if c.negated => {
            let mut class = String::new();
            ast::print::Printer::new().print(tree, &mut class).ok()?;
            let re = regex::Regex::new(&format!("^{class}$")).ok()?;
            Some(re.is_match(" "))
        }
        Ast::Group(g) => wildcard(&g.ast),
        // `(?:[^"\\]|\\.)`: as broad as its broadest branch.
        Ast::Alternation(a) => a.asts.iter().filter_map(wildcard).max(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(p: &str) -> Vec<(String, bool)> {
        analyze(p)
            .unwrap()
            .into_iter()
            .map(|g| (g.name, g.catch_all.is_some()))
            .collect()
    }

    #[test]
    fn the_guides_regex_has_one_catch_all() {
        let g = groups(crate::model::logs::DEFAULT_REGEX);
        let names: Vec<_> = g.iter().map(|(n, c)| (n.as_str(), *c)).collect();
        assert_eq!(
            names,
            [
                ("timestamp", false),
                ("level", false),
                ("component", false),
                ("message", true)
            ]
        );
    }

    #[test]
    fn catch_alls() {
        // (pattern, group index, catch-all?)
        let cases = [
            (r"a=(?P<a>.+) b", 0, true),
            (r#"a="(?P<a>[^"]*)" b"#, 0, true),
            (r#"m="(?P<a>(?:[^"\\]|\\.)*)""#, 0, true),
            (r"(?P<a>x(?:.*))", 0, true),
            (r"(?P<a>\S+) (?P<b>\S+)$", 0, false),
            (r"(?P<a>\S+) (?P<b>\S+)$", 1, true),
            (r"(?P<a>\S+)\s*$", 0, true),
            // Unanchored, `\S+` takes one word.
            (r"(?P<a>\S+) (?P<b>\S+)", 1, false),
            // A positive class or an enumeration is bounded.
            (r"(?P<a>[a-z ]+)$", 0, false),
            (r"(?P<a>INFO|WARN|ERROR)$", 0, false),
        ];
        for (p, i, expected) in cases {
            assert_eq!(groups(p)[i].1, expected, "{p}, group {i}");
        }
    }

    #[test]
    fn rust_only_syntax_is_refused() {
        for (p, focus) in [
            (r"(?=a)b", "(?="),
            (r"(a)\1", r"\1"),
            (r"(?x) a", "x"),
            (r"\u0041", r"\u0041"),
            (r"\b{start}a", r"\b{start}"),
            (r"[a-z&&[^aeiou]]", "a-z&&[^aeiou]"),
        ] {
            let e = analyze(p).unwrap_err();
            assert_eq!(e.focus.as_deref(), Some(focus), "{p}: {}", e.message);
        }
        assert!(analyze(r"(?=a)")
            .unwrap_err()
            .message
            .contains("look-around"));
        assert!(analyze(r"(a)\1")
            .unwrap_err()
            .message
            .contains("backreference"));
    }
}
