//! The `[logs]` regex read as a syntax tree: its named groups and which of
//! them capture free text. Go's RE2 (Promtail's and Alloy's engine) must
//! take it: [`re2::check`](crate::model::core::re2::check) says so.

use regex_syntax::ast::{self, AssertionKind, Ast, GroupKind, RepetitionKind, RepetitionRange};

/// A named group of the regex, in the order written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Group {
    pub name: String,
    /// Why its values are unbounded, when its pattern is a catch-all.
    pub catch_all: Option<&'static str>,
}

/// Why the regex is refused (Promtail and Alloy compile it with Go's RE2),
/// and the part of it to point at.
pub(crate) type Problem = crate::model::core::re2::Refusal;

/// The named groups of `pattern`, or why Go's RE2 would not take it.
pub(crate) fn analyze(pattern: &str) -> Result<Vec<Group>, Problem> {
    crate::model::core::re2::check(pattern)?;
    let tree = ast::parse::Parser::new()
        .parse(pattern)
        .map_err(|e| Problem {
            message: format!("does not compile: {}", e.kind()),
            focus: None,
        })?;
    let mut groups = Vec::new();
    walk(&tree, false, &mut groups);
    Ok(groups)
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
            (r"(?P<a>x**)", "**"),
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
