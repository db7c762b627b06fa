//! Pipelines, commands and operands, after Go's `text/template/parse`.

use super::parse::Parser;
use super::token::{err, Kind, SyntaxError};

type Result<T> = std::result::Result<T, super::token::SyntaxError>;

impl Parser<'_> {
    /// Declarations (`$x :=`, `$x =`, `$i, $v :=` in a range), then commands
    /// joined by `|`, up to `end`.
    pub(super) fn pipeline(&mut self, context: &str, end: Kind) -> Result<()> {
        let mut declared = 0;
        while self.peek_non_space().kind == Kind::Var {
            let start = self.pos;
            let var = self.next_non_space();
            let after = self.next_non_space();
            match after.kind {
                Kind::Assign | Kind::Declare => {
                    self.vars.push(var.text.into());
                    break;
                }
                Kind::Char if after.text == "," => {
                    self.vars.push(var.text.into());
                    declared += 1;
                    let more = self.peek_non_space().kind;
                    if context != "range" || declared >= 2 {
                        return Err(err(after.at, format!("too many declarations in {context}")));
                    }
                    if !matches!(more, Kind::Var | Kind::Right | Kind::RParen) {
                        return Err(err(after.at, "range can only initialize variables"));
                    }
                }
                _ => {
                    self.pos = start;
                    break;
                }
            }
        }
        let mut stages: Vec<Kind> = Vec::new();
        loop {
            let item = self.next_non_space();
            if item.kind == end {
                if stages.is_empty() {
                    return Err(err(item.at, format!("missing value for {context}")));
                }
                if let Some(i) = stages.iter().skip(1).position(|k| {
                    matches!(
                        k,
                        Kind::Bool | Kind::Dot | Kind::Nil | Kind::Number | Kind::Str
                    )
                }) {
                    return Err(err(
                        item.at,
                        format!("non executable command in pipeline stage {}", i + 2),
                    ));
                }
                return Ok(());
            }
            match item.kind {
                Kind::Bool
                | Kind::CharConst
                | Kind::Dot
                | Kind::Field
                | Kind::Ident
                | Kind::Number
                | Kind::Nil
                | Kind::Str
                | Kind::Var
                | Kind::LParen => {
                    self.pos -= 1;
                    stages.push(item.kind);
                    self.command()?;
                }
                _ => return Err(self.unexpected(item, context)),
            }
        }
    }

    /// Operands up to `|`, `}}` or `)`.
    fn command(&mut self) -> Result<()> {
        let mut operands = 0;
        loop {
            operands += usize::from(self.operand()?);
            let item = self.next();
            match item.kind {
                Kind::Space => continue,
                Kind::Right | Kind::RParen => self.pos -= 1,
                Kind::Pipe => {} // a trailing `|` is fine, as in Go
                _ => return Err(self.unexpected(item, "operand")),
            }
            if operands == 0 {
                return Err(err(item.at, "empty command"));
            }
            return Ok(());
        }
    }

    /// A term and the fields chained to it; false where none starts here.
    fn operand(&mut self) -> Result<bool> {
        let Some(kind) = self.term()? else {
            return Ok(false);
        };
        if self.peek().kind == Kind::Field {
            if matches!(
                kind,
                Kind::Bool | Kind::Str | Kind::Number | Kind::Nil | Kind::Dot | Kind::CharConst
            ) {
                return Err(err(self.peek().at, "unexpected . after term"));
            }
            while self.peek().kind == Kind::Field {
                self.next();
            }
        }
        Ok(true)
    }

    fn term(&mut self) -> Result<Option<Kind>> {
        let item = self.next_non_space();
        match item.kind {
            Kind::Ident if !(self.function)(item.text) => Err(SyntaxError {
                undefined_function: Some(item.text.to_string()),
                ..err(item.at, format!("function {:?} not defined", item.text))
            }),
            Kind::Var if !self.vars.iter().any(|v| v == item.text) => {
                Err(err(item.at, format!("undefined variable {:?}", item.text)))
            }
            Kind::LParen => {
                self.pipeline("parenthesized pipeline", Kind::RParen)?;
                Ok(Some(Kind::LParen))
            }
            Kind::Ident
            | Kind::Var
            | Kind::Dot
            | Kind::Nil
            | Kind::Field
            | Kind::Bool
            | Kind::Str
            | Kind::Number
            | Kind::CharConst => Ok(Some(item.kind)),
            _ => {
                self.pos -= 1;
                Ok(None)
            }
        }
    }
}
