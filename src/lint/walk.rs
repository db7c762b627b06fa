//! A pre-order walk over the PromQL AST that knows the enclosing function.

use promql_parser::parser::Expr;

/// Visits every node; `f` gets the node and the name of the innermost
/// function call around it, or of an aggregation that only counts series.
pub fn walk<'a>(
    expr: &'a Expr,
    func: Option<&'static str>,
    f: &mut impl FnMut(&'a Expr, Option<&'static str>),
) {
    f(expr, func);
    match expr {
        Expr::Aggregate(a) => {
            let counting = match a.op.to_string().as_str() {
                "count" => Some("count"),
                "group" => Some("group"),
                "count_values" => Some("count_values"),
                _ => None,
            };
            walk(&a.expr, counting, f);
            if let Some(p) = &a.param {
                walk(p, None, f);
            }
        }
        Expr::Unary(u) => walk(&u.expr, func, f),
        Expr::Binary(b) => {
            walk(&b.lhs, None, f);
            walk(&b.rhs, None, f);
        }
        Expr::Paren(p) => walk(&p.expr, func, f),
        Expr::Subquery(s) => walk(&s.expr, None, f),
        Expr::Call(c) => {
            for arg in &c.args.args {
                walk(arg, Some(c.func.name), f);
            }
        }
        Expr::NumberLiteral(_)
        | Expr::StringLiteral(_)
        | Expr::VectorSelector(_)
        | Expr::MatrixSelector(_)
        | Expr::Extension(_) => {}
    }
}

/// True if the expression compares (filtering, not `bool`) or otherwise
/// selects only some series, so that an alert on it does not always fire.
pub fn selects(expr: &Expr) -> bool {
    let mut found = false;
    walk(expr, None, &mut |e, _| match e {
        Expr::Binary(b) => {
            let filtering_comparison = b.op.is_comparison_operator()
                && !b.modifier.as_ref().is_some_and(|m| m.return_bool);
            let set_filter = matches!(b.op.to_string().as_str(), "and" | "unless");
            if filtering_comparison || set_filter {
                found = true;
            }
        }
        Expr::Call(c) if c.func.name.starts_with("absent") => found = true,
        _ => {}
    });
    found
}
