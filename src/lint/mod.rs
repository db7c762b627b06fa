//! Semantic lint of every PromQL expression in the model, against the metric
//! catalog, the series recording rules produce, scrape intervals and retention.
//! promtool checks syntax only; these checks catch rules that parse but can
//! never fire, always fire, or read a metric the wrong way.

mod checks;
mod context;
mod walk;

#[cfg(test)]
mod tests;

use crate::diagnostics::Finding;
use crate::model::{Model, Rule};
use context::Context;

/// Lints every rule of the model; findings carry the spec location of the
/// expression, or name the built-in rule.
pub fn lint(model: &Model) -> Vec<Finding> {
    let cx = Context::new(model);
    let mut findings = Vec::new();
    for group in &model.groups {
        for rule in &group.rules {
            let expr = rule.expr();
            let Some(ast) = &expr.ast else {
                continue; // a parse error, reported by the model
            };
            let mut found = Vec::new();
            checks::selectors(&cx, ast, &mut found);
            if let Rule::Alert(alert) = rule {
                checks::alert(&cx, group, alert, ast, &mut found);
            }
            for f in found {
                let f = match expr.origin.span() {
                    Some(span) => f.at(span),
                    None => Finding {
                        message: format!("built-in rule `{}`: {}", rule.name(), f.message),
                        ..f
                    },
                };
                findings.push(f);
            }
        }
    }
    findings
}
