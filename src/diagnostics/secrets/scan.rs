//! The byte ranges of a TOML-like text that hold the values of
//! secret-bearing keys. Lexical and forgiving: it must find them in broken
//! specs too (an unterminated string, a duplicate key, an unknown sibling),
//! since those are the specs whose errors are printed. Iterative, so that no
//! nesting depth overflows the stack.

use super::names::is_secret_key;
use super::path::looks_like_path;
use std::ops::Range;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Array,
    Table,
}

/// An open `[` or `{` of a value: where it starts, and for an inline table
/// whether a secret key is in it (then all of it is masked).
struct Frame {
    kind: Kind,
    start: usize,
    secret: bool,
}

struct Scanner<'a> {
    b: &'a [u8],
    pos: usize,
    stack: Vec<Frame>,
    /// The start of an open secret value, the depth of its key, and whether
    /// that is a `*_file` key (whose value is masked only if not a path).
    pending: Option<(usize, usize, bool)>,
    /// The current `[table]` header names a secret (`[x.webhook]`).
    header_secret: bool,
    out: Vec<Range<usize>>,
}

/// The ranges holding secret values, each run on to the end of its line so
/// that a trailing comment is masked too; unsorted, may overlap.
pub fn secret_ranges(text: &str) -> Vec<Range<usize>> {
    let mut s = Scanner {
        b: text.as_bytes(),
        pos: 0,
        stack: Vec::new(),
        pending: None,
        header_secret: false,
        out: Vec::new(),
    };
    s.run();
    s.out
}

