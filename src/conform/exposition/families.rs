//! Families as they are built, line by line, in bounded memory: each sample
//! is folded into its family's summary and dropped. What a page may make us
//! keep (families, label names, label values, findings) is charged to a byte
//! budget and capped; past a cap the page is still read to its end, and one
//! `conform/too-large` warning says which checks are incomplete from where.

use super::{problem, Declared, ExposedType, Exposition, Family, LabelUse, Sample, SeriesKind};
use crate::conform::ConformCode;
use crate::diagnostics::Finding;
use std::collections::HashMap;
use std::ops::Range;

/// Bytes of names, values and help texts kept for one page. A node
/// exporter's page keeps well under 1 MiB of it.
pub const BUDGET: usize = 16 * 1024 * 1024;
/// Label names kept per family.
pub const MAX_LABELS: usize = 256;
/// Distinct values kept per label name of a family.
pub const MAX_VALUES: usize = 1000;
/// `conform/bad-exposition` findings kept; the rest are counted.
pub const MAX_PROBLEMS: usize = 1000;
/// What keeping an entry costs besides its text: map nodes, spans.
const OVERHEAD: usize = 96;

#[derive(Default)]
pub(super) struct Families {
    list: Vec<Family>,
    by_name: HashMap<String, usize>,
    problems: Vec<Finding>,
    problems_left_out: usize,
    spent: usize,
    /// The first place each kind of cap was reached, and what it left out.
    limits: Vec<(Cap, Range<usize>, String)>,
}

impl Families {
    /// Charges `bytes` to the budget; false, and noted at `at`, when spent.
    fn charge(&mut self, bytes: usize, at: &Range<usize>) -> bool {
        if self.spent + bytes + OVERHEAD > BUDGET {
            let what = format!(
                "the page holds more names, values and help texts than the {} MiB conform keeps",
                BUDGET >> 20
            );
            self.limit(Cap::Budget, at, what);
            return false;
        }
        self.spent += bytes + OVERHEAD;
        true
    }

    /// Notes a cap reached at `at`, once per kind of cap.
    fn limit(&mut self, cap: Cap, at: &Range<usize>, what: String) {
        if !self.limits.iter().any(|(c, _, _)| *c == cap) {
            self.limits.push((cap, at.clone(), what));
        }
    }

