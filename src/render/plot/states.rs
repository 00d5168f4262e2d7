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
    let second = |i: usize| {
        format!(
            "{} · {}",
            if chain.up[i] { "up" } else { "DOWN" },
            probability(pi.get(i).copied().unwrap_or(0.0))
        )
    };
    // Wide enough for the name (11 px) and the status line (10 px) of every state.
    let box_w = (0..n)
        .map(|i| {
            let name = names.get(i).map_or(0, |s| s.chars().count()) as f64 * 11.0 * 0.6;
            let status = second(i).chars().count() as f64 * 10.0 * 0.6;
            name.max(status)
        })
        .fold(8.0 * 7.0, f64::max)
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
    // Arrows first, under the boxes; a pair of opposite transitions is drawn as two offset
    // lines. An arrow whose straight line would pass under another state's box bends around
    // it (a quadratic curve, bowed out just enough), so that no line seems to join two
    // states that have no transition and no label hides under a box. Labels go on top.
    let boxes: Vec<[f64; 4]> = pos
        .iter()
        .map(|&(x, y)| {
            [
                x - box_w / 2.0 - 6.0,
                y - box_h / 2.0 - 6.0,
                x + box_w / 2.0 + 6.0,
                y + box_h / 2.0 + 6.0,
            ]
        })
        .collect();
    let mut labels = String::new();
    let mut placed: Vec<[f64; 4]> = Vec::new();
    for i in 0..n {
        for (j, r) in chain.out(i) {
            let (x1, y1) = pos[i];
            let (x2, y2) = pos[j];
            let (dx, dy) = (x2 - x1, y2 - y1);
            let len = (dx * dx + dy * dy).sqrt().max(1e-9);
            let (ux, uy) = (dx / len, dy / len);
            let (nx, ny) = (-uy, ux); // normal: offset so opposite arrows do not overlap
            let others = |t: f64| {
                (0..n).any(|k| {
                    k != i && k != j && {
                        // Points of the curve with control point bowed out by t along the normal.
                        let (cx, cy) = ((x1 + x2) / 2.0 + nx * t, (y1 + y2) / 2.0 + ny * t);
                        (1..40).any(|s| {
                            let u = s as f64 / 40.0;
                            let px =
                                (1.0 - u) * (1.0 - u) * x1 + 2.0 * u * (1.0 - u) * cx + u * u * x2;
                            let py =
                                (1.0 - u) * (1.0 - u) * y1 + 2.0 * u * (1.0 - u) * cy + u * u * y2;
                            let b = boxes[k];
                            px > b[0] && px < b[2] && py > b[1] && py < b[3]
                        })
                    }
                })
            };
            // The bow: none, or the smallest that clears every other box (bending to the
            // side of this direction's offset, so a pair of opposite arrows stays apart).
            let bow = std::iter::once(0.0)
                .chain((1..=12).map(|k| k as f64 * 0.6 * box_h * 2.0))
                .find(|&t| !others(t))
                .unwrap_or(0.0);
            let off = 6.0;
            let (cx, cy) = (
                (x1 + x2) / 2.0 + nx * (bow + off),
                (y1 + y2) / 2.0 + ny * (bow + off),
            );
            // Leave each box along the tangent towards the control point.
            let from_dir = unit(cx - x1, cy - y1);
            let to_dir = unit(x2 - cx, y2 - cy);
            let (sx, sy, ex, ey) = if bow == 0.0 {
                let t = edge_t(ux, uy, box_w / 2.0 + 2.0, box_h / 2.0 + 2.0);
                (
                    x1 + ux * t + nx * off,
                    y1 + uy * t + ny * off,
                    x2 - ux * t + nx * off,
                    y2 - uy * t + ny * off,
                )
            } else {
                let t1 = edge_t(from_dir.0, from_dir.1, box_w / 2.0 + 2.0, box_h / 2.0 + 2.0);
                let t2 = edge_t(to_dir.0, to_dir.1, box_w / 2.0 + 2.0, box_h / 2.0 + 2.0);
                (
                    x1 + from_dir.0 * t1,
                    y1 + from_dir.1 * t1,
                    x2 - to_dir.0 * t2,
                    y2 - to_dir.1 * t2,
                )
            };
            let (mx, my) = if bow == 0.0 {
                let _ = write!(
                    out,
                    "<line x1=\"{sx:.1}\" y1=\"{sy:.1}\" x2=\"{ex:.1}\" y2=\"{ey:.1}\" stroke=\"#555\" stroke-width=\"1.2\" marker-end=\"url(#arrow)\"/>"
                );
                (
                    (sx + ex) / 2.0 + nx * off * 1.6,
                    (sy + ey) / 2.0 + ny * off * 1.6,
                )
            } else {
                let _ = write!(
                    out,
                    "<path d=\"M{sx:.1},{sy:.1} Q{cx:.1},{cy:.1} {ex:.1},{ey:.1}\" fill=\"none\" stroke=\"#555\" stroke-width=\"1.2\" marker-end=\"url(#arrow)\"/>"
                );
                // The curve's midpoint.
                ((sx + 2.0 * cx + ex) / 4.0, (sy + 2.0 * cy + ey) / 4.0 + 4.0)
            };
            // The label where it covers neither a state nor another label: at the middle of
            // its arrow, or moved along the arrow's normal, then along the arrow, a step at a
            // time.
            let text = rate_label(r);
            let half = text.chars().count() as f64 * 10.0 * 0.6 / 2.0 + 2.0;
            let bbox = |x: f64, y: f64| [x - half, y - 10.0, x + half, y + 3.0];
            let hits = |b: [f64; 4], c: &[f64; 4]| {
                b[0] < c[2] && c[0] < b[2] && b[1] < c[3] && c[1] < b[3]
            };
            let (mx, my) = (0..9)
                .flat_map(|k| {
                    let d = [0.0, 12.0, -12.0, 24.0, -24.0, 36.0, -36.0, 48.0, -48.0][k];
                    [(mx + nx * d, my + ny * d), (mx + ux * d, my + uy * d)]
                })
                .find(|&(x, y)| {
                    let b = bbox(x, y);
                    !placed.iter().any(|c| hits(b, c))
                        && !(0..n).any(|k| {
                            let (px, py) = pos[k];
                            hits(
                                b,
                                &[
                                    px - box_w / 2.0,
                                    py - box_h / 2.0,
                                    px + box_w / 2.0,
                                    py + box_h / 2.0,
                                ],
                            )
                        })
                })
                .unwrap_or((mx, my));
            placed.push(bbox(mx, my));
            let _ = write!(
                labels,
                "<text x=\"{mx:.1}\" y=\"{my:.1}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#333\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
                xml_escape(&text)
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
            "<g><title>{} ({}) probability {}</title><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{box_w:.1}\" height=\"{box_h}\" rx=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"{dash}/>\
             <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\">{}</text>\
             <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#444\">{}</text></g>",
            xml_escape(&names[i]),
            if up { "up" } else { "down" },
            probability(pi[i]),
            x - box_w / 2.0,
            y - box_h / 2.0,
            if up { 10 } else { 2 },
            y - 3.0,
            xml_escape(&names[i]),
            y + 12.0,
            xml_escape(&second(i)),
        );
    }
    out.push_str(&labels);
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

fn unit(dx: f64, dy: f64) -> (f64, f64) {
    let len = (dx * dx + dy * dy).sqrt().max(1e-9);
    (dx / len, dy / len)
}

/// A rate per hour as people read it: once per a rounded mean time, "1/20m", "1/3.3y".
pub fn rate_label(r: f64) -> String {
    format!("1/{}", rounded_duration(1.0 / r))
}

/// A duration in its largest whole unit with two significant digits: 3y105d is "3.3y",
/// 1h30m "1.5h", 22d12h "23d" (for labels, where "1/3y105d" reads as a formula).
pub fn rounded_duration(hours: f64) -> String {
    if !hours.is_finite() || hours <= 0.0 {
        return crate::units::duration(hours);
    }
    let units = [
        ("y", 8760.0),
        ("d", 24.0),
        ("h", 1.0),
        ("m", 1.0 / 60.0),
        ("s", 1.0 / 3600.0),
    ];
    let Some((name, size)) = units.iter().find(|(_, size)| hours >= *size * 0.9995) else {
        return crate::units::duration(hours);
    };
    let v = hours / size;
    let text = if v >= 9.95 {
        format!("{v:.0}")
    } else {
        let t = format!("{v:.1}");
        t.strip_suffix(".0").map_or(t.clone(), str::to_string)
    };
    format!("{text}{name}")
}

/// A state's probability as a reader takes it in: a percentage (99.17%, 0.832%), and below
/// 0.01% plain scientific notation (2.4e-7); never 9.917008e-1.
pub fn probability(p: f64) -> String {
    probability_with(p, 3)
}

/// [`probability`] with `digits` significant digits (the report's table of states gives 4).
pub fn probability_with(p: f64, digits: usize) -> String {
    if p.is_nan() {
        return "—".to_string();
    }
    if p <= 0.0 {
        return "0".to_string();
    }
    if p >= 0.5 && digits <= 3 {
        crate::units::percent(p, (1.0 - p).max(0.0))
    } else if p >= 0.5 {
        // The complement's digits: 99.99959% rather than 100.0%.
        let q = (1.0 - p).max(0.0) * 100.0;
        let decimals = if q > 0.0 {
            ((-q.log10()).ceil() as i32 + digits as i32 - 3).clamp(2, 12) as usize
        } else {
            2
        };
        format!("{:.decimals$}%", p * 100.0)
    } else if p >= 1e-4 {
        format!("{}%", crate::units::significant(p * 100.0, digits))
    } else {
        format!("{p:.*e}", digits.saturating_sub(2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_probabilities_read_plainly() {
        assert_eq!(rate_label(1.0 / (3.0 * 8760.0 + 105.0 * 24.0)), "1/3.3y");
        assert_eq!(rate_label(3.0), "1/20m");
        assert_eq!(rate_label(1.0 / 1.5), "1/1.5h");
        assert_eq!(rate_label(1.0 / 550.0), "1/23d");
        assert_eq!(rate_label(1.0 / 8760.0), "1/1y");
        assert_eq!(rate_label(1.0 / 6.0), "1/6h");
        assert_eq!(probability(0.9917008), "99.17%");
        assert_eq!(probability(0.008248), "0.825%");
        assert_eq!(probability(3.437e-5), "3.4e-5");
        assert_eq!(probability(0.0), "0");
        assert_eq!(probability_with(0.9917008, 4), "99.17%");
        assert_eq!(probability_with(0.9995888, 4), "99.959%");
        assert_eq!(probability_with(0.008247855, 4), "0.8248%");
        assert_eq!(probability_with(7.674213e-8, 4), "7.67e-8");
    }
}
