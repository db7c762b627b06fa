//! One line of the text exposition format, parsed on its own: grouping lines
//! into families needs what came before, a line's syntax does not.

use super::{ExposedType, Label, Sample};
use std::ops::Range;

/// What a line says.
#[derive(Debug)]
pub(super) enum Line {
    /// Blank lines, plain comments and OpenMetrics' `# UNIT`: nothing to keep.
    Ignored,
    Help {
        name: String,
        name_span: Range<usize>,
        text: String,
    },
    Type {
        name: String,
        name_span: Range<usize>,
        type_: ExposedType,
        type_span: Range<usize>,
    },
    /// OpenMetrics' `# EOF`.
    Eof,
    Sample(Sample),
}

/// Why a line does not parse, and where in the text it goes wrong.
#[derive(Debug)]
pub(super) struct LineError {
    pub at: usize,
    pub message: String,
}

/// Parses one line (without its newline, leading and trailing blanks removed)
/// that starts at byte `offset` of the exposition.
pub(super) fn parse(line: &str, offset: usize) -> Result<Line, LineError> {
    let mut cur = Cursor {
        line,
        pos: 0,
        offset,
    };
    if line.is_empty() {
        return Ok(Line::Ignored);
    }
    if cur.eat('#') {
        return comment(&mut cur);
    }
    sample(&mut cur).map(Line::Sample)
}

fn comment(cur: &mut Cursor) -> Result<Line, LineError> {
    cur.skip_blanks();
    let keyword = cur.take_while(|c| !is_blank(c));
    match keyword {
        "HELP" => {
            cur.skip_blanks();
            let (name, name_span) = cur.metric_name("a metric name after `# HELP`")?;
            cur.require_blank_or_end(&name)?;
            cur.skip_blanks();
            Ok(Line::Help {
                name,
                name_span,
                text: unescape_help(cur.rest()),
            })
        }
        "TYPE" => {
            cur.skip_blanks();
            let (name, name_span) = cur.metric_name("a metric name after `# TYPE`")?;
            cur.require_blank_or_end(&name)?;
            cur.skip_blanks();
            let start = cur.pos;
            let word = cur.take_while(|c| !is_blank(c));
            let type_span = cur.span(start);
            let type_ = ExposedType::parse(word).ok_or_else(|| {
                cur.error_at(
                    start,
                    if word.is_empty() {
                        format!("`# TYPE {name}` has no type")
                    } else {
                        format!("`{word}` is not a metric type")
                    },
                )
            })?;
            cur.skip_blanks();
            if !cur.rest().is_empty() {
                return Err(cur.error("unexpected text after the type"));
            }
            Ok(Line::Type {
                name,
                name_span,
                type_,
                type_span,
            })
        }
        "EOF" if cur.rest().trim().is_empty() => Ok(Line::Eof),
        // `# UNIT` (OpenMetrics) and any other comment.
        _ => Ok(Line::Ignored),
    }
}

/// `name{label="value",...} value [timestamp]`, an OpenMetrics exemplar
/// (`# {...} value`) after it ignored.
fn sample(cur: &mut Cursor) -> Result<Sample, LineError> {
    let line_span = cur.offset..cur.offset + cur.line.len();
    if cur.peek() == Some('{') {
        return quoted_sample(cur, line_span);
    }
    let (name, name_span) = cur.metric_name("a metric name, `#` or a blank line")?;
    let name_end = cur.pos;
    let mut labels = Vec::new();
    cur.skip_blanks();
    if cur.eat('{') {
        labels = label_set(cur)?;
        cur.skip_blanks();
    } else if cur.pos == name_end && !cur.rest().is_empty() {
        return Err(cur.error(format!("expected a blank or `{{` after `{name}`")));
    }
    value_and_timestamp(cur, name, name_span, line_span, labels)
}

/// Prometheus 3's form for a name outside the legacy charset, the name
/// quoted as the first item in the braces: `{"lloom.x", model="m"} 1`.
fn quoted_sample(cur: &mut Cursor, line_span: Range<usize>) -> Result<Sample, LineError> {
    let start = cur.pos;
    cur.eat('{');
    cur.skip_blanks();
    if cur.peek() != Some('"') {
        return Err(cur.error_at(start, "expected a metric name, `#` or a blank line"));
    }
    let (name, name_span) = cur.metric_name("a quoted metric name")?;
    cur.skip_blanks();
    let labels = if cur.eat(',') {
        label_set(cur)?
    } else if cur.eat('}') {
        Vec::new()
    } else {
        return Err(cur.error(format!("expected `,` or `}}` after `{name}`")));
    };
    cur.skip_blanks();
    value_and_timestamp(cur, name, name_span, line_span, labels)
}

