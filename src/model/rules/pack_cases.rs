//! The built-in alerts' test data: for each alert of `pack.rs`, the series to
//! feed on the firing and the quiet side of its threshold, and the `$value`
//! Prometheus then computes. Derived from the effective threshold, so that a
//! tuned alert keeps true tests; `builtin_cases.rs` adds the evaluation time
//! (past the range and the effective `for`) and the expected alert.
//!
//! Values are exact by construction, and `$value` is computed here with the
//! f64 operations Prometheus performs: counters rise by a whole number per
//! sample; at the evaluation time the range `[t - range, t]` has a sample at
//! both ends (promtool 2.x includes both), so `rate()` does not extrapolate
//! and is the slope; rates that are divided are whole numbers; gauges that
//! are divided have a power of two as divisor. Where the sides sit, and which
//! thresholds leave none, is `pack_values.rs`.
//!
//! Prometheus 3 drops the range's first sample and extrapolates, so there
//! `$value` of the 1h and 1d ranges can differ in the last bits, far below the
//! four digits `humanize` prints; CI runs promtool 2.42.

use super::pack_values::{above, below, fraction, rate};
use crate::model::core::Duration;

/// Whose series the alert reads: the `job` and `instance` they carry.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Source {
    Role(&'static str),
    Node,
    /// Any `lloom-*` job.
    AnyLloom,
    /// Any job that is not `lloom-*`.
    Exporter,
}

pub(crate) enum Values {
    /// The same value at every sample.
    Gauge(f64),
    /// From 0, rising by this much per sample.
    Counter(f64),
}

pub(crate) struct Feed {
    pub metric: &'static str,
    /// The metric's own labels; scraping adds `job` and `instance`.
    pub labels: Vec<(&'static str, &'static str)>,
    pub values: Values,
}

/// One side of the threshold.
pub(crate) struct Side {
    pub input: Vec<Feed>,
    /// `$value` of the firing alert; `None` on the quiet side.
    pub value: Option<f64>,
}

pub(crate) struct Fixture {
    pub source: Source,
    /// Time between samples.
    pub interval: Duration,
    /// The longest range the alert, or a recording rule it reads, looks back.
    pub window: Duration,
    /// Labels of the firing alert's series besides `job`, `instance` and target labels.
    pub labels: Vec<(&'static str, &'static str)>,
    pub fire: Side,
    pub quiet: Side,
}

const MINUTE: Duration = Duration(60_000);
const HOUR: Duration = Duration(3_600_000);
/// Divisors of gauge ratios: `r × 2^k / 2^k` is `r` exactly.
const GIB_64: f64 = (1u64 << 36) as f64;

fn gauge(metric: &'static str, labels: &[(&'static str, &'static str)], v: f64) -> Feed {
    Feed {
        metric,
        labels: labels.to_vec(),
        values: Values::Gauge(v),
    }
}

fn counter(metric: &'static str, labels: &[(&'static str, &'static str)], step: f64) -> Feed {
    Feed {
        metric,
        labels: labels.to_vec(),
        values: Values::Counter(step),
    }
}

/// One side of an alert at threshold `t`: `target` is the firing or quiet
/// value of the domain, which a side may round to whole rates.
type MakeSide = fn(t: f64, firing: bool, target: f64) -> Result<Side, String>;

