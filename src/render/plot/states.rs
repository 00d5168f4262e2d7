//! A Markov block's state diagram: states on a circle (or a line for a birth-death chain),
//! up states as rounded boxes, down states as dashed boxes with a hatched fill (readable in
//! greyscale), transitions as arrows labelled with their rates.

use crate::compile::ctmc::Ctmc;
use crate::render::text::xml_escape;
use std::fmt::Write;

/// Most states drawn; larger chains get their probabilities listed instead.
pub const MAX_DRAWN: usize = 16;

/// `grid`: a (column, row) for every state where the chain has a natural layout (failed
/// units across, switchover phase down); else the states go round a circle.
pub fn diagram(
    chain: &Ctmc,
    names: &[String],
    pi: &[f64],
    grid: Option<Vec<(usize, usize)>>,
) -> Option<String> {
    let n = chain.states();
    if n > MAX_DRAWN || n == 0 {
        return None;
    }
    let box_w = names
        .iter()
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(4)
        .max(8) as f64
        * 7.0
        + 16.0;
    let box_h = 38.0;
    let (pos, w, h): (Vec<(f64, f64)>, f64, f64) = match grid {
        Some(g) => {
            let (col_w, row_h) = (box_w + 90.0, box_h + 70.0);
            let cols = g.iter().map(|p| p.0).max().unwrap_or(0) + 1;
            let rows = g.iter().map(|p| p.1).max().unwrap_or(0) + 1;
            let pos = g
                .iter()
                .map(|&(c, r)| {
                    (
                        40.0 + box_w / 2.0 + c as f64 * col_w,
                        30.0 + box_h / 2.0 + r as f64 * row_h,
                    )
                })
                .collect();
            (
                pos,
                80.0 + box_w + (cols - 1) as f64 * col_w,
                60.0 + box_h + (rows - 1) as f64 * row_h,
            )
        }
        None => {
            let radius = if n <= 2 {
                120.0
            } else {
                (n as f64 * (box_w + 30.0) / std::f64::consts::TAU).max(140.0)
            };
            let (cx, cy) = (radius + box_w / 2.0 + 40.0, radius + box_h + 40.0);
            let pos = (0..n)
                .map(|i| {
                    let a =
                        -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n as f64;
                    (cx + radius * a.cos(), cy + radius * a.sin())
                })
                .collect();
            (pos, 2.0 * cx, 2.0 * cy)
        }
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"states\" width=\"{w:.0}\" height=\"{h:.0}\" viewBox=\"0 0 {w:.0} {h:.0}\" font-family=\"system-ui, sans-serif\" role=\"img\" aria-label=\"state diagram\">\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker>\
         <pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fbe9e7\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#e0a89e\" stroke-width=\"2\"/></pattern></defs>"
    );
    // Arrows first, under the boxes; a pair of opposite transitions is drawn as two offset lines.
    for i in 0..n {
        for (j, r) in chain.out(i) {
            let (x1, y1) = pos[i];
            let (x2, y2) = pos[j];
            let (dx, dy) = (x2 - x1, y2 - y1);
            let len = (dx * dx + dy * dy).sqrt().max(1e-9);
            let (ux, uy) = (dx / len, dy / len);
            let (ox, oy) = (-uy * 6.0, ux * 6.0); // offset so opposite arrows do not overlap
            // Shorten to the box edges.
            let t = edge_t(ux, uy, box_w / 2.0 + 2.0, box_h / 2.0 + 2.0);
            let (sx, sy) = (x1 + ux * t + ox, y1 + uy * t + oy);
            let (ex, ey) = (x2 - ux * t + ox, y2 - uy * t + oy);
            let _ = write!(
                out,
                "<line x1=\"{sx:.1}\" y1=\"{sy:.1}\" x2=\"{ex:.1}\" y2=\"{ey:.1}\" stroke=\"#555\" stroke-width=\"1.2\" marker-end=\"url(#arrow)\"/>"
            );
            let (mx, my) = ((sx + ex) / 2.0 + ox * 1.6, (sy + ey) / 2.0 + oy * 1.6);
            let _ = write!(
                out,
                "<text x=\"{mx:.1}\" y=\"{my:.1}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#333\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
                xml_escape(&rate_label(r))
            );
        }
    }
    for i in 0..n {
        let (x, y) = pos[i];
        let up = chain.up[i];
        let (fill, stroke, dash) = if up {
            ("#e8f5e9", "#2e7d32", "")
        } else {
            ("url(#hatch)", "#c62828", " stroke-dasharray=\"5 3\"")
        };
        let _ = write!(
            out,
            "<g><title>{} ({}) probability {:.6e}</title><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{box_w:.1}\" height=\"{box_h}\" rx=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"{dash}/>\
             <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\">{}</text>\
             <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#444\">{} · {:.3e}</text></g>",
            xml_escape(&names[i]),
            if up { "up" } else { "down" },
            pi[i],
            x - box_w / 2.0,
            y - box_h / 2.0,
            if up { 10 } else { 2 },
            y - 3.0,
            xml_escape(&names[i]),
            y + 12.0,
            if up { "up" } else { "DOWN" },
            pi[i]
        );
    }
    out.push_str("</svg>");
    Some(out)
}

/// Distance from a box centre to its edge along the unit direction (ux, uy).
fn edge_t(ux: f64, uy: f64, hw: f64, hh: f64) -> f64 {
    let tx = if ux.abs() > 1e-9 {
        hw / ux.abs()
    } else {
        f64::INFINITY
    };
    let ty = if uy.abs() > 1e-9 {
        hh / uy.abs()
    } else {
        f64::INFINITY
    };
    tx.min(ty)
}

/// A rate per hour as people read it: "1/2000h", "every 1m" style.
fn rate_label(r: f64) -> String {
    format!("1/{}", crate::units::duration(1.0 / r))
}
