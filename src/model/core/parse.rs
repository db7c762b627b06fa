//! Every PromQL expression of the spec's rules, parsed on all cores before
//! the model is built: on a large spec parsing is most of the work, and each
//! expression parses on its own. The results are handed out by place, so the
//! model and its findings come out the same as a serial parse.

use super::ctx::Parsed;
use super::{Ctx, Expr, Origin};
use crate::diagnostics::Finding;
use crate::spec::{Spec, SpecCode, Str};
use promql_parser::parser::value::ValueType;
use promql_parser::parser::Expr as Ast;

/// Below this many expressions one thread is faster than starting more.
const PARALLEL_FROM: usize = 256;

pub fn rules(spec: &Spec) -> Parsed {
    let texts: Vec<&Str> = spec
        .alert
        .iter()
        .map(|a| &a.expr)
        .chain(spec.record.iter().map(|r| &r.expr))
        .collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if threads < 2 || texts.len() < PARALLEL_FROM {
        return texts.into_iter().map(one).collect();
    }
    let chunk = texts.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = texts
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|e| one(e)).collect::<Vec<_>>()))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("the PromQL parser panicked"))
            .collect()
    })
}

fn one(e: &Str) -> (usize, Result<Ast, String>) {
    (
        e.span().start,
        crate::model::core::promql::parse(e.get_ref()),
    )
}

/// The model's expression for a spec string: its tree, or a finding at its
/// place. What a rule or a panel evaluates must be an instant vector or a
/// scalar.
pub fn located(
    cx: &mut Ctx,
    e: &Str,
    parsed: Result<Ast, String>,
    label: &str,
    help: &str,
) -> Expr {
    let ast = match parsed {
        Ok(ast) => {
            let vt = ast.value_type();
            if !matches!(vt, ValueType::Vector | ValueType::Scalar) {
                cx.push(
                    Finding::new(
                        SpecCode::BadPromql,
                        format!("this must yield an instant vector, but it yields a {vt}"),
                    )
                    .at(e.span())
                    .help("wrap a range vector in a function such as rate(...[5m])"),
                );
            }
            Some(ast)
        }
        Err(msg) => {
            cx.push(
                Finding::new(
                    SpecCode::BadPromql,
                    format!("PromQL does not parse: {}", msg.trim()),
                )
                .at(e.span())
                .label(label)
                .help(if msg.starts_with("the regex `") {
                    // From `promql::parse`: the message says what to write.
                    "Prometheus compiles an expression's regexes with Go's RE2 while it parses it"
                } else {
                    help
                }),
            );
            None
        }
    };
    Expr {
        text: e.get_ref().clone(),
        origin: Origin::Spec(e.span()),
        ast,
    }
}
