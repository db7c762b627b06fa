//! PromQL from the spec, parsed within limits: the parser recurses (a few
//! thousand nested calls overflow the stack) and slows down more than
//! linearly on long operator chains, and a spec comes from a pull request.
//! The limits are checked on the raw text first, far above any real rule.

use promql_parser::label::MatchOp;
use promql_parser::parser::Expr as Ast;
use promql_parser::util::{walk_expr, ExprVisitor};

/// Brackets of any kind inside each other, at most.
pub const MAX_DEPTH: usize = 64;
/// Binary operators and commas (arguments, matchers), at most.
pub const MAX_OPERATORS: usize = 500;
/// Bytes of one expression, at most.
pub const MAX_LEN: usize = 16 * 1024;

/// Parses a spec's expression, or says which limit it is past.
pub fn parse(text: &str) -> Result<Ast, String> {
    check_limits(text)?;
    check_numbers(text)?;
    let ast = promql_parser::parser::parse(text)?;
    let mut regexes = GoRegexes;
    walk_expr(&mut regexes, &ast)?;
    Ok(ast)
}

/// Refuses the first regex that Prometheus, which compiles regexes with Go
/// while it parses, would refuse: a matcher's (`=~`, `!~`) or
/// `label_replace`'s.
struct GoRegexes;

impl ExprVisitor for GoRegexes {
    type Error = String;

    fn pre_visit(&mut self, e: &Ast) -> Result<bool, String> {
        let selector = match e {
            Ast::VectorSelector(vs) => Some(vs),
            Ast::MatrixSelector(ms) => Some(&ms.vs),
            _ => None,
        };
        if let Some(vs) = selector {
            let ms = &vs.matchers;
            for m in ms.matchers.iter().chain(ms.or_matchers.iter().flatten()) {
                if matches!(m.op, MatchOp::Re(_) | MatchOp::NotRe(_)) {
                    go_regex(&m.value, &format!("of the matcher on `{}`", m.name))?;
                }
            }
        }
        if let Ast::Call(call) = e {
            if call.func.name == "label_replace" {
                if let Some(Ast::StringLiteral(s)) = call.args.args.get(4).map(|a| &**a) {
                    go_regex(&s.val, "of `label_replace`")?;
                }
            }
        }
        Ok(true)
    }
}

/// Prometheus anchors the regex as `^(?s:…)$` before compiling it.
fn go_regex(regex: &str, whose: &str) -> Result<(), String> {
    super::re2::check(&format!("^(?s:{regex})$"))
        .map_err(|e| format!("the regex `{regex}` {whose} {}", e.message))
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

/// Refuses a number Go cannot read as a float64: `1e309` is infinite to
/// Rust's parser but out of range to Prometheus's, and so is a hex number
/// past `i64::MAX`. Strings, comments and names are skipped.
pub fn check_numbers(text: &str) -> Result<(), String> {
    let bytes = text.as_bytes();
    let (mut i, mut quote) = (0, None);
    while i < bytes.len() {
        let c = bytes[i];
        match quote {
            Some(q) if c == b'\\' && q != b'`' => i += 1,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, b'"' | b'\'' | b'`') => quote = Some(c),
            None if c == b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            None if c.is_ascii_alphanumeric() || c == b'_' || c == b':' => {
                let start = i;
                let hex = c == b'0' && matches!(bytes.get(i + 1), Some(b'x' | b'X'));
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b':' | b'.'))
                {
                    let exponent = matches!(bytes[i], b'e' | b'E') && c.is_ascii_digit() && !hex;
                    i += 1;
                    if exponent && matches!(bytes.get(i), Some(b'+' | b'-')) {
                        i += 1;
                    }
                }
                let word = &text[start..i];
                if hex && word.ends_with(['e', 'E']) && matches!(bytes.get(i), Some(b'+' | b'-')) {
                    return Err(format!("Prometheus reads `{word}{}…` as one number with an exponent, which a hex number cannot have; put spaces around the operator", bytes[i] as char));
                }
                number_in_range(word)?;
                continue;
            }
            None => {}
        }
        i += 1;
    }
    Ok(())
}

/// A word that is a number must be one Go's `strconv` reads.
fn number_in_range(word: &str) -> Result<(), String> {
    if !word.starts_with(|c: char| c.is_ascii_digit()) {
        return Ok(());
    }
    let out_of_range =
        if let Some(hex) = word.strip_prefix("0x").or_else(|| word.strip_prefix("0X")) {
            !hex.is_empty()
                && hex.bytes().all(|b| b.is_ascii_hexdigit())
                && i64::from_str_radix(hex, 16).is_err()
        } else {
            word.parse::<f64>().is_ok_and(f64::is_infinite)
        };
    match out_of_range {
        true => Err(format!("the number `{word}` is out of range: Prometheus reads numbers as Go's float64 (at most about 1.8e308) and hex numbers up to 0x7fffffffffffffff")),
        false => Ok(()),
    }
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
    fn numbers_go_cannot_read_are_refused() {
        for bad in [
            "up > 1e309",
            "up > 1.5e+400",
            "up > 0x8000000000000000",
            "-1e309",
        ] {
            assert!(parse(bad).unwrap_err().contains("out of range"), "{bad}");
        }
        for bad in ["vector(0) > 0xe-1e309", "up > 0x1e+5"] {
            assert!(check_numbers(bad).unwrap_err().contains("spaces"), "{bad}");
        }
        for good in [
            "up > 1e308",
            "up > Inf",
            "up > 0x7fffffffffffffff",
            "rate(lloom_e1309_total[5m]) > 1",
            "up{job=\"1e309\"} # 1e309",
            "sum_over_time(up[1d]) > 5e-324",
            "up > 0x1e + 5",
            "up > 1e-5",
            "up > 0x",
        ] {
            assert!(check_numbers(good).is_ok(), "{good}");
        }
    }

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

    #[test]
    fn regexes_go_refuses_are_refused() {
        for e in [
            r#"up{job=~"a**"}"#,
            r#"up{job!~"a++"}"#,
            r#"rate(x_total{job=~"a{1001}"}[5m])"#,
            r#"label_replace(up, "x", "$1", "job", "(?u)x")"#,
            r#"up{job="a"} or up{instance=~"(?x) a"}"#,
        ] {
            let err = parse(e).unwrap_err();
            assert!(err.contains("the regex"), "{e}: {err}");
        }
        for e in [
            r#"up{job=~"(a*)*|a{1000}"}"#,
            r#"label_replace(up, "x", "$1", "job", "(?i)(\\pL+)")"#,
        ] {
            assert!(parse(e).is_ok(), "{e}: {:?}", parse(e).err());
        }
    }
}
