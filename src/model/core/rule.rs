//! Rule groups, alerting and recording rules, and what the lint may skip on them.

use super::{Duration, Expr, LabelMap};
use std::collections::BTreeMap;
use std::ops::Range;

#[derive(Debug, Clone)]
pub struct RuleGroup {
    pub name: String,
    /// Evaluation interval; `None` uses the global one.
    pub interval: Option<Duration>,
    pub rules: Vec<Rule>,
}

impl RuleGroup {
    /// File stem under `prometheus/rules/`.
    pub fn file_stem(&self) -> String {
        self.name.replace('_', "-")
    }
}

#[derive(Debug, Clone)]
pub enum Rule {
    Alert(AlertRule),
    Record(RecordRule),
}

impl Rule {
    pub fn expr(&self) -> &Expr {
        match self {
            Rule::Alert(a) => &a.expr,
            Rule::Record(r) => &r.expr,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Rule::Alert(a) => &a.name,
            Rule::Record(r) => &r.name,
        }
    }

    pub fn labels(&self) -> &LabelMap {
        match self {
            Rule::Alert(a) => &a.labels,
            Rule::Record(r) => &r.labels,
        }
    }

    pub fn allow(&self) -> &Allow {
        match self {
            Rule::Alert(a) => &a.allow,
            Rule::Record(r) => &r.allow,
        }
    }

    pub fn places(&self) -> &Places {
        match self {
            Rule::Alert(a) => &a.places,
            Rule::Record(r) => &r.places,
        }
    }
}

#[derive(Debug, Clone)]
pub struct AlertRule {
    pub name: String,
    pub expr: Expr,
    pub for_: Option<Duration>,
    pub labels: LabelMap,
    pub annotations: LabelMap,
    pub allow: Allow,
    pub places: Places,
}

/// One Go template of an alert: its key, text, where it was written, and
/// whether it is an `"annotation"` or a `"label"`.
pub type AlertTemplate<'a> = (
    &'a String,
    &'a String,
    Option<&'a Range<usize>>,
    &'static str,
);

impl AlertRule {
    /// Its annotations, then its labels: the texts Prometheus expands as Go
    /// templates, which the spec check and the lint both read.
    pub fn templates(&self) -> impl Iterator<Item = AlertTemplate<'_>> {
        let annotations = self
            .annotations
            .iter()
            .map(|(k, v)| (k, v, self.places.annotations.get(k), "annotation"));
        let labels = self
            .labels
            .iter()
            .map(|(k, v)| (k, v, self.places.labels.get(k), "label"));
        annotations.chain(labels)
    }
}

#[derive(Debug, Clone)]
pub struct RecordRule {
    pub name: String,
    pub expr: Expr,
    pub labels: LabelMap,
    pub allow: Allow,
    pub places: Places,
}

/// Lint codes silenced on one rule or panel, by code, each with the
/// operator's reason: a silenced finding stays explained in the spec.
pub type Allow = BTreeMap<String, Allowance>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowance {
    pub reason: String,
    /// The code's place in the spec; `None` for built-in rules.
    pub span: Option<Range<usize>>,
}

/// Where a rule's labels and annotations were written, so that findings about
/// their templates point there; empty for built-in rules.
#[derive(Debug, Clone, Default)]
pub struct Places {
    pub labels: BTreeMap<String, Range<usize>>,
    pub annotations: BTreeMap<String, Range<usize>>,
}
