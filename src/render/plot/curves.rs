//! U(t) and R(t) over time, everything up at t = 0 (time on a log axis ticked at round
//! durations). Plain SVG, laid out like the bar charts: tick labels beside their axes, axis
//! titles beyond them, nothing overlapping.

use super::WIDTH;
use super::axis::{Anchor, duration_label, log_time_ticks, nice_ticks, text_width};
use super::bars::{text, x_tick};
use std::fmt::Write;

const CAPTION: f64 = 15.0;
const TICK: f64 = 12.0;
const TITLE: f64 = 12.0;

/// A label for `v` on an axis stepping by `step`, in scientific notation with the digits
/// the step needs: `2e-5`, `1.5e-5`.
fn sci_label(v: f64, step: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let digits = (v.abs().log10().floor() - step.log10().floor()).max(0.0) as usize;
    format!("{v:.digits$e}")
}

/// One chart of a quantity over time: points (hours, value), the quantity's name, and
/// whether to show it as a percentage.
pub fn chart(points: &[(f64, f64)], name: &str, y_desc: &str, percent: bool) -> String {
    let pts: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|(t, v)| *t > 0.0 && t.is_finite() && v.is_finite())
        .collect();
    if pts.len() < 2 {
        return String::new();
    }
    let (t0, t1) = (pts[0].0, pts[pts.len() - 1].0);
    if t1 <= t0 {
        return String::new();
    }
    let (w, h) = (WIDTH as f64 / 2.0 - 10.0, 280.0);
    let hi = if percent {
        1.0
    } else {
        pts.iter().map(|p| p.1).fold(0.0, f64::max).max(1e-300) * 1.05
    };
    let (step, yticks) = nice_ticks(0.0, hi, 5);
    let ylabels: Vec<(f64, String)> = yticks
        .iter()
        .map(|&v| {
            let l = if percent {
                format!("{:.0}%", v * 100.0)
            } else {
                sci_label(v, step)
            };
            (v, l)
        })
        .collect();
    let y_hi = yticks.last().copied().unwrap_or(hi).max(hi);
    let label_w = ylabels
        .iter()
        .map(|(_, l)| text_width(l, TICK))
        .fold(0.0, f64::max);
    let left = 8.0 + TITLE + 10.0 + label_w + 8.0;
    let right = 24.0;
    let top = 10.0 + CAPTION + 10.0;
    let bottom = h - (8.0 + TICK + 10.0 + TITLE + 8.0);
    let plot_w = w - left - right;
    let (l0, l1) = (t0.log10(), t1.log10());
    let sx = |t: f64| left + (t.log10() - l0) / (l1 - l0) * plot_w;
    let sy = |v: f64| bottom - v / y_hi * (bottom - top);
    // As many time ticks as fit side by side.
    let mut max = 8;
    let xticks = loop {
        let t = log_time_ticks(t0, t1, max);
        let fits = t.windows(2).all(|p| {
            let need = (text_width(&duration_label(p[0]), TICK)
                + text_width(&duration_label(p[1]), TICK))
                / 2.0
                + 8.0;
            sx(p[1]) - sx(p[0]) >= need
        });
        if fits || max <= 2 {
            break t;
        }
        max -= 1;
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"chart\" width=\"{w:.0}\" height=\"{h:.0}\" viewBox=\"0 0 {w:.0} {h:.0}\" font-family=\"system-ui, sans-serif\" role=\"img\">"
    );
    text(
        &mut out,
        w / 2.0,
        10.0 + CAPTION * 0.8,
        CAPTION,
        Anchor::Middle,
        name,
    );
    for (v, l) in &ylabels {
        let y = sy(*v);
        let _ = write!(
            out,
            "<line x1=\"{left:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#e3e3e3\"/>",
            left + plot_w
        );
        text(&mut out, left - 8.0, y + TICK * 0.35, TICK, Anchor::End, l);
    }
    for t in &xticks {
        x_tick(&mut out, sx(*t), top, bottom, &duration_label(*t));
    }
    let _ = write!(
        out,
        "<line x1=\"{left:.1}\" y1=\"{bottom:.1}\" x2=\"{:.1}\" y2=\"{bottom:.1}\" stroke=\"#333\"/>\
         <line x1=\"{left:.1}\" y1=\"{top:.1}\" x2=\"{left:.1}\" y2=\"{bottom:.1}\" stroke=\"#333\"/>",
        left + plot_w
    );
    let mut line = String::new();
    for (t, v) in &pts {
        let _ = write!(line, "{:.1},{:.1} ", sx(*t), sy(*v));
    }
    let _ = write!(
        out,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#2f6db5\" stroke-width=\"2\"/>",
        line.trim_end()
    );
    text(
        &mut out,
        left + plot_w / 2.0,
        h - 8.0 - TITLE * 0.25,
        TITLE,
        Anchor::Middle,
        "time (log scale)",
    );
    // The y title, turned to read upwards, left of the tick labels.
    let (x, y) = (8.0 + TITLE * 0.8, (top + bottom) / 2.0);
    let _ = write!(
        out,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"{TITLE}\" text-anchor=\"middle\" transform=\"rotate(-90 {x:.1} {y:.1})\">{}</text>",
        crate::render::text::xml_escape(y_desc)
    );
    out.push_str("</svg>");
    out
}
