//! A quantity against a swept parameter (`hacalc sweep`): the line through the points, the
//! target's level as a dashed line, and each crossing as a vertical marker with its value.

use super::WIDTH;
use super::axis::{Anchor, duration_ticks, nice_ticks, text_width, tick_label};
use super::bars::text;
use crate::units;
use std::fmt::Write;

const TICK: f64 = 12.0;

/// How the x axis reads its values.
#[derive(Debug, Clone, Copy)]
pub struct XAxis<'a> {
    pub title: &'a str,
    /// Values are hours (ticked at round durations).
    pub duration: bool,
    /// A logarithmic axis.
    pub log: bool,
}

/// One horizontal reference line (a target's level) and its label.
pub struct Level {
    pub value: f64,
    pub label: String,
}

/// A vertical marker at a parameter value (a crossing) and its label.
pub struct Marker {
    pub x: f64,
    pub label: String,
}

/// The chart, or an empty string when there is nothing to draw.
pub fn chart(
    points: &[(f64, f64)],
    x: XAxis,
    y_title: &str,
    y_label: &dyn Fn(f64) -> String,
    levels: &[Level],
    markers: &[Marker],
) -> String {
    let pts: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|(a, b)| a.is_finite() && b.is_finite() && (!x.log || *a > 0.0))
        .collect();
    if pts.len() < 2 {
        return String::new();
    }
    let (w, h) = (WIDTH as f64, 320.0);
    let x0 = pts.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
    let x1 = pts.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
    if x1 <= x0 {
        return String::new();
    }
    let y_hi = pts
        .iter()
        .map(|p| p.1)
        .chain(levels.iter().map(|l| l.value))
        .fold(0.0, f64::max)
        .max(1e-300)
        * 1.08;
    let (_, yticks) = nice_ticks(0.0, y_hi, 5);
    let y_top = yticks.last().copied().unwrap_or(y_hi).max(y_hi);
    let ylabels: Vec<(f64, String)> = yticks.iter().map(|&v| (v, y_label(v))).collect();
    let label_w = ylabels
        .iter()
        .map(|(_, l)| text_width(l, TICK))
        .fold(0.0, f64::max);
    let (left, right, top, bottom) = (40.0 + label_w, 30.0, 20.0, h - 52.0);
    let plot_w = w - left - right;
    let sx = |v: f64| {
        if x.log {
            left + (v.ln() - x0.ln()) / (x1.ln() - x0.ln()) * plot_w
        } else {
            left + (v - x0) / (x1 - x0) * plot_w
        }
    };
    let sy = |v: f64| bottom - v / y_top * (bottom - top);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" role="img" font-family="system-ui, sans-serif">"#
    );
    // Axes, y ticks and grid.
    for (v, l) in &ylabels {
        let y = sy(*v);
        let _ = write!(
            svg,
            r##"<line x1="{left:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#e3e7ee"/>"##,
            left + plot_w
        );
        text(&mut svg, left - 6.0, y + 4.0, TICK, Anchor::End, l);
    }
    let xticks: Vec<f64> = if x.log {
        let mut t = Vec::new();
        let mut d = 10f64.powf(x0.log10().floor());
        while d <= x1 * (1.0 + 1e-9) {
            for m in [1.0, 2.0, 5.0] {
                let v = d * m;
                if v >= x0 * (1.0 - 1e-9) && v <= x1 * (1.0 + 1e-9) {
                    t.push(v);
                }
            }
            d *= 10.0;
        }
        if t.len() > 8 {
            t.retain(|v| (v.log10() - v.log10().round()).abs() < 1e-9);
        }
        t
    } else if x.duration {
        duration_ticks(x0, x1, 6)
            .into_iter()
            .filter(|v| *v >= x0 - 1e-12 && *v <= x1 + 1e-12)
            .collect()
    } else {
        let (step, t) = nice_ticks(x0, x1, 6);
        let _ = step;
        t.into_iter()
            .filter(|v| *v >= x0 - 1e-12 && *v <= x1 + 1e-12)
            .collect()
    };
    let (step, _) = nice_ticks(x0, x1, 6);
    for v in &xticks {
        let px = sx(*v);
        let label = if x.duration {
            units::duration(*v)
        } else if x.log {
            units::significant(*v, 3)
        } else {
            tick_label(*v, step)
        };
        let _ = write!(
            svg,
            r##"<line x1="{px:.1}" y1="{bottom:.1}" x2="{px:.1}" y2="{:.1}" stroke="#5b6575"/>"##,
            bottom + 5.0
        );
        text(&mut svg, px, bottom + 19.0, TICK, Anchor::Middle, &label);
    }
    let _ = write!(
        svg,
        r##"<line x1="{left:.1}" y1="{bottom:.1}" x2="{:.1}" y2="{bottom:.1}" stroke="#5b6575"/><line x1="{left:.1}" y1="{top:.1}" x2="{left:.1}" y2="{bottom:.1}" stroke="#5b6575"/>"##,
        left + plot_w
    );
    text(
        &mut svg,
        left + plot_w / 2.0,
        h - 10.0,
        TICK,
        Anchor::Middle,
        x.title,
    );
    let _ = write!(
        svg,
        r##"<text x="14" y="{:.1}" font-size="{TICK}" text-anchor="middle" transform="rotate(-90 14 {:.1})" fill="#1d2430">{}</text>"##,
        (top + bottom) / 2.0,
        (top + bottom) / 2.0,
        super::super::text::xml_escape(y_title)
    );
    // Target levels, dashed.
    for l in levels {
        let y = sy(l.value);
        let _ = write!(
            svg,
            r##"<line x1="{left:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#a4161a" stroke-dasharray="6 4" stroke-width="1.5"/>"##,
            left + plot_w
        );
        text(
            &mut svg,
            left + plot_w - 4.0,
            y - 5.0,
            TICK,
            Anchor::End,
            &l.label,
        );
    }
    // The line and its points.
    let path: Vec<String> = pts
        .iter()
        .map(|(a, b)| format!("{:.1},{:.1}", sx(*a), sy(*b)))
        .collect();
    let _ = write!(
        svg,
        r##"<polyline points="{}" fill="none" stroke="#2f6db5" stroke-width="2"/>"##,
        path.join(" ")
    );
    for (a, b) in &pts {
        let _ = write!(
            svg,
            r##"<circle cx="{:.1}" cy="{:.1}" r="2.5" fill="#2f6db5"/>"##,
            sx(*a),
            sy(*b)
        );
    }
    // Crossings.
    for m in markers {
        if !(m.x >= x0 && m.x <= x1) {
            continue;
        }
        let px = sx(m.x);
        let _ = write!(
            svg,
            r##"<line x1="{px:.1}" y1="{top:.1}" x2="{px:.1}" y2="{bottom:.1}" stroke="#1b6e35" stroke-width="1.5"/>"##
        );
        let anchor = if px > left + plot_w * 0.7 {
            Anchor::End
        } else {
            Anchor::Start
        };
        let dx = if anchor == Anchor::End { -4.0 } else { 4.0 };
        text(&mut svg, px + dx, top + 12.0, TICK, anchor, &m.label);
    }
    svg.push_str("</svg>");
    svg
}
