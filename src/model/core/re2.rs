//! Whether Go's `regexp` takes a regex. Prometheus, Alertmanager, Loki and
//! Alloy compile regexes with Go (RE2 syntax, Perl flags), while this tool
//! parses them with Rust's `regex`, which takes more: nested repetitions
//! (`a**`), counts above 1000, flags and escapes Go does not know. A regex
//! one of them refuses would stop it from loading its configuration.

use super::re2_names;
use regex_syntax::ast::{
    self, Assertion, AssertionKind, Ast, ClassSet, ClassSetItem, ClassUnicodeKind, Flag,
    FlagsItemKind, GroupKind, HexLiteralKind, LiteralKind, RepetitionKind, RepetitionRange,
};

/// Go's largest repetition count, and its limit on nested counts' product.
const MAX_REPEAT: u32 = 1000;

/// Why Go refuses a regex, and the part of it to point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// What Go refuses and how to write it instead.
    pub message: String,
    pub focus: Option<String>,
}

/// `Ok` when Go's `regexp` compiles `pattern` (and Rust's `regex` too, which
/// this tool evaluates it with).
pub fn check(pattern: &str) -> Result<(), Refusal> {
    let tree = ast::parse::Parser::new()
        .parse(pattern)
        .map_err(|e| parse_refusal(pattern, &e))?;
    walk(pattern, &tree)?;
    // The AST parser leaves some errors (Unicode class names, size) to the compiler.
    if let Err(e) = regex::Regex::new(pattern) {
        let text = e.to_string();
        let last = text.lines().last().unwrap_or("");
        return Err(Refusal {
            message: format!("does not compile: {}", last.trim_start_matches("error: ")),
            focus: None,
        });
    }
    Ok(())
}

