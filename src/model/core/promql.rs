//! PromQL from the spec, parsed within limits: the parser recurses (a few
//! thousand nested calls overflow the stack) and slows down more than
//! linearly on long operator chains, and a spec comes from a pull request.
//! The limits are checked on the raw text first, far above any real rule.

use promql_parser::parser::Expr as Ast;

/// Brackets of any kind inside each other, at most.
pub const MAX_DEPTH: usize = 64;
/// Binary operators and commas (arguments, matchers), at most.
pub const MAX_OPERATORS: usize = 500;
/// Bytes of one expression, at most.
pub const MAX_LEN: usize = 16 * 1024;

/// Parses a spec's expression, or says which limit it is past.
pub fn parse(text: &str) -> Result<Ast, String> {
    check_limits(text)?;
    promql_parser::parser::parse(text)
}

/// The limits, on the text: brackets and operators outside strings and
/// comments are counted.
pub fn check_limits(text: &str) -> Result<(), String> {
    if text.len() > MAX_LEN {
        return Err(format!(
            "the expression is {} bytes long; at most {MAX_LEN} are taken",
            text.len()
        ));
    }
    let (mut depth, mut operators) = (0usize, 0usize);
    let mut quote: Option<char> = None;
    let mut chars = text.chars().peekable();
    let mut word = String::new();
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            if c == '\\' && q != '`' {
                chars.next();
            } else if c == q {
                quote = None;
            }
            continue;
        }
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        operators += usize::from(is_keyword_operator(&word));
        word.clear();
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(format!("brackets are nested more than {MAX_DEPTH} deep"));
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            '+' | '-' | '*' | '/' | '%' | '^' | '<' | '>' | '=' | ',' => operators += 1,
            _ => {}
        }
        if operators > MAX_OPERATORS {
            return Err(format!(
                "more than {MAX_OPERATORS} operators and commas in one expression"
            ));
        }
    }
    Ok(())
}

fn is_keyword_operator(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "and" | "or" | "unless" | "atan2"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_and_long_expressions_are_refused_before_parsing() {
        let deep = format!("{}up{}", "abs(".repeat(100), ")".repeat(100));
        assert!(parse(&deep).unwrap_err().contains("nested"));
        let chain = format!("up{}", " + 1".repeat(600));
        assert!(parse(&chain).unwrap_err().contains("operators"));
        let ors = format!("up{}", " or up".repeat(600));
        assert!(parse(&ors).unwrap_err().contains("operators"));
        assert!(parse(&"x".repeat(MAX_LEN + 1))
            .unwrap_err()
            .contains("long"));
        assert!(parse("sum by (job) (rate(x_total{a=\"((((\"}[5m])) > 1").is_ok());
    }
}
