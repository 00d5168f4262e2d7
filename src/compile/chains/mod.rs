//! Dependent blocks to continuous-time Markov chains, exactly as docs/format.md defines them,
//! one file per kind of chain: [`crews`] (shared repair), [`standby`] and [`explicit`]
//! (`markov` as written).
//!
//! Identical copies are aggregated by symmetry: a shared-repair group is the number of failed
//! copies (n + 1 states, not 2^n), a standby block the number of failed units and the
//! switchover phase. A chain beyond the state limit is refused before it is built.

pub mod crews;
pub mod explicit;
pub mod standby;

use super::ctmc::Ctmc;
use crate::model::MarkovChain;

/// The parameters of a chain, kept so that it can be rebuilt with another failure rate
/// (for importance and sensitivity).
#[derive(Debug, Clone, PartialEq)]
pub enum ChainSpec {
    /// N copies, up while at least K work, C repair crews (first come first served).
    Crews {
        n: u64,
        k: u64,
        crews: u64,
        lambda: f64,
        mu: f64,
    },
    /// N units, K active, C crews, spares failing at phi x lambda, switchover phases.
    Standby(standby::Params),
    /// N copies, up while at least K work, C crews, with common-cause events that take
    /// several copies down, each then repaired on its own (`repair: each`, MGL, alpha).
    CommonCause(crews::CommonCauseChain),
    /// A chain as written.
    Explicit(MarkovChain),
}

impl ChainSpec {
    pub fn kind(&self) -> &'static str {
        match self {
            ChainSpec::Crews { .. } => "shared repair",
            ChainSpec::Standby(_) => "standby",
            ChainSpec::CommonCause(_) => "common cause",
            ChainSpec::Explicit(_) => "markov",
        }
    }

    /// Number of states, known before building.
    pub fn state_count(&self) -> u64 {
        match self {
            ChainSpec::Crews { n, .. } => n + 1,
            ChainSpec::Standby(p) => standby::state_count(p),
            ChainSpec::CommonCause(c) => c.n + 1,
            ChainSpec::Explicit(m) => m.states.len() as u64,
        }
    }

    /// The rates of the replicated component, None for an explicit chain.
    pub fn rates(&self) -> Option<(f64, f64)> {
        match self {
            ChainSpec::Crews { lambda, mu, .. } => Some((*lambda, *mu)),
            ChainSpec::Standby(p) => Some((p.lambda, p.mu)),
            ChainSpec::CommonCause(c) => Some((c.lambda, c.mu)),
            ChainSpec::Explicit(_) => None,
        }
    }

    pub fn lambda(&self) -> Option<f64> {
        self.rates().map(|(l, _)| l)
    }

    /// Copies of the component in one use of the block (0 for an explicit chain).
    pub fn units(&self) -> u64 {
        match self {
            ChainSpec::Crews { n, .. } => *n,
            ChainSpec::Standby(p) => p.n,
            ChainSpec::CommonCause(c) => c.n,
            ChainSpec::Explicit(_) => 0,
        }
    }

    /// The same chain with both rates of the replicated component replaced (an explicit
    /// chain is returned unchanged).
    pub fn with_rates(&self, new_lambda: f64, new_mu: f64) -> ChainSpec {
        let mut s = self.clone();
        match &mut s {
            ChainSpec::Crews { lambda, mu, .. } => {
                *lambda = new_lambda;
                *mu = new_mu;
            }
            ChainSpec::Standby(p) => {
                p.lambda = new_lambda;
                p.mu = new_mu;
            }
            ChainSpec::CommonCause(c) => {
                c.lambda = new_lambda;
                c.mu = new_mu;
            }
            ChainSpec::Explicit(_) => {}
        }
        s
    }

    /// The same chain with the replicated component's failure rate replaced.
    pub fn with_lambda(&self, new: f64) -> ChainSpec {
        match self.rates() {
            Some((_, mu)) => self.with_rates(new, mu),
            None => self.clone(),
        }
    }

    /// Builds the generator; returns it with a name for each state.
    pub fn build(&self) -> (Ctmc, StateNames) {
        match self {
            ChainSpec::Crews {
                n,
                k,
                crews,
                lambda,
                mu,
            } => crews::build(*n, *k, *crews, *lambda, *mu),
            ChainSpec::Standby(p) => standby::build(p),
            ChainSpec::CommonCause(c) => c.build(),
            ChainSpec::Explicit(m) => explicit::build(m),
        }
    }
}

/// Names of a chain's states, made on demand (a shared-repair chain may have a million).
#[derive(Debug, Clone, PartialEq)]
pub enum StateNames {
    /// State i is "i failed".
    Failed,
    /// Names, and for generated chains a (column, row) place for each state in a diagram.
    Listed {
        names: Vec<String>,
        grid: Option<Vec<(usize, usize)>>,
    },
}

impl StateNames {
    pub fn name(&self, i: usize) -> String {
        match self {
            StateNames::Failed => format!("{i} failed"),
            StateNames::Listed { names, .. } => names[i].clone(),
        }
    }

    /// (column, row) of state `i` in a diagram, for chains with a natural layout.
    pub fn grid(&self, i: usize) -> Option<(usize, usize)> {
        match self {
            StateNames::Failed => Some((i, 0)),
            StateNames::Listed { grid, .. } => grid.as_ref().map(|g| g[i]),
        }
    }
}