fn piece(pattern: &str, span: &ast::Span) -> Option<String> {
    pattern
        .get(span.start.offset..span.end.offset)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn parse_refusal(pattern: &str, e: &ast::Error) -> Refusal {
    let message = match e.kind() {
        ast::ErrorKind::UnsupportedLookAround => {
            "uses look-around (`(?=`, `(?!`, `(?<=`, `(?<!`), which Go's RE2 does not have"
                .to_string()
        }
        ast::ErrorKind::UnsupportedBackreference if octal(pattern, e.span()) => {
            "uses an octal escape (`\\101`), which Go reads but Rust's regex, which this tool checks with, does not: write it as a hex escape (`\\x41`)".to_string()
        }
        ast::ErrorKind::UnsupportedBackreference => {
            "uses a backreference (`\\1`), which Go's RE2 does not have".to_string()
        }
        kind => format!("does not compile: {kind}"),
    };
    Refusal {
        message,
        focus: piece(pattern, e.span()),
    }
}

/// Whether the escape at `span` is one Go reads as octal: `\0`, or `\1` to
/// `\7` followed by another octal digit (`\18` and a lone `\1` are
/// backreferences to Go, which it refuses).
fn octal(pattern: &str, span: &ast::Span) -> bool {
    let digits = pattern[span.start.offset..]
        .trim_start_matches('\\')
        .as_bytes();
    let is_octal = |b: Option<&u8>| b.is_some_and(|b| (b'0'..=b'7').contains(b));
    digits.first() == Some(&b'0') || (is_octal(digits.first()) && is_octal(digits.get(1)))
}

fn refuse(pattern: &str, span: &ast::Span, message: String) -> Result<(), Refusal> {
    Err(Refusal {
        message,
        focus: piece(pattern, span),
    })
}

fn rust_only(pattern: &str, span: &ast::Span, what: &str, instead: &str) -> Result<(), Refusal> {
    refuse(
        pattern,
        span,
        format!(
            "uses {what}, Rust-only syntax that Go's RE2 refuses or reads otherwise: {instead}"
        ),
    )
}

/// Syntax that Rust's `regex` accepts and Go's `regexp` refuses (or reads
/// differently, which is as bad: this tool would evaluate another regex).
fn walk(pattern: &str, tree: &Ast) -> Result<(), Refusal> {
    match tree {
        Ast::Flags(f) => flags(pattern, &f.flags.items),
        Ast::Literal(l) => match l.kind {
            LiteralKind::HexFixed(HexLiteralKind::UnicodeShort | HexLiteralKind::UnicodeLong)
            | LiteralKind::HexBrace(HexLiteralKind::UnicodeShort | HexLiteralKind::UnicodeLong) => {
                rust_only(pattern, &l.span, "`\\u`/`\\U`", "write `\\x{...}`")
            }
            _ => Ok(()),
        },
        Ast::Assertion(a) => assertion(pattern, a),
        Ast::ClassUnicode(c) => unicode_class(pattern, c),
        Ast::ClassBracketed(c) => class_set(pattern, &c.kind),
        Ast::Repetition(r) => repetition(pattern, r),
        Ast::Group(g) => {
            match &g.kind {
                GroupKind::NonCapturing(f) => flags(pattern, &f.items)?,
                GroupKind::CaptureName { name, .. } if !go_capture_name(&name.name) => {
                    return rust_only(
                        pattern,
                        &name.span,
                        "a group name Go does not take",
                        "Go takes only ASCII letters, digits and `_` in a name",
                    )
                }
                _ => {}
            }
            walk(pattern, &g.ast)
        }
        Ast::Alternation(a) => a.asts.iter().try_for_each(|t| walk(pattern, t)),
        Ast::Concat(c) => c.asts.iter().try_for_each(|t| walk(pattern, t)),
        Ast::Empty(_) | Ast::Dot(_) | Ast::ClassPerl(_) => Ok(()),
    }
}

fn go_capture_name(name: &str) -> bool {
    name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Go knows the flags `i`, `m`, `s` and `U`; Rust also `u`, `x` and `R`.
fn flags(pattern: &str, items: &[ast::FlagsItem]) -> Result<(), Refusal> {
    let unknown = items.iter().find(|i| {
        matches!(
            i.kind,
            FlagsItemKind::Flag(Flag::Unicode | Flag::CRLF | Flag::IgnoreWhitespace)
        )
    });
    match unknown {
        Some(i) => refuse(
            pattern,
            &i.span,
            "uses a flag Go's RE2 lacks: it knows only `i`, `m`, `s` and `U` \
             (Go matches Unicode always, has no verbose mode or CRLF mode); remove it"
                .into(),
        ),
        None => Ok(()),
    }
}

fn assertion(pattern: &str, a: &Assertion) -> Result<(), Refusal> {
    match a.kind {
        AssertionKind::StartLine
        | AssertionKind::EndLine
        | AssertionKind::StartText
        | AssertionKind::EndText
        | AssertionKind::WordBoundary
        | AssertionKind::NotWordBoundary => Ok(()),
        _ => rust_only(
            pattern,
            &a.span,
            "a word-boundary assertion (`\\<`, `\\>`, `\\b{start}`, …)",
            "Go knows only `\\b` and `\\B` (and reads `\\<` as `<`)",
        ),
    }
}

fn unicode_class(pattern: &str, c: &ast::ClassUnicode) -> Result<(), Refusal> {
    let name = match &c.kind {
        ClassUnicodeKind::OneLetter(l) => l.to_string(),
        ClassUnicodeKind::Named(n) => n.clone(),
        ClassUnicodeKind::NamedValue { .. } => String::new(),
    };
    if re2_names::is_go_class(&name) {
        return Ok(());
    }
    rust_only(
        pattern,
        &c.span,
        "a Unicode class name Go does not take",
        "Go takes only a general category (`\\pL`, `\\p{Lu}`), a script of one word as Go \
         spells it (`\\p{Greek}`; Go 1.26 refuses `\\p{Old_Italic}`) or `\\p{Any}`",
    )
}

/// Go refuses a repetition of a repetition (`a**`, `a+?*`, `a{2}{3}`: write
/// `(?:a*)*` if meant), counts above 1000, and nested counts whose product
/// passes 1000.
fn repetition(pattern: &str, r: &ast::Repetition) -> Result<(), Refusal> {
    if let Ast::Repetition(inner) = &*r.ast {
        let nested = ast::Span::new(inner.op.span.start, r.op.span.end);
        return refuse(
            pattern,
            &nested,
            "has a repetition operator right after another, which Go's RE2 refuses (\"invalid \
             nested repetition operator\"; `a++` is no possessive there either): write one operator, \
             or group the first (`(?:a*)*`)"
                .into(),
        );
    }
    if let RepetitionKind::Range(range) = &r.op.kind {
        let text = piece(pattern, &r.op.span).unwrap_or_default();
        if text.starts_with("{,") || text.contains(char::is_whitespace) {
            return rust_only(
                pattern,
                &r.op.span,
                "a counted repetition with blanks",
                "Go reads it as literal text; write `{min,max}` without blanks (`{0,5}`)",
            );
        }
        let (min, max) = bounds(range);
        if min > MAX_REPEAT || max.is_some_and(|m| m > MAX_REPEAT) {
            return refuse(
                pattern,
                &r.op.span,
                format!("repeats more than {MAX_REPEAT} times, which Go's RE2 refuses: use `+` or `*`, or a smaller count"),
            );
        }
        if (min >= 2 || max.is_some_and(|m| m >= 2))
            && !product_fits(&r.ast, MAX_REPEAT / max.unwrap_or(min).max(1))
        {
            return refuse(
                pattern,
                &r.span,
                format!("nests counted repetitions that repeat their content more than {MAX_REPEAT} times, which Go's RE2 refuses: lower a count, or use `+` or `*`"),
            );
        }
    }
    walk(pattern, &r.ast)
}

fn bounds(range: &RepetitionRange) -> (u32, Option<u32>) {
    match *range {
        RepetitionRange::Exactly(n) => (n, Some(n)),
        RepetitionRange::AtLeast(n) => (n, None),
        RepetitionRange::Bounded(m, n) => (m, Some(n)),
    }
}

/// Go's rule: every count inside (its maximum, or its minimum when
/// unbounded) divides what is left of the 1000 copies allowed.
fn product_fits(tree: &Ast, left: u32) -> bool {
    match tree {
        Ast::Repetition(r) => match &r.op.kind {
            RepetitionKind::Range(range) => {
                let (min, max) = bounds(range);
                let m = max.unwrap_or(min);
                m == 0 || (m <= left && product_fits(&r.ast, left / m))
            }
            _ => product_fits(&r.ast, left),
        },
        Ast::Group(g) => product_fits(&g.ast, left),
        Ast::Concat(c) => c.asts.iter().all(|t| product_fits(t, left)),
        Ast::Alternation(a) => a.asts.iter().all(|t| product_fits(t, left)),
        _ => true,
    }
}

fn class_set(pattern: &str, set: &ClassSet) -> Result<(), Refusal> {
    match set {
        ClassSet::BinaryOp(op) => rust_only(
            pattern,
            &op.span,
            "a class set operation (`&&`, `--`, `~~`)",
            "Go reads it as literal characters; list the characters the class is meant to take",
        ),
        ClassSet::Item(ClassSetItem::Union(u)) => {
            u.items.iter().try_for_each(|i| class_item(pattern, i))
        }
        ClassSet::Item(item) => class_item(pattern, item),
    }
}

/// An item inside a bracketed class.
fn class_item(pattern: &str, item: &ClassSetItem) -> Result<(), Refusal> {
    match item {
        ClassSetItem::Bracketed(b) => rust_only(
            pattern,
            &b.span,
            "a class nested in a class",
            "Go reads `[` there as a literal; merge it into the outer class",
        ),
        ClassSetItem::Union(u) => u.items.iter().try_for_each(|i| class_item(pattern, i)),
        ClassSetItem::Unicode(c) => unicode_class(pattern, c),
        _ => Ok(()),
    }
}
