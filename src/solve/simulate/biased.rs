//! Rare events: regenerative simulation with failure biasing (balanced failure biasing,
//! Shahabuddin 1994, steered by the distance to failure), for systems whose every time is
//! exponential.
//!
//! A cycle starts with every part in its first state (units up, chains in state 0) and ends
//! when the system returns there. It walks the embedded jump chain: in each state the time
//! spent is its expected holding time 1/q (conditional Monte Carlo, no variance from the
//! clock). While the system is up and both kinds of move are possible, a failure is taken
//! with probability `BIAS` and a repair with 1 − `BIAS` in proportion to the repair rates;
//! among failures, those that bring the system nearer to failure (fewer further failures
//! needed: `Sim::distance`, a minimum cut for networks) share 1 − `NOT_NEARER` equally, the
//! others `NOT_NEARER`. Once the system is down the true probabilities are used. Every path
//! is weighed by its likelihood ratio (true over biased probability), so U = E[weighed down
//! time of a cycle] / E[weighed length of a cycle] stays unbiased while the rare down states
//! are reached in a large share of the cycles. A unit's failure is a move from up to down; a
//! Markov block's move is a failure when it leads to a state less likely in the block's
//! steady state.
//!
//! Cycles are drawn in batches of `BATCH`, batch k from stream k of the seeded generator,
//! and in rounds of `ROUND` batches; after each round the relative half-width of U's 95%
//! interval (delta method) is compared with the goal. The result depends on the seed and the
//! goal only, not on the threads.

use super::rng::Stream;
use super::system::{Item, Part, Sim};
use super::{Estimate, SimOptions, SimResult, laws::Draw};
use crate::diagnostics::Diagnostic;
use std::sync::Mutex;

/// Probability of a failure move where both kinds are possible and the system is up.
pub const BIAS: f64 = 0.5;
/// The share of the failure moves' probability left to failures that do not bring the
/// system nearer to failure (the rest goes to those that do).
pub const NOT_NEARER: f64 = 0.2;
/// Largest system whose distance to failure steers the biasing (it costs a pass over the
/// structure per possible failure in each new state).
const MAX_STEERED_PARTS: usize = 200;
/// Parts per event of the budget: a move of a larger system examines every part, so it
/// counts as parts / `PARTS_PER_EVENT` events.
const PARTS_PER_EVENT: f64 = 100.0;
/// Most states whose steering is remembered, per thread.
const MAX_MEMO: usize = 1_000_000;
/// Cycles per batch, and batches per round.
const BATCH: u64 = 2_000;
const ROUND: usize = 20;
/// Most moves of one cycle (a cycle that does not return is cut there and counted).
const MAX_CYCLE_MOVES: u64 = 1_000_000;

/// Sums over a batch of cycles: Z the weighed down time, T the weighed length, F the
/// weighed system failures, and their squares and products for the intervals.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    n: f64,
    z: f64,
    t: f64,
    f: f64,
    zz: f64,
    tt: f64,
    ff: f64,
    zt: f64,
    ft: f64,
    moves: u64,
    /// Cycles that reached a system failure (unweighed).
    reached: u64,
    cut: u64,
}

impl Sums {
    fn add(&mut self, o: &Sums) {
        self.n += o.n;
        self.z += o.z;
        self.t += o.t;
        self.f += o.f;
        self.zz += o.zz;
        self.tt += o.tt;
        self.ff += o.ff;
        self.zt += o.zt;
        self.ft += o.ft;
        self.moves += o.moves;
        self.reached += o.reached;
        self.cut += o.cut;
    }