impl Scanner<'_> {
    fn run(&mut self) {
        let mut want_key = true;
        while self.pos < self.b.len() {
            want_key = if want_key { self.key() } else { self.value() };
        }
        self.close_all(self.b.len());
    }

    fn eol(&self, from: usize) -> usize {
        self.b[from.min(self.b.len())..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(self.b.len(), |i| from + i)
    }

    fn add(&mut self, start: usize, end: usize) {
        let end = self.eol(end.min(self.b.len()));
        if start < end {
            self.out.push(start..end);
        }
    }

    /// A secret value, unless it is a `*_file` key's path.
    fn add_value(&mut self, start: usize, end: usize, file: bool) {
        if file && self.is_path(start, end) {
            return;
        }
        self.add(start, end);
    }

    /// The value in `start..end` is one string that is a path, with nothing
    /// but a comment after it.
    fn is_path(&self, start: usize, end: usize) -> bool {
        let lead = self.b[start..end]
            .iter()
            .take_while(|c| matches!(c, b' ' | b'\t'))
            .count();
        let at = start + lead;
        if !matches!(self.b.get(at), Some(b'"' | b'\'')) {
            return false;
        }
        let close = self.string_end(at);
        let rest = String::from_utf8_lossy(&self.b[close.min(end)..end]);
        let rest = rest.trim();
        let inner = &self.b[at + 1..close.saturating_sub(1).max(at + 1)];
        (rest.is_empty() || rest.starts_with('#'))
            && close <= end
            && self.b[close - 1] == self.b[at]
            && looks_like_path(&String::from_utf8_lossy(inner))
    }

    /// In key position; returns whether the next token is a key again.
    fn key(&mut self) -> bool {
        let in_table = matches!(self.stack.last(), Some(f) if f.kind == Kind::Table);
        while self.pos < self.b.len() {
            match self.b[self.pos] {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\n' if in_table || self.stack.is_empty() => self.pos += 1,
                _ => break,
            }
        }
        let Some(&c) = self.b.get(self.pos) else {
            return true;
        };
        match c {
            b'#' => self.pos = self.eol(self.pos),
            b'[' if self.stack.is_empty() => self.header(),
            b'}' | b']' | b',' => return false,
            _ => return self.key_text(),
        }
        true
    }

    /// `[a.b]` or `[[a.b]]`: keys below a secret-named header are secret.
    fn header(&mut self) {
        let end = self.eol(self.pos);
        let line = String::from_utf8_lossy(&self.b[self.pos..end]);
        self.header_secret = line
            .trim_matches(|c: char| c == '[' || c == ']' || c.is_whitespace())
            .split('.')
            .any(is_secret_key);
        self.pos = end;
    }

    /// A key up to `=`; a line that has none is skipped.
    fn key_text(&mut self) -> bool {
        let start = self.pos;
        while self.pos < self.b.len() {
            match self.b[self.pos] {
                b'=' => break,
                b'"' | b'\'' => self.pos = self.string_end(self.pos),
                b'\n' | b'#' | b'{' | b'}' | b'[' | b']' | b',' => break,
                _ => self.pos += 1,
            }
        }
        if self.b.get(self.pos) != Some(&b'=') {
            // Not a key: go on as if it were part of a value.
            return false;
        }
        let name = String::from_utf8_lossy(&self.b[start..self.pos]);
        self.pos += 1;
        while matches!(self.b.get(self.pos), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
        if self.header_secret || is_secret_key(&name) {
            let file = name.trim().trim_matches(['"', '\'']).ends_with("_file");
            if let Some(top) = self.stack.last_mut().filter(|_| !file) {
                top.secret |= top.kind == Kind::Table;
            }
            if self.pending.is_none() {
                self.pending = Some((self.pos, self.stack.len(), file));
            }
        }
        false
    }

    /// In value position; returns whether a key comes next.
    fn value(&mut self) -> bool {
        let c = self.b[self.pos];
        match c {
            b'"' | b'\'' => self.pos = self.string_end(self.pos),
            b'#' => self.pos = self.eol(self.pos),
            b'[' | b'{' => {
                let kind = if c == b'[' { Kind::Array } else { Kind::Table };
                self.stack.push(Frame {
                    kind,
                    start: self.pos,
                    secret: false,
                });
                self.pos += 1;
                return kind == Kind::Table;
            }
            b']' | b'}' => {
                self.pos += 1;
                self.pop(if c == b']' { Kind::Array } else { Kind::Table });
            }
            b',' => {
                self.end_pending(self.pos, self.stack.len());
                self.pos += 1;
                return matches!(self.stack.last(), Some(f) if f.kind == Kind::Table);
            }
            b'\n' => return self.newline(),
            _ => self.pos += 1,
        }
        false
    }

    fn pop(&mut self, kind: Kind) {
        if self.stack.last().is_some_and(|f| f.kind == kind) {
            let frame = self.stack.pop().expect("a frame");
            self.end_pending(self.pos - 1, self.stack.len() + 1);
            if frame.secret {
                self.add(frame.start, self.pos);
            }
        }
    }

    /// A line break in a value: the end of a top-level value, or, where the
    /// next line starts with `key =` or `[header]`, of a broken one.
    fn newline(&mut self) -> bool {
        self.pos += 1;
        if self.stack.is_empty() || self.next_line_is_key() {
            self.close_all(self.pos - 1);
            return true;
        }
        false
    }

    fn next_line_is_key(&self) -> bool {
        let rest = &self.b[self.pos..self.eol(self.pos)];
        let bare = rest
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'))
            .count();
        bare > 0
            && rest[bare..]
                .iter()
                .find(|c| !matches!(c, b' ' | b'\t'))
                .is_some_and(|c| *c == b'=')
    }

    /// Ends the open secret value if its key is at `depth` or deeper.
    fn end_pending(&mut self, at: usize, depth: usize) {
        if let Some((start, d, file)) = self.pending {
            if depth <= d {
                self.pending = None;
                self.add_value(start, at, file);
            }
        }
    }

    fn close_all(&mut self, at: usize) {
        if let Some((start, _, file)) = self.pending.take() {
            self.add_value(start, at, file);
        }
        while let Some(frame) = self.stack.pop() {
            if frame.secret {
                self.add(frame.start, at);
            }
        }
    }

    /// The end of the string starting at `at` (past its closing quote); an
    /// unterminated one ends at its line's end, or a multi-line one at the
    /// text's end.
    fn string_end(&self, at: usize) -> usize {
        let q = self.b[at];
        let triple = self.b[at..].starts_with(&[q, q, q]);
        let mut i = at + if triple { 3 } else { 1 };
        while i < self.b.len() {
            let c = self.b[i];
            if c == b'\\' && q == b'"' {
                i += 2;
                continue;
            }
            if c == b'\n' && !triple {
                return i;
            }
            if c == q && (!triple || self.b[i..].starts_with(&[q, q, q])) {
                return i + if triple { 3 } else { 1 };
            }
            i += 1;
        }
        self.b.len()
    }
}

#[cfg(test)]
mod tests {
    use super::secret_ranges;

    fn masked(text: &str) -> Vec<&str> {
        secret_ranges(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn values_of_secret_keys_in_every_form() {
        assert_eq!(
            masked("name = \"x\"\nauth_pasword = \"s3\" # c\n"),
            ["\"s3\" # c"]
        );
        assert_eq!(
            masked("api_key = [\"s3\",\n \"s4\"]\nb = 1\n"),
            ["[\"s3\",\n \"s4\"]"]
        );
        assert_eq!(masked("token = \"s3\nb = 1\n"), ["\"s3"]);
        assert_eq!(
            masked("r = [{ name = \"o\", api_url = \"s3\", x = 1 }]\n"),
            [
                "\"s3\", x = 1 }]",
                "{ name = \"o\", api_url = \"s3\", x = 1 }]"
            ]
        );
        assert_eq!(masked("[a.webhook]\nurl = \"s3\"\n"), ["\"s3\""]);
        assert_eq!(masked("password = '''a\nb'''\nc = 1\n"), ["'''a\nb'''"]);
        assert!(masked("name = \"token\"\nhosts = [\"a\"]\n").is_empty());
        assert!(masked("api_key_file = \"/run/secrets/k\" # c\n").is_empty());
        assert_eq!(masked("api_key_file = \"s3cr3t\"\n"), ["\"s3cr3t\""]);
    }

    #[test]
    fn a_broken_array_ends_at_the_next_key() {
        assert_eq!(masked("password = [\"s3\"\nname = 1\n"), ["[\"s3\""]);
    }
}
