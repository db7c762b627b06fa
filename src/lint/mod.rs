//! Semantic lint of every PromQL expression in the model, against the metric
//! catalog, the series recording rules produce, the labels scraping adds,
//! scrape intervals and retention. promtool checks syntax only; these checks
//! catch rules that parse but can never fire, always fire, or page with an
//! empty description.

mod checks;
pub mod codes;
mod context;
mod infer;
mod labels;
mod matching;
mod needless_regex;
mod panels;
mod routes;
mod rules;
mod runbooks;
mod template;
mod walk;

#[cfg(test)]
mod tests;

use crate::diagnostics::{suggest, Finding};
use crate::model::{Allow, Model, Rule};
use codes::LintCode;
use context::Context;
use std::ops::Range;

/// A finding and, where it has one, a more precise place than the expression.
type Found = (Finding, Option<Range<usize>>);

/// Lints every rule of the model; findings carry the spec location of the
/// expression, or name the built-in rule.
pub fn lint(model: &Model) -> Vec<Finding> {
    let cx = Context::new(model);
    let mut findings = Vec::new();
    let duplicates = rules::duplicates(model);
    let mut alerts = Vec::new();
    for group in &model.groups {
        for rule in &group.rules {
            let expr = rule.expr();
            let Some(ast) = &expr.ast else {
                continue; // a parse error, reported by the model
            };
            let mut found = Vec::new();
            checks::selectors(&cx, ast, &mut found);
            let labels = infer::infer(&cx, ast, &mut found);
            if let Rule::Alert(alert) = rule {
                checks::alert(&cx, group, alert, ast, &mut found);
            }
            let mut found: Vec<Found> = found.into_iter().map(|f| (f, None)).collect();
            if let Rule::Alert(alert) = rule {
                found.extend(rules::templates(&cx, alert, ast, &labels));
                alerts.push(routes::AlertLabels::of(model, alert, &labels));
            }
            found.extend(rules::external_clash(model, rule));
            if let Some(f) = duplicates.get(&std::ptr::from_ref(rule)) {
                found.push((f.clone(), None));
            }
            let subject = format!("built-in rule `{}`", rule.name());
            settle(
                &subject,
                expr.origin.span(),
                rule.allow(),
                found,
                &mut findings,
            );
        }
    }
    routes::check(model, &alerts, &mut findings);
    for dashboard in &model.dashboards {
        for v in &dashboard.variables {
            let found = panels::variable(&cx, v);
            let subject = format!("variable `{}` of dashboard `{}`", v.name, dashboard.title);
            settle(&subject, None, &Allow::new(), found, &mut findings);
        }
        for panel in &dashboard.panels {
            let found = panels::panel(&cx, dashboard, panel);
            let subject = format!("panel `{}`", panel.title);
            settle(&subject, None, &panel.allow, found, &mut findings);
        }
    }
    for page in &model.runbooks {
        for q in &page.queries {
            let found = runbooks::query(&cx, &q.expr);
            let subject = format!("runbook query of `{}`", page.alert);
            let span = q.expr.origin.span();
            settle(&subject, span, &Allow::new(), found, &mut findings);
        }
    }
    findings
}

/// Places each finding, drops the ones the spec silences, and reports
/// `allow` entries that name no code or silence nothing.
fn settle(
    subject: &str,
    expr_span: Option<Range<usize>>,
    allow: &Allow,
    found: Vec<Found>,
    out: &mut Vec<Finding>,
) {
    let mut used = std::collections::BTreeSet::new();
    // One expression can trip a check twice (a metric read on both sides);
    // findings of different rules differ in place or subject.
    let first = out.len();
    for (f, place) in found {
        debug_assert!(
            LintCode::find(f.code).is_some(),
            "`{}` is missing from the LintCode table",
            f.code
        );
        if allow.contains_key(f.code) {
            used.insert(f.code);
            continue;
        }
        let f = match place.or_else(|| expr_span.clone()) {
            Some(span) => f.at(span),
            None => Finding {
                message: format!("{subject}: {}", f.message),
                ..f
            },
        };
        if !out[first..].contains(&f) {
            out.push(f);
        }
    }
    for (code, allowance) in allow {
        let f = if LintCode::find(code).is_none() {
            Finding::new(
                LintCode::UnknownAllow,
                format!("`{code}` is not a lint code"),
            )
            .help(suggest(
                code,
                LintCode::CODES.iter().map(|c| c.code),
                || "the lint codes are listed in docs/lint.md".into(),
            ))
        } else if !used.contains(code.as_str()) {
            Finding::new(
                LintCode::UnusedAllow,
                format!("`{code}` is silenced here, but nothing here triggers it"),
            )
            .help("remove the entry, so that the finding is reported if it ever comes back")
        } else {
            continue;
        };
        out.push(match &allowance.span {
            Some(span) => f.at(span.clone()),
            None => Finding {
                message: format!("{subject}: {}", f.message),
                ..f
            },
        });
    }
}
