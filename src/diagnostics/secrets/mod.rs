//! Secrets in a text that findings point into, found once per text and
//! masked wherever a finding would show them: in the source excerpt, and in
//! its message, label and help (which may repeat a value), in text and JSON.
//!
//! What counts as a secret: the value of any key whose name holds a secret
//! word or a misspelling of one ([`names`]), the whole inline table around
//! such a key, URL userinfo, and credential-like query parameters. Masking too
//! much is harmless; showing a token in a CI log is not.

mod names;
mod path;
mod scan;

pub use names::is_secret_key;
pub use path::looks_like_path;
use regex::Regex;
use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;
use std::sync::OnceLock;

/// Bytes of a secret looked up at a time.
const WINDOW: usize = 6;
/// A run of a message this long that repeats a secret is masked: shorter
/// runs are words that a URL and a help text share (`service`).
const MIN_RUN: usize = 10;
/// Secrets shorter than this are masked in excerpts only (a message naming
/// `ab` is not worth masking); up to `MIN_RUN` they are sought whole.
const SHORTEST: usize = 3;
/// At most this many windows are remembered; a text with more secret bytes
/// is hostile, and its findings' messages are withheld instead.
const MAX_WINDOWS: usize = 1 << 18;

/// The secrets of one text.
#[derive(Debug, Default)]
pub struct Secrets {
    /// Sorted, not overlapping.
    ranges: Vec<Range<usize>>,
    /// Hashes of every `WINDOW`-byte run of a secret value.
    windows: HashSet<u64>,
    /// Secret values shorter than `MIN_RUN`.
    short: Vec<String>,
    /// Too much secret text to check messages against: withhold them.
    withhold: bool,
}

impl Secrets {
    pub fn find(text: &str) -> Secrets {
        let mut ranges = scan::secret_ranges(text);
        ranges.extend(url_secrets(text));
        ranges.sort_by_key(|r| (r.start, r.end));
        let mut merged: Vec<Range<usize>> = Vec::new();
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        let mut secrets = Secrets {
            ranges: merged,
            ..Secrets::default()
        };
        for r in secrets.ranges.clone() {
            for value in values(&text[r]) {
                secrets.remember(&value);
            }
        }
        secrets
    }

    fn remember(&mut self, value: &str) {
        let value = value.trim();
        if value.len() < SHORTEST {
            return;
        }
        if value.len() < MIN_RUN {
            if self.short.len() >= MAX_WINDOWS >> 6 {
                self.withhold = true;
            }
            self.short.push(value.to_string());
            return;
        }
        for w in value.as_bytes().windows(WINDOW) {
            if self.windows.len() >= MAX_WINDOWS {
                self.withhold = true;
                return;
            }
            self.windows.insert(hash(w));
        }
    }

    /// Whether the byte at `offset` of the text is part of a secret.
    pub fn covers(&self, offset: usize) -> bool {
        let i = self.ranges.partition_point(|r| r.end <= offset);
        self.ranges.get(i).is_some_and(|r| r.start <= offset)
    }

    /// `msg` with every run that repeats a secret of the text masked.
    pub fn mask_message(&self, msg: &str) -> String {
        if self.withhold {
            return "(withheld: this text holds too many secrets to show messages about it)"
                .to_string();
        }
        if self.windows.is_empty() && self.short.is_empty() {
            return msg.to_string();
        }
        let b = msg.as_bytes();
        let mut hidden = vec![false; b.len()];
        let hits: Vec<bool> = b
            .windows(WINDOW)
            .map(|w| self.windows.contains(&hash(w)))
            .collect();
        let mut i = 0;
        while i < hits.len() {
            let run = hits[i..].iter().take_while(|h| **h).count();
            if run + WINDOW > MIN_RUN {
                hidden[i..i + run + WINDOW - 1].fill(true);
            }
            i += run.max(1);
        }
        for s in &self.short {
            for (i, _) in msg.match_indices(s.as_str()) {
                hidden[i..i + s.len()].fill(true);
            }
        }
        msg.char_indices()
            .map(|(i, c)| {
                if hidden[i..i + c.len_utf8()].contains(&true) {
                    '*'
                } else {
                    c
                }
            })
            .collect()
    }
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// What a message may repeat of a masked range: the contents of each
/// quoted string in it, unescaped, or, with no quotes, the text before a
/// comment (a trailing comment is masked in excerpts, not sought in messages).
fn values(raw: &str) -> Vec<String> {
    let mut quoted: Vec<String> = raw
        .split(['"', '\''])
        .skip(1)
        .step_by(2)
        .map(|part| part.replace("\\\"", "\"").replace("\\\\", "\\"))
        .collect();
    if quoted.is_empty() || raw.contains('\\') {
        // An escaped quote splits a string: take the text as written too.
        quoted.push(raw.split('#').next().unwrap_or(raw).to_string());
    }
    quoted
}

/// Whether a URL carries credentials: userinfo or a credential-like query
/// parameter.
pub fn url_has_credentials(url: &str) -> bool {
    !url_secrets(url).is_empty()
}

/// URL userinfo (`https://user:pass@host`) and the values of credential-like
/// query parameters (`?token=...`), anywhere in the text.
fn url_secrets(text: &str) -> Vec<Range<usize>> {
    static USERINFO: OnceLock<Regex> = OnceLock::new();
    static QUERY: OnceLock<Regex> = OnceLock::new();
    let userinfo = USERINFO.get_or_init(|| {
        Regex::new(r#"[A-Za-z][A-Za-z0-9+.-]*://([^\s/?#@"'<>\\]+)@"#).expect("regex")
    });
    let query = QUERY
        .get_or_init(|| Regex::new(r#"[?&;]([A-Za-z0-9_.~-]+)=([^&#\s"'<>\\]+)"#).expect("regex"));
    let mut out: Vec<Range<usize>> = userinfo
        .captures_iter(text)
        .filter_map(|c| c.get(1).map(|m| m.range()))
        .collect();
    out.extend(query.captures_iter(text).filter_map(|c| {
        let name = c.get(1)?.as_str();
        (is_secret_key(name) || matches!(name.to_ascii_lowercase().as_str(), "auth" | "code"))
            .then(|| c.get(2).map(|m| m.range()))
            .flatten()
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_messages() {
        let text = "url = \"https://bob:hunter2@x.org/a?token=abc123def&x=1\"\n";
        let s = Secrets::find(text);
        let shown: String = text
            .char_indices()
            .map(|(i, c)| if s.covers(i) { '*' } else { c })
            .collect();
        assert_eq!(
            shown,
            "url = \"https://***********@x.org/a?token=*********&x=1\"\n"
        );
        let m = s.mask_message("`https://bob:hunter2@x.org` is not allowed");
        assert!(!m.contains("hunter2"), "{m}");
    }

    #[test]
    fn a_message_repeating_a_secret_value_is_masked() {
        let s = Secrets::find("api_key = [\"PLANTED-s3cr3t\"]\n");
        let m = s.mask_message("`api_key` must be a string, not array `[\"PLANTED-s3cr3t\"]`");
        assert!(!m.contains("s3cr3t") && !m.contains("PLANTED"), "{m}");
        assert!(m.starts_with("`api_key` must be a string"), "{m}");
    }
}