/// The rest of a sample line after its name and labels.
fn value_and_timestamp(
    cur: &mut Cursor,
    name: String,
    name_span: Range<usize>,
    line_span: Range<usize>,
    labels: Vec<Label>,
) -> Result<Sample, LineError> {
    let start = cur.pos;
    let token = cur.take_while(|c| !is_blank(c));
    if token.is_empty() {
        return Err(cur.error(format!("`{name}` has no value")));
    }
    let value = parse_value(token)
        .ok_or_else(|| cur.error_at(start, format!("`{token}` is not a number")))?;
    cur.skip_blanks();
    let mut timestamp = None;
    if !cur.rest().is_empty() && !cur.rest().starts_with('#') {
        let start = cur.pos;
        let token = cur.take_while(|c| !is_blank(c));
        // Milliseconds (an integer) in 0.0.4, seconds (a float) in OpenMetrics.
        timestamp = Some(
            token
                .parse::<i64>()
                .map(|t| t as f64)
                .or_else(|_| token.parse::<f64>())
                .ok()
                .filter(|t| t.is_finite())
                .ok_or_else(|| cur.error_at(start, format!("`{token}` is not a timestamp")))?,
        );
        cur.skip_blanks();
        if !cur.rest().is_empty() && !cur.rest().starts_with('#') {
            return Err(cur.error("unexpected text after the timestamp"));
        }
    }
    Ok(Sample {
        name,
        name_span,
        line_span,
        labels,
        value,
        timestamp,
    })
}

/// The labels after `{`, up to and including `}`; a trailing comma is fine.
fn label_set(cur: &mut Cursor) -> Result<Vec<Label>, LineError> {
    let mut labels: Vec<Label> = Vec::new();
    loop {
        cur.skip_blanks();
        if cur.eat('}') {
            return Ok(labels);
        }
        let start = cur.pos;
        let name = if cur.eat('"') {
            cur.quoted().filter(|n| !n.is_empty())
        } else {
            let name = cur.take_while(|c| c.is_ascii_alphanumeric() || c == '_');
            let legacy = !name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit());
            legacy.then(|| name.to_string())
        };
        let Some(name) = name else {
            return Err(cur.error_at(start, "expected a label name or `}`"));
        };
        let name_span = cur.span(start);
        if labels.iter().any(|l| l.name == name) {
            return Err(cur.error_at(start, format!("label `{name}` appears twice")));
        }
        cur.skip_blanks();
        if !cur.eat('=') {
            return Err(cur.error(format!("expected `=` after label `{name}`")));
        }
        cur.skip_blanks();
        let value_start = cur.pos;
        if !cur.eat('"') {
            return Err(cur.error(format!("the value of label `{name}` must be quoted")));
        }
        let value = cur.quoted().ok_or_else(|| {
            cur.error_at(
                value_start,
                format!("the value of label `{name}` has no closing quote"),
            )
        })?;
        labels.push(Label {
            name,
            name_span,
            value,
            value_span: cur.span(value_start),
        });
        cur.skip_blanks();
        if !cur.eat(',') && cur.peek() != Some('}') {
            let name = &labels[labels.len() - 1].name;
            return Err(cur.error(format!("expected `,` or `}}` after the value of `{name}`")));
        }
    }
}

/// A sample value as Go's `ParseFloat` reads it: `NaN`, `+Inf`, `-Inf`, `1e3`.
fn parse_value(token: &str) -> Option<f64> {
    // Rust also reads `infinity` and `inf` in any case; Prometheus' parser does too.
    token.parse::<f64>().ok()
}

/// HELP text escapes only `\\` and `\n`; any other backslash is kept as written.
fn unescape_help(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// A position in one line; spans it returns are offsets in the whole text.
struct Cursor<'a> {
    line: &'a str,
    pos: usize,
    offset: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.line[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let rest = self.rest();
        let len = rest.find(|c| !keep(c)).unwrap_or(rest.len());
        self.pos += len;
        &rest[..len]
    }

    fn skip_blanks(&mut self) {
        self.take_while(is_blank);
    }

    fn span(&self, from: usize) -> Range<usize> {
        self.offset + from..self.offset + self.pos
    }

    /// A metric name, bare in the legacy charset or quoted (any UTF-8, as
    /// Prometheus 3 writes it); the span includes the quotes.
    fn metric_name(&mut self, expected: &str) -> Result<(String, Range<usize>), LineError> {
        let start = self.pos;
        if self.eat('"') {
            return match self.quoted() {
                Some(name) if !name.is_empty() => Ok((name, self.span(start))),
                _ => Err(self.error_at(start, format!("expected {expected}"))),
            };
        }
        let name = self.take_while(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(self.error_at(start, format!("expected {expected}")));
        }
        Ok((name.to_string(), self.span(start)))
    }

    fn require_blank_or_end(&self, name: &str) -> Result<(), LineError> {
        match self.peek() {
            None => Ok(()),
            Some(c) if is_blank(c) => Ok(()),
            Some(c) => Err(self.error(format!("unexpected `{c}` after `{name}`"))),
        }
    }

    /// A label value after its opening quote, unescaped, or `None` if the
    /// line ends first.
    fn quoted(&mut self) -> Option<String> {
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos += i + 1;
                    return Some(out);
                }
                '\\' => match chars.next()? {
                    (_, 'n') => out.push('\n'),
                    (_, other @ ('"' | '\\')) => out.push(other),
                    (_, other) => {
                        out.push('\\');
                        out.push(other);
                    }
                },
                c => out.push(c),
            }
        }
        None
    }

    fn error(&self, message: impl Into<String>) -> LineError {
        self.error_at(self.pos, message)
    }

    fn error_at(&self, pos: usize, message: impl Into<String>) -> LineError {
        LineError {
            at: self.offset + pos,
            message: message.into(),
        }
    }
}