    /// The ratio X/T and its 95% interval by the delta method.
    fn ratio(&self, x: f64, xx: f64, xt: f64, max: f64) -> Estimate {
        let n = self.n;
        let (mx, mt) = (x / n, self.t / n);
        let r = mx / mt;
        let cov = |a: f64, b: f64, ab: f64| (ab - a * b / n) / (n - 1.0);
        let var =
            cov(x, x, xx) - 2.0 * r * cov(x, self.t, xt) + r * r * cov(self.t, self.t, self.tt);
        let half = super::t_quantile(0.95, (n as usize).saturating_sub(1))
            * (var.max(0.0) / n).sqrt()
            / mt;
        Estimate {
            estimate: r.clamp(0.0, max) + 0.0,
            low: (r - half).clamp(0.0, max) + 0.0,
            high: (r + half).clamp(0.0, max) + 0.0,
        }
    }
}

/// One move from the current state: which part, to which state, its rate, whether a failure.
struct Move {
    part: usize,
    to: usize,
    rate: f64,
    failure: bool,
}

struct Walker<'a> {
    sim: Sim,
    root: usize,
    parts: Vec<usize>,
    pi: &'a [Vec<f64>],
    /// Parts not in their first state.
    away: usize,
    moves: Vec<Move>,
    bias: f64,
    /// Each group's children, when the distance to failure steers the biasing (small
    /// systems: it costs a pass over the structure per possible failure).
    children: Option<Vec<Vec<usize>>>,
    nearer: Vec<bool>,
    weights: Vec<f64>,
    /// `nearer` of the states met so far, by the parts away from home and their states.
    memo: rustc_hash::FxHashMap<Vec<(u32, u32)>, Vec<bool>>,
    /// Units for the weighed down time and failures of a cycle (the exact U and frequency):
    /// values near 1e-196 would underflow when squared for the interval.
    scale: (f64, f64),
}

