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

use super::ctmc::{SolverOptions, transient as chain_transient};
use super::{Solution, evaluate_value};
use crate::compile::bdd;
use crate::compile::ctmc::Ctmc;
use crate::compile::{NodeId, NodeKind, Structure};
use crate::model::Model;
use crate::probability::Probability;

/// Most two-state parts in a redundant block whose joint chain is built for R(t).
pub const JOINT_CHAIN_PARTS: usize = 8;

/// Deepest nesting walked to collect those parts.
const MAX_JOINT_DEPTH: usize = 64;

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

/// Whether two values are the same bits (or both absent).
fn same_bits(a: Option<Probability>, b: Option<Probability>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.p.to_bits() == b.p.to_bits() && a.q.to_bits() == b.q.to_bits(),
        (None, None) => true,
        _ => false,
    }
}

/// Two-state part failing at lambda, repaired at mu, up at 0: (A(t), U(t)) and (R, 1 - R).
fn two_state_at(lambda: f64, mu: f64, t: f64) -> (Probability, Probability) {
    let s = lambda + mu;
    let decay = (-s * t).exp();
    let a = Probability {
        p: (mu + lambda * decay) / s,
        q: lambda / s * -(-s * t).exp_m1(),
    };
    let r = Probability {
        p: (-lambda * t).exp(),
        q: -(-lambda * t).exp_m1(),
    };
    (a, r)
}

/// How far the closed form of a shared-repair block may be from its chain, relative to the
/// smaller of A(t) and U(t), at most.
const CLOSED_FORM_TOLERANCE: f64 = 1e-12;

/// A(t), U(t) of a shared-repair block (n copies, up while k work, c crews, all up at 0)
/// without its chain, when the crews do not matter: with a crew for every failed copy the
/// copies are independent and the number down at t is Binomial(n, u(t)), u(t) a copy's
/// U(t). With c < n the chain moves as that one until more than c copies are down at once;
/// the chance of that by t is at most the expected number of crossings from c to c + 1,
/// t (n - c) lambda max_s P(X_s = c), and while c >= n u(t) the binomial P(X = c) grows with
/// u, so the maximum is at t. The closed form is used when that bound is below
/// [`CLOSED_FORM_TOLERANCE`] of the smaller of A(t) and U(t) at every time (a million
/// copies with 20,000 crews: the bound is below 1e-300), and None sends the block to its
/// chain. O(n - k) per time point, where the stepping was O(q t (n - k)).
pub fn shared_repair_closed_form(
    spec: &crate::compile::chains::ChainSpec,
    times: &[f64],
) -> Option<Vec<(f64, f64)>> {
    let crate::compile::chains::ChainSpec::Crews {
        n,
        k,
        crews,
        lambda,
        mu,
    } = *spec
    else {
        return None;
    };
    times
        .iter()
        .map(|&t| {
            let (copy, _) = two_state_at(lambda, mu, t);
            let (block, _) = super::rbd::copies(k, n, copy);
            if crews < n {
                let u = copy.q;
                if (crews as f64) < n as f64 * u {
                    return None;
                }
                if u == 0.0 {
                    return Some((block.p, block.q));
                }
                let ln_pmf = super::rbd::ln_choose(n, crews)
                    + crews as f64 * u.ln()
                    + (n - crews) as f64 * copy.p.ln();
                let bound = t * (n - crews) as f64 * lambda * ln_pmf.exp();
                // A NaN bound refuses too.
                let within = bound <= CLOSED_FORM_TOLERANCE * block.p.min(block.q);
                if !within {
                    return None;
                }
            }
            Some((block.p, block.q))
        })
        .collect()
}

/// (lambda, mu) of a two-state leaf, None for static components and every other node.
fn leaf_rates(model: &Model, kind: &NodeKind) -> Option<(f64, f64)> {
    match kind {
        NodeKind::Component(i) => model.components[*i].rates.map(|r| (r.failure, r.repair)),
        NodeKind::Unit { rates, factor, .. } => Some((factor * rates.failure, rates.repair)),
        NodeKind::Series(_)
        | NodeKind::KofN { .. }
        | NodeKind::Copies { .. }
        | NodeKind::Markov(_)
        | NodeKind::Network { .. } => None,
    }
}

