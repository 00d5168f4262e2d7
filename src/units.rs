//! Numbers for people: durations such as `4h23m` and availabilities such as `99.971%`.
//!
//! Availabilities are printed from the unavailability, digit by digit in integer arithmetic,
//! so that a system with U = 1e-18 prints as 99.9999999999999999% rather than 100%.

/// Hours in a 30-day month and in a 365-day year, the fixed periods reports always show.
pub const MONTH_HOURS: f64 = 720.0;
pub const YEAR_HOURS: f64 = 8760.0;

/// A duration in hours as a short human string: `0s`, `850ms`, `42.5s`, `12m30s`, `4h23m`,
/// `3d4h`, `2y14d`.
pub fn duration(hours: f64) -> String {
    if hours.is_nan() {
        // Not computed (a repair team's component past --max-team-work).
        return "—".to_string();
    }
    if !hours.is_finite() {
        return "∞".to_string();
    }
    if hours < 0.0 {
        return format!("-{}", duration(-hours));
    }
    let secs = hours * 3600.0;
    if secs == 0.0 {
        return "0s".to_string();
    }
    if secs < 1e-3 {
        return format!("{secs:.1e}s");
    }
    if secs < 0.9995 {
        return format!("{}ms", trim(&significant(secs * 1000.0, 3)));
    }
    if secs < 59.95 {
        return format!("{}s", trim(&format!("{secs:.1}")));
    }
    // Round to the smaller unit shown, then split, so that 59.99 minutes prints as 1h.
    let two = |total: f64, big: f64, big_unit: &str, small_unit: &str| {
        let total = total.round();
        let b = (total / big).floor();
        let s = total - b * big;
        if s == 0.0 {
            format!("{b}{big_unit}")
        } else {
            format!("{b}{big_unit}{s}{small_unit}")
        }
    };
    let minutes = secs / 60.0;
    if minutes < 60.0 - 0.5 / 60.0 {
        return two(secs, 60.0, "m", "s");
    }
    if hours < 24.0 - 0.5 / 60.0 {
        return two(minutes, 60.0, "h", "m");
    }
    let days = hours / 24.0;
    if days < 365.0 - 0.5 / 24.0 {
        return two(hours, 24.0, "d", "h");
    }
    let years = days / 365.0;
    if years < 100.0 {
        return two(days, 365.0, "y", "d");
    }
    format!("{}y", significant(years, 3))
}

/// `x` with `digits` significant digits, without exponent for ordinary magnitudes.
pub fn significant(x: f64, digits: usize) -> String {
    if x.is_nan() {
        // Undefined (a block's importance when it shares parts with the rest).
        return "—".to_string();
    }
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let mag = x.abs().log10().floor() as i32;
    if !(-4..15).contains(&mag) {
        return format!("{:.*e}", digits.saturating_sub(1), x);
    }
    let decimals = (digits as i32 - 1 - mag).max(0) as usize;
    format!("{x:.decimals$}")
}

