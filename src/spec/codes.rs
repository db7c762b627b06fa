//! Every code of a finding about the spec, its severity and what it means to
//! the operator: the table in docs/spec.md is generated from this list. The
//! spec's structure (`spec/syntax` … `spec/invalid`) is checked while it is
//! read, everything else while the model is built from it. `internal/*`
//! codes are bugs of lloom-monctl, never of the spec.

use crate::diagnostics::code_table;

code_table! {
    /// The codes of findings about a spec.
    pub enum SpecCode {
        // Reading the TOML into the spec's structure.
        Syntax("spec/syntax", Error, "the file is not valid TOML"),
        UnknownKey("spec/unknown-key", Error, "a key the table does not take (with did-you-mean)"),
        MissingKey("spec/missing-key", Error, "a required key left out: of a table, of a relabel action (`target_label`, `source_labels`, `modulus`), a receiver's integration key, webhook URL or SMTP server, the root route's `receiver`"),
        WrongType("spec/wrong-type", Error, "a value of the wrong type (a quoted number, a string for a list), with how to write it"),
        UnknownValue("spec/unknown-value", Error, "a value outside the allowed ones (a kind, severity, scheme, metric type or role), with did-you-mean"),
        Invalid("spec/invalid", Error, "any other value or structure the spec's types reject"),

        // Values, names and references.
        BadDuration("spec/bad-duration", Error, "a duration that is not Prometheus syntax (`30s`, `1h30m`) or is not longer than 0"),
        BadSize("spec/bad-size", Error, "`stack.retention.size` that is not a whole number and a unit (`100GB`)"),
        BadUrl("spec/bad-url", Error, "`runbook_base_url`, a webhook, PagerDuty or Opsgenie URL that is not an http(s) URL with a host, or holds a control character or space"),
        BadPath("spec/bad-path", Error, "a `metrics_path` that does not start with `/`, holds a control character or is over 1024 bytes, a log path that is not absolute, or a rule file or file_sd pattern Prometheus does not take (`*` outside the last part, a file_sd name not ending in `.json`/`.yml`, a `[` not closed)"),
        BadRegex("spec/bad-regex", Error, "a relabel regex or `logs.regex` that Go's RE2 refuses (Prometheus, Promtail and Alloy are Go), Rust-only syntax included: `a**`, `a{1001}`, `(?u)`"),
        BadPromql("spec/bad-promql", Error, "an expression that does not parse as PromQL, yields a range vector where an instant vector or scalar is needed, or is past the limits (nested 64 deep, 500 operators and commas, 16 KiB), or holds a regex (`=~`, `!~`, `label_replace`) that Go's RE2 refuses"),
        BadTemplate("spec/bad-template", Error, "an alert annotation or label, or a receiver's notification field, that Go's `text/template` does not parse as Prometheus or Alertmanager would: an unclosed `{{`, a stray `}`, an `if`/`range`/`with` without its `end`, an `end` or `else` without one, an undefined `$variable`, a function its runner does not define (`humanizePercent`)"),
        BadLabelName("spec/bad-label-name", Error, "a label name that is not letters, digits and `_`, starting with a letter or `_` (a catalog metric's label may be UTF-8: docs/spec.md#utf-8-metric-and-label-names)"),
        BadLabelValue("spec/bad-label-value", Error, "a label value (the stack's name and region too) with a control character or over 1024 bytes, or an annotation with a control character other than a line break or tab"),
        ReservedLabel("spec/reserved-label", Error, "a label of the spec's own starting with `__`, which Prometheus reserves"),
        BadMetricName("spec/bad-metric-name", Error, "a `[[metric]]` or `[[record]]` name that is not a valid metric name, or a UTF-8 one lloom-monctl cannot write (docs/spec.md#utf-8-metric-and-label-names)"),
        Utf8Name("spec/utf8-name", Warning, "a `[[metric]]` or `[[record]]` name, or a metric's label, outside the legacy charset: it is quoted in PromQL and needs Prometheus 3; Prometheus 2 and Debian's promtool 2.42 reject it"),
        BadName("spec/bad-name", Error, "a job, alert, rule group or SLO name that cannot be used (it becomes a file name or label value)"),
        Empty("spec/empty", Error, "a value that must not be empty: `stack.name`, a file_sd job's `files`, `logs.paths`, `logs.job`, a `[[test]]`'s `name`, an email's `from`, `to` or `smarthost`, `deploy.monitoring_host`, any `*_file` (remove the key instead)"),
        Duplicate("spec/duplicate", Error, "a name defined twice (job, rule, receiver, SLO, metric, host inventory), a built-in's name reused, or one value set in two places"),
        Conflict("spec/conflict", Error, "two keys that exclude each other: `runbook` and `runbook_url`, or both PagerDuty key files"),
        EmptyReason("spec/empty-reason", Error, "an `allow` entry whose reason is empty"),

        // Scraping.
        BadTarget("spec/bad-target", Error, "a target, `smarthost` or `deploy.monitoring_host` that is not `host` or `host:port` (a control character, a blank, over 253 bytes), or has no port where one is needed"),
        PortConflict("spec/port-conflict", Error, "two scrape jobs on one host:port"),
        InstanceClash("spec/instance-clash", Error, "two targets of one job on one host with `instance_label = \"host\"`: their series would collide"),
        TimeoutTooLong("spec/timeout-too-long", Error, "a `scrape_timeout` longer than its scrape interval, which Prometheus refuses"),
        NoHosts("spec/no-hosts", Warning, "a role or the GPU exporter without hosts: nothing is scraped for it"),
        ConsulNoServices("spec/consul-no-services", Warning, "`[discovery.consul]` without `services`: every service in the Consul catalog is scraped"),

        // Rules, the pack and the catalog.
        UnknownAlert("spec/unknown-alert", Error, "`[pack.alert.X]` or a `[[test]]` naming an alert that does not exist (with did-you-mean)"),
        UnknownGroup("spec/unknown-group", Error, "`[rules.groups.<name>]` for a rule group that does not exist, or a `[logs]` entry naming no named group of `logs.regex` (with did-you-mean)"),
        BadThreshold("spec/bad-threshold", Error, "an alert threshold that is not finite or outside its metric's range, or a latency SLO threshold that is not a positive bucket bound"),

        // Dashboards.
        UnknownPanelType("spec/unknown-panel-type", Error, "a panel type Grafana does not have (with did-you-mean)"),
        BadVariable("spec/bad-variable", Error, "a dashboard variable whose query is not `label_values(<selector>, <label>)` or whose name cannot be used"),

        // Alertmanager.
        InlineSecret("spec/inline-secret", Error, "a password, key, token or webhook URL written into the spec instead of a `*_file` (the line is shown masked)"),
        SecretNotAPath("spec/secret-not-a-path", Error, "a `*_file` value that is not a path (no `/`, a URL, blanks, or long random text): probably the secret itself (shown masked)"),
        DeprecatedMatch("spec/deprecated-match", Error, "a route's `match`/`match_re`, which Alertmanager deprecates: the `matchers` to write instead are shown"),
        BadRoute("spec/bad-route", Error, "a root route with `matchers` or `continue`: it matches every alert"),
        UnknownReceiver("spec/unknown-receiver", Error, "a route naming a receiver that is not defined (with did-you-mean)"),
        UnknownTimeInterval("spec/unknown-time-interval", Error, "a route naming a time interval that is not defined (with did-you-mean)"),
        BadWeekday("spec/bad-weekday", Error, "a time interval's weekday that is not a weekday or a range of them"),
        UnknownTimeZone("spec/unknown-time-zone", Error, "a time interval's `location` that is not `Local`, `UTC` or a name of the tz database, which Alertmanager refuses (with did-you-mean)"),
        BadTimeRange("spec/bad-time-range", Error, "a time interval's time that is not `HH:MM-HH:MM` with the start first"),
        BadMatcher("spec/bad-matcher", Error, "a matcher that is not one `label=\"value\"` (or `!=`, `=~`, `!~`), in a route, an inhibition or a latency SLO, or whose regex Go's RE2 refuses"),

        // Service level objectives.
        BadObjective("spec/bad-objective", Error, "an SLO objective that is not a percentage between 0 and 100, exclusive"),
        BadMinRate("spec/bad-min-rate", Error, "an SLO `min_rate` that is not a positive number of events per second"),
        MinRateIgnored("spec/min-rate-ignored", Warning, "`min_rate` on an availability SLO, which counts targets: it has no effect"),
        BadWindow("spec/bad-window", Error, "an SLO alert window whose short window is not shorter than its long one, or whose budget share is not in (0, 100]"),
        SloPeriod("spec/slo-period", Error, "an SLO period not longer than one of its alert windows"),
        SloUnreachable("spec/slo-unreachable", Error, "an SLO alert tier that would fire only at an error ratio above 1: it can never fire"),
        SloKind("spec/slo-kind", Error, "an SLO without exactly one of `ratio`, `latency`, `availability`, or an availability SLO without `jobs`"),
        SloMetricType("spec/slo-metric-type", Error, "an SLO on a metric of the wrong type: a ratio needs counters, a latency a histogram"),
        SloUnknownMetric("spec/slo-unknown-metric", Error, "an SLO on a metric the catalog does not have (with did-you-mean)"),
        BadSloSelector("spec/bad-slo-selector", Error, "an SLO's `errors` or `total` that is not a plain series selector"),
        UnknownJob("spec/unknown-job", Error, "an availability SLO naming a scrape job that does not exist (with did-you-mean)"),

        // Logs.
        HighCardinalityLabel("spec/high-cardinality-label", Error, "a log label whose values are unbounded (an id, a message, a catch-all group): each value would be a Loki stream"),
        BadTimestampFormat("spec/bad-timestamp-format", Error, "a `logs.timestamp` format the agents do not know"),
        BadRetention("spec/bad-retention", Error, "a `logs.retention` that is not a whole number of days"),

        // Deployment and tracing.
        UnknownService("spec/unknown-service", Error, "a `[deploy] expose` entry that is not a service of the monitoring host (with did-you-mean)"),
        PushTargetNotExposed("spec/push-target-not-exposed", Warning, "logs or traces sent to a monitoring host whose receiving service is published on 127.0.0.1 only"),
        MixedAddressing("spec/mixed-addressing", Warning, "`[alerting] alertmanagers` and `[grafana]` disagree on compose service names versus `localhost`"),
        BadSamplingRate("spec/bad-sampling-rate", Error, "a `tracing.sampling_rate` outside 0 to 1"),

        // Hardware inventories, and the files a spec names.
        PathOutsideRoot("spec/path-outside-root", Error, "an inventory glob that is absolute, climbs out of the project root, or matches files that resolve (symlinks followed) outside it"),
        UnreadableFile("spec/unreadable-file", Error, "a file the spec names that is not a regular file, is larger than 16 MiB, or cannot be read"),
        InventoryMissing("spec/inventory-missing", Warning, "a host scraped for GPUs that no inventory of `[hardware]` describes"),
        InventoryHostUnknown("spec/inventory-host-unknown", Warning, "an inventory of a host the spec does not scrape: its GPUs are not monitored"),

        // The operator's rule tests (`[[test]]`).
        BadSeries("spec/bad-series", Error, "a test input `series` that is not a metric name with `=` label matchers"),
        BadValues("spec/bad-values", Error, "test input `values` not in promtool's expanding notation (`0+60x30`)"),
        BadValue("spec/bad-value", Error, "a test's expected `value` that is not a finite number"),
        UnknownAnnotation("spec/unknown-annotation", Error, "a test expecting an annotation the alert does not have (with did-you-mean)"),
        CannotExpand("spec/cannot-expand", Error, "an alert annotation whose expected text a test cannot state without `value` or the annotation written out"),

        // Bugs of lloom-monctl.
        SloRules("internal/slo-rules", Error, "a bug: the rules of a valid SLO cannot be made; please report it with the SLO"),
        GpuTests("internal/gpu-tests", Error, "a bug: the GPU rule tests cannot be stated; please report it with the inventories"),
    }
}
