//! The quantities of the model format: durations, probabilities and rates.
//!
//! All times are carried in hours. A year is 365 days, as the format says (not the 365.25 of
//! some duration crates). Probabilities keep both p and its complement 1 - p, each computed
//! from the decimal digits as written, so that `99.9999999999999999%` has a complement of
//! exactly 1e-18 rather than whatever `1.0 - 0.999...` rounds to in binary.

use crate::probability::Probability;

/// Hours per unit, for the duration units the format accepts.
pub const UNITS: &[(&str, f64)] = &[
    ("ms", 1.0 / 3_600_000.0),
    ("s", 1.0 / 3600.0),
    ("min", 1.0 / 60.0),
    ("m", 1.0 / 60.0),
    ("h", 1.0),
    ("d", 24.0),
    ("w", 168.0),
    ("y", 8760.0),
];

/// Shortest duration accepted (other than zero): one nanosecond, in hours. With the longest,
/// it bounds every rate hacalc works with to about 25 orders of magnitude, so no ratio of
/// rates in a chain can overflow.
pub const MIN_DURATION_HOURS: f64 = 1e-9 / 3600.0;

/// Longest duration accepted: a billion years (of 365 days), in hours.
pub const MAX_DURATION_HOURS: f64 = 1e9 * 8760.0;

/// The accepted range, for messages (a nanosecond has no unit of its own in the format).
pub const DURATION_RANGE: &str = "1 ns (0.000001ms) to 1e9 years (1e9y)";

/// Relative slack at the range's edges. A duration written at an edge in another unit
/// converts to hours with a rounding: `0.000001ms` is 2.7777777777777774e-13 h, one ulp below
/// `MIN_DURATION_HOURS`, and was refused as shorter than a nanosecond. A part in 10^12 lets
/// every spelling of an edge in, far below anything a model can tell apart, and keeps the
/// range's purpose (no ratio of rates can overflow).
const EDGE_SLACK: f64 = 1e-12;

/// Whether a duration in hours, or the mean time of a rate, lies in the accepted range
/// (zero is not in it: callers that allow zero test for it first). NaN is not.
pub fn duration_in_range(hours: f64) -> bool {
    (MIN_DURATION_HOURS * (1.0 - EDGE_SLACK)..=MAX_DURATION_HOURS * (1.0 + EDGE_SLACK))
        .contains(&hours)
}

/// Units listed for messages.
pub const UNIT_LIST: &str = "ms, s, m (minutes), h, d, w or y (365 days)";

/// Why a quantity could not be read; the caller adds the location.
#[derive(Debug, Clone, PartialEq)]
pub struct QuantityError {
    pub message: String,
    pub hint: Option<String>,
}

fn err(message: impl Into<String>, hint: Option<String>) -> QuantityError {
    QuantityError {
        message: message.into(),
        hint,
    }
}

/// Splits `text` into a leading decimal number (with optional exponent) and the rest.
fn split_number(text: &str) -> Option<(&str, &str)> {
    let b = text.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i == digits_start || (i == digits_start + 1 && b[digits_start] == b'.') {
        return None;
    }
    // An exponent only when digits follow, so that "5e" is not half-read.
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        let exp_digits = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > exp_digits {
            i = j;
        }
    }
    Some((&text[..i], &text[i..]))
}

