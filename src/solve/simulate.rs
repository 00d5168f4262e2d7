//! Monte-Carlo simulation of the whole system over a long time, as an independent check of
//! the analytic results (`hacalc simulate`).
//!
//! Every copy of every part is simulated on its own clock: a two-state part alternates
//! exponential up and down times, a Markov block jumps between its states. When a part
//! changes, the change is carried up the expanded structure only as far as a group's state
//! changes. The system's up time and up-to-down transitions are counted in equal batches
//! after a warm-up, and each estimate comes with a 95% interval from the batch means.

use super::Solution;
use crate::compile::ctmc::Ctmc;
use crate::compile::{NodeId, NodeKind, Structure};
use crate::diagnostics::Diagnostic;
use crate::model::{Graph, Model};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rustc_hash::FxHashMap;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::rc::Rc;

#[derive(Debug, Clone, Copy)]
pub struct SimOptions {
    pub hours: f64,
    pub seed: u64,
    pub batches: usize,
    /// Most simulated part copies.
    pub max_parts: usize,
    /// Most events before giving up (the run would take too long).
    pub max_events: u64,
}

/// Most events of one run by default: about half a minute on one core.
pub const DEFAULT_MAX_EVENTS: u64 = 300_000_000;

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            hours: 1000.0 * 8760.0,
            seed: 1,
            batches: 20,
            max_parts: 200_000,
            max_events: DEFAULT_MAX_EVENTS,
        }
    }
}

/// An estimate and its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Estimate {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

impl Estimate {
    pub fn contains(&self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }
}

#[derive(Debug, Clone)]
pub struct SimResult {
    pub hours: f64,
    pub seed: u64,
    pub events: u64,
    pub parts: usize,
    pub availability: Estimate,
    pub unavailability: Estimate,
    /// System failures (up-to-down transitions) per hour.
    pub frequency: Estimate,
    /// System failures counted after the warm-up: with none, or a handful, the intervals
    /// say nothing about them.
    pub system_failures: u64,
}

enum Part {
    Unit { lambda: f64, mu: f64 },
    Chain { chain: Rc<Ctmc>, state: usize },
}

enum Group {
    Series,
    KofN(usize),
    Network(Graph),
}

struct Composite {
    kind: Group,
    children: usize,
    up_count: usize,
    /// Network only: which children are up, by position.
    up_links: Vec<bool>,
}

/// A node of the expanded structure: a part (leaf) or a group.
enum Item {
    Part(Part),
    Group(Composite),
}

struct Sim {
    /// Expected events per simulated hour, summed over the parts as they are added.
    events_per_hour: f64,
    items: Vec<Item>,
    up: Vec<bool>,
    /// (parent, position among its children) of each use: a shared instance has one item
    /// and a parent for each place it is used in.
    parents: Vec<Vec<(usize, usize)>>,
    /// The item of each shared node expanded so far.
    shared: FxHashMap<NodeId, usize>,
}

impl Sim {
    fn add(&mut self, item: Item, parent: Option<(usize, usize)>) -> usize {
        self.items.push(item);
        self.up.push(true);
        self.parents.push(parent.into_iter().collect());
        self.items.len() - 1
    }

    /// Expands the structure under `root` into parts and groups, with an explicit stack (a
    /// chain of thousands of named blocks must not exhaust the call stack). Returns the
    /// root's item.
    fn expand(
        &mut self,
        model: &Model,
        structure: &Structure,
        chains: &[Rc<Ctmc>],
        event_rates: &[f64],
        root: NodeId,
        max: usize,
    ) -> Result<usize, Box<Diagnostic>> {
        let mut todo: Vec<(NodeId, Option<(usize, usize)>)> = vec![(root, None)];
        while let Some((id, parent)) = todo.pop() {
            // A shared instance is one item, with a parent for each place it is used in.
            if let Some(&item) = self.shared.get(&id) {
                self.parents[item].extend(parent);
                continue;
            }
            let me = self.expand_one(
                model,
                structure,
                chains,
                event_rates,
                id,
                parent,
                max,
                &mut todo,
            )?;
            if structure.nodes[id].shared {
                self.shared.insert(id, me);
            }
        }
        Ok(0)
    }

