//! Transient measures of a chain started in state 0: point availability A(t), reliability
//! R(t) (no failure up to t: down states made absorbing), and the mean time to first failure.
//!
//! Uniformisation: with q at least every exit rate, P = I + Q/q is stochastic and
//! pi(t) = sum_k Poisson(k; qt) pi(0) P^k, a sum of non-negative terms (no cancellation).
//! The Poisson weights below 1e-20 of the largest are left out, so a probability is exact to
//! about 1e-17 absolute: one that far below (reachable only through hundreds of steps within
//! a short time) can come out as 0. Small stiff chains, where q t is large, use scaling and
//! squaring of the uniformised matrix exponential instead (e^{Qt} = (e^{Qh})^{2^s}, again only
//! non-negative sums), whichever costs less. The stepping goes forward through the sorted
//! times, stops at the steady state, and stops at a work budget, with the reason.

use super::{SolverOptions, steady_state};
use crate::compile::ctmc::Ctmc;

/// Chains up to this many states use dense scaling and squaring.
pub const DENSE_TRANSIENT_LIMIT: usize = 400;

/// The uniformisation rate is this much above the largest exit rate, so that every state
/// keeps a positive probability of staying (P = I + Q/q has a positive diagonal), which makes
/// the stepping aperiodic and its sums non-negative.
const UNIFORMISATION_MARGIN: f64 = 1.02;

/// Poisson weights below this fraction of the largest are left out (their sum is below the
/// precision of the result).
const POISSON_EPSILON: f64 = 1e-20;

/// Most expected uniformisation steps (q t) of one stretch: a longer one is stepped in pieces
/// of this length (the Poisson weights of one piece are a few thousand numbers, and the
/// budget and the steady-state test are checked between pieces). Without a steady state to
/// stop at (R(t)) a stretch longer than this is out of reach.
pub const MAX_STEPS: f64 = 5e6;

/// Most multiply-adds of one transient computation (all its time points), counted as they
/// are done, by default (`--max-transient-work`): about three seconds on one core.
pub const MAX_TRANSIENT_WORK: f64 = 1e9;

/// The report's curves are an overview, not a question asked: by default a chain's curve
/// may cost this many multiply-adds per state and transition (a few times its steady
/// state), at least [`CURVE_WORK_FLOOR`] (about half a second: a stiff standby block of a
/// few hundred states needs 1e8 to 2e8 to reach its steady state), or for a chain of more
/// than [`DENSE_TRANSIENT_LIMIT`] states at least [`CURVE_WORK_FLOOR_LARGE`] (such a chain
/// is stepped state by state, and its figure is then "not computed" sooner), and at most
/// [`MAX_TRANSIENT_WORK`].
pub const CURVE_WORK_PER_ENTRY: f64 = 20.0;
pub const CURVE_WORK_FLOOR: f64 = 2e8;
pub const CURVE_WORK_FLOOR_LARGE: f64 = 5e7;

/// The default work budget of a chain's curve in the report.
pub fn curve_budget(c: &Ctmc) -> f64 {
    let floor = if c.states() <= DENSE_TRANSIENT_LIMIT {
        CURVE_WORK_FLOOR
    } else {
        CURVE_WORK_FLOOR_LARGE
    };
    (CURVE_WORK_PER_ENTRY * (c.states() + c.transitions()) as f64).clamp(floor, MAX_TRANSIENT_WORK)
}

#[derive(Debug, Clone, PartialEq)]
pub enum TransientError {
    /// Too stiff for the size of the chain over the time asked.
    OutOfReach { states: usize, steps: f64 },
    /// The initial state is down: the block has failed before it starts.
    StartsDown,
    /// Within reach, but over the work budget.
    TooCostly { states: usize, work: f64 },
}

impl std::fmt::Display for TransientError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TransientError::OutOfReach { states, steps } => write!(
                f,
                "transient out of reach: {states} states would need {steps:.1e} uniformisation steps"
            ),
            TransientError::StartsDown => write!(f, "the chain starts in a down state"),
            TransientError::TooCostly { states, work } => write!(
                f,
                "transient not computed: {states} states need more than {work:.1e} operations, the budget (raise --max-transient-work)"
            ),
        }
    }
}

