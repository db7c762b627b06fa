//! The numbers of the built-in alerts' test data. The firing side sits at
//! twice the threshold, or halfway to the metric's maximum where twice would
//! pass it; the quiet side at half the threshold. Ratios of rates are whole
//! numbers over whole numbers, so that `$value` is exact.
//!
//! Limits: a tuned threshold that leaves no value on one side (a share of 1 or
//! more, a negative rate) means the alert always or never fires; it is an
//! error, not a test. Thresholds finer than 1e-9 on a ratio of rates cannot be
//! written as whole rates; also an error.

use crate::model::core::Duration;

/// `rate()` over `window` of a counter rising `step` per `interval`, as
/// Prometheus computes it when the range has a sample at both ends.
pub(super) fn rate(step: f64, interval: Duration, window: Duration) -> f64 {
    step * (window.0 / interval.0) as f64 / (window.0 as f64 / 1000.0)
}

/// The firing and quiet values of `> t`, for a metric in `[0, max]`.
pub(super) fn above(t: f64, max: f64, what: &str) -> Result<(f64, f64), String> {
    if t < 0.0 {
        return Err(format!(
            "{what} is never negative, so `> {t}` always holds: the alert always fires"
        ));
    }
    if t >= max {
        return Err(format!(
            "{what} never exceeds {max}, so `> {t}` never holds: the alert can never fire"
        ));
    }
    let fire = if t > 0.0 {
        (2.0 * t).min((t + max) / 2.0)
    } else if max.is_finite() {
        max / 2.0
    } else {
        1.0
    };
    Ok((fire, t / 2.0))
}

/// The firing and quiet values of `< t`, for a metric in `[0, max]`.
pub(super) fn below(t: f64, max: f64, what: &str) -> Result<(f64, f64), String> {
    if t <= 0.0 {
        return Err(format!(
            "{what} is never negative, so `< {t}` never holds: the alert can never fire"
        ));
    }
    if t > max {
        return Err(format!(
            "{what} never exceeds {max}, so `< {t}` always holds: the alert always fires"
        ));
    }
    let quiet = if t == max {
        max
    } else {
        (2.0 * t).min((t + max) / 2.0)
    };
    Ok((t / 2.0, quiet))
}

/// Whole numbers `num / den` near `target` on which `holds` (the alert's
/// condition, or its negation) is true, within a tenth of the distance to `t`.
pub(super) fn fraction(
    target: f64,
    t: f64,
    holds: impl Fn(f64, f64) -> bool,
) -> Result<(f64, f64), String> {
    let tolerance = (target - t).abs() / 10.0;
    let mut den = 10.0;
    while den <= 1e9 {
        let num = (target * den).round();
        if holds(num, den) && (num / den - target).abs() <= tolerance {
            return Ok((num, den));
        }
        den *= 10.0;
    }
    Err(format!(
        "threshold {t} is too fine for whole-number test rates; use at least 1e-9"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration(60_000);
    const FIVE_MINUTES: Duration = Duration(300_000);
    const HOUR: Duration = Duration(3_600_000);

    #[test]
    fn sides_straddle_the_threshold() {
        assert_eq!(above(0.05, 1.0, "").unwrap(), (0.1, 0.025));
        assert_eq!(above(0.9, 1.0, "").unwrap(), (0.95, 0.45));
        assert_eq!(above(0.0, f64::INFINITY, "").unwrap(), (1.0, 0.0));
        assert_eq!(below(0.1, 1.0, "").unwrap(), (0.05, 0.2));
        assert_eq!(below(1.0, 1.0, "").unwrap(), (0.5, 1.0));
    }

    #[test]
    fn fractions_are_whole_numbers_close_to_the_target() {
        let fires = |t: f64| move |a: f64, n: f64| a / n > t;
        assert_eq!(fraction(0.1, 0.05, fires(0.05)).unwrap(), (1.0, 10.0));
        assert_eq!(
            fraction(0.025, 0.05, |a, n| a / n <= 0.05).unwrap(),
            (25.0, 1000.0)
        );
        assert_eq!(fraction(0.14, 0.07, fires(0.07)).unwrap(), (14.0, 100.0));
        assert!(fraction(2e-12, 1e-12, fires(1e-12)).is_err());
    }

    #[test]
    fn rates_of_whole_steps_are_the_slope() {
        assert_eq!(rate(60.0, MINUTE, FIVE_MINUTES), 1.0);
        assert_eq!(rate(12.0, MINUTE, FIVE_MINUTES), 0.2);
        assert_eq!(rate(60.0, MINUTE, HOUR), 1.0);
    }
}
