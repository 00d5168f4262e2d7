//! `hacalc allocate`: the single changes that alone meet the target, then the balanced
//! allocation, each with the availability it was verified to give.

use super::decision::{self, Page, Part, Tone};
use crate::decide::allocate::{Allocation, By, Proposal, Single};
use crate::units;
use serde::Serialize;

fn by_word(by: By) -> &'static str {
    match by {
        By::Mttr => "mttr",
        By::Mtbf => "mtbf",
        By::Availability => "availability",
    }
}

/// "db.mttr <= 41.27m" for one change.
fn change_words(p: &Proposal) -> String {
    p.changes
        .iter()
        .map(|c| {
            let op = if c.at_most { "<=" } else { ">=" };
            format!(
                "{} {op} {} (from {}, x{})",
                c.path,
                c.to,
                c.from,
                units::significant(c.factor, 3)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn targets_words(a: &Allocation) -> String {
    use crate::analysis::targets::TargetKind;
    let mut list: Vec<String> = a
        .current
        .verdicts
        .iter()
        .filter(|v| v.kind != TargetKind::Slo)
        .map(|v| match v.availability {
            Some(t) => units::percent_exact(t.p, t.q),
            None => format!(
                "at most {} downtime",
                units::duration(v.target_downtime_hours)
            ),
        })
        .collect();
    match a
        .current
        .verdicts
        .iter()
        .filter(|v| v.kind == TargetKind::Slo)
        .count()
    {
        0 => {}
        1 => list.push("the promise (slo)".to_string()),
        n => list.push(format!("the {n} promises (slo)")),
    }
    list.join(" and ")
}

pub fn page(a: &Allocation) -> Page {
    let target = targets_words(a);
    let mut page = Page {
        title: format!("{}: what meets {target} (by {})", a.name, by_word(a.by)),
        ..Page::default()
    };
    page.line(
        format!(
            "now: availability {}, {} downtime per {}",
            decision::availability(&a.current),
            units::duration(a.current.downtime_hours()),
            units::duration(a.current.horizon_hours)
        ),
        Tone::Plain,
    );
    if a.already_met {
        page.line(
            format!("the model already meets {target}: nothing to change"),
            Tone::Good,
        );
        return page;
    }
    let meets: Vec<&Proposal> = a
        .singles
        .iter()
        .filter_map(|s| match s {
            Single::Meets(p) => Some(p),
            _ => None,
        })
        .collect();
    if meets.is_empty() {
        page.line(format!("no single change meets {target}"), Tone::Bad);
    } else {
        for p in &meets {
            page.line(
                format!("{} alone meets {target}", change_words(p)),
                Tone::Good,
            );
        }
    }
    match &a.balanced {
        Some(p) => page.line(format!("together: {}", change_words(p)), Tone::Good),
        None if !a.singles.is_empty() => page.line(
            "even every considered component made perfect does not meet the target",
            Tone::Bad,
        ),
        None => {}
    }
    let mut part = Part {
        title: "Single changes".to_string(),
        headers: vec![
            "component".to_string(),
            "change".to_string(),
            "availability then".to_string(),
        ],
        ..Part::default()
    };
    for s in &a.singles {
        part.rows.push(match s {
            Single::Meets(p) => vec![
                p.changes[0].component.clone(),
                format!("{}={}", p.changes[0].path, p.changes[0].to),
                decision::availability(&p.outcome),
            ],
            Single::Insufficient { component } => vec![
                component.clone(),
                "not enough alone, even perfect".to_string(),
                String::new(),
            ],
            Single::NotApplicable { component, why } => {
                vec![component.clone(), format!("skipped: {why}"), String::new()]
            }
        });
    }
    if !part.rows.is_empty() {
        page.parts.push(part);
    }
    if let Some(p) = &a.balanced {
        let mut part = Part {
            title: "Balanced allocation".to_string(),
            notes: vec![format!(
                "every component above improved by one common factor (weighted by `cost:` where given); verified: availability {}",
                decision::availability(&p.outcome)
            )],
            headers: vec![
                "component".to_string(),
                "from".to_string(),
                "to".to_string(),
                "factor".to_string(),
            ],
            ..Part::default()
        };
        for c in &p.changes {
            part.rows.push(vec![
                c.component.clone(),
                c.from.clone(),
                c.to.clone(),
                format!("x{}", units::significant(c.factor, 3)),
            ]);
        }
        page.parts.push(part);
    }
    page
}

#[derive(Serialize)]
struct ProposalJson<'a> {
    /// `single` (one change that alone meets the target) or `balanced`.
    kind: &'static str,
    /// The assignment, as one `--set` takes it, when the proposal is one change (null for a
    /// balanced allocation of several).
    set: Option<String>,
    /// Every assignment, each as one `--set` takes it.
    sets: Vec<String>,
    changes: &'a [crate::decide::allocate::Assignment],
    #[serde(flatten)]
    outcome: decision::OutcomeJson,
}

#[derive(Serialize)]
struct Skipped<'a> {
    component: &'a str,
    why: String,
}

#[derive(Serialize)]
struct AllocateJson<'a> {
    name: &'a str,
    by: By,
    horizon_hours: f64,
    current: decision::OutcomeJson,
    already_met: bool,
    proposals: Vec<ProposalJson<'a>>,
    /// Components that cannot meet the target alone, or have no such parameter.
    insufficient: Vec<Skipped<'a>>,
}

pub fn json(a: &Allocation) -> String {
    fn proposal<'a>(kind: &'static str, p: &'a Proposal) -> ProposalJson<'a> {
        ProposalJson {
            kind,
            set: (p.changes.len() == 1).then(|| p.sets().remove(0)),
            sets: p.sets(),
            changes: &p.changes,
            outcome: decision::outcome_json(&p.outcome),
        }
    }
    let mut proposals: Vec<ProposalJson> = a
        .singles
        .iter()
        .filter_map(|s| match s {
            Single::Meets(p) => Some(proposal("single", p)),
            _ => None,
        })
        .collect();
    if let Some(p) = &a.balanced {
        proposals.push(proposal("balanced", p));
    }
    decision::to_json(&AllocateJson {
        name: &a.name,
        by: a.by,
        horizon_hours: a.current.horizon_hours,
        current: decision::outcome_json(&a.current),
        already_met: a.already_met,
        proposals,
        insufficient: a
            .singles
            .iter()
            .filter_map(|s| match s {
                Single::Insufficient { component } => Some(Skipped {
                    component,
                    why: "not enough alone, even perfect".to_string(),
                }),
                Single::NotApplicable { component, why } => Some(Skipped {
                    component,
                    why: why.clone(),
                }),
                Single::Meets(_) => None,
            })
            .collect(),
    })
}
