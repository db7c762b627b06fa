//! PromQL expressions held as data, with where they came from.

use std::ops::Range;

/// A PromQL expression, where it was written, and its syntax tree, parsed
/// once here so that the lint does not parse again.
#[derive(Debug, Clone)]
pub struct Expr {
    pub text: String,
    pub origin: Origin,
    /// `None` only when the spec's text does not parse; such a model carries an
    /// error finding and is neither linted nor rendered.
    pub ast: Option<promql_parser::parser::Expr>,
}

impl Expr {
    /// An expression lloom-monctl composed from parts of the spec (an SLO's
    /// selectors), pointing at them; `Err` is a bug: the parts were checked.
    pub fn composed(text: String, span: Range<usize>) -> Result<Expr, String> {
        let ast = promql_parser::parser::parse(&text)
            .map_err(|e| format!("composed expression does not parse: {e}: {text}"))?;
        Ok(Expr {
            text,
            origin: Origin::Spec(span),
            ast: Some(ast),
        })
    }

    /// A built-in dashboard query, parsed by the caller (after Grafana's
    /// variables were substituted); the test suite proves every one parses.
    pub fn builtin_panel(
        text: String,
        parsed: Result<promql_parser::parser::Expr, String>,
    ) -> Expr {
        let ast =
            parsed.unwrap_or_else(|e| panic!("built-in panel query does not parse: {e}: {text}"));
        Expr {
            text,
            origin: Origin::Builtin,
            ast: Some(ast),
        }
    }

    /// A built-in pack expression; the test suite proves every one parses.
    pub fn builtin(text: String) -> Expr {
        let ast = builtin_ast(&text)
            .unwrap_or_else(|e| panic!("built-in expression does not parse: {e}: {text}"));
        Expr {
            text,
            origin: Origin::Builtin,
            ast: Some(ast),
        }
    }
}

/// Distinct built-in texts kept parsed. They depend on the spec's intervals,
/// so a process that compiles many specs (the fuzzer, a benchmark) would
/// otherwise keep every variant without bound.
const MAX_CACHED: usize = 4096;

type Cache = std::sync::Mutex<
    std::collections::HashMap<String, Result<promql_parser::parser::Expr, String>>,
>;

fn cache() -> &'static Cache {
    static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    CACHE.get_or_init(Cache::default)
}

/// Built-in texts are the same in every compile (given the stack's intervals):
/// each is parsed once per process, and copies are handed out.
pub fn builtin_ast(text: &str) -> Result<promql_parser::parser::Expr, String> {
    if let Some(hit) = cache().lock().expect("parse cache").get(text) {
        return hit.clone();
    }
    let parsed = promql_parser::parser::parse(text);
    let mut cached = cache().lock().expect("parse cache");
    if cached.len() >= MAX_CACHED {
        cached.clear();
    }
    cached.insert(text.to_string(), parsed.clone());
    parsed
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The built-in pack.
    Builtin,
    /// The spec, at this byte range.
    Spec(Range<usize>),
}

impl Origin {
    pub fn span(&self) -> Option<Range<usize>> {
        match self {
            Origin::Builtin => None,
            Origin::Spec(span) => Some(span.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parse_cache_stays_bounded_however_many_texts_come() {
        for i in 0..MAX_CACHED + 10 {
            builtin_ast(&format!("up > {i}")).unwrap();
        }
        assert!(cache().lock().unwrap().len() <= MAX_CACHED);
    }
}