/// Computes A(t), R(t) at `times` and the MTTF, with every Markov block's own curves.
pub fn transient(
    model: &Model,
    structure: &Structure,
    solution: &Solution,
    times: &[f64],
    opts: &SolverOptions,
) -> Transient {
    transient_with(model, structure, solution, times, opts, true)
}

/// Why a Markov block's own R(t) was not computed when only the system's curves are wanted.
pub const NOT_ON_THE_SYSTEM_PATH: &str =
    "R(t) of this block is not needed for the system's and was not computed";

/// As [`transient`]; with `every_block` false (the report's curves), a Markov block's R(t)
/// and MTTF are computed only where the system's need them (a block in series with the rest
/// of the system), which on 10,000 standby blocks under a k-of-n is most of the work.
pub fn transient_with(
    model: &Model,
    structure: &Structure,
    solution: &Solution,
    times: &[f64],
    opts: &SolverOptions,
    every_block: bool,
) -> Transient {
    let mut notes = Vec::new();
    let mut on_path = vec![every_block; structure.chains.len()];
    // The system's series parts: the blocks whose own R(t) the system's needs.
    let system_parts = series_parts(structure, structure.root);
    for &id in &system_parts {
        if let NodeKind::Markov(i) = structure.nodes[id].kind {
            on_path[i] = true;
        }
    }
    let chains: Vec<ChainTransient> = structure
        .chains
        .iter()
        .zip(&solution.chains)
        .zip(on_path)
        .map(|((block, steady), needed)| {
            let chain = &block.chain;
            let budget = work_budget(chain, opts, every_block);
            ChainTransient {
                node: block.node,
                availability: match shared_repair_closed_form(&block.spec, times) {
                    Some(curve) => Ok(curve),
                    None => chain_transient::availability(chain, times, Some(&steady.pi), budget)
                        .map_err(|e| e.to_string()),
                },
                reliability: if needed {
                    chain_transient::reliability(chain, times, budget).map_err(|e| e.to_string())
                } else {
                    Err(NOT_ON_THE_SYSTEM_PATH.to_string())
                },
                mttf: if needed {
                    chain_transient::mttf(chain, opts).ok()
                } else {
                    None
                },
            }
        })
        .collect();
    let chain_of = |id: NodeId| {
        if let NodeKind::Markov(i) = structure.nodes[id].kind {
            Some(&chains[i])
        } else {
            None
        }
    };

    // Shared instances used twice make the parts dependent: A(t) then comes from the
    // decision diagram over the independent atoms' A(t), and R(t) and the MTTF from the
    // joint chain of the whole system (each shared instance one set of parts), or not at all.
    let entangled = solution.shared.as_ref();
    // Repair teams: the team's chain over time, split by the node of the diagram each of
    // its states leads to (one team only).
    let team_curves = entangled
        .filter(|e| e.teams.is_some())
        .map(|e| team_transient(e, times, opts, every_block));
    let joint_reliability = match (&team_curves, entangled) {
        (Some(Ok(t)), _) => t.reliability.clone(),
        (Some(Err(_)), _) => None,
        (None, Some(_)) => joint_chain(model, structure, structure.root).and_then(|chain| {
            let budget = work_budget(&chain, opts, every_block);
            chain_transient::reliability(&chain, times, budget).ok()
        }),
        (None, None) => None,
    };
    if let Some(Err(why)) = &team_curves {
        notes.push(why.clone());
    }
    // R(t) is only attempted when every part on the way can give it (checked once, cheaply).
    let reliability_possible =
        entangled.is_none() && reliability_feasible(model, structure, &chain_of, structure.root);
    let mut points = Vec::with_capacity(times.len());
    // A(t) of every node, children first, at the latest time point. Once parts have settled
    // their A(t) stops changing bit for bit, and a block whose children all kept their values
    // keeps its own: evaluating it again would give the same bits.
    let n = structure.nodes.len();
    let mut avail: Vec<Option<Probability>> = vec![None; n];
    let mut changed = vec![true; n];
    for (ti, &t) in times.iter().enumerate() {
        for (id, node) in structure.nodes.iter().enumerate() {
            let value = match &node.kind {
                NodeKind::Component(_) | NodeKind::Unit { .. } => {
                    match leaf_rates(model, &node.kind) {
                        Some((l, m)) => Some(two_state_at(l, m, t).0),
                        // A static component: its availability holds at every time.
                        None => Some(solution.nodes[id].measures.avail),
                    }
                }
                NodeKind::Markov(i) => chains[*i].availability.as_ref().ok().map(|v| Probability {
                    p: v[ti].0,
                    q: v[ti].1,
                }),
                kind @ (NodeKind::Series(_)
                | NodeKind::KofN { .. }
                | NodeKind::Copies { .. }
                | NodeKind::Network { .. }) => {
                    let children = kind.children();
                    if ti > 0 && children.iter().all(|&c| !changed[c]) {
                        avail[id]
                    } else if children.iter().all(|&c| avail[c].is_some()) {
                        evaluate_value(kind, |c| avail[c].unwrap_or(Probability::ZERO))
                    } else {
                        None
                    }
                }
            };
            changed[id] = ti == 0 || !same_bits(value, avail[id]);
            avail[id] = value;
        }
        let root = structure.root;
        if let Some(e) = entangled {
            avail[root] = match &team_curves {
                Some(Ok(t)) => system_through_diagram(e, &avail).map(|probs| {
                    let (mut p, mut q) = (0.0, 0.0);
                    for (r, curve) in &t.below {
                        p += curve[ti].0 * probs[*r as usize].p;
                        q += curve[ti].0 * probs[*r as usize].q;
                    }
                    Probability { p, q }
                }),
                Some(Err(_)) => None,
                None => system_through_diagram(e, &avail).map(|probs| probs[e.root as usize]),
            };
        }
        match avail[root] {
            Some(a) => {
                let a = a.settled();
                let r = if let Some(r) = &joint_reliability {
                    Some(
                        Probability {
                            p: r[ti].0,
                            q: r[ti].1,
                        }
                        .settled(),
                    )
                    .filter(|r| r.is_sound())
                    .map(|r| (r.p, r.q))
                } else if reliability_possible {
                    reliability_of(model, structure, &chain_of, root, t, ti)
                        .map(Probability::settled)
                        .filter(|r| r.is_sound())
                        .map(|r| (r.p, r.q))
                } else {
                    None
                };
                if !a.is_sound() {
                    notes.push(format!(
                        "A(t) not computed from {}: the transient could not be verified",
                        crate::units::duration(t)
                    ));
                    break;
                }
                points.push(TimePoint {
                    hours: t,
                    availability: a.p,
                    unavailability: a.q,
                    reliability: r,
                })
            }
            // The team's own note says why.
            None if matches!(team_curves, Some(Err(_))) => break,
            None => {
                let why: Vec<String> = chains
                    .iter()
                    .filter_map(|c| {
                        let e = c.availability.as_ref().err()?;
                        Some(format!("`{}`: {e}", structure.nodes[c.node].label))
                    })
                    .collect();
                notes.push(format!(
                    "A(t) and R(t) not computed: a Markov block's transient is out of reach ({})",
                    why.join("; ")
                ));
                break;
            }
        }
    }
    // A Markov block in series with the rest whose own R(t) failed says why.
    let chain_failures: Vec<String> = system_parts
        .iter()
        .filter_map(|&id| {
            let e = chain_of(id)?.reliability.as_ref().err()?;
            Some(format!("`{}`: {e}", structure.nodes[id].label))
        })
        .collect();
    if !times.is_empty()
        && points.iter().any(|p| p.reliability.is_none())
        && !chain_failures.is_empty()
    {
        notes.push(format!("R(t) not computed: {}", chain_failures.join("; ")));
    } else if let Some(Ok(_)) = &team_curves
        && !times.is_empty()
        && points.iter().any(|p| p.reliability.is_none())
    {
        notes.push("R(t) and the MTTF with a repair team are computed when the system is up or down by its team's places alone; here parts outside the team matter too".to_string());
    } else if entangled.is_some()
        && !times.is_empty()
        && points.iter().any(|p| p.reliability.is_none())
    {
        notes.push(format!(
            "R(t) of a system with shared instances comes from the joint chain of all its parts, which needs at most {JOINT_CHAIN_PARTS} two-state parts; this system has more"
        ));
    } else if !times.is_empty() && points.iter().any(|p| p.reliability.is_none()) {
        notes.push(format!(
            "R(t) needs a redundant block of at most {JOINT_CHAIN_PARTS} two-state parts (or a series of such blocks, components and Markov blocks); this system has a larger redundant structure or static availabilities"
        ));
    }
    let mttf = if let Some(t) = &team_curves {
        t.as_ref().ok().and_then(|t| t.mttf)
    } else if entangled.is_some() {
        joint_chain(model, structure, structure.root)
            .and_then(|chain| chain_transient::mttf(&chain, opts).ok())
    } else {
        system_mttf(model, structure, &chains, opts)
    };
    if mttf.is_none() && team_curves.is_some() {
        // Said with R(t), or by the team's own note.
    } else if mttf.is_none() && entangled.is_some() {
        notes.push(format!("MTTF of a system with shared instances comes from the joint chain of all its parts (at most {JOINT_CHAIN_PARTS} two-state parts)"));
    } else if mttf.is_none() {
        notes.push("MTTF is computed for a single Markov block, a small redundant block or a series of components".to_string());
    }
    Transient {
        points,
        mttf,
        notes,
        chains,
    }
}

