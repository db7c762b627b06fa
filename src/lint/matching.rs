//! Vector matching of binary operations: which labels the two sides are
//! matched on, whether any pair can ever match, whether a ratio compares a
//! series with itself, and which labels the result keeps.

use super::codes::LintCode;
use super::labels::{list, LabelSet};
use crate::diagnostics::Finding;
use crate::model::core::promql_names::{equality, label_name};
use promql_parser::parser::{BinaryExpr, Expr, LabelModifier, VectorMatchCardinality};

/// Checks one binary operation and returns the labels of its result.
pub fn binary(b: &BinaryExpr, lhs: LabelSet, rhs: LabelSet, out: &mut Vec<Finding>) -> LabelSet {
    let op = b.op.to_string();
    if lhs.scalar || rhs.scalar {
        // `x * 100` keeps the series' labels and identity.
        return if lhs.scalar { rhs } else { lhs };
    }
    let modifier = b.modifier.as_ref();
    let matching = modifier.and_then(|m| m.matching.as_ref());
    let card = modifier.map_or(&VectorMatchCardinality::OneToOne, |m| &m.card);
    if op == "or" {
        return lhs.union(rhs);
    }
    let on = |l: &String| match matching {
        Some(LabelModifier::Include(on)) => on.labels.contains(l),
        Some(LabelModifier::Exclude(ignoring)) => !ignoring.labels.contains(l),
        None => true,
    };
    if op != "unless" {
        if let Some(f) = never_matches(&op, &lhs, &rhs, &on) {
            out.push(f);
        }
    }
    if op == "/" {
        if let Some(f) = constant_ratio(b, &lhs, &rhs, &on) {
            out.push(f);
        }
    }
    result(&op, card, matching, lhs, rhs)
}

fn lhs_is_arith(op: &str) -> bool {
    matches!(op, "+" | "-" | "*" | "/" | "%" | "^" | "atan2")
}

/// A label on which the two sides are matched that one side always carries
/// and the other never does, or pins to a different value.
fn never_matches(
    op: &str,
    lhs: &LabelSet,
    rhs: &LabelSet,
    on: &impl Fn(&String) -> bool,
) -> Option<Finding> {
    let absent =
        |a: &LabelSet, b: &LabelSet| a.always.iter().find(|l| on(l) && b.never(l)).cloned();
    let (label, why) = if let Some(l) = absent(lhs, rhs) {
        let why = format!(
            "the left side ({}) always carries `{l}`, the right side ({}) never does",
            lhs.describe(),
            rhs.describe()
        );
        (l, why)
    } else if let Some(l) = absent(rhs, lhs) {
        let why = format!(
            "the right side ({}) always carries `{l}`, the left side ({}) never does",
            rhs.describe(),
            lhs.describe()
        );
        (l, why)
    } else {
        let (l, a, b) = lhs.fixed.iter().filter(|(l, _)| on(l)).find_map(|(l, a)| {
            rhs.fixed
                .get(l)
                .filter(|b| *b != a)
                .map(|b| (l.clone(), a.clone(), b.clone()))
        })?;
        let why = format!("the left side pins `{l}=\"{a}\"`, the right side `{l}=\"{b}\"`");
        (l, why)
    };
    // Every label that keeps the sides apart, not only the first: ignoring
    // one of them would leave the next.
    let mut apart: Vec<&String> = lhs
        .always
        .iter()
        .filter(|l| on(l) && rhs.never(l))
        .chain(rhs.always.iter().filter(|l| on(l) && lhs.never(l)))
        .collect();
    if apart.is_empty() {
        apart.push(&label);
    }
    apart.sort();
    let shared: Vec<&String> = lhs.always.intersection(&rhs.always).collect();
    Some(
        Finding::new(
            LintCode::BinaryNeverMatches,
            format!("`{op}` never finds a match: {why}, and the sides are matched on `{label}`"),
        )
        .help(format!(
            "aggregate both sides to labels they share, e.g. `sum by {} (...)`, or match with `ignoring{}`",
            list(shared),
            list(apart)
        )),
    )
}

