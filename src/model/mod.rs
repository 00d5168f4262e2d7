//! The model as validation leaves it: resolved, typed and complete.
//!
//! Everything after validation reads only this. Every value a stage needs is here with its
//! default applied (no `Option` where a value is required), names are resolved to ids
//! ([`ComponentId`], [`BlockId`]), modes and kinds are enums, and the named blocks come with
//! an order in which each follows the blocks it uses. A block kind is one variant of
//! [`BlockKind`]; every `match` on it is exhaustive, so adding a variant makes the compiler
//! list each place that must handle it (docs/architecture.md walks through them).

mod block;
mod law;

pub use block::{
    Block, BlockKind, CapacityRule, CommonCause, Graph, MarkovChain, Network, SharedCopies,
    Standby, StandbyMode,
};
pub use law::{EF_Z, Law, ParamDist, Uncertain};

use crate::diagnostics::Pos;
use crate::probability::Probability;

/// Index into [`Model::components`].
pub type ComponentId = usize;
/// Index into [`Model::blocks`].
pub type BlockId = usize;

/// Default period for downtime and failure counts: one year of 365 days, in hours.
pub const DEFAULT_HORIZON_HOURS: f64 = 8760.0;

/// A validated model.
#[derive(Debug, Clone)]
pub struct Model {
    pub name: String,
    pub description: Option<String>,
    pub horizon_hours: f64,
    pub targets: Targets,
    /// Components in declaration order (those that failed validation are not here, and then
    /// there is no model at all).
    pub components: Vec<Component>,
    /// Named blocks in declaration order.
    pub blocks: Vec<NamedBlock>,
    /// The named blocks ordered so that each comes after every named block it uses.
    pub block_order: Vec<BlockId>,
    pub system: Block,
    /// Repair teams shared across components (`teams:`).
    pub teams: Vec<Team>,
    /// What the system promises to others (`slo:`), and where it is written.
    pub slo: Option<(Probability, Pos)>,
    /// The names of the file's variants (`variants:`), in the order written.
    pub variants: Vec<String>,
    /// Data sets (`data:`), for durability.
    pub data: Vec<DataSet>,
}

/// A data set: the chain of its copies until the data is lost, and its backups.
#[derive(Debug, Clone)]
pub struct DataSet {
    pub name: String,
    pub pos: Pos,
    /// Starts in state 0; the data is lost on reaching an absorbing state.
    pub chain: LossChain,
    pub backups: Option<Backups>,
    /// The component the replicas live on (None for an explicit chain).
    pub component: Option<ComponentId>,
}

/// A chain that ends in data loss.
#[derive(Debug, Clone, PartialEq)]
pub struct LossChain {
    pub states: Vec<String>,
    pub transitions: Vec<(usize, usize, f64)>,
    pub absorbing: Vec<bool>,
    /// For `replicas`: the rates up (another copy lost) and down (a copy rebuilt) from each
    /// count of lost copies, for the birth-death closed forms.
    pub birth_death: Option<(Vec<f64>, Vec<f64>)>,
}

/// Periodic backups of a data set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backups {
    /// Hours between backups.
    pub every: f64,
    /// Hours to restore from one.
    pub restore: f64,
    /// Probability that a backup is unusable.
    pub fails: Probability,
    /// Backups kept.
    pub keep: u64,
}

/// Index into [`Model::teams`].
pub type TeamId = usize;

/// A repair team: `size` repairers for every copy of its components.
#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    pub name: String,
    pub pos: Pos,
    pub size: u64,
    pub discipline: Discipline,
    /// Its components, most important first: those listed under `priority`, then the rest
    /// in the order of the file.
    pub order: Vec<ComponentId>,
}

/// How a team's repairers are assigned to failed units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discipline {
    /// Preemptive priority by component; a component's repairers shared equally among its
    /// failed copies.
    Priority,
    /// Every failed unit gets an equal share of the repairers (at most one each).
    Shared,
}

