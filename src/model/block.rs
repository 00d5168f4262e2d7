//! Blocks of the validated model: how components compose.

use super::{BlockId, ComponentId};
use crate::diagnostics::Pos;
use crate::probability::Probability;

/// A block and where it is written.
#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    pub pos: Pos,
}

/// What a block is. Each variant's semantics are in docs/format.md.
#[derive(Debug, Clone)]
pub enum BlockKind {
    /// A component by id.
    Component(ComponentId),
    /// A named block by id.
    Named(BlockId),
    /// Up when every member is up.
    Series(Vec<Block>),
    /// Up when at least `k` of the (different) members are up; `parallel: [...]` is k = 1.
    KofN { k: usize, members: Vec<Block> },
    /// Up when at least `k` of `n` independent copies of `of` are up.
    Copies { k: u64, n: u64, of: Box<Block> },
    /// Copies of one component that share repair crews, a common cause, or both.
    SharedCopies(SharedCopies),
    /// Standby redundancy with switchover.
    Standby(Standby),
    /// An explicit continuous-time Markov chain.
    Markov(MarkovChain),
    /// A two-terminal reliability graph.
    Network(Network),
    /// Copies whose served fraction follows a capacity rule (`shards`, `pool`); `inner` is
    /// the copies block (`Copies` or `SharedCopies`) that gives the binary availability.
    Capacity {
        rule: CapacityRule,
        inner: Box<Block>,
    },
}

/// How the fraction of requests served follows from how many copies are up.
#[derive(Debug, Clone, PartialEq)]
pub enum CapacityRule {
    /// Requests partitioned by key: the served fraction is the sum of the served fractions
    /// of the shards, each weighted by its share of the keys (`weights` as written, 1 each
    /// by default; their total is the whole).
    Shards { weights: Vec<f64> },
    /// Interchangeable servers: min(capacity up, demand) / demand, where each server brings
    /// its own served fraction.
    Pool { demand: u64 },
}

/// `k_of_n` / `parallel` of `n` copies of a rated component with `crews` and/or `common_cause`.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedCopies {
    pub k: u64,
    pub n: u64,
    /// The component (with rates: the chain and the units are built from its current ones,
    /// which `--uncertainty` draws anew; a copy of them here went stale).
    pub component: ComponentId,
    /// Repair crews shared by the copies (None: each copy has its own).
    pub crews: Option<u64>,
    pub common_cause: Option<CommonCause>,
}

/// Common cause among copies.
#[derive(Debug, Clone, PartialEq)]
pub enum CommonCause {
    /// Beta factor, `repair: together`: a fraction `beta` of each copy's failure rate is one
    /// shared event that takes every copy down, repaired in the component's mttr.
    Together { beta: Probability },
    /// Events that take given sets of copies down, each copy then repaired on its own:
    /// `multipliers[j - 1]` x lambda is the rate of the event on one given set of j copies
    /// (`repair: each` of a beta factor, MGL, alpha factors).
    Each { multipliers: Vec<f64> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StandbyMode {
    /// Spares do not fail.
    Cold,
    /// Spares fail at `spare_factor` x the active rate.
    Warm,
    /// Spares fail at the full rate.
    Hot,
}

impl StandbyMode {
    pub fn name(self) -> &'static str {
        match self {
            StandbyMode::Cold => "cold",
            StandbyMode::Warm => "warm",
            StandbyMode::Hot => "hot",
        }
    }
}

/// `standby`, every default applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Standby {
    /// The component (with rates, read from it when the chain is built).
    pub component: ComponentId,
    /// Units, active and spare.
    pub n: u64,
    pub active: u64,
    pub mode: StandbyMode,
    /// Failure rate of a spare relative to an active unit: 0 cold, `spare_factor` warm, 1 hot.
    pub spare_factor: f64,
    /// Mean automatic switchover time, hours (0: instantaneous).
    pub switchover_hours: f64,
    /// The law of the automatic switchover when it is not exponential (`switchover: { dist:
    /// fixed, value: 30s }`): the analysis uses its mean, the simulation draws it.
    pub switchover_law: Option<super::Law>,
    pub coverage: Probability,
    /// Mean manual switchover time, hours (used when coverage < 1).
    pub manual_switchover_hours: f64,
    pub crews: u64,
}

/// An explicit chain: states, which are up, transitions with rates per hour (duplicates add).
#[derive(Debug, Clone, PartialEq)]
pub struct MarkovChain {
    pub states: Vec<String>,
    pub up: Vec<bool>,
    pub transitions: Vec<(usize, usize, f64)>,
    /// The fraction of requests served in each state (`serves:`; 1 in up states and 0 in
    /// the others by default).
    pub serves: Vec<f64>,
}

/// A network block: its graph and the block that each link is up with.
#[derive(Debug, Clone)]
pub struct Network {
    pub graph: Graph,
    /// Link i is up when `links[i]` is.
    pub links: Vec<Block>,
}

/// A network's shape: terminals and links between numbered nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    /// Node names, numbered by first appearance (terminals first).
    pub nodes: Vec<String>,
    pub source: u32,
    pub target: u32,
    pub links: Vec<(u32, u32)>,
    pub directed: bool,
}

impl Graph {
    /// Whether the target is reachable from the source using the links that are `up`
    /// (the structure function of the network), by breadth-first search.
    pub fn reaches(&self, up: impl Fn(usize) -> bool) -> bool {
        let mut seen = vec![false; self.nodes.len()];
        let mut todo = vec![self.source as usize];
        seen[self.source as usize] = true;
        while let Some(x) = todo.pop() {
            if x == self.target as usize {
                return true;
            }
            for (i, &(a, b)) in self.links.iter().enumerate() {
                if !up(i) {
                    continue;
                }
                let (a, b) = (a as usize, b as usize);
                for (from, to) in [(a, b), (b, a)] {
                    if from == x && !seen[to] && (from == a || !self.directed) {
                        seen[to] = true;
                        todo.push(to);
                    }
                }
            }
        }
        false
    }

    /// [`Graph::reaches`] with the links up whose bits are set in `up` (at most 32 links).
    pub fn connected(&self, up: u32) -> bool {
        self.reaches(|i| i < 32 && up >> i & 1 == 1)
    }
}

impl Block {
    /// Calls `f` on this block and every block inside it, without following named blocks
    /// (iterative, so deep nesting cannot exhaust the stack).
    pub fn visit<'a>(&'a self, f: &mut impl FnMut(&'a Block)) {
        let mut todo = vec![self];
        while let Some(b) = todo.pop() {
            f(b);
            match &b.kind {
                BlockKind::Series(list) | BlockKind::KofN { members: list, .. } => {
                    todo.extend(list.iter().rev())
                }
                BlockKind::Copies { of, .. } => todo.push(of),
                BlockKind::Capacity { inner, .. } => todo.push(inner),
                BlockKind::Network(n) => todo.extend(n.links.iter().rev()),
                BlockKind::Component(_)
                | BlockKind::Named(_)
                | BlockKind::SharedCopies(_)
                | BlockKind::Standby(_)
                | BlockKind::Markov(_) => {}
            }
        }
    }
}
