//! Findings with source locations, rendered like compiler diagnostics.
//!
//! Every stage reports through [`Finding`] so that the CLI can show all problems
//! of a spec at once, each pointing at `file:line:col` with a hint on how to fix it.

use std::fmt::Write as _;
use std::ops::Range;

/// How bad a finding is: errors stop rendering, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem found in a spec, with a stable code so tools and docs can refer to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    /// Stable identifier, e.g. `spec/unknown-key`.
    pub code: &'static str,
    pub message: String,
    /// Byte range in the spec source; `None` for problems that have no place in it.
    pub span: Option<Range<usize>>,
    /// Short text shown under the caret.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
    /// Text inside the span to point at, e.g. the metric name inside a long
    /// expression; the whole span when it is not found there as a word.
    pub focus: Option<String>,
}

impl Finding {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Error,
            code,
            message: message.into(),
            span: None,
            label: None,
            help: None,
            focus: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(code, message)
        }
    }

    pub fn at(mut self, span: Range<usize>) -> Self {
        self.span = Some(span);
        self
    }

    pub fn at_opt(mut self, span: Option<Range<usize>>) -> Self {
        self.span = span;
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn focus(mut self, text: impl Into<String>) -> Self {
        self.focus = Some(text.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A spec's text and the name it is shown under, for locating findings.
pub struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

impl Source<'_> {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = self.text[line_start..offset].chars().count() + 1;
        (line, col)
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

    /// Renders findings in source order, errors and warnings alike.
    pub fn render_all(&self, findings: &[Finding]) -> String {
        let mut sorted: Vec<&Finding> = findings.iter().collect();
        sorted.sort_by_key(|f| (self.place(f).map_or(0, |s| s.start), f.severity));
        let mut out = String::new();
        for f in sorted {
            out.push_str(&self.render(f));
            out.push('\n');
        }
        out
    }

    /// Renders one finding: `file:line:col: severity[code]: message`, the source
    /// line with a caret under the span, and the help text.
    pub fn render(&self, f: &Finding) -> String {
        let mut out = String::new();
        let Some(span) = self.place(f) else {
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
            return out;
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
        let line_text = self.text.lines().nth(line - 1).unwrap_or("");
        let gutter = line.to_string().len();
        let pad = " ".repeat(gutter);
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
        out
    }
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

impl Source<'_> {
    /// The findings in source order, for `--format json`.
    pub fn json(&self, findings: &[Finding]) -> Vec<JsonFinding> {
        let mut sorted: Vec<&Finding> = findings.iter().collect();
        sorted.sort_by_key(|f| (self.place(f).map_or(0, |s| s.start), f.severity));
        sorted
            .into_iter()
            .map(|f| {
                let place = self.place(f);
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

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The help for a name that is not one of `candidates`: "did you mean" the
/// closest one, or `otherwise` when none is close.
pub fn suggest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    otherwise: impl FnOnce() -> String,
) -> String {
    match did_you_mean(name, candidates) {
        Some(best) => format!("did you mean `{best}`?"),
        None => otherwise(),
    }
}

/// Closest candidate to a misspelt name, for "did you mean" hints.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let src = Source {
            name: "s.toml",
            text: "a = 1\nbé = 2\n",
        };
        assert_eq!(src.line_col(0), (1, 1));
        assert_eq!(src.line_col(6), (2, 1));
        assert_eq!(src.line_col(10), (2, 4));
    }

    #[test]
    fn renders_caret_under_span() {
        let src = Source {
            name: "s.toml",
            text: "[stack]\nnmae = \"x\"\n",
        };
        let f = Finding::error("spec/unknown-key", "unknown key `nmae`")
            .at(8..12)
            .label("not a key of [stack]")
            .help("did you mean `name`?");
        let out = src.render(&f);
        assert!(out.starts_with("s.toml:2:1: error[spec/unknown-key]: unknown key `nmae`\n"));
        assert!(out.contains("2 | nmae = \"x\"\n  | ^^^^ not a key of [stack]\n"));
        assert!(out.contains("= help: did you mean `name`?"));
    }

    #[test]
    fn points_at_the_focus_as_a_whole_word() {
        let src = Source {
            name: "s.toml",
            text: "expr = 'rate(x_total_y[5m]) / rate(x_total[5m])'\n",
        };
        let f = Finding::error("lint/x", "m").at(7..49).focus("x_total");
        assert_eq!(src.place(&f), Some(35..42));
        let f = f.focus("absent");
        assert_eq!(src.place(&f), Some(7..49));
        let f = f.focus("[5m]");
        assert_eq!(src.place(&f), Some(22..26));
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("hostz", ["hosts", "port"]), Some("hosts"));
        assert_eq!(did_you_mean("zzz", ["hosts", "port"]), None);
    }
}
