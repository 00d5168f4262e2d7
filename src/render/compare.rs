//! `hacalc compare`: the model and its variants side by side, each against the model as
//! written.

use super::decision::{self, Page, Part, Tone, signed_duration};
use crate::decide::compare::{Comparison, Row};
use crate::units;
use serde::Serialize;

pub fn page(c: &Comparison) -> Page {
    let base = &c.base().outcome;
    let per = units::duration(base.horizon_hours);
    let mut page = Page {
        title: format!("{}: {} variants compared", c.name, c.rows.len() - 1),
        ..Page::default()
    };
    let best = c.rows.iter().min_by(|a, b| {
        a.outcome
            .availability
            .q
            .total_cmp(&b.outcome.availability.q)
    });
    if let Some(best) = best {
        let name = best.variant.as_deref().unwrap_or("the model as written");
        page.line(
            format!(
                "highest availability: {name} ({}, {} downtime per {per})",
                decision::availability(&best.outcome),
                units::duration(best.outcome.downtime_hours())
            ),
            Tone::Plain,
        );
    }
    let mut part = Part {
        title: "Variants".to_string(),
        headers: [
            "variant",
            "availability",
            &format!("downtime per {per}"),
            "vs model",
            &format!("failures per {per}"),
            "targets",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        ..Part::default()
    };
    for r in &c.rows {
        let o = &r.outcome;
        part.rows.push(vec![
            r.variant.clone().unwrap_or_else(|| "(model)".to_string()),
            decision::availability(o),
            units::duration(o.downtime_hours()),
            if r.variant.is_none() {
                String::new()
            } else {
                signed_duration(o.downtime_hours() - base.downtime_hours())
            },
            decision::failures(o),
            decision::verdict_word(o),
        ]);
    }
    page.parts.push(part);
    let mut what = Part {
        title: "What each variant changes".to_string(),
        headers: vec!["variant".to_string(), "assignments".to_string()],
        folded: true,
        ..Part::default()
    };
    for r in c.rows.iter().filter(|r| r.variant.is_some()) {
        what.rows.push(vec![
            r.variant.clone().unwrap_or_default(),
            r.assignments.join(", "),
        ]);
    }
    page.parts.push(what);
    page
}

#[derive(Serialize)]
struct Entry<'a> {
    /// The variant's name; null for the model as written.
    name: Option<&'a str>,
    set: &'a [String],
    #[serde(flatten)]
    outcome: decision::OutcomeJson,
    /// Downtime per horizon minus the model's, hours.
    delta_downtime_hours: f64,
    delta_unavailability: f64,
}

#[derive(Serialize)]
struct CompareJson<'a> {
    name: &'a str,
    horizon_hours: f64,
    model: Entry<'a>,
    variants: Vec<Entry<'a>>,
}

pub fn json(c: &Comparison) -> String {
    let base = &c.base().outcome;
    fn entry<'a>(r: &'a Row, base: &crate::decide::Outcome) -> Entry<'a> {
        Entry {
            name: r.variant.as_deref(),
            set: &r.assignments,
            outcome: decision::outcome_json(&r.outcome),
            delta_downtime_hours: r.outcome.downtime_hours() - base.downtime_hours(),
            delta_unavailability: r.outcome.availability.q - base.availability.q,
        }
    }
    decision::to_json(&CompareJson {
        name: &c.name,
        horizon_hours: base.horizon_hours,
        model: entry(c.base(), base),
        variants: c.rows[1..].iter().map(|r| entry(r, base)).collect(),
    })
}
