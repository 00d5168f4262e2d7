//! `hacalc diff OLD NEW`: what a change to a model changes, in the model and in its figures,
//! for pull-request comments.

use super::{Outcome, scalar_text};
use crate::diagnostics::Report;
use crate::parse::yaml::{Node, Value};
use crate::{Analysis, Edits, Options, Request};

/// What happened to a part of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One change in the model's text, by section and name.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Change {
    /// `model` (name, description, horizon, slo), `targets`, `component`, `block`,
    /// `system`, `team` or `variant`.
    pub section: &'static str,
    pub name: String,
    pub kind: ChangeKind,
    /// For a change: `mttr: 1h30m -> 45m`, one per key; for an addition or removal, the
    /// part as written.
    pub details: Vec<String>,
}

/// A component's downtime saved (if it never failed) before and after.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Contributor {
    pub name: String,
    /// Hours per horizon in the old model (None: not in it).
    pub old_downtime_saved_hours: Option<f64>,
    pub new_downtime_saved_hours: Option<f64>,
    /// Its share of the new model's downtime.
    pub new_downtime_share: Option<f64>,
}

/// The two models' differences.
#[derive(Debug, Clone)]
pub struct Diff {
    pub old_file: String,
    pub new_file: String,
    pub name: String,
    pub changes: Vec<Change>,
    pub old: Outcome,
    pub new: Outcome,
    /// The new model's largest contributors, and what they were.
    pub contributors: Vec<Contributor>,
}

/// Contributors listed.
pub const CONTRIBUTORS: usize = 5;

/// Reads, solves and compares two models; the targets judged are the new model's (or the
/// request's, in place of the same kind), applied to both.
pub fn diff(
    (old_file, old_source): (&str, &str),
    (new_file, new_source): (&str, &str),
    edits: &Edits,
    options: &Options,
    request: &Request,
) -> Result<Diff, Report> {
    let new = crate::analyse_edited(new_file, new_source, edits, options, request)?;
    // The old model judged by the new targets: the question is what the change did.
    let old_request = Request {
        availability_target: request
            .availability_target
            .or(new.model.targets.availability),
        downtime_target_hours: request
            .downtime_target_hours
            .or(new.model.targets.downtime_hours),
        ..request.clone()
    };
    let old = crate::analyse_edited(old_file, old_source, edits, options, &old_request)?;
    let (old_tree, new_tree) = (
        edited_tree(old_file, old_source, edits)?,
        edited_tree(new_file, new_source, edits)?,
    );
    let changes = model_changes(&old_tree, &new_tree);
    Ok(Diff {
        old_file: old_file.to_string(),
        new_file: new_file.to_string(),
        name: new.solution.name.clone(),
        changes,
        contributors: contributors(&old, &new),
        old: Outcome::of(&old),
        new: Outcome::of(&new),
    })
}

/// A model's tree as solved: with the command line's edits.
fn edited_tree<'s>(file: &str, source: &'s str, edits: &'s Edits) -> Result<Node<'s>, Report> {
    let mut t = crate::parse::yaml::read(source).map_err(|d| Report::new(file, source, vec![d]))?;
    crate::parse::assign::apply_edits(&mut t, source.len(), edits).map_err(|d| Report {
        arguments: edits.arguments(),
        ..Report::new(file, source, d)
    })?;
    Ok(t)
}

fn contributors(old: &Analysis, new: &Analysis) -> Vec<Contributor> {
    let h = new.solution.horizon_hours;
    let u = new.solution.system.unavailability();
    new.ranked_components()
        .into_iter()
        .take(CONTRIBUTORS)
        .map(|c| {
            let before = old
                .solution
                .components
                .iter()
                .find(|o| o.name == c.name && o.copies > 0.0);
            Contributor {
                name: c.name.clone(),
                old_downtime_saved_hours: before
                    .map(|o| o.unavailability_saved * old.solution.horizon_hours)
                    .filter(|x| x.is_finite()),
                new_downtime_saved_hours: Some(c.unavailability_saved * h)
                    .filter(|x| x.is_finite()),
                new_downtime_share: (u > 0.0)
                    .then(|| c.unavailability_saved / u)
                    .filter(|x| x.is_finite()),
            }
        })
        .collect()
}

/// A node's text with mapping keys sorted, for comparing what two files say regardless of
/// order and layout.
fn canonical(node: &Node) -> String {
    match &node.value {
        Value::Map(entries) => {
            let mut parts: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{}: {}", k.name, canonical(v)))
                .collect();
            parts.sort();
            format!("{{{}}}", parts.join(", "))
        }
        Value::Seq(items) => format!(
            "[{}]",
            items.iter().map(canonical).collect::<Vec<_>>().join(", ")
        ),
        _ => scalar_text(node),
    }
}