impl Walker<'_> {
    fn collect(&mut self) {
        self.moves.clear();
        for &i in &self.parts {
            match &self.sim.items[i] {
                Item::Part(Part::Unit { up, down, .. }) => {
                    let (Draw::Rate(l), Draw::Rate(m)) = (up, down) else {
                        unreachable!("checked before the start")
                    };
                    let is_up = self.sim.up[i];
                    self.moves.push(Move {
                        part: i,
                        to: usize::from(is_up),
                        rate: if is_up { *l } else { *m },
                        failure: is_up,
                    });
                }
                Item::Part(Part::Chain {
                    chain,
                    index,
                    state,
                    ..
                }) => {
                    let pi = &self.pi[*index];
                    for (j, r) in chain.out(*state) {
                        self.moves.push(Move {
                            part: i,
                            to: j,
                            rate: r,
                            failure: pi[j] < pi[*state],
                        });
                    }
                }
                Item::Group(_) => {}
            }
        }
    }

    /// The biased probability of each move (in `weights`). While the system is up, failures
    /// take `bias` when repairs are possible too; among failures, those that bring the system
    /// nearer to failure (its distance drops: `Sim::distance`) share 1 − `NOT_NEARER` and the
    /// rest `NOT_NEARER`, each group equally; repairs share the rest by rate. Once the system
    /// is down the true probabilities are used.
    fn weigh(&mut self, system_up: bool, n_fail: usize, q: f64, q_repair: f64) {
        self.weights.clear();
        if !system_up || n_fail == 0 {
            self.weights.extend(self.moves.iter().map(|m| m.rate / q));
            return;
        }
        let fail_share = if q_repair > 0.0 { self.bias } else { 1.0 };
        // Which failures bring the system nearer to failure: computed once per state (the
        // parts away from their first state, and where), then remembered, since cycles
        // keep passing through the same few states near the all-up one.
        self.nearer.clear();
        let key: Vec<(u32, u32)> = self
            .parts
            .iter()
            .filter(|&&i| !self.home(i))
            .map(|&i| match &self.sim.items[i] {
                Item::Part(Part::Chain { state, .. }) => (i as u32, *state as u32),
                _ => (i as u32, 0),
            })
            .collect();
        if let Some(known) = self.memo.get(&key) {
            self.nearer.extend_from_slice(known);
        } else if let Some(children) = &self.children {
            let d0 = self.sim.distance(self.root, children);
            for k in 0..self.moves.len() {
                let m = &self.moves[k];
                if !m.failure {
                    self.nearer.push(false);
                    continue;
                }
                let (part, was) = (m.part, self.sim.up[m.part]);
                let up_after = match &self.sim.items[part] {
                    Item::Part(Part::Chain { chain, .. }) => chain.up[m.to],
                    _ => false,
                };
                let nearer = if up_after == was {
                    false
                } else {
                    self.sim.set(part, up_after, self.root);
                    let d = self.sim.distance(self.root, children);
                    self.sim.set(part, was, self.root);
                    d < d0
                };
                self.nearer.push(nearer);
            }
            // Full: start again (the states met often come back at once).
            if self.memo.len() >= MAX_MEMO {
                self.memo.clear();
            }
            self.memo.insert(key, self.nearer.clone());
        } else {
            self.nearer.extend(self.moves.iter().map(|m| m.failure));
        }
        let n_near = self.nearer.iter().filter(|x| **x).count();
        let n_far = n_fail - n_near;
        let (near, far) = match (n_near, n_far) {
            (0, _) => (0.0, fail_share / n_far as f64),
            (_, 0) => (fail_share / n_near as f64, 0.0),
            _ => (
                fail_share * (1.0 - NOT_NEARER) / n_near as f64,
                fail_share * NOT_NEARER / n_far as f64,
            ),
        };
        for (m, &is_near) in self.moves.iter().zip(&self.nearer) {
            self.weights.push(if !m.failure {
                (1.0 - fail_share) * m.rate / q_repair
            } else if is_near {
                near
            } else {
                far
            });
        }
    }

    /// Whether part `i` is in its first state (a unit up, a chain in state 0).
    fn home(&self, i: usize) -> bool {
        match &self.sim.items[i] {
            Item::Part(Part::Chain { state, .. }) => *state == 0,
            _ => self.sim.up[i],
        }
    }

    /// Makes move `k`; returns whether the system is up after it.
    fn apply(&mut self, k: usize) -> bool {
        let Move { part, to, .. } = self.moves[k];
        let before = self.home(part);
        let up = match &mut self.sim.items[part] {
            // A unit's move `to` 1 is its failure.
            Item::Part(Part::Unit { .. }) => to == 0,
            Item::Part(Part::Chain { chain, state, .. }) => {
                *state = to;
                chain.up[to]
            }
            Item::Group(_) => unreachable!("only parts move"),
        };
        let system_up = self.sim.set(part, up, self.root);
        match (before, self.home(part)) {
            (true, false) => self.away += 1,
            (false, true) => self.away -= 1,
            _ => {}
        }
        system_up
    }

    /// One regenerative cycle; adds it to `sums`.
    fn cycle(&mut self, rng: &mut Stream, sums: &mut Sums) {
        let (mut l, mut z, mut t, mut f) = (1.0f64, 0.0, 0.0, 0.0);
        let mut system_up = self.sim.up[self.root];
        let mut moves = 0u64;
        let mut reached = false;
        loop {
            self.collect();
            let q: f64 = self.moves.iter().map(|m| m.rate).sum();
            if q <= 0.0 {
                break;
            }
            t += l / q;
            if !system_up {
                z += l / q;
            }
            let (n_fail, q_repair) = self.moves.iter().fold((0usize, 0.0), |(n, r), m| {
                if m.failure {
                    (n + 1, r)
                } else {
                    (n, r + m.rate)
                }
            });
            // The biased choice and its probability.
            self.weigh(system_up, n_fail, q, q_repair);
            let k = pick(&self.weights, rng.uniform());
            let p_biased = self.weights[k];
            l *= (self.moves[k].rate / q) / p_biased;
            let was_up = system_up;
            system_up = self.apply(k);
            moves += 1;
            if was_up && !system_up {
                f += l;
                reached = true;
            }
            if self.away == 0 {
                break;
            }
            if moves >= MAX_CYCLE_MOVES {
                sums.cut += 1;
                self.reset();
                break;
            }
        }
        let (z, f) = (z / self.scale.0, f / self.scale.1);
        sums.n += 1.0;
        sums.z += z;
        sums.t += t;
        sums.f += f;
        sums.zz += z * z;
        sums.tt += t * t;
        sums.ff += f * f;
        sums.zt += z * t;
        sums.ft += f * t;
        sums.moves += moves;
        sums.reached += u64::from(reached);
    }

    /// Every part back in its first state.
    fn reset(&mut self) {
        for k in 0..self.parts.len() {
            let i = self.parts[k];
            let up = match &mut self.sim.items[i] {
                Item::Part(Part::Chain { chain, state, .. }) => {
                    *state = 0;
                    chain.up[0]
                }
                _ => true,
            };
            self.sim.set(i, up, self.root);
        }
        self.away = 0;
    }
}

