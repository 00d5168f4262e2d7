//! Gauss-Seidel for large chains without exploitable structure.
//!
//! pi_j <- (sum_i pi_i q_ij) / q_j, in place, then normalise. It stops when the relative
//! residual ||pi Q||_inf / max_i pi_i q_i reaches the tolerance. It also watches progress: a
//! small residual is not proof of a right answer on a nearly decomposable chain, and an
//! iteration whose residual stops falling is reported as not converged rather than returned.

use super::{SolveError, SolverOptions};
use crate::compile::ctmc::{Ctmc, Incoming};

/// Sweeps between residual checks while the iterates still move a lot.
const CHECK_EVERY: usize = 20;

/// Sweeps over which the residual must at least halve.
const PROGRESS_WINDOW: usize = 400;

/// The residual is checked every other sweep once no state's outflow changes by more than
/// this many times the tolerance (relative to the largest outflow) in a sweep: the residual
/// is then near the tolerance, and a check costs about a sweep. (A relative change of each
/// probability would wait for states of probability 1e-60 to settle.)
const CHANGE_BEFORE_CHECK: f64 = 100.0;

/// One Gauss-Seidel sweep in place, pi_j <- (sum_i pi_i q_ij) / q_j for j in order, without
/// normalising; returns the largest change of a state's outflow relative to the largest
/// outflow (what the residual would be, were the others not updated too).
pub(super) fn sweep(pi: &mut [f64], inc: &Incoming, exit: &[f64]) -> f64 {
    sweep_in(pi, inc, exit, false)
}

/// A sweep in increasing or, `downward`, in decreasing order of the states.
fn sweep_in(pi: &mut [f64], inc: &Incoming, exit: &[f64], downward: bool) -> f64 {
    let (mut change, mut flux): (f64, f64) = (0.0, 0.0);
    let mut update = |j: usize, pi: &mut [f64]| {
        let r = inc.start[j]..inc.start[j + 1];
        let inflow: f64 = inc.from[r.clone()]
            .iter()
            .zip(&inc.rate[r])
            .map(|(&i, &q)| pi[i as usize] * q)
            .sum();
        // The outflow balanced against the inflow: its change is this state's residual.
        change = change.max((inflow - pi[j] * exit[j]).abs());
        flux = flux.max(inflow);
        pi[j] = inflow / exit[j];
    };
    if downward {
        for j in (0..pi.len()).rev() {
            update(j, pi);
        }
    } else {
        for j in 0..pi.len() {
            update(j, pi);
        }
    }
    change / flux
}

/// Whether to sweep from the last state down: when more of the chain's rate flows from higher
/// to lower states than the other way, a downward sweep uses the new values of the larger
/// inflows. (20 components with one priority crew, numbered by their failed set: 28 sweeps
/// instead of 42.)
fn downward(inc: &Incoming) -> bool {
    let (mut down, mut up) = (0.0, 0.0);
    for j in 0..inc.start.len() - 1 {
        for k in inc.start[j]..inc.start[j + 1] {
            if inc.from[k] as usize > j {
                down += inc.rate[k];
            } else {
                up += inc.rate[k];
            }
        }
    }
    down > up
}

#[cfg(test)]
pub fn solve(
    c: &Ctmc,
    inc: &Incoming,
    opts: &SolverOptions,
) -> Result<(Vec<f64>, usize), SolveError> {
    solve_from(c, inc, opts, None)
}

