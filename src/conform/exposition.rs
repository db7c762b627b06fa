//! The Prometheus text exposition format 0.0.4, and as much of OpenMetrics
//! 1.0 as a node may answer with (`# EOF`, `# UNIT`, counters typed by their
//! base name, `_created` series, exemplars).
//!
//! Hand-written rather than a crate: the format is small, and `conform` needs
//! the byte range of every name so that its findings point into the text.
//! A line that does not parse becomes a `conform/bad-exposition` finding and
//! parsing goes on, so that one stray line does not hide the rest.
//!
//! The page streams through: a family keeps what the checks ask of its
//! samples (how many, which labels, the first place of each label and
//! value), never the samples, under a byte budget ([`families`]), so a page
//! of any size is read in bounded memory.

mod families;
mod line;
pub mod lines;
#[cfg(test)]
mod tests;

use super::ConformCode;
use crate::catalog::MetricType;
use crate::diagnostics::Finding;
use line::Line;
use std::collections::BTreeMap;
use std::io::{self, BufRead};
use std::ops::Range;

/// A parsed `/metrics` page: its metric families in the order they appear,
/// and the lines that could not be read.
#[derive(Debug, Default)]
pub struct Exposition {
    pub families: Vec<Family>,
    pub problems: Vec<Finding>,
}

/// The type a `# TYPE` line declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExposedType {
    Counter,
    Gauge,
    Histogram,
    Summary,
    /// `untyped` (0.0.4) or `unknown` (OpenMetrics).
    Untyped,
}

impl ExposedType {
    fn parse(word: &str) -> Option<Self> {
        match word {
            "counter" => Some(ExposedType::Counter),
            "gauge" => Some(ExposedType::Gauge),
            "histogram" => Some(ExposedType::Histogram),
            "summary" => Some(ExposedType::Summary),
            "untyped" | "unknown" => Some(ExposedType::Untyped),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ExposedType::Untyped => "untyped",
            typed => typed.metric_type().map_or("untyped", MetricType::as_str),
        }
    }

    /// The catalog's word for this type; `None` for untyped.
    pub fn metric_type(self) -> Option<MetricType> {
        match self {
            ExposedType::Counter => Some(MetricType::Counter),
            ExposedType::Gauge => Some(MetricType::Gauge),
            ExposedType::Histogram => Some(MetricType::Histogram),
            ExposedType::Summary => Some(MetricType::Summary),
            ExposedType::Untyped => None,
        }
    }
}

/// A `# TYPE` line: what it declares and where its type word is.
#[derive(Debug, Clone)]
pub struct Declared {
    pub type_: ExposedType,
    pub type_span: Range<usize>,
}

/// One metric family: the samples that a `# TYPE`/`# HELP` name owns, or, for
/// samples without either, all samples of one name; summarised.
#[derive(Debug, Clone, Default)]
pub struct Family {
    /// The name in `# TYPE`/`# HELP`, else the samples' name.
    pub name: String,
    /// Where the name first appears.
    pub name_span: Range<usize>,
    pub declared: Option<Declared>,
    pub help: Option<String>,
    /// How many samples it has.
    pub samples: u64,
    /// The name of its first sample.
    pub first_sample: Option<Range<usize>>,
    /// Whether a sample is named `<name>_total` (an OpenMetrics counter).
    pub total_sample: bool,
    /// The label names its samples carry, up to [`families::MAX_LABELS`].
    pub labels: BTreeMap<String, LabelUse>,
    /// Whether every label name was kept: false past the limit or budget.
    pub labels_complete: bool,
    /// Every sample, in tests only.
    #[cfg(test)]
    pub kept: Vec<Sample>,
}

impl Family {
    /// The name PromQL selects this family by, as the catalog spells it: an
    /// OpenMetrics counter typed as `x` has the samples `x_total`.
    pub fn query_name(&self) -> String {
        let om_counter = self.type_() == Some(ExposedType::Counter)
            && !self.name.ends_with("_total")
            && self.total_sample;
        if om_counter {
            format!("{}_total", self.name)
        } else {
            self.name.clone()
        }
    }

    pub fn type_(&self) -> Option<ExposedType> {
        self.declared.as_ref().map(|d| d.type_)
    }

    /// The first sample without label `name`, if any sample lacks it;
    /// `None` too where the label names were not all kept.
    pub fn first_lacking(&self, name: &str) -> Option<Range<usize>> {
        match self.labels.get(name) {
            Some(use_) => use_.first_lacking.clone(),
            None if self.labels_complete => self.first_sample.clone(),
            None => None,
        }
    }

    /// How many samples lack label `name` (0 where unknown).
    pub fn lacking(&self, name: &str) -> u64 {
        match self.labels.get(name) {
            Some(use_) => self.samples.saturating_sub(use_.carried),
            None if self.labels_complete => self.samples,
            None => 0,
        }
    }
}

