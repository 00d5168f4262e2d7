//! Horizontal bars against named rows, first row at the top: the shape of the downtime-share
//! and tornado charts, which differ only in their bars and axis. Drawn as plain SVG: row
//! labels on the left, tick labels under the axis, the axis title under them (each laid out
//! with [`text_width`], so that no two texts overlap), and no grid lines but one per tick.

use super::RGBColor;
use super::WIDTH;
use super::axis::{Anchor, duration_label, duration_ticks, nice_ticks, text_width, tick_label};
use crate::render::text::xml_escape;
use std::fmt::Write;

/// One bar: its row, its extent on the x axis, colour, and margins (top, bottom) within the
/// row, so that two bars can share a row; `label` is written after its end.
pub struct Bar {
    pub row: usize,
    pub from: f64,
    pub to: f64,
    pub color: RGBColor,
    pub margin: (u32, u32),
    pub label: Option<String>,
}

/// What the x axis measures: a number (ticks at 1, 2, 5 x 10^k) or hours (round durations).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum XAxis {
    Number,
    Hours,
}

/// The chart, or an empty string when there is nothing to draw.
pub struct Bars<'a> {
    pub labels: &'a [String],
    pub row_height: u32,
    pub x: std::ops::Range<f64>,
    pub x_desc: &'a str,
    pub axis: XAxis,
    pub bars: Vec<Bar>,
    /// A vertical reference line (the tornado's model as written).
    pub marker: Option<f64>,
}

/// Font sizes: row labels, tick labels, axis title, bar labels.
pub const LABEL: f64 = 13.0;
pub const TICK: f64 = 12.0;
pub const TITLE: f64 = 13.0;
pub const VALUE: f64 = 11.0;

fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// A faint vertical grid line at x from top to bottom, and its label below the axis.
pub fn x_tick(out: &mut String, x: f64, top: f64, bottom: f64, label: &str) {
    let _ = write!(
        out,
        "<line x1=\"{x:.1}\" y1=\"{top:.1}\" x2=\"{x:.1}\" y2=\"{bottom:.1}\" stroke=\"#e3e3e3\"/>"
    );
    text(
        out,
        x,
        bottom + 8.0 + TICK * 0.8,
        TICK,
        Anchor::Middle,
        label,
    );
}

pub fn text(out: &mut String, x: f64, y: f64, size: f64, anchor: Anchor, body: &str) {
    let _ = write!(
        out,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"{size}\" text-anchor=\"{}\">{}</text>",
        anchor.svg(),
        xml_escape(body)
    );
}

/// Labels of time ticks: each duration, or when a narrow range around a long time would make
/// them alike (3h15m, 3h15m, ...), the first one and then how much later each is (+2s, +4s).
fn hour_labels(ticks: Vec<f64>) -> Vec<(f64, String)> {
    let plain: Vec<String> = ticks.iter().map(|&v| duration_label(v)).collect();
    let distinct = plain.windows(2).all(|w| w[0] != w[1]);
    if distinct || ticks.is_empty() {
        return ticks.into_iter().zip(plain).collect();
    }
    let first = ticks[0];
    ticks
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let l = if i == 0 {
                duration_label(v)
            } else {
                format!("+{}", duration_label(v - first))
            };
            (v, l)
        })
        .collect()
}

