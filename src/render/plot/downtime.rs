//! Where the downtime comes from: each component's and named block's share of system
//! downtime (the downtime that would go if it never failed), largest first.

use super::RGBColor;
use super::bars::{Bar, Bars, XAxis};
use crate::render::text::shorten;

/// Bars of (label, share in [0, 1], is a named block).
pub fn chart(rows: &[(String, f64, bool)]) -> String {
    let labels: Vec<String> = rows
        .iter()
        .map(|(n, _, block)| shorten(&format!("{}{n}", if *block { "▣ " } else { "" }), 34))
        .collect();
    let max = rows.iter().map(|r| r.1).fold(0.0, f64::max).max(1e-9) * 100.0;
    let bars = rows
        .iter()
        .enumerate()
        .map(|(row, (_, share, block))| Bar {
            row,
            from: 0.0,
            to: share * 100.0,
            color: if *block {
                RGBColor(110, 110, 110)
            } else {
                RGBColor(47, 109, 181)
            },
            margin: (4, 4),
            // The share as the tables give it: 0.0067%, not 0.0%.
            label: Some(crate::render::table::share_percent(*share)),
        })
        .collect();
    Bars {
        labels: &labels,
        row_height: 24,
        x: 0.0..max,
        x_desc: "share of system downtime (%)",
        axis: XAxis::Number,
        bars,
        marker: None,
    }
    .svg()
}
