//! Prometheus durations (`1d2h30m`) and byte sizes (`100GB`).

use std::fmt;

/// A Prometheus duration, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration(pub u64);

const UNITS: [(&str, u64); 7] = [
    ("y", 365 * 24 * 3_600_000),
    ("w", 7 * 24 * 3_600_000),
    ("d", 24 * 3_600_000),
    ("h", 3_600_000),
    ("m", 60_000),
    ("s", 1_000),
    ("ms", 1),
];

impl Duration {
    pub const fn secs(s: u64) -> Self {
        Duration(s * 1000)
    }

    /// Parses Prometheus's syntax: units in descending order, each once.
    pub fn parse(s: &str) -> Result<Duration, String> {
        if s == "0" {
            return Ok(Duration(0));
        }
        if s.is_empty() {
            return Err("empty duration".into());
        }
        let mut rest = s;
        let mut total: u64 = 0;
        let mut last_unit = 0;
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(format!(
                    "`{s}` is not a duration: expected a number at `{rest}`"
                ));
            }
            let n: u64 = rest[..digits]
                .parse()
                .map_err(|_| format!("`{s}` is too large"))?;
            rest = &rest[digits..];
            // "ms" must be tried before "m".
            let (idx, (unit, ms)) = UNITS
                .iter()
                .enumerate()
                .filter(|(_, (u, _))| rest.starts_with(u))
                .max_by_key(|(_, (u, _))| u.len())
                .ok_or_else(|| format!("`{s}` is not a duration: unknown unit at `{rest}` (use ms, s, m, h, d, w or y)"))?;
            if idx < last_unit || (idx == last_unit && total > 0) {
                return Err(format!(
                    "`{s}` is not a duration: units must go from largest to smallest, each once"
                ));
            }
            last_unit = idx;
            total = n
                .checked_mul(*ms)
                .and_then(|v| total.checked_add(v))
                .ok_or_else(|| format!("`{s}` is too large"))?;
            rest = &rest[unit.len()..];
        }
        Ok(Duration(total))
    }
}

/// Prints the canonical form Prometheus prints, e.g. `90s` as `1m30s`.
impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("0s");
        }
        let mut rest = self.0;
        for (unit, ms) in UNITS {
            // Prometheus prints weeks and years only when they divide evenly.
            if (unit == "y" || unit == "w") && !rest.is_multiple_of(ms) {
                continue;
            }
            if rest >= ms {
                write!(f, "{}{unit}", rest / ms)?;
                rest %= ms;
            }
        }
        Ok(())
    }
}

/// A size as Prometheus's `--storage.tsdb.retention.size` takes it (units of 1024).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByteSize {
    pub text: String,
    pub bytes: u64,
}

impl ByteSize {
    pub fn parse(s: &str) -> Result<ByteSize, String> {
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        let (num, unit) = s.split_at(digits);
        let n: u64 = num
            .parse()
            .map_err(|_| format!("`{s}` is not a size: expected a whole number followed by B, KB, MB, GB, TB, PB or EB"))?;
        let exp = ["B", "KB", "MB", "GB", "TB", "PB", "EB"]
            .iter()
            .position(|u| *u == unit)
            .ok_or_else(|| {
                format!(
                    "`{s}` is not a size: unknown unit `{unit}` (use B, KB, MB, GB, TB, PB or EB)"
                )
            })?;
        let bytes = n
            .checked_mul(1024u64.pow(exp as u32))
            .ok_or_else(|| format!("`{s}` is too large"))?;
        if bytes == 0 {
            return Err(
                "a retention size of 0 would delete everything; leave `size` out for no limit"
                    .into(),
            );
        }
        Ok(ByteSize {
            text: s.to_string(),
            bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_like_prometheus() {
        for (text, ms, shown) in [
            ("15s", 15_000, "15s"),
            ("90s", 90_000, "1m30s"),
            ("1h30m", 5_400_000, "1h30m"),
            ("30d", 2_592_000_000, "30d"),
            ("2w", 1_209_600_000, "2w"),
            ("500ms", 500, "500ms"),
            ("0", 0, "0s"),
        ] {
            let d = Duration::parse(text).unwrap();
            assert_eq!(d.0, ms, "{text}");
            assert_eq!(d.to_string(), shown, "{text}");
        }
    }

    #[test]
    fn rejects_what_prometheus_rejects() {
        for bad in ["", "5", "5 minutes", "1m1h", "1h1h", "-5s", "1.5h", "5M"] {
            assert!(Duration::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn sizes_use_binary_units() {
        assert_eq!(
            ByteSize::parse("100GB").unwrap().bytes,
            100 * 1024 * 1024 * 1024
        );
        assert!(ByteSize::parse("100G").is_err());
        assert!(ByteSize::parse("0GB").is_err());
    }
}
