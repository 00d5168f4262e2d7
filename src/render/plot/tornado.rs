//! Sensitivity: how expected downtime per horizon moves when each component's mtbf or mttr
//! is halved or doubled, widest swing first.

use super::RGBColor;
use super::bars::{Bar, Bars, XAxis};
use crate::render::text::shorten;
use crate::solve::sensitivity::Sensitivity;

/// `per`: the horizon the downtime is stated for ("1y").
pub fn chart(rows: &[Sensitivity], per: &str) -> String {
    let Some(first) = rows.first() else {
        return String::new();
    };
    let labels: Vec<String> = rows.iter().map(|r| shorten(&r.name, 30)).collect();
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
    let mtbf_color = RGBColor(47, 109, 181);
    let mttr_color = RGBColor(214, 120, 30);
    // Each row: mtbf halved..doubled in its upper half, mttr halved..doubled in its lower half.
    let bars = rows
        .iter()
        .enumerate()
        .flat_map(|(row, r)| {
            [
                Bar {
                    row,
                    from: r.mtbf_halved.min(r.mtbf_doubled),
                    to: r.mtbf_halved.max(r.mtbf_doubled),
                    color: mtbf_color,
                    margin: (6, 17),
                    label: None,
                },
                Bar {
                    row,
                    from: r.mttr_halved.min(r.mttr_doubled),
                    to: r.mttr_halved.max(r.mttr_doubled),
                    color: mttr_color,
                    margin: (17, 6),
                    label: None,
                },
            ]
        })
        .collect();
    Bars {
        labels: &labels,
        row_height: 44,
        x: (lo - pad).max(0.0)..hi + pad,
        x_desc: &format!("expected downtime per {per}"),
        axis: XAxis::Hours,
        bars,
        marker: Some(first.base_hours),
    }
    .svg()
}