/// The work budget of one chain's transient: `--max-transient-work` when given, else the
/// full [`chain_transient::MAX_TRANSIENT_WORK`] for figures asked for (`--at`, every block)
/// and a few times the chain's steady state for the report's curves, an overview that must
/// not cost much more than the solve ([`chain_transient::curve_budget`]).
fn work_budget(chain: &Ctmc, opts: &SolverOptions, every_block: bool) -> f64 {
    match opts.max_transient_work {
        Some(b) => b,
        None if every_block => chain_transient::MAX_TRANSIENT_WORK,
        None => chain_transient::curve_budget(chain),
    }
}

/// A repair team's chain over time: for each diagram node below the sites that its states
/// lead to, the probability of being in those states at each time; and when every state
/// leads to a constant (the system is the team's places alone), R(t) and the MTTF.
struct TeamCurves {
    below: Vec<(bdd::Ref, Vec<(f64, f64)>)>,
    reliability: Option<Vec<(f64, f64)>>,
    mttf: Option<f64>,
}

/// Most distinct diagram nodes below a team's places that A(t) follows (one transient each).
const MAX_TEAM_CURVES: usize = 16;

fn team_transient(
    e: &super::shared::Entangled,
    times: &[f64],
    opts: &SolverOptions,
    every_block: bool,
) -> Result<TeamCurves, String> {
    let Some(t) = &e.teams else {
        return Err("no repair team".to_string());
    };
    let [team] = t.chains.as_slice() else {
        return Err(
            "A(t), R(t) and the MTTF are computed for one repair team; this model has several"
                .to_string(),
        );
    };
    let sites = t.sites.len();
    let below: Vec<bdd::Ref> = (0..team.chain.states())
        .map(|s| e.walk(e.root, team.mask(s), sites))
        .collect();
    let mut nodes: Vec<bdd::Ref> = below.clone();
    nodes.sort_unstable();
    nodes.dedup();
    if nodes.len() > MAX_TEAM_CURVES {
        return Err(format!(
            "A(t) of a repair team whose states lead to more than {MAX_TEAM_CURVES} different parts of the system is not computed"
        ));
    }
    let budget = work_budget(&team.chain, opts, every_block);
    // One transient per node reached gives P(in its states) and P(not) as direct sums; with
    // two nodes (the system up or down by the team alone) one run gives both.
    let mut curves = Vec::with_capacity(nodes.len());
    let mut chain = team.chain.clone();
    for &r in nodes
        .iter()
        .take(if nodes.len() == 2 { 1 } else { nodes.len() })
    {
        chain.up = below.iter().map(|&b| b == r).collect();
        let curve =
            chain_transient::availability(&chain, times, Some(&team.pi), budget).map_err(|e| {
                format!("A(t) not computed: the repair team's transient is out of reach ({e})")
            })?;
        curves.push((r, curve));
    }
    if let ([_, other], [(_, first)]) = (nodes.as_slice(), curves.as_slice()) {
        let swapped = first.iter().map(|&(p, q)| (q, p)).collect();
        curves.push((*other, swapped));
    }
    // The system up or down in each state, whatever the independent parts do.
    let constant = nodes.iter().all(|&r| r == bdd::TRUE || r == bdd::FALSE);
    let (reliability, mttf) = if constant {
        let mut chain = team.chain.clone();
        chain.up = below.iter().map(|&b| b == bdd::TRUE).collect();
        (
            chain_transient::reliability(&chain, times, budget).ok(),
            chain_transient::mttf(&chain, opts).ok(),
        )
    } else {
        (None, None)
    };
    Ok(TeamCurves {
        below: curves,
        reliability,
        mttf,
    })
}

