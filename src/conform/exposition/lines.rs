//! The lines of a page as they stream in, each cut at [`MAX_LINE`] bytes, so
//! that a page of any size, or one endless line, costs one bounded buffer.
//! Both passes of `conform` (the checks, then the excerpts of what is
//! shown) read a page through this, so their byte offsets agree.

use std::io::{self, BufRead};

/// The longest line read whole. Real lines are a few hundred bytes; the
/// rest of a longer one is skipped and reported (`conform/too-large`).
pub const MAX_LINE: usize = 64 * 1024;

/// One line, without its `\n`.
pub struct RawLine<'a> {
    /// Byte offset of the line in the page.
    pub start: usize,
    /// The first [`MAX_LINE`] bytes of the line.
    pub bytes: &'a [u8],
    /// The whole line's length, which is more than `bytes` when it was cut.
    pub len: usize,
}

impl RawLine<'_> {
    pub fn is_cut(&self) -> bool {
        self.len > self.bytes.len()
    }
}

/// Reads a page line by line.
pub struct Lines<R> {
    reader: R,
    offset: usize,
    buf: Vec<u8>,
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R) -> Self {
        Lines {
            reader,
            offset: 0,
            buf: Vec::new(),
        }
    }

    /// The next line; `None` at the end of the page.
    pub fn next_line(&mut self) -> io::Result<Option<RawLine<'_>>> {
        self.buf.clear();
        let start = self.offset;
        let mut len = 0;
        let mut ended = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(a) => a,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                break;
            }
            let newline = available.iter().position(|&b| b == b'\n');
            let take = newline.unwrap_or(available.len());
            let room = MAX_LINE - self.buf.len();
            self.buf.extend_from_slice(&available[..take.min(room)]);
            len += take;
            let used = take + usize::from(newline.is_some());
            self.reader.consume(used);
            self.offset += used;
            if newline.is_some() {
                ended = true;
                break;
            }
        }
        if !ended && len == 0 {
            return Ok(None);
        }
        Ok(Some(RawLine {
            start,
            bytes: &self.buf,
            len,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &[u8]) -> Vec<(usize, Vec<u8>, usize)> {
        let mut lines = Lines::new(io::BufReader::with_capacity(7, text));
        let mut out = Vec::new();
        while let Some(l) = lines.next_line().unwrap() {
            out.push((l.start, l.bytes.to_vec(), l.len));
        }
        out
    }

    #[test]
    fn offsets_count_every_byte_across_small_buffers() {
        let got = all(b"a 1\n\nbb 22\nlast");
        let want: Vec<(usize, Vec<u8>, usize)> = vec![
            (0, b"a 1".to_vec(), 3),
            (4, b"".to_vec(), 0),
            (5, b"bb 22".to_vec(), 5),
            (11, b"last".to_vec(), 4),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn a_long_line_is_cut_but_counted_whole() {
        let mut text = vec![b'x'; MAX_LINE * 3];
        text.extend_from_slice(b"\nnext 1\n");
        let got = all(&text);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].1.len(), MAX_LINE);
        assert_eq!(got[0].2, MAX_LINE * 3);
        assert_eq!(got[1].0, MAX_LINE * 3 + 1);
        assert_eq!(got[1].1, b"next 1");
    }
}
