//! Monte-Carlo simulation of the whole system, as an independent check of the analytic
//! results (`hacalc simulate`).
//!
//! The horizon is split into independent replications, each with its own warm-up (1% of
//! its length) and its own random stream (`rng`), run on as many threads as asked. The
//! replications are fixed by the seed and their count, not by the threads: the same seed
//! gives the same numbers on 1 or 8 threads. Up time and down time are accumulated apart
//! (U is measured, never taken as 1 − A), and each estimate is the mean of the
//! replications with a Student-t interval (`stats`). Every run is bounded by an event
//! budget, shared equally by the replications: a replication that reaches its share stops
//! there, and the estimate of what was simulated is returned with `truncated` set.

mod biased;
mod data;
mod distance;
mod laws;
pub(crate) mod rng;
mod stats;
mod system;
mod teams;

pub use biased::{BIAS, simulate_biased};
pub use data::{DataSim, simulate_data};
pub use stats::{Estimate, t_quantile};

use super::Solution;
use crate::compile::Structure;
use crate::compile::ctmc::Ctmc;
use crate::diagnostics::Diagnostic;
use crate::model::Model;
use rng::Stream;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use system::{Item, Part, Sim};
use teams::Teams;

#[derive(Debug, Clone, Copy)]
pub struct SimOptions {
    /// Simulated time after the warm-ups, hours (all replications together).
    pub hours: f64,
    pub seed: u64,
    /// Independent replications (at least 2); the horizon is shared among them.
    pub replications: usize,
    /// Threads to run them on (the numbers do not depend on it).
    pub threads: usize,
    /// Most simulated part copies.
    pub max_parts: usize,
    /// Most events of the whole run; past it the run stops with what it has.
    pub max_events: u64,
    /// Planned maintenance left out (`--planned exclude`).
    pub planned_excluded: bool,
}

/// Most events of one run by default: about half a minute on one core.
pub const DEFAULT_MAX_EVENTS: u64 = 300_000_000;

/// The relative half-width (95%) a data set's MTTDL is simulated to.
pub const DATA_REL_ERROR: f64 = 0.05;

/// Replications by default: 20 gives a t-interval with 19 degrees of freedom.
pub const DEFAULT_REPLICATIONS: usize = 20;

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            hours: 1000.0 * 8760.0,
            seed: 1,
            replications: DEFAULT_REPLICATIONS,
            threads: 1,
            max_parts: 200_000,
            max_events: DEFAULT_MAX_EVENTS,
            planned_excluded: false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct SimResult {
    /// Simulated time asked for, and simulated after the warm-ups (less when truncated).
    pub hours: f64,
    /// The horizon run: the one asked for, or shorter when the budget could not hold it.
    pub simulated_hours: f64,
    pub observed_hours: f64,
    pub seed: u64,
    pub replications: usize,
    pub events: u64,
    pub parts: usize,
    pub availability: Estimate,
    pub unavailability: Estimate,
    /// System failures (up-to-down transitions) per hour.
    pub frequency: Estimate,
    /// System failures counted after the warm-ups: with none, or a handful, the intervals
    /// say little (with none, the frequency's interval is the rule of three's upper bound).
    pub system_failures: u64,
    /// System down time counted after the warm-ups, hours (all replications).
    pub down_hours: f64,
    /// The expected fraction of requests served and its shortfall, for models with
    /// degraded capacity (`shards`, `pool`, `serves`).
    pub served: Option<(Estimate, Estimate)>,
    /// The longest system outage simulated (after the warm-ups), hours; 0 for biased runs.
    pub longest_outage_hours: f64,
    /// The event budget stopped the run before the horizon.
    pub truncated: bool,
    /// The event budget (`--max-events`).
    pub max_events: u64,
    /// Each data set's MTTDL (`data:`), by its own regenerative cycles.
    pub data: Vec<DataSim>,
    /// Regenerative cycles of failure biasing (0: a plain run over the horizon).
    pub cycles: u64,
}

