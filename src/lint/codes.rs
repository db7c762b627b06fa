//! Every lint code, its severity and what it means: the README's table and
//! the spec's `allow` entries are checked against this list.

use crate::diagnostics::Code;
use crate::diagnostics::Severity::{Error, Warning};

const fn code(
    code: &'static str,
    severity: crate::diagnostics::Severity,
    meaning: &'static str,
) -> Code {
    Code::new(code, severity, meaning)
}

pub const CODES: &[Code] = &[
    code(
        "lint/unknown-metric",
        Error,
        "a metric neither in the catalog nor recorded by a rule",
    ),
    code(
        "lint/unknown-label",
        Error,
        "a matcher on a label the series never carry: it selects nothing",
    ),
    code(
        "lint/unknown-label-value",
        Error,
        "a matcher on a value the catalog rules out",
    ),
    code(
        "lint/histogram-base",
        Error,
        "a histogram's base name, which no series has",
    ),
    code(
        "lint/rate-on-gauge",
        Error,
        "rate(), irate() or increase() on a gauge",
    ),
    code(
        "lint/counter-without-rate",
        Warning,
        "a counter's raw value, which resets on restart",
    ),
    code(
        "lint/quantile-not-bucket",
        Error,
        "histogram_quantile() over something other than a histogram's `_bucket`",
    ),
    code(
        "lint/quantile-without-le",
        Error,
        "histogram_quantile() over series without `le`: always empty",
    ),
    code(
        "lint/aggregated-quantile",
        Error,
        "sum() or avg() over a summary's quantiles",
    ),
    code(
        "lint/range-too-short",
        Error,
        "a range holding fewer than two samples",
    ),
    code(
        "lint/range-beyond-retention",
        Error,
        "a range longer than the retention",
    ),
    code(
        "lint/binary-never-matches",
        Error,
        "a binary operation whose sides never match on labels: always empty",
    ),
    code(
        "lint/ratio-constant",
        Error,
        "a ratio that divides each series by itself: always 1",
    ),
    code(
        "lint/group-by-missing-label",
        Error,
        "grouping by a label the series never carry",
    ),
    code(
        "lint/alert-always-fires",
        Error,
        "an alert without a comparison or filter",
    ),
    code(
        "lint/for-shorter-than-interval",
        Warning,
        "`for` shorter than the group's evaluation interval",
    ),
    code(
        "lint/template-label-missing",
        Error,
        "an annotation or label showing a label the series never carry",
    ),
    code(
        "lint/template-unknown-function",
        Error,
        "a template calling a function Prometheus does not define",
    ),
    code(
        "lint/value-not-humanized",
        Warning,
        "`$value` of a rate or ratio printed raw",
    ),
    code(
        "lint/label-clashes-external",
        Error,
        "a rule label that is also an external label",
    ),
    code(
        "lint/duplicate-rule",
        Warning,
        "a rule with the same expression and labels as another",
    ),
    code(
        "lint/legend-label-missing",
        Error,
        "a Grafana legend showing a label the query never returns",
    ),
    code(
        "lint/route-label-unknown",
        Warning,
        "a route or inhibition matcher on a label or value no alert carries",
    ),
    code(
        "lint/unknown-variable",
        Error,
        "a panel query or legend using a Grafana variable the dashboard does not define",
    ),
    code(
        "lint/variable-label-missing",
        Error,
        "a `label_values()` variable on a label its series never carry: it stays empty",
    ),
    code(
        "lint/removed-panel-type",
        Warning,
        "an Angular panel type that Grafana 12 removed (`graph`)",
    ),
    code(
        "lint/unknown-allow",
        Error,
        "`allow` names a code that does not exist",
    ),
    code(
        "lint/unused-allow",
        Warning,
        "`allow` silences a code that the rule does not trigger",
    ),
];

pub fn get(name: &str) -> Option<&'static Code> {
    CODES.iter().find(|c| c.code == name)
}
