//! Standby redundancy, exactly as docs/format.md's "Markov semantics" defines it: N units, K
//! active, C crews, spares failing at phi x lambda, and switchover phases. A state is (failed
//! units, phase); the states unreachable from (0, run) are left out.

use super::StateNames;
use crate::compile::ctmc::Ctmc;
use crate::probability::Probability;

/// The parameters of a standby chain, rates per hour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    pub n: u64,
    pub active: u64,
    pub crews: u64,
    /// Failure rate of a spare relative to an active unit.
    pub phi: f64,
    pub lambda: f64,
    pub mu: f64,
    /// Mean automatic switchover time in hours; 0 means instantaneous.
    pub switchover: f64,
    pub coverage: Probability,
    /// Mean manual switchover time in hours (used when coverage < 1).
    pub manual: f64,
}

/// A phase of a standby block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Run,
    Auto,
    Manual,
}

/// The number of states the chain has (those reachable from (0, run)), without building it:
/// every (f, run) for f = 0..n; and when there is a spare to switch to (n > k), each
/// switchover phase that can happen holds f = 0..n-k (entered at f = 1..n-k after a
/// failure, and repairs during the switchover lower f down to 0).
pub fn state_count(p: &Params) -> u64 {
    let run = p.n + 1;
    if p.n <= p.active {
        return run;
    }
    let phase = p.n - p.active + 1;
    let auto = p.switchover > 0.0 && p.coverage.p > 0.0;
    let manual = p.coverage.q > 0.0;
    run + phase * (auto as u64 + manual as u64)
}

pub fn build(p: &Params) -> (Ctmc, StateNames) {
    let Params {
        n,
        active,
        crews,
        phi,
        lambda,
        mu,
        switchover,
        coverage,
        manual,
    } = *p;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The count without building equals the built chain's, over every shape of small block.
    #[test]
    fn state_count_matches_the_built_chain() {
        for n in 1..7u64 {
            for active in 1..=n {
                for crews in [1, n] {
                    for switchover in [0.0, 0.1] {
                        for coverage in [
                            Probability::ONE,
                            Probability { p: 0.9, q: 0.1 },
                            Probability::ZERO,
                        ] {
                            for phi in [0.0, 0.5] {
                                let p = Params {
                                    n,
                                    active,
                                    crews,
                                    phi,
                                    lambda: 0.01,
                                    mu: 1.0,
                                    switchover,
                                    coverage,
                                    manual: 0.5,
                                };
                                let (chain, _) = build(&p);
                                assert_eq!(state_count(&p), chain.states() as u64, "{p:?}");
                            }
                        }
                    }
                }
            }
        }
    }
}