/// As [`solve`], starting from `start` (a guess of the distribution, such as the steady
/// state of a nearby chain) instead of the uniform distribution: the stopping tests are the
/// same, only the number of sweeps changes.
pub fn solve_from(
    c: &Ctmc,
    inc: &Incoming,
    opts: &SolverOptions,
    start: Option<&[f64]>,
) -> Result<(Vec<f64>, usize), SolveError> {
    let n = c.states();
    let exit = c.exit_rates();
    let mut pi = match start {
        Some(s) if s.len() == n && s.iter().all(|x| x.is_finite() && *x > 0.0) => s.to_vec(),
        _ => vec![1.0 / n as f64; n],
    };
    // (sweep, residual) at each check, to judge progress.
    let mut history: Vec<(usize, f64)> = Vec::new();
    let mut progress = crate::progress::start("Gauss-Seidel sweeps", opts.max_sweeps as u64);
    let downward = downward(inc);
    for sweep in 1..=opts.max_sweeps {
        progress.set(sweep as u64);
        // The largest change of an outflow in a sweep is free to track; the residual (a sweep's
        // worth of work) is computed once the changes are small, and periodically.
        let change = sweep_in(&mut pi, inc, &exit, downward);
        let total: f64 = pi.iter().sum();
        pi.iter_mut().for_each(|p| *p /= total);
        if (change < CHANGE_BEFORE_CHECK * opts.tolerance && sweep % 2 == 0)
            || sweep % CHECK_EVERY == 0
        {
            let res = relative_residual(c, &pi, &exit);
            if res <= opts.tolerance {
                return Ok((pi, sweep));
            }
            if let Some(&(_, before)) = history
                .iter()
                .rev()
                .find(|(s, _)| sweep - s >= PROGRESS_WINDOW)
                && res > 0.5 * before
            {
                return Err(SolveError::NoConvergence {
                    sweeps: sweep,
                    relative_residual: res,
                });
            }
            history.push((sweep, res));
        }
    }
    Err(SolveError::NoConvergence {
        sweeps: opts.max_sweeps,
        relative_residual: relative_residual(c, &pi, &exit),
    })
}

pub(super) fn relative_residual(c: &Ctmc, pi: &[f64], exit: &[f64]) -> f64 {
    let n = c.states();
    let mut flow = vec![0.0; n];
    let mut max_flux: f64 = 0.0;
    for i in 0..n {
        let out = pi[i] * exit[i];
        max_flux = max_flux.max(out);
        flow[i] -= out;
        for (j, r) in c.out(i) {
            flow[j] += pi[i] * r;
        }
    }
    flow.iter().fold(0.0f64, |m, x| m.max(x.abs())) / max_flux
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ten components with one priority crew (1,024 states, numbered by the set failed):
    /// repairs flow down, so the sweeps go down; numbered the other way round they go up.
    /// Both equal dense GTH.
    #[test]
    fn sweeps_follow_the_larger_flow_and_agree_with_gth() {
        let m = 10;
        let n = 1usize << m;
        let mut t = Vec::new();
        for s in 0..n {
            for i in 0..m {
                if s >> i & 1 == 0 {
                    t.push((s, s | 1 << i, 1.0 / (1000.0 + 200.0 * i as f64)));
                }
            }
            if s != 0 {
                let i = s.trailing_zeros() as usize;
                t.push((s, s & !(1 << i), 1.0 / (4.0 + i as f64)));
            }
        }
        let up: Vec<bool> = (0..n).map(|s: usize| s.count_ones() <= 2).collect();
        let forward = Ctmc::new(n, t.iter().copied(), up.clone());
        let flipped = Ctmc::new(
            n,
            t.iter().map(|&(a, b, r)| (n - 1 - a, n - 1 - b, r)),
            (0..n).map(|s| up[n - 1 - s]).collect(),
        );
        let opts = SolverOptions::default();
        let dense = super::super::gth::solve(&forward);
        for (c, down, flip) in [(&forward, true, false), (&flipped, false, true)] {
            let inc = c.incoming();
            assert_eq!(downward(&inc), down);
            let (pi, _) = solve(c, &inc, &opts).unwrap();
            let at = |s: usize| pi[if flip { n - 1 - s } else { s }];
            // Every state to 1e-12 of the largest probability, U to 1e-10 relative.
            for (s, &want) in dense.iter().enumerate() {
                assert!(
                    (at(s) - want).abs() <= 1e-12 * dense[0],
                    "state {s}: {} vs {want}",
                    at(s)
                );
            }
            let u = |p: &dyn Fn(usize) -> f64| (0..n).filter(|&s| !up[s]).map(p).sum::<f64>();
            let (got, want) = (u(&at), u(&|s| dense[s]));
            assert!(((got - want) / want).abs() < 1e-10, "U {got} vs {want}");
        }
    }
}