/// Parses a duration such as `30m`, `1h30m`, `2.5d`, `1y` into hours.
pub fn parse_duration(text: &str) -> Result<f64, QuantityError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(err(
            "empty duration",
            Some("write a number with a unit, e.g. `4h`".into()),
        ));
    }
    if t.starts_with('-') {
        return Err(err(
            format!("duration `{t}` is negative"),
            Some("durations must be zero or more".into()),
        ));
    }
    let mut rest = t;
    let mut total = 0.0;
    let mut last_rank: Option<usize> = None;
    while !rest.is_empty() {
        let Some((num, after)) = split_number(rest) else {
            return Err(err(
                format!("`{t}` is not a duration"),
                Some(format!(
                    "write a number followed by a unit ({UNIT_LIST}), e.g. `30m` or `1h30m`"
                )),
            ));
        };
        // The leading sign was refused above; a later one would subtract (`1d-23h` is one
        // hour), which is surely not what was meant.
        if num.starts_with('-') {
            return Err(err(
                format!("`{num}` in duration `{t}` is negative"),
                Some("the parts of a duration add up; write the total, e.g. `1h30m`".into()),
            ));
        }
        let value: f64 = num
            .parse()
            .map_err(|_| err(format!("bad number in `{t}`"), None))?;
        let after = after.trim_start();
        let unit_len = after
            .find(|c: char| !c.is_ascii_alphabetic() && c != 'µ' && c != 'μ')
            .unwrap_or(after.len());
        let unit = &after[..unit_len];
        if unit.is_empty() {
            return Err(if rest == t {
                err(
                    format!("duration `{t}` has no unit"),
                    Some(format!(
                        "add a unit: `{t}h` for hours, `{t}m` for minutes, `{t}d` for days ({UNIT_LIST})"
                    )),
                )
            } else {
                err(
                    format!("`{num}` in duration `{t}` has no unit"),
                    Some(format!("every part needs a unit ({UNIT_LIST})")),
                )
            });
        }
        let Some(rank) = UNITS.iter().position(|(u, _)| *u == unit) else {
            let below_ms = matches!(unit, "ns" | "us" | "µs" | "μs").then(|| {
                "the smallest unit is ms: 1 µs is `0.001ms`, 1 ns is `0.000001ms`".to_string()
            });
            let hint = below_ms
                .or_else(|| spelled_out(t).map(|short| format!("did you mean `{short}`?")))
                .or_else(|| {
                    crate::diagnostics::did_you_mean(
                        unit,
                        ["ms", "s", "m", "min", "h", "d", "w", "y"],
                    )
                })
                .or_else(|| Some(format!("use one of {UNIT_LIST}")));
            return Err(err(format!("unknown time unit `{unit}` in `{t}`"), hint));
        };
        let order = unit_order(rank);
        if let Some(prev) = last_rank
            && order <= prev
        {
            return Err(err(
                format!("units of `{t}` are out of order or repeated"),
                Some("write the largest unit first, each once, e.g. `1d2h30m`".into()),
            ));
        }
        last_rank = Some(order);
        total += value * UNITS[rank].1;
        rest = after[unit_len..].trim_start();
    }
    in_range(total, t)?;
    Ok(total)
}

/// The short unit for a unit written out in words: `years` is `y`, `hrs` is `h`.
fn short_unit(word: &str) -> Option<&'static str> {
    Some(match word.to_ascii_lowercase().as_str() {
        "millisecond" | "milliseconds" | "msec" | "msecs" => "ms",
        "sec" | "secs" | "second" | "seconds" => "s",
        "mins" | "minute" | "minutes" => "m",
        "hr" | "hrs" | "hour" | "hours" => "h",
        "day" | "days" => "d",
        "wk" | "wks" | "week" | "weeks" => "w",
        "yr" | "yrs" | "year" | "years" => "y",
        _ => return None,
    })
}

/// `1 year`, `2 hours`, `30days`, `1 hour 30 minutes` written the short way (`1y`, `2h`,
/// `30d`, `1h30m`), when every unit is a word for one and the result reads as a duration.
fn spelled_out(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let (num, after) = split_number(rest)?;
        let after = after.trim_start();
        let len = after
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(after.len());
        let word = &after[..len];
        let unit =
            short_unit(word).or_else(|| UNITS.iter().any(|(u, _)| *u == word).then_some(""))?;
        out.push_str(num);
        out.push_str(if unit.is_empty() { word } else { unit });
        rest = after[len..].trim_start_matches([' ', ',']).trim_start();
        rest = rest.strip_prefix("and ").unwrap_or(rest).trim_start();
    }
    (out != text && parse_duration(&out).is_ok()).then_some(out)
}

