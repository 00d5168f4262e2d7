//! Rules of repair teams: each `team:` names a declared team, a team repairs components with
//! rates, its `priority` lists its own components once each, and a team's components are not
//! also repaired by a block's own crews (a standby block, or copies with `crews` or
//! `common_cause`, which model their own repair).

use crate::diagnostics::{Diagnostic, Sink, did_you_mean};
use crate::model::{Block, BlockKind, Component, Discipline, Team};
use crate::parse::written::{self, TeamSpec};

/// The teams, in the order of the file, and each component's team set; errors in `sink`.
pub fn resolve(
    model: &written::Model,
    components: &mut [Option<Component>],
    sink: &mut Sink,
) -> Vec<Team> {
    let mut teams: Vec<Team> = model
        .teams
        .iter()
        .map(|(name, spec)| Team {
            name: name.value.clone(),
            pos: name.pos,
            size: spec.size.as_ref().map_or(1, |s| s.value),
            discipline: discipline(spec, sink),
            order: Vec::new(),
        })
        .collect();
    for (name, spec) in &model.teams {
        if name.value.trim().is_empty() {
            sink.push(
                Diagnostic::error(name.pos, "a team's name must not be empty")
                    .with_hint("name the team, e.g. `oncall`"),
            );
        }
        if let (Some(d), Some(list)) = (&spec.discipline, &spec.priority)
            && d.value == "shared"
            && !list.is_empty()
        {
            sink.push(
                Diagnostic::warning(list[0].pos, format!("team `{}` shares its repairers equally (`discipline: shared`): its `priority` list is not used", name.value))
                    .with_hint("remove `priority`, or use `discipline: priority`"),
            );
        }
        super::text::check_name(
            &name.value,
            &format!("team name `{}`", name.value.escape_debug()),
            name.pos,
            sink,
        );
    }
    let team_names: Vec<&str> = model.teams.iter().map(|(n, _)| n.value.as_str()).collect();
    for ((cname, spec), component) in model.components.iter().zip(components.iter_mut()) {
        let Some(team) = &spec.team else { continue };
        let Some(id) = team_names.iter().position(|t| *t == team.value) else {
            let hint = did_you_mean(&team.value, team_names.iter().copied()).unwrap_or_else(|| {
                format!(
                    "declare it, e.g. `teams: {{ {}: {{ size: 1 }} }}`",
                    team.value
                )
            });
            sink.push(
                Diagnostic::error(team.pos, format!("no team is named `{}`", team.value))
                    .with_hint(hint),
            );
            continue;
        };
        let Some(c) = component else { continue };
        if c.rates.is_none() {
            sink.push(
                Diagnostic::error(
                    team.pos,
                    format!(
                        "component `{}` has only a static availability: a team repairs components with an mtbf and an mttr",
                        cname.value
                    ),
                )
                .with_hint("give it `mtbf` and `mttr`, or remove `team:`"),
            );
            continue;
        }
        c.team = Some(id);
    }
    // Each team's order: its `priority` list, then its other components in file order.
    for (id, (t, (tname, spec))) in teams.iter_mut().zip(&model.teams).enumerate() {
        for listed in spec.priority.iter().flatten() {
            let found = model
                .components
                .iter()
                .position(|(n, _)| n.value == listed.value);
            match found {
                None => {
                    let names = model.components.iter().map(|(n, _)| n.value.as_str());
                    sink.push(
                        Diagnostic::error(
                            listed.pos,
                            format!("no component is named `{}`", listed.value),
                        )
                        .maybe_hint(did_you_mean(&listed.value, names)),
                    );
                }
                Some(c) if t.order.contains(&c) => sink.push(
                    Diagnostic::error(
                        listed.pos,
                        format!(
                            "`{}` is listed twice in the priority of team `{}`",
                            listed.value, t.name
                        ),
                    )
                    .with_hint("list each component once, most important first"),
                ),
                Some(c) => {
                    let other = components[c]
                        .as_ref()
                        .and_then(|x| x.team)
                        .filter(|&o| o != id);
                    if components[c].as_ref().is_some_and(|x| x.team == Some(id)) {
                        t.order.push(c);
                    } else if let Some(other) = other {
                        sink.push(
                            Diagnostic::error(
                                listed.pos,
                                format!(
                                    "`{}` is repaired by team `{}`, not `{}`: a team's priority lists its own components",
                                    listed.value, team_names[other], t.name
                                ),
                            )
                            .with_hint(format!(
                                "list `{}` under team `{}`, or change its `team:`",
                                listed.value, team_names[other]
                            )),
                        );
                    } else if components[c].is_some() {
                        sink.push(
                            Diagnostic::error(
                                listed.pos,
                                format!(
                                    "`{}` is in the priority of team `{}` but is not repaired by it",
                                    listed.value, t.name
                                ),
                            )
                            .with_hint(format!(
                                "add `team: {}` to component `{}`",
                                t.name, listed.value
                            )),
                        );
                    }
                }
            }
        }
        for (c, component) in components.iter().enumerate() {
            if component.as_ref().is_some_and(|x| x.team == Some(id)) && !t.order.contains(&c) {
                t.order.push(c);
            }
        }
        if t.order.is_empty() && !sink.has_errors() {
            sink.push(
                Diagnostic::warning(tname.pos, format!("team `{}` repairs no component", t.name))
                    .with_hint(format!(
                        "add `team: {}` to the components it repairs",
                        t.name
                    )),
            );
        }
    }
    teams
}

fn discipline(spec: &TeamSpec, sink: &mut Sink) -> Discipline {
    match spec.discipline.as_ref().map(|d| (d, d.value.as_str())) {
        None | Some((_, "priority")) => Discipline::Priority,
        Some((_, "shared")) => Discipline::Shared,
        Some((d, other)) => {
            sink.push(
                Diagnostic::error(
                    d.pos,
                    format!("`{other}` is not a team discipline: use `priority` or `shared`"),
                )
                .maybe_hint(did_you_mean(other, TeamSpec::DISCIPLINES.iter().copied())),
            );
            Discipline::Priority
        }
    }
}

/// A team's component in a block that repairs its own units (standby, or copies with
/// `crews` or `common_cause`) is an error: two repair policies for one unit.
pub fn check_blocks(components: &[Component], teams: &[Team], roots: &[&Block], sink: &mut Sink) {
    for root in roots {
        root.visit(&mut |b| {
            let (component, what) = match &b.kind {
                BlockKind::SharedCopies(s) => (s.component, "copies with `crews` or `common_cause`"),
                BlockKind::Standby(s) => (s.component, "a standby block"),
                BlockKind::Component(_)
                | BlockKind::Named(_)
                | BlockKind::Series(_)
                | BlockKind::KofN { .. }
                | BlockKind::Copies { .. }
                | BlockKind::Markov(_)
                | BlockKind::Network(_)
                | BlockKind::Capacity { .. } => return,
            };
            let c = &components[component];
            if let Some(t) = c.team {
                sink.push(
                    Diagnostic::error(
                        b.pos,
                        format!(
                            "`{}` is repaired by team `{}`, and {what} repairs its units by its own rules",
                            c.name, teams[t].name
                        ),
                    )
                    .with_hint(format!(
                        "use plain copies (`parallel: {{ n: 2, of: {} }}`, no `crews`) so that the team repairs them, or give this block a component without `team:`",
                        c.name
                    )),
                );
            }
        });
    }
}