/// Every diagram node's probabilities with each atom at its own A(t) (None when one of them
/// has none).
fn system_through_diagram(
    e: &super::shared::Entangled,
    avail: &[Option<Probability>],
) -> Option<Vec<Probability>> {
    let vars = e
        .vars
        .iter()
        .map(|v| match *v {
            super::shared::Var::Atom(id) => avail[id],
            super::shared::Var::Perfect(_) => Some(Probability::ZERO),
            super::shared::Var::Working(_) => Some(Probability::ONE),
            // Never read: the diagram is entered below the sites.
            super::shared::Var::Site(_) => Some(Probability::ONE),
        })
        .collect::<Option<Vec<_>>>()?;
    Some(e.bdd.probabilities(&vars))
}

/// MTTF of the system: from its chain when it is one, 1 / sum(lambda) for a series of
/// two-state parts, else the integral of R(t) = product of the series parts' R(t).
fn system_mttf(
    model: &Model,
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
        NodeKind::KofN { .. } | NodeKind::Copies { .. } | NodeKind::Network { .. } => {
            let chain = joint_chain(model, structure, root)?;
            return chain_transient::mttf(&chain, opts).ok();
        }
    }
    // The series' parts, through nested series.
    let mut units = Vec::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        if let NodeKind::Series(c) = &structure.nodes[id].kind {
            stack.extend(c);
        } else {
            units.push(id);
        }
    }
    let mut exponential = 0.0;
    let mut chains_of_units: Vec<Ctmc> = Vec::new();
    for id in units {
        let kind = &structure.nodes[id].kind;
        if let Some((l, _)) = leaf_rates(model, kind) {
            exponential += l;
        } else if let NodeKind::Markov(i) = kind {
            chains_of_units.push(structure.chains[*i].chain.clone());
        } else {
            chains_of_units.push(joint_chain(model, structure, id)?);
        }
    }
    if chains_of_units.is_empty() {
        return Some(1.0 / exponential);
    }
    integrate_reliability(
        exponential,
        &chains_of_units,
        opts.max_transient_work
            .unwrap_or(chain_transient::MAX_TRANSIENT_WORK),
    )
}

