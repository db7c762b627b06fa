//! What a finding shows of its text: a window of the line around the caret
//! (never the whole of a long line), secrets masked, and control and
//! bidirectional characters replaced so that a spec cannot restyle the
//! terminal or reorder what the reader sees.

use super::secrets::Secrets;
use std::ops::Range;

/// Characters shown before the caret, at most.
const BEFORE: usize = 40;
/// Characters shown of a line, at most.
const WIDTH: usize = 120;
/// Characters of a message, label or help, at most.
pub const MAX_MESSAGE: usize = 400;

/// A line as shown: its text and where the caret goes in it (in characters).
pub struct Shown {
    pub text: String,
    pub caret_col: usize,
    pub caret_width: usize,
}

/// The window of the line `line` (a byte range of `text`, without its break)
/// around `span`. Bytes of a secret, or of the span where `redact`, are `*`.
pub fn excerpt(
    text: &str,
    line: Range<usize>,
    span: Range<usize>,
    secrets: &Secrets,
    redact: bool,
) -> Shown {
    let at = span.start.clamp(line.start, line.end);
    let fits = text[line.clone()].chars().take(WIDTH + 1).count() <= WIDTH;
    let from = if fits {
        line.start
    } else {
        let lo = floor(text, at.saturating_sub(BEFORE * 4).max(line.start));
        let before: Vec<(usize, char)> = text[lo..at].char_indices().collect();
        let skip = before.len().saturating_sub(BEFORE);
        before.get(skip).map_or(at, |(i, _)| lo + i)
    };
    let hi = floor(text, (from + WIDTH * 4).min(line.end));
    let mut shown = String::new();
    let cut_front = from > line.start;
    if cut_front {
        shown.push('…');
    }
    let mut caret_col = usize::from(cut_front);
    let mut end = from;
    for (i, c) in text[from..hi].char_indices().take(WIDTH) {
        let offset = from + i;
        if offset < at {
            caret_col += 1;
        }
        let hidden = secrets.covers(offset) || (redact && span.contains(&offset));
        shown.push(if hidden { '*' } else { visible(c) });
        end = offset + c.len_utf8();
    }
    let cut_back = end < line.end;
    if cut_back {
        shown.push('…');
    }
    let span_end = span.end.min(end).max(at);
    let caret_width = text[at..floor(text, span_end)].chars().count().max(1);
    Shown {
        text: shown,
        caret_col,
        caret_width,
    }
}

/// A message, label or help as shown: secrets masked, odd characters
/// replaced, at most [`MAX_MESSAGE`] characters.
pub fn clean(s: &str, secrets: &Secrets) -> String {
    let mut cut: String = s.chars().take(MAX_MESSAGE).collect();
    if cut.len() < s.len() {
        cut.push('…');
    }
    secrets
        .mask_message(&cut)
        .chars()
        .map(|c| if c == '\n' { c } else { visible(c) })
        .collect()
}

/// A character as shown: a control or bidirectional-override character
/// becomes `�`, a tab a space.
fn visible(c: char) -> char {
    match c {
        '\t' => ' ',
        '\u{200E}'
        | '\u{200F}'
        | '\u{061C}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}' => '\u{FFFD}',
        c if c.is_control() => '\u{FFFD}',
        c => c,
    }
}

pub(super) fn floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_cut_around_the_caret() {
        let text = format!("x = \"{}BAD{}\"\n", "a".repeat(5000), "b".repeat(5000));
        let at = text.find("BAD").unwrap();
        let line = 0..text.len() - 1;
        let s = excerpt(&text, line, at..at + 3, &Secrets::default(), false);
        assert_eq!(s.text.chars().count(), WIDTH + 2);
        assert_eq!(s.caret_col, BEFORE + 1);
        assert_eq!(&s.text[s.text.find('B').unwrap()..][..3], "BAD");
        assert_eq!(s.caret_width, 3);
    }

    #[test]
    fn control_and_bidi_characters_are_replaced() {
        let secrets = Secrets::default();
        assert_eq!(
            clean("a\u{1b}[31mb\u{202e}c", &secrets),
            "a\u{FFFD}[31mb\u{FFFD}c"
        );
    }
}