/// The kind of series a sample is, for the labels it may carry (`le` on a
/// histogram's buckets, `quantile` on a summary's quantiles).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesKind {
    /// `_bucket`.
    Bucket,
    /// `_sum`, `_count`, `_created`.
    Aggregate,
    Other,
}

impl SeriesKind {
    pub const ALL: [SeriesKind; 3] = [SeriesKind::Bucket, SeriesKind::Aggregate, SeriesKind::Other];

    pub fn of(sample_name: &str) -> SeriesKind {
        if sample_name.ends_with("_bucket") {
            SeriesKind::Bucket
        } else if ["_sum", "_count", "_created"]
            .iter()
            .any(|s| sample_name.ends_with(s))
        {
            SeriesKind::Aggregate
        } else {
            SeriesKind::Other
        }
    }
}

/// One label name of a family: how its samples use it.
#[derive(Debug, Clone, Default)]
pub struct LabelUse {
    /// Samples that carry it.
    pub carried: u64,
    /// The name of the first sample without it.
    pub first_lacking: Option<Range<usize>>,
    /// Where it first appears on each [`SeriesKind`].
    pub first_on: [Option<Range<usize>>; 3],
    /// Each value, with where it first appears (quotes included), up to
    /// [`families::MAX_VALUES`].
    pub values: BTreeMap<String, Range<usize>>,
    /// Whether every value was kept.
    pub values_complete: bool,
    /// The index of the last sample that carried it.
    last_sample: u64,
}

/// One sample line.
#[derive(Debug, Clone)]
pub struct Sample {
    pub name: String,
    pub name_span: Range<usize>,
    /// The whole line, blanks around it left out.
    pub line_span: Range<usize>,
    pub labels: Vec<Label>,
    pub value: f64,
    /// As written: milliseconds in 0.0.4, seconds in OpenMetrics.
    pub timestamp: Option<f64>,
}

impl Sample {
    pub fn label(&self, name: &str) -> Option<&Label> {
        self.labels.iter().find(|l| l.name == name)
    }
}

#[derive(Debug, Clone)]
pub struct Label {
    pub name: String,
    pub name_span: Range<usize>,
    /// Unescaped.
    pub value: String,
    /// The quoted value, quotes included.
    pub value_span: Range<usize>,
}

/// Parses exposition text; never fails, see [`Exposition::problems`].
pub fn parse(text: &str) -> Exposition {
    // Reading from memory does not fail.
    read(text.as_bytes()).unwrap_or_default()
}

/// Parses a page as it streams in, in bounded memory; fails only when the
/// reader does.
pub fn read(reader: impl BufRead) -> io::Result<Exposition> {
    let mut families = families::Families::default();
    let mut lines = lines::Lines::new(reader);
    let mut after_eof = false;
    while let Some(raw) = lines.next_line()? {
        if raw.is_cut() {
            families.too_long(raw.start, raw.len);
            continue;
        }
        let Ok(text) = std::str::from_utf8(raw.bytes) else {
            let span = raw.start..raw.start + raw.len.max(1);
            families.problem(
                span,
                "the line is not UTF-8 text, which Prometheus requires".to_string(),
            );
            continue;
        };
        let untrimmed = text.trim_end_matches('\r');
        let content = untrimmed.trim_matches([' ', '\t']);
        let content_start =
            raw.start + (untrimmed.len() - untrimmed.trim_start_matches([' ', '\t']).len());
        if after_eof {
            if content.is_empty() {
                continue;
            }
            let span = content_start..content_start + content.len();
            families.problem(
                span,
                "text after `# EOF`, which must be the last line".to_string(),
            );
            break;
        }
        match line::parse(content, content_start) {
            Ok(Line::Ignored) => {}
            Ok(Line::Eof) => after_eof = true,
            Ok(Line::Help {
                name,
                name_span,
                text,
            }) => families.help(name, name_span, text),
            Ok(Line::Type {
                name,
                name_span,
                type_,
                type_span,
            }) => families.declare(name, name_span, Declared { type_, type_span }),
            Ok(Line::Sample(sample)) => families.sample(sample),
            Err(e) => {
                let end = content_start + content.len();
                families.problem(
                    e.at..end.max(e.at + 1),
                    format!("this line does not parse: {}", e.message),
                );
            }
        }
    }
    Ok(families.finish())
}

fn problem(span: Range<usize>, message: String) -> Finding {
    Finding::new(ConformCode::BadExposition, message)
        .at(span)
        .help("Prometheus rejects the whole scrape when one line is malformed; the format is at https://prometheus.io/docs/instrumenting/exposition_formats/")
}
