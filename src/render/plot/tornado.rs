//! Sensitivity: how expected downtime per horizon moves when each component's mtbf or mttr
//! is halved or doubled, widest swing first.

use super::{WIDTH, inline, label_width, short};
use crate::solve::sensitivity::Sensitivity;
use plotters::prelude::*;

pub fn chart(rows: &[Sensitivity]) -> String {
    let mut svg = String::new();
    if rows.is_empty() {
        return svg;
    }
    let labels: Vec<String> = rows.iter().map(|r| short(&r.name, 30)).collect();
    let left = label_width(labels.iter().map(|l| l.chars().count()).max().unwrap_or(10));
    let height = 80 + 34 * rows.len() as u32;
    let all = rows.iter().flat_map(|r| {
        [
            r.mtbf_halved,
            r.mtbf_doubled,
            r.mttr_halved,
            r.mttr_doubled,
            r.base_hours,
        ]
    });
    let (lo, hi) = all.fold((f64::MAX, 0.0f64), |(lo, hi), x| (lo.min(x), hi.max(x)));
    let pad = (hi - lo).max(1e-9) * 0.08;
    let base = rows[0].base_hours;
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let n = rows.len() as i32;
        let built = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(left)
            .build_cartesian_2d((lo - pad).max(0.0)..hi + pad, (0..n).into_segmented());
        let Ok(mut chart) = built else {
            return String::new();
        };
        let _ = chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(WHITE)
            .x_desc("expected downtime per horizon")
            .x_label_formatter(&|h| crate::units::duration(*h))
            .y_label_formatter(&|v| super::row_label(&labels, v))
            .y_labels(rows.len())
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 15))
            .draw();
        let mtbf_color = RGBColor(47, 109, 181);
        let mttr_color = RGBColor(214, 120, 30);
        for (i, r) in rows.iter().enumerate() {
            let y = n - 1 - i as i32;
            // Upper half: mtbf halved..doubled; lower half: mttr halved..doubled.
            let bars = [
                (
                    r.mtbf_halved.min(r.mtbf_doubled),
                    r.mtbf_halved.max(r.mtbf_doubled),
                    mtbf_color,
                    (6, 17),
                ),
                (
                    r.mttr_halved.min(r.mttr_doubled),
                    r.mttr_halved.max(r.mttr_doubled),
                    mttr_color,
                    (17, 6),
                ),
            ];
            for (a, b, color, (top, bottom)) in bars {
                let mut bar = Rectangle::new(
                    [
                        (a, SegmentValue::Exact(y)),
                        (b.max(a + 1e-12), SegmentValue::Exact(y + 1)),
                    ],
                    color.filled(),
                );
                bar.set_margin(top, bottom, 0, 0);
                let _ = chart.draw_series(std::iter::once(bar));
            }
        }
        let _ = chart.draw_series(std::iter::once(PathElement::new(
            vec![
                (base, SegmentValue::Exact(0)),
                (base, SegmentValue::Exact(n)),
            ],
            BLACK.stroke_width(1),
        )));
        let _ = root.present();
    }
    inline(svg)
}