fn entries<'a, 's>(node: Option<&'a Node<'s>>) -> Vec<(String, &'a Node<'s>)> {
    match node.map(|n| &n.value) {
        Some(Value::Map(e)) => e.iter().map(|(k, v)| (k.name.to_string(), v)).collect(),
        _ => Vec::new(),
    }
}

fn field<'a, 's>(node: &'a Node<'s>, key: &str) -> Option<&'a Node<'s>> {
    entries(Some(node))
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

/// Every change between the two models' texts, section by section.
pub fn model_changes(old: &Node, new: &Node) -> Vec<Change> {
    let mut out = Vec::new();
    for key in ["name", "description", "horizon", "slo"] {
        scalar_change(&mut out, "model", key, field(old, key), field(new, key));
    }
    named_changes(
        &mut out,
        "targets",
        field(old, "targets"),
        field(new, "targets"),
        true,
    );
    named_changes(
        &mut out,
        "component",
        field(old, "components"),
        field(new, "components"),
        false,
    );
    named_changes(
        &mut out,
        "block",
        field(old, "blocks"),
        field(new, "blocks"),
        false,
    );
    named_changes(
        &mut out,
        "team",
        field(old, "teams"),
        field(new, "teams"),
        false,
    );
    named_changes(
        &mut out,
        "variant",
        field(old, "variants"),
        field(new, "variants"),
        false,
    );
    scalar_change(
        &mut out,
        "system",
        "system",
        field(old, "system"),
        field(new, "system"),
    );
    out
}

fn scalar_change(
    out: &mut Vec<Change>,
    section: &'static str,
    name: &str,
    old: Option<&Node>,
    new: Option<&Node>,
) {
    let (kind, details) = match (old, new) {
        (None, None) => return,
        (Some(o), Some(n)) if canonical(o) == canonical(n) => return,
        (Some(o), Some(n)) => (
            ChangeKind::Changed,
            vec![format!("{} -> {}", scalar_text(o), scalar_text(n))],
        ),
        (None, Some(n)) => (ChangeKind::Added, vec![scalar_text(n)]),
        (Some(o), None) => (ChangeKind::Removed, vec![scalar_text(o)]),
    };
    out.push(Change {
        section,
        name: name.to_string(),
        kind,
        details,
    });
}

/// Changes among named parts (components, blocks...): added, removed, and for those in both,
/// each key that changed (`flat`: the section's keys are the parts, e.g. targets).
fn named_changes(
    out: &mut Vec<Change>,
    section: &'static str,
    old: Option<&Node>,
    new: Option<&Node>,
    flat: bool,
) {
    if flat {
        let (o, n) = (entries(old), entries(new));
        for (name, v) in &n {
            let before = o.iter().find(|(k, _)| k == name).map(|(_, v)| *v);
            scalar_change(out, section, name, before, Some(v));
        }
        for (name, v) in &o {
            if !n.iter().any(|(k, _)| k == name) {
                scalar_change(out, section, name, Some(v), None);
            }
        }
        return;
    }
    let (o, n) = (entries(old), entries(new));
    for (name, v) in &n {
        match o.iter().find(|(k, _)| k == name).map(|(_, v)| *v) {
            None => out.push(Change {
                section,
                name: name.clone(),
                kind: ChangeKind::Added,
                details: vec![scalar_text(v)],
            }),
            Some(before) if canonical(before) == canonical(v) => {}
            Some(before) => {
                let mut details = Vec::new();
                let (bk, vk) = (entries(Some(before)), entries(Some(v)));
                if bk.is_empty() || vk.is_empty() {
                    details.push(format!("{} -> {}", scalar_text(before), scalar_text(v)));
                } else {
                    for (k, nv) in &vk {
                        match bk.iter().find(|(bkk, _)| bkk == k) {
                            Some((_, ov)) if canonical(ov) == canonical(nv) => {}
                            Some((_, ov)) => details.push(format!(
                                "{k}: {} -> {}",
                                scalar_text(ov),
                                scalar_text(nv)
                            )),
                            None => details.push(format!("{k}: added {}", scalar_text(nv))),
                        }
                    }
                    for (k, ov) in &bk {
                        if !vk.iter().any(|(vkk, _)| vkk == k) {
                            details.push(format!("{k}: removed (was {})", scalar_text(ov)));
                        }
                    }
                }
                out.push(Change {
                    section,
                    name: name.clone(),
                    kind: ChangeKind::Changed,
                    details,
                });
            }
        }
    }
    for (name, v) in &o {
        if !n.iter().any(|(k, _)| k == name) {
            out.push(Change {
                section,
                name: name.clone(),
                kind: ChangeKind::Removed,
                details: vec![scalar_text(v)],
            });
        }
    }
}
