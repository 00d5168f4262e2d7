//! The simulated system: every copy of every part on its own clock (a two-state part
//! alternates up and down times, a Markov block jumps between its states), under groups
//! that count their children's states. When a part changes, the change is carried up the
//! expanded structure only as far as a group's state changes.

use super::laws::Draw;
use crate::compile::ctmc::Ctmc;
use crate::compile::{NodeId, NodeKind, Structure};
use crate::diagnostics::Diagnostic;
use crate::model::{Graph, Model};
use rustc_hash::FxHashMap;
use std::sync::Arc;

#[derive(Clone)]
pub enum Part {
    /// Two states: its up times drawn from `up`, its repair times from `down`.
    Unit {
        up: Draw,
        down: Draw,
        /// The component it is a copy of (None for a common-cause part).
        component: Option<usize>,
    },
    Chain {
        chain: Arc<Ctmc>,
        /// Index into the structure's chains (and the solution's).
        index: usize,
        state: usize,
        /// The fraction of requests each state serves.
        serves: Arc<[f64]>,
        /// A standby's switchover drawn from its law instead of the chain's exponential.
        timer: Option<Arc<Timer>>,
    },
}

#[derive(Clone)]
enum Group {
    Series,
    KofN(usize),
    Network(Graph),
}

/// A standby's automatic switchover with a non-exponential law: in a switchover state the
/// chain's own move back to running (at 1/mean) is replaced by a timer drawn from the law when
/// the switchover starts; repairs during it go on without ending it.
pub struct Timer {
    pub law: crate::model::Law,
    /// For each switchover state, the running state with the same failed units.
    pub to_run: Vec<Option<usize>>,
}

impl Timer {
    fn of(block: &crate::compile::ChainBlock) -> Option<Arc<Timer>> {
        let law = block.switchover_law.clone()?;
        let crate::compile::chains::StateNames::Listed {
            grid: Some(grid), ..
        } = &block.names
        else {
            return None;
        };
        // Phases: 0 running, 1 automatic switchover, 2 manual.
        let to_run = grid
            .iter()
            .map(|&(f, phase)| {
                (phase == 1)
                    .then(|| grid.iter().position(|&g| g == (f, 0)))
                    .flatten()
            })
            .collect();
        Some(Arc::new(Timer { law, to_run }))
    }
}

/// How a group's served fraction follows from its children's (docs/format.md, "Degraded
/// capacity"): a series the product, a parallel the maximum, shards the weighted sum, a pool
/// min(sum, demand) / demand, anything else 1 while up and 0 while down.
#[derive(Clone)]
enum ServedRule {
    Product,
    Max,
    Binary,
    Shards(Arc<[f64]>),
    Pool(f64),
}

#[derive(Clone)]
pub struct Composite {
    kind: Group,
    rule: ServedRule,
    children: usize,
    up_count: usize,
    /// Network only: which children are up, by position.
    up_links: Vec<bool>,
}

/// A node of the expanded structure: a part (leaf) or a group.
#[derive(Clone)]
pub enum Item {
    Part(Part),
    Group(Composite),
}

#[derive(Clone)]
pub struct Sim {
    /// Expected events per simulated hour, summed over the parts as they are added.
    pub events_per_hour: f64,
    pub items: Vec<Item>,
    pub up: Vec<bool>,
    /// (parent, position among its children) of each use: a shared instance has one item
    /// and a parent for each place it is used in.
    parents: Vec<Vec<(usize, usize)>>,
    /// The item of each shared node expanded so far.
    shared: FxHashMap<NodeId, usize>,
    /// Repair crews of copies simulated unit by unit: (crews, the copies' items).
    pub crews: Vec<(u64, Vec<usize>)>,
}

impl Default for Sim {
    fn default() -> Self {
        Sim::new()
    }
}

impl Sim {
    pub fn new() -> Sim {
        Sim {
            events_per_hour: 0.0,
            items: Vec::new(),
            up: Vec::new(),
            parents: Vec::new(),
            shared: FxHashMap::default(),
            crews: Vec::new(),
        }
    }

    fn add(&mut self, item: Item, parent: Option<(usize, usize)>) -> usize {
        self.items.push(item);
        self.up.push(true);
        self.parents.push(parent.into_iter().collect());
        self.items.len() - 1
    }