/// The index where the running sum of `weights` passes `u` (in (0, 1]).
fn pick(weights: &[f64], u: f64) -> usize {
    let mut acc = 0.0;
    let mut last = 0;
    for (k, &w) in weights.iter().enumerate() {
        if w > 0.0 {
            last = k;
            acc += w;
            if u <= acc {
                return k;
            }
        }
    }
    last
}

/// Estimates U, A and the failure frequency by failure biasing until U's 95% interval is
/// within `rel_error` of its estimate, or the event budget is spent.
pub fn simulate_biased(
    model: &crate::model::Model,
    structure: &crate::compile::Structure,
    solution: &super::super::Solution,
    opts: &SimOptions,
    rel_error: f64,
) -> Result<SimResult, Box<Diagnostic>> {
    // A team's units wait for repairers: not a chain of independent moves.
    if let Some(team) = model
        .teams
        .first()
        .filter(|_| !solution.team_chains().is_empty())
    {
        return Err(Box::new(
            Diagnostic::error(team.pos, format!("failure biasing does not model repair teams (team `{}`)", team.name))
                .with_hint("simulate it with `--method plain`; the analysis (`hacalc solve`) is exact for teams"),
        ));
    }
    let (sim, root, n_parts) = super::build(model, structure, solution, opts.max_parts)?;
    let parts: Vec<usize> = (0..sim.items.len())
        .filter(|&i| matches!(sim.items[i], Item::Part(_)))
        .collect();
    if let Some(c) = model
        .components
        .iter()
        .find(|c| c.maintenance.is_some() && !opts.planned_excluded)
    {
        return Err(Box::new(
            Diagnostic::error(c.pos, format!("failure biasing cannot follow a fixed schedule, but component `{}` has maintenance", c.name))
                .with_hint("simulate it with `--method plain`, or leave maintenance out with `--planned exclude`"),
        ));
    }
    if let Some(c) = model
        .components
        .iter()
        .find(|c| c.failure_law.is_some() || c.repair_law.is_some())
    {
        return Err(Box::new(
            Diagnostic::error(
                c.pos,
                format!(
                    "failure biasing needs exponential times, but component `{}` has a time law",
                    c.name
                ),
            )
            .with_hint("simulate it with `--method plain`, or write its mean times"),
        ));
    }
    if let Some(b) = structure.chains.iter().find(|b| b.switchover_law.is_some()) {
        return Err(Box::new(
            Diagnostic::error(
                structure.nodes[b.node].pos,
                "failure biasing needs exponential times, but this standby's switchover has a law",
            )
            .with_hint("simulate it with `--method plain`"),
        ));
    }
    if parts.len() > MAX_STEERED_PARTS {
        return Err(Box::new(
            Diagnostic::error(model.system.pos, format!("failure biasing steers systems of at most {MAX_STEERED_PARTS} parts, and this one has {}: unsteered, its estimate could be far off with a narrow interval", parts.len()))
                .with_hint("simulate it with `--method plain`"),
        ));
    }
    let positive = |x: f64| if x > 0.0 && x.is_finite() { x } else { 1.0 };
    let scale = (
        positive(solution.system.unavailability()),
        positive(solution.system.frequency.unwrap_or(1.0)),
    );
    let pi: Vec<Vec<f64>> = solution.chains.iter().map(|c| c.pi.clone()).collect();
    let new_walker = || Walker {
        sim: sim.clone(),
        root,
        parts: parts.clone(),
        pi: &pi,
        away: 0,
        moves: Vec::new(),
        bias: BIAS,
        children: (parts.len() <= MAX_STEERED_PARTS).then(|| sim.children()),
        nearer: Vec::new(),
        weights: Vec::new(),
        memo: Default::default(),
        scale,
    };
    let mut total = Sums::default();
    let mut batches = 0usize;
    let threads = opts.threads.clamp(1, ROUND);
    let walkers: Vec<Mutex<Walker>> = (0..threads).map(|_| Mutex::new(new_walker())).collect();
    let idle = std::sync::atomic::AtomicU64::new(0);
    let mut bar = crate::progress::start("rounds of biased cycles", 0);
    let converged = |s: &Sums| {
        let u = s.ratio(s.z, s.zz, s.zt, f64::INFINITY);
        s.reached >= 30 && u.estimate > 0.0 && (u.high - u.low) / 2.0 <= rel_error * u.estimate
    };
    let per_move = (n_parts as f64 / PARTS_PER_EVENT).max(1.0);
    let budget = opts.max_events as f64 / per_move;
    while (total.moves as f64) < budget && !(batches > 0 && converged(&total)) {
        let share = ((budget - total.moves as f64) / ROUND as f64)
            .ceil()
            .max(1.0) as u64;
        let round = crate::parallel::run(ROUND, threads, ("", 0, &idle), |thread, k| {
            // Each thread keeps its walker (and what it remembers) from piece to piece.
            let mut w = walkers[thread].lock().unwrap_or_else(|e| e.into_inner());
            let mut rng = Stream::new(opts.seed, (batches + k) as u64);
            let mut sums = Sums::default();
            // The budget left, shared by this round's batches: a batch stops at its share.
            while sums.n < BATCH as f64 && sums.moves < share {
                w.cycle(&mut rng, &mut sums);
            }
            sums
        });
        for r in &round {
            total.add(r);
        }
        batches += ROUND;
        bar.set(batches as u64);
    }
    if total.reached == 0 {
        return Err(Box::new(
            Diagnostic::error(
                model.system.pos,
                format!(
                    "failure biasing reached no system failure in {} cycles",
                    total.n
                ),
            )
            .with_hint("the system may never fail (check its structure), or raise --max-events"),
        ));
    }
    let unavailability = total
        .ratio(total.z, total.zz, total.zt, 1.0 / scale.0)
        .scaled(scale.0);
    let frequency = total
        .ratio(total.f, total.ff, total.ft, f64::INFINITY)
        .scaled(scale.1);
    Ok(SimResult {
        hours: total.t,
        simulated_hours: total.t,
        observed_hours: total.t,
        seed: opts.seed,
        replications: batches,
        events: total.moves,
        parts: n_parts,
        availability: Estimate {
            estimate: 1.0 - unavailability.estimate,
            low: 1.0 - unavailability.high,
            high: 1.0 - unavailability.low,
        },
        unavailability,
        frequency,
        system_failures: total.reached,
        down_hours: total.z,
        served: None,
        longest_outage_hours: 0.0,
        truncated: !converged(&total),
        max_events: opts.max_events,
        data: super::simulate_data(
            &model.data,
            opts.seed,
            opts.threads,
            super::DATA_REL_ERROR,
            opts.max_events / 10,
        ),
        cycles: total.n as u64,
    })
}