fn trim(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

/// An availability as a percentage with enough decimals to show two significant digits of the
/// unavailability: U = 2.9e-4 gives `99.971%`, U = 1e-18 gives `99.9999999999999999%`.
/// A fraction of requests as a percentage with as many digits as it needs to be told apart
/// from its neighbours (`50%`, `99.999999999%`, `93.75%`), at most 15 significant.
pub fn fraction(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let percent = x * 100.0;
    for digits in 1..=15 {
        let shown = trim(&significant(percent, digits));
        if shown
            .parse::<f64>()
            .is_ok_and(|v| (v - percent).abs() <= 1e-13 * percent.abs().max(1e-300))
        {
            return format!("{shown}%");
        }
    }
    format!("{}%", trim(&significant(percent, 15)))
}

/// A share (of downtime, of a budget): one decimal, or two significant digits for small
/// shares; "—" for an unknown one.
pub fn share(x: f64) -> String {
    if x.is_nan() {
        "—".to_string()
    } else if x >= 0.001 {
        format!("{:.1}%", x * 100.0)
    } else {
        format!("{}%", significant(x * 100.0, 2))
    }
}

pub fn percent(availability: f64, unavailability: f64) -> String {
    percent_with(availability, unavailability, 2, false)
}

/// A target such as `99.95%`: as many digits as it has, up to `significant` of its complement.
pub fn percent_exact(availability: f64, unavailability: f64) -> String {
    percent_with(availability, unavailability, 6, true)
}

fn percent_with(a: f64, u: f64, significant_u: i32, trim_zeros: bool) -> String {
    if u <= 0.0 {
        return "100%".to_string();
    }
    if a <= 0.0 {
        return "0%".to_string();
    }
    if u >= 0.5 {
        // Small availability: print it directly (a target with the digits it was given).
        let pct = a * 100.0;
        return if trim_zeros {
            format!("{}%", trim(&self::significant(pct, 6)))
        } else {
            format!("{}%", self::significant(pct, 3))
        };
    }
    let u_pct = u * 100.0;
    let min_decimals = if trim_zeros { 0 } else { 2 };
    let decimals = ((-u_pct.log10()).ceil() as i32 + significant_u - 1).max(min_decimals);
    if decimals > 36 {
        return format!("100% - {u_pct:.1e}%");
    }
    let scale = 10f64.powi(decimals);
    let d = (u_pct * scale).round() as u128;
    let hundred = 100u128 * 10u128.pow(decimals as u32);
    let v = hundred - d.min(hundred);
    let digits = v.to_string();
    let (int_part, frac) = if decimals == 0 {
        (digits.as_str(), "")
    } else {
        let width = decimals as usize + 1;
        let padded = format!("{digits:0>width$}");
        let split = padded.len() - decimals as usize;
        return finish(&padded[..split], &padded[split..], min_decimals as usize);
    };
    finish(int_part, frac, min_decimals as usize)
}

/// Joins the parts, dropping trailing zeros beyond `min_decimals`.
fn finish(int_part: &str, frac: &str, min_decimals: usize) -> String {
    let kept = frac
        .trim_end_matches('0')
        .len()
        .max(min_decimals)
        .min(frac.len());
    let frac = &frac[..kept];
    if frac.is_empty() {
        format!("{int_part}%")
    } else {
        format!("{int_part}.{frac}%")
    }
}

/// Nines as shown to people: `3.54`.
pub fn nines(u: f64) -> String {
    if u <= 0.0 {
        "∞".to_string()
    } else {
        // max: a U rounded a hair over 1 must not read "-0.00".
        format!("{:.2}", (-u.log10()).max(0.0) + 0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration(0.0), "0s");
        assert_eq!(duration(1.75), "1h45m");
        assert_eq!(duration(4.38), "4h23m");
        assert_eq!(duration(0.5), "30m");
        assert_eq!(duration(1.0 / 60.0 * 12.5), "12m30s");
        assert_eq!(duration(42.5 / 3600.0), "42.5s");
        assert_eq!(duration(0.85 / 3600.0), "850ms");
        assert_eq!(duration(0.270252 / 3600.0), "270ms");
        assert_eq!(duration(0.0123 / 3600.0), "12.3ms");
        assert_eq!(duration(76.0), "3d4h");
        assert_eq!(duration(8760.0), "1y");
        assert_eq!(duration(720.0), "30d");
        assert_eq!(duration(59.999 / 60.0), "1h");
        assert_eq!(duration(1e-18 * 8760.0), "3.2e-11s");
    }

    #[test]
    fn percents() {
        assert_eq!(percent(1.0 - 2.9e-4, 2.9e-4), "99.971%");
        assert_eq!(percent(1.0, 1e-18), "99.9999999999999999%");
        assert_eq!(percent(0.99, 0.01), "99.00%");
        assert_eq!(percent(1.0, 0.0), "100%");
        assert_eq!(percent_exact(0.9995, 5e-4), "99.95%");
        assert_eq!(percent_exact(0.999, 1e-3), "99.9%");
        assert_eq!(percent(0.25, 0.75), "25.0%");
    }

    /// Each threshold exactly and each side of it: below the threshold one rounding, from it
    /// the next (values found so that the converted quantity equals the threshold in f64).
    #[test]
    fn duration_thresholds() {
        // secs = 1e-3 exactly: milliseconds from there on.
        assert_eq!(duration(2.777_777_777_777_777_6e-7), "1ms");
        // secs = 0.9995 exactly: seconds, 0.9995 to one decimal is 1.0.
        assert_eq!(duration(0.000_277_638_888_888_888_9), "1s");
        // minutes = 60 - 1/120 exactly: rounded to whole minutes, 1h (not 3599.5 s = 60m).
        assert_eq!(duration(0.999_861_111_111_111_1), "1h");
        // hours = 24 - 1/120 exactly: rounded to whole hours, 1d (not 1439.5 min = 24h).
        assert_eq!(duration(23.991_666_666_666_667), "1d");
        // days = 365 - 1/48 exactly: rounded to whole days, 1y (not 8759.5 h = 365d).
        assert_eq!(duration(8759.5), "1y");
        // Just under each threshold, in the smaller units.
        assert_eq!(duration(45.5 / 60.0), "45m30s");
        assert_eq!(duration(59.7 / 60.0), "59m42s");
        assert_eq!(duration(23.7), "23h42m");
        assert_eq!(duration(364.7 * 24.0), "364d17h");
        // Just over them, in the larger.
        assert_eq!(duration(24.005), "1d");
        assert_eq!(duration(365.01 * 24.0), "1y");
        // From 100 years: years alone, three significant digits (40000 d = 109.59 y).
        assert_eq!(duration(40000.0 * 24.0), "110y");
        assert_eq!(duration(-1.75), "-1h45m");
        assert_eq!(duration(f64::INFINITY), "∞");
        // Not computed.
        assert_eq!(duration(f64::NAN), "—");
    }

    #[test]
    fn significant_digits() {
        assert_eq!(significant(0.0, 3), "0");
        assert_eq!(significant(f64::NAN, 3), "—");
        assert_eq!(significant(f64::INFINITY, 3), "inf");
        assert_eq!(significant(12.3456, 3), "12.3");
        assert_eq!(significant(0.001_234_56, 3), "0.00123");
        assert_eq!(significant(1.5e-4, 3), "0.000150");
        assert_eq!(significant(-0.5, 2), "-0.50");
        assert_eq!(significant(1_234_567.0, 3), "1234567");
        assert_eq!(significant(9.99e14, 3), "999000000000000");
        assert_eq!(significant(2.5e15, 2), "2.5e15");
        assert_eq!(significant(1.5e-5, 3), "1.50e-5");
    }

    /// Two significant digits of U, whatever its size: 100% - 0.0294% = 99.9706%, shown as
    /// 99.971%; 100% - 1.234e-8% shown as 99.999999988%.
    #[test]
    fn percents_round_the_complement() {
        assert_eq!(percent(1.0 - 2.94e-4, 2.94e-4), "99.971%");
        assert_eq!(percent(1.0 - 1.234e-10, 1.234e-10), "99.999999988%");
        assert_eq!(percent(0.0, 1.0), "0%");
        assert_eq!(percent_exact(0.25, 0.75), "25%");
        assert_eq!(percent_exact(0.99, 0.01), "99%");
        // 36 decimals are still written out: 100 - 5e-35 = 99.(34 nines)5.
        assert_eq!(percent(1.0, 5e-37), format!("99.{}5%", "9".repeat(34)));
        // Beyond 36, the difference from 100%.
        assert_eq!(percent(1.0, 1e-40), "100% - 1.0e-38%");
    }

    #[test]
    fn nines_as_text() {
        assert_eq!(nines(1e-3), "3.00");
        assert_eq!(nines(2.9e-4), "3.54");
        assert_eq!(nines(1.0), "0.00");
        assert_eq!(nines(0.0), "∞");
    }
}
