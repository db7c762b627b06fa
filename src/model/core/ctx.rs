//! The context every resolver writes its findings to, with the checks they share.

use super::names::is_label_name;
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

    /// Checks a user label map: valid names, no reserved `__` prefix.
    pub fn labels(&mut self, labels: &Labels, what: &str) -> LabelMap {
        let mut out = LabelMap::new();
        for (k, v) in labels {
            self.label_name(k, what);
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
        let n = name.get_ref();
        if !self.label_syntax(name, what) {
            false
        } else if n.starts_with("__") {
            self.push(
                Finding::new(SpecCode::ReservedLabel, format!("label `{n}` is reserved for Prometheus ({what})"))
                    .at(name.span())
                    .help("names starting with `__` are internal to Prometheus; choose a name without the prefix"),
            );
            false
        } else {
            true
        }
    }
}
