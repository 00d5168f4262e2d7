//! How much of the time the system serves each fraction of requests below all of them
//! (`shards`, `pool`, `serves`): one bar per fraction, its length the expected time per
//! horizon spent there, the most frequent first (at most 16).

use super::RGBColor;
use super::bars::{Bar, Bars, XAxis};
use crate::solve::served::Distribution;
use crate::units;

/// Bars shown.
const ROWS: usize = 16;

/// The chart, or an empty string when S is always 1 or 0 (nothing degraded to show).
pub fn chart(d: &Distribution, horizon_hours: f64) -> String {
    let mut rows: Vec<(f64, f64)> = d
        .points
        .iter()
        .copied()
        .filter(|(s, p)| *s < 1.0 && *p > 0.0)
        .collect();
    if !rows.iter().any(|(s, _)| *s > 0.0) {
        return String::new();
    }
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    rows.truncate(ROWS);
    // Fractions a million times rarer than the most frequent would be invisible bars.
    let top = rows.first().map_or(0.0, |r| r.1);
    rows.retain(|r| r.1 >= top * 1e-6);
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    let labels: Vec<String> = rows
        .iter()
        .map(|(s, _)| format!("serves {}", units::fraction(*s)))
        .collect();
    let max = rows.iter().map(|r| r.1 * horizon_hours).fold(0.0, f64::max);
    let bars = rows
        .iter()
        .enumerate()
        .map(|(row, (s, p))| Bar {
            row,
            from: 0.0,
            to: p * horizon_hours,
            color: if *s == 0.0 {
                RGBColor(164, 22, 26)
            } else {
                RGBColor(214, 137, 16)
            },
            margin: (4, 4),
            label: Some(units::duration(p * horizon_hours)),
        })
        .collect();
    let desc = format!("expected time per {}", units::duration(horizon_hours));
    Bars {
        labels: &labels,
        row_height: 24,
        x: 0.0..max.max(1e-12),
        x_desc: &desc,
        axis: XAxis::Hours,
        bars,
        marker: None,
    }
    .svg()
}