    #[allow(clippy::too_many_arguments)]
    fn expand_one(
        &mut self,
        model: &Model,
        structure: &Structure,
        chains: &[Rc<Ctmc>],
        event_rates: &[f64],
        id: NodeId,
        parent: Option<(usize, usize)>,
        max: usize,
        todo: &mut Vec<(NodeId, Option<(usize, usize)>)>,
    ) -> Result<usize, Box<Diagnostic>> {
        if self.items.len() >= max {
            return Err(Box::new(
                Diagnostic::error(
                    model.system.pos,
                    format!("the model expands to more than {max} simulated parts (every copy is simulated on its own clock)"),
                )
                .with_hint("simulate a smaller model or a part of it; the analysis (`hacalc solve`) has no such limit"),
            ));
        }
        let kind = &structure.nodes[id].kind;
        let rates = |c: usize| {
            let comp = &model.components[c];
            comp.rates.map(|r| (r.failure, r.repair)).ok_or_else(|| {
                Box::new(
                    Diagnostic::error(
                        comp.pos,
                        format!("component `{}` has only a static availability; a simulation needs its mtbf and mttr", comp.name),
                    )
                    .with_hint("give it `mtbf` and `mttr` (or `availability` with `mttr`) to simulate the model"),
                )
            })
        };
        let (group, children): (Group, Vec<NodeId>) = match kind {
            NodeKind::Component(c) => {
                let (lambda, mu) = rates(*c)?;
                self.events_per_hour += 2.0 * lambda * mu / (lambda + mu);
                return Ok(self.add(Item::Part(Part::Unit { lambda, mu }), parent));
            }
            NodeKind::Unit { rates, factor, .. } => {
                let (lambda, mu) = (factor * rates.failure, rates.repair);
                self.events_per_hour += 2.0 * lambda * mu / (lambda + mu);
                return Ok(self.add(Item::Part(Part::Unit { lambda, mu }), parent));
            }
            NodeKind::Markov(i) => {
                self.events_per_hour += event_rates[*i];
                return Ok(self.add(
                    Item::Part(Part::Chain {
                        chain: chains[*i].clone(),
                        state: 0,
                    }),
                    parent,
                ));
            }
            NodeKind::Series(c) => (Group::Series, c.clone()),
            NodeKind::KofN { k, children } => (Group::KofN(*k), children.clone()),
            NodeKind::Copies { k, n, child } => {
                (Group::KofN(*k as usize), vec![*child; *n as usize])
            }
            NodeKind::Network {
                graph, children, ..
            } => (Group::Network(graph.clone()), children.clone()),
        };
        let n = children.len();
        let is_network = matches!(group, Group::Network(_));
        let me = self.add(
            Item::Group(Composite {
                kind: group,
                children: n,
                up_count: n,
                up_links: if is_network {
                    vec![true; n]
                } else {
                    Vec::new()
                },
            }),
            parent,
        );
        for (pos, c) in children.into_iter().enumerate().rev() {
            todo.push((c, Some((me, pos))));
        }
        Ok(me)
    }

    /// Sets part `i` up or down and carries the change upwards, through every use of a shared
    /// instance; returns the root's state. A group is re-evaluated from its counts when its
    /// turn comes, so a change reaching it along two paths leaves it right.
    fn set(&mut self, i: usize, up: bool, root: usize) -> bool {
        if self.up[i] == up {
            return self.up[root];
        }
        self.up[i] = up;
        let mut todo = vec![i];
        while let Some(node) = todo.pop() {
            let new = self.up[node];
            for k in 0..self.parents[node].len() {
                let (p, pos) = self.parents[node][k];
                // Only groups are parents.
                let Item::Group(g) = &mut self.items[p] else {
                    continue;
                };
                if new {
                    g.up_count += 1;
                } else {
                    g.up_count -= 1;
                }
                if let Some(x) = g.up_links.get_mut(pos) {
                    *x = new;
                }
                let state = match &g.kind {
                    Group::Series => g.up_count == g.children,
                    Group::KofN(k) => g.up_count >= *k,
                    Group::Network(graph) => graph.reaches(|i| g.up_links[i]),
                };
                if self.up[p] != state {
                    self.up[p] = state;
                    todo.push(p);
                }
            }
        }
        self.up[root]
    }
}

