//! Go's number formatting, as Prometheus alert templates print numbers:
//! text/template prints `{{ $value }}` with `%v`, the `humanize*` functions use
//! `%.4g` (`template/template.go`). promtool compares expanded annotations
//! byte for byte, so these follow Go's `strconv/ftoa.go` exactly: the digits
//! come from Rust's formatter (shortest round-trip, or correctly rounded with
//! ties to even, as Go rounds), the layout is Go's.

/// The significant digits of `|v|`, without trailing zeros, and the decimal
/// point's position: `|v| = 0.digits × 10^dp`. `sig` rounds to that many digits.
struct Digits {
    digits: Vec<u8>,
    dp: i32,
}

fn digits(v: f64, sig: Option<usize>) -> Digits {
    let text = match sig {
        None => format!("{:e}", v.abs()),
        Some(n) => format!("{:.*e}", n.max(1) - 1, v.abs()),
    };
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    let dp = if digits.is_empty() { 0 } else { exp + 1 };
    Digits { digits, dp }
}

fn special(v: f64) -> Option<String> {
    if v.is_nan() {
        Some("NaN".into())
    } else if v.is_infinite() {
        Some(if v > 0.0 { "+Inf" } else { "-Inf" }.into())
    } else {
        None
    }
}

fn sign(v: f64) -> &'static str {
    if v.is_sign_negative() {
        "-"
    } else {
        ""
    }
}

/// Go's `%v` of a float64 (`strconv.FormatFloat(v, 'g', -1, 64)`): the
/// shortest digits, in exponent form below 1e-4 and from 1e+06 on.
pub fn v(v: f64) -> String {
    g(v, None)
}

/// Go's `%g` (`None`: shortest) or `%.Ng`.
pub fn g(v: f64, precision: Option<usize>) -> String {
    if let Some(s) = special(v) {
        return s;
    }
    let d = digits(v, precision);
    let nd = d.digits.len() as i32;
    let (mut prec, eprec) = match precision {
        // Shortest: Go decides the form as if the precision were 6.
        None => (nd, 6),
        Some(p) => {
            let p = p.max(1) as i32;
            let eprec = if p > nd && nd >= d.dp { nd } else { p };
            (p, eprec)
        }
    };
    let exp = d.dp - 1;
    if nd > 0 && (exp < -4 || exp >= eprec) {
        prec = prec.min(nd);
        return format!("{}{}", sign(v), layout_e(&d, prec - 1));
    }
    if prec > d.dp {
        prec = nd;
    }
    format!("{}{}", sign(v), layout_f(&d, (prec - d.dp).max(0)))
}

/// Go's `%e` (precision 6) or `%.Ne`: `d.ddde+XX`, at least two exponent digits.
pub fn e(v: f64, precision: Option<usize>) -> String {
    if let Some(s) = special(v) {
        return s;
    }
    let p = precision.unwrap_or(6);
    let d = digits(v, Some(p + 1));
    format!("{}{}", sign(v), layout_e(&d, p as i32))
}

/// Go's `%f` (precision 6) or `%.Nf`; Rust rounds the same way.
pub fn f(v: f64, precision: Option<usize>) -> String {
    match special(v) {
        Some(s) => s,
        None => format!("{:.*}", precision.unwrap_or(6), v),
    }
}

fn layout_e(d: &Digits, prec: i32) -> String {
    let mut out = String::new();
    out.push(d.digits.first().map_or('0', |&c| c as char));
    if prec > 0 {
        out.push('.');
        for i in 1..=prec as usize {
            out.push(d.digits.get(i).map_or('0', |&c| c as char));
        }
    }
    let exp = if d.digits.is_empty() { 0 } else { d.dp - 1 };
    let sign = if exp < 0 { '-' } else { '+' };
    out.push_str(&format!("e{sign}{:02}", exp.abs()));
    out
}

fn layout_f(d: &Digits, prec: i32) -> String {
    let digit = |i: i32| {
        usize::try_from(i)
            .ok()
            .and_then(|i| d.digits.get(i))
            .map_or('0', |&c| c as char)
    };
    let mut out = String::new();
    if d.dp > 0 {
        (0..d.dp).for_each(|i| out.push(digit(i)));
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        (0..prec).for_each(|i| out.push(digit(d.dp + i)));
    }
    out
}

fn g4(v: f64) -> String {
    g(v, Some(4))
}

/// Prometheus's `humanize`: SI prefixes (k … Y above 1, m u n … y below).
pub fn humanize(mut v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return g4(v);
    }
    let mut prefix = "";
    if v.abs() >= 1.0 {
        for p in ["k", "M", "G", "T", "P", "E", "Z", "Y"] {
            if v.abs() < 1000.0 {
                break;
            }
            prefix = p;
            v /= 1000.0;
        }
    } else {
        for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if v.abs() >= 1.0 {
                break;
            }
            prefix = p;
            v *= 1000.0;
        }
    }
    format!("{}{prefix}", g4(v))
}

/// Prometheus's `humanize1024`: binary prefixes (ki, Mi, …) above 1.
pub fn humanize1024(mut v: f64) -> String {
    if v.abs() <= 1.0 || !v.is_finite() {
        return g4(v);
    }
    let mut prefix = "";
    for p in ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"] {
        if v.abs() < 1024.0 {
            break;
        }
        prefix = p;
        v /= 1024.0;
    }
    format!("{}{prefix}", g4(v))
}