impl Bars<'_> {
    pub fn svg(&self) -> String {
        let n = self.labels.len();
        if n == 0
            || !self.x.start.is_finite()
            || !self.x.end.is_finite()
            || self.x.end <= self.x.start
        {
            return String::new();
        }
        let left = self
            .labels
            .iter()
            .map(|l| text_width(l, LABEL))
            .fold(40.0, f64::max)
            + 16.0;
        let value_room = self
            .bars
            .iter()
            .filter_map(|b| b.label.as_deref())
            .map(|l| text_width(l, VALUE) + 8.0)
            .fold(0.0, f64::max);
        let (top, right) = (10.0, 24.0);
        let plot_w = (WIDTH as f64 - left - right).max(120.0);
        let plot_h = n as f64 * self.row_height as f64;
        // Ticks: as many as fit side by side with room to spare.
        let widest = |ticks: &[(f64, String)]| {
            ticks
                .iter()
                .map(|(_, l)| text_width(l, TICK))
                .fold(0.0, f64::max)
        };
        let mut max_ticks = 8;
        let (ticks, lo, hi) = loop {
            let values = match self.axis {
                XAxis::Number => {
                    let (step, t) = nice_ticks(self.x.start, self.x.end, max_ticks);
                    t.into_iter()
                        .map(|v| (v, tick_label(v, step)))
                        .collect::<Vec<_>>()
                }
                XAxis::Hours => hour_labels(duration_ticks(self.x.start, self.x.end, max_ticks)),
            };
            let lo = values
                .first()
                .map_or(self.x.start, |t| t.0.min(self.x.start));
            let hi = values.last().map_or(self.x.end, |t| t.0.max(self.x.end));
            let gap = plot_w / values.len().max(1) as f64;
            if widest(&values) + 10.0 <= gap || max_ticks <= 2 {
                break (values, lo, hi);
            }
            max_ticks -= 1;
        };
        // Bars scale into the width left after their labels; ticks share the scale.
        // Room on the right for half the last tick label.
        let last = ticks
            .last()
            .map_or(0.0, |(_, l)| text_width(l, TICK) / 2.0 + 4.0);
        let plot_w = if last > right {
            (plot_w - (last - right)).max(120.0)
        } else {
            plot_w
        };
        let bar_w = (plot_w - value_room).max(60.0);
        let sx = |v: f64| left + (v - lo) / (hi - lo) * bar_w;
        let bottom = top + plot_h;
        let height = bottom + 8.0 + TICK + 10.0 + TITLE + 8.0;
        let mut out = String::new();
        let _ = write!(
            out,
            "<svg class=\"chart\" width=\"{WIDTH}\" height=\"{height:.0}\" viewBox=\"0 0 {WIDTH} {height:.0}\" font-family=\"system-ui, sans-serif\" role=\"img\">"
        );
        // One faint grid line and one label per tick.
        for (v, label) in &ticks {
            x_tick(&mut out, sx(*v), top, bottom, label);
        }
        for b in self
            .bars
            .iter()
            .filter(|b| b.from.is_finite() && b.to.is_finite())
        {
            let y0 = top + b.row as f64 * self.row_height as f64 + b.margin.0 as f64;
            let h = (self.row_height as f64 - b.margin.0 as f64 - b.margin.1 as f64).max(1.0);
            let (x0, x1) = (sx(b.from), sx(b.to.max(b.from)));
            let _ = write!(
                out,
                "<rect x=\"{x0:.1}\" y=\"{y0:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{}\"/>",
                (x1 - x0).max(1.0),
                hex(b.color)
            );
            if let Some(l) = &b.label {
                text(
                    &mut out,
                    x1.max(x0 + 1.0) + 5.0,
                    y0 + h / 2.0 + VALUE * 0.35,
                    VALUE,
                    Anchor::Start,
                    l,
                );
            }
        }
        for (row, l) in self.labels.iter().enumerate() {
            let y = top + (row as f64 + 0.5) * self.row_height as f64 + LABEL * 0.35;
            text(&mut out, left - 8.0, y, LABEL, Anchor::End, l);
        }
        if let Some(m) = self.marker {
            let x = sx(m);
            let _ = write!(
                out,
                "<line x1=\"{x:.1}\" y1=\"{top:.1}\" x2=\"{x:.1}\" y2=\"{bottom:.1}\" stroke=\"#000\" stroke-width=\"1\"/>"
            );
        }
        let _ = write!(
            out,
            "<line x1=\"{left:.1}\" y1=\"{bottom:.1}\" x2=\"{:.1}\" y2=\"{bottom:.1}\" stroke=\"#333\"/>\
             <line x1=\"{left:.1}\" y1=\"{top:.1}\" x2=\"{left:.1}\" y2=\"{bottom:.1}\" stroke=\"#333\"/>",
            left + plot_w
        );
        text(
            &mut out,
            left + plot_w / 2.0,
            bottom + 8.0 + TICK + 10.0 + TITLE * 0.8,
            TITLE,
            Anchor::Middle,
            self.x_desc,
        );
        out.push_str("</svg>");
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn time_ticks_never_repeat_a_label() {
        let base = 3.25;
        let ticks: Vec<f64> = (0..5).map(|i| base + i as f64 * 2.0 / 3600.0).collect();
        let labels: Vec<String> = super::hour_labels(ticks).into_iter().map(|t| t.1).collect();
        assert_eq!(labels, ["3h15m", "+2s", "+4s", "+6s", "+8s"]);
    }
}
