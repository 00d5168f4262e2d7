//! What the hand-drawn charts share: the estimate of a text's size (the one metric the
//! layout and the tests use), and axes that tick at round values: 1, 2, 5 x 10^k for numbers,
//! round durations (1m, 1h, 1d, 7d, 30d, 1y...) for time.

use crate::units;

/// Width of `text` at `size` px in a sans-serif font: an upper estimate (0.6 em per
/// character; digits and lower-case letters are narrower), so that boxes laid out with it do
/// not overlap on screen.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.6
}

/// The box a `<text>` covers: baseline at `y`, ascent 0.8 em, descent 0.25 em.
pub fn text_box(text: &str, size: f64, x: f64, y: f64, anchor: Anchor) -> [f64; 4] {
    let w = text_width(text, size);
    let left = match anchor {
        Anchor::Start => x,
        Anchor::Middle => x - w / 2.0,
        Anchor::End => x - w,
    };
    [left, y - 0.8 * size, left + w, y + 0.25 * size]
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    pub fn svg(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// Ticks of a linear axis from 0 (or `lo`) to at least `hi`: a round step (1, 2 or 5 x 10^k)
/// giving at most `max` intervals. Returns the step and the ticks; the last tick is >= hi.
pub fn nice_ticks(lo: f64, hi: f64, max: usize) -> (f64, Vec<f64>) {
    let span = (hi - lo).max(f64::MIN_POSITIVE);
    let raw = span / max.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * mag);
    (step, multiples(lo, hi, step, max))
}

/// A tick value with the decimals its step needs: step 5 gives "10", step 0.02 gives "0.04".
pub fn tick_label(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10() - 1e-9).ceil() as usize
    };
    format!("{:.decimals$}", v + 0.0)
}

/// Round durations in hours, from a second to a century.
const ROUND_HOURS: [f64; 31] = [
    1.0 / 3600.0,
    2.0 / 3600.0,
    5.0 / 3600.0,
    10.0 / 3600.0,
    15.0 / 3600.0,
    30.0 / 3600.0,
    1.0 / 60.0,
    2.0 / 60.0,
    5.0 / 60.0,
    10.0 / 60.0,
    15.0 / 60.0,
    0.5,
    1.0,
    2.0,
    3.0,
    6.0,
    12.0,
    24.0,
    48.0,
    168.0,
    336.0,
    720.0,
    1440.0,
    2160.0,
    4380.0,
    8760.0,
    2.0 * 8760.0,
    5.0 * 8760.0,
    10.0 * 8760.0,
    20.0 * 8760.0,
    100.0 * 8760.0,
];

/// Ticks of a linear time axis in hours from `lo` to at least `hi`: multiples of a round
/// duration (at most `max` intervals), or of 1, 2, 5 x 10^k when shorter than a second.
pub fn duration_ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    let span = (hi - lo).max(0.0);
    if span < ROUND_HOURS[0] * max as f64 {
        // Under a few seconds: 1, 2, 5 x 10^k seconds (ms, not 3.6ms steps of hours).
        let (_, t) = nice_ticks(lo * 3600.0, hi * 3600.0, max);
        return t.into_iter().map(|s| s / 3600.0).collect();
    }
    let Some(step) = ROUND_HOURS.iter().copied().find(|s| span / s <= max as f64) else {
        return nice_ticks(lo, hi, max).1;
    };
    if span / step > max as f64 || step == ROUND_HOURS[0] && span / step < 1.0 {
        return nice_ticks(lo, hi, max).1;
    }
    multiples(lo, hi, step, max)
}

/// Ticks of a log time axis from `t0` to `t1` hours: round durations a reader knows (1m,
/// 10m, 1h, 6h, 1d, 7d, 30d, 1y, 10y, 100y...), thinned to at most `max`.
pub fn log_time_ticks(t0: f64, t1: f64, max: usize) -> Vec<f64> {
    let mut candidates: Vec<f64> = vec![
        1.0 / 3600.0,
        10.0 / 3600.0,
        1.0 / 60.0,
        10.0 / 60.0,
        1.0,
        6.0,
        24.0,
        168.0,
        720.0,
        8760.0,
    ];
    let mut y = 10.0 * 8760.0;
    while y < t1 * 10.0 && y < 1e12 {
        candidates.push(y);
        y *= 10.0;
    }
    let inside: Vec<f64> = candidates
        .into_iter()
        .filter(|t| *t >= t0 * (1.0 - 1e-9) && *t <= t1 * (1.0 + 1e-9))
        .collect();
    if inside.len() <= max {
        return inside;
    }
    let every = inside.len().div_ceil(max.max(1));
    inside.into_iter().step_by(every).collect()
}

/// A tick's label on a time axis: `1h`, `1d`, `7d`, `30d`, `1y`.
pub fn duration_label(hours: f64) -> String {
    units::duration(hours)
}

/// The multiples of `step` from the one at or below `lo` to the first at or above `hi` (at
/// most 4 max + 3 of them; + 0.0 turns -0 into 0).
fn multiples(lo: f64, hi: f64, step: f64, max: usize) -> Vec<f64> {
    let mut ticks = Vec::new();
    let mut i = (lo / step).floor();
    loop {
        let t = i * step;
        ticks.push(t + 0.0);
        if t >= hi * (1.0 - 1e-12) || ticks.len() > 4 * max + 2 {
            break;
        }
        i += 1.0;
    }
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_ticks_are_round() {
        let (step, t) = nice_ticks(0.0, 53.0, 6);
        assert_eq!(step, 10.0);
        assert_eq!(t, vec![0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0]);
        let labels: Vec<String> = t.iter().map(|v| tick_label(*v, step)).collect();
        assert_eq!(labels[2], "20");
        let (step, _) = nice_ticks(0.0, 0.07, 6);
        assert_eq!(tick_label(0.04, step), "0.04");
    }

    #[test]
    fn time_ticks_are_round_durations() {
        let labels = |t: Vec<f64>| t.into_iter().map(duration_label).collect::<Vec<_>>();
        assert_eq!(
            labels(log_time_ticks(0.1, 20.0 * 8760.0, 10)),
            ["10m", "1h", "6h", "1d", "7d", "30d", "1y", "10y"]
        );
        let t = labels(duration_ticks(0.0, 0.55, 7));
        assert_eq!(t, ["0s", "5m", "10m", "15m", "20m", "25m", "30m", "35m"]);
        let t = labels(duration_ticks(0.0, 30.0, 7));
        assert_eq!(t, ["0s", "6h", "12h", "18h", "1d", "1d6h"]);
    }
}
