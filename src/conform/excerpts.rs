//! The second pass over a page too large to hold: of the findings, those
//! that will be shown (the first [`MAX_PER_CODE`] of each code in text
//! order), and the lines they point at, read again from the page; the rest
//! are counted. Memory stays bounded by the shown lines, each at most
//! `lines::MAX_LINE` bytes.

use super::exposition::lines::Lines;
use crate::diagnostics::{Finding, MAX_PER_CODE};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufRead};
use std::ops::Range;

/// What is shown of a streamed page: its findings with spans into `text`,
/// which holds only the lines they point at.
pub struct Excerpts {
    pub findings: Vec<Finding>,
    pub text: String,
    /// The page's line number of each line of `text`.
    pub line_numbers: Vec<usize>,
    /// Findings of each code not shown.
    pub left_out: BTreeMap<&'static str, usize>,
    /// Errors and warnings, shown or not.
    pub totals: (usize, usize),
}

/// Keeps the findings that will be shown and reads their lines from `page`,
/// which must be the page the findings came from.
pub fn gather(findings: Vec<Finding>, page: impl BufRead) -> io::Result<Excerpts> {
    let errors = findings.iter().filter(|f| f.is_error()).count();
    let totals = (errors, findings.len() - errors);
    let (mut findings, left_out) = shown(findings);
    let starts: BTreeSet<usize> = findings
        .iter()
        .filter_map(|f| f.span.as_ref().map(|s| s.start))
        .collect();
    let mut text = String::new();
    let mut line_numbers = Vec::new();
    // Page offset of each kept line, its offset in `text`, its kept length.
    let mut kept: Vec<(usize, usize, usize)> = Vec::new();
    let mut lines = Lines::new(page);
    let mut number = 0;
    let mut wanted = starts.iter().peekable();
    while let (Some(&&next), Some(line)) = (wanted.peek(), lines.next_line()?) {
        number += 1;
        let end = line.start + line.len;
        if next > end {
            continue;
        }
        let shown = String::from_utf8_lossy(line.bytes);
        kept.push((line.start, text.len(), shown.len()));
        text.push_str(&shown);
        text.push('\n');
        line_numbers.push(number);
        while wanted.peek().is_some_and(|&&s| s <= end) {
            wanted.next();
        }
    }
    for f in &mut findings {
        f.span = f.span.take().map(|s| remap(&kept, s));
    }
    Ok(Excerpts {
        findings,
        text,
        line_numbers,
        left_out,
        totals,
    })
}

/// The first [`MAX_PER_CODE`] findings of each code in text order, and how
/// many of each were left out.
fn shown(mut findings: Vec<Finding>) -> (Vec<Finding>, BTreeMap<&'static str, usize>) {
    findings.sort_by_key(|f| (f.span.as_ref().map_or(0, |s| s.start), f.severity));
    let mut count: BTreeMap<&'static str, usize> = BTreeMap::new();
    findings.retain(|f| {
        let n = count.entry(f.code).or_default();
        *n += 1;
        *n <= MAX_PER_CODE
    });
    count.retain(|_, n| *n > MAX_PER_CODE);
    count.values_mut().for_each(|n| *n -= MAX_PER_CODE);
    (findings, count)
}

/// A page span as a span of the kept lines; inside its line's kept part.
fn remap(kept: &[(usize, usize, usize)], span: Range<usize>) -> Range<usize> {
    let i = kept.partition_point(|(start, _, _)| *start <= span.start);
    let Some(&(start, at, len)) = i.checked_sub(1).and_then(|i| kept.get(i)) else {
        return 0..0;
    };
    let map = |offset: usize| at + offset.saturating_sub(start).min(len);
    map(span.start)..map(span.end).max(map(span.start))
}
