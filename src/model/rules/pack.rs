//! The built-in rule pack: the guide's alerts, recording rules and capacity
//! signals, corrected where the guide is wrong. `fix` says what changed and why;
//! docs/guide-corrections.md lists the same.

/// Which part of the spec a rule needs before it is generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    Client,
    Executor,
    Validator,
    NodeExporter,
    Always,
}

/// A built-in rule group, rendered to `rules/<name with - for _>.yml`.
pub struct PackGroup {
    pub name: &'static str,
    /// The guide's interval where it gives one; else the global one.
    pub interval: Option<&'static str>,
}

pub const GROUPS: &[PackGroup] = &[
    PackGroup {
        name: "lloom_client_alerts",
        interval: Some("30s"),
    },
    PackGroup {
        name: "lloom_executor_alerts",
        interval: None,
    },
    PackGroup {
        name: "lloom_validator_alerts",
        interval: None,
    },
    PackGroup {
        name: "lloom_availability_alerts",
        interval: None,
    },
    PackGroup {
        name: "capacity_signals",
        interval: None,
    },
    PackGroup {
        name: "capacity_planning",
        interval: Some("5m"),
    },
];

pub struct PackAlert {
    pub name: &'static str,
    pub group: &'static str,
    pub needs: Needs,
    /// `{threshold}` is replaced by the threshold, here and in the texts
    /// (`{threshold_percent}` by the threshold × 100).
    pub expr: &'static str,
    pub threshold: f64,
    pub for_: Option<&'static str>,
    pub severity: &'static str,
    pub summary: &'static str,
    pub description: &'static str,
    /// What differs from the guide, and why; `None` where the guide has no such rule.
    pub fix: Option<&'static str>,
}

pub struct PackRecord {
    pub name: &'static str,
    pub group: &'static str,
    pub needs: Needs,
    pub expr: &'static str,
    pub fix: Option<&'static str>,
}

