//! The spec's `[[test]]`s, checked and resolved: every problem is a located
//! finding, so that a test that promtool would reject, or that states
//! annotations lloom-monctl would have to guess, never reaches the files.

use crate::diagnostics::{suggest, Finding};
use crate::model::core::promtool::{
    expected, AlertCheck, ExpectedAlert, InputSeries, RuleTestCase,
};
use crate::model::core::{AlertRule, Ctx, Duration, LabelMap, Rule, RuleGroup};
use crate::spec::{ExpectSpec, InputSpec, RuleTestSpec, Spec, SpecCode};
use promql_parser::label::MatchOp;
use promql_parser::parser::Expr;
use std::sync::OnceLock;
use toml::Spanned;

pub(crate) fn cases(
    cx: &mut Ctx,
    spec: &Spec,
    groups: &[RuleGroup],
    external_labels: &LabelMap,
) -> Vec<(String, RuleTestCase)> {
    let rules = Rules {
        groups,
        external_labels,
    };
    spec.test
        .iter()
        .filter_map(|t| case(cx, t, &rules))
        .collect()
}

/// The rules a test may name, and the labels their alerts carry.
struct Rules<'a> {
    groups: &'a [RuleGroup],
    external_labels: &'a LabelMap,
}

fn case(cx: &mut Ctx, t: &RuleTestSpec, rules: &Rules) -> Option<(String, RuleTestCase)> {
    let mut ok = true;
    if t.name.get_ref().trim().is_empty() {
        cx.push(
            Finding::new(SpecCode::Empty, "the test has no name")
                .at(t.name.span())
                .help("say what the test proves, e.g. `fires when no executor serves a model`"),
        );
        ok = false;
    }
    let alert = find_alert(cx, rules, &t.alert);
    let interval = match &t.interval {
        None => Some(Duration(60_000)),
        Some(i) => cx.duration(Some(i), "interval"),
    };
    let eval_time = cx.duration(Some(&t.eval_time), "eval_time");
    let input: Vec<InputSeries> = t.input.iter().filter_map(|i| input(cx, i)).collect();
    ok &= input.len() == t.input.len();
    let expect: Vec<ExpectedAlert> = match alert {
        Some((_, rule)) => t
            .expect
            .iter()
            .filter_map(|e| expect(cx, e, rule, rules))
            .collect(),
        None => Vec::new(),
    };
    ok &= expect.len() == t.expect.len();
    let ((group, rule), interval, eval_time) = (alert?, interval?, eval_time?);
    ok.then(|| {
        let check = AlertCheck {
            eval_time,
            alert: rule.name.clone(),
            expect,
        };
        let case = RuleTestCase {
            name: t.name.get_ref().clone(),
            interval,
            input,
            alerts: vec![check],
            exprs: Vec::new(),
        };
        (group.to_string(), case)
    })
}

/// The alert a test names, and its group.
fn find_alert<'m>(
    cx: &mut Ctx,
    rules: &Rules<'m>,
    name: &crate::spec::Str,
) -> Option<(&'m str, &'m AlertRule)> {
    let alerts = || {
        rules.groups.iter().flat_map(|g| {
            g.rules.iter().filter_map(move |r| match r {
                Rule::Alert(a) => Some((g.name.as_str(), a)),
                Rule::Record(_) => None,
            })
        })
    };
    if let Some(found) = alerts().find(|(_, a)| &a.name == name.get_ref()) {
        return Some(found);
    }
    let names: Vec<&str> = alerts().map(|(_, a)| a.name.as_str()).collect();
    let help = suggest(name.get_ref(), names.iter().copied(), || {
        format!(
            "the alerts of this spec are {}; a built-in alert its roles do not bring, or one that is disabled, cannot be tested",
            names.join(", ")
        )
    });
    cx.push(
        Finding::new(
            SpecCode::UnknownAlert,
            format!("no alert named `{}` to test", name.get_ref()),
        )
        .at(name.span())
        .help(help),
    );
    None
}

