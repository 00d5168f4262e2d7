//! The spread of the expected downtime over the draws of the uncertain parameters
//! (`--uncertainty`): a histogram with bins equal on a log scale (lognormal inputs give
//! results spread over orders of magnitude), one bar per bin, its length the share of the
//! draws that fell in it.

use super::RGBColor;
use super::bars::{Bar, Bars, XAxis};
use crate::units;

/// Bins of the histogram.
const BINS: usize = 12;

/// The chart, or an empty string when every draw gave the same downtime.
pub fn chart(sorted_unavailability: &[f64], horizon_hours: f64) -> String {
    let downtime: Vec<f64> = sorted_unavailability
        .iter()
        .map(|u| u * horizon_hours)
        .filter(|d| *d > 0.0)
        .collect();
    let (Some(&lo), Some(&hi)) = (downtime.first(), downtime.last()) else {
        return String::new();
    };
    if hi <= lo * (1.0 + 1e-9) {
        return String::new();
    }
    let (l0, l1) = (lo.ln(), hi.ln());
    let edge = |k: usize| (l0 + (l1 - l0) * k as f64 / BINS as f64).exp();
    let mut counts = [0usize; BINS];
    for d in &downtime {
        let k = (((d.ln() - l0) / (l1 - l0)) * BINS as f64) as usize;
        counts[k.min(BINS - 1)] += 1;
    }
    let n = sorted_unavailability.len() as f64;
    let labels: Vec<String> = (0..BINS)
        .map(|k| {
            format!(
                "{} – {}",
                units::duration(edge(k)),
                units::duration(edge(k + 1))
            )
        })
        .collect();
    let bars = counts
        .iter()
        .enumerate()
        .filter(|(_, c)| **c > 0)
        .map(|(row, c)| Bar {
            row,
            from: 0.0,
            to: *c as f64 / n * 100.0,
            color: RGBColor(38, 84, 124),
            margin: (4, 4),
            label: Some(format!("{:.1}%", *c as f64 / n * 100.0)),
        })
        .collect();
    Bars {
        labels: &labels,
        row_height: 22,
        x: 0.0..(*counts.iter().max().unwrap_or(&1) as f64 / n * 100.0),
        x_desc: "% of the draws",
        axis: XAxis::Number,
        bars,
        marker: None,
    }
    .svg()
}
