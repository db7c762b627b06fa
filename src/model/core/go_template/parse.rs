//! The parser over the lexer's items, after Go's `text/template/parse`.

use super::token::{err, Item, Kind, SyntaxError};

type Result<T> = std::result::Result<T, SyntaxError>;

/// Why a list of actions ended.
pub(super) enum Stop {
    Eof,
    End(usize),
    Else(usize),
}

pub(super) struct Parser<'a> {
    pub items: Vec<Item<'a>>,
    pub lex_error: Option<SyntaxError>,
    pub pos: usize,
    pub vars: Vec<String>,
    pub range_depth: usize,
    pub function: &'a dyn Fn(&str) -> bool,
}

impl<'a> Parser<'a> {
    /// The lexer's error where the parser meets it, else `item` out of place.
    pub(super) fn unexpected(&self, item: Item, context: &str) -> SyntaxError {
        match (&self.lex_error, item.kind) {
            (Some(e), Kind::Error) => e.clone(),
            _ => err(
                item.at,
                format!("unexpected {} in {context}", item.describe()),
            ),
        }
    }

    pub(super) fn next(&mut self) -> Item<'a> {
        // Past the end the last item repeats; `pos` still counts, so that
        // stepping back after `next` returns to the same item.
        let item = self.items[self.pos.min(self.items.len() - 1)];
        self.pos += 1;
        item
    }

    pub(super) fn peek(&self) -> Item<'a> {
        self.items[self.pos.min(self.items.len() - 1)]
    }

    pub(super) fn next_non_space(&mut self) -> Item<'a> {
        loop {
            let item = self.next();
            if item.kind != Kind::Space {
                return item;
            }
        }
    }

    pub(super) fn peek_non_space(&mut self) -> Item<'a> {
        let pos = self.pos;
        let item = self.next_non_space();
        self.pos = pos;
        item
    }

    fn expect_right(&mut self, context: &str) -> Result<()> {
        match self.next_non_space() {
            i if i.kind == Kind::Right => Ok(()),
            i => Err(self.unexpected(i, context)),
        }
    }

    /// Actions up to `{{end}}`, `{{else` or the end of the text; `define`
    /// only at the top.
    pub(super) fn list(&mut self, top: bool) -> Result<Stop> {
        loop {
            let item = self.next();
            match item.kind {
                Kind::Eof => return Ok(Stop::Eof),
                Kind::Left => {}
                _ => return Err(self.unexpected(item, "input")),
            }
            let word = self.next_non_space();
            if word.kind != Kind::Keyword || (word.text == "define" && !top) {
                self.pos -= 1;
                self.pipeline("command", Kind::Right)?;
                continue;
            }
            match word.text {
                "end" => {
                    self.expect_right("end")?;
                    return Ok(Stop::End(word.at));
                }
                "else" => return Ok(Stop::Else(word.at)),
                "if" | "with" | "range" => self.control(word)?,
                "define" | "block" => self.definition(word)?,
                "template" => {
                    self.name("template clause")?;
                    if self.peek_non_space().kind != Kind::Right {
                        self.pipeline("template clause", Kind::Right)?;
                    } else {
                        self.next_non_space();
                    }
                }
                _ => {
                    // `break` and `continue`.
                    let context = format!("{{{{{}}}}}", word.text);
                    self.expect_right(&context)?;
                    if self.range_depth == 0 {
                        return Err(err(word.at, format!("{context} outside {{{{range}}}}")));
                    }
                }
            }
        }
    }

    fn name(&mut self, context: &str) -> Result<()> {
        match self.next_non_space() {
            i if i.kind == Kind::Str => Ok(()),
            i => Err(self.unexpected(i, context)),
        }
    }

    /// `if`, `with` or `range`: its pipeline, body, `else` and `end`; the
    /// variables it declares end with it.
    fn control(&mut self, word: Item) -> Result<()> {
        let context = word.text;
        let vars = self.vars.len();
        self.pipeline(context, Kind::Right)?;
        let ranged = usize::from(context == "range");
        self.range_depth += ranged;
        let stop = self.list(false)?;
        self.range_depth -= ranged;
        match stop {
            Stop::Eof => {
                return Err(err(
                    word.at,
                    format!("{{{{{context}}}}} has no {{{{end}}}}: unexpected EOF"),
                ))
            }
            Stop::End(_) => {}
            Stop::Else(_) => {
                let chained = self.peek_non_space();
                if context != "range" && chained.kind == Kind::Keyword && chained.text == context {
                    // `{{else if ...}}` shares the `{{end}}` of its `if`.
                    let chained = self.next_non_space();
                    self.control(chained)?;
                } else {
                    self.expect_right("else")?;
                    match self.list(false)? {
                        Stop::End(_) => {}
                        Stop::Else(at) => return Err(err(at, "expected end; found {{else}}")),
                        Stop::Eof => {
                            return Err(err(
                                word.at,
                                format!("{{{{{context}}}}} has no {{{{end}}}}: unexpected EOF"),
                            ))
                        }
                    }
                }
            }
        }
        self.vars.truncate(vars);
        Ok(())
    }

    /// `{{define "name"}}` or `{{block "name" pipeline}}`, up to its `{{end}}`:
    /// a template of its own, which sees only `$`.
    fn definition(&mut self, word: Item) -> Result<()> {
        let context = format!("{} clause", word.text);
        self.name(&context)?;
        if word.text == "block" {
            self.pipeline(&context, Kind::Right)?;
        } else {
            self.expect_right(&context)?;
        }
        let vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let depth = std::mem::take(&mut self.range_depth);
        let stop = self.list(false)?;
        (self.vars, self.range_depth) = (vars, depth);
        match stop {
            Stop::End(_) => Ok(()),
            Stop::Else(at) => Err(err(at, format!("unexpected {{{{else}}}} in {context}"))),
            Stop::Eof => Err(err(
                word.at,
                format!("{{{{{}}}}} has no {{{{end}}}}: unexpected EOF", word.text),
            )),
        }
    }
}
