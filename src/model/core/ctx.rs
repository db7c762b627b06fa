//! The context every resolver writes its findings to, with the checks they share.

use super::names::{charset, is_label_name, Charset, MAX_LABEL_VALUE};
use super::{Allow, Allowance, Duration, LabelMap};
use crate::diagnostics::Finding;
use crate::spec::{Labels, SpecCode, Str};
use std::collections::{BTreeMap, HashMap};

/// The spec's rule expressions parsed ahead (`parse.rs`), by the byte offset
/// of each in the spec.
pub type Parsed = HashMap<usize, Result<promql_parser::parser::Expr, String>>;

/// Collects findings while the model is built; every check goes through here.
pub struct Ctx {
    pub findings: Vec<Finding>,
    /// The rules' expressions, parsed ahead (`parse.rs`); taken as used.
    pub parsed: Parsed,
}

impl Ctx {
    pub fn push(&mut self, f: Finding) {
        self.findings.push(f);
    }

    /// A duration that must be positive; `None` when absent or invalid.
    pub fn duration(&mut self, value: Option<&Str>, what: &str) -> Option<Duration> {
        let v = value?;
        match Duration::parse(v.get_ref()) {
            Ok(d) if d.0 > 0 => Some(d),
            Ok(_) => {
                self.push(
                    Finding::new(
                        SpecCode::BadDuration,
                        format!("{what} must be longer than 0"),
                    )
                    .at(v.span())
                    .help("use a positive duration such as `15s`, `5m` or `1h`"),
                );
                None
            }
            Err(e) => {
                self.push(
                    Finding::new(SpecCode::BadDuration, format!("{what}: {e}"))
                        .at(v.span())
                        .label("not a Prometheus duration")
                        .help(
                            "write a number and a unit, largest first: `30s`, `5m`, `1h30m`, `30d`",
                        ),
                );
                None
            }
        }
    }

    /// Checks a user label map: valid names, no reserved `__` prefix, values
    /// on one line.
    pub fn labels(&mut self, labels: &Labels, what: &str) -> LabelMap {
        self.checked_map(labels, what, false)
    }

    /// Checks annotations: label names, values of any length and lines.
    pub fn annotations(&mut self, labels: &Labels) -> LabelMap {
        self.checked_map(labels, "annotation", true)
    }

    fn checked_map(&mut self, labels: &Labels, what: &str, text: bool) -> LabelMap {
        let mut out = LabelMap::new();
        for (k, v) in labels {
            self.label_name(k, what);
            self.label_value(v, what, text);
            out.insert(k.get_ref().clone(), v.get_ref().clone());
        }
        out
    }

    /// A label value (or with `text`, an annotation) no receiver, page or
    /// log line garbles: no control character (an annotation may break
    /// lines and indent with tabs), and a label at most [`MAX_LABEL_VALUE`]
    /// bytes.
    pub fn label_value(&mut self, v: &Str, what: &str, text: bool) -> bool {
        let value = v.get_ref();
        let control = value
            .chars()
            .find(|c| c.is_control() && !(text && matches!(c, '\n' | '\t')));
        let why = match control {
            Some(c) => format!("holds the control character {:?}", c),
            None if !text && value.len() > MAX_LABEL_VALUE => {
                format!("is {} bytes long", value.len())
            }
            None => return true,
        };
        self.push(
            Finding::new(SpecCode::BadLabelValue, format!("{what} value {why}"))
                .at(v.span())
                .help(format!("write the value as plain text on one line, at most {MAX_LABEL_VALUE} bytes; a multi-line text belongs in an annotation")),
        );
        false
    }

    /// The labels of a series (a test's expected alert): UTF-8 names are
    /// taken, as in the catalog ([`Ctx::series_label`]).
    pub fn series_labels(&mut self, labels: &Labels, what: &str) -> LabelMap {
        let mut out = LabelMap::new();
        for (k, v) in labels {
            self.series_label(k, what);
            out.insert(k.get_ref().clone(), v.get_ref().clone());
        }
        out
    }

