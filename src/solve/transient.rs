//! Time-dependent measures of the system, everything starting up at t = 0.
//!
//! - Point availability A(t): blocks are independent, so the diagram is evaluated with each
//!   part's A(t) (closed form for two-state parts, uniformisation for Markov blocks). Exact.
//! - Reliability R(t), the probability of no system failure up to t: a series is the product
//!   of its parts' R(t); a Markov block is its chain with down states absorbing; a redundant
//!   block of a few two-state parts is solved as their joint chain. Where none of these
//!   applies (a redundant block of many parts or of Markov blocks) R(t) is not computed and
//!   the result says why, rather than approximating it.
//! - MTTF, the mean time to the first system failure: from a single chain by a renewal
//!   argument (see [`ctmc::transient::mttf`]), or 1 / sum(lambda) for a series of two-state
//!   parts.

use super::ctmc::{self, Ctmc, SolverOptions, transient as chain_transient};
use super::rbd::Avail;
use super::{Solution, evaluate};
use crate::compile::{NodeId, NodeKind, Structure};
use crate::validate::Valid;

/// Most two-state parts in a redundant block whose joint chain is built for R(t).
pub const JOINT_CHAIN_PARTS: usize = 8;

#[derive(Debug, Clone)]
pub struct TimePoint {
    pub hours: f64,
    pub availability: f64,
    pub unavailability: f64,
    /// R(t) and 1 - R(t).
    pub reliability: Option<(f64, f64)>,
}

