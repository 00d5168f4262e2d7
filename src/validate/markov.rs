//! Rules of the dependent blocks: shared repair crews, common cause, standby and explicit
//! Markov chains. Their generators are built from a component's rates, so that component
//! must have rates (a static availability says nothing about how often it fails).

use super::Names;
use crate::diagnostics::{Diagnostic, Pos, Sink};
use crate::parse::model::{Block, Located, MarkovSpec, StandbySpec};
use std::collections::HashMap;

/// `of` of a block whose copies share something: must name a component with rates.
pub fn rated_component(of: &Located<Block>, what: &str, names: &Names, sink: &mut Sink) {
    match &of.value {
        Block::Ref(name) => rated_component_name(name, of.pos, what, names, sink),
        _ => sink.push(
            Diagnostic::error(of.pos, format!("{what} needs `of` to name one component"))
                .with_hint("the copies share repair or a common cause, so they must be copies of one component with mtbf and mttr"),
        ),
    }
}

pub fn rated_component_name(name: &str, pos: Pos, what: &str, names: &Names, sink: &mut Sink) {
    if names.block_index.contains_key(name) {
        sink.push(
            Diagnostic::error(pos, format!("{what} needs a component, but `{name}` is a named block"))
                .with_hint("shared repair, common cause and standby model copies of one component with mtbf and mttr"),
        );
    } else if let Some(&i) = names.component_index.get(name)
        && names.components[i].rates.is_none()
    {
        sink.push(
            Diagnostic::error(
                pos,
                format!("{what} needs rates, but component `{name}` has only an availability"),
            )
            .with_hint("give the component `mtbf` and `mttr` (or `availability` with `mttr`)"),
        );
    }
}

pub fn standby(s: &StandbySpec, names: &Names, sink: &mut Sink) {
    if let Some(of) = &s.of {
        if !names.component_index.contains_key(&of.value)
            && !names.block_index.contains_key(&of.value)
            && !names.all_component_names.contains(&of.value.as_str())
        {
            sink.push(
                Diagnostic::error(of.pos, format!("unknown component `{}`", of.value)).maybe_hint(
                    crate::diagnostics::did_you_mean(
                        &of.value,
                        names.all_component_names.iter().copied(),
                    ),
                ),
            );
        } else {
            rated_component_name(&of.value, of.pos, "`standby`", names, sink);
        }
    }
    let n = s.n.as_ref().map_or(1, |n| n.value);
    if let Some(active) = &s.active
        && active.value > n
    {
        sink.push(
            Diagnostic::error(
                active.pos,
                format!("active is {} but there are only {n} units", active.value),
            )
            .with_hint("`n` counts all units, active and spare"),
        );
    }
    let mode = s.mode.as_ref().map(|m| m.value.as_str());
    if let Some(m) = &s.mode
        && !StandbySpec::MODES.contains(&m.value.as_str())
    {
        sink.push(
            Diagnostic::error(m.pos, format!("unknown standby mode `{}`", m.value)).with_hint(
                crate::diagnostics::did_you_mean(&m.value, StandbySpec::MODES.iter().copied())
                    .unwrap_or_else(|| "use cold, warm or hot".into()),
            ),
        );
    }
    match (&s.spare_factor, mode) {
        (Some(f), Some("cold" | "hot")) => sink.push(
            Diagnostic::error(
                f.pos,
                format!(
                    "`spare_factor` applies to warm standby, not {}",
                    mode.unwrap_or("")
                ),
            )
            .with_hint(
                "cold spares never fail and hot spares fail at the full rate; use `mode: warm`",
            ),
        ),
        (Some(f), _) if !(0.0..=1.0).contains(&f.value) || f.value.is_nan() => sink.push(
            Diagnostic::error(f.pos, "spare_factor must lie between 0 and 1")
                .with_hint("a warm spare fails at spare_factor x the active failure rate"),
        ),
        (None, Some("warm")) => sink.push(
            Diagnostic::error(
                s.mode.as_ref().map_or(s.pos, |m| m.pos),
                "warm standby needs `spare_factor`",
            )
            .with_hint(
                "e.g. `spare_factor: 0.1` for spares that fail at a tenth of the active rate",
            ),
        ),
        _ => {}
    }
    let coverage_below_one = s.coverage.as_ref().is_some_and(|c| c.value.q > 0.0);
    if coverage_below_one && s.manual_switchover.is_none() {
        sink.push(
            Diagnostic::error(s.coverage.as_ref().map_or(s.pos, |c| c.pos), "coverage below 100% needs `manual_switchover`")
                .with_hint("say how long the switchover takes when the automatic one fails, e.g. `manual_switchover: 15m`"),
        );
    }
    if let Some(m) = &s.manual_switchover
        && m.value.0 <= 0.0
    {
        sink.push(Diagnostic::error(
            m.pos,
            "manual_switchover must be longer than zero",
        ));
    }
}

