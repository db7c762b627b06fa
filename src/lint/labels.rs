//! What the lint knows of the labels an expression's series carry: the
//! catalog's labels, the ones scraping adds, and how each PromQL operation
//! keeps, adds or drops them. Label checks (matching, grouping, templates,
//! legends) read this instead of guessing from the text.

use std::collections::{BTreeMap, BTreeSet};

/// The labels of the series an expression yields (never `__name__`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabelSet {
    /// Labels every series carries.
    pub always: BTreeSet<String>,
    /// Labels some series may carry (target labels of some jobs, discovery).
    pub maybe: BTreeSet<String>,
    /// Series may carry labels nobody declared (unknown metric, `labelmap`):
    /// no check may conclude that a label is absent.
    pub open: bool,
    /// Labels pinned to one value by an equality matcher, still present.
    pub fixed: BTreeMap<String, String>,
    /// The metric whose series flow through unchanged in identity (rates,
    /// `*_over_time`, aggregation): what a ratio's two sides are compared by.
    pub metric: Option<String>,
    /// A scalar or a string: no labels at all, matches anything.
    pub scalar: bool,
}

impl LabelSet {
    pub fn scalar() -> LabelSet {
        LabelSet {
            scalar: true,
            ..LabelSet::default()
        }
    }

    pub fn open() -> LabelSet {
        LabelSet {
            open: true,
            ..LabelSet::default()
        }
    }

    /// True when no series can carry `label`.
    pub fn never(&self, label: &str) -> bool {
        !self.open && !self.always.contains(label) && !self.maybe.contains(label)
    }

    /// Every label a series may carry, for did-you-mean and messages.
    pub fn known(&self) -> impl Iterator<Item = &String> {
        self.always.iter().chain(self.maybe.iter())
    }

    /// Keeps only `labels` (aggregation `by`, one-to-one `on`); a listed label
    /// the series never carry is simply absent from the result.
    pub fn keep(&mut self, labels: &[String]) {
        let wanted: BTreeSet<&String> = labels.iter().collect();
        let maybe_open: Vec<String> = if self.open {
            labels
                .iter()
                .filter(|l| !self.always.contains(*l))
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        self.always.retain(|l| wanted.contains(l));
        self.maybe.retain(|l| wanted.contains(l));
        self.maybe.extend(maybe_open);
        self.fixed.retain(|l, _| wanted.contains(l));
        self.open = false;
    }

    /// Drops `labels` (aggregation `without`, one-to-one `ignoring`).
    pub fn drop(&mut self, labels: &[String]) {
        for l in labels {
            self.always.remove(l);
            self.maybe.remove(l);
            self.fixed.remove(l);
        }
    }

    /// Adds a label every series now carries (`label_replace`, `count_values`).
    pub fn add(&mut self, label: &str) {
        self.maybe.remove(label);
        self.fixed.remove(label);
        self.always.insert(label.to_string());
    }

    /// Labels in one of two alternatives (`or`): only what both always carry
    /// is always there.
    pub fn union(mut self, other: LabelSet) -> LabelSet {
        if self.scalar {
            return other;
        }
        if other.scalar {
            return self;
        }
        let always: BTreeSet<String> = self.always.intersection(&other.always).cloned().collect();
        self.maybe.extend(other.maybe);
        self.maybe
            .extend(self.always.symmetric_difference(&other.always).cloned());
        self.maybe.retain(|l| !always.contains(l));
        self.fixed.retain(|k, v| other.fixed.get(k) == Some(v));
        LabelSet {
            always,
            maybe: self.maybe,
            open: self.open || other.open,
            fixed: self.fixed,
            metric: self.metric.filter(|m| other.metric.as_ref() == Some(m)),
            scalar: false,
        }
    }

    /// Names the series for messages: the metric where one is known.
    pub fn describe(&self) -> String {
        match &self.metric {
            Some(m) => format!("`{m}`"),
            None => "its series".to_string(),
        }
    }
}

/// Labels as a PromQL list, for messages: `(instance, job)`.
pub fn list<'a>(labels: impl IntoIterator<Item = &'a String>) -> String {
    let v: Vec<&str> = labels.into_iter().map(String::as_str).collect();
    format!("({})", v.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(always: &[&str], maybe: &[&str]) -> LabelSet {
        LabelSet {
            always: always.iter().map(|s| s.to_string()).collect(),
            maybe: maybe.iter().map(|s| s.to_string()).collect(),
            ..LabelSet::default()
        }
    }

    #[test]
    fn keep_and_drop_follow_by_and_without() {
        let mut s = set(&["job", "instance", "status"], &["pod"]);
        s.keep(&["instance".into(), "pod".into(), "model".into()]);
        assert_eq!(s, set(&["instance"], &["pod"]));
        let mut s = set(&["job", "instance"], &[]);
        s.drop(&["job".into()]);
        assert_eq!(s, set(&["instance"], &[]));
    }

    #[test]
    fn union_keeps_what_both_always_carry() {
        let u = set(&["job", "model"], &[]).union(set(&["job", "device"], &[]));
        assert_eq!(u, set(&["job"], &["device", "model"]));
    }
}
