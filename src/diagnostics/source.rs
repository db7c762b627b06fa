//! A text that findings point into, and how they are shown: like compiler
//! diagnostics, or as JSON for CI annotations.
//!
//! Line starts are indexed once per text, so that rendering ten thousand
//! findings of one large spec stays linear.

use super::Finding;
use std::fmt::Write as _;
use std::ops::Range;

/// A spec's (or exposition's) text and the name it is shown under.
pub struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
}

/// A finding as CI annotations read it (`--format json`): one object per
/// finding, positions 1-based, `null` where the finding has no place.
#[derive(Debug, serde::Serialize)]
pub struct JsonFinding {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub code: &'static str,
    pub severity: &'static str,
    pub message: String,
    pub help: Option<String>,
}

impl<'a> Source<'a> {
    pub fn new(name: &'a str, text: &'a str) -> Source<'a> {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Source {
            name,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }

    /// The text of a 1-based line, without its line break.
    fn line_text(&self, line: usize) -> &'a str {
        let start = self.line_starts[line - 1];
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |next| next - 1);
        self.text[start..end].trim_end_matches('\r')
    }

    /// Where a finding points: its focus inside its span where the focus
    /// occurs there as a whole word, else the span.
    pub fn place(&self, f: &Finding) -> Option<Range<usize>> {
        let span = f.span.clone()?;
        let Some(focus) = f.focus.as_deref().filter(|t| !t.is_empty()) else {
            return Some(span);
        };
        let start = floor_char_boundary(self.text, span.start.min(self.text.len()));
        let end = floor_char_boundary(self.text, span.end.min(self.text.len()));
        let inside = &self.text[start..end];
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
        let edge_start = word(focus.chars().next());
        let edge_end = word(focus.chars().last());
        inside
            .match_indices(focus)
            .find(|(i, _)| {
                let before = inside[..*i].chars().next_back();
                let after = inside[i + focus.len()..].chars().next();
                let clean_start = !edge_start || !word(before);
                let clean_end = !edge_end || !word(after);
                clean_start && clean_end
            })
            .map(|(i, _)| start + i..start + i + focus.len())
            .or(Some(span))
    }

    /// The findings in source order (placeless ones first), each with its place.
    fn ordered<'f>(&self, findings: &'f [Finding]) -> Vec<(&'f Finding, Option<Range<usize>>)> {
        let mut placed: Vec<_> = findings.iter().map(|f| (f, self.place(f))).collect();
        placed.sort_by_key(|(f, place)| (place.as_ref().map_or(0, |s| s.start), f.severity));
        placed
    }

    /// Renders findings in source order, errors and warnings alike.
    pub fn render_all(&self, findings: &[Finding]) -> String {
        let mut out = String::new();
        for (f, place) in self.ordered(findings) {
            self.render_at(f, place, &mut out);
            out.push('\n');
        }
        out
    }

    /// Renders one finding: `file:line:col: severity[code]: message`, the source
    /// line with a caret under the span, and the help text.
    pub fn render(&self, f: &Finding) -> String {
        let mut out = String::new();
        self.render_at(f, self.place(f), &mut out);
        out
    }

    fn render_at(&self, f: &Finding, place: Option<Range<usize>>, out: &mut String) {
        let Some(span) = place else {
            let _ = writeln!(
                out,
                "{}: {}[{}]: {}",
                self.name,
                f.severity.as_str(),
                f.code,
                f.message
            );
            if let Some(help) = &f.help {
                let _ = writeln!(out, "  = help: {help}");
            }
            return;
        };
        let (line, col) = self.line_col(span.start);
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            self.name,
            line,
            col,
            f.severity.as_str(),
            f.code,
            f.message
        );
        let line_text = self.line_text(line);
        let masked;
        let line_text = if f.redact {
            masked = mask(line_text, col - 1, span.len());
            masked.as_str()
        } else {
            line_text
        };
        let pad = " ".repeat(line.to_string().len());
        // The caret runs to the end of the span or of the line, whichever comes first.
        let line_chars = line_text.chars().count();
        let span_chars = self.text[floor_char_boundary(self.text, span.start)
            ..floor_char_boundary(self.text, span.end.min(self.text.len()))]
            .chars()
            .take_while(|c| *c != '\n')
            .count();
        let width = span_chars.clamp(1, (line_chars + 1).saturating_sub(col).max(1));
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{line} | {line_text}");
        let _ = write!(out, "{pad} | {}{}", " ".repeat(col - 1), "^".repeat(width));
        match &f.label {
            Some(label) => {
                let _ = writeln!(out, " {label}");
            }
            None => out.push('\n'),
        }
        if let Some(help) = &f.help {
            let _ = writeln!(out, "{pad} = help: {help}");
        }
    }

    /// The findings in source order, for `--format json`.
    pub fn json(&self, findings: &[Finding]) -> Vec<JsonFinding> {
        self.ordered(findings)
            .into_iter()
            .map(|(f, place)| {
                let start = place.as_ref().map(|s| self.line_col(s.start));
                let end = place.as_ref().map(|s| self.line_col(s.end));
                JsonFinding {
                    file: self.name.to_string(),
                    line: start.map(|p| p.0),
                    column: start.map(|p| p.1),
                    end_line: end.map(|p| p.0),
                    end_column: end.map(|p| p.1),
                    code: f.code,
                    severity: f.severity.as_str(),
                    message: f.message.clone(),
                    help: f.help.clone(),
                }
            })
            .collect()
    }
}

