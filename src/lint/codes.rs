//! Every lint code, its severity and what it means: the table in docs/lint.md
//! is generated from this list, and the spec's `allow` entries are checked
//! against it.

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
        "a metric in neither the catalog nor a recording rule (with did-you-mean)",
    ),
    code(
        "lint/unknown-label",
        Error,
        "a matcher on a label the series never carry: it selects nothing",
    ),
    code(
        "lint/unknown-label-value",
        Error,
        "a matcher on a value the catalog rules out (`status=\"error\"`)",
    ),
    code(
        "lint/histogram-base",
        Error,
        "a histogram's base name, which no series has (`x` instead of `x_bucket`)",
    ),
    code(
        "lint/rate-on-gauge",
        Error,
        "`rate`/`irate`/`increase` of a gauge",
    ),
    code(
        "lint/counter-without-rate",
        Warning,
        "a counter read raw, or through a gauge function (`predict_linear`, `deriv`, `*_over_time`): it resets on restart",
    ),
    code(
        "lint/quantile-not-bucket",
        Error,
        "`histogram_quantile()` over something other than a histogram's `_bucket` (a summary's help says to select its quantile)",
    ),
    code(
        "lint/quantile-without-le",
        Error,
        "`histogram_quantile()` over series whose `le` was aggregated away: always empty",
    ),
    code(
        "lint/aggregated-quantile",
        Error,
        "`sum`/`avg` over a summary's `quantile` series, which is no quantile of anything",
    ),
    code(
        "lint/range-too-short",
        Error,
        "a range holding fewer than two samples at the metric's scrape interval",
    ),
    code(
        "lint/range-beyond-retention",
        Error,
        "a range or subquery longer than `stack.retention.time` (an SLO period too)",
    ),
    code(
        "lint/binary-never-matches",
        Error,
        "a binary operation whose sides never match on labels (one side always has a label the other never has, or they pin it to different values): always empty",
    ),
    code(
        "lint/ratio-constant",
        Error,
        "a ratio whose filter label is matched on, so each series is divided by itself: always 1",
    ),
    code(
        "lint/group-by-missing-label",
        Error,
        "`by (x)` where the series never carry `x`",
    ),
    code(
        "lint/alert-always-fires",
        Error,
        "an alert with no filtering comparison, `and`/`unless` or `absent`",
    ),
    code(
        "lint/for-shorter-than-interval",
        Warning,
        "`for` shorter than the group's evaluation interval",
    ),
    code(
        "lint/template-label-missing",
        Error,
        "an annotation or rule label showing `$labels.x` that the expression drops",
    ),
    code(
        "lint/template-unknown-function",
        Error,
        "a template calling a function Prometheus does not define (`humanizePercent`)",
    ),
    code(
        "lint/value-not-humanized",
        Warning,
        "`{{ $value }}` of a rate, ratio or quantile printed raw",
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
        "an Alertmanager route or inhibition matcher on a label no alert carries, or a value none has: it routes nothing",
    ),
    code(
        "lint/unknown-variable",
        Error,
        "a panel query or legend using a Grafana `$variable` the dashboard does not define",
    ),
    code(
        "lint/variable-label-missing",
        Error,
        "a `label_values(<selector>, <label>)` variable on a label its series never carry: it stays empty",
    ),
    code(
        "lint/removed-panel-type",
        Warning,
        "an Angular panel type Grafana 12 removed (`graph`, `singlestat`); the replacement is written",
    ),
    code(
        "lint/unknown-allow",
        Error,
        "`allow` naming a code that does not exist",
    ),
    code(
        "lint/unused-allow",
        Warning,
        "`allow` silencing a code that the rule does not trigger",
    ),
];

pub fn get(name: &str) -> Option<&'static Code> {
    CODES.iter().find(|c| c.code == name)
}
