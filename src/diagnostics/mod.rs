//! Findings with source locations, rendered like compiler diagnostics.
//!
//! Every stage reports through [`Finding`] so that the CLI can show all problems
//! of a spec at once, each pointing at `file:line:col` with a hint on how to fix it.

mod code;
mod excerpt;
mod secrets;
mod source;

pub(crate) use code::code_table;
pub use code::{markdown_table, Code, Coded};
pub use secrets::{is_secret_key, looks_like_path, url_has_credentials};
pub use source::{JsonFinding, Source, MAX_PER_CODE};
use std::ops::Range;

/// How bad a finding is: errors stop rendering, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    /// The span holds a secret: the source line is shown with it masked, so
    /// that the error does not copy the secret into CI logs. (Every secret
    /// the text holds is masked anyway, see `secrets/`; this masks a span
    /// that only the stage knows to be one.)
    pub redact: bool,
}

impl Finding {
    /// A finding with `code`, whose table gives its severity.
    pub fn new(code: impl Coded, message: impl Into<String>) -> Self {
        let info = code.info();
        Finding {
            severity: info.severity,
            code: info.code,
            message: message.into(),
            span: None,
            label: None,
            help: None,
            focus: None,
            redact: false,
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

    pub fn redact(mut self) -> Self {
        self.redact = true;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
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
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("hostz", ["hosts", "port"]), Some("hosts"));
        assert_eq!(did_you_mean("zzz", ["hosts", "port"]), None);
    }
}
