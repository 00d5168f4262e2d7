//! Rules of an explicit `markov` block: states listed once, every name known, every
//! transition with one positive rate, and a chain that has a steady state (one closed class:
//! every state reachable from the first, and the first from every state).

use crate::diagnostics::{Diagnostic, Sink};
use crate::model::MarkovChain;
use crate::parse::written::{Located, MarkovSpec};
use std::collections::HashMap;

/// A `markov` block of the system: it needs a steady state, so no absorbing states.
pub fn resolve(m: &MarkovSpec, sink: &mut Sink) -> Option<MarkovChain> {
    if let Some(a) = m.absorbing.first() {
        sink.push(
            Diagnostic::error(a.pos, format!("state `{}` is absorbing: a block with absorbing states has no steady state, so it cannot be part of the system's availability", a.value))
                .with_hint("a chain that ends in data loss describes durability: declare it under `data: { NAME: { markov: ... } }`, which gives its mean time to data loss and loss probability"),
        );
        return None;
    }
    resolve_with(m, sink, false).map(|(chain, _)| chain)
}

/// A `markov` chain of a data set: absorbing states (data lost) instead of a steady state;
/// returns the chain and which states absorb.
pub fn resolve_absorbing(m: &MarkovSpec, sink: &mut Sink) -> Option<(MarkovChain, Vec<bool>)> {
    if m.absorbing.is_empty() {
        sink.push(
            Diagnostic::error(
                m.pos,
                "the chain of a data set needs `absorbing:`, the states in which the data is lost",
            )
            .with_hint("e.g. `absorbing: [lost]`"),
        );
        return None;
    }
    resolve_with(m, sink, true)
}

fn resolve_with(
    m: &MarkovSpec,
    sink: &mut Sink,
    absorbing_mode: bool,
) -> Option<(MarkovChain, Vec<bool>)> {
    if m.states.is_empty() {
        sink.push(Diagnostic::error(
            m.pos,
            "a `markov` block needs at least one state",
        ));
        return None;
    }
    let before = sink.items.len();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, s) in m.states.iter().enumerate() {
        super::text::check_name(&s.value, "a state name", s.pos, sink);
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
    let absorbing: Vec<Option<usize>> = m
        .absorbing
        .iter()
        .map(|a| known(a, "absorbing state", sink))
        .collect();
    for (i, a) in m.absorbing.iter().enumerate() {
        if let Some(first) = m.absorbing[..i].iter().find(|b| b.value == a.value) {
            sink.push(
                Diagnostic::error(
                    a.pos,
                    format!("absorbing state `{}` is listed twice", a.value),
                )
                .with_hint(format!("first listed at line {}", first.pos.line)),
            );
        }
    }
    if m.up.is_empty() && !absorbing_mode {
        sink.push(
            Diagnostic::error(m.pos, "a `markov` block needs at least one up state")
                .with_hint("list the states in which the block works under `up:`"),
        );
    }
    let mut transitions: Vec<(usize, usize, f64)> = Vec::new();
    for t in &m.transitions {
        let from = t
            .from
            .as_ref()
            .and_then(|f| known(f, "transition source", sink));
        let to =
            t.to.as_ref()
                .and_then(|f| known(f, "transition target", sink));
        let rate = match (&t.rate, &t.after) {
            (Some(_), Some(a)) => {
                sink.push(
                    Diagnostic::error(a.pos, "a transition has `rate` or `after`, not both")
                        .with_hint("`after: 2h` means `rate: 0.5/h`"),
                );
                None
            }
            (None, None) => {
                sink.push(Diagnostic::error(
                    t.pos,
                    "a transition needs `rate` (e.g. `1e-3/h`) or `after` (a mean time, e.g. `2h`)",
                ));
                None
            }
            (Some(r), None) if !(r.value.0 > 0.0 && r.value.0.is_finite()) => {
                sink.push(
                    Diagnostic::error(
                        r.pos,
                        "a transition rate must be greater than zero and finite",
                    )
                    .with_hint("leave the transition out if it never happens"),
                );
                None
            }
            (None, Some(a)) if !(a.value.0 > 0.0 && a.value.0.is_finite()) => {
                sink.push(Diagnostic::error(a.pos, "`after` must be longer than zero"));
                None
            }
            (Some(r), None) => Some(r.value.0),
            (None, Some(a)) => Some(1.0 / a.value.0),
        };
        if let (Some(f), Some(t2)) = (from, to) {
            if f == t2 {
                sink.push(
                    Diagnostic::error(t.pos, "a transition from a state to itself has no effect")
                        .with_hint("remove it"),
                );
            }
            if let Some(rate) = rate {
                transitions.push((f, t2, rate));
            }
        }
    }
    if sink.items.len() > before
        || up.iter().any(Option::is_none)
        || absorbing.iter().any(Option::is_none)
        || !m.complete
    {
        return None;
    }
    let mut absorbs = vec![false; m.states.len()];
    for a in absorbing.iter().flatten() {
        absorbs[*a] = true;
    }
    if absorbing_mode {
        for &(from, _, _) in &transitions {
            if absorbs[from] {
                sink.push(
                    Diagnostic::error(m.states[from].pos, format!("state `{}` is absorbing but has a transition out", m.states[from].value))
                        .with_hint("data once lost stays lost: remove the transition, or the state from `absorbing`"),
                );
                return None;
            }
        }
    }
    // One closed class: everything reachable from the first state, and it from everything.
    let n = m.states.len();
    let (next, previous) = crate::graph::adjacency(n, transitions.iter().map(|&(a, b, _)| (a, b)));
    let forward = crate::graph::reachable(&next, &[0]);
    for (i, s) in m.states.iter().enumerate() {
        if !forward[i] {
            sink.push(
                Diagnostic::error(s.pos, format!("state `{}` cannot be reached from the initial state `{}`", s.value, m.states[0].value))
                    .with_hint("the first state listed is where the block starts; add a transition into this state or remove it"),
            );
        }
    }
    if forward.iter().any(|&x| !x) {
        return None;
    }
    if absorbing_mode {
        let serves = vec![0.0; n];
        return Some((
            MarkovChain {
                states: m.states.iter().map(|s| s.value.clone()).collect(),
                up: absorbs.iter().map(|a| !a).collect(),
                transitions,
                serves,
            },
            absorbs,
        ));
    }
    let backward = crate::graph::reachable(&previous, &[0]);
    for (i, s) in m.states.iter().enumerate() {
        if !backward[i] {
            let absorbing = next[i].is_empty();
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
    let up_states: Vec<bool> = {
        let mut v = vec![false; n];
        for u in up.iter().flatten() {
            v[*u] = true;
        }
        v
    };
    let mut serves: Vec<f64> = up_states
        .iter()
        .map(|&u| if u { 1.0 } else { 0.0 })
        .collect();
    let mut served_seen = vec![false; n];
    for (state, fraction) in &m.serves {
        if let Some(i) = known(state, "state", sink) {
            if served_seen[i] {
                sink.push(Diagnostic::error(
                    state.pos,
                    format!("`serves` gives state `{}` twice", state.value),
                ));
            }
            served_seen[i] = true;
            serves[i] = fraction.value.p;
        }
    }
    if sink.items.len() > before {
        return None;
    }
    Some((
        MarkovChain {
            states: m.states.iter().map(|s| s.value.clone()).collect(),
            up: up_states,
            transitions,
            serves,
        },
        absorbs,
    ))
}