pub const ALERTS: &[PackAlert] = &[
    PackAlert {
        name: "HighClientErrorRate",
        group: "lloom_client_alerts",
        needs: Needs::Client,
        expr: "sum without (status) (rate(lloom_client_requests_total{status=\"failed\"}[5m]))\n  /\nsum without (status) (rate(lloom_client_requests_total[5m]))\n  > {threshold}\n",
        threshold: 0.05,
        for_: Some("5m"),
        severity: "warning",
        summary: "High client error rate on {{ $labels.instance }}",
        description: "{{ $value | humanizePercentage }} of the requests from {{ $labels.instance }} failed over the last 5 minutes.",
        fix: Some("The guide divides the failed series by all series without aggregating `status`: each side matches only its own `status`, so the ratio is failed/failed = 1 and the alert fires on any failure. Both sides now sum away `status`."),
    },
    PackAlert {
        name: "ClientRequestTimeout",
        group: "lloom_client_alerts",
        needs: Needs::Client,
        expr: "rate(lloom_client_requests_total{status=\"timeout\"}[5m]) > {threshold}\n",
        threshold: 0.1,
        for_: Some("5m"),
        severity: "critical",
        summary: "Client {{ $labels.instance }} is timing out",
        description: "{{ $labels.instance }} has {{ $value | humanize }} timeouts per second over the last 5 minutes.",
        fix: Some("The description shows the raw `$value` of a rate; it is humanized now, and the summary names the instance."),
    },
    PackAlert {
        name: "ExecutorHighQueueSize",
        group: "lloom_executor_alerts",
        needs: Needs::Executor,
        expr: "sum without (priority) (lloom_executor_queue_size) > {threshold}\n",
        threshold: 100.0,
        for_: Some("10m"),
        severity: "warning",
        summary: "Executor queue backing up on {{ $labels.instance }}",
        description: "{{ $value }} requests are queued on {{ $labels.instance }} (all priorities).",
        fix: Some("The guide compares each priority's queue alone, so 3 × 90 queued requests never fire; the queue is summed over `priority`."),
    },
    PackAlert {
        name: "ExecutorGPUMemoryHigh",
        group: "lloom_executor_alerts",
        needs: Needs::Executor,
        expr: "lloom_executor_gpu_memory_used_bytes\n  / (lloom_executor_gpu_memory_total_bytes > 0)\n  > {threshold}\n",
        threshold: 0.9,
        for_: Some("5m"),
        severity: "critical",
        summary: "GPU memory critically high on {{ $labels.instance }}",
        description: "GPU {{ $labels.device }} on {{ $labels.instance }} is at {{ $value | humanizePercentage }} of its memory.",
        fix: Some("`lloom_executor_gpu_memory_total_bytes` was used but never listed; it is in the catalog now. A total of 0 (device not yet probed) would divide to +Inf and page, so the divisor is filtered to positive values."),
    },
    PackAlert {
        name: "ExecutorModelLoadFailure",
        group: "lloom_executor_alerts",
        needs: Needs::Executor,
        expr: "increase(lloom_executor_model_errors_total{error=\"load_failed\"}[5m]) > {threshold}\n",
        threshold: 0.0,
        for_: None,
        severity: "critical",
        summary: "Model {{ $labels.model }} failed to load on {{ $labels.instance }}",
        description: "{{ $labels.model }} failed to load on {{ $labels.instance }} in the last 5 minutes.",
        fix: Some("Unchanged, but it only works if executors initialise the counter to 0 per model (recorded in the catalog): a counter born at 1 shows no increase."),
    },
    PackAlert {
        name: "ValidatorHighViolationRate",
        group: "lloom_validator_alerts",
        needs: Needs::Validator,
        expr: "sum without (type) (rate(lloom_validator_violations_detected_total[1h]))\n  /\nsum without (result) (rate(lloom_validator_validations_total[1h]))\n  > {threshold}\n",
        threshold: 0.05,
        for_: Some("15m"),
        severity: "critical",
        summary: "High violation rate seen by {{ $labels.instance }}",
        description: "{{ $value | humanizePercentage }} of validations on {{ $labels.instance }} found a violation over the last hour.",
        fix: Some("The guide divides series labelled `type` by series labelled `result`: no pair of series has equal label sets, so the division is always empty and the alert can never fire. Both sides now sum their own label away."),
    },
    PackAlert {
        name: "ValidatorStakeAtRisk",
        group: "lloom_validator_alerts",
        needs: Needs::Validator,
        expr: "sum without (reason) (increase(lloom_validator_penalties_total[1d]))\n  > {threshold} * sum without (currency) (increase(lloom_validator_rewards_earned_total[1d]))\n",
        threshold: 0.1,
        for_: Some("15m"),
        severity: "warning",
        summary: "Validator {{ $labels.instance }} penalties exceed {threshold_percent}% of rewards",
        description: "{{ $labels.instance }} was penalised {{ $value | humanize }} ETH in the last day, more than {threshold_percent}% of its rewards.",
        fix: Some("The guide compares `penalties_total{reason}` with `rewards_earned_total{currency}`: the label sets never match, so it can never fire; it also compares raw counters, which reset when a node restarts. It now compares the increase over one day, with labels summed away."),
    },
    PackAlert {
        name: "LloomTargetDown",
        group: "lloom_availability_alerts",
        needs: Needs::Always,
        expr: "up{job=~\"lloom-.*\"} == {threshold}\n",
        threshold: 0.0,
        for_: Some("5m"),
        severity: "critical",
        summary: "Lloom node {{ $labels.instance }} ({{ $labels.job }}) is down",
        description: "Prometheus could not scrape {{ $labels.job }} on {{ $labels.instance }} for 5 minutes.",
        fix: None,
    },
    PackAlert {
        name: "ScrapeTargetDown",
        group: "lloom_availability_alerts",
        needs: Needs::Always,
        expr: "up{job!~\"lloom-.*\"} == {threshold}\n",
        threshold: 0.0,
        for_: Some("10m"),
        severity: "warning",
        summary: "Exporter {{ $labels.job }} on {{ $labels.instance }} is down",
        description: "Prometheus could not scrape {{ $labels.job }} on {{ $labels.instance }} for 10 minutes; its metrics and the alerts on them are blind.",
        fix: None,
    },
    PackAlert {
        name: "ExecutorCPUHigh",
        group: "capacity_signals",
        needs: Needs::Executor,
        expr: "instance:lloom_executor_cpu_usage_percent:avg5m > {threshold}\n",
        threshold: 80.0,
        for_: Some("15m"),
        severity: "warning",
        summary: "Executor {{ $labels.instance }} CPU above {threshold}%",
        description: "The executor on {{ $labels.instance }} averaged {{ $value | humanize }}% CPU over 5 minutes for 15 minutes.",
        fix: Some("The guide's `avg(...) by (instance) > 80` is a capacity signal with no alert; it is recorded as a 5-minute average and alerts as a warning."),
    },
    PackAlert {
        name: "HostMemoryPressure",
        group: "capacity_signals",
        needs: Needs::NodeExporter,
        expr: "instance:node_memory_available:ratio < {threshold}\n",
        threshold: 0.1,
        for_: Some("10m"),
        severity: "warning",
        summary: "Memory pressure on {{ $labels.instance }}",
        description: "Only {{ $value | humanizePercentage }} of memory is available on {{ $labels.instance }}.",
        fix: Some("The guide's memory-pressure expression is a capacity signal with no alert; it is recorded and alerts as a warning."),
    },
    PackAlert {
        name: "HostDiskSpaceLow",
        group: "capacity_signals",
        needs: Needs::NodeExporter,
        expr: "node_filesystem_avail_bytes{mountpoint=\"/\"}\n  / (node_filesystem_size_bytes{mountpoint=\"/\"} > 0)\n  < {threshold}\n",
        threshold: 0.1,
        for_: Some("15m"),
        severity: "warning",
        summary: "Root filesystem almost full on {{ $labels.instance }}",
        description: "Only {{ $value | humanizePercentage }} of / is free on {{ $labels.instance }}.",
        fix: None,
    },
    PackAlert {
        name: "ExecutorNearCapacity",
        group: "capacity_signals",
        needs: Needs::Executor,
        expr: "instance_model:lloom_executor_tokens:capacity_ratio5m > {threshold}\n",
        threshold: 0.8,
        for_: Some("15m"),
        severity: "warning",
        summary: "Executor {{ $labels.instance }} near capacity for {{ $labels.model }}",
        description: "{{ $labels.model }} on {{ $labels.instance }} runs at {{ $value | humanizePercentage }} of its maximum token throughput.",
        fix: Some("The guide's throughput-versus-capacity expression is a signal with no alert; it is recorded and alerts as a warning at 80%."),
    },
];