/// Which values the compared metric takes, and so which thresholds leave a
/// value on both sides.
enum Domain {
    /// `> t` on a metric in `[0, max]`.
    Above(f64, &'static str),
    /// `< t` on a metric in `[0, max]`.
    Below(f64, &'static str),
    /// `== t`: `t` fires, `t + 1` does not.
    Equal,
}

struct Data {
    source: Source,
    interval: Duration,
    window: Duration,
    labels: &'static [(&'static str, &'static str)],
    domain: Domain,
    side: MakeSide,
}

const FIVE_MINUTES: Duration = Duration(5 * MINUTE.0);
const DAY: Duration = Duration(24 * HOUR.0);
const ROOT_FS: [(&str, &str); 3] = [
    ("device", "/dev/sda1"),
    ("fstype", "ext4"),
    ("mountpoint", "/"),
];
const LOAD_FAILED: [(&str, &str); 2] = [("error", "load_failed"), ("model", "llama-3-8b")];
const MODEL: [(&str, &str); 1] = [("model", "llama-3-8b")];

/// Per alert: whose series, sample interval, range, the firing series' own
/// labels, the compared metric's domain, and the side builder.
#[rustfmt::skip]
fn data(alert: &str) -> Option<Data> {
    use Domain::*;
    use Source::*;
    let inf = f64::INFINITY;
    let none = Duration(0);
    let (source, interval, window, labels, domain, side): (_, _, _, &'static [_], _, MakeSide) = match alert {
        "HighClientErrorRate" => (Role("client"), MINUTE, FIVE_MINUTES, &[], Above(1.0, "the failed share of requests"), client_errors),
        "ClientRequestTimeout" => (Role("client"), MINUTE, FIVE_MINUTES, &[("status", "timeout")], Above(inf, "a rate"), client_timeouts),
        "ExecutorHighQueueSize" => (Role("executor"), MINUTE, none, &[], Above(inf, "a queue size"), queue),
        "ExecutorGPUMemoryHigh" => (Role("executor"), MINUTE, none, &[("device", "0")], Above(1.0, "the used share of GPU memory"), gpu_memory),
        "ExecutorModelLoadFailure" => (Role("executor"), MINUTE, FIVE_MINUTES, &LOAD_FAILED, Above(inf, "an increase"), load_failures),
        "ValidatorHighViolationRate" => (Role("validator"), MINUTE, HOUR, &[], Above(inf, "a violation rate"), violations),
        "ValidatorStakeAtRisk" => (Role("validator"), HOUR, DAY, &[], Above(inf, "penalties over rewards"), stake),
        "LloomTargetDown" => (AnyLloom, MINUTE, none, &[], Equal, up),
        "ScrapeTargetDown" => (Exporter, MINUTE, none, &[], Equal, up),
        "ExecutorCPUHigh" => (Role("executor"), MINUTE, FIVE_MINUTES, &[], Above(100.0, "CPU usage in percent"), cpu),
        "HostMemoryPressure" => (Node, MINUTE, none, &[], Below(1.0, "the available share of memory"), memory),
        "HostDiskSpaceLow" => (Node, MINUTE, none, &ROOT_FS, Below(1.0, "the free share of `/`"), disk),
        "ExecutorNearCapacity" => (Role("executor"), MINUTE, FIVE_MINUTES, &MODEL, Above(inf, "a capacity ratio"), capacity),
        _ => return None,
    };
    Some(Data { source, interval, window, labels, domain, side })
}

/// The test data of built-in alert `alert` at threshold `t`; `Err` says why
/// `t` leaves one side empty.
pub(crate) fn fixture(alert: &str, t: f64) -> Result<Fixture, String> {
    let d = data(alert).ok_or_else(|| format!("no test data for built-in alert `{alert}`"))?;
    let (fire, quiet) = match d.domain {
        Domain::Above(max, what) => above(t, max, what)?,
        Domain::Below(max, what) => below(t, max, what)?,
        Domain::Equal => (t, t + 1.0),
    };
    Ok(Fixture {
        source: d.source,
        interval: d.interval,
        window: d.window,
        labels: d.labels.to_vec(),
        fire: (d.side)(t, true, fire)?,
        quiet: (d.side)(t, false, quiet)?,
    })
}

fn side(firing: bool, input: Vec<Feed>, value: f64) -> Result<Side, String> {
    Ok(Side {
        input,
        value: firing.then_some(value),
    })
}

/// `a` failed and `n - a` successful requests per second.
fn client_errors(t: f64, firing: bool, target: f64) -> Result<Side, String> {
    let (a, n) = fraction(target, t, |a, n| (a / n > t) == firing)?;
    let req = "lloom_client_requests_total";
    let input = vec![
        counter(req, &[("status", "failed")], a * 60.0),
        counter(req, &[("status", "success")], (n - a) * 60.0),
    ];
    side(firing, input, a / n)
}

/// Whole timeouts per minute: at least the target, or at most it.
fn client_timeouts(_: f64, firing: bool, target: f64) -> Result<Side, String> {
    let step = if firing {
        (target * 60.0).ceil()
    } else {
        (target * 60.0).floor()
    };
    let input = vec![counter(
        "lloom_client_requests_total",
        &[("status", "timeout")],
        step,
    )];
    side(firing, input, rate(step, MINUTE, FIVE_MINUTES))
}

/// Two priorities with half each: neither alone passes the threshold.
fn queue(_: f64, firing: bool, target: f64) -> Result<Side, String> {
    let (q, half) = ("lloom_executor_queue_size", target / 2.0);
    let input = vec![
        gauge(q, &[("priority", "high")], half),
        gauge(q, &[("priority", "normal")], half),
    ];
    side(firing, input, half + half)
}

fn gpu_memory(_: f64, firing: bool, target: f64) -> Result<Side, String> {
    let (used, total) = (
        "lloom_executor_gpu_memory_used_bytes",
        "lloom_executor_gpu_memory_total_bytes",
    );
    let mut input = vec![
        gauge(used, &[("device", "0")], target * GIB_64),
        gauge(total, &[("device", "0")], GIB_64),
    ];
    if !firing {
        // A device not yet probed reports a total of 0: no +Inf page.
        input.push(gauge(used, &[("device", "1")], GIB_64 / 64.0));
        input.push(gauge(total, &[("device", "1")], 0.0));
    }
    side(firing, input, target * GIB_64 / GIB_64)
}

/// Whole load failures per minute, 5 × step over the range: above `t`, or at
/// most `t / 2`; inference failures never count.
fn load_failures(t: f64, firing: bool, _: f64) -> Result<Side, String> {
    let step = if firing {
        (t / 5.0).floor() + 1.0
    } else {
        (t / 10.0).floor()
    };
    let e = "lloom_executor_model_errors_total";
    let mut input = vec![counter(e, &LOAD_FAILED, step)];
    if !firing {
        input.push(counter(
            e,
            &[("error", "inference_failed"), ("model", "llama-3-8b")],
            1.0,
        ));
    }
    side(firing, input, step * 5.0)
}

/// `a` violations over `n` validations per second.
fn violations(t: f64, firing: bool, target: f64) -> Result<Side, String> {
    let (a, n) = fraction(target, t, |a, n| (a / n > t) == firing)?;
    let (v, fail) = ("lloom_validator_validations_total", a.min(n));
    let input = vec![
        counter(
            "lloom_validator_violations_detected_total",
            &[("type", "invalid_proof")],
            a * 60.0,
        ),
        counter(v, &[("result", "fail")], fail * 60.0),
        counter(v, &[("result", "pass")], (n - fail) * 60.0),
    ];
    side(firing, input, a / n)
}

/// Hourly samples over the day's range: `a` ETH penalties, `n` ETH rewards per hour.
fn stake(t: f64, firing: bool, target: f64) -> Result<Side, String> {
    let (a, n) = fraction(target, t, |a, n| (24.0 * a > t * (24.0 * n)) == firing)?;
    let input = vec![
        counter(
            "lloom_validator_penalties_total",
            &[("reason", "missed_validation")],
            a,
        ),
        counter(
            "lloom_validator_rewards_earned_total",
            &[("currency", "ETH")],
            n,
        ),
    ];
    side(firing, input, 24.0 * a)
}

fn up(_: f64, firing: bool, target: f64) -> Result<Side, String> {
    side(firing, vec![gauge("up", &[], target)], target)
}

fn cpu(_: f64, firing: bool, target: f64) -> Result<Side, String> {
    side(
        firing,
        vec![gauge("lloom_executor_cpu_usage_percent", &[], target)],
        target,
    )
}

fn memory(_: f64, firing: bool, target: f64) -> Result<Side, String> {
    let total = GIB_64 / 2.0;
    let input = vec![
        gauge("node_memory_MemAvailable_bytes", &[], target * total),
        gauge("node_memory_MemTotal_bytes", &[], total),
    ];
    side(firing, input, target * total / total)
}

/// Only `/` pages: a data disk as full as the firing side does not.
fn disk(t: f64, firing: bool, target: f64) -> Result<Side, String> {
    let size = GIB_64 * 16.0;
    let (avail, total) = ("node_filesystem_avail_bytes", "node_filesystem_size_bytes");
    let mut input = vec![
        gauge(avail, &ROOT_FS, target * size),
        gauge(total, &ROOT_FS, size),
    ];
    if !firing {
        let data = [
            ("device", "/dev/sdb1"),
            ("fstype", "ext4"),
            ("mountpoint", "/data"),
        ];
        input.push(gauge(avail, &data, t / 2.0 * size));
        input.push(gauge(total, &data, size));
    }
    side(firing, input, target * size / size)
}

/// `a` tokens per second against a maximum of `n`.
fn capacity(t: f64, firing: bool, target: f64) -> Result<Side, String> {
    let (a, n) = fraction(target, t, |a, n| (a / n > t) == firing)?;
    let input = vec![
        counter("lloom_executor_tokens_processed_total", &MODEL, a * 60.0),
        gauge("lloom_executor_max_tokens_per_second", &MODEL, n),
    ];
    side(firing, input, rate(a * 60.0, MINUTE, FIVE_MINUTES) / n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pack_alert_has_data_at_its_default_threshold() {
        for a in crate::model::rules::pack::ALERTS {
            let f = fixture(a.name, a.threshold).unwrap_or_else(|e| panic!("{}: {e}", a.name));
            assert!(
                f.fire.value.is_some() && f.quiet.value.is_none(),
                "{}",
                a.name
            );
        }
    }

    #[test]
    fn thresholds_that_leave_one_side_empty_are_refused() {
        for (alert, t, says) in [
            ("HighClientErrorRate", 1.0, "can never fire"),
            ("ExecutorGPUMemoryHigh", 1.5, "can never fire"),
            ("ExecutorCPUHigh", 100.0, "can never fire"),
            ("ClientRequestTimeout", -0.1, "always fires"),
            ("HostMemoryPressure", 0.0, "can never fire"),
            ("HostDiskSpaceLow", 1.2, "always fires"),
        ] {
            let err = fixture(alert, t)
                .err()
                .unwrap_or_else(|| panic!("{alert} at {t}"));
            assert!(err.contains(says), "{alert} at {t}: {err}");
        }
    }
}
