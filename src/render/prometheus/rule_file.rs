//! Prometheus rule files: one group per file.

use crate::model::{LabelMap, Rule, RuleGroup};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    pub groups: Vec<GroupOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupOut {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<String>,
    pub rules: Vec<RuleOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RuleOut {
    Alert(AlertOut),
    Record(RecordOut),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertOut {
    pub alert: String,
    pub expr: String,
    #[serde(default, rename = "for", skip_serializing_if = "Option::is_none")]
    pub for_: Option<String>,
    #[serde(default, skip_serializing_if = "LabelMap::is_empty")]
    pub labels: LabelMap,
    #[serde(default, skip_serializing_if = "LabelMap::is_empty")]
    pub annotations: LabelMap,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordOut {
    pub record: String,
    pub expr: String,
    #[serde(default, skip_serializing_if = "LabelMap::is_empty")]
    pub labels: LabelMap,
}

/// A group's file: typed, so that the tests read it back and compare.
pub fn rule_file(group: &RuleGroup) -> RuleFile {
    RuleFile {
        groups: vec![GroupOut {
            name: group.name.clone(),
            interval: group.interval.map(|d| d.to_string()),
            rules: group.rules.iter().map(rule).collect(),
        }],
    }
}

fn rule(r: &Rule) -> RuleOut {
    match r {
        Rule::Alert(a) => RuleOut::Alert(AlertOut {
            alert: a.name.clone(),
            expr: expr_text(&a.expr.text),
            for_: a.for_.map(|d| d.to_string()),
            labels: a.labels.clone(),
            annotations: a.annotations.clone(),
        }),
        Rule::Record(r) => RuleOut::Record(RecordOut {
            record: r.name.clone(),
            expr: expr_text(&r.expr.text),
            labels: r.labels.clone(),
        }),
    }
}

/// One line stays a plain scalar; several lines end in a newline so they
/// serialize as a `|` block.
fn expr_text(text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.contains('\n') {
        format!("{trimmed}\n")
    } else {
        trimmed.to_string()
    }
}
