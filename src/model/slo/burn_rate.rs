//! Multi-window, multi-burn-rate alerting (Google SRE workbook, "Alerting on
//! SLOs"), as arithmetic on durations: pure, so that it can be tested alone.
//!
//! An alert fires when the error ratio over a long window and over its short
//! window (a twelfth of it, which makes the alert resolve soon after the burn
//! stops) both exceed `factor × error budget`, where
//! `factor = budget spent × period / long window`: spending that share of
//! the period's budget within the long window.
//!
//! **Windows for short periods.** The workbook's windows (1h, 6h, 1d, 3d)
//! hold for periods of 28 days or more. A shorter period scales every window
//! by `period / 28d` (rounded to whole seconds, never below the shortest
//! usable range): a 7-day SLO pages on 2 % of its budget in 15 minutes, as a
//! 28-day SLO does in an hour. Scaling keeps each alert's factor at its
//! 28-day value, so the same alert means the same urgency whatever the
//! period; fixed windows would make a 7-day ticket alert fire at a burn rate
//! below 1, a burn that never exhausts the budget.

use crate::model::core::Duration;

/// The period the workbook's windows are made for (and anything longer).
pub const REFERENCE_PERIOD: Duration = Duration(28 * 24 * 3_600_000);

/// One long/short window pair and the share of the budget it alerts on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub long: Duration,
    pub short: Duration,
    /// Percent of the period's error budget.
    pub budget_percent: f64,
}

impl Window {
    /// `budget spent × period / long window`, computed from the durations.
    pub fn factor(&self, period: Duration) -> f64 {
        self.budget_percent * period.0 as f64 / (100.0 * self.long.0 as f64)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    Page,
    Ticket,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Page => "page",
            Tier::Ticket => "ticket",
        }
    }
}

const HOUR: u64 = 3_600_000;

/// The workbook's pairs: page on 2 % of the budget in 1h (5m) or 5 % in 6h
/// (30m); ticket on 10 % in 1d (2h) or 10 % in 3d (6h).
fn workbook(tier: Tier) -> [(u64, u64, f64); 2] {
    match tier {
        Tier::Page => [(HOUR, HOUR / 12, 2.0), (6 * HOUR, HOUR / 2, 5.0)],
        Tier::Ticket => [(24 * HOUR, 2 * HOUR, 10.0), (72 * HOUR, 6 * HOUR, 10.0)],
    }
}

/// The default windows of a tier for a period; `floor` is the shortest range
/// that still holds enough samples (from the SLI's scrape interval).
pub fn default_windows(tier: Tier, period: Duration, floor: Duration) -> Vec<Window> {
    let scale = |ms: u64| -> Duration {
        if period >= REFERENCE_PERIOD {
            return Duration(ms);
        }
        let scaled = (ms as u128 * period.0 as u128 / REFERENCE_PERIOD.0 as u128) as u64;
        Duration((scaled / 1000 * 1000).max(floor.0))
    };
    workbook(tier)
        .into_iter()
        .map(|(long, short, budget_percent)| Window {
            long: scale(long),
            short: scale(short),
            budget_percent,
        })
        .collect()
}

/// The error budget as a fraction, from the objective in percent, without
/// floating-point noise: `99.9` gives exactly the double nearest 0.001.
pub fn error_budget(objective_percent: f64) -> f64 {
    // Objectives are given with at most six decimals.
    let micro = (objective_percent * 1e6).round() as i64;
    (100_000_000 - micro) as f64 / 100_000_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: u64 = 24 * HOUR;

    fn factors(period_days: u64) -> Vec<f64> {
        let period = Duration(period_days * DAY);
        [Tier::Page, Tier::Ticket]
            .into_iter()
            .flat_map(|t| default_windows(t, period, Duration::secs(60)))
            .map(|w| w.factor(period))
            .collect()
    }

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9)
    }

    #[test]
    fn thirty_days_give_the_workbook_factors() {
        assert!(
            close(&factors(30), &[14.4, 6.0, 3.0, 1.0]),
            "{:?}",
            factors(30)
        );
        assert_eq!(factors(30)[0].to_string(), "14.4");
    }

    #[test]
    fn twenty_eight_days_keep_the_windows_and_scale_the_factors() {
        let f = factors(28);
        assert!(close(&f, &[13.44, 5.6, 2.8, 14.0 / 15.0]), "{f:?}");
        assert_eq!(f[0].to_string(), "13.44");
        assert!(f[3].to_string().starts_with("0.933"));
        let w = default_windows(Tier::Page, Duration(28 * DAY), Duration::secs(60));
        assert_eq!(
            (w[0].long.to_string(), w[0].short.to_string()),
            ("1h".into(), "5m".into())
        );
    }

    #[test]
    fn seven_days_scale_the_windows_and_keep_the_28_day_factors() {
        let period = Duration(7 * DAY);
        let page = default_windows(Tier::Page, period, Duration::secs(60));
        let ticket = default_windows(Tier::Ticket, period, Duration::secs(60));
        let shown: Vec<(String, String)> = page
            .iter()
            .chain(&ticket)
            .map(|w| (w.long.to_string(), w.short.to_string()))
            .collect();
        assert_eq!(
            shown,
            [
                ("15m", "1m15s"),
                ("1h30m", "7m30s"),
                ("6h", "30m"),
                ("18h", "1h30m")
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        assert!(close(&factors(7), &factors(28)), "{:?}", factors(7));
    }

    #[test]
    fn the_floor_keeps_short_windows_usable() {
        let w = default_windows(Tier::Page, Duration(DAY), Duration::secs(60));
        assert_eq!(
            w[0].short,
            Duration::secs(60),
            "5m × 1/28 is 10.7s: floored"
        );
        assert_eq!(
            w[0].long,
            Duration::secs(128),
            "1h × 1/28 = 128.57s: whole seconds"
        );
        assert!((w[0].factor(Duration(DAY)) - 2.0 * 86400.0 / (100.0 * 128.0)).abs() < 1e-12);
    }

    #[test]
    fn budgets_are_exact_decimals() {
        assert_eq!(error_budget(99.9).to_string(), "0.001");
        assert_eq!(error_budget(99.95).to_string(), "0.0005");
        assert_eq!(error_budget(99.0).to_string(), "0.01");
        assert_eq!(error_budget(95.5).to_string(), "0.045");
    }
}