/// How a duration (hours) outside the range misses it, in words for messages.
pub fn out_of_range(hours: f64) -> &'static str {
    if hours < MIN_DURATION_HOURS {
        "shorter than a nanosecond"
    } else {
        "longer than a billion years"
    }
}

/// A duration (hours) of zero or within [`MIN_DURATION_HOURS`, `MAX_DURATION_HOURS`].
fn in_range(hours: f64, text: &str) -> Result<(), QuantityError> {
    if hours == 0.0 || duration_in_range(hours) {
        return Ok(());
    }
    Err(err(
        format!("duration `{text}` is {}", out_of_range(hours)),
        Some(format!("durations must lie in {DURATION_RANGE}")),
    ))
}

/// Order of a unit from largest (0) to smallest; `min` and `m` are the same unit.
fn unit_order(rank: usize) -> usize {
    let name = UNITS[rank].0;
    ["y", "w", "d", "h", "m", "s", "ms"]
        .iter()
        .position(|u| *u == if name == "min" { "m" } else { name })
        .unwrap_or(0)
}

/// Parses a rate such as `2e-5/h`, `3/y` or `1/30d` into events per hour.
pub fn parse_rate(text: &str) -> Result<f64, QuantityError> {
    let t = text.trim();
    let Some((num, per)) = t.split_once('/') else {
        // `rate: 1h` is a mean time, not a rate.
        let hint = if parse_duration(t).is_ok() {
            format!(
                "`{t}` is a duration: a rate is events per unit of time, such as `1/{t}` (once per {t})"
            )
        } else {
            format!("write events per unit of time, e.g. `{t}/h` or `{t}/y`")
        };
        return Err(err(format!("rate `{t}` has no time unit"), Some(hint)));
    };
    let count: f64 = num.trim().parse().map_err(|_| {
        err(
            format!("`{}` in rate `{t}` is not a number", num.trim()),
            Some("write e.g. `2e-5/h` or `3/y`".into()),
        )
    })?;
    if count < 0.0 {
        return Err(err(format!("rate `{t}` is negative"), None));
    }
    let per = per.trim();
    // `/h` means per one hour; `/30d` per thirty days.
    let per_hours = if per.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        parse_duration(per)?
    } else {
        parse_duration(&format!("1{per}")).map_err(|e| {
            err(
                format!("unknown time unit `{per}` in rate `{t}`"),
                e.hint.or_else(|| Some(format!("use one of {UNIT_LIST}"))),
            )
        })?
    };
    if per_hours <= 0.0 {
        return Err(err(format!("rate `{t}` divides by a zero duration"), None));
    }
    let rate = count / per_hours;
    // The mean time between events, 1 / rate, must be a duration in range.
    let mean = 1.0 / rate;
    if rate > 0.0 && !duration_in_range(mean) {
        // An infinite rate has mean 0, below the minimum too.
        let what = if mean < MIN_DURATION_HOURS {
            "faster than once per nanosecond"
        } else {
            "slower than once per billion years"
        };
        return Err(err(
            format!("rate `{t}` is {what}"),
            Some(format!(
                "a rate must be between once per nanosecond and once per billion years (its mean time must lie in {DURATION_RANGE})"
            )),
        ));
    }
    Ok(rate)
}