/// Probability of being up and of being down at each time (hours), starting in state 0.
/// With the chain's steady state `steady`, the stepping stops once every state's probability
/// is within [`STEADY_TOLERANCE`] (relative) of it: the rest of the curve is the steady state.
pub fn availability(
    c: &Ctmc,
    times: &[f64],
    steady: Option<&[f64]>,
    budget: f64,
) -> Result<Vec<(f64, f64)>, TransientError> {
    measures_at(c, times, steady, budget)
}

/// R(t) and 1 - R(t) at each time: the chain with its down states made absorbing.
pub fn reliability(
    c: &Ctmc,
    times: &[f64],
    budget: f64,
) -> Result<Vec<(f64, f64)>, TransientError> {
    if !c.up[0] {
        return Err(TransientError::StartsDown);
    }
    let absorbing = absorbing_down(c);
    measures_at(&absorbing, times, None, budget)
}

/// Mean time to the first failure from state 0, hours.
///
/// Renewal argument: send every down state back to state 0 at rate 1; in the resulting chain
/// a cycle is an up period (mean MTTF) followed by a down period of mean 1, so
/// A = MTTF / (MTTF + 1) and MTTF = A / U, both computed by the steady-state solver (GTH for
/// small chains), with no subtraction.
pub fn mttf(c: &Ctmc, opts: &SolverOptions) -> Result<f64, super::SolveError> {
    match birth_death_mttf(c) {
        Some(t) => Ok(t),
        None => renewal_mttf(c, opts),
    }
}

/// The MTTF by the renewal chain, for any chain.
fn renewal_mttf(c: &Ctmc, opts: &SolverOptions) -> Result<f64, super::SolveError> {
    let n = c.states();
    let mut t = Vec::new();
    for i in 0..n {
        if c.up[i] {
            t.extend(c.out(i).map(|(j, r)| (i, j, r)));
        } else if i != 0 {
            t.push((i, 0, 1.0));
        }
    }
    // Keep what is reachable from 0 (states only reachable through a down state drop out).
    let renewal = Ctmc::new(n, t, c.up.clone());
    let seen = renewal.reachable(0);
    let kept: Vec<usize> = (0..n).filter(|&i| seen[i]).collect();
    if kept.iter().all(|&i| c.up[i]) {
        return Ok(f64::INFINITY);
    }
    let reduced = renewal.permuted_subset(&kept);
    let s = steady_state(&reduced, opts)?;
    Ok(s.measures.avail.p / s.measures.avail.q)
}

/// Mean first-passage time from 0 to m + 1 of a birth-death chain whose up states are 0..=m:
/// the passage from j to j + 1 takes h_j = r_j / lambda_j on average, with r_0 = 1 and
/// r_j = 1 + mu_j r_{j-1} / lambda_{j-1} (lambda up, mu down); a sum of positive terms in
/// O(m), where the renewal argument solves a chain of every state (a million copies with
/// 20,000 crews: 10,001 terms instead of a banded solve of 1,000,001 states). None when the
/// chain is not of that form, or the sum is not finite.
fn birth_death_mttf(c: &Ctmc) -> Option<f64> {
    let n = c.states();
    let m = c.up.iter().position(|&u| !u)?.checked_sub(1)?;
    if c.up[m + 1..].iter().any(|&u| u) || !super::birth_death::applies(c) {
        return None;
    }
    let rate = |i: usize, j: usize| c.out(i).find(|&(k, _)| k == j).map_or(0.0, |(_, r)| r);
    let (mut total, mut r, mut previous_up) = (0.0f64, 0.0f64, 1.0f64);
    for j in 0..=m.min(n - 2) {
        let up = rate(j, j + 1);
        if up <= 0.0 {
            return None;
        }
        let down = if j == 0 { 0.0 } else { rate(j, j - 1) };
        r = 1.0 + down * r / previous_up;
        total += r / up;
        previous_up = up;
    }
    total.is_finite().then_some(total)
}

