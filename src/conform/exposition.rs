//! The Prometheus text exposition format 0.0.4, and as much of OpenMetrics
//! 1.0 as a node may answer with (`# EOF`, `# UNIT`, counters typed by their
//! base name, `_created` series, exemplars).
//!
//! Hand-written rather than a crate: the format is small, and `conform` needs
//! the byte range of every name so that its findings point into the text.
//! A line that does not parse becomes a `conform/bad-exposition` finding and
//! parsing goes on, so that one stray line does not hide the rest.

mod line;
#[cfg(test)]
mod tests;

use super::ConformCode;
use crate::catalog::MetricType;
use crate::diagnostics::Finding;
use line::Line;
use std::collections::HashMap;
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
/// samples without either, all samples of one name.
#[derive(Debug, Clone)]
pub struct Family {
    /// The name in `# TYPE`/`# HELP`, else the samples' name.
    pub name: String,
    /// Where the name first appears.
    pub name_span: Range<usize>,
    pub declared: Option<Declared>,
    pub help: Option<String>,
    pub samples: Vec<Sample>,
}

impl Family {
    /// The name PromQL selects this family by, as the catalog spells it: an
    /// OpenMetrics counter typed as `x` has the samples `x_total`.
    pub fn query_name(&self) -> String {
        let total = format!("{}_total", self.name);
        let om_counter = self.type_() == Some(ExposedType::Counter)
            && !self.name.ends_with("_total")
            && self.samples.iter().any(|s| s.name == total);
        if om_counter {
            total
        } else {
            self.name.clone()
        }
    }

    pub fn type_(&self) -> Option<ExposedType> {
        self.declared.as_ref().map(|d| d.type_)
    }
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
    let mut families = Families::default();
    let mut offset = 0;
    let mut after_eof = false;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let untrimmed = raw.trim_end_matches(['\n', '\r']);
        let content = untrimmed.trim_matches([' ', '\t']);
        let content_start =
            start + (untrimmed.len() - untrimmed.trim_start_matches([' ', '\t']).len());
        if after_eof {
            if !content.is_empty() {
                families.problems.push(problem(
                    content_start..content_start + content.len(),
                    "text after `# EOF`, which must be the last line".to_string(),
                ));
                break;
            }
            continue;
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
                families
                    .problems
                    .push(bad_line(e.at, content_start + content.len(), &e.message))
            }
        }
    }
    Exposition {
        families: families.list,
        problems: families.problems,
    }
}

fn bad_line(at: usize, line_end: usize, message: &str) -> Finding {
    problem(
        at..line_end.max(at + 1),
        format!("this line does not parse: {message}"),
    )
}

fn problem(span: Range<usize>, message: String) -> Finding {
    Finding::new(ConformCode::BadExposition, message)
        .at(span)
        .help("Prometheus rejects the whole scrape when one line is malformed; the format is at https://prometheus.io/docs/instrumenting/exposition_formats/")
}

/// Families as they are built, line by line.
#[derive(Default)]
struct Families {
    list: Vec<Family>,
    by_name: HashMap<String, usize>,
    problems: Vec<Finding>,
}

impl Families {
    fn get_or_insert(&mut self, name: &str, name_span: &Range<usize>) -> &mut Family {
        let index = match self.by_name.get(name) {
            Some(&i) => i,
            None => {
                self.list.push(Family {
                    name: name.to_string(),
                    name_span: name_span.clone(),
                    declared: None,
                    help: None,
                    samples: Vec::new(),
                });
                self.by_name.insert(name.to_string(), self.list.len() - 1);
                self.list.len() - 1
            }
        };
        &mut self.list[index]
    }

    fn help(&mut self, name: String, name_span: Range<usize>, text: String) {
        let family = self.get_or_insert(&name, &name_span);
        if family.help.is_some() {
            let message = format!("a second `# HELP` line for `{name}`");
            self.problems.push(problem(name_span, message));
            return;
        }
        family.help = Some(text);
    }

    fn declare(&mut self, name: String, name_span: Range<usize>, declared: Declared) {
        let family = self.get_or_insert(&name, &name_span);
        let problem_message = if family.declared.is_some() {
            Some(format!("a second `# TYPE` line for `{name}`"))
        } else if !family.samples.is_empty() {
            Some(format!(
                "the `# TYPE` line for `{name}` comes after its samples; it must come first"
            ))
        } else {
            None
        };
        if family.declared.is_none() {
            family.declared = Some(declared);
        }
        if let Some(message) = problem_message {
            self.problems.push(problem(name_span, message));
        }
    }

    /// Adds a sample to the family that owns its name: its own, or that of the
    /// histogram, summary or (OpenMetrics) counter its suffix belongs to.
    fn sample(&mut self, sample: Sample) {
        let owner = self.by_name.get(&sample.name).copied().or_else(|| {
            SUFFIXES.iter().find_map(|(suffix, owners)| {
                let base = sample.name.strip_suffix(suffix)?;
                let &i = self.by_name.get(base)?;
                let type_ = self.list[i].type_()?;
                owners.contains(&type_).then_some(i)
            })
        });
        match owner {
            Some(i) => self.list[i].samples.push(sample),
            None => {
                let name = sample.name.clone();
                let span = sample.name_span.clone();
                self.get_or_insert(&name, &span).samples.push(sample);
            }
        }
    }
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
