//! Checks of a rule beyond its expression: what its templates show, its
//! labels against the external labels, and rules that repeat another.

use super::codes::LintCode;
use super::context::Context;
use super::labels::{list, LabelSet};
use super::template;
use super::walk::walk;
use crate::diagnostics::{suggest, Finding};
use crate::model::core::promql_names::selected_name;
use crate::model::Duration;
use crate::model::{AlertRule, Model, Rule};
use promql_parser::parser::Expr;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;

/// Templates of an alert's annotations and labels, against the labels its
/// expression's series carry (`set`).
pub fn templates(
    cx: &Context,
    alert: &AlertRule,
    ast: &Expr,
    set: &LabelSet,
) -> Vec<(Finding, Option<Range<usize>>)> {
    let mut out = Vec::new();
    let fractional = fractional_value(ast);
    for (key, text, place, what) in alert.templates() {
        let refs = template::alert_refs(text);
        for l in refs
            .labels
            .iter()
            .filter(|l| *l != "__name__" && set.never(l))
        {
            let also = if alert.labels.contains_key(l.as_str()) {
                format!("; `{l}` is a label of the rule, which `$labels` does not hold")
            } else {
                String::new()
            };
            out.push((
                Finding::new(
                    LintCode::TemplateLabelMissing,
                    format!("{what} `{key}` of `{}` shows `$labels.{l}`, but the expression's series never carry `{l}`: it renders empty{also}", alert.name),
                )
                .focus(format!("$labels.{l}"))
                .help(cx.external_hint(l).unwrap_or_else(|| {
                    suggest(l, set.known().map(String::as_str), || {
                        format!("the series carry {}; keep `{l}` in the expression (e.g. in `sum by`) or drop it from the text", list(set.known()))
                    })
                })),
                place.cloned(),
            ));
        }
        if refs.raw_value && fractional {
            out.push((
                Finding::new(
                    LintCode::ValueNotHumanized,
                    format!("{what} `{key}` of `{}` shows `$value` raw, but the value is a rate or ratio: it prints like 0.08333333333333333", alert.name),
                )
                .focus("$value")
                .help("format it: `{{ $value | humanize }}`, `{{ $value | humanizePercentage }}` or `{{ printf \"%.2f\" $value }}`"),
                place.cloned(),
            ));
        }
    }
    out
}

/// True when the value an alert reports is a rate, ratio or quantile.
fn fractional_value(ast: &Expr) -> bool {
    let mut side = ast;
    loop {
        match side {
            Expr::Paren(p) => side = &p.expr,
            Expr::Binary(b)
                if b.op.is_comparison_operator()
                    || matches!(b.op.to_string().as_str(), "and" | "unless") =>
            {
                side = if matches!(*b.lhs, Expr::NumberLiteral(_)) {
                    &b.rhs
                } else {
                    &b.lhs
                };
            }
            _ => break,
        }
    }
    let mut found = false;
    walk(side, None, &mut |e, _| match e {
        Expr::Call(c)
            if matches!(
                c.func.name,
                "rate"
                    | "irate"
                    | "increase"
                    | "deriv"
                    | "delta"
                    | "avg_over_time"
                    | "histogram_quantile"
                    | "predict_linear"
            ) =>
        {
            found = true
        }
        Expr::Binary(b) if b.op.to_string() == "/" => found = true,
        _ => {}
    });
    found
}

/// A rule label that is also an external label: the rule's value wins on
/// every alert and federated series, so routing on it breaks.
pub fn external_clash(model: &Model, rule: &Rule) -> Vec<(Finding, Option<Range<usize>>)> {
    rule.labels()
        .iter()
        .filter_map(|(k, v)| {
            let external = model.stack.external_labels.get(k)?;
            Some((
                Finding::new(
                    LintCode::LabelClashesExternal,
                    format!("rule `{}` sets label `{k}=\"{v}\"`, which is also an external label (`{k}=\"{external}\"`): the rule's value overrides it on alerts and remote writes", rule.name()),
                )
                .help(format!("rename the rule label, or drop it and let the external label `{k}` apply")),
                rule.places().labels.get(k).cloned(),
            ))
        })
        .collect()
}

/// Two rules of the same kind with the same expression and labels (and, for
/// alerts, the same `for`; severity aside): a duplicate alert pages twice, a
/// duplicate recording rule stores the same series twice. Keyed by the rule
/// that repeats an earlier one.
pub fn duplicates(model: &Model) -> HashMap<*const Rule, Finding> {
    type Key<'m> = (Option<Option<Duration>>, Vec<(&'m str, &'m str)>, u64);
    let mut seen: HashMap<Key, Vec<(&Rule, &Expr)>> = HashMap::new();
    let mut out = HashMap::new();
    for rule in model.groups.iter().flat_map(|g| &g.rules) {
        let Some(ast) = &rule.expr().ast else {
            continue;
        };
        let kind = match rule {
            Rule::Alert(a) => Some(a.for_),
            Rule::Record(_) => None,
        };
        let labels = rule
            .labels()
            .iter()
            .filter(|(k, _)| *k != "severity")
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        // Equal trees have equal fingerprints; only those are compared whole.
        let bucket = seen.entry((kind, labels, fingerprint(ast))).or_default();
        let Some((first, _)) = bucket.iter().find(|(_, other)| *other == ast) else {
            bucket.push((rule, ast));
            continue;
        };
        let first = first.name();
        let help = match rule {
            Rule::Alert(_) => {
                format!("both fire together and page twice; remove one, or tune `{first}` instead")
            }
            Rule::Record(_) => format!(
                "both store the same series under two names; keep `{first}` and read it instead"
            ),
        };
        let f = Finding::new(
            LintCode::DuplicateRule,
            format!(
                "`{}` has the same expression and labels as `{first}`",
                rule.name()
            ),
        )
        .help(help);
        out.insert(std::ptr::from_ref(rule), f);
    }
    out
}

/// A hash of the tree's shape and names, cheap next to printing it.
fn fingerprint(ast: &Expr) -> u64 {
    let mut h = DefaultHasher::new();
    walk(ast, None, &mut |e, _| {
        std::mem::discriminant(e).hash(&mut h);
        match e {
            // The name bare or quoted (`{"a.b"}`), so that quoted names spread too.
            Expr::VectorSelector(vs) => selected_name(vs).hash(&mut h),
            Expr::MatrixSelector(ms) => (selected_name(&ms.vs), ms.range).hash(&mut h),
            Expr::Call(c) => c.func.name.hash(&mut h),
            Expr::Aggregate(a) => a.op.id().hash(&mut h),
            Expr::Binary(b) => b.op.id().hash(&mut h),
            Expr::NumberLiteral(n) => n.val.to_bits().hash(&mut h),
            Expr::StringLiteral(s) => s.val.hash(&mut h),
            _ => {}
        }
    });
    h.finish()
}