impl Discipline {
    pub fn name(self) -> &'static str {
        match self {
            Discipline::Priority => "priority",
            Discipline::Shared => "shared",
        }
    }
}

/// Targets that `hacalc check` gates on.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Targets {
    pub availability: Option<Probability>,
    pub downtime_hours: Option<f64>,
    /// The expected fraction of requests served must be at least this (`served:`).
    pub served: Option<Probability>,
    /// Each data set's probability of no unrecoverable loss in a year (`durability:`).
    pub durability: Option<Probability>,
}

/// Failure and repair rates of a component, per hour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rates {
    /// lambda = 1 / mtbf
    pub failure: f64,
    /// mu = 1 / mttr
    pub repair: f64,
}

impl Rates {
    pub fn mtbf(&self) -> f64 {
        1.0 / self.failure
    }
    pub fn mttr(&self) -> f64 {
        1.0 / self.repair
    }
}

/// A two-state component: its steady-state availability (A and U each computed directly) and
/// its rates unless it is static.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    pub name: String,
    /// Where it is declared (its name).
    pub pos: Pos,
    pub description: Option<String>,
    pub avail: Probability,
    /// None for a static component (`availability` alone): frequency and MTBF are unknown.
    pub rates: Option<Rates>,
    /// Each parameter as written: its key and where its value is in the source.
    pub written: Vec<(&'static str, Pos)>,
    /// One instance wherever it is used (`shared: true`), instead of independent copies.
    pub shared: bool,
    /// The repair team of every copy (None: each copy repaired on its own).
    pub team: Option<TeamId>,
    /// The relative cost of improving it (`cost:`), for allocations.
    pub cost: Option<f64>,
    /// The laws of its up and down times when written (`time_to_failure`,
    /// `time_to_repair`); None: exponential with the mean of `rates`.
    pub failure_law: Option<Law>,
    pub repair_law: Option<Law>,
    /// Parameters written as distributions (`--uncertainty` samples them; elsewhere their
    /// nominal values stand).
    pub uncertain: Vec<Uncertain>,
    /// Planned maintenance of every copy (`maintenance:`).
    pub maintenance: Option<Maintenance>,
}

/// Planned maintenance: each copy out of service for `duration` hours every `every` hours,
/// all copies at once or (`staggered`) one after another. Failures and repairs run on their
/// own clocks, whatever the schedule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Maintenance {
    pub every: f64,
    pub duration: f64,
    pub staggered: bool,
    pub pos: Pos,
}

impl Maintenance {
    /// The share of the time a copy is in maintenance.
    pub fn share(&self) -> f64 {
        self.duration / self.every
    }
}