/// `rate(x{status="failed"}[5m]) / rate(x[5m])`: the filter label is matched
/// on, so each failed series is divided by itself and the ratio is 1.
fn constant_ratio(
    b: &BinaryExpr,
    lhs: &LabelSet,
    rhs: &LabelSet,
    on: &impl Fn(&String) -> bool,
) -> Option<Finding> {
    let metric = lhs.metric.as_ref()?;
    if rhs.metric.as_ref() != Some(metric) || stripped(&b.lhs) != stripped(&b.rhs) {
        return None;
    }
    let (label, value) = lhs
        .fixed
        .iter()
        .chain(rhs.fixed.iter())
        .find(|(l, _)| on(l) && !lhs.never(l) && !rhs.never(l))?;
    Some(
        Finding::new(
            LintCode::RatioConstant,
            format!(
                "this ratio divides each `{metric}` series by itself: `{label}=\"{value}\"` selects the numerator, and the division then matches on `{label}`, so the ratio is 1 whenever it exists"
            ),
        )
        .focus(equality(label, value))
        .help(format!(
            "aggregate `{label}` away on both sides, e.g. `sum without ({q}) (...) / sum without ({q}) (...)` or `sum by (instance) (...)`",
            q = label_name(label)
        )),
    )
}

/// The expression with every selector's label matchers removed: two sides
/// that differ only in their filters read the same series the same way.
fn stripped(e: &Expr) -> String {
    let mut e = e.clone();
    strip(&mut e);
    e.to_string()
}

fn strip(e: &mut Expr) {
    match e {
        Expr::VectorSelector(vs) => {
            vs.matchers.matchers.retain(|m| m.name == "__name__");
            vs.matchers.or_matchers.clear();
        }
        Expr::MatrixSelector(ms) => {
            ms.vs.matchers.matchers.retain(|m| m.name == "__name__");
            ms.vs.matchers.or_matchers.clear();
        }
        Expr::Paren(p) => strip(&mut p.expr),
        Expr::Unary(u) => strip(&mut u.expr),
        Expr::Subquery(s) => strip(&mut s.expr),
        Expr::Aggregate(a) => strip(&mut a.expr),
        Expr::Call(c) => c.args.args.iter_mut().for_each(|a| strip(a)),
        Expr::Binary(b) => {
            strip(&mut b.lhs);
            strip(&mut b.rhs);
        }
        _ => {}
    }
}

/// The result's labels: Prometheus keeps the left side's (or the "many"
/// side's), restricted by `on`/`ignoring` for one-to-one matches.
fn result(
    op: &str,
    card: &VectorMatchCardinality,
    matching: Option<&LabelModifier>,
    lhs: LabelSet,
    rhs: LabelSet,
) -> LabelSet {
    let arith = lhs_is_arith(op);
    let mut set = match card {
        VectorMatchCardinality::OneToMany(include) => with_included(rhs, &lhs, &include.labels),
        VectorMatchCardinality::ManyToOne(include) => with_included(lhs, &rhs, &include.labels),
        VectorMatchCardinality::ManyToMany => lhs,
        VectorMatchCardinality::OneToOne => {
            let mut set = lhs;
            match matching {
                Some(LabelModifier::Include(on)) if !matches!(op, "and" | "unless") => {
                    set.keep(&on.labels)
                }
                Some(LabelModifier::Exclude(ignoring)) if !matches!(op, "and" | "unless") => {
                    set.drop(&ignoring.labels)
                }
                _ => {}
            }
            set
        }
    };
    if arith {
        set.metric = None;
    }
    set
}

fn with_included(mut many: LabelSet, one: &LabelSet, include: &[String]) -> LabelSet {
    for l in include {
        many.fixed.remove(l);
        if one.always.contains(l) {
            many.always.insert(l.clone());
            many.maybe.remove(l);
        } else if !one.never(l) {
            many.maybe.insert(l.clone());
        }
    }
    many
}