/// Prometheus's `humanizeDuration` of seconds: `1d 2h 3m 4s`, or `1.5s`, `20ms`.
pub fn humanize_duration(mut v: f64) -> String {
    if !v.is_finite() {
        return g4(v);
    }
    if v == 0.0 {
        return format!("{}s", g4(v));
    }
    if v.abs() >= 1.0 {
        let sign = if v < 0.0 { "-" } else { "" };
        v = v.abs();
        // Go's int64() truncates, as `as` does; beyond int64 it gives the
        // minimum on amd64, where `as` saturates.
        let whole = if v >= i64::MAX as f64 {
            i64::MIN
        } else {
            v as i64
        };
        let (s, m, h, d) = (
            whole % 60,
            whole / 60 % 60,
            whole / 3600 % 24,
            whole / 86400,
        );
        return if d != 0 {
            format!("{sign}{d}d {h}h {m}m {s}s")
        } else if h != 0 {
            format!("{sign}{h}h {m}m {s}s")
        } else if m != 0 {
            format!("{sign}{m}m {s}s")
        } else {
            format!("{sign}{}s", g4(v))
        };
    }
    let mut prefix = "";
    for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
        if v.abs() >= 1.0 {
            break;
        }
        prefix = p;
        v *= 1000.0;
    }
    format!("{}{prefix}s", g4(v))
}

/// Prometheus's `humanizePercentage`: `%.4g%` of v × 100.
pub fn humanize_percentage(v: f64) -> String {
    format!("{}%", g4(v * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected outputs are Go's, taken from promtool 2.42 (`promtool test
    // rules` prints what it got) and Go's fmt documentation.

    #[test]
    fn v_is_shortest_with_go_exponent_rules() {
        for (x, want) in [
            (150.0, "150"),
            (0.95, "0.95"),
            (1e21, "1e+21"),
            (1e6, "1e+06"),
            (123456.0, "123456"),
            (1234567.0, "1.234567e+06"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (0.00001234, "1.234e-05"),
            (99999.5, "99999.5"),
            (-2.5, "-2.5"),
            (0.0, "0"),
            (-0.0, "-0"),
            (1e-300, "1e-300"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "+Inf"),
            (f64::NEG_INFINITY, "-Inf"),
        ] {
            assert_eq!(v(x), want, "%v of {x}");
        }
    }

    #[test]
    fn g4_rounds_half_to_even_and_switches_to_exponents_like_go() {
        for (x, want) in [
            (12345.0, "1.234e+04"), // an exact tie rounds to even
            (12355.0, "1.236e+04"),
            (1234500.0, "1.234e+06"),
            (9999.5, "1e+04"), // rounding carries into a new digit
            (99999.5, "1e+05"),
            (1000.0, "1000"),
            (1234.0, "1234"),
            (123.45, "123.5"), // 123.45 is a little above the tie in binary
            (100.0, "100"),
            (120.0, "120"),
            (12.345, "12.35"),
            (1.5, "1.5"),
            (1.125, "1.125"),
            (0.5, "0.5"),
            (0.0001234, "0.0001234"),
            (0.00001234, "1.234e-05"),
            (0.0, "0"),
            (-12345.0, "-1.234e+04"),
        ] {
            assert_eq!(g(x, Some(4)), want, "%.4g of {x}");
        }
    }

    #[test]
    fn printf_verbs() {
        assert_eq!(f(1.125, Some(2)), "1.12");
        assert_eq!(f(12345.0, Some(2)), "12345.00");
        assert_eq!(f(0.00001234, Some(2)), "0.00");
        assert_eq!(f(2.0, None), "2.000000");
        assert_eq!(e(12345.0, None), "1.234500e+04");
        assert_eq!(e(0.00001234, Some(2)), "1.23e-05");
        assert_eq!(e(0.0, Some(1)), "0.0e+00");
        assert_eq!(g(100000.0, None), "100000");
    }

    #[test]
    fn humanize_uses_si_prefixes() {
        for (x, want) in [
            (12345.0, "12.35k"),
            (1e6, "1M"),
            (1234567.0, "1.235M"),
            (99999.5, "100k"),
            (1e27, "1000Y"),
            (0.2, "200m"),
            (0.00001234, "12.34u"),
            (1.125, "1.125"),
            (0.0, "0"),
            (-1500.0, "-1.5k"),
        ] {
            assert_eq!(humanize(x), want, "humanize {x}");
        }
    }

    #[test]
    fn humanize1024_uses_binary_prefixes() {
        assert_eq!(humanize1024(12345.0), "12.06ki");
        assert_eq!(humanize1024(1e6), "976.6ki");
        assert_eq!(humanize1024(1048576.0), "1Mi");
        assert_eq!(humanize1024(0.00001234), "1.234e-05");
        assert_eq!(humanize1024(1.0), "1");
    }

    #[test]
    fn humanize_duration_splits_days_to_seconds() {
        assert_eq!(humanize_duration(12345.0), "3h 25m 45s");
        assert_eq!(humanize_duration(1e6), "11d 13h 46m 40s");
        assert_eq!(humanize_duration(99999.5), "1d 3h 46m 39s");
        assert_eq!(humanize_duration(899.99), "14m 59s");
        assert_eq!(humanize_duration(1.125), "1.125s");
        assert_eq!(humanize_duration(0.00001234), "12.34us");
        assert_eq!(humanize_duration(0.0), "0s");
        assert_eq!(humanize_duration(-90.0), "-1m 30s");
        assert_eq!(humanize_duration(1e21), "-106751991167300d -15h -30m -8s");
    }

    #[test]
    fn humanize_percentage_multiplies_by_100() {
        assert_eq!(humanize_percentage(0.1234567), "12.35%");
        assert_eq!(humanize_percentage(0.1), "10%");
        assert_eq!(humanize_percentage(0.95), "95%");
        assert_eq!(humanize_percentage(12345.0), "1.234e+06%");
        assert_eq!(humanize_percentage(0.00001234), "0.001234%");
        assert_eq!(humanize_percentage(1.125), "112.5%");
    }
}
