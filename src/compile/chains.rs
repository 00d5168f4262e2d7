//! Dependent blocks to continuous-time Markov chains, exactly as the format defines them.
//!
//! Identical copies are aggregated by symmetry: a shared-repair group is the number of failed
//! copies (n + 1 states, not 2^n), a standby block the number of failed units and the
//! switchover phase. A chain beyond the state limit is refused before it is built.

use crate::parse::quantity::Probability;
use crate::solve::ctmc::Ctmc;

/// The parameters of a chain, kept so that it can be rebuilt with another failure rate
/// (for importance by differentiation).
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
    Standby {
        n: u64,
        active: u64,
        crews: u64,
        phi: f64,
        lambda: f64,
        mu: f64,
        /// Mean automatic switchover time in hours; 0 means instantaneous.
        switchover: f64,
        coverage: Probability,
        /// Mean manual switchover time in hours (required when coverage < 1).
        manual: f64,
    },
    /// A chain as written: state names, up flags, transitions (from, to, rate per hour).
    Explicit {
        states: Vec<String>,
        up: Vec<bool>,
        transitions: Vec<(usize, usize, f64)>,
    },
}

/// A phase of a standby block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Run,
    Auto,
    Manual,
}

impl ChainSpec {
    pub fn kind(&self) -> &'static str {
        match self {
            ChainSpec::Crews { .. } => "shared repair",
            ChainSpec::Standby { .. } => "standby",
            ChainSpec::Explicit { .. } => "markov",
        }
    }

    /// Number of states before building (standby: an upper bound).
    pub fn state_count(&self) -> u64 {
        match self {
            ChainSpec::Crews { n, .. } => n + 1,
            ChainSpec::Standby { n, .. } => 3 * (n + 1),
            ChainSpec::Explicit { states, .. } => states.len() as u64,
        }
    }

    /// The same chain with the replicated component's failure rate replaced.
    pub fn with_lambda(&self, new: f64) -> ChainSpec {
        let mut s = self.clone();
        match &mut s {
            ChainSpec::Crews { lambda, .. } | ChainSpec::Standby { lambda, .. } => *lambda = new,
            ChainSpec::Explicit { .. } => {}
        }
        s
    }

    /// The same chain with both rates of the replicated component replaced.
    pub fn with_rates(&self, new_lambda: f64, new_mu: f64) -> ChainSpec {
        let mut s = self.clone();
        match &mut s {
            ChainSpec::Crews { lambda, mu, .. } | ChainSpec::Standby { lambda, mu, .. } => {
                *lambda = new_lambda;
                *mu = new_mu;
            }
            ChainSpec::Explicit { .. } => {}
        }
        s
    }

    pub fn lambda(&self) -> Option<f64> {
        match self {
            ChainSpec::Crews { lambda, .. } | ChainSpec::Standby { lambda, .. } => Some(*lambda),
            ChainSpec::Explicit { .. } => None,
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
            } => {
                let n = *n as usize;
                let t = (0..=n).flat_map(|f| {
                    let fail = (f < n).then(|| (f, f + 1, (n - f) as f64 * lambda));
                    let repair = (f > 0).then(|| (f, f - 1, f.min(*crews as usize) as f64 * mu));
                    fail.into_iter().chain(repair)
                });
                let up = (0..=n).map(|f| (n - f) as u64 >= *k).collect();
                (Ctmc::new(n + 1, t, up), StateNames::Failed)
            }
            ChainSpec::Standby { .. } => self.standby(),
            ChainSpec::Explicit {
                states,
                up,
                transitions,
            } => (
                Ctmc::new(states.len(), transitions.iter().copied(), up.clone()),
                StateNames::Listed {
                    names: states.clone(),
                    grid: None,
                },
            ),
        }
    }

    /// The standby chain of the format's "Markov semantics", states (failed, phase), with the
    /// states unreachable from (0, run) left out.
    fn standby(&self) -> (Ctmc, StateNames) {
        let ChainSpec::Standby {
            n,
            active,
            crews,
            phi,
            lambda,
            mu,
            switchover,
            coverage,
            manual,
        } = *self
        else {
            unreachable!("called for standby specs")
        };
        let (n, k, c) = (n as usize, active as usize, crews as usize);
        let index = |f: usize, p: Phase| 3 * f + p as usize;
        let mut t: Vec<(usize, usize, f64)> = Vec::new();
        for f in 0..=n {
            let s = index(f, Phase::Run);
            let repair = f.min(c) as f64 * mu;
            if n - f >= k {
                let spares = n - f - k;
                if spares > 0 && phi > 0.0 {
                    t.push((s, index(f + 1, Phase::Run), spares as f64 * phi * lambda));
                }
                let act = k as f64 * lambda;
                if n - (f + 1) >= k {
                    // A spare is left: switch over, automatically or by hand.
                    let covered = act * coverage.p;
                    if switchover > 0.0 {
                        t.push((s, index(f + 1, Phase::Auto), covered));
                    } else {
                        t.push((s, index(f + 1, Phase::Run), covered));
                    }
                    if coverage.q > 0.0 {
                        t.push((s, index(f + 1, Phase::Manual), act * coverage.q));
                    }
                } else {
                    t.push((s, index(f + 1, Phase::Run), act));
                }
            } else if n - f > 0 {
                // Fewer than K work: the survivors run and fail at lambda.
                t.push((s, index(f + 1, Phase::Run), (n - f) as f64 * lambda));
            }
            if f > 0 {
                t.push((s, index(f - 1, Phase::Run), repair));
            }
            // Switchover phases: no failures; repairs go on without ending the switchover.
            for (phase, time) in [(Phase::Auto, switchover), (Phase::Manual, manual)] {
                let s = index(f, phase);
                if time > 0.0 {
                    t.push((s, index(f, Phase::Run), 1.0 / time));
                }
                if f > 0 {
                    t.push((s, index(f - 1, phase), repair));
                }
            }
        }
        // Keep the states reachable from (0, run), which is state 0.
        let total = 3 * (n + 1);
        let all = Ctmc::new(total, t, vec![false; total]);
        let seen = all.reachable(index(0, Phase::Run));
        let kept: Vec<usize> = (0..total).filter(|&s| seen[s]).collect();
        let up = kept
            .iter()
            .map(|&s| s % 3 == Phase::Run as usize && n - s / 3 >= k)
            .collect();
        let names = kept
            .iter()
            .map(|&s| {
                let phase = match s % 3 {
                    0 => "running",
                    1 => "switching over",
                    _ => "manual switchover",
                };
                format!("{} failed, {phase}", s / 3)
            })
            .collect();
        // Failed units across, phase down: the diagram's grid.
        let grid = kept.iter().map(|&s| (s / 3, s % 3)).collect();
        let mut chain = all.permuted_subset(&kept);
        chain.up = up;
        (
            chain,
            StateNames::Listed {
                names,
                grid: Some(grid),
            },
        )
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
