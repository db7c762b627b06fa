//! A text that findings point into, and how they are shown: like compiler
//! diagnostics, or as JSON for CI annotations.
//!
//! Line starts and character counts are indexed once per text, so that
//! rendering ten thousand findings of one large spec stays linear; what is
//! shown of a finding is bounded (`excerpt.rs`) and its secrets masked
//! (`secrets/`).

use super::excerpt::{clean, excerpt, floor};
use super::secrets::Secrets;
use super::Finding;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;

/// A spec's (or exposition's) text and the name it is shown under.
pub struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
    /// (byte offset, characters before it) every `CHAR_STEP` bytes, so that
    /// a column on a very long line is found without counting the line.
    char_marks: Vec<(usize, usize)>,
    secrets: Secrets,
    /// The line number shown for each line, where the text holds only some
    /// lines of a larger one ([`Source::excerpts`]).
    line_numbers: Option<Vec<usize>>,
    /// Findings of each code already left out before these were given.
    left_out: BTreeMap<&'static str, usize>,
}

/// A finding and where it points.
type Placed<'f> = (&'f Finding, Option<Range<usize>>);

/// Bytes between two entries of `Source::char_marks`.
const CHAR_STEP: usize = 4096;

/// Findings of one code shown in full; the rest are counted.
pub const MAX_PER_CODE: usize = 20;

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
        let mut char_marks = vec![(0, 0)];
        let (mut pos, mut chars) = (0, 0);
        while pos + CHAR_STEP < text.len() {
            // A character is at most 4 bytes: the floor is past `pos`.
            let next = floor(text, pos + CHAR_STEP);
            chars += text[pos..next].chars().count();
            char_marks.push((next, chars));
            pos = next;
        }
        Source {
            name,
            text,
            line_starts,
            char_marks,
            secrets: Secrets::find(text),
            line_numbers: None,
            left_out: BTreeMap::new(),
        }
    }

    /// A text of some lines of a larger one, too large to hold: its line
    /// `i` (0-based) is shown as line `line_numbers[i]`, and `left_out`
    /// counts the findings of each code not given, so that the totals shown
    /// are those of the whole text.
    pub fn excerpts(
        name: &'a str,
        text: &'a str,
        line_numbers: Vec<usize>,
        left_out: BTreeMap<&'static str, usize>,
    ) -> Source<'a> {
        Source {
            line_numbers: Some(line_numbers),
            left_out,
            ..Source::new(name, text)
        }
    }

    /// Characters before byte `offset`.
    fn char_index(&self, offset: usize) -> usize {
        let offset = floor(self.text, offset);
        let k = self.char_marks.partition_point(|m| m.0 <= offset) - 1;
        let (at, chars) = self.char_marks[k];
        chars + self.text[at..offset].chars().count()
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let (index, col) = self.locate(offset);
        (self.line_number(index), col)
    }

    /// 1-based index of the line in this text and column of a byte offset.
    fn locate(&self, offset: usize) -> (usize, usize) {
        let offset = floor(self.text, offset);
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        (line, self.char_index(offset) - self.char_index(start) + 1)
    }

    /// The number shown for the 1-based line `index` of this text.
    fn line_number(&self, index: usize) -> usize {
        self.line_numbers
            .as_ref()
            .and_then(|numbers| numbers.get(index - 1).copied())
            .unwrap_or(index)
    }

    /// The byte range of a 1-based line, without its line break.
    fn line_range(&self, line: usize) -> Range<usize> {
        let start = self.line_starts[line - 1];
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |next| next - 1);
        let end = if self.text[..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        start..end.max(start)
    }

    /// Where a finding points: its focus inside its span where the focus
    /// occurs there as a whole word, else the span.
    pub fn place(&self, f: &Finding) -> Option<Range<usize>> {
        let span = f.span.clone()?;
        let Some(focus) = f.focus.as_deref().filter(|t| !t.is_empty()) else {
            return Some(span);
        };
        let start = floor(self.text, span.start);
        let end = floor(self.text, span.end);
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

    /// The findings in source order (placeless ones first), each with its
    /// place; of each code the first [`MAX_PER_CODE`], and how many of each
    /// code were left out.
    fn ordered<'f>(&self, findings: &'f [Finding]) -> (Vec<Placed<'f>>, Vec<(&'f Finding, usize)>) {
        let mut placed: Vec<_> = findings.iter().map(|f| (f, self.place(f))).collect();
        placed.sort_by_key(|(f, place)| (place.as_ref().map_or(0, |s| s.start), f.severity));
        let mut seen: BTreeMap<&str, (&Finding, usize)> = BTreeMap::new();
        placed.retain(|(f, _)| {
            let n = &mut seen.entry(f.code).or_insert((f, 0)).1;
            *n += 1;
            *n <= MAX_PER_CODE
        });
        for (code, n) in &self.left_out {
            if let Some(entry) = seen.get_mut(code) {
                entry.1 += n;
            }
        }
        let left_out = seen
            .into_values()
            .filter(|(_, n)| *n > MAX_PER_CODE)
            .map(|(f, n)| (f, n - MAX_PER_CODE))
            .collect();
        (placed, left_out)
    }

    /// Renders findings in source order, errors and warnings alike; of
    /// each code the first [`MAX_PER_CODE`] in full, then a count.
    pub fn render_all(&self, findings: &[Finding]) -> String {
        let mut out = String::new();
        let (shown, left_out) = self.ordered(findings);
        for (f, place) in shown {
            self.render_at(f, place, &mut out);
            out.push('\n');
        }
        for (f, n) in left_out {
            let _ = writeln!(
                out,
                "{}: {}[{}]: {n} more finding(s) of this code not shown\n",
                self.name,
                f.severity.as_str(),
                f.code
            );
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
        let message = clean(&f.message, &self.secrets);
        let help = f.help.as_ref().map(|h| clean(h, &self.secrets));
        let Some(span) = place else {
            let _ = writeln!(
                out,
                "{}: {}[{}]: {message}",
                self.name,
                f.severity.as_str(),
                f.code,
            );
            if let Some(help) = help {
                let _ = writeln!(out, "  = help: {help}");
            }
            return;
        };
        let (index, col) = self.locate(span.start);
        let line = self.line_number(index);
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}]: {message}",
            self.name,
            line,
            col,
            f.severity.as_str(),
            f.code,
        );
        let shown = excerpt(
            self.text,
            self.line_range(index),
            floor(self.text, span.start)..floor(self.text, span.end),
            &self.secrets,
            f.redact,
        );
        let pad = " ".repeat(line.to_string().len());
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{line} | {}", shown.text);
        let _ = write!(
            out,
            "{pad} | {}{}",
            " ".repeat(shown.caret_col),
            "^".repeat(shown.caret_width)
        );
        match &f.label {
            Some(label) => {
                let _ = writeln!(out, " {}", clean(label, &self.secrets));
            }
            None => out.push('\n'),
        }
        if let Some(help) = help {
            let _ = writeln!(out, "{pad} = help: {help}");
        }
    }

    /// The findings in source order, for `--format json`; of each code the
    /// first [`MAX_PER_CODE`], then one placeless entry counting the rest.
    pub fn json(&self, findings: &[Finding]) -> Vec<JsonFinding> {
        let (shown, left_out) = self.ordered(findings);
        let mut json: Vec<JsonFinding> = shown
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
                    message: clean(&f.message, &self.secrets),
                    help: f.help.as_ref().map(|h| clean(h, &self.secrets)),
                }
            })
            .collect();
        json.extend(left_out.into_iter().map(|(f, n)| JsonFinding {
            file: self.name.to_string(),
            line: None,
            column: None,
            end_line: None,
            end_column: None,
            code: f.code,
            severity: f.severity.as_str(),
            message: format!("{n} more finding(s) of this code not shown"),
            help: None,
        }));
        json
    }
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
        assert_eq!(&src.text[src.line_range(2)], "bé = 2");
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
        let src = Source::new("s.toml", "[x]\nauth_pasword = \"s3cr3t\"\n");
        let f = Finding::new(Test::UnknownKey, "unknown key").at(4..16);
        let out = src.render(&f);
        assert!(out.contains("2 | auth_pasword = ********\n"), "{out}");
        assert!(!out.contains("s3cr3t"));
    }

    #[test]
    fn findings_past_the_cap_of_their_code_are_counted() {
        let text = "x".repeat(100);
        let src = Source::new("s.toml", &text);
        let findings: Vec<Finding> = (0..MAX_PER_CODE + 7)
            .map(|i| Finding::new(Test::X, format!("m{i}")).at(i..i + 1))
            .collect();
        let out = src.render_all(&findings);
        assert_eq!(out.matches("error[lint/x]: m").count(), MAX_PER_CODE);
        assert!(
            out.contains("error[lint/x]: 7 more finding(s) of this code not shown"),
            "{out}"
        );
        let json = src.json(&findings);
        assert_eq!(json.len(), MAX_PER_CODE + 1);
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