/// Integral over [0, inf) of exp(-rate t) x the product of the chains' R(t).
///
/// Composite Simpson on doubling intervals [T, 2T] (32 steps each), stepping every chain's
/// distribution with precomputed e^{Qh} for the interval's step h (one more squaring per
/// interval), until R is negligible. Chains with down states absorbing; dense, so each chain
/// must be small.
/// Most doubling intervals of the MTTF integral (the last reaches 2^200 first steps).
const MAX_INTERVALS: usize = 200;

fn integrate_reliability(rate: f64, chains: &[Ctmc], budget: f64) -> Option<f64> {
    const STEPS: usize = 32;
    if chains
        .iter()
        .any(|c| c.states() > chain_transient::DENSE_TRANSIENT_LIMIT || !c.up[0])
    {
        return None;
    }
    // Each of up to MAX_INTERVALS intervals squares every chain's dense e^{Qh}.
    let work: f64 = chains
        .iter()
        .map(|c| (c.states() as f64).powi(3) * (MAX_INTERVALS as f64 + 12.0))
        .sum();
    if work > budget {
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
    for _interval in 0..MAX_INTERVALS {
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

/// The parts of a series (through nested series, named blocks included), found without
/// recursion: a chain of thousands of named blocks is one deep series.
fn series_parts(structure: &Structure, id: NodeId) -> Vec<NodeId> {
    let mut parts = Vec::new();
    let mut stack = vec![id];
    while let Some(x) = stack.pop() {
        if let NodeKind::Series(c) = &structure.nodes[x].kind {
            stack.extend(c.iter().rev());
        } else {
            parts.push(x);
        }
    }
    parts
}

/// Whether [`reliability_of`] can give R(t) for the block `id`, without computing anything.
fn reliability_feasible<'c>(
    model: &Model,
    structure: &Structure,
    chain_of: &dyn Fn(NodeId) -> Option<&'c ChainTransient>,
    id: NodeId,
) -> bool {
    series_parts(structure, id).into_iter().all(|x| {
        let kind = &structure.nodes[x].kind;
        match kind {
            NodeKind::Component(_) | NodeKind::Unit { .. } => leaf_rates(model, kind).is_some(),
            NodeKind::Markov(_) => chain_of(x).is_some_and(|c| c.reliability.is_ok()),
            NodeKind::Series(_)
            | NodeKind::KofN { .. }
            | NodeKind::Copies { .. }
            | NodeKind::Network { .. } => {
                collect_parts(model, structure, x, &mut Parts::default(), 0).is_some()
            }
        }
    })
}

/// R(t) of the block `id`, from the top down: a series multiplies its parts' R(t); a
/// two-state part is exp(-lambda t); a Markov block is its chain's reliability; any other
/// block is the joint chain of its two-state parts, if it has few enough. Only the blocks
/// on the way are visited, so a large model does not build a chain per group.
fn reliability_of<'c>(
    model: &Model,
    structure: &Structure,
    chain_of: &dyn Fn(NodeId) -> Option<&'c ChainTransient>,
    id: NodeId,
    t: f64,
    ti: usize,
) -> Option<Probability> {
    if let NodeKind::Series(_) = structure.nodes[id].kind {
        let parts: Option<Vec<Probability>> = series_parts(structure, id)
            .into_iter()
            .map(|x| reliability_of(model, structure, chain_of, x, t, ti))
            .collect();
        return Some(super::rbd::series_value(&parts?));
    }
    let kind = &structure.nodes[id].kind;
    match kind {
        NodeKind::Component(_) | NodeKind::Unit { .. } => {
            leaf_rates(model, kind).map(|(l, m)| two_state_at(l, m, t).1)
        }
        NodeKind::Markov(_) => chain_of(id)?
            .reliability
            .as_ref()
            .ok()
            .map(|v| Probability {
                p: v[ti].0,
                q: v[ti].1,
            }),
        NodeKind::Series(_)
        | NodeKind::KofN { .. }
        | NodeKind::Copies { .. }
        | NodeKind::Network { .. } => {
            let chain = joint_chain(model, structure, id)?;
            // A joint chain of at most 2^8 states: well inside the default budget.
            let v = chain_transient::reliability(&chain, &[t], chain_transient::MAX_TRANSIENT_WORK)
                .ok()?;
            Some(Probability {
                p: v[0].0,
                q: v[0].1,
            })
        }
    }
}

/// The up/down structure of a block over its two-state parts, numbered in the order they
/// were collected (copies and named blocks used twice become separate parts).
#[derive(Clone)]
enum Expr<'s> {
    Part(usize),
    Series(Vec<Expr<'s>>),
    KofN(usize, Vec<Expr<'s>>),
    Network(&'s crate::model::Graph, Vec<Expr<'s>>),
}

impl Expr<'_> {
    /// Whether the block is up when the parts whose bits are set in `down` are down.
    fn up(&self, down: usize) -> bool {
        match self {
            Expr::Part(i) => down >> i & 1 == 0,
            Expr::Series(c) => c.iter().all(|x| x.up(down)),
            Expr::KofN(k, c) => c.iter().filter(|x| x.up(down)).count() >= *k,
            Expr::Network(graph, c) => {
                let mask = c
                    .iter()
                    .enumerate()
                    .fold(0u32, |m, (i, x)| if x.up(down) { m | 1 << i } else { m });
                graph.connected(mask)
            }
        }
    }
}

/// The joint chain of the two-state parts under `id` (expanded: copies and shared named
/// blocks become separate parts), if there are at most JOINT_CHAIN_PARTS of them. Bit i of a
/// state is set when part i is down.
pub fn joint_chain(model: &Model, structure: &Structure, id: NodeId) -> Option<Ctmc> {
    let mut parts = Parts::default();
    let expr = collect_parts(model, structure, id, &mut parts, 0)?;
    let parts = parts.rates;
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
    let up = (0..n).map(|s| expr.up(s)).collect();
    Some(Ctmc::new(n, t, up))
}

/// The two-state parts collected so far, and the expression of each shared instance met
/// (a shared instance is one set of parts wherever it is used).
#[derive(Default)]
struct Parts<'s> {
    rates: Vec<(f64, f64)>,
    shared: rustc_hash::FxHashMap<NodeId, Expr<'s>>,
}