/// Parses an availability or probability: `99.95%`, `0.9995`, `1`, `0`.
/// `number` says whether YAML read the value as a number (not a string).
pub fn parse_probability(text: &str, number: bool) -> Result<Probability, QuantityError> {
    let t = text.trim();
    let (body, percent) = match t.strip_suffix('%') {
        Some(b) => (b.trim(), true),
        None => (t, false),
    };
    let Some((num, rest)) = split_number(body) else {
        return Err(err(
            format!("`{t}` is not a probability"),
            Some("write a percentage such as `99.95%` or a number between 0 and 1".into()),
        ));
    };
    if !rest.is_empty() {
        return Err(err(
            format!("`{t}` is not a probability"),
            Some("write a percentage such as `99.95%` or a number between 0 and 1".into()),
        ));
    }
    let value: f64 = num
        .parse()
        .map_err(|_| err(format!("`{t}` is not a number"), None))?;
    // A percentage is the written decimal moved two places, rounded once: `99.999%` is the
    // double nearest 0.99999, not 99.999 / 100 (0.9999899999999999).
    let scaled = if percent {
        percent_value(num).unwrap_or(value / 100.0)
    } else {
        value
    } + 0.0; // `-0%` is 0, not -0.0
    if !(0.0..=1.0).contains(&scaled) || value.is_nan() {
        let hint = if !percent && number && (1.0..=100.0).contains(&value) {
            Some(format!(
                "a bare number must lie in [0, 1]; did you mean `{t}%`?"
            ))
        } else {
            Some("a probability lies between 0 and 1 (0% and 100%)".into())
        };
        return Err(err(format!("`{t}` is outside [0, 1]"), hint));
    }
    let q = exact_complement(num, if percent { 2 } else { 0 }).unwrap_or(1.0 - scaled);
    Ok(Probability { p: scaled, q })
}

/// The decimal `num` / 100, rounded once from the written digits (the exponent shifted by two).
fn percent_value(num: &str) -> Option<f64> {
    let (mantissa, exp) = match num.find(['e', 'E']) {
        Some(i) => (&num[..i], num[i + 1..].parse::<i32>().ok()?),
        None => (num, 0),
    };
    let v: f64 = format!("{mantissa}e{}", exp.checked_sub(2)?).parse().ok()?;
    v.is_finite().then_some(v)
}

