//! Where the downtime comes from: each component's and named block's share of system
//! downtime (the downtime that would go if it never failed), largest first.

use super::{WIDTH, inline, label_width, short};
use plotters::prelude::*;

/// Bars of (label, share in [0, 1], is a named block).
pub fn chart(rows: &[(String, f64, bool)]) -> String {
    let mut svg = String::new();
    if rows.is_empty() {
        return svg;
    }
    let labels: Vec<String> = rows
        .iter()
        .map(|(n, _, block)| short(&format!("{}{n}", if *block { "▣ " } else { "" }), 34))
        .collect();
    let left = label_width(labels.iter().map(|l| l.chars().count()).max().unwrap_or(10));
    let height = 60 + 24 * rows.len() as u32;
    let max = rows.iter().map(|r| r.1).fold(0.0, f64::max).max(1e-9) * 100.0 * 1.08;
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let n = rows.len() as i32;
        let built = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(28)
            .y_label_area_size(left)
            .build_cartesian_2d(0.0..max, (0..n).into_segmented());
        let Ok(mut chart) = built else {
            return String::new();
        };
        let _ = chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(WHITE)
            .x_desc("share of system downtime (%)")
            .y_label_formatter(&|v| super::row_label(&labels, v))
            .y_labels(rows.len())
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 15))
            .draw();
        let _ = chart.draw_series(rows.iter().enumerate().map(|(i, (_, share, block))| {
            let y = n - 1 - i as i32;
            let color = if *block {
                RGBColor(110, 110, 110)
            } else {
                RGBColor(47, 109, 181)
            };
            let mut bar = Rectangle::new(
                [
                    (0.0, SegmentValue::Exact(y)),
                    (share * 100.0, SegmentValue::Exact(y + 1)),
                ],
                color.filled(),
            );
            bar.set_margin(4, 4, 0, 0);
            bar
        }));
        let _ = root.present();
    }
    inline(svg)
}