/// What one replication saw after its warm-up.
#[derive(Debug, Clone, Copy, Default)]
struct Replication {
    observed: f64,
    up: f64,
    down: f64,
    /// The time integrals of the served fraction S and of 1 − S (kept apart: a shortfall
    /// of 1e-9 is not taken from a sum near 1).
    served: f64,
    shortfall: f64,
    /// The longest system outage that started after the warm-up and ended, hours.
    longest_outage: f64,
    failures: u64,
    events: u64,
    truncated: bool,
}

/// An event: its time, its item, and the item's version when it was scheduled (an event
/// of an older version was overtaken by a new schedule, and is skipped).
#[derive(PartialEq)]
struct At(f64, usize, u32);

impl Eq for At {}

impl PartialOrd for At {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for At {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0
            .total_cmp(&other.0)
            .then(self.1.cmp(&other.1))
            .then(self.2.cmp(&other.2))
    }
}

/// The fixed shape of a run, shared by its replications.
struct Plan {
    root: usize,
    /// Each unit's place in its component's maintenance schedule (`Slot`), when the run
    /// follows planned maintenance.
    slots: Vec<Option<Slot>>,
    /// Each group's children, when the served fraction is followed (models with degraded
    /// capacity: it is recomputed over the structure after every event).
    children: Option<Vec<Vec<usize>>>,
    warm_up: f64,
    length: f64,
    budget: u64,
    seed: u64,
}

/// A unit's planned maintenance: out of service for `duration` every `every`, starting at
/// the component's phase (drawn per replication: schedules of different components are
/// unsynchronised) plus `offset` of the period (staggered copies one after another; 0 when
/// every copy goes at once).
#[derive(Clone, Copy)]
struct Slot {
    component: usize,
    every: f64,
    duration: f64,
    offset: f64,
}

/// Progress in millionths of a replication, summed over the replications.
const PROGRESS_UNIT: f64 = 1e6;