#[derive(Debug, Clone)]
pub struct ChainTransient {
    pub node: NodeId,
    /// (A(t), U(t)) at each time, or why not.
    pub availability: Result<Vec<(f64, f64)>, String>,
    pub reliability: Result<Vec<(f64, f64)>, String>,
    pub mttf: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Transient {
    pub points: Vec<TimePoint>,
    pub mttf: Option<f64>,
    /// Why a measure is missing, for people.
    pub notes: Vec<String>,
    pub chains: Vec<ChainTransient>,
}

/// Two-state part failing at lambda, repaired at mu, up at 0: (A(t), U(t)) and (R, 1 - R).
fn two_state_at(lambda: f64, mu: f64, t: f64) -> (Avail, Avail) {
    let s = lambda + mu;
    let decay = (-s * t).exp();
    let a = Avail {
        a: (mu + lambda * decay) / s,
        u: lambda / s * -(-s * t).exp_m1(),
    };
    let r = Avail {
        a: (-lambda * t).exp(),
        u: -(-lambda * t).exp_m1(),
    };
    (a, r)
}

/// (lambda, mu) of a two-state leaf, None for static components and Markov blocks.
fn leaf_rates(model: &Valid, kind: &NodeKind) -> Option<(f64, f64)> {
    match kind {
        NodeKind::Component(i) => model.components[*i].rates.map(|r| (r.failure, r.repair)),
        NodeKind::Unit { component, factor } => model.components[*component]
            .rates
            .map(|r| (factor * r.failure, r.repair)),
        _ => None,
    }
}

/// Computes A(t), R(t) at `times` and the MTTF.
pub fn transient(
    model: &Valid,
    structure: &Structure,
    solution: &Solution,
    times: &[f64],
    opts: &SolverOptions,
) -> Transient {
    let mut notes = Vec::new();
    let chains: Vec<ChainTransient> = structure
        .chains
        .iter()
        .map(|block| {
            let (chain, _) = block.spec.build();
            ChainTransient {
                node: block.node,
                availability: chain_transient::availability(&chain, times)
                    .map_err(|e| e.to_string()),
                reliability: chain_transient::reliability(&chain, times).map_err(|e| e.to_string()),
                mttf: chain_transient::mttf(&chain, opts).ok(),
            }
        })
        .collect();
    let chain_of = |id: NodeId| match &structure.nodes[id].kind {
        NodeKind::Markov(i) => Some(&chains[*i]),
        _ => None,
    };

    // R(t) is only attempted when every part on the way can give it (checked once, cheaply).
    let reliability_possible = reliability_feasible(model, structure, &chain_of, structure.root);
    let mut points = Vec::with_capacity(times.len());
    for (ti, &t) in times.iter().enumerate() {
        // A(t) of every node, children first.
        let n = structure.nodes.len();
        let mut avail: Vec<Option<Avail>> = vec![None; n];
        for (id, node) in structure.nodes.iter().enumerate() {
            avail[id] = match &node.kind {
                NodeKind::Component(_) | NodeKind::Unit { .. } => {
                    match leaf_rates(model, &node.kind) {
                        Some((l, m)) => Some(two_state_at(l, m, t).0),
                        // A static component: its availability holds at every time.
                        None => Some(solution.nodes[id].avail),
                    }
                }
                NodeKind::Markov(_) => {
                    let c = chain_of(id).expect("Markov nodes have chains");
                    c.availability.as_ref().ok().map(|v| Avail {
                        a: v[ti].0,
                        u: v[ti].1,
                    })
                }
                kind => {
                    if kind.children().iter().all(|&c| avail[c].is_some()) {
                        evaluate(kind, |c| avail[c].expect("checked above")).map(|(v, _)| v)
                    } else {
                        None
                    }
                }
            };
        }
        let root = structure.root;
        match avail[root] {
            Some(a) => points.push(TimePoint {
                hours: t,
                availability: a.a,
                unavailability: a.u,
                reliability: if reliability_possible {
                    reliability_of(model, structure, &chain_of, root, t, ti).map(|r| (r.a, r.u))
                } else {
                    None
                },
            }),
            None => {
                notes.push(
                    "A(t) is not available: a Markov block's transient is out of reach".to_string(),
                );
                break;
            }
        }
    }
    if !times.is_empty() && points.iter().any(|p| p.reliability.is_none()) {
        notes.push(format!(
            "R(t) needs a redundant block of at most {JOINT_CHAIN_PARTS} two-state parts (or a series of such blocks, components and Markov blocks); this system has a larger redundant structure or static availabilities"
        ));
    }
    let mttf = system_mttf(model, structure, &chains, opts);
    if mttf.is_none() {
        notes.push("MTTF is computed for a single Markov block, a small redundant block or a series of components".to_string());
    }
    Transient {
        points,
        mttf,
        notes,
        chains,
    }
}

/// MTTF of the system: from its chain when it is one, 1 / sum(lambda) for a series of
/// two-state parts, else the integral of R(t) = product of the series parts' R(t).
fn system_mttf(
    model: &Valid,
    structure: &Structure,
    chains: &[ChainTransient],
    opts: &SolverOptions,
) -> Option<f64> {
    let root = structure.root;
    match &structure.nodes[root].kind {
        NodeKind::Markov(i) => return chains[*i].mttf,
        kind @ (NodeKind::Component(_) | NodeKind::Unit { .. }) => {
            return leaf_rates(model, kind).map(|(l, _)| 1.0 / l);
        }
        NodeKind::Series(_) => {}
        _ => {
            let chain = joint_chain(model, structure, root)?;
            return chain_transient::mttf(&chain, opts).ok();
        }
    }
    // The series' parts, through nested series.
    let mut units = Vec::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        match &structure.nodes[id].kind {
            NodeKind::Series(c) => stack.extend(c),
            _ => units.push(id),
        }
    }
    let mut exponential = 0.0;
    let mut chains_of_units: Vec<Ctmc> = Vec::new();
    for id in units {
        let kind = &structure.nodes[id].kind;
        if let Some((l, _)) = leaf_rates(model, kind) {
            exponential += l;
        } else if let NodeKind::Markov(i) = kind {
            chains_of_units.push(structure.chains[*i].spec.build().0);
        } else {
            chains_of_units.push(joint_chain(model, structure, id)?);
        }
    }
    if chains_of_units.is_empty() {
        return Some(1.0 / exponential);
    }
    integrate_reliability(exponential, &chains_of_units)
}