    pub fn problem(&mut self, span: Range<usize>, message: String) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(problem(span, message));
        } else {
            self.problems_left_out += 1;
        }
    }

    /// A line over `lines::MAX_LINE`, skipped.
    pub fn too_long(&mut self, start: usize, len: usize) {
        let what = format!(
            "a line of {len} bytes, longer than the {} KiB conform reads, skipped (and any other such line)",
            super::lines::MAX_LINE >> 10
        );
        self.limit(Cap::Line, &(start..start + 1), what);
    }

    fn index(&mut self, name: &str, name_span: &Range<usize>) -> Option<usize> {
        if let Some(&i) = self.by_name.get(name) {
            return Some(i);
        }
        if !self.charge(2 * name.len(), name_span) {
            return None;
        }
        self.list.push(Family {
            name: name.to_string(),
            name_span: name_span.clone(),
            labels_complete: true,
            ..Family::default()
        });
        self.by_name.insert(name.to_string(), self.list.len() - 1);
        Some(self.list.len() - 1)
    }

    pub fn help(&mut self, name: String, name_span: Range<usize>, text: String) {
        let Some(i) = self.index(&name, &name_span) else {
            return;
        };
        if self.list[i].help.is_some() {
            let message = format!("a second `# HELP` line for `{name}`");
            self.problem(name_span, message);
        } else if self.charge(text.len(), &name_span) {
            self.list[i].help = Some(text);
        } else {
            self.list[i].help = Some(String::new());
        }
    }

    pub fn declare(&mut self, name: String, name_span: Range<usize>, declared: Declared) {
        let Some(i) = self.index(&name, &name_span) else {
            return;
        };
        let family = &mut self.list[i];
        let message = if family.declared.is_some() {
            Some(format!("a second `# TYPE` line for `{name}`"))
        } else if family.samples > 0 {
            Some(format!(
                "the `# TYPE` line for `{name}` comes after its samples; it must come first"
            ))
        } else {
            None
        };
        if family.declared.is_none() {
            family.declared = Some(declared);
        }
        if let Some(message) = message {
            self.problem(name_span, message);
        }
    }

    /// Folds a sample into the family that owns its name: its own, or that
    /// of the histogram, summary or (OpenMetrics) counter its suffix belongs to.
    pub fn sample(&mut self, sample: Sample) {
        let owner = self.by_name.get(&sample.name).copied().or_else(|| {
            SUFFIXES.iter().find_map(|(suffix, owners)| {
                let base = sample.name.strip_suffix(suffix)?;
                let &i = self.by_name.get(base)?;
                let type_ = self.list[i].type_()?;
                owners.contains(&type_).then_some(i)
            })
        });
        let Some(i) = owner.or_else(|| self.index(&sample.name, &sample.name_span)) else {
            return;
        };
        self.fold(i, sample);
    }

    fn fold(&mut self, i: usize, sample: Sample) {
        let family = &mut self.list[i];
        family.samples += 1;
        let n = family.samples;
        family.first_sample.get_or_insert(sample.name_span.clone());
        let total = sample.name.strip_suffix("_total");
        family.total_sample |= total == Some(family.name.as_str());
        let kind = SeriesKind::of(&sample.name);
        let mut carried = 0;
        for label in &sample.labels {
            if self.keep_label(i, &label.name, &label.name_span) {
                carried += 1;
                self.use_label(i, n, kind, label);
            }
        }
        let family = &mut self.list[i];
        if carried < family.labels.len() {
            for use_ in family.labels.values_mut().filter(|u| u.last_sample != n) {
                use_.first_lacking.get_or_insert(sample.name_span.clone());
            }
        }
        #[cfg(test)]
        family.kept.push(sample);
    }

    /// Whether family `i` keeps label `name`, adding it if there is room.
    fn keep_label(&mut self, i: usize, name: &str, at: &Range<usize>) -> bool {
        if self.list[i].labels.contains_key(name) {
            return true;
        }
        let room = self.list[i].labels.len() < MAX_LABELS;
        if !room {
            let what = format!("a family with more than {MAX_LABELS} label names");
            self.limit(Cap::Labels, at, what);
        }
        if !room || !self.charge(name.len(), at) {
            self.list[i].labels_complete = false;
            return false;
        }
        let family = &mut self.list[i];
        // Every sample before this one lacked it.
        let first_lacking = (family.samples > 1)
            .then(|| family.first_sample.clone())
            .flatten();
        family.labels.insert(
            name.to_string(),
            LabelUse {
                first_lacking,
                values_complete: true,
                ..LabelUse::default()
            },
        );
        true
    }

    fn use_label(&mut self, i: usize, n: u64, kind: SeriesKind, label: &super::Label) {
        let use_ = &self.list[i].labels[&label.name];
        let known = use_.values.contains_key(&label.value);
        let room = use_.values.len() < MAX_VALUES;
        let keep_value = !known && room && self.charge(label.value.len(), &label.value_span);
        if !known && !room {
            let what = format!("a label with more than {MAX_VALUES} distinct values in one family");
            self.limit(Cap::Values, &label.value_span, what);
        }
        let Some(use_) = self.list[i].labels.get_mut(&label.name) else {
            return;
        };
        use_.carried += 1;
        use_.last_sample = n;
        let slot = SeriesKind::ALL.iter().position(|k| *k == kind).unwrap_or(2);
        use_.first_on[slot].get_or_insert(label.name_span.clone());
        if keep_value {
            use_.values
                .insert(label.value.clone(), label.value_span.clone());
        } else if !known {
            use_.values_complete = false;
        }
    }

    pub fn finish(mut self) -> Exposition {
        if self.problems_left_out > 0 {
            let what = format!(
                "{} more line(s) that do not parse, past the first {MAX_PROBLEMS}",
                self.problems_left_out
            );
            let at = self
                .problems
                .last()
                .and_then(|f| f.span.clone())
                .unwrap_or(0..1);
            self.limits.push((Cap::Problems, at, what));
        }
        let mut problems = self.problems;
        problems.extend(
            self.limits
                .into_iter()
                .map(|(_, at, what)| too_large(at, &what)),
        );
        Exposition {
            families: self.list,
            problems,
        }
    }
}

/// The kinds of cap, each reported once.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cap {
    Budget,
    Line,
    Labels,
    Values,
    Problems,
}

fn too_large(at: Range<usize>, what: &str) -> Finding {
    Finding::new(
        ConformCode::TooLarge,
        format!("{what}: the checks after this point are incomplete"),
    )
    .at(at)
    .help("conform reads a page of any size in bounded memory and keeps a summary of each family; a real node's page is far below these limits, so this page is probably not what Prometheus should scrape")
}

/// Series suffixes and the family types that own them.
const SUFFIXES: &[(&str, &[ExposedType])] = &[
    ("_bucket", &[ExposedType::Histogram]),
    ("_sum", &[ExposedType::Histogram, ExposedType::Summary]),
    ("_count", &[ExposedType::Histogram, ExposedType::Summary]),
    ("_total", &[ExposedType::Counter]),
    (
        "_created",
        &[
            ExposedType::Counter,
            ExposedType::Histogram,
            ExposedType::Summary,
        ],
    ),
];
