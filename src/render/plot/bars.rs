//! Horizontal bars against named rows, first row at the top: the shape of the downtime-share
//! and tornado charts, which differ only in their bars and axis.

use super::{WIDTH, inline, label_width};
use plotters::prelude::*;

/// One bar: its row, its extent on the x axis, colour, and margins (top, bottom) within the
/// row, so that two bars can share a row.
pub struct Bar {
    pub row: usize,
    pub from: f64,
    pub to: f64,
    pub color: RGBColor,
    pub margin: (u32, u32),
}

/// The chart, or an empty string when there is nothing to draw.
pub struct Bars<'a> {
    pub labels: &'a [String],
    pub row_height: u32,
    pub x: std::ops::Range<f64>,
    pub x_desc: &'a str,
    pub x_format: &'a dyn Fn(&f64) -> String,
    pub bars: Vec<Bar>,
    /// A vertical reference line (the tornado's model as written).
    pub marker: Option<f64>,
}

impl Bars<'_> {
    pub fn svg(&self) -> String {
        let mut svg = String::new();
        if self.labels.is_empty() {
            return svg;
        }
        let n = self.labels.len() as i32;
        let left = label_width(
            self.labels
                .iter()
                .map(|l| l.chars().count())
                .max()
                .unwrap_or(10),
        );
        let height = 60 + self.row_height * self.labels.len() as u32;
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
            let _ = root.fill(&WHITE);
            let built = ChartBuilder::on(&root)
                .margin(10)
                .x_label_area_size(30)
                .y_label_area_size(left)
                .build_cartesian_2d(self.x.clone(), (0..n).into_segmented());
            let Ok(mut chart) = built else {
                return String::new();
            };
            let _ = chart
                .configure_mesh()
                .disable_y_mesh()
                .light_line_style(WHITE)
                .x_desc(self.x_desc)
                .x_label_formatter(self.x_format)
                .y_label_formatter(&|v| super::row_label(self.labels, v))
                .y_labels(self.labels.len())
                .label_style(("sans-serif", 15))
                .axis_desc_style(("sans-serif", 15))
                .draw();
            let _ = chart.draw_series(self.bars.iter().map(|b| {
                let y = n - 1 - b.row as i32;
                let to = b.to.max(b.from + 1e-12);
                let mut r = Rectangle::new(
                    [
                        (b.from, SegmentValue::Exact(y)),
                        (to, SegmentValue::Exact(y + 1)),
                    ],
                    b.color.filled(),
                );
                r.set_margin(b.margin.0, b.margin.1, 0, 0);
                r
            }));
            if let Some(x) = self.marker {
                let _ = chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x, SegmentValue::Exact(0)), (x, SegmentValue::Exact(n))],
                    BLACK.stroke_width(1),
                )));
            }
            let _ = root.present();
        }
        inline(svg)
    }
}