pub fn markov(m: &MarkovSpec, sink: &mut Sink) {
    if m.states.is_empty() {
        sink.push(Diagnostic::error(
            m.pos,
            "a `markov` block needs at least one state",
        ));
        return;
    }
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, s) in m.states.iter().enumerate() {
        if let Some(&first) = index.get(s.value.as_str()) {
            sink.push(
                Diagnostic::error(s.pos, format!("state `{}` is listed twice", s.value))
                    .with_hint(format!("first listed at line {}", m.states[first].pos.line)),
            );
        } else {
            index.insert(&s.value, i);
        }
    }
    let known = |name: &Located<String>, what: &str, sink: &mut Sink| -> Option<usize> {
        let found = index.get(name.value.as_str()).copied();
        if found.is_none() {
            sink.push(
                Diagnostic::error(
                    name.pos,
                    format!("{what} `{}` is not one of the states", name.value),
                )
                .with_hint(
                    crate::diagnostics::did_you_mean(
                        &name.value,
                        m.states.iter().map(|s| s.value.as_str()),
                    )
                    .unwrap_or_else(|| "list it under `states:`".into()),
                ),
            );
        }
        found
    };
    let up: Vec<Option<usize>> = m.up.iter().map(|u| known(u, "up state", sink)).collect();
    if m.up.is_empty() {
        sink.push(
            Diagnostic::error(m.pos, "a `markov` block needs at least one up state")
                .with_hint("list the states in which the block works under `up:`"),
        );
    }
    let mut edges: Vec<(usize, usize)> = Vec::new();
    for t in &m.transitions {
        let from = t
            .from
            .as_ref()
            .and_then(|f| known(f, "transition source", sink));
        let to =
            t.to.as_ref()
                .and_then(|f| known(f, "transition target", sink));
        match (&t.rate, &t.after) {
            (Some(_), Some(a)) => sink.push(
                Diagnostic::error(a.pos, "a transition has `rate` or `after`, not both")
                    .with_hint("`after: 2h` means `rate: 0.5/h`"),
            ),
            (None, None) => sink.push(Diagnostic::error(
                t.pos,
                "a transition needs `rate` (e.g. `1e-3/h`) or `after` (a mean time, e.g. `2h`)",
            )),
            (Some(r), None) if !(r.value.0 > 0.0 && r.value.0.is_finite()) => sink.push(
                Diagnostic::error(
                    r.pos,
                    "a transition rate must be greater than zero and finite",
                )
                .with_hint("leave the transition out if it never happens"),
            ),
            (None, Some(a)) if !(a.value.0 > 0.0 && a.value.0.is_finite()) => {
                sink.push(Diagnostic::error(a.pos, "`after` must be longer than zero"))
            }
            _ => {}
        }
        if let (Some(f), Some(t2)) = (from, to) {
            if f == t2 {
                sink.push(
                    Diagnostic::error(t.pos, "a transition from a state to itself has no effect")
                        .with_hint("remove it"),
                );
            }
            edges.push((f, t2));
        }
    }
    if sink.has_errors() || up.iter().any(Option::is_none) {
        return;
    }
    // One closed class: everything reachable from the first state, and it from everything.
    let n = m.states.len();
    // Adjacency both ways, so each search is linear in the transitions.
    let mut next = vec![Vec::new(); n];
    let mut previous = vec![Vec::new(); n];
    for &(a, b) in &edges {
        next[a].push(b);
        previous[b].push(a);
    }
    let reach = |forward: bool| {
        let adjacency = if forward { &next } else { &previous };
        let mut seen = vec![false; n];
        let mut stack = vec![0];
        seen[0] = true;
        while let Some(i) = stack.pop() {
            for &y in &adjacency[i] {
                if !seen[y] {
                    seen[y] = true;
                    stack.push(y);
                }
            }
        }
        seen
    };
    let forward = reach(true);
    for (i, s) in m.states.iter().enumerate() {
        if !forward[i] {
            sink.push(
                Diagnostic::error(s.pos, format!("state `{}` cannot be reached from the initial state `{}`", s.value, m.states[0].value))
                    .with_hint("the first state listed is where the block starts; add a transition into this state or remove it"),
            );
        }
    }
    if forward.iter().any(|&x| !x) {
        return;
    }
    let backward = reach(false);
    for (i, s) in m.states.iter().enumerate() {
        if !backward[i] {
            let absorbing = !edges.iter().any(|&(a, _)| a == i);
            let msg = if absorbing {
                format!(
                    "state `{}` has no transition out: the chain is absorbed there and has no steady state",
                    s.value
                )
            } else {
                format!(
                    "from state `{}` the chain never returns to `{}`: it has no steady state",
                    s.value, m.states[0].value
                )
            };
            sink.push(Diagnostic::error(s.pos, msg).with_hint(
                "steady-state availability needs a way back (a repair) from every state; add a transition out of it",
            ));
        }
    }
}