fn replicate(
    mut sim: Sim,
    mut teams: Option<Teams>,
    plan: &Plan,
    index: usize,
    progress: &AtomicU64,
) -> Replication {
    let mut rng = Stream::new(plan.seed, index as u64);
    let mut queue: BinaryHeap<Reverse<At>> = BinaryHeap::new();
    let n_items = sim.items.len();
    let mut version = vec![0u32; n_items];
    let mut moved: Vec<(usize, f64)> = Vec::new();
    // A unit is up when neither failed nor in maintenance; its maintenance toggles are
    // events of item n_items + unit.
    let mut failed = vec![false; n_items];
    // When each chain's switchover timer runs out (NaN: none running).
    let mut timer_end = vec![f64::NAN; n_items];
    let mut in_maintenance = vec![false; n_items];
    let mut phase: Vec<(usize, f64)> = Vec::new();
    for (i, slot) in plan.slots.iter().enumerate() {
        let Some(s) = slot else { continue };
        let p = match phase.iter().find(|(c, _)| *c == s.component) {
            Some(&(_, p)) => p,
            None => {
                let p = rng.uniform() * s.every;
                phase.push((s.component, p));
                p
            }
        };
        queue.push(Reverse(At((p + s.offset) % s.every, n_items + i, 0)));
    }
    for i in 0..sim.items.len() {
        if let Item::Part(part) = &sim.items[i] {
            let t = match part {
                Part::Unit { up, .. } => up.sample(&mut rng),
                Part::Chain { chain, state, .. } => rng.exp(exit_rate(chain, *state)),
            };
            queue.push(Reverse(At(t, i, 0)));
        }
    }
    let end = plan.warm_up + plan.length;
    let mut r = Replication::default();
    let mut now = 0.0;
    let mut system_up = true;
    let mut served = 1.0;
    let mut down_since = f64::NAN;
    let mut reported = 0u64;
    // Adds the time from `now` to `to`, the part of it after the warm-up.
    let account = |r: &mut Replication, from: f64, to: f64, up: bool, served: f64| {
        let span = to.min(end) - from.max(plan.warm_up);
        if span > 0.0 {
            r.observed += span;
            if up {
                r.up += span;
            } else {
                r.down += span;
            }
            r.served += span * served;
            r.shortfall += span * (1.0 - served);
        }
    };
    while let Some(Reverse(At(t, i, v))) = queue.pop() {
        if t >= end {
            break;
        }
        if i < n_items && v != version[i] {
            continue;
        }
        if r.events == plan.budget {
            r.truncated = true;
            break;
        }
        r.events += 1;
        if r.events.is_multiple_of(65_536) {
            let done = (t / end * PROGRESS_UNIT) as u64;
            progress.fetch_add(done - reported, Relaxed);
            reported = done;
        }
        account(&mut r, now, t, system_up, served);
        now = t;
        let (i, new_up, next) = if i >= n_items {
            // A maintenance starts or ends.
            let (u, s) = (i - n_items, plan.slots[i - n_items].expect("scheduled"));
            in_maintenance[u] = !in_maintenance[u];
            let next = t + if in_maintenance[u] {
                s.duration
            } else {
                s.every - s.duration
            };
            queue.push(Reverse(At(next, i, 0)));
            (u, !failed[u] && !in_maintenance[u], f64::NAN)
        } else {
            // Only parts have events.
            let Item::Part(part) = &mut sim.items[i] else {
                continue;
            };
            let (new_up, next) = match part {
                Part::Unit {
                    up: to_fail,
                    down: to_repair,
                    ..
                } => {
                    failed[i] = !failed[i];
                    let up = !failed[i] && !in_maintenance[i];
                    match teams.as_mut().filter(|tm| tm.is_team_unit(i)) {
                        // A team's unit: its repair waits for a repairer (scheduled below).
                        Some(tm) if failed[i] => {
                            let work = to_repair.sample(&mut rng);
                            tm.fail(i, t, work, &mut moved);
                            (up, f64::NAN)
                        }
                        Some(tm) => {
                            let next = t + to_fail.sample(&mut rng);
                            tm.repaired(i, t, &mut moved);
                            (up, next)
                        }
                        None => (
                            up,
                            t + if failed[i] { to_repair } else { to_fail }.sample(&mut rng),
                        ),
                    }
                }
                Part::Chain {
                    chain,
                    state,
                    timer,
                    ..
                } => {
                    // A switchover drawn from its law: the chain's own way back to running is
                    // the timer's.
                    let skip = |s: usize| timer.as_ref().and_then(|tm| tm.to_run[s]);
                    let target = match skip(*state) {
                        Some(run) if t == timer_end[i] => run,
                        skipped => {
                            let mut pick = rng.uniform() * rate_without(chain, *state, skipped);
                            let mut target = *state;
                            for (j, rate) in chain.out(*state).filter(|&(j, _)| Some(j) != skipped)
                            {
                                target = j;
                                if pick < rate {
                                    break;
                                }
                                pick -= rate;
                            }
                            target
                        }
                    };
                    let (was, now_skip) = (skip(*state), skip(target));
                    *state = target;
                    let mut next = t + rng.exp(rate_without(chain, target, now_skip));
                    if let (Some(tm), Some(_)) = (timer, now_skip) {
                        if was.is_none() {
                            timer_end[i] = t + laws::sample(&tm.law, &mut rng);
                        }
                        next = next.min(timer_end[i]);
                    } else {
                        timer_end[i] = f64::NAN;
                    }
                    (chain.up[target], next)
                }
            };
            (i, new_up, next)
        };
        let was = system_up;
        system_up = sim.set(i, new_up, plan.root);
        if was && !system_up && t >= plan.warm_up {
            r.failures += 1;
            down_since = t;
        }
        if !was && system_up && down_since >= plan.warm_up {
            r.longest_outage = r.longest_outage.max(t - down_since);
        }
        if let Some(children) = &plan.children {
            served = sim.served(plan.root, children);
        }
        if !next.is_nan() {
            queue.push(Reverse(At(next, i, version[i])));
        }
        // Team units whose repairs were sped up, slowed down or stopped.
        for (u, when) in moved.drain(..) {
            version[u] = version[u].wrapping_add(1);
            if when.is_finite() {
                queue.push(Reverse(At(when, u, version[u])));
            }
        }
    }
    let stop = if r.truncated { now } else { end };
    account(&mut r, now, stop, system_up, served);
    progress.fetch_add(PROGRESS_UNIT as u64 - reported, Relaxed);
    r
}

