//! promtool rule unit tests, resolved: one file per rule group that has test
//! cases, each case a set of input series and the alerts expected at an
//! evaluation time. An alert that can never fire, or always fires, fails its
//! cases. The built-in pack brings a firing and a quiet case per alert
//! (`pack_tests.rs`, assembled in `builtin_tests.rs`), the spec its own
//! `[[test]]`s (`spec_tests.rs`); other generated rules (SLOs) add theirs
//! with [`add_case`].

use super::promql_names::{equality, selected_name, selector};
use super::template_expand::{expand, Data, ExpandError};
use super::{AlertRule, Duration, LabelMap, Rule, RuleGroup};
use std::collections::BTreeSet;

/// `prometheus/tests/<stem of group>.yml`.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleTestFile {
    /// The rule group whose rules are tested; it names the file.
    pub group: String,
    /// Rule groups to load, by name: the group and, first, every group that
    /// records a series it reads (transitively), so that the records exist.
    pub rule_groups: Vec<String>,
    /// The group's evaluation interval: promtool evaluates every loaded group
    /// at this step.
    pub evaluation_interval: Duration,
    pub cases: Vec<RuleTestCase>,
}

impl RuleTestFile {
    /// File stem under `prometheus/tests/`, the same as the group's rule file.
    pub fn file_stem(&self) -> String {
        self.group.replace('_', "-")
    }
}

/// One promtool test group: input series and what to expect from them.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleTestCase {
    pub name: String,
    /// Time between two samples of each input series.
    pub interval: Duration,
    pub input: Vec<InputSeries>,
    pub alerts: Vec<AlertCheck>,
    /// PromQL checks, for recording rules (e.g. SLO ratios).
    pub exprs: Vec<ExprCheck>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InputSeries {
    /// `metric{label="value", ...}` with the labels scraping adds (`job`,
    /// `instance`, target labels): the series as Prometheus stores it.
    pub series: String,
    /// promtool's expanding notation: `0+60x30` (0, 60, …, 1800), `1x10`, `_`, `stale`.
    pub values: String,
}

/// The alerts `alert` has firing at `eval_time` (pending ones are not listed).
#[derive(Debug, Clone, PartialEq)]
pub struct AlertCheck {
    pub eval_time: Duration,
    pub alert: String,
    /// Empty: the alert must not fire.
    pub expect: Vec<ExpectedAlert>,
}

/// promtool compares both maps exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedAlert {
    /// The series' labels that survive the expression, plus the rule's labels
    /// (`severity`); promtool adds `alertname`, and no external labels.
    pub labels: LabelMap,
    /// Every annotation, expanded as Prometheus expands it.
    pub annotations: LabelMap,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExprCheck {
    pub eval_time: Duration,
    pub expr: String,
    pub samples: Vec<ExpectedSample>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedSample {
    /// `metric{label="value"}` notation.
    pub labels: String,
    pub value: f64,
}

/// Adds a case to the test file of `group`, creating the file (with the groups
/// it depends on) the first time.
pub fn add_case(
    files: &mut Vec<RuleTestFile>,
    groups: &[RuleGroup],
    evaluation_interval: Duration,
    group: &str,
    case: RuleTestCase,
) {
    if let Some(f) = files.iter_mut().find(|f| f.group == group) {
        f.cases.push(case);
        return;
    }
    let interval = groups
        .iter()
        .find(|g| g.name == group)
        .and_then(|g| g.interval)
        .unwrap_or(evaluation_interval);
    files.push(RuleTestFile {
        group: group.to_string(),
        rule_groups: dependencies(groups, group),
        evaluation_interval: interval,
        cases: vec![case],
    });
}

/// `group` and the groups recording what it reads, those first.
fn dependencies(groups: &[RuleGroup], group: &str) -> Vec<String> {
    fn visit(groups: &[RuleGroup], name: &str, out: &mut Vec<String>) {
        if out.iter().any(|n| n == name) {
            return;
        }
        out.push(name.to_string()); // marks it visited; moved to the end below
        let Some(g) = groups.iter().find(|g| g.name == name) else {
            return;
        };
        let mut read = BTreeSet::new();
        for r in &g.rules {
            if let Some(ast) = &r.expr().ast {
                selectors(ast, &mut read);
            }
        }
        for other in groups.iter().filter(|o| o.name != name) {
            let records = other
                .rules
                .iter()
                .any(|r| matches!(r, Rule::Record(rec) if read.contains(rec.name.as_str())));
            if records {
                visit(groups, &other.name, out);
            }
        }
        let me = out.iter().position(|n| n == name).unwrap_or(0);
        let n = out.remove(me);
        out.push(n);
    }
    let mut out = Vec::new();
    visit(groups, group, &mut out);
    out
}

fn names(v: &promql_parser::parser::VectorSelector, out: &mut BTreeSet<String>) {
    out.extend(selected_name(v).map(str::to_string));
}

/// The metric names an expression selects.
fn selectors(e: &promql_parser::parser::Expr, out: &mut BTreeSet<String>) {
    use promql_parser::parser::Expr as E;
    match e {
        E::VectorSelector(v) => names(v, out),
        E::MatrixSelector(m) => names(&m.vs, out),
        E::Aggregate(a) => {
            selectors(&a.expr, out);
            if let Some(p) = &a.param {
                selectors(p, out);
            }
        }
        E::Unary(u) => selectors(&u.expr, out),
        E::Binary(b) => {
            selectors(&b.lhs, out);
            selectors(&b.rhs, out);
        }
        E::Paren(p) => selectors(&p.expr, out),
        E::Subquery(s) => selectors(&s.expr, out),
        E::Call(c) => c.args.args.iter().for_each(|a| selectors(a, out)),
        E::NumberLiteral(_) | E::StringLiteral(_) | E::Extension(_) => {}
    }
}

/// The alert `rule` raises for a series with `labels` at `value`: the series'
/// labels (those given win) and the rule's, annotations expanded as Prometheus
/// expands them, except those `given`, which are taken as written. `Err` names
/// the label or annotation that cannot be expanded.
pub fn expected(
    rule: &AlertRule,
    labels: &LabelMap,
    value: Option<f64>,
    external_labels: &LabelMap,
    given: &LabelMap,
) -> Result<ExpectedAlert, (String, ExpandError)> {
    let data = Data {
        labels,
        external_labels,
        value,
    };
    let run = |k: &String, text: &str| expand(text, &data).map_err(|e| (k.clone(), e));
    let mut out = LabelMap::new();
    for (k, v) in &rule.labels {
        out.insert(k.clone(), run(k, v)?);
    }
    out.extend(labels.iter().map(|(k, v)| (k.clone(), v.clone())));
    out.remove("__name__");
    let mut annotations = LabelMap::new();
    for (k, v) in &rule.annotations {
        let text = match given.get(k) {
            Some(g) => g.clone(),
            None => run(k, v)?,
        };
        annotations.insert(k.clone(), text);
    }
    Ok(ExpectedAlert {
        labels: out,
        annotations,
    })
}

/// `metric{a="1", b="2"}` with Go-quoted values, as promtool reads series;
/// a UTF-8 name quoted (`{"a.b", "l.x"="1"}`), which promtool 3 reads.
pub fn series_text(metric: &str, labels: &LabelMap) -> String {
    let inner: Vec<String> = labels.iter().map(|(k, v)| equality(k, v)).collect();
    selector(metric, &inner)
}

/// Numbers in input values: the shortest text that reads back as the same f64.
pub fn number(v: f64) -> String {
    format!("{v}")
}