fn split(c: &Ctmc, pi: &[f64]) -> (f64, f64) {
    let (mut a, mut u) = (0.0, 0.0);
    for (i, &p) in pi.iter().enumerate() {
        if c.up[i] { a += p } else { u += p }
    }
    (a, u)
}

/// The chain with its down states made absorbing.
pub fn absorbing_down(c: &Ctmc) -> Ctmc {
    let t = (0..c.states())
        .filter(|&i| c.up[i])
        .flat_map(|i| c.out(i).map(move |(j, r)| (i, j, r)));
    Ctmc::new(c.states(), t.collect::<Vec<_>>(), c.up.clone())
}

/// (up, down) probability at each time, from state 0, by stepping forward through the times
/// in increasing order: one pass, each stretch by uniformisation on the states that carry
/// probability, or for a small stiff chain by a dense e^{Q dt}. Work is counted as it is
/// done and bounded by `budget` ([`MAX_TRANSIENT_WORK`] by default, `--max-transient-work`).
fn measures_at(
    c: &Ctmc,
    times: &[f64],
    steady: Option<&[f64]>,
    budget: f64,
) -> Result<Vec<(f64, f64)>, TransientError> {
    let q = c.exit_rates().into_iter().fold(0.0f64, f64::max) * UNIFORMISATION_MARGIN;
    let mut order: Vec<usize> = (0..times.len()).collect();
    order.sort_by(|&a, &b| times[a].total_cmp(&times[b]));
    let mut out = vec![(0.0, 0.0); times.len()];
    let mut stepper = Stepper::new(c, q, budget);
    let mut now = 0.0;
    let mut settled = false;
    for &k in &order {
        let t = times[k];
        if !settled && t > now {
            settled = stepper.advance(t - now, steady)?;
            now = t;
        }
        out[k] = match (settled, steady) {
            (true, Some(pi)) => split(c, pi),
            _ => split(c, &stepper.v),
        };
    }
    Ok(out)
}

/// Every state's probability within this relative distance of the steady state ends the
/// stepping. The largest relative distance max |pi_i(t) / pi_i - 1| never grows again (it
/// is a sup norm under the time-reversed chain's semigroup), so every later point is the
/// steady state to this precision.
pub const STEADY_TOLERANCE: f64 = 1e-9;

/// The fixed cost of one stretch of uniformisation, in multiply-adds: its Poisson weights
/// (a logarithm and an exponential per weight), three vectors and the support's bookkeeping,
/// plus what a dense e^{Q dt} saves later (the report's stretches double, so each later one
/// is a single squaring of it). On a chain of a few states this decides: 10,000 standby
/// blocks' curves took 0.95 s of CPU with no overhead counted, 0.62 s at 2,000 and 0.52 s
/// at 20,000 (no better at 10^5 or 10^6).
const STRETCH_OVERHEAD: f64 = 20000.0;

/// Probabilities below this are dropped from the stepping (their total is far below any
/// figure shown).
const NEGLIGIBLE: f64 = 1e-300;

/// A distribution stepped forward in time, on its support: the states with probability.
struct Stepper<'a> {
    c: &'a Ctmc,
    q: f64,
    exit: Vec<f64>,
    v: Vec<f64>,
    active: Vec<u32>,
    is_active: Vec<bool>,
    work: f64,
    budget: f64,
    /// The last two dense e^{Q dt} and their dt, for a later dt that is a doubling of one.
    exponentials: Vec<(f64, Vec<f64>)>,
}