#[derive(PartialEq)]
struct At(f64, usize);

impl Eq for At {}

impl PartialOrd for At {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for At {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0).then(self.1.cmp(&other.1))
    }
}

fn exp(rng: &mut StdRng, rate: f64) -> f64 {
    if rate <= 0.0 {
        return f64::INFINITY;
    }
    -(1.0 - rng.random::<f64>()).ln() / rate
}

/// Student's t quantile for a 95% two-sided interval with `df` degrees of freedom.
fn t95(df: usize) -> f64 {
    const T: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    if df == 0 {
        f64::INFINITY
    } else {
        T.get(df - 1).copied().unwrap_or(1.96)
    }
}

/// Mean and 95% interval of batch means, the interval kept within [0, `max`] (a probability
/// or a rate cannot leave its range, whatever the normal approximation says).
fn estimate(samples: &[f64], max: f64) -> Estimate {
    let b = samples.len() as f64;
    let mean = samples.iter().sum::<f64>() / b;
    let var = samples.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (b - 1.0).max(1.0);
    let half = t95(samples.len() - 1) * (var / b).sqrt();
    Estimate {
        estimate: mean.clamp(0.0, max) + 0.0,
        low: (mean - half).clamp(0.0, max) + 0.0,
        high: (mean + half).clamp(0.0, max) + 0.0,
    }
}

