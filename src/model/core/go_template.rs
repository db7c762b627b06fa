//! The syntax of Go's `text/template`, checked as `template.Parse` checks it:
//! delimiters, comments, the lexing of each action, pipelines, `if`/`range`/
//! `with`/`define`/`block` and their `else`/`end`, `break`/`continue`, and
//! that each `$variable` is declared before use. Nothing is run.

mod functions;
mod lex;
mod parse;
mod pipeline;
#[cfg(test)]
mod tests;
mod token;

use crate::diagnostics::suggest;
pub use functions::Runner;
use lex::{number, quoted, word};
use parse::{Parser, Stop};
pub use token::SyntaxError;
use token::{err, is_alnum, is_space, Item, Kind, KEYWORDS};

/// The variables Prometheus declares in front of an alert's templates.
pub const PROMETHEUS_VARS: &[&str] = &["$labels", "$externalLabels", "$externalURL", "$value"];

/// Checks `text` as Go parses it, with `vars` declared and `function` telling
/// which names are functions.
pub fn check(
    text: &str,
    vars: &[&str],
    function: &dyn Fn(&str) -> bool,
) -> Result<(), SyntaxError> {
    let (items, lex_error) = lex(text);
    let mut p = Parser {
        items,
        lex_error,
        pos: 0,
        vars: std::iter::once("$")
            .chain(vars.iter().copied())
            .map(String::from)
            .collect(),
        range_depth: 0,
        function,
    };
    match p.list(true)? {
        Stop::Eof => Ok(()),
        Stop::End(at) => Err(err(at, "unexpected {{end}}")),
        Stop::Else(at) => Err(err(at, "unexpected {{else}}")),
    }
}

/// Checks `text` as `runner` parses it: its variables and its functions.
pub fn check_for(text: &str, runner: Runner) -> Result<(), SyntaxError> {
    check(text, runner.variables(), &|name| runner.defines(name))
}

/// What to write instead: the function meant, or how the syntax goes.
pub fn help(e: &SyntaxError, runner: Runner) -> String {
    match &e.undefined_function {
        Some(name) => suggest(name, runner.functions(), || {
            format!(
                "{} templates define {}",
                runner.name(),
                runner.functions().collect::<Vec<_>>().join(", ")
            )
        }),
        None => format!("{} reads this with Go's text/template: each `{{{{` needs its `}}}}`, each `if`/`range`/`with` its `{{{{ end }}}}`; write a literal `{{{{` as `{{{{ \"{{{{\" }}}}`", runner.name()),
    }
}

/// The action around `at`, as written, to point at.
pub fn action_at(text: &str, at: usize) -> &str {
    let at = at.min(text.len());
    let start = text[..at].rfind("{{").unwrap_or(at);
    let end = text[at..].find("}}").map_or(text.len(), |e| at + e + 2);
    let mut end = end.min(start + 60);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[start..end]
}

/// The length of the closing delimiter at the start of `s`, `-}}` included.
fn right_delim(s: &str) -> Option<usize> {
    if s.starts_with("}}") {
        Some(2)
    } else if s.starts_with(is_space) && s[1..].starts_with("-}}") {
        Some(4)
    } else {
        None
    }
}

/// The items of `s`, up to the lexer's error if there is one.
fn lex(s: &str) -> (Vec<Item<'_>>, Option<SyntaxError>) {
    let mut out = Vec::new();
    match lex_into(s, &mut out) {
        Ok(()) => (out, None),
        Err(e) => {
            out.push(Item {
                kind: Kind::Error,
                text: "",
                at: e.at,
            });
            (out, Some(e))
        }
    }
}

fn lex_into<'a>(s: &'a str, out: &mut Vec<Item<'a>>) -> Result<(), SyntaxError> {
    let mut i = 0;
    while let Some(open) = s[i..].find("{{").map(|o| i + o) {
        let mut p = open + 2;
        if s[p..].starts_with('-') && s[p + 1..].starts_with(is_space) {
            p += 2;
        }
        if s[p..].starts_with("/*") {
            let end = s[p + 2..]
                .find("*/")
                .ok_or_else(|| err(open, "unclosed comment"))?;
            p += 2 + end + 2;
            let n = right_delim(&s[p..])
                .ok_or_else(|| err(p, "comment ends before closing delimiter"))?;
            i = p + n;
            continue;
        }
        out.push(Item {
            kind: Kind::Left,
            text: "{{",
            at: open,
        });
        let mut depth = 0usize;
        loop {
            let rest = &s[p..];
            if let Some(n) = right_delim(rest) {
                if depth > 0 {
                    return Err(err(p, "unclosed left paren"));
                }
                out.push(Item {
                    kind: Kind::Right,
                    text: "}}",
                    at: p,
                });
                p += n;
                break;
            }
            let c = rest
                .chars()
                .next()
                .ok_or_else(|| err(open, "unclosed action"))?;
            let next = rest[c.len_utf8()..].chars().next();
            let (kind, len) = match c {
                c if is_space(c) => {
                    let mut n = rest.find(|c| !is_space(c)).unwrap_or(rest.len());
                    if rest[n..].starts_with("-}}") {
                        n -= 1; // the space belongs to ` -}}`
                    }
                    if n == 0 {
                        continue;
                    }
                    (Kind::Space, n)
                }
                '=' => (Kind::Assign, 1),
                ':' if next == Some('=') => (Kind::Declare, 2),
                ':' => return Err(err(p, "expected :=")),
                '|' => (Kind::Pipe, 1),
                '(' => {
                    depth += 1;
                    (Kind::LParen, 1)
                }
                ')' => {
                    depth = depth
                        .checked_sub(1)
                        .ok_or_else(|| err(p, "unexpected right paren"))?;
                    (Kind::RParen, 1)
                }
                '"' | '\'' => quoted(rest, p, c)?,
                '`' => match rest[1..].find('`') {
                    Some(e) => (Kind::Str, e + 2),
                    None => return Err(err(p, "unterminated raw quoted string")),
                },
                '$' => (Kind::Var, 1 + word(rest, 1, p)?),
                '.' if !next.is_some_and(|n| n.is_ascii_digit()) => match word(rest, 1, p)? {
                    0 => (Kind::Dot, 1),
                    n => (Kind::Field, 1 + n),
                },
                '+' | '-' | '.' | '0'..='9' => number(rest, p)?,
                c if is_alnum(c) => {
                    let n = word(rest, 0, p)?;
                    let kind = match &rest[..n] {
                        "true" | "false" => Kind::Bool,
                        "nil" => Kind::Nil,
                        w if KEYWORDS.contains(&w) => Kind::Keyword,
                        _ => Kind::Ident,
                    };
                    (kind, n)
                }
                c if c.is_ascii_graphic() => (Kind::Char, 1),
                c => return Err(err(p, format!("unrecognized character in action: {c:?}"))),
            };
            out.push(Item {
                kind,
                text: &rest[..len],
                at: p,
            });
            p += len;
        }
        i = p;
    }
    out.push(Item {
        kind: Kind::Eof,
        text: "",
        at: s.len(),
    });
    Ok(())
}