fn exit_rate(chain: &Ctmc, state: usize) -> f64 {
    chain.out(state).map(|(_, r)| r).sum()
}

/// The rate out of `state` without the move to `skip` (a timer's).
fn rate_without(chain: &Ctmc, state: usize, skip: Option<usize>) -> f64 {
    chain
        .out(state)
        .filter(|&(j, _)| Some(j) != skip)
        .map(|(_, r)| r)
        .sum()
}

/// Each unit's maintenance slot: the copies of a maintained component in the order they were
/// expanded, staggered ones spread evenly over the period.
fn maintenance_slots(model: &Model, sim: &Sim) -> Vec<Option<Slot>> {
    let unit_of = |it: &Item| match it {
        Item::Part(Part::Unit {
            component: Some(c), ..
        }) => Some(*c),
        _ => None,
    };
    let mut out = vec![None; sim.items.len()];
    for (c, comp) in model.components.iter().enumerate() {
        let Some(m) = comp.maintenance else { continue };
        let units: Vec<usize> = (0..sim.items.len())
            .filter(|&i| unit_of(&sim.items[i]) == Some(c))
            .collect();
        let n = units.len() as f64;
        for (j, &i) in units.iter().enumerate() {
            out[i] = Some(Slot {
                component: c,
                every: m.every,
                duration: m.duration,
                offset: if m.staggered {
                    j as f64 * m.every / n
                } else {
                    0.0
                },
            });
        }
    }
    out
}

/// The slowest time constant of the parts, hours: a unit's 1/(λ + μ) from its mean times, a
/// chain's longest mean stay in a state.
fn slowest_time(sim: &Sim) -> f64 {
    sim.items
        .iter()
        .map(|it| match it {
            Item::Part(Part::Unit { up, down, .. }) => 1.0 / (1.0 / up.mean() + 1.0 / down.mean()),
            Item::Part(Part::Chain { chain, .. }) => (0..chain.up.len())
                .map(|s| exit_rate(chain, s))
                .filter(|&q| q > 0.0)
                .map(|q| 1.0 / q)
                .fold(0.0, f64::max),
            Item::Group(_) => 0.0,
        })
        .fold(0.0, f64::max)
}

/// The expanded system of a model, its root item and its number of parts.
fn build(
    model: &Model,
    structure: &Structure,
    solution: &Solution,
    max_parts: usize,
) -> Result<(Sim, usize, usize), Box<Diagnostic>> {
    let chains: Vec<Arc<Ctmc>> = structure
        .chains
        .iter()
        .map(|c| Arc::new(c.chain.clone()))
        .collect();
    // Each chain's expected jumps per hour: sum of pi_i x exit rate of i.
    let event_rates: Vec<f64> = chains
        .iter()
        .zip(&solution.chains)
        .map(|(c, s)| c.exit_rates().iter().zip(&s.pi).map(|(q, p)| q * p).sum())
        .collect();
    let mut sim = Sim::new();
    let root = sim.expand(
        model,
        structure,
        &chains,
        &event_rates,
        structure.root,
        max_parts,
    )?;
    let parts = sim
        .items
        .iter()
        .filter(|i| matches!(i, Item::Part(_)))
        .count();
    Ok((sim, root, parts))
}

