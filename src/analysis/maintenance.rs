//! Planned maintenance, solved exactly by conditioning on the schedule.
//!
//! Each maintained component's copies are out of service for `duration` every `every`: all
//! at once, or (`staggered`) one after another. Failures and repairs run on their own
//! clocks, and the schedules of different components are unsynchronised (independent
//! phases). At any moment the system is in one *situation*: for each maintained component,
//! none of its copies in maintenance, all of them (share m = duration/every of the time), or
//! one (staggered: share n·m). In a situation the failure processes are in their steady
//! state and the copies in maintenance are simply down, so each situation is an ordinary
//! model, solved exactly; every measure linear in the time (A, U, Birnbaum, downtime saved)
//! is the situations' mean weighed by their shares. A system failure also happens when a
//! maintenance starts while the system is up but cannot stand the loss: at rate 1/every
//! (n/every staggered) from the situation without it, with probability A_from − A_to (the
//! structures are coherent), which the frequency adds to the situations' own.

use super::Options;
use crate::diagnostics::Diagnostic;
use crate::model::{Block, BlockKind, Component, Model, Rates};
use crate::probability::Probability;
use crate::solve::{Measures, Solution};

/// Most situations (joint states of the schedules) solved.
pub const MAX_SITUATIONS: usize = 1024;

/// What the maintenance adds to the downtime.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Planned {
    /// Whether the figures include it (`--planned include`, the default).
    pub included: bool,
    /// U with maintenance − U without: the share of the time the system is down because of
    /// maintenance (alone, or with failures).
    pub unavailability: f64,
    pub situations: usize,
}

/// One component's part of a situation.
#[derive(Clone, Copy, PartialEq)]
enum Out {
    None,
    All,
    One,
}

/// The model with component `c`'s copies out of service as `out` says: each copy out is a
/// use of a copy of `c` that is never up.
fn with_out(model: &Model, c: usize, out: Out, dead: usize) -> Model {
    let mut m = model.clone();
    let swap = |b: &mut Block| replace(b, c, out, dead);
    for nb in &mut m.blocks {
        swap(&mut nb.block);
    }
    swap(&mut m.system);
    m
}

fn is_c(b: &Block, c: usize) -> bool {
    matches!(b.kind, BlockKind::Component(x) if x == c)
}

fn replace(b: &mut Block, c: usize, out: Out, dead: usize) {
    let kill = |b: &Block| Block {
        kind: BlockKind::Component(dead),
        pos: b.pos,
    };
    match &mut b.kind {
        BlockKind::Component(x) if *x == c => {
            *b = kill(b);
        }
        BlockKind::Copies { k, n, of } if is_c(of, c) => match out {
            Out::All => **of = kill(of),
            Out::One => {
                let members: Vec<Block> = std::iter::once(kill(of))
                    .chain((1..*n).map(|_| (**of).clone()))
                    .collect();
                b.kind = BlockKind::KofN {
                    k: *k as usize,
                    members,
                };
            }
            Out::None => {}
        },
        // The served fraction is not what a situation is solved for: its copies stand.
        BlockKind::Capacity { inner, .. } if contains(inner, c) => {
            let mut inner = (**inner).clone();
            replace(&mut inner, c, out, dead);
            *b = inner;
        }
        BlockKind::Series(list) | BlockKind::KofN { members: list, .. } => {
            for x in list {
                replace(x, c, out, dead);
            }
        }
        BlockKind::Copies { of, .. } => replace(of, c, out, dead),
        BlockKind::Capacity { inner, .. } => replace(inner, c, out, dead),
        BlockKind::Network(n) => {
            for x in &mut n.links {
                replace(x, c, out, dead);
            }
        }
        _ => {}
    }
}

fn contains(b: &Block, c: usize) -> bool {
    let mut found = false;
    b.visit(&mut |x: &Block| found |= is_c(x, c));
    found
}

/// A copy that is never up: A = 0, and no failures of its own.
fn dead_copy(of: &Component) -> Component {
    Component {
        name: format!("{} (in maintenance)", of.name),
        avail: Probability::ZERO,
        rates: of.rates.map(|r| Rates {
            failure: r.failure,
            repair: 0.0,
        }),
        maintenance: None,
        uncertain: Vec::new(),
        ..of.clone()
    }
}