impl Component {
    /// The same component with some parameters set to other values (in their natural
    /// units: hours, per hour, or U for `availability`), its A, U and rates recomputed as
    /// validation computes them from the written parameters.
    pub fn with_values(&self, values: &[(&str, f64)]) -> Component {
        let mut up = self.rates.map(|r| 1.0 / r.failure);
        let mut down = self.rates.map(|r| 1.0 / r.repair);
        let mut rate = self.rates.map(|r| r.failure);
        let mut q = self.avail.q;
        for &(key, v) in values {
            match key {
                "mtbf" => (up, rate) = (Some(v), Some(1.0 / v)),
                "failure_rate" => (up, rate) = (Some(1.0 / v), Some(v)),
                "mttr" => down = Some(v),
                "repair_rate" => down = Some(1.0 / v),
                _ => q = v,
            }
        }
        let mut c = self.clone();
        let from_availability = self.written.iter().any(|(k, _)| *k == "availability");
        match (from_availability, down) {
            (true, None) => c.avail = Probability { p: 1.0 - q, q },
            (true, Some(down)) => {
                // The mtbf a drawn U implies is kept in the range validation asks of a
                // written model: U near 1 would give an mtbf below a nanosecond (at U = 1, an
                // infinite failure rate), U near 0 one past a billion years (at 1e-300, a
                // chain no solver can balance). A at the upper cut is computed apart: 1 - q
                // rounds to 0 when mttr / 1 ns passes 2^53 (an mttr of a year).
                use crate::parse::quantity::{MAX_DURATION_HOURS, MIN_DURATION_HOURS};
                let (min, max) = (MIN_DURATION_HOURS, MAX_DURATION_HOURS);
                let q = q.max(down / (down + max));
                c.avail = if q >= down / (down + min) {
                    Probability {
                        p: min / (down + min),
                        q: down / (down + min),
                    }
                } else {
                    Probability { p: 1.0 - q, q }
                };
                c.rates = Some(Rates {
                    failure: c.avail.q / (c.avail.p * down),
                    repair: 1.0 / down,
                });
            }
            (false, Some(down)) => {
                let written_rate = self.written.iter().any(|(k, _)| *k == "failure_rate");
                let (lambda, up) = (rate.unwrap_or(0.0), up.unwrap_or(f64::INFINITY));
                // As validation does: 1/(1 + λ·mttr) for a written rate, mtbf/(mtbf + mttr)
                // for a written mean, so that nominal values give the same bits.
                c.avail = if written_rate {
                    let x = lambda * down;
                    Probability {
                        p: 1.0 / (1.0 + x),
                        q: x / (1.0 + x),
                    }
                } else {
                    Probability {
                        p: up / (up + down),
                        q: down / (up + down),
                    }
                };
                c.rates = Some(Rates {
                    failure: if written_rate { lambda } else { 1.0 / up },
                    repair: 1.0 / down,
                });
            }
            (false, None) => {}
        }
        c
    }

    /// Up-to-down transitions per hour: A x lambda, which is U x mu (None for a static
    /// component). The form with the smaller probability is taken: near A = 0 (which
    /// `--uncertainty` may draw) lambda is huge and A tiny, and at A = 0 with an infinite
    /// lambda A x lambda is 0 x inf = NaN, while U x mu is mu, the limit (a repair, then an
    /// instant failure).
    pub fn frequency(&self) -> Option<f64> {
        self.rates.map(|r| {
            if self.avail.p < self.avail.q {
                self.avail.q * r.repair
            } else {
                self.avail.p * r.failure
            }
        })
    }
}

/// A named sub-diagram.
#[derive(Debug, Clone)]
pub struct NamedBlock {
    pub name: String,
    /// Where it is declared (its name).
    pub pos: Pos,
    pub block: Block,
    /// One instance wherever it is used (`shared: true`), instead of independent copies.
    pub shared: bool,
    /// What the block promises to others (`slo:`), and where it is written.
    pub slo: Option<(Probability, Pos)>,
}

impl Model {
    /// The named blocks used by `block`, directly (not through other named blocks).
    pub fn named_blocks_in(block: &Block) -> Vec<BlockId> {
        let mut out = Vec::new();
        block.visit(&mut |b| {
            if let BlockKind::Named(id) = b.kind {
                out.push(id);
            }
        });
        out
    }

    /// Which components and named blocks the system reaches, following named blocks (one
    /// pass over the named blocks, users before what they use).
    pub fn usage(&self) -> (Vec<bool>, Vec<bool>) {
        let mut components = vec![false; self.components.len()];
        let mut blocks = vec![false; self.blocks.len()];
        let mut mark = |b: &Block, blocks: &mut Vec<bool>| {
            b.visit(&mut |x| match &x.kind {
                BlockKind::Component(c) => components[*c] = true,
                BlockKind::Named(i) => blocks[*i] = true,
                BlockKind::SharedCopies(s) => components[s.component] = true,
                BlockKind::Standby(s) => components[s.component] = true,
                BlockKind::Series(_)
                | BlockKind::KofN { .. }
                | BlockKind::Copies { .. }
                | BlockKind::Markov(_)
                | BlockKind::Network(_)
                | BlockKind::Capacity { .. } => {}
            })
        };
        mark(&self.system, &mut blocks);
        for &i in self.block_order.iter().rev() {
            if blocks[i] {
                mark(&self.blocks[i].block, &mut blocks);
            }
        }
        (components, blocks)
    }
}
