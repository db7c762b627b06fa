//! What the lexer makes of a template and the parser reads: items, their
//! kinds, and the error both report. A file of its own, so that the lexer's
//! and the parser's files import it and not their parent.

/// Where a template stops parsing (a byte offset into it) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub at: usize,
    pub message: String,
    /// The name called when the error is a function the runner lacks, for
    /// a "did you mean".
    pub undefined_function: Option<String>,
}

pub(super) fn err(at: usize, message: impl Into<String>) -> SyntaxError {
    SyntaxError {
        at,
        message: message.into(),
        undefined_function: None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Left,
    Right,
    Space,
    Ident,
    Keyword,
    Field,
    Var,
    Dot,
    Bool,
    Nil,
    Number,
    Str,
    CharConst,
    Char,
    LParen,
    RParen,
    Pipe,
    Assign,
    Declare,
    Eof,
    /// Where the lexer stopped: Go's parser reports what it met before.
    Error,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Item<'a> {
    pub(super) kind: Kind,
    pub(super) text: &'a str,
    pub(super) at: usize,
}

impl Item<'_> {
    pub(super) fn describe(&self) -> String {
        match self.kind {
            Kind::Eof => "EOF".into(),
            Kind::Keyword => format!("<{}>", self.text),
            _ => format!("{:?}", self.text),
        }
    }
}

pub(super) const KEYWORDS: &[&str] = &[
    "block", "break", "continue", "define", "else", "end", "if", "range", "template", "with",
];

pub(super) fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

pub(super) fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}
