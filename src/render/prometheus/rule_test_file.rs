//! promtool rule unit test files (`promtool test rules`), one per rule group
//! with cases: `prometheus/tests/<group>.yml`. Typed both ways, so that the
//! tests read a rendered file back strictly.

use crate::model::{LabelMap, Model, RuleTestCase, RuleTestFile};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestFile {
    /// Relative to the test file, as promtool resolves them.
    pub rule_files: Vec<String>,
    pub evaluation_interval: String,
    /// Groups that record what others read go first; set only when several
    /// groups are loaded, since promtool's order is unspecified otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_eval_order: Vec<String>,
    pub tests: Vec<TestGroup>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestGroup {
    pub name: String,
    /// Time between input samples.
    pub interval: String,
    /// The stack's, so that `$externalLabels` expands as in production.
    #[serde(default, skip_serializing_if = "LabelMap::is_empty")]
    pub external_labels: LabelMap,
    pub input_series: Vec<SeriesOut>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alert_rule_test: Vec<AlertTestOut>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub promql_expr_test: Vec<ExprTestOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesOut {
    pub series: String,
    pub values: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertTestOut {
    pub eval_time: String,
    pub alertname: String,
    /// Written even when empty: "must not fire" is the point of such a case.
    #[serde(default)]
    pub exp_alerts: Vec<ExpAlertOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpAlertOut {
    pub exp_labels: LabelMap,
    pub exp_annotations: LabelMap,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExprTestOut {
    pub expr: String,
    pub eval_time: String,
    #[serde(default)]
    pub exp_samples: Vec<SampleOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleOut {
    pub labels: String,
    pub value: f64,
}

/// Path of a test file, relative to the output directory.
pub fn path(file: &RuleTestFile) -> String {
    format!("prometheus/tests/{}.yml", file.file_stem())
}

/// A test file, with the stack's external labels in every group, so that
/// `$externalLabels` expands as in production.
pub fn test_file(model: &Model, file: &RuleTestFile) -> TestFile {
    let stem = |name: &String| name.replace('_', "-");
    TestFile {
        rule_files: file
            .rule_groups
            .iter()
            .map(|g| format!("../rules/{}.yml", stem(g)))
            .collect(),
        evaluation_interval: file.evaluation_interval.to_string(),
        group_eval_order: if file.rule_groups.len() > 1 {
            file.rule_groups.clone()
        } else {
            Vec::new()
        },
        tests: file
            .cases
            .iter()
            .map(|c| group(c, &model.stack.external_labels))
            .collect(),
    }
}

fn group(case: &RuleTestCase, external_labels: &LabelMap) -> TestGroup {
    TestGroup {
        name: case.name.clone(),
        interval: case.interval.to_string(),
        external_labels: external_labels.clone(),
        input_series: case
            .input
            .iter()
            .map(|s| SeriesOut {
                series: s.series.clone(),
                values: s.values.clone(),
            })
            .collect(),
        alert_rule_test: case
            .alerts
            .iter()
            .map(|a| AlertTestOut {
                eval_time: a.eval_time.to_string(),
                alertname: a.alert.clone(),
                exp_alerts: a
                    .expect
                    .iter()
                    .map(|e| ExpAlertOut {
                        exp_labels: e.labels.clone(),
                        exp_annotations: e.annotations.clone(),
                    })
                    .collect(),
            })
            .collect(),
        promql_expr_test: case
            .exprs
            .iter()
            .map(|x| ExprTestOut {
                expr: x.expr.clone(),
                eval_time: x.eval_time.to_string(),
                exp_samples: x
                    .samples
                    .iter()
                    .map(|s| SampleOut {
                        labels: s.labels.clone(),
                        value: s.value,
                    })
                    .collect(),
            })
            .collect(),
    }
}