/// 1 - x for the decimal `num` x 10^-shift, computed on the decimal digits and rounded once.
/// None when the digits do not fit the integer arithmetic (then the caller falls back).
fn exact_complement(num: &str, shift: i32) -> Option<f64> {
    let num = num.trim_start_matches('+');
    let (mantissa, exp) = match num.find(['e', 'E']) {
        Some(i) => (&num[..i], num[i + 1..].parse::<i32>().ok()?),
        None => (num, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int_part}{frac_part}");
    let digits = digits.trim_start_matches('0');
    let m: u128 = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    // x = m * 10^e10
    let e10 = exp - frac_part.len() as i32 - shift;
    if e10 >= 0 {
        // x is an integer: in [0, 1] only 0 or 1.
        let x = m.checked_mul(10u128.checked_pow(e10 as u32)?)?;
        return Some(if x >= 1 { 0.0 } else { 1.0 });
    }
    let one = 10u128.checked_pow((-e10) as u32)?;
    let q = one.checked_sub(m)?;
    format!("{q}e{e10}").parse().ok()
}

/// Largest count (`k`, `n`, `crews`) accepted: ten million copies.
pub const MAX_COUNT: u64 = 10_000_000;

/// Parses a count such as `k`, `n` or `crews`: a whole number, at least `min`.
pub fn parse_count(value: f64, text: &str, min: u64) -> Result<u64, QuantityError> {
    if value.fract() != 0.0 || !value.is_finite() {
        return Err(err(format!("`{text}` is not a whole number"), None));
    }
    if value < min as f64 {
        return Err(err(format!("`{text}` must be at least {min}"), None));
    }
    if value > MAX_COUNT as f64 {
        return Err(err(
            format!("`{text}` is too large"),
            Some(format!(
                "hacalc handles at most {MAX_COUNT} copies in one block"
            )),
        ));
    }
    Ok(value as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_in_words_get_the_short_form() {
        for (text, short) in [
            ("1 year", "1y"),
            ("2 hours", "2h"),
            ("30days", "30d"),
            ("1 hour 30 minutes", "1h30m"),
            ("90 secs", "90s"),
            ("1.5 weeks", "1.5w"),
            ("500 milliseconds", "500ms"),
            ("2 yrs 3 wks", "2y3w"),
        ] {
            let e = parse_duration(text).unwrap_err();
            assert_eq!(
                e.hint.as_deref(),
                Some(format!("did you mean `{short}`?").as_str()),
                "{text}"
            );
        }
        let e = parse_rate("1h").unwrap_err();
        assert!(e.hint.unwrap().contains("`1/1h`"));
        // No "did you mean" that would itself be refused (`1h1h` repeats its unit), or that
        // names a word that is no unit.
        for text in ["1 hour 1 hour", "2 hours 3 parsecs"] {
            let hint = parse_duration(text).unwrap_err().hint.unwrap();
            assert!(!hint.contains("did you mean"), "{text}: {hint}");
        }
    }

    #[test]
    fn percentages_are_the_written_decimal() {
        // Not 99.999 / 100 = 0.9999899999999999: the value as written, rounded once.
        for (text, value) in [
            ("99.999%", 0.99999),
            ("99.99%", 0.9999),
            ("99.9%", 0.999),
            ("99.95%", 0.9995),
            ("9.99e1%", 0.999),
            ("0.1%", 0.001),
            ("100%", 1.0),
        ] {
            let p = parse_probability(text, false).unwrap();
            assert_eq!(p.p, value, "{text}");
        }
        let zero = parse_probability("-0%", false).unwrap();
        assert!(zero.p == 0.0 && zero.p.is_sign_positive());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30m").unwrap(), 0.5);
        assert_eq!(parse_duration("1h30m").unwrap(), 1.5);
        assert_eq!(parse_duration("1y").unwrap(), 8760.0);
        assert_eq!(parse_duration("2w").unwrap(), 336.0);
        assert_eq!(parse_duration("90s").unwrap(), 90.0 / 3600.0);
        assert_eq!(parse_duration("500ms").unwrap(), 0.5 / 3600.0);
        assert_eq!(parse_duration("15min").unwrap(), 0.25);
        assert_eq!(parse_duration("1.5d").unwrap(), 36.0);
        assert_eq!(parse_duration("1e3h").unwrap(), 1000.0);
        assert_eq!(parse_duration("1d 12h").unwrap(), 36.0);
        assert_eq!(parse_duration("0s").unwrap(), 0.0);
    }

    /// The range's edges are accepted however they are written, although the conversion to
    /// hours rounds (`0.000001ms` lands one ulp below a nanosecond), and a step past either
    /// edge is refused. Rates and the mean times they imply alike.
    #[test]
    fn range_edges_in_every_unit() {
        for edge in ["0.000001ms", "1e-6ms", "1e-9s", "0.000000001s"] {
            let h = parse_duration(edge).unwrap_or_else(|e| panic!("{edge}: {e:?}"));
            assert!(
                (h / MIN_DURATION_HOURS - 1.0).abs() < 1e-15,
                "{edge}: {h:e}"
            );
        }
        for edge in ["1e9y", "52142857142.857142w", "365e9d", "8.76e12h"] {
            let h = parse_duration(edge).unwrap_or_else(|e| panic!("{edge}: {e:?}"));
            assert!(
                (h / MAX_DURATION_HOURS - 1.0).abs() < 1e-15,
                "{edge}: {h:e}"
            );
        }
        assert_eq!(MIN_DURATION_HOURS, 1e-9 / 3600.0);
        assert_eq!(MAX_DURATION_HOURS, 8.76e12);
        for (past, what) in [
            ("0.00000099ms", "shorter than a nanosecond"),
            ("9.9e-10s", "shorter than a nanosecond"),
            ("1.000001e9y", "longer than a billion years"),
            ("1e400y", "longer than a billion years"),
        ] {
            let e = parse_duration(past).unwrap_err();
            assert!(e.message.contains(what), "{past}: {e:?}");
            assert!(e.hint.unwrap().contains("0.000001ms"), "{past}");
        }
        for edge in [
            "3.6e12/h",
            "1e9/s",
            "1/0.000001ms",
            "1/1e9y",
            "1.1415525114155251e-13/h",
        ] {
            assert!(parse_rate(edge).is_ok(), "{edge}: {:?}", parse_rate(edge));
        }
        for past in ["3.61e12/h", "1/1.000001e9y", "1e-14/h"] {
            assert!(parse_rate(past).is_err(), "{past}");
        }
        assert!(!duration_in_range(f64::NAN));
        assert!(!duration_in_range(0.0));
    }

    /// A later part of a compound duration cannot subtract: `1d-23h` is refused, not one hour.
    #[test]
    fn a_negative_part_is_refused() {
        for t in ["1h-30m", "1d-23h", "1h -30m"] {
            let e = parse_duration(t).unwrap_err();
            assert!(e.message.contains("is negative"), "{t}: {e:?}");
        }
        assert_eq!(parse_duration("1h+30m").unwrap(), 1.5);
        assert_eq!(parse_duration("1e-3h").unwrap(), 1e-3);
    }

    /// The number at the start of a duration or its parts: digits, an optional point and
    /// fraction, an exponent only when digits follow it, and nothing from an empty text or a
    /// lone point.
    #[test]
    fn numbers_split_from_their_units() {
        assert_eq!(split_number(""), None);
        assert_eq!(split_number("."), None);
        assert_eq!(split_number(".h"), None);
        assert_eq!(split_number("+.h"), None);
        assert_eq!(split_number("h"), None);
        assert_eq!(split_number(".5h"), Some((".5", "h")));
        assert_eq!(split_number("5.h"), Some(("5.", "h")));
        assert_eq!(split_number("+5h"), Some(("+5", "h")));
        assert_eq!(split_number("12.25e-3d"), Some(("12.25e-3", "d")));
        assert_eq!(split_number("5e"), Some(("5", "e")));
        assert_eq!(split_number("5e+h"), Some(("5", "e+h")));
        assert_eq!(split_number("5E2s"), Some(("5E2", "s")));
        assert_eq!(split_number("123"), Some(("123", "")));
    }

    #[test]
    fn bad_durations() {
        assert!(
            parse_duration("10")
                .unwrap_err()
                .message
                .contains("no unit")
        );
        assert!(
            parse_duration("10hr")
                .unwrap_err()
                .message
                .contains("unknown time unit")
        );
        assert!(
            parse_duration("-5h")
                .unwrap_err()
                .message
                .contains("negative")
        );
        assert!(
            parse_duration("30m1h")
                .unwrap_err()
                .message
                .contains("order")
        );
        assert!(
            parse_duration("1h1h")
                .unwrap_err()
                .message
                .contains("order")
        );
        assert!(parse_duration("h").is_err());
        for t in ["1ns", "2us", "3 µs", "4μs"] {
            let hint = parse_duration(t).unwrap_err().hint.unwrap();
            assert!(hint.contains("`0.000001ms`"), "{t}: {hint}");
        }
        // Which number lacks its unit: the whole text, or a later part of it.
        assert_eq!(
            parse_duration("10").unwrap_err().message,
            "duration `10` has no unit"
        );
        assert_eq!(
            parse_duration("1h30").unwrap_err().message,
            "`30` in duration `1h30` has no unit"
        );
    }

    #[test]
    fn rates() {
        assert_eq!(parse_rate("2e-5/h").unwrap(), 2e-5);
        assert_eq!(parse_rate("3/y").unwrap(), 3.0 / 8760.0);
        assert_eq!(parse_rate("1/30d").unwrap(), 1.0 / 720.0);
        assert!(
            parse_rate("2e-5")
                .unwrap_err()
                .message
                .contains("no time unit")
        );
        assert!(parse_rate("2/parsec").is_err());
        assert_eq!(parse_rate("0/h").unwrap(), 0.0);
        assert_eq!(parse_rate("0/1e9y").unwrap(), 0.0);
        assert!(parse_rate("-1/h").unwrap_err().message.contains("negative"));
        assert!(
            parse_rate("-0.5/y")
                .unwrap_err()
                .message
                .contains("negative")
        );
        assert!(
            parse_rate("1/0h")
                .unwrap_err()
                .message
                .contains("zero duration")
        );
        for (past, what) in [
            ("3.61e12/h", "faster than once per nanosecond"),
            ("1e400/h", "faster than once per nanosecond"),
            ("0.5/1e9y", "slower than once per billion years"),
            ("1e-14/h", "slower than once per billion years"),
        ] {
            let e = parse_rate(past).unwrap_err();
            assert!(e.message.contains(what), "{past}: {e:?}");
        }
    }

    #[test]
    fn probabilities_keep_exact_complements() {
        let p = parse_probability("99.95%", false).unwrap();
        assert_eq!(p.q, 5e-4);
        assert_eq!(p.p, 0.9995);
        let p = parse_probability("0.999999999999999999", true).unwrap();
        assert_eq!(p.q, 1e-18);
        let p = parse_probability("99.9999999999999999%", false).unwrap();
        assert_eq!(p.q, 1e-18);
        assert_eq!(parse_probability("1", true).unwrap(), Probability::ONE);
        assert_eq!(parse_probability("0", true).unwrap(), Probability::ZERO);
        assert_eq!(parse_probability("100%", false).unwrap().q, 0.0);
        assert_eq!(parse_probability("9.995e-1", true).unwrap().q, 5e-4);
    }

    #[test]
    fn bad_probabilities() {
        let e = parse_probability("99.95", true).unwrap_err();
        assert!(e.hint.unwrap().contains("99.95%"));
        assert!(parse_probability("101%", false).is_err());
        assert!(parse_probability("-0.1", true).is_err());
        assert!(parse_probability("high", false).is_err());
        // The percentage hint goes to a bare YAML number only, not to a quoted string
        // (which was written as it is) nor to a percentage.
        for (text, number) in [("50", false), ("150%", false), ("150", true), ("-1", true)] {
            let hint = parse_probability(text, number).unwrap_err().hint.unwrap();
            assert!(!hint.contains("did you mean"), "{text}: {hint}");
        }
        assert!(
            parse_probability("50", true)
                .unwrap_err()
                .hint
                .unwrap()
                .contains("`50%`")
        );
    }

    /// More digits than the exact complement can hold (u128): 1 - p in binary then, which
    /// is exact enough at these values.
    #[test]
    fn complement_of_very_long_decimals() {
        let text = "0.12345678901234567890123456789012345678901234567890";
        let p = parse_probability(text, true).unwrap();
        assert_eq!(p.p, 0.12345678901234568);
        assert_eq!(p.q, 1.0 - 0.12345678901234568);
        let p = parse_probability("99.999999999999999999999999999999999999999999%", false).unwrap();
        assert_eq!((p.p, p.q), (1.0, 0.0));
    }

    #[test]
    fn counts() {
        assert_eq!(parse_count(3.0, "3", 1), Ok(3));
        assert_eq!(parse_count(0.0, "0", 0), Ok(0));
        assert_eq!(parse_count(MAX_COUNT as f64, "1e7", 1), Ok(MAX_COUNT));
        let e = parse_count(MAX_COUNT as f64 + 1.0, "10000001", 1).unwrap_err();
        assert!(e.message.contains("too large") && e.hint.unwrap().contains("10000000"));
        for (v, text) in [(1.5, "1.5"), (f64::INFINITY, ".inf"), (f64::NAN, ".nan")] {
            let e = parse_count(v, text, 1).unwrap_err();
            assert!(e.message.contains("not a whole number"), "{text}: {e:?}");
        }
        assert!(
            parse_count(0.0, "0", 1)
                .unwrap_err()
                .message
                .contains("at least 1")
        );
        assert!(
            parse_count(1.0, "1", 2)
                .unwrap_err()
                .message
                .contains("at least 2")
        );
    }
}
