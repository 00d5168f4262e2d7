//! `hacalc diff OLD NEW`: the headline change first (what a pull-request reader needs), then
//! what changed in the model, the targets and the largest contributors (folded in Markdown).

use super::decision::{self, Page, Part, Tone, signed_duration};
use crate::decide::diff::{ChangeKind, Diff};
use crate::units;
use serde::Serialize;

pub fn page(d: &Diff) -> Page {
    let per = units::duration(d.new.horizon_hours);
    let mut page = Page {
        title: format!("{}: {} -> {}", d.name, d.old_file, d.new_file),
        ..Page::default()
    };
    let delta = d.new.downtime_hours() - d.old.downtime_hours();
    let (word, tone) = if delta > 0.0 {
        ("worse", Tone::Bad)
    } else if delta < 0.0 {
        ("better", Tone::Good)
    } else {
        ("unchanged", Tone::Plain)
    };
    page.line(
        format!(
            "availability {} -> {} ({word}: {} downtime per {per}, {} -> {})",
            decision::availability(&d.old),
            decision::availability(&d.new),
            signed_duration(delta),
            units::duration(d.old.downtime_hours()),
            units::duration(d.new.downtime_hours())
        ),
        tone,
    );
    for (i, v) in d.new.verdicts.iter().enumerate() {
        let before = d.old.verdicts.get(i).map(|o| o.met);
        let change = match (before, v.met) {
            (Some(true), false) => "now MISSED: ",
            (Some(false), true) => "now met: ",
            _ => "",
        };
        page.line(
            format!(
                "{}{change}{}",
                if v.met { "PASS " } else { "FAIL " },
                v.summary
            ),
            if v.met { Tone::Plain } else { Tone::Bad },
        );
    }
    if d.changes.is_empty() {
        page.line("no change in the model", Tone::Plain);
    }
    let mut changes = Part {
        title: format!("What changed in the model ({})", d.changes.len()),
        headers: vec![
            "part".to_string(),
            "change".to_string(),
            "details".to_string(),
        ],
        folded: true,
        ..Part::default()
    };
    for c in &d.changes {
        changes.rows.push(vec![
            format!("{} {}", c.section, c.name),
            match c.kind {
                ChangeKind::Added => "added",
                ChangeKind::Removed => "removed",
                ChangeKind::Changed => "changed",
            }
            .to_string(),
            c.details.join("; "),
        ]);
    }
    if !d.changes.is_empty() {
        page.parts.push(changes);
    }
    let mut figures = Part {
        title: "Figures".to_string(),
        headers: vec![
            "measure".to_string(),
            "old".to_string(),
            "new".to_string(),
            "change".to_string(),
        ],
        folded: true,
        ..Part::default()
    };
    figures.rows.push(vec![
        "availability".to_string(),
        decision::availability(&d.old),
        decision::availability(&d.new),
        format!(
            "{:+.3e} unavailability",
            d.new.availability.q - d.old.availability.q
        ),
    ]);
    figures.rows.push(vec![
        format!("downtime per {per}"),
        units::duration(d.old.downtime_hours()),
        units::duration(d.new.downtime_hours()),
        signed_duration(delta),
    ]);
    figures.rows.push(vec![
        format!("failures per {per}"),
        decision::failures(&d.old),
        decision::failures(&d.new),
        match (d.old.failures, d.new.failures) {
            (Some(a), Some(b)) => format!("{:+.3}", b - a),
            _ => "unknown".to_string(),
        },
    ]);
    page.parts.push(figures);
    let mut top = Part {
        title: "Largest contributors (downtime saved if the component never failed)".to_string(),
        headers: vec![
            "component".to_string(),
            "old".to_string(),
            "new".to_string(),
            "share now".to_string(),
        ],
        folded: true,
        ..Part::default()
    };
    for c in &d.contributors {
        top.rows.push(vec![
            c.name.clone(),
            c.old_downtime_saved_hours
                .map_or("(new)".to_string(), units::duration),
            c.new_downtime_saved_hours
                .map_or("—".to_string(), units::duration),
            c.new_downtime_share.map_or("—".to_string(), units::share),
        ]);
    }
    page.parts.push(top);
    page
}

#[derive(Serialize)]
struct DiffJson<'a> {
    name: &'a str,
    old_file: &'a str,
    new_file: &'a str,
    horizon_hours: f64,
    /// Every target met by the new model (the exit status is 0 exactly then).
    met: bool,
    old: decision::OutcomeJson,
    new: decision::OutcomeJson,
    delta_unavailability: f64,
    delta_downtime_hours: f64,
    changes: &'a [crate::decide::diff::Change],
    contributors: &'a [crate::decide::diff::Contributor],
}

pub fn json(d: &Diff) -> String {
    decision::to_json(&DiffJson {
        name: &d.name,
        old_file: &d.old_file,
        new_file: &d.new_file,
        horizon_hours: d.new.horizon_hours,
        met: d.new.met(),
        old: decision::outcome_json(&d.old),
        new: decision::outcome_json(&d.new),
        delta_unavailability: d.new.availability.q - d.old.availability.q,
        delta_downtime_hours: d.new.downtime_hours() - d.old.downtime_hours(),
        changes: &d.changes,
        contributors: &d.contributors,
    })
}
