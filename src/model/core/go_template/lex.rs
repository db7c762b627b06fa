//! Names, quoted text and numbers inside an action, as Go's lexer reads them.

use super::token::{err, is_alnum, is_space, Kind, SyntaxError};

/// The length of the name from `from` on, which must end at a terminator.
pub(super) fn word(rest: &str, from: usize, at: usize) -> Result<usize, SyntaxError> {
    let n = rest[from..]
        .find(|c| !is_alnum(c))
        .unwrap_or(rest.len() - from);
    let after = &rest[from + n..];
    let ends = after.is_empty()
        || after.starts_with(|c| is_space(c) || ".,|:()".contains(c))
        || after.starts_with("}}");
    match after.chars().next() {
        Some(c) if !ends => Err(err(at + from + n, format!("bad character {c:?}"))),
        _ => Ok(n),
    }
}

/// A quoted string or character constant, with its escapes checked.
pub(super) fn quoted(rest: &str, at: usize, q: char) -> Result<(Kind, usize), SyntaxError> {
    let what = if q == '"' {
        "quoted string"
    } else {
        "character constant"
    };
    let mut chars = rest.char_indices().skip(1);
    let mut count = 0;
    while let Some((i, c)) = chars.next() {
        match c {
            '\n' => break,
            '\\' => match chars.next() {
                Some((_, e)) if "abfnrtv\\'\"xuU01234567".contains(e) => {}
                _ => return Err(err(at + i, format!("bad escape in {what}"))),
            },
            c if c == q => {
                if q == '\'' && count != 1 {
                    return Err(err(
                        at,
                        format!("malformed character constant: {}", &rest[..=i]),
                    ));
                }
                let kind = if q == '"' { Kind::Str } else { Kind::CharConst };
                return Ok((kind, i + 1));
            }
            _ => {}
        }
        count += 1;
    }
    Err(err(at, format!("unterminated {what}")))
}

/// A number as Go's lexer scans it; Go's parser then wants digits in it.
pub(super) fn number(rest: &str, at: usize) -> Result<(Kind, usize), SyntaxError> {
    let b = rest.as_bytes();
    let mut n = usize::from(matches!(b[0], b'+' | b'-'));
    let mut digits: &[u8] = b"0123456789_";
    if b.get(n) == Some(&b'0') {
        let set: Option<&[u8]> = match b.get(n + 1).map(u8::to_ascii_lowercase) {
            Some(b'x') => Some(b"0123456789abcdefABCDEF_"),
            Some(b'o') => Some(b"01234567_"),
            Some(b'b') => Some(b"01_"),
            _ => None,
        };
        if let Some(set) = set {
            (n, digits) = (n + 2, set);
        }
    }
    let run = |n: &mut usize, set: &[u8]| {
        let from = *n;
        while b.get(*n).is_some_and(|c| set.contains(c)) {
            *n += 1;
        }
        *n > from
    };
    let mut ok = run(&mut n, digits);
    if b.get(n) == Some(&b'.') {
        n += 1;
        ok |= run(&mut n, digits);
    }
    let exp: &[u8] = match digits.len() {
        11 => b"eE",
        23 => b"pP",
        _ => b"",
    };
    if b.get(n).is_some_and(|c| exp.contains(c)) {
        n += 1;
        if b.get(n).is_some_and(|c| b"+-".contains(c)) {
            n += 1;
        }
        ok &= run(&mut n, b"0123456789_");
    }
    if b.get(n) == Some(&b'i') {
        n += 1;
    }
    if !ok || rest[n..].starts_with(is_alnum) {
        let end = n + rest[n..].find(|c| !is_alnum(c)).unwrap_or(rest.len() - n);
        return Err(err(at, format!("bad number syntax: {:?}", &rest[..end])));
    }
    Ok((Kind::Number, n))
}
