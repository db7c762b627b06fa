//! Every lint code, its severity and what it means: the table in docs/lint.md
//! is generated from this list, and the spec's `allow` entries are checked
//! against it.

use crate::diagnostics::code_table;

code_table! {
    /// The codes of the lint's findings.
    pub enum LintCode {
        UnknownMetric("lint/unknown-metric", Error, "a metric in neither the catalog nor a recording rule (with did-you-mean)"),
        UnknownLabel("lint/unknown-label", Error, "a matcher on a label the series never carry: it selects nothing"),
        UnknownLabelValue("lint/unknown-label-value", Error, "a matcher on a value the catalog rules out (`status=\"error\"`)"),
        NeedlessRegex("lint/needless-regex", Warning, "a regex matcher without a pattern (`job=~\"api\"`: use `=`), or with the anchors Prometheus adds itself (`=~\"^api$\"`)"),
        HistogramBase("lint/histogram-base", Error, "a histogram's base name, which no series has (`x` instead of `x_bucket`)"),
        RateOnGauge("lint/rate-on-gauge", Error, "`rate`/`irate`/`increase` of a gauge"),
        CounterWithoutRate("lint/counter-without-rate", Warning, "a counter read raw, or through a gauge function (`predict_linear`, `deriv`, `*_over_time`): it resets on restart"),
        QuantileNotBucket("lint/quantile-not-bucket", Error, "`histogram_quantile()` over something other than a histogram's `_bucket` (a summary's help says to select its quantile)"),
        QuantileWithoutLe("lint/quantile-without-le", Error, "`histogram_quantile()` over series whose `le` was aggregated away: always empty"),
        AggregatedQuantile("lint/aggregated-quantile", Error, "`sum`/`avg` over a summary's `quantile` series, which is no quantile of anything"),
        RangeTooShort("lint/range-too-short", Error, "a range holding fewer than two samples at the metric's scrape interval"),
        RangeBeyondRetention("lint/range-beyond-retention", Error, "a range or subquery longer than `stack.retention.time` (an SLO period too)"),
        BinaryNeverMatches("lint/binary-never-matches", Error, "a binary operation whose sides never match on labels (one side always has a label the other never has, or they pin it to different values): always empty"),
        RatioConstant("lint/ratio-constant", Error, "a ratio whose filter label is matched on, so each series is divided by itself: always 1"),
        GroupByMissingLabel("lint/group-by-missing-label", Error, "`by (x)` where the series never carry `x`"),
        AlertAlwaysFires("lint/alert-always-fires", Error, "an alert with no filtering comparison, `and`/`unless` or `absent`"),
        ForShorterThanInterval("lint/for-shorter-than-interval", Warning, "`for` shorter than the group's evaluation interval"),
        TemplateLabelMissing("lint/template-label-missing", Error, "an annotation or rule label showing `$labels.x` that the expression drops"),
        ValueNotHumanized("lint/value-not-humanized", Warning, "`{{ $value }}` of a rate, ratio or quantile printed raw"),
        LabelClashesExternal("lint/label-clashes-external", Error, "a rule label that is also an external label"),
        DuplicateRule("lint/duplicate-rule", Warning, "a rule with the same expression and labels as another"),
        LegendLabelMissing("lint/legend-label-missing", Error, "a Grafana legend showing a label the query never returns"),
        RouteLabelUnknown("lint/route-label-unknown", Warning, "an Alertmanager route or inhibition matcher on a label no alert carries, or a value none has: it routes nothing"),
        UnknownVariable("lint/unknown-variable", Error, "a panel query or legend using a Grafana `$variable` the dashboard does not define"),
        VariableLabelMissing("lint/variable-label-missing", Error, "a `label_values(<selector>, <label>)` variable on a label its series never carry: it stays empty"),
        RemovedPanelType("lint/removed-panel-type", Warning, "an Angular panel type Grafana 12 removed (`graph`, `singlestat`); the replacement is written"),
        UnknownAllow("lint/unknown-allow", Error, "`allow` naming a code that does not exist"),
        UnusedAllow("lint/unused-allow", Warning, "`allow` silencing a code that the rule does not trigger"),
    }
}
