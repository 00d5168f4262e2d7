//! U(t) and R(t) over time, everything up at t = 0 (time on a log axis).

use super::{WIDTH, inline};
use plotters::prelude::*;

/// One chart of a quantity over time: points (hours, value), the quantity's name, and
/// whether to show it as a percentage.
pub fn chart(points: &[(f64, f64)], name: &str, y_desc: &str, percent: bool) -> String {
    let mut svg = String::new();
    let pts: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|(t, v)| *t > 0.0 && v.is_finite())
        .collect();
    if pts.len() < 2 {
        return svg;
    }
    let (t0, t1) = (pts[0].0, pts[pts.len() - 1].0);
    let hi = if percent {
        1.0
    } else {
        pts.iter().map(|p| p.1).fold(0.0, f64::max).max(1e-300) * 1.1
    };
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH / 2 - 10, 280)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let built = ChartBuilder::on(&root)
            .caption(name, ("sans-serif", 17))
            .margin(10)
            .x_label_area_size(32)
            .y_label_area_size(70)
            .build_cartesian_2d((t0..t1).log_scale(), 0.0..hi);
        let Ok(mut chart) = built else {
            return String::new();
        };
        let _ = chart
            .configure_mesh()
            .x_desc("time (hours, log scale)")
            .y_desc(y_desc)
            .x_label_formatter(&|t| crate::units::duration(*t))
            .y_label_formatter(&|v| {
                if percent {
                    format!("{:.0}%", v * 100.0)
                } else {
                    format!("{v:.1e}")
                }
            })
            .light_line_style(WHITE)
            .label_style(("sans-serif", 13))
            .axis_desc_style(("sans-serif", 13))
            .draw();
        let _ = chart.draw_series(LineSeries::new(
            pts.iter().copied(),
            RGBColor(47, 109, 181).stroke_width(2),
        ));
        let _ = root.present();
    }
    inline(svg)
}
