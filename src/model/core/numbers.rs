//! Numbers as PromQL and people write them.

/// `0.05`, `100`: rounded to nine decimals, so that `0.1 * 3` reads `0.3`.
pub fn format_number(v: f64) -> String {
    format!("{}", (v * 1e9).round() / 1e9)
}