/// The line with `len` bytes' worth of characters from column `from` (0-based,
/// in characters) replaced by `*`.
fn mask(line: &str, from: usize, len: usize) -> String {
    let mut budget = len;
    line.chars()
        .enumerate()
        .map(|(i, c)| {
            if i >= from && budget > 0 {
                budget = budget.saturating_sub(c.len_utf8());
                '*'
            } else {
                c
            }
        })
        .collect()
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::diagnostics::code_table! {
        /// Codes for the tests, as the stages write them.
        enum Test {
            UnknownKey("spec/unknown-key", Error, "a key the table does not take"),
            InlineSecret("spec/inline-secret", Error, "a secret in the spec"),
            X("lint/x", Error, "anything"),
        }
    }

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let src = Source::new("s.toml", "a = 1\nbé = 2\n");
        assert_eq!(src.line_col(0), (1, 1));
        assert_eq!(src.line_col(5), (1, 6));
        assert_eq!(src.line_col(6), (2, 1));
        assert_eq!(src.line_col(10), (2, 4));
        assert_eq!(src.line_col(14), (3, 1));
        assert_eq!(src.line_text(2), "bé = 2");
    }

    #[test]
    fn renders_caret_under_span() {
        let src = Source::new("s.toml", "[stack]\nnmae = \"x\"\n");
        let f = Finding::new(Test::UnknownKey, "unknown key `nmae`")
            .at(8..12)
            .label("not a key of [stack]")
            .help("did you mean `name`?");
        let out = src.render(&f);
        assert!(out.starts_with("s.toml:2:1: error[spec/unknown-key]: unknown key `nmae`\n"));
        assert!(out.contains("2 | nmae = \"x\"\n  | ^^^^ not a key of [stack]\n"));
        assert!(out.contains("= help: did you mean `name`?"));
    }

    #[test]
    fn a_redacted_span_is_masked_in_the_shown_line() {
        let src = Source::new("s.toml", "key = \"s3cr3t\"\n");
        let f = Finding::new(Test::InlineSecret, "m").at(6..14).redact();
        let out = src.render(&f);
        assert!(out.contains("1 | key = ********\n"), "{out}");
        assert!(!out.contains("s3cr3t"));
    }

    #[test]
    fn points_at_the_focus_as_a_whole_word() {
        let src = Source::new(
            "s.toml",
            "expr = 'rate(x_total_y[5m]) / rate(x_total[5m])'\n",
        );
        let f = Finding::new(Test::X, "m").at(7..49).focus("x_total");
        assert_eq!(src.place(&f), Some(35..42));
        let f = f.focus("absent");
        assert_eq!(src.place(&f), Some(7..49));
        let f = f.focus("[5m]");
        assert_eq!(src.place(&f), Some(22..26));
    }
}
