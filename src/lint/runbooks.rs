//! Runbook queries are checked like panel queries: the selectors against the
//! catalog and the labels through every operation, so that a page never tells
//! on-call to run a query that reads nothing.

use super::context::Context;
use super::{checks, infer, Found};
use crate::model::Expr;

pub fn query(cx: &Context, expr: &Expr) -> Vec<Found> {
    let Some(ast) = &expr.ast else {
        return Vec::new(); // a parse error, reported by the model
    };
    let mut found = Vec::new();
    checks::selectors(cx, ast, &mut found);
    infer::infer(cx, ast, &mut found);
    found.into_iter().map(|f| (f, None)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Rule;

    /// The built-in pages list the labels the lint infers for each alert's
    /// expression: none missing, none the series cannot carry.
    #[test]
    fn builtin_runbook_labels_are_the_inferred_ones() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/lloom.toml"))
                .unwrap();
        let Ok(c) = crate::pipeline::compile(&text) else {
            panic!("the example spec compiles")
        };
        let cx = Context::new(&c.model);
        let mut checked = 0;
        for rule in c.model.groups.iter().flat_map(|g| &g.rules) {
            let Rule::Alert(a) = rule else { continue };
            if a.expr.origin.span().is_some() {
                continue; // the spec's own alert
            }
            let rb = c.model.runbooks.iter().find(|r| r.alert == a.name).unwrap();
            let labels = infer::infer(&cx, a.expr.ast.as_ref().unwrap(), &mut Vec::new());
            let listed: Vec<&String> = rb.labels.iter().map(|(l, _)| l).collect();
            let always: Vec<&String> = labels.always.iter().collect();
            assert_eq!(listed, always, "{}: labels listed vs inferred", a.name);
            checked += 1;
        }
        assert_eq!(checked, crate::model::rules::pack::ALERTS.len());
    }
}
