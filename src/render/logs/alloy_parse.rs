//! Reads back the subset of Alloy syntax that `alloy_syntax` writes: blocks,
//! attributes, strings (unescaped), numbers, booleans, lists, objects and
//! references, and `//` comments. Used by the tests to check the rendered
//! file itself, not the structs it came from.

use super::{Block, Item, Reference, Value};

/// The top-level blocks of `text`, or the first error with its line.
pub fn parse(text: &str) -> Result<Vec<Block>, String> {
    let mut p = Parser {
        chars: text.chars().collect(),
        at: 0,
    };
    let body = p.body(false)?;
    body.into_iter()
        .map(|i| match i {
            Item::Block(b) => Ok(b),
            Item::Attr(n, _) => Err(format!("top-level attribute `{n}`")),
        })
        .collect()
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn err<T>(&self, what: &str) -> Result<T, String> {
        let line = self.chars[..self.at].iter().filter(|c| **c == '\n').count() + 1;
        Err(format!("line {line}: {what}"))
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    /// Skips whitespace and `//` comments; returns the next character.
    fn skip(&mut self) -> Option<char> {
        loop {
            match self.peek() {
                Some(c) if c.is_whitespace() => self.at += 1,
                Some('/') if self.chars.get(self.at + 1) == Some(&'/') => {
                    while !matches!(self.peek(), None | Some('\n')) {
                        self.at += 1;
                    }
                }
                other => return other,
            }
        }
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        if self.skip() == Some(c) {
            self.at += 1;
            Ok(())
        } else {
            self.err(&format!("expected `{c}`"))
        }
    }

    fn ident(&mut self) -> Result<String, String> {
        self.skip();
        let start = self.at;
        while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == '_') {
            self.at += 1;
        }
        if start == self.at {
            return self.err("expected an identifier");
        }
        Ok(self.chars[start..self.at].iter().collect())
    }

    fn dotted(&mut self) -> Result<String, String> {
        let mut name = self.ident()?;
        while self.peek() == Some('.') {
            self.at += 1;
            name.push('.');
            name.push_str(&self.ident()?);
        }
        Ok(name)
    }

    fn body(&mut self, nested: bool) -> Result<Vec<Item>, String> {
        let mut items = Vec::new();
        loop {
            match self.skip() {
                None if !nested => return Ok(items),
                None => return self.err("unclosed block"),
                Some('}') if nested => {
                    self.at += 1;
                    return Ok(items);
                }
                _ => {}
            }
            let name = self.dotted()?;
            match self.skip() {
                Some('=') => {
                    self.at += 1;
                    items.push(Item::Attr(name, self.value()?));
                }
                Some(c) => {
                    let label = if c == '"' { Some(self.string()?) } else { None };
                    self.expect('{')?;
                    let body = self.body(true)?;
                    items.push(Item::Block(Block { name, label, body }));
                }
                None => return self.err("unexpected end"),
            }
        }
    }

    fn value(&mut self) -> Result<Value, String> {
        match self.skip() {
            Some('"') => Ok(Value::String(self.string()?)),
            Some('[') => {
                self.at += 1;
                let mut items = Vec::new();
                while self.skip() != Some(']') {
                    items.push(self.value()?);
                    if self.skip() == Some(',') {
                        self.at += 1;
                    } else if self.skip() != Some(']') {
                        return self.err("expected `,` or `]`");
                    }
                }
                self.at += 1;
                Ok(Value::List(items))
            }
            Some('{') => {
                self.at += 1;
                let mut fields = Vec::new();
                while self.skip() != Some('}') {
                    let key = if self.peek() == Some('"') {
                        self.string()?
                    } else {
                        self.ident()?
                    };
                    self.expect('=')?;
                    fields.push((key, self.value()?));
                    if self.skip() == Some(',') {
                        self.at += 1;
                    } else if self.skip() != Some('}') {
                        return self.err("expected `,` or `}`");
                    }
                }
                self.at += 1;
                Ok(Value::Object(fields))
            }
            Some(c) if c.is_ascii_digit() || c == '-' => {
                let start = self.at;
                self.at += 1;
                while matches!(self.peek(), Some(c) if c.is_ascii_digit() || c == '.') {
                    self.at += 1;
                }
                let text: String = self.chars[start..self.at].iter().collect();
                text.parse()
                    .map(Value::Number)
                    .or_else(|_| self.err(&format!("bad number `{text}`")))
            }
            Some(_) => match self.dotted()?.as_str() {
                "true" => Ok(Value::Bool(true)),
                "false" => Ok(Value::Bool(false)),
                path => Ok(Value::Ref(Reference(path.to_string()))),
            },
            None => self.err("expected a value"),
        }
    }

    /// A `"..."` literal, unescaped.
    fn string(&mut self) -> Result<String, String> {
        self.expect('"')?;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return self.err("unclosed string");
            };
            self.at += 1;
            match c {
                '"' => return Ok(out),
                '\n' => return self.err("newline in string"),
                '\\' => {
                    let Some(e) = self.peek() else {
                        return self.err("unclosed string");
                    };
                    self.at += 1;
                    match e {
                        '\\' => out.push('\\'),
                        '"' => out.push('"'),
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        'u' | 'U' => {
                            let n = if e == 'u' { 4 } else { 8 };
                            let hex: String = self.chars.iter().skip(self.at).take(n).collect();
                            self.at += n;
                            match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                                Some(ch) => out.push(ch),
                                None => return self.err(&format!("bad escape `\\{e}{hex}`")),
                            }
                        }
                        other => return self.err(&format!("unknown escape `\\{other}`")),
                    }
                }
                c => out.push(c),
            }
        }
    }
}