/// Integral over [0, inf) of exp(-rate t) x the product of the chains' R(t).
///
/// Composite Simpson on doubling intervals [T, 2T] (32 steps each), stepping every chain's
/// distribution with precomputed e^{Qh} for the interval's step h (one more squaring per
/// interval), until R is negligible. Chains with down states absorbing; dense, so each chain
/// must be small.
fn integrate_reliability(rate: f64, chains: &[Ctmc]) -> Option<f64> {
    const STEPS: usize = 32;
    if chains
        .iter()
        .any(|c| c.states() > chain_transient::DENSE_TRANSIENT_LIMIT || !c.up[0])
    {
        return None;
    }
    let absorbing: Vec<Ctmc> = chains.iter().map(chain_transient::absorbing_down).collect();
    // Time scale: the fastest rate sets the first step.
    let q = absorbing
        .iter()
        .flat_map(|c| c.exit_rates())
        .fold(rate, f64::max)
        .max(1e-300);
    let mut h = 0.05 / q;
    let mut steppers: Vec<Vec<f64>> = absorbing
        .iter()
        .map(|c| chain_transient::exponential(c, h))
        .collect();
    let mut dists: Vec<Vec<f64>> = absorbing
        .iter()
        .map(|c| {
            let mut v = vec![0.0; c.states()];
            v[0] = 1.0;
            v
        })
        .collect();
    let r_now = |dists: &[Vec<f64>], t: f64| -> f64 {
        let mut r = (-rate * t).exp();
        for (c, d) in absorbing.iter().zip(dists) {
            r *= d
                .iter()
                .zip(&c.up)
                .filter(|(_, u)| **u)
                .map(|(p, _)| p)
                .sum::<f64>();
        }
        r
    };
    let mut t = 0.0;
    let mut total = 0.0;
    for _interval in 0..200 {
        // Simpson over STEPS steps of size h from t.
        let mut values = Vec::with_capacity(STEPS + 1);
        values.push(r_now(&dists, t));
        for _ in 0..STEPS {
            for ((c, d), e) in absorbing.iter().zip(dists.iter_mut()).zip(&steppers) {
                *d = chain_transient::step(d, e, c.states());
            }
            t += h;
            values.push(r_now(&dists, t));
        }
        let simpson: f64 = h / 3.0
            * (values[0]
                + values[STEPS]
                + (1..STEPS)
                    .map(|k| if k % 2 == 1 { 4.0 } else { 2.0 } * values[k])
                    .sum::<f64>());
        total += simpson;
        if values[STEPS] * t < 1e-13 * total {
            return Some(total);
        }
        // Next interval: steps twice as long.
        h *= 2.0;
        steppers = steppers
            .iter()
            .zip(&absorbing)
            .map(|(e, c)| chain_transient::square(e, c.states()))
            .collect();
    }
    None
}

/// Whether [`reliability_of`] can give R(t) for the block `id`, without computing anything.
fn reliability_feasible<'c>(
    model: &Valid,
    structure: &Structure,
    chain_of: &dyn Fn(NodeId) -> Option<&'c ChainTransient>,
    id: NodeId,
) -> bool {
    let kind = &structure.nodes[id].kind;
    match kind {
        NodeKind::Component(_) | NodeKind::Unit { .. } => leaf_rates(model, kind).is_some(),
        NodeKind::Markov(_) => chain_of(id).is_some_and(|c| c.reliability.is_ok()),
        NodeKind::Series(c) => c
            .iter()
            .all(|&x| reliability_feasible(model, structure, chain_of, x)),
        _ => collect_parts(model, structure, id, &mut Vec::new()).is_some(),
    }
}

