//! Warnings for models that are valid but probably not what was meant: the silent traps of a
//! CI gate. Each is located; `--deny-warnings` turns them into errors.

use crate::diagnostics::{Diagnostic, Pos, Sink};
use crate::model::{BlockKind, Graph, Model};
use crate::parse::written;
use crate::units;

/// Availability targets below this are almost certainly a slip.
const LOW_TARGET: f64 = 0.9;

pub fn check(written: &written::Model, model: &Model, sink: &mut Sink) {
    target(written, sink);
    components(written, model, sink);
    for b in model.blocks.iter().map(|b| &b.block).chain([&model.system]) {
        b.visit(&mut |x| {
            if let BlockKind::Network(n) = &x.kind {
                network(&n.graph, x.pos, sink);
            }
        });
    }
}

fn target(written: &written::Model, sink: &mut Sink) {
    let Some(t) = written
        .targets
        .as_ref()
        .and_then(|t| t.availability.as_ref())
    else {
        return;
    };
    let a = t.value.p;
    if a >= LOW_TARGET {
        return;
    }
    let hint = if a > 0.0 && a <= 0.01 && a * 100.0 >= LOW_TARGET {
        // 0.9995% reads like 99.95% written as a fraction with a percent sign.
        format!(
            "did you mean `{}`? a target is usually a few nines",
            units::percent_exact(a * 100.0, 1.0 - a * 100.0)
        )
    } else {
        "a target is usually a few nines, e.g. `99.95%`".to_string()
    };
    sink.push(Diagnostic::warning(t.pos, "the availability target is below 90%").with_hint(hint));
}

/// Where a component's repair time is written, for the warnings about it.
fn repair_pos(c: &crate::model::Component) -> Pos {
    c.written
        .iter()
        .find(|(k, _)| matches!(*k, "mttr" | "repair_rate" | "time_to_repair"))
        .map_or(c.pos, |(_, p)| *p)
}

fn components(written: &written::Model, model: &Model, sink: &mut Sink) {
    let (used, _) = model.usage();
    let mut longest: Option<(f64, Pos)> = None;
    for (c, _) in model.components.iter().zip(used).filter(|(_, u)| *u) {
        let Some(r) = c.rates else {
            if c.avail.p < 0.5 {
                sink.push(Diagnostic::warning(
                    c.pos,
                    format!(
                        "component `{}` is up only {} of the time",
                        c.name,
                        units::percent(c.avail.p, c.avail.q)
                    ),
                ));
            }
            continue;
        };
        if r.mttr() >= r.mtbf() {
            sink.push(
                Diagnostic::warning(
                    repair_pos(c),
                    format!(
                        "component `{}` takes longer to repair ({}) than it runs between failures ({}): it is down more than it is up",
                        c.name,
                        units::duration(r.mttr()),
                        units::duration(r.mtbf())
                    ),
                )
                .with_hint("were mtbf and mttr swapped? mtbf is the mean up time, mttr the mean down time"),
            );
        }
        if longest.is_none_or(|(h, _)| r.mttr() > h) {
            longest = Some((r.mttr(), repair_pos(c)));
        }
    }
    if let Some((mttr, pos)) = longest
        && mttr > model.horizon_hours
    {
        let at = written.horizon.as_ref().map_or(pos, |h| h.pos);
        sink.push(
            Diagnostic::warning(
                at,
                format!(
                    "the horizon ({}) is shorter than the longest repair ({}): downtime and failures per horizon are long-run averages, not what one horizon will see",
                    units::duration(model.horizon_hours),
                    units::duration(mttr)
                ),
            )
            .with_hint("state the horizon the numbers are for, e.g. `horizon: 1y`"),
        );
    }
}

/// Which nodes the links reach from `start`, forwards or (directed only) backwards.
fn reach(g: &Graph, start: u32, backwards: bool) -> Vec<bool> {
    let mut seen = vec![false; g.nodes.len()];
    let mut todo = vec![start as usize];
    seen[start as usize] = true;
    while let Some(x) = todo.pop() {
        for &(a, b) in &g.links {
            let (a, b) = (a as usize, b as usize);
            let mut step = |from: usize, to: usize| {
                if from == x && !seen[to] {
                    seen[to] = true;
                    todo.push(to);
                }
            };
            if !g.directed || !backwards {
                step(a, b);
            }
            if !g.directed || backwards {
                step(b, a);
            }
        }
    }
    seen
}

fn network(g: &Graph, pos: Pos, sink: &mut Sink) {
    let from = reach(g, g.source, false);
    let to = reach(g, g.target, true);
    let (s, t) = (&g.nodes[g.source as usize], &g.nodes[g.target as usize]);
    if !from[g.target as usize] {
        sink.push(
            Diagnostic::warning(
                pos,
                format!(
                    "no path leads from `{s}` to `{t}`{}: this network is always down",
                    if g.directed {
                        " along the links' directions"
                    } else {
                        ""
                    }
                ),
            )
            .with_hint("check the links' `from` and `to` (and `directed`)"),
        );
        return;
    }
    let stranded: Vec<&str> = g
        .nodes
        .iter()
        .enumerate()
        .filter(|&(i, _)| !(from[i] && to[i]))
        .map(|(_, n)| n.as_str())
        .collect();
    if !stranded.is_empty() {
        sink.push(
            Diagnostic::warning(
                pos,
                format!(
                    "node{} `{}` lie{} on no path from `{s}` to `{t}`: {} links never matter",
                    if stranded.len() == 1 { "" } else { "s" },
                    stranded.join("`, `"),
                    if stranded.len() == 1 { "s" } else { "" },
                    if stranded.len() == 1 { "its" } else { "their" },
                ),
            )
            .with_hint("check the links' `from` and `to`"),
        );
    }
}
