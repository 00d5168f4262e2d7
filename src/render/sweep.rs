//! `hacalc sweep`: a table of the points, the crossings in words, and (HTML) charts of
//! availability and downtime against the parameter with the targets drawn.

use super::decision::{self, Page, Part, Tone};
use super::plot::sweep::{Level, Marker, XAxis, chart};
use crate::analysis::targets::TargetKind;
use crate::decide::Quantity;
use crate::decide::sweep::Sweep;
use crate::units;
use serde::Serialize;

pub fn page(s: &Sweep, charts: bool) -> Page {
    // Sweeping the horizon itself: each point's downtime is per its own horizon.
    let per = if s
        .points
        .iter()
        .all(|p| p.outcome.horizon_hours == s.base.horizon_hours)
    {
        units::duration(s.base.horizon_hours)
    } else {
        "horizon (each point's own)".to_string()
    };
    let names: Vec<&str> = s.axes.iter().map(|a| a.path.as_str()).collect();
    let mut page = Page {
        title: format!("{}: sweep of {}", s.name, names.join(" and ")),
        ..Page::default()
    };
    for c in &s.crossings {
        page.line(c.statement.clone(), Tone::Good);
    }
    if s.axes.len() == 1 && s.crossings.is_empty() && !s.base.verdicts.is_empty() {
        let all_met = s.points.iter().all(|p| p.outcome.met());
        let none_met = s.points.iter().all(|p| !p.outcome.met());
        if all_met {
            page.line("every target is met over the whole range", Tone::Good);
        } else if none_met {
            page.line("no point of the range meets every target", Tone::Bad);
        }
    }
    let mut headers: Vec<String> = s.axes.iter().map(|a| a.path.clone()).collect();
    headers.extend([
        "availability".to_string(),
        format!("downtime per {per}"),
        format!("failures per {per}"),
        "targets".to_string(),
    ]);
    let mut part = Part {
        title: "Points".to_string(),
        headers,
        ..Part::default()
    };
    for p in &s.points {
        let mut row: Vec<String> = s
            .axes
            .iter()
            .zip(&p.values)
            .map(|(a, &x)| a.quantity.show(x))
            .collect();
        row.extend([
            decision::availability(&p.outcome),
            units::duration(p.outcome.downtime_hours()),
            decision::failures(&p.outcome),
            decision::verdict_word(&p.outcome),
        ]);
        part.rows.push(row);
    }
    if charts && s.axes.len() == 1 {
        part.charts = charts_of(s);
    }
    page.parts.push(part);
    page
}

fn charts_of(s: &Sweep) -> Vec<String> {
    let axis = &s.axes[0];
    let x = XAxis {
        title: &axis.path,
        duration: axis.quantity == Quantity::Duration,
        log: axis.log,
    };
    let per = units::duration(s.base.horizon_hours);
    let markers: Vec<Marker> = s
        .crossings
        .iter()
        .map(|c| Marker {
            x: c.value,
            label: axis.quantity.show(c.value),
        })
        .collect();
    let downtime: Vec<(f64, f64)> = s
        .points
        .iter()
        .map(|p| (p.values[0], p.outcome.downtime_hours()))
        .collect();
    let levels: Vec<Level> = s
        .base
        .verdicts
        .iter()
        .filter(|v| v.kind != TargetKind::Slo || v.block.is_none())
        .map(|v| Level {
            value: v.target_downtime_hours,
            label: format!(
                "target: {} per {per}",
                units::duration(v.target_downtime_hours)
            ),
        })
        .collect();
    let unavailability: Vec<(f64, f64)> = s
        .points
        .iter()
        .map(|p| (p.values[0], p.outcome.availability.q))
        .collect();
    let u_levels: Vec<Level> = s
        .base
        .verdicts
        .iter()
        .filter_map(|v| {
            let t = v.availability?;
            (v.block.is_none()).then(|| Level {
                value: t.q,
                label: format!("target {}", units::percent_exact(t.p, t.q)),
            })
        })
        .collect();
    vec![
        chart(
            &downtime,
            x,
            &format!("expected downtime per {per}"),
            &|v| units::duration(v),
            &levels,
            &markers,
        ),
        chart(
            &unavailability,
            x,
            "unavailability",
            &|v| {
                if v == 0.0 {
                    "0".to_string()
                } else {
                    format!("{v:.1e}")
                }
            },
            &u_levels,
            &markers,
        ),
    ]
}

#[derive(Serialize)]
struct PointJson {
    /// The first parameter's value (hours for a duration, per hour for a rate, a fraction
    /// for a percentage).
    value: f64,
    /// Every parameter's value, in the order of --param.
    values: Vec<f64>,
    #[serde(flatten)]
    outcome: decision::OutcomeJson,
}

#[derive(Serialize)]
struct CrossingJson {
    target: TargetKind,
    summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    crossing_hours: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    crossing: Option<f64>,
    /// True when the target is met at values below the crossing.
    met_below: bool,
    statement: String,
}

#[derive(Serialize)]
struct SweepJson<'a> {
    name: &'a str,
    horizon_hours: f64,
    params: &'a [crate::decide::sweep::Axis],
    points: Vec<PointJson>,
    crossings: Vec<CrossingJson>,
    solves: usize,
}

pub fn json(s: &Sweep) -> String {
    let duration = s.axes[0].quantity == Quantity::Duration;
    decision::to_json(&SweepJson {
        name: &s.name,
        horizon_hours: s.base.horizon_hours,
        params: &s.axes,
        points: s
            .points
            .iter()
            .map(|p| PointJson {
                value: p.values[0],
                values: p.values.clone(),
                outcome: decision::outcome_json(&p.outcome),
            })
            .collect(),
        crossings: s
            .crossings
            .iter()
            .map(|c| CrossingJson {
                target: c.kind,
                summary: c.target.clone(),
                crossing_hours: duration.then_some(c.value),
                crossing: (!duration).then_some(c.value),
                met_below: c.met_below,
                statement: c.statement.clone(),
            })
            .collect(),
        solves: s.solves,
    })
}