pub const RECORDS: &[PackRecord] = &[
    PackRecord {
        name: "instance:lloom_executor_cpu_usage_percent:avg5m",
        group: "capacity_signals",
        needs: Needs::Executor,
        expr: "avg_over_time(lloom_executor_cpu_usage_percent[5m])\n",
        fix: Some("The guide's `avg(...) by (instance)` averages one series per instance, which changes nothing and drops `job`; a 5-minute average smooths spikes instead."),
    },
    PackRecord {
        name: "instance:node_memory_available:ratio",
        group: "capacity_signals",
        needs: Needs::NodeExporter,
        expr: "node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes\n",
        fix: None,
    },
    PackRecord {
        name: "instance_model:lloom_executor_tokens:capacity_ratio5m",
        group: "capacity_signals",
        needs: Needs::Executor,
        expr: "rate(lloom_executor_tokens_processed_total[5m])\n  / (lloom_executor_max_tokens_per_second > 0)\n",
        fix: Some("Both metrics were used but never listed; the catalog gives both a `model` label so that they match one-to-one."),
    },
    PackRecord {
        name: "lloom:request_rate:5m",
        group: "capacity_planning",
        needs: Needs::Client,
        expr: "sum by (status) (rate(lloom_client_requests_total[5m]))\n",
        fix: Some("The guide aggregates `by (model)`, a label client requests do not carry, so every request lands in one series with no model; it is split by `status` instead."),
    },
    PackRecord {
        name: "lloom:tokens_processed:rate5m",
        group: "capacity_planning",
        needs: Needs::Executor,
        expr: "sum by (model) (rate(lloom_executor_tokens_processed_total[5m]))\n",
        fix: None,
    },
    PackRecord {
        name: "lloom:token_usage_trend:1h",
        group: "capacity_planning",
        needs: Needs::Executor,
        expr: "predict_linear(lloom:tokens_processed:rate5m[1h], 3600)\n",
        fix: Some("The guide runs `predict_linear` on the raw counter, which jumps down at every executor restart and predicts nonsense; the trend is taken of the recorded token rate, giving the expected tokens per second in one hour."),
    },
    PackRecord {
        name: "lloom:revenue_projection:24h",
        group: "capacity_planning",
        needs: Needs::Executor,
        expr: "sum by (currency) (rate(lloom_executor_revenue_total[1d])) * 86400\n",
        fix: Some("The guide runs `predict_linear` on the raw revenue counter, which resets at restarts; the projection is the revenue of the next 24 hours at the last day's rate, summed over executors."),
    },
];
