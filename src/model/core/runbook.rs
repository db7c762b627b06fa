//! Runbook pages as the model holds them; each concern writes its own.

use super::Expr;

/// One alert's page. Severity, `for`, group and texts come from the alert.
#[derive(Debug, Clone)]
pub struct Runbook {
    pub alert: String,
    /// The page's file name under `runbooks/`: the end of the alert's URL.
    pub file: String,
    /// The index's line; `None` shows the summary.
    pub line: Option<String>,
    pub meaning: Option<String>,
    pub impact: Option<String>,
    /// Series labels the alert carries, with what each holds.
    pub labels: Vec<(String, String)>,
    pub checks: Vec<Check>,
    pub queries: Vec<RunbookQuery>,
    /// Only alerts that have a page in the same tree.
    pub related: Vec<Related>,
    /// The spec's own `[[alert]]`, which can bring checks in `[alert.runbook]`.
    pub spec_alert: bool,
}

impl Runbook {
    /// A page with nothing but the alert's own texts and expression.
    pub fn bare(alert: &str) -> Runbook {
        Runbook {
            alert: alert.to_string(),
            file: format!("{alert}.md"),
            line: None,
            meaning: None,
            impact: None,
            labels: Vec::new(),
            checks: Vec::new(),
            queries: Vec::new(),
            related: Vec::new(),
            spec_alert: false,
        }
    }
}

/// A first check: Markdown, and shell commands to run for it.
#[derive(Debug, Clone)]
pub struct Check {
    pub text: String,
    pub commands: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct RunbookQuery {
    pub title: Option<String>,
    pub expr: Expr,
}

#[derive(Debug, Clone)]
pub struct Related {
    pub alert: String,
    pub why: String,
}