    /// Expands the structure under `root` into parts and groups, with an explicit stack (a
    /// chain of thousands of named blocks must not exhaust the call stack). Returns the
    /// root's item.
    pub fn expand(
        &mut self,
        model: &Model,
        structure: &Structure,
        chains: &[Arc<Ctmc>],
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
        chains: &[Arc<Ctmc>],
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
                let comp = &model.components[*c];
                let part = Part::Unit {
                    up: Draw::new(comp.failure_law.as_ref(), lambda),
                    down: Draw::new(comp.repair_law.as_ref(), mu),
                    component: Some(*c),
                };
                return Ok(self.add(Item::Part(part), parent));
            }
            // A part of a common-cause split: exponential, as its chain-free analysis.
            NodeKind::Unit { rates, factor, .. } => {
                let (lambda, mu) = (factor * rates.failure, rates.repair);
                self.events_per_hour += 2.0 * lambda * mu / (lambda + mu);
                let part = Part::Unit {
                    up: Draw::Rate(lambda),
                    down: Draw::Rate(mu),
                    component: None,
                };
                return Ok(self.add(Item::Part(part), parent));
            }
            // Copies with shared repair crews whose component has a time law: the copies
            // themselves, with their crews (first come, first served), not the chain of
            // exponential times.
            NodeKind::Markov(i)
                if let crate::compile::chains::ChainSpec::Crews { n, k, crews, .. } =
                    structure.chains[*i].spec
                    && let Some(c) = structure.chains[*i].component
                    && (model.components[c].failure_law.is_some()
                        || model.components[c].repair_law.is_some()) =>
            {
                let (lambda, mu) = rates(c)?;
                let comp = &model.components[c];
                self.events_per_hour += n as f64 * 2.0 * lambda * mu / (lambda + mu);
                let me = self.add(
                    Item::Group(Composite {
                        kind: Group::KofN(k as usize),
                        rule: ServedRule::Binary,
                        children: n as usize,
                        up_count: n as usize,
                        up_links: Vec::new(),
                    }),
                    parent,
                );
                let units = (0..n as usize)
                    .map(|pos| {
                        let part = Part::Unit {
                            up: Draw::new(comp.failure_law.as_ref(), lambda),
                            down: Draw::new(comp.repair_law.as_ref(), mu),
                            component: Some(c),
                        };
                        self.add(Item::Part(part), Some((me, pos)))
                    })
                    .collect();
                self.crews.push((crews, units));
                return Ok(me);
            }
            NodeKind::Markov(i) => {
                self.events_per_hour += event_rates[*i];
                return Ok(self.add(
                    Item::Part(Part::Chain {
                        chain: chains[*i].clone(),
                        index: *i,
                        state: 0,
                        serves: (0..chains[*i].up.len())
                            .map(|state| {
                                crate::solve::served::state_fraction(
                                    &structure.chains[*i],
                                    structure.nodes[id].capacity.as_ref(),
                                    state,
                                )
                            })
                            .collect(),
                        timer: Timer::of(&structure.chains[*i]),
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
            } => (Group::Network((**graph).clone()), children.clone()),
        };
        let rule = match (kind, &structure.nodes[id].capacity) {
            (_, Some(crate::model::CapacityRule::Shards { weights })) => {
                ServedRule::Shards(weights.iter().copied().collect())
            }
            (_, Some(crate::model::CapacityRule::Pool { demand })) => {
                ServedRule::Pool(*demand as f64)
            }
            (NodeKind::Series(_), None) => ServedRule::Product,
            (NodeKind::KofN { k: 1, .. } | NodeKind::Copies { k: 1, .. }, None) => ServedRule::Max,
            _ => ServedRule::Binary,
        };
        let n = children.len();
        let is_network = matches!(group, Group::Network(_));
        let me = self.add(
            Item::Group(Composite {
                kind: group,
                rule,
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
    /// Each group's children in position order (from the parents' lists).
    pub fn children(&self) -> Vec<Vec<usize>> {
        let mut out: Vec<Vec<usize>> = self
            .items
            .iter()
            .map(|it| match it {
                Item::Group(g) => vec![usize::MAX; g.children],
                Item::Part(_) => Vec::new(),
            })
            .collect();
        for (c, ps) in self.parents.iter().enumerate() {
            for &(p, pos) in ps {
                out[p][pos] = c;
            }
        }
        out
    }

    /// How many more part failures take item `i` down, at the least: 0 when it is down; a
    /// part that is up, 1; a series, its weakest child; k of n, the cheapest n_up − k + 1 of
    /// its children; a network, the minimum cut between its terminals with each link
    /// weighing its child's distance. Shared items are counted once per use, so this may
    /// overstate the distance; it only steers the failure biasing (which stays unbiased).
    pub fn distance(&self, i: usize, children: &[Vec<usize>]) -> u32 {
        if !self.up[i] {
            return 0;
        }
        let Item::Group(g) = &self.items[i] else {
            return 1;
        };
        let d: Vec<u32> = children[i]
            .iter()
            .map(|&c| self.distance(c, children))
            .collect();
        match &g.kind {
            Group::Series => d.into_iter().min().unwrap_or(u32::MAX),
            Group::KofN(k) => {
                let mut up: Vec<u32> = d.into_iter().filter(|&x| x > 0).collect();
                let need = (up.len() + 1).saturating_sub(*k);
                up.sort_unstable();
                up.iter().take(need).fold(0u32, |a, &b| a.saturating_add(b))
            }
            Group::Network(graph) => super::distance::min_cut(graph, &d),
        }
    }

    /// The fraction of requests item `i` serves now (docs/format.md, "Degraded capacity").
    pub fn served(&self, i: usize, children: &[Vec<usize>]) -> f64 {
        match &self.items[i] {
            Item::Part(Part::Chain { state, serves, .. }) => serves[*state],
            Item::Part(Part::Unit { .. }) => f64::from(u8::from(self.up[i])),
            Item::Group(g) => {
                let s = || children[i].iter().map(|&c| self.served(c, children));
                match &g.rule {
                    ServedRule::Binary => f64::from(u8::from(self.up[i])),
                    ServedRule::Product => s().product(),
                    ServedRule::Max => s().fold(0.0, f64::max),
                    ServedRule::Shards(w) => {
                        // The raw weights summed, then divided: every shard up is exactly 1.
                        let total: f64 = w.iter().take(g.children).sum();
                        (s().zip(w.iter()).map(|(x, w)| x * w).sum::<f64>() / total).min(1.0)
                    }
                    ServedRule::Pool(demand) => s().sum::<f64>().min(*demand) / demand,
                }
            }
        }
    }

    pub fn set(&mut self, i: usize, up: bool, root: usize) -> bool {
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