/// R(t) of the block `id`, from the top down: a series multiplies its parts' R(t); a
/// two-state part is exp(-lambda t); a Markov block is its chain's reliability; any other
/// block is the joint chain of its two-state parts, if it has few enough. Only the blocks
/// on the way are visited, so a large model does not build a chain per group.
fn reliability_of<'c>(
    model: &Valid,
    structure: &Structure,
    chain_of: &dyn Fn(NodeId) -> Option<&'c ChainTransient>,
    id: NodeId,
    t: f64,
    ti: usize,
) -> Option<Avail> {
    let kind = &structure.nodes[id].kind;
    match kind {
        NodeKind::Component(_) | NodeKind::Unit { .. } => {
            leaf_rates(model, kind).map(|(l, m)| two_state_at(l, m, t).1)
        }
        NodeKind::Markov(_) => chain_of(id)?.reliability.as_ref().ok().map(|v| Avail {
            a: v[ti].0,
            u: v[ti].1,
        }),
        NodeKind::Series(c) => {
            let parts: Option<Vec<Avail>> = c
                .iter()
                .map(|&x| reliability_of(model, structure, chain_of, x, t, ti))
                .collect();
            Some(super::rbd::series(&parts?).0)
        }
        _ => {
            let chain = joint_chain(model, structure, id)?;
            let v = chain_transient::reliability(&chain, &[t]).ok()?;
            Some(Avail {
                a: v[0].0,
                u: v[0].1,
            })
        }
    }
}

/// The joint chain of the two-state parts under `id` (expanded: copies and shared named
/// blocks become separate parts), if there are at most JOINT_CHAIN_PARTS of them. Bit i of a
/// state is set when part i is down.
pub fn joint_chain(model: &Valid, structure: &Structure, id: NodeId) -> Option<Ctmc> {
    let mut parts: Vec<(f64, f64)> = Vec::new();
    collect_parts(model, structure, id, &mut parts)?;
    let m = parts.len();
    let n = 1usize << m;
    let mut t = Vec::with_capacity(n * m);
    for s in 0..n {
        for (i, &(l, mu)) in parts.iter().enumerate() {
            if s >> i & 1 == 0 {
                t.push((s, s | 1 << i, l));
            } else {
                t.push((s, s & !(1 << i), mu));
            }
        }
    }
    let up = (0..n)
        .map(|s| structure_up(structure, id, s, &mut 0))
        .collect();
    Some(ctmc::Ctmc::new(n, t, up))
}

fn collect_parts(
    model: &Valid,
    structure: &Structure,
    id: NodeId,
    parts: &mut Vec<(f64, f64)>,
) -> Option<()> {
    let kind = &structure.nodes[id].kind;
    if let Some(r) = leaf_rates(model, kind) {
        parts.push(r);
        return (parts.len() <= JOINT_CHAIN_PARTS).then_some(());
    }
    match kind {
        NodeKind::Series(c)
        | NodeKind::KofN { children: c, .. }
        | NodeKind::Network { children: c, .. } => {
            for &x in c {
                collect_parts(model, structure, x, parts)?;
            }
            Some(())
        }
        NodeKind::Copies { n, child, .. } => {
            if *n as usize > JOINT_CHAIN_PARTS {
                return None;
            }
            for _ in 0..*n {
                collect_parts(model, structure, *child, parts)?;
            }
            Some(())
        }
        _ => None,
    }
}

/// Whether the block `id` is up when the parts whose bits are set in `state` are down,
/// consuming parts in the order `collect_parts` listed them.
fn structure_up(structure: &Structure, id: NodeId, state: usize, at: &mut usize) -> bool {
    match &structure.nodes[id].kind {
        NodeKind::Component(_) | NodeKind::Unit { .. } => {
            *at += 1;
            state >> (*at - 1) & 1 == 0
        }
        NodeKind::Series(c) => c
            .iter()
            .map(|&x| structure_up(structure, x, state, at))
            .fold(true, |a, b| a & b),
        NodeKind::KofN { k, children } => {
            children
                .iter()
                .map(|&x| structure_up(structure, x, state, at))
                .filter(|&u| u)
                .count()
                >= *k
        }
        NodeKind::Copies { k, n, child } => {
            (0..*n)
                .map(|_| structure_up(structure, *child, state, at))
                .filter(|&u| u)
                .count() as u64
                >= *k
        }
        NodeKind::Network { graph, children } => {
            let up = children.iter().enumerate().fold(0u32, |m, (i, &x)| {
                if structure_up(structure, x, state, at) {
                    m | 1 << i
                } else {
                    m
                }
            });
            graph.connected(up)
        }
        NodeKind::Markov(_) => unreachable!("joint chains are built of two-state parts"),
    }
}