fn input(cx: &mut Ctx, i: &Spanned<InputSpec>) -> Option<InputSeries> {
    let i = i.get_ref();
    let series = i.series.get_ref();
    let good_series = match crate::model::core::promql::parse(series) {
        Ok(Expr::VectorSelector(v)) => {
            v.offset.is_none()
                && v.at.is_none()
                && v.matchers.or_matchers.is_empty()
                && v.matchers.matchers.iter().all(|m| m.op == MatchOp::Equal)
                && (v.name.is_some() || v.matchers.matchers.iter().any(|m| m.name == "__name__"))
        }
        _ => false,
    };
    if !good_series {
        cx.push(
            Finding::new(SpecCode::BadSeries, format!("`{series}` is not a series"))
                .at(i.series.span())
                .help("write a metric name and its labels with `=` only, as Prometheus stores it: `lloom_client_executors_available{job=\"lloom-client\", instance=\"client1\", model=\"llama-3-8b\"}`"),
        );
    }
    let values = i.values.get_ref();
    let good_values = !values.trim().is_empty() && values.split_whitespace().all(value_item);
    if !good_values {
        cx.push(
            Finding::new(SpecCode::BadValues, format!("`{values}` is not in promtool's expanding notation"))
                .at(i.values.span())
                .help("space-separated items: a number, `_` (no sample), `stale`, `AxN` (A, N+1 times), `A+BxN` or `A-BxN` (from A, N steps of B), e.g. `0+60x30`"),
        );
    }
    (good_series && good_values).then(|| InputSeries {
        series: series.clone(),
        values: values.clone(),
    })
}

/// One item of promtool's expanding notation.
fn value_item(item: &str) -> bool {
    static ITEM: OnceLock<regex::Regex> = OnceLock::new();
    let num = r"[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|Inf|inf)|NaN";
    let unsigned = r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?";
    ITEM.get_or_init(|| {
        regex::Regex::new(&format!(
            r"^(?:_|stale|_x\d+|(?:{num})(?:x\d+)?|(?:{num})[+-](?:{unsigned})x\d+)$"
        ))
        .expect("built-in regex")
    })
    .is_match(item)
}