/// The block `id` as an expression over its two-state parts, whose rates are pushed to
/// `parts`; None when it holds a Markov block, a static component or too many parts.
fn collect_parts<'s>(
    model: &Model,
    structure: &'s Structure,
    id: NodeId,
    parts: &mut Parts<'s>,
    depth: usize,
) -> Option<Expr<'s>> {
    // A few parts cannot need deep nesting; deeper is a chain of wrappers, given up on.
    if depth > MAX_JOINT_DEPTH {
        return None;
    }
    if let Some(e) = parts.shared.get(&id) {
        return Some(e.clone());
    }
    let kind = &structure.nodes[id].kind;
    let all = |c: &[NodeId], parts: &mut Parts<'s>| {
        c.iter()
            .map(|&x| collect_parts(model, structure, x, parts, depth + 1))
            .collect::<Option<Vec<_>>>()
    };
    let expr = match kind {
        NodeKind::Component(_) | NodeKind::Unit { .. } => {
            parts.rates.push(leaf_rates(model, kind)?);
            (parts.rates.len() <= JOINT_CHAIN_PARTS).then_some(Expr::Part(parts.rates.len() - 1))
        }
        NodeKind::Series(c) => Some(Expr::Series(all(c, parts)?)),
        NodeKind::KofN { k, children } => Some(Expr::KofN(*k, all(children, parts)?)),
        NodeKind::Network {
            graph, children, ..
        } => Some(Expr::Network(graph, all(children, parts)?)),
        NodeKind::Copies { k, n, child } => {
            if *n as usize > JOINT_CHAIN_PARTS {
                return None;
            }
            let copies = vec![*child; *n as usize];
            Some(Expr::KofN(*k as usize, all(&copies, parts)?))
        }
        NodeKind::Markov(_) => None,
    }?;
    if structure.nodes[id].shared {
        parts.shared.insert(id, expr.clone());
    }
    Some(expr)
}