    /// Silenced lint codes; the lint checks that each code exists and is used.
    pub fn allow(&mut self, allow: &Labels) -> Allow {
        let mut out = Allow::new();
        for (code, reason) in allow {
            if reason.get_ref().trim().is_empty() {
                self.push(
                    Finding::new(
                        SpecCode::EmptyReason,
                        format!("`{}` is silenced without a reason", code.get_ref()),
                    )
                    .at(reason.span())
                    .help("say why the finding does not apply here, so that the next reader knows"),
                );
            }
            out.insert(
                code.get_ref().clone(),
                Allowance {
                    reason: reason.get_ref().clone(),
                    span: Some(code.span()),
                },
            );
        }
        out
    }

    /// Where each label or annotation was written.
    pub fn places(labels: &Labels) -> BTreeMap<String, std::ops::Range<usize>> {
        labels
            .iter()
            .map(|(k, v)| (k.get_ref().clone(), v.span()))
            .collect()
    }

    /// Checks only the syntax: relabel rules may name internal `__` labels.
    pub fn label_syntax(&mut self, name: &Str, what: &str) -> bool {
        let n = name.get_ref();
        if is_label_name(n) {
            return true;
        }
        self.push(
            Finding::new(
                SpecCode::BadLabelName,
                format!("`{n}` is not a valid label name ({what})"),
            )
            .at(name.span())
            .help("label names start with a letter or `_` and hold only letters, digits and `_`"),
        );
        false
    }

    /// A label the user sets: valid syntax and not reserved for Prometheus.
    pub fn label_name(&mut self, name: &Str, what: &str) -> bool {
        self.label_syntax(name, what) && self.unreserved(name, what)
    }

    /// A label of series only Prometheus reads (a catalog metric's, a test's
    /// expected alert's): Prometheus 3 takes UTF-8 names there, which are
    /// quoted in PromQL. Other labels reach Alertmanager, Loki or Grafana
    /// too, so they keep the legacy charset ([`Ctx::label_name`]).
    pub fn series_label(&mut self, name: &Str, what: &str) -> Option<Charset> {
        match charset(name.get_ref(), false) {
            Ok(c) => self.unreserved(name, what).then_some(c),
            Err(why) => {
                self.push(
                    Finding::new(SpecCode::BadLabelName, format!("`{}` cannot name a label ({what}): {why}", name.get_ref()))
                        .at(name.span())
                        .help("Prometheus 3 takes any other UTF-8 name; see docs/spec.md#utf-8-metric-and-label-names"),
                );
                None
            }
        }
    }

    /// A `[[metric]]` or `[[record]]` name (`what`): legacy, or UTF-8 with a
    /// warning that only Prometheus 3 reads it; `false`, reported, if unusable.
    pub fn metric_name(&mut self, name: &Str, what: &str) -> bool {
        match charset(name.get_ref(), true) {
            Ok(Charset::Legacy) => true,
            Ok(Charset::Utf8) => {
                self.utf8_warning(name, what);
                true
            }
            Err(why) => {
                self.push(
                    Finding::new(SpecCode::BadMetricName, format!("`{}` is not a valid {what} name: {why}", name.get_ref()))
                        .at(name.span())
                        .help("write letters, digits, `_` and `:` (not starting with a digit), or any other UTF-8 for Prometheus 3: docs/spec.md#utf-8-metric-and-label-names"),
                );
                false
            }
        }
    }

    /// A name only Prometheus 3 reads: said once, where it is defined.
    pub fn utf8_warning(&mut self, name: &Str, what: &str) {
        self.push(
            Finding::new(SpecCode::Utf8Name, format!("{what} `{}` is outside the legacy charset `[a-zA-Z_:][a-zA-Z0-9_:]*`", name.get_ref()))
                .at(name.span())
                .help("lloom-monctl quotes it in PromQL (`{\"a.b\"}`), which Prometheus 3 reads; Prometheus 2 and Debian's promtool 2.42 reject it. The compose stack runs Prometheus 3; a manual install needs 3.0 or later"),
        );
    }

    /// Not `__`-prefixed, which Prometheus reserves.
    fn unreserved(&mut self, name: &Str, what: &str) -> bool {
        let n = name.get_ref();
        if !n.starts_with("__") {
            return true;
        }
        self.push(
            Finding::new(SpecCode::ReservedLabel, format!("label `{n}` is reserved for Prometheus ({what})"))
                .at(name.span())
                .help("names starting with `__` are internal to Prometheus; choose a name without the prefix"),
        );
        false
    }
}