fn expect(
    cx: &mut Ctx,
    e: &Spanned<ExpectSpec>,
    rule: &AlertRule,
    rules: &Rules,
) -> Option<ExpectedAlert> {
    let spec = e.get_ref();
    let labels = cx.series_labels(&spec.labels, "expected label");
    let value = match &spec.value {
        Some(v) if !v.get_ref().is_finite() => {
            cx.push(
                Finding::new(SpecCode::BadValue, "`value` must be a finite number").at(v.span()),
            );
            return None;
        }
        v => v.as_ref().map(|v| *v.get_ref()),
    };
    let mut given = LabelMap::new();
    let mut ok = true;
    for (k, v) in &spec.annotations {
        if rule.annotations.contains_key(k.get_ref()) {
            given.insert(k.get_ref().clone(), v.get_ref().clone());
            continue;
        }
        let help = suggest(
            k.get_ref(),
            rule.annotations.keys().map(String::as_str),
            || {
                format!(
                    "`{}` has the annotations {}",
                    rule.name,
                    rule.annotations
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            },
        );
        cx.push(
            Finding::new(
                SpecCode::UnknownAnnotation,
                format!("alert `{}` has no annotation `{}`", rule.name, k.get_ref()),
            )
            .at(k.span())
            .help(help),
        );
        ok = false;
    }
    match expected(rule, &labels, value, rules.external_labels, &given) {
        Ok(alert) => ok.then_some(alert),
        Err((key, why)) => {
            cx.push(
                Finding::new(
                    SpecCode::CannotExpand,
                    format!("cannot state the expected `{key}` of `{}`: {why}", rule.name),
                )
                .at(e.span())
                .help(format!(
                    "give `value = ...` if the text prints `$value`, or write the annotation out: `annotations = {{ {key} = '...' }}`"
                )),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::Finding;
    use crate::model::Model;

    const BASE: &str = r#"
[stack]
name = "t"
runbook_base_url = "https://runbooks.example.org"
[roles.client]
hosts = ["c1"]
[[alert]]
name = "NoExecutors"
expr = 'lloom_client_executors_available == 0'
severity = "warning"
summary = "none for {{ $labels.model }}"
description = "{{ $value | humanize }} executors"
"#;

    fn build(tests: &str) -> (Option<Model>, Vec<Finding>) {
        let (spec, mut findings) = crate::spec::load(&format!("{BASE}{tests}"));
        let Some(spec) = spec else {
            return (None, findings);
        };
        let (model, more) = crate::model::build(&spec);
        findings.extend(more);
        (Some(model), findings)
    }

    fn codes(tests: &str) -> Vec<(&'static str, String)> {
        build(tests)
            .1
            .into_iter()
            .map(|f| (f.code, f.help.unwrap_or_default()))
            .collect()
    }

    const SERIES: &str = r#"series = 'lloom_client_executors_available{job="lloom-client", instance="c1", model="m"}'"#;

    #[test]
    fn a_test_resolves_with_expanded_annotations_and_rule_labels() {
        let (model, findings) = build(&format!(
            r#"[[test]]
name = "fires"
alert = "NoExecutors"
eval_time = "10m"
input = [{{ {SERIES}, values = '0x10' }}]
expect = [{{ labels = {{ job = "lloom-client", instance = "c1", model = "m" }}, value = 0 }}]
"#
        ));
        assert!(findings.is_empty(), "{findings:?}");
        let model = model.unwrap();
        let file = model
            .tests
            .iter()
            .find(|f| f.group == "lloom_custom_alerts")
            .unwrap();
        let alert = &file.cases[0].alerts[0].expect[0];
        assert_eq!(alert.labels["severity"], "warning");
        assert_eq!(alert.annotations["summary"], "none for m");
        assert_eq!(alert.annotations["description"], "0 executors");
        assert_eq!(file.cases[0].interval.to_string(), "1m");
    }

    #[test]
    fn an_unknown_alert_is_located_with_did_you_mean() {
        let found = codes(&format!(
            "[[test]]\nname = \"x\"\nalert = \"NoExecutor\"\neval_time = \"5m\"\ninput = [{{ {SERIES}, values = '0x5' }}]\nexpect = []\n"
        ));
        assert_eq!(
            found,
            [(
                "spec/unknown-alert",
                "did you mean `NoExecutors`?".to_string()
            )]
        );
    }

    #[test]
    fn bad_series_values_and_durations_are_all_reported() {
        let found = codes(
            "[[test]]\nname = \"x\"\nalert = \"NoExecutors\"\ninterval = \"1 m\"\neval_time = \"0\"\ninput = [\n  { series = 'rate(x[5m])', values = '0+1x5' },\n  { series = 'x{a=~\"b\"}', values = '1x5 2' },\n  { series = 'x', values = 'lots' },\n]\nexpect = []\n",
        );
        let codes: Vec<&str> = found.iter().map(|f| f.0).collect();
        assert_eq!(
            codes,
            [
                "spec/bad-duration",
                "spec/bad-duration",
                "spec/bad-series",
                "spec/bad-series",
                "spec/bad-values"
            ]
        );
    }

    #[test]
    fn printed_values_need_a_value_and_unknown_templates_need_the_text() {
        let no_value = codes(&format!(
            "[[test]]\nname = \"x\"\nalert = \"NoExecutors\"\neval_time = \"10m\"\ninput = [{{ {SERIES}, values = '0x10' }}]\nexpect = [{{ labels = {{ model = \"m\" }} }}]\n"
        ));
        assert_eq!(no_value.len(), 1);
        assert_eq!(no_value[0].0, "spec/cannot-expand");
        assert!(
            no_value[0].1.contains("give `value = ...`"),
            "{}",
            no_value[0].1
        );

        let custom = BASE.replace(
            "{{ $value | humanize }} executors",
            "{{ if eq $value 0.0 }}none{{ end }}",
        );
        let test = format!(
            "[[test]]\nname = \"x\"\nalert = \"NoExecutors\"\neval_time = \"10m\"\ninput = [{{ {SERIES}, values = '0x10' }}]\nexpect = [{{ value = 0 }}]\n"
        );
        let (spec, _) = crate::spec::load(&format!("{custom}{test}"));
        let (_, findings) = crate::model::build(&spec.unwrap());
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert!(
            findings[0].message.contains("`{{ if eq $value 0.0 }}`"),
            "{}",
            findings[0].message
        );
        assert!(findings[0]
            .help
            .as_deref()
            .unwrap()
            .contains("annotations = { description = '...' }"));

        let given = test.replace(
            "{ value = 0 }",
            "{ annotations = { description = \"none\" } }",
        );
        let (spec, _) = crate::spec::load(&format!("{custom}{given}"));
        let (model, findings) = crate::model::build(&spec.unwrap());
        assert!(findings.is_empty(), "{findings:?}");
        let file = model
            .tests
            .iter()
            .find(|f| f.group == "lloom_custom_alerts")
            .unwrap();
        assert_eq!(
            file.cases[0].alerts[0].expect[0].annotations["description"],
            "none"
        );
    }

    #[test]
    fn an_unknown_annotation_is_reported() {
        let found = codes(&format!(
            "[[test]]\nname = \"x\"\nalert = \"NoExecutors\"\neval_time = \"10m\"\ninput = [{{ {SERIES}, values = '0x10' }}]\nexpect = [{{ value = 0, annotations = {{ sumary = \"x\" }} }}]\n"
        ));
        assert_eq!(
            found,
            [(
                "spec/unknown-annotation",
                "did you mean `summary`?".to_string()
            )]
        );
    }

    #[test]
    fn values_follow_promtools_notation() {
        for ok in [
            "0+60x30", "1x10", "_", "_x3", "stale", "-1.5e3", "1 2 3", "10-2x4", "+Inf", "NaN",
        ] {
            assert!(ok.split_whitespace().all(super::value_item), "{ok}");
        }
        for bad in ["0+60 x", "x10", "1+x3", "1x", "1e", "one"] {
            assert!(!bad.split_whitespace().all(super::value_item), "{bad}");
        }
    }
}