/// Simulates the system; a located error says why it cannot be (static components, size,
/// a run longer than the event budget, foreseen before it starts).
pub fn simulate(
    model: &Model,
    structure: &Structure,
    solution: &Solution,
    opts: &SimOptions,
) -> Result<SimResult, Box<Diagnostic>> {
    // Units repaired by a team wait for a repairer: the simulator repairs every unit on its
    // own clock, so it would answer for a different system.
    if let Some(team) = solution.team_chains().first().map(|c| &model.teams[c.team]) {
        return Err(Box::new(
            Diagnostic::error(
                team.pos,
                format!("the simulation does not model repair teams yet (team `{}`): it would repair every unit at once", team.name),
            )
            .with_hint("the analysis (`hacalc solve`) is exact for teams; to simulate, remove `team:` from the components"),
        ));
    }
    let chains: Vec<Rc<Ctmc>> = structure
        .chains
        .iter()
        .map(|c| Rc::new(c.chain.clone()))
        .collect();
    // Each chain's expected jumps per hour: sum of pi_i x exit rate of i.
    let event_rates: Vec<f64> = chains
        .iter()
        .zip(&solution.chains)
        .map(|(c, s)| c.exit_rates().iter().zip(&s.pi).map(|(q, p)| q * p).sum())
        .collect();
    let mut sim = Sim {
        events_per_hour: 0.0,
        items: Vec::new(),
        up: Vec::new(),
        parents: Vec::new(),
        shared: FxHashMap::default(),
    };
    let root = sim.expand(
        model,
        structure,
        &chains,
        &event_rates,
        structure.root,
        opts.max_parts,
    )?;
    let expected = sim.events_per_hour * opts.hours * 1.01;
    if expected > opts.max_events as f64 {
        return Err(Box::new(
            Diagnostic::error(
                model.system.pos,
                format!(
                    "simulating {} would take about {expected:.2e} events ({:.2e} per simulated year), more than the limit of {:.2e}",
                    crate::units::duration(opts.hours),
                    sim.events_per_hour * 8760.0,
                    opts.max_events as f64
                ),
            )
            .with_hint("shorten --horizon, or raise --max-events (about 10 million events a second)"),
        ));
    }
    let mut rng = StdRng::seed_from_u64(opts.seed);
    let mut queue: BinaryHeap<Reverse<At>> = BinaryHeap::new();
    let parts: Vec<usize> = (0..sim.items.len())
        .filter(|&i| matches!(sim.items[i], Item::Part(_)))
        .collect();
    for &i in &parts {
        if let Item::Part(part) = &sim.items[i] {
            let t = match part {
                Part::Unit { lambda, .. } => exp(&mut rng, *lambda),
                Part::Chain { chain, state } => {
                    exp(&mut rng, chain.out(*state).map(|(_, r)| r).sum())
                }
            };
            queue.push(Reverse(At(t, i)));
        }
    }
    let warm_up = opts.hours / 100.0;
    let batches = opts.batches.max(2);
    let batch_len = opts.hours / batches as f64;
    let end = warm_up + opts.hours;
    // Time spent down and up in each batch, [down, up]: U is measured, not taken as 1 - A.
    let mut up_time = [vec![0.0; batches], vec![0.0; batches]];
    let mut failures = vec![0.0; batches];
    let mut now = 0.0;
    let mut system_up = true;
    let mut events = 0u64;
    // Adds the time from `from` to `to` to the batches it falls in: one pass over the
    // batches it spans (a boundary that falls exactly on `from` cannot stall it).
    let batch_of = |t: f64| (((t - warm_up) / batch_len) as usize).min(batches - 1);
    let account = |from: f64, to: f64, up: bool, time: &mut [Vec<f64>; 2]| {
        if to <= warm_up {
            return;
        }
        let up_time = &mut time[up as usize];
        let (a, b) = (from.max(warm_up), to.min(end));
        if a >= b {
            return;
        }
        let (k0, k1) = (batch_of(a), batch_of(b));
        for (k, slot) in up_time.iter_mut().enumerate().take(k1 + 1).skip(k0) {
            let lo = if k == k0 {
                a
            } else {
                warm_up + k as f64 * batch_len
            };
            let hi = if k == k1 {
                b
            } else {
                warm_up + (k + 1) as f64 * batch_len
            };
            if hi > lo {
                *slot += hi - lo;
            }
        }
    };
    let mut progress = crate::progress::start("simulated hours", end as u64);
    while let Some(Reverse(At(t, i))) = queue.pop() {
        if t >= end {
            break;
        }
        events += 1;
        if events.is_multiple_of(65_536) {
            progress.set(t as u64);
        }
        if events > opts.max_events {
            return Err(Box::new(
                Diagnostic::error(
                    model.system.pos,
                    format!("the simulation took more than {} events", opts.max_events),
                )
                .with_hint("shorten --horizon or raise --max-events"),
            ));
        }
        account(now, t, system_up, &mut up_time);
        now = t;
        // Only parts have events.
        let Item::Part(part) = &mut sim.items[i] else {
            continue;
        };
        let (new_up, next) = match part {
            Part::Unit { lambda, mu } => {
                let up = !sim.up[i];
                (up, t + exp(&mut rng, if up { *lambda } else { *mu }))
            }
            Part::Chain { chain, state } => {
                let total: f64 = chain.out(*state).map(|(_, r)| r).sum();
                let mut pick = rng.random::<f64>() * total;
                let mut target = *state;
                for (j, r) in chain.out(*state) {
                    target = j;
                    if pick < r {
                        break;
                    }
                    pick -= r;
                }
                *state = target;
                let exit: f64 = chain.out(target).map(|(_, r)| r).sum();
                (chain.up[target], t + exp(&mut rng, exit))
            }
        };
        let was = system_up;
        system_up = sim.set(i, new_up, root);
        if was && !system_up && t >= warm_up {
            let k = (((t - warm_up) / batch_len) as usize).min(batches - 1);
            failures[k] += 1.0;
        }
        queue.push(Reverse(At(next, i)));
    }
    account(now, end, system_up, &mut up_time);
    let a: Vec<f64> = up_time[1].iter().map(|x| x / batch_len).collect();
    let u: Vec<f64> = up_time[0].iter().map(|x| x / batch_len).collect();
    let f: Vec<f64> = failures.iter().map(|x| x / batch_len).collect();
    Ok(SimResult {
        hours: opts.hours,
        seed: opts.seed,
        events,
        parts: parts.len(),
        availability: estimate(&a, 1.0),
        unavailability: estimate(&u, 1.0),
        frequency: estimate(&f, f64::INFINITY),
        system_failures: failures.iter().sum::<f64>() as u64,
    })
}