impl<'a> Stepper<'a> {
    fn new(c: &'a Ctmc, q: f64, budget: f64) -> Stepper<'a> {
        let n = c.states();
        let mut v = vec![0.0; n];
        v[0] = 1.0;
        let mut is_active = vec![false; n];
        is_active[0] = true;
        Stepper {
            c,
            q,
            exit: c.exit_rates(),
            v,
            active: vec![0],
            is_active,
            work: 0.0,
            budget,
            exponentials: Vec::new(),
        }
    }

    fn spend(&mut self, ops: f64) -> Result<(), TransientError> {
        self.work += ops;
        if self.work > self.budget {
            return Err(TransientError::TooCostly {
                states: self.c.states(),
                work: self.work,
            });
        }
        Ok(())
    }

    /// v <- v e^{Q dt}; true when the distribution has reached the steady state `steady`
    /// (within [`STEADY_TOLERANCE`] for every state), at dt or before.
    fn advance(&mut self, dt: f64, steady: Option<&[f64]>) -> Result<bool, TransientError> {
        if self.q == 0.0 {
            return Ok(false);
        }
        let n = self.c.states();
        let steps = self.q * dt;
        let cube = (n as f64).powi(3);
        // An earlier e^{Q h} with dt = 2^k h exactly takes k squarings.
        let earlier = self.exponentials.iter().rev().find_map(|(h, e)| {
            (1..=3)
                .find(|&k| dt == h * f64::from(1u32 << k))
                .map(|k| (k, e))
        });
        let products = earlier.map_or_else(|| exponential_products(steps), |(k, _)| f64::from(k));
        let dense_cost = cube * products + (n * n) as f64;
        let stepping_cost = steps * (self.c.transitions() + n) as f64 + STRETCH_OVERHEAD;
        if n <= DENSE_TRANSIENT_LIMIT
            && dense_cost < stepping_cost
            && self.work + dense_cost <= self.budget
        {
            // Small and stiff: dense scaling and squaring, then one product. (Where it would
            // not fit the budget, stepping may still reach the steady state sooner.)
            let e = match earlier {
                Some((k, e)) => {
                    let mut e = e.clone();
                    for _ in 0..k {
                        e = multiply(&e, &e, n);
                        renormalise_rows(&mut e, n);
                    }
                    e
                }
                None => exponential(self.c, dt),
            };
            self.spend(dense_cost)?;
            self.v = step(&self.v, &e, n);
            self.refresh_support();
            if self.exponentials.len() == 2 {
                self.exponentials.remove(0);
            }
            self.exponentials.push((dt, e));
            return Ok(steady.is_some_and(|pi| self.is_within(pi)));
        }
        if steps > MAX_STEPS && steady.is_none() {
            return Err(TransientError::OutOfReach { states: n, steps });
        }
        // A long stretch in pieces: the budget bounds how many are stepped.
        let pieces = (steps / MAX_STEPS).ceil().max(1.0);
        let h = dt / pieces;
        let mut done = 0.0;
        while done < pieces {
            if self.uniformise(h, steady)? {
                return Ok(true);
            }
            done += 1.0;
        }
        Ok(false)
    }

    fn refresh_support(&mut self) {
        self.active.clear();
        for (i, x) in self.v.iter_mut().enumerate() {
            if *x < NEGLIGIBLE {
                *x = 0.0;
            }
            self.is_active[i] = *x != 0.0;
            if *x != 0.0 {
                self.active.push(i as u32);
            }
        }
    }

    /// Uniformisation over the support: v <- sum_k Poisson(k; q dt) v P^k, P = I + Q/q.
    fn uniformise(&mut self, dt: f64, steady: Option<&[f64]>) -> Result<bool, TransientError> {
        let n = self.c.states();
        let q = self.q;
        let (first, weights) = fox_glynn_weights(q * dt, POISSON_EPSILON);
        let steps = first + weights.len();
        let mut acc = vec![0.0; n];
        let mut next = vec![0.0; n];
        let mut next_active: Vec<u32> = Vec::new();
        let mut kept: Vec<u32> = Vec::new();
        let mut progress = crate::progress::start("uniformisation steps", steps as u64);
        let mut weight_used = 0.0;
        let mut settled = false;
        for k in 0..steps {
            // Reached the steady state: every later term is it, with the weight left.
            if k % 4096 == 4095
                && let Some(pi) = steady
                && self.is_within(pi)
            {
                for (a, &p) in acc.iter_mut().zip(pi) {
                    *a += (1.0 - weight_used) * p;
                }
                settled = true;
                break;
            }
            if k % 1024 == 0 {
                progress.set(k as u64);
                // The support's transitions, counted as they are walked (for the next 1024
                // steps, or as many as are left).
                let ops: usize = self
                    .active
                    .iter()
                    .map(|&i| self.c.out(i as usize).count() + 2)
                    .sum();
                self.spend(ops as f64 * (steps - k).min(1024) as f64)?;
            }
            if k >= first {
                let w = weights[k - first];
                weight_used += w;
                for &i in &self.active {
                    acc[i as usize] += w * self.v[i as usize];
                }
            }
            if k + 1 == steps {
                break;
            }
            // next = v P over the support; states reached join it.
            next_active.clear();
            for &i in &self.active {
                let i = i as usize;
                let vi = self.v[i];
                next[i] += vi * (1.0 - self.exit[i] / q);
                for (j, r) in self.c.out(i) {
                    next[j] += vi * r / q;
                    if !self.is_active[j] {
                        self.is_active[j] = true;
                        next_active.push(j as u32);
                    }
                }
            }
            // The new support: the old one and the states reached, less what is negligible.
            kept.clear();
            for &i in self.active.iter().chain(&next_active) {
                let iu = i as usize;
                let x = next[iu];
                next[iu] = 0.0;
                if x < NEGLIGIBLE {
                    self.v[iu] = 0.0;
                    self.is_active[iu] = false;
                } else {
                    self.v[iu] = x;
                    kept.push(i);
                }
            }
            std::mem::swap(&mut self.active, &mut kept);
        }
        // The weights sum to 1 over the steps taken: acc is the new distribution. Its support
        // includes every state the stepping visited.
        for (i, x) in acc.iter_mut().enumerate() {
            if *x < NEGLIGIBLE {
                *x = 0.0;
            }
            self.is_active[i] = *x != 0.0;
        }
        self.v = acc;
        self.active = (0..n as u32)
            .filter(|&i| self.is_active[i as usize])
            .collect();
        Ok(settled || steady.is_some_and(|pi| self.is_within(pi)))
    }

    /// Whether every state's probability is within [`STEADY_TOLERANCE`] (relative) of the
    /// steady state's (both negligible counts as equal).
    fn is_within(&self, pi: &[f64]) -> bool {
        const TINY: f64 = NEGLIGIBLE * 1e20;
        self.v.iter().zip(pi).all(|(&x, &p)| {
            if p < TINY {
                x < TINY
            } else {
                (x - p).abs() <= STEADY_TOLERANCE * p
            }
        })
    }
}

/// Matrix products of [`exponential`] for q h: the Poisson terms of the first step and the
/// squarings.
pub fn exponential_products(qh: f64) -> f64 {
    (qh * 2.0).log2().ceil().max(0.0) + 12.0
}

/// Poisson(k; m) weights for uniformisation, after Fox and Glynn ("Computing Poisson
/// probabilities", Communications of the ACM 31, 1988): computed from the mode outward by
/// the ratio of neighbouring terms (no factorials, no underflow), truncated where they fall
/// below `epsilon` times the mode's, and normalised. Returns the first k and the weights.
fn fox_glynn_weights(m: f64, epsilon: f64) -> (usize, Vec<f64>) {
    let mode = m.floor() as usize;
    let mut right = vec![1.0];
    let mut k = mode;
    loop {
        let w = right[right.len() - 1] * m / (k + 1) as f64;
        if w < epsilon {
            break;
        }
        right.push(w);
        k += 1;
    }
    let mut left = Vec::new();
    let (mut w, mut k) = (1.0, mode);
    while k > 0 {
        w *= k as f64 / m;
        if w < epsilon {
            break;
        }
        left.push(w);
        k -= 1;
    }
    let first = mode - left.len();
    left.reverse();
    left.extend(right);
    let total: f64 = left.iter().sum();
    left.iter_mut().for_each(|w| *w /= total);
    (first, left)
}

fn renormalise_rows(e: &mut [f64], n: usize) {
    for row in e.chunks_mut(n) {
        let total: f64 = row.iter().sum();
        row.iter_mut().for_each(|x| *x /= total);
    }
}

/// Dense e^{Qh} (row-major) of a small chain, by uniformisation with q h <= 1/2 and squaring.
pub fn exponential(c: &Ctmc, h: f64) -> Vec<f64> {
    let n = c.states();
    let q = c.exit_rates().into_iter().fold(0.0f64, f64::max) * UNIFORMISATION_MARGIN;
    if q == 0.0 {
        let mut e = vec![0.0; n * n];
        (0..n).for_each(|i| e[i * n + i] = 1.0);
        return e;
    }
    let s = ((q * h * 2.0).log2().ceil().max(0.0)) as i32;
    let step = h / 2f64.powi(s);
    let exit = c.exit_rates();
    let mut p = vec![0.0; n * n];
    for i in 0..n {
        p[i * n + i] = 1.0 - exit[i] / q;
        for (j, r) in c.out(i) {
            p[i * n + j] += r / q;
        }
    }
    let (first, weights) = fox_glynn_weights(q * step, POISSON_EPSILON);
    let mut power = vec![0.0; n * n];
    (0..n).for_each(|i| power[i * n + i] = 1.0);
    let mut e = vec![0.0; n * n];
    for k in 0..first + weights.len() {
        if k >= first {
            let w = weights[k - first];
            e.iter_mut().zip(&power).for_each(|(x, y)| *x += w * y);
        }
        power = multiply(&power, &p, n);
    }
    renormalise_rows(&mut e, n);
    for _ in 0..s {
        e = square(&e, n);
    }
    e
}

/// e^{2Qh} from e^{Qh}, rows kept stochastic.
pub fn square(e: &[f64], n: usize) -> Vec<f64> {
    let mut out = multiply(e, e, n);
    renormalise_rows(&mut out, n);
    out
}

/// v e for a dense row-major e.
pub fn step(v: &[f64], e: &[f64], n: usize) -> Vec<f64> {
    let mut out = vec![0.0; n];
    for (i, &x) in v.iter().enumerate() {
        if x != 0.0 {
            for (o, y) in out.iter_mut().zip(&e[i * n..i * n + n]) {
                *o += x * y;
            }
        }
    }
    out
}

fn multiply(a: &[f64], b: &[f64], n: usize) -> Vec<f64> {
    let mut out = vec![0.0; n * n];
    for i in 0..n {
        for k in 0..n {
            let x = a[i * n + k];
            if x != 0.0 {
                let row = &b[k * n..k * n + n];
                for (o, y) in out[i * n..i * n + n].iter_mut().zip(row) {
                    *o += x * y;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_state(l: f64, m: f64) -> Ctmc {
        Ctmc::new(2, [(0, 1, l), (1, 0, m)], vec![true, false])
    }

    #[test]
    fn two_state_closed_forms() {
        let (l, m) = (1e-3, 0.1);
        let c = two_state(l, m);
        for t in [0.5, 10.0, 1000.0, 8760.0] {
            let (_, u) = availability(&c, &[t], None, MAX_TRANSIENT_WORK).unwrap()[0];
            let want = l / (l + m) * -(-(l + m) * t).exp_m1();
            assert!(((u - want) / want).abs() < 1e-12, "t={t}: {u} vs {want}");
            let (r, f) = reliability(&c, &[t], MAX_TRANSIENT_WORK).unwrap()[0];
            assert!(((r - (-l * t).exp()) / (-l * t).exp()).abs() < 1e-12);
            assert!(((f - -(-l * t).exp_m1()) / -(-l * t).exp_m1()).abs() < 1e-12);
        }
        let m = mttf(&c, &SolverOptions::default()).unwrap();
        assert!((m - 1000.0).abs() < 1e-9);
    }

    /// Uniformisation on its own (a chain this small takes the dense path in `availability`),
    /// against the closed form, through several stretches and stiff ones.
    #[test]
    fn uniformisation_stretches_against_the_closed_form() {
        let (l, m) = (1e-3, 0.1);
        let c = two_state(l, m);
        let q = (l + m) * UNIFORMISATION_MARGIN;
        let mut stepper = Stepper::new(&c, q, MAX_TRANSIENT_WORK);
        let mut now = 0.0;
        for t in [0.01, 0.5, 10.0, 1000.0, 8760.0] {
            stepper.uniformise(t - now, None).unwrap();
            now = t;
            let u = stepper.v[1];
            let want = l / (l + m) * -(-(l + m) * t).exp_m1();
            assert!(((u - want) / want).abs() < 1e-12, "t={t}: {u} vs {want}");
        }
    }

    /// The birth-death first-passage sum against the renewal chain's steady state, on shared
    /// repair blocks with binding and idle crews, and on a chain whose up states are not a
    /// prefix (which must not take the shortcut).
    #[test]
    fn birth_death_mttf_equals_the_renewal_argument() {
        let opts = SolverOptions::default();
        for (n, k, crews, l, m) in [
            (2, 1, 1, 1e-3, 0.1),
            (5, 3, 1, 1e-2, 0.5),
            (12, 9, 2, 3e-3, 1.0 / 24.0),
            (40, 30, 40, 1e-4, 1.0),
            (7, 7, 3, 2e-3, 0.2),
        ] {
            let (c, _) = crate::compile::chains::crews::build(n, k, crews, l, m);
            let fast = birth_death_mttf(&c).expect("a birth-death chain with up states first");
            let slow = renewal_mttf(&c, &opts).unwrap();
            assert!(
                ((fast - slow) / slow).abs() < 1e-11,
                "{n} {k} {crews}: {fast} vs {slow}"
            );
        }
        // Down in the middle: not a first passage to one level.
        let c = Ctmc::new(
            3,
            [(0, 1, 1.0), (1, 0, 2.0), (1, 2, 1.0), (2, 1, 3.0)],
            vec![true, false, true],
        );
        assert_eq!(birth_death_mttf(&c), None);
        assert!((mttf(&c, &opts).unwrap() - 1.0).abs() < 1e-12);
    }

    /// Times a factor of root two apart, built as the report builds them: every other dense
    /// step is one squaring of an earlier e^{Q dt}. A stiff chain that takes days to settle
    /// (a fast up-up loop beside a slow failure and repair) at 53 points from a minute to a
    /// century equals each point computed on its own from t = 0.
    #[test]
    fn squaring_earlier_exponentials_at_the_report_times() {
        let c = Ctmc::new(
            3,
            [(0, 1, 1e-3), (1, 0, 1e-2), (0, 2, 100.0), (2, 0, 100.0)],
            vec![true, false, true],
        );
        let t1 = 876_000.0;
        let odd = t1 / std::f64::consts::SQRT_2;
        let times: Vec<f64> = (0..=52)
            .map(|i: i32| {
                let back = 52 - i;
                if back % 2 == 0 {
                    t1 * 2f64.powi(-back / 2)
                } else {
                    odd * 2f64.powi(-(back - 1) / 2)
                }
            })
            .collect();
        let got = availability(&c, &times, None, MAX_TRANSIENT_WORK).unwrap();
        for (&t, &(_, u)) in times.iter().zip(&got) {
            let (_, want) = availability(&c, &[t], None, MAX_TRANSIENT_WORK).unwrap()[0];
            assert!(((u - want) / want).abs() < 1e-10, "t={t}: {u} vs {want}");
        }
    }

    #[test]
    fn stiff_long_horizon_uses_squaring() {
        // q t = 1e4 x 8760: far beyond uniformisation; the dense path must agree with the
        // closed form.
        let (l, m) = (1e-2, 1e4);
        let c = two_state(l, m);
        let (_, u) = availability(&c, &[8760.0], None, MAX_TRANSIENT_WORK).unwrap()[0];
        let want = l / (l + m);
        assert!(((u - want) / want).abs() < 1e-10, "{u} vs {want}");
    }

    #[test]
    fn parallel_pair_mttf() {
        // Two units, own repair each: states 0 (both up), 1 (one down), 2 (both down).
        // MTTF = (3 l + m) / (2 l^2).
        let (l, m) = (1e-3, 0.1);
        let c = Ctmc::new(
            3,
            [(0, 1, 2.0 * l), (1, 0, m), (1, 2, l), (2, 1, 2.0 * m)],
            vec![true, true, false],
        );
        let got = mttf(&c, &SolverOptions::default()).unwrap();
        let want = (3.0 * l + m) / (2.0 * l * l);
        assert!(((got - want) / want).abs() < 1e-12);
    }
}