/// Solves `model` (compiled as `structure`, solved without maintenance as `base`) with its
/// planned maintenance; returns the solution the figures show and what maintenance adds.
pub fn solve(
    model: &Model,
    base: Solution,
    options: &Options,
    excluded: bool,
) -> Result<(Solution, Option<Planned>), Vec<Diagnostic>> {
    let maintained: Vec<(usize, crate::model::Maintenance, u64)> = model
        .components
        .iter()
        .enumerate()
        .filter_map(|(c, comp)| {
            let m = comp.maintenance?;
            let n = crate::validate::maintenance_places(model, c).iter().sum();
            Some((c, m, n))
        })
        .collect();
    if maintained.is_empty() {
        return Ok((base, None));
    }
    // Each component's situations: (out, share of the time, switches into it per hour).
    let own: Vec<[(Out, f64, f64); 2]> = maintained
        .iter()
        .map(|&(_, m, n)| {
            let (out, k) = if m.staggered {
                (Out::One, n as f64)
            } else {
                (Out::All, 1.0)
            };
            [
                (Out::None, 1.0 - k * m.share(), 0.0),
                (out, k * m.share(), k / m.every),
            ]
        })
        .collect();
    let count = 1usize
        .checked_shl(maintained.len() as u32)
        .unwrap_or(usize::MAX);
    if count > MAX_SITUATIONS {
        return Err(vec![Diagnostic::error(
            maintained[MAX_SITUATIONS.trailing_zeros() as usize].1.pos,
            format!("{} components have maintenance: their {count} joint situations are more than the {MAX_SITUATIONS} solved", maintained.len()),
        )
        .with_hint("give maintenance to the components whose schedules matter most")]);
    }
    // Every situation's solution, by the bits of the components in maintenance.
    let mut solved: Vec<Solution> = Vec::with_capacity(count);
    solved.push(base);
    for bits in 1..count {
        let mut m = model.clone();
        for (j, &(c, _, _)) in maintained.iter().enumerate() {
            if bits >> j & 1 == 1 {
                let dead = m.components.len();
                m.components.push(dead_copy(&m.components[c]));
                m = with_out(&m, c, own[j][1].0, dead);
            }
        }
        let structure = crate::compile::compile(&m, &options.limits)?;
        solved.push(crate::solve::solve(&m, &structure, &options.solver)?);
    }
    let share = |bits: usize| -> f64 {
        (0..maintained.len())
            .map(|j| own[j][bits >> j & 1].1)
            .product()
    };
    let mut out = solved[0].clone();
    // The system and every named block: shares of A and U, and the frequency with the
    // failures that maintenance starts cause.
    let mix = |get: &dyn Fn(&Solution) -> Measures| -> Measures {
        let (mut p, mut q, mut f) = (0.0, 0.0, Some(0.0));
        for (bits, s) in solved.iter().enumerate() {
            let w = share(bits);
            let x = get(s);
            p += w * x.avail.p;
            q += w * x.avail.q;
            f = f.zip(x.frequency).map(|(a, b)| a + w * b);
            for (j, o) in own.iter().enumerate() {
                if bits >> j & 1 == 0 {
                    let to = get(&solved[bits | 1 << j]);
                    // The shares of the other components' situations (this one's is "none").
                    let others: f64 = (0..own.len())
                        .filter(|&i| i != j)
                        .map(|i| own[i][bits >> i & 1].1)
                        .product();
                    f = f.map(|a| a + others * o[1].2 * (to.avail.q - x.avail.q).max(0.0));
                }
            }
        }
        Measures {
            avail: Probability { p, q },
            frequency: f,
        }
    };
    out.system = mix(&|s| s.system);
    for b in 0..out.blocks.len() {
        out.blocks[b].measures = mix(&|s| s.blocks[b].measures);
    }
    let weighed = |get: &dyn Fn(&Solution) -> f64| -> f64 {
        solved
            .iter()
            .enumerate()
            .map(|(bits, s)| {
                let x = get(s);
                if x.is_nan() { 0.0 } else { share(bits) * x }
            })
            .sum()
    };
    for i in 0..out.components.len() {
        let c = &mut out.components[i];
        c.birnbaum = weighed(&|s| s.components[i].birnbaum);
        c.unavailability_saved = weighed(&|s| s.components[i].unavailability_saved);
        c.unavailability_added = weighed(&|s| s.components[i].unavailability_added);
        c.system_failures_caused = c
            .system_failures_caused
            .map(|_| weighed(&|s| s.components[i].system_failures_caused.unwrap_or(0.0)));
        if let Some(m) = model.components[i].maintenance {
            // A copy is up when neither failed nor in maintenance.
            let (a, u, share) = (c.measures.avail.p, c.measures.avail.q, m.share());
            c.measures = Measures {
                avail: Probability {
                    p: a * (1.0 - share),
                    q: u + a * share,
                },
                frequency: c
                    .rates
                    .map(|r| a * (r.failure * (1.0 - share) + 1.0 / m.every)),
            };
        }
    }
    for b in 0..out.blocks.len() {
        let blk = &mut out.blocks[b];
        blk.birnbaum = weighed(&|s| s.blocks[b].birnbaum);
        blk.unavailability_saved = weighed(&|s| s.blocks[b].unavailability_saved);
        blk.unavailability_added = weighed(&|s| s.blocks[b].unavailability_added);
    }
    let planned = Planned {
        included: !excluded,
        unavailability: (out.system.avail.q - solved[0].system.avail.q).max(0.0),
        situations: count,
    };
    if excluded {
        return Ok((solved.swap_remove(0), Some(planned)));
    }
    Ok((out, Some(planned)))
}
