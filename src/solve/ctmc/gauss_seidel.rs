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

/// The residual is checked every sweep once no probability moves by more than this many
/// times the tolerance in a sweep (the residual then is near the tolerance).
const CHANGE_BEFORE_CHECK: f64 = 1e5;

/// One Gauss-Seidel sweep in place, pi_j <- (sum_i pi_i q_ij) / q_j for j in order, without
/// normalising; returns the largest relative change of a probability.
pub(super) fn sweep(pi: &mut [f64], inc: &Incoming, exit: &[f64]) -> f64 {
    let mut change: f64 = 0.0;
    for j in 0..pi.len() {
        let r = inc.start[j]..inc.start[j + 1];
        let inflow: f64 = inc.from[r.clone()]
            .iter()
            .zip(&inc.rate[r])
            .map(|(&i, &q)| pi[i as usize] * q)
            .sum();
        let new = inflow / exit[j];
        if new > 0.0 {
            change = change.max(((new - pi[j]) / new).abs());
        }
        pi[j] = new;
    }
    change
}

pub fn solve(
    c: &Ctmc,
    inc: &Incoming,
    opts: &SolverOptions,
) -> Result<(Vec<f64>, usize), SolveError> {
    let n = c.states();
    let exit = c.exit_rates();
    let mut pi = vec![1.0 / n as f64; n];
    // (sweep, residual) at each check, to judge progress.
    let mut history: Vec<(usize, f64)> = Vec::new();
    let mut progress = crate::progress::start("Gauss-Seidel sweeps", opts.max_sweeps as u64);
    for sweep in 1..=opts.max_sweeps {
        progress.set(sweep as u64);
        // The largest relative change of a sweep is free to track; the residual (a sweep's
        // worth of work) is computed once the changes are small, and periodically.
        let mut change = self::sweep(&mut pi, inc, &exit);
        let total: f64 = pi.iter().sum();
        pi.iter_mut().for_each(|p| *p /= total);
        change = change.max((total - 1.0).abs());
        if change < CHANGE_BEFORE_CHECK * opts.tolerance || sweep % CHECK_EVERY == 0 {
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