/// Simulates the system; a located error says why it cannot be (static components, size,
/// a budget spent before any replication is past its warm-up).
pub fn simulate(
    model: &Model,
    structure: &Structure,
    solution: &Solution,
    opts: &SimOptions,
) -> Result<SimResult, Box<Diagnostic>> {
    let (sim, root, parts) = build(model, structure, solution, opts.max_parts)?;
    let replications = opts.replications.max(2);
    // A horizon the budget cannot hold is shortened before the start (the expected events
    // are known from the rates), so that each replication still has its warm-up and a
    // share of the budget; the run then says it was cut. The budget is also enforced as the
    // events come, in case the expectation is low.
    // Each replication starts with every part new and forgets it over a few of its slowest
    // time constants: the warm-up is 1% of its share, and at least ten of those.
    let warm_up_min = 10.0 * slowest_time(&sim);
    let warm_up_of = |length: f64| (length / 100.0).max(warm_up_min);
    let affordable = opts.max_events as f64 / (sim.events_per_hour * 1.05);
    let needed = |hours: f64| hours + replications as f64 * warm_up_of(hours / replications as f64);
    let shortened = needed(opts.hours) > affordable;
    let hours = if shortened {
        // The longest horizon whose replications and warm-ups the budget holds.
        let spare = affordable - replications as f64 * warm_up_min;
        if spare <= 0.0 {
            return Err(Box::new(
                Diagnostic::error(
                    model.system.pos,
                    format!(
                        "the {replications} replications' warm-ups ({} each, ten of the slowest time constants) alone take more than --max-events {} events",
                        crate::units::duration(warm_up_min),
                        opts.max_events
                    ),
                )
                .with_hint("use fewer --replications, or raise --max-events"),
            ));
        }
        (spare / 1.01).min(opts.hours)
    } else {
        opts.hours
    };
    let length = hours / replications as f64;
    let slots: Vec<Option<Slot>> = if opts.planned_excluded {
        vec![None; sim.items.len()]
    } else {
        maintenance_slots(model, &sim)
    };
    let plan = Plan {
        root,
        slots,
        children: crate::solve::served::has_degraded_parts(structure).then(|| sim.children()),
        warm_up: warm_up_of(length),
        length,
        budget: (opts.max_events / replications as u64).max(1),
        seed: opts.seed,
    };
    let progress = AtomicU64::new(0);
    let reps: Vec<Replication> = crate::parallel::run(
        replications,
        opts.threads,
        (
            "replications simulated",
            replications as u64 * PROGRESS_UNIT as u64,
            &progress,
        ),
        |_, k| replicate(sim.clone(), Teams::new(model, &sim), &plan, k, &progress),
    );
    let seen: Vec<&Replication> = reps.iter().filter(|r| r.observed > 0.0).collect();
    if seen.len() < 2 {
        return Err(Box::new(
            Diagnostic::error(
                model.system.pos,
                format!(
                    "the event budget of {:.2e} ran out before the replications were past their warm-up ({:.2e} events per simulated year)",
                    opts.max_events as f64,
                    sim.events_per_hour * 8760.0
                ),
            )
            .with_hint("raise --max-events, or simulate a smaller model"),
        ));
    }
    let ratio = |f: fn(&Replication) -> f64| -> Vec<f64> {
        seen.iter().map(|r| f(r) / r.observed).collect()
    };
    let observed: f64 = seen.iter().map(|r| r.observed).sum();
    let system_failures: u64 = seen.iter().map(|r| r.failures).sum();
    let mut frequency = stats::estimate(&ratio(|r| r.failures as f64), f64::INFINITY);
    if system_failures == 0 {
        // No failure seen in `observed` hours: the rate is below −ln(0.05)/T with 95%
        // confidence (the rule of three), whatever the replications' spread says.
        frequency.high = -(0.05f64.ln()) / observed;
    }
    Ok(SimResult {
        hours: opts.hours,
        simulated_hours: hours,
        observed_hours: observed,
        seed: opts.seed,
        replications,
        events: reps.iter().map(|r| r.events).sum(),
        parts,
        availability: stats::estimate(&ratio(|r| r.up), 1.0),
        unavailability: stats::estimate(&ratio(|r| r.down), 1.0),
        frequency,
        system_failures,
        down_hours: seen.iter().map(|r| r.down).sum(),
        served: plan.children.as_ref().map(|_| {
            (
                stats::estimate(&ratio(|r| r.served), 1.0),
                stats::estimate(&ratio(|r| r.shortfall), 1.0),
            )
        }),
        longest_outage_hours: reps.iter().map(|r| r.longest_outage).fold(0.0, f64::max),
        truncated: shortened || reps.iter().any(|r| r.truncated),
        max_events: opts.max_events,
        data: simulate_data(
            &model.data,
            opts.seed,
            opts.threads,
            DATA_REL_ERROR,
            opts.max_events / 10,
        ),
        cycles: 0,
    })
}
