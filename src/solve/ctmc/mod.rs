//! Steady states of continuous-time Markov chains (the chain itself is built by
//! `compile::chains` and stored as `compile::ctmc::Ctmc`): the irreducibility check and the
//! solver that picks a method by the chain's structure.
//!
//! | structure | method | cost |
//! |---|---|---|
//! | birth-death (every transition to a neighbour) | product form | O(n) |
//! | up to [`DENSE_LIMIT`] states | GTH, dense | O(n^3) |
//! | narrow band (after a bandwidth-reducing ordering) | GTH on the band | O(n w^2) |
//! | anything else | Gauss-Seidel with a residual and progress test | O(sweeps x transitions) |
//! | Gauss-Seidel stalls | aggregation/disaggregation over clusters of strongly coupled states | O(iterations x (transitions + blocks^3)) |
//!
//! Every direct method here is GTH (Grassmann, Taksar and Heyman, "Regenerative analysis and
//! steady state distributions for Markov chains", Operations Research 33, 1985) or a special
//! case of it (the product form of a birth-death
//! chain is what GTH computes on a tridiagonal generator): no subtractions, so every
//! probability comes out with high relative accuracy, even 1e-26, and never negative.
//! The iterative method stops on the residual ||pi Q||_inf, and also on lack of progress, in
//! which case it says so instead of returning a wrong answer.

mod aggregation;
mod banded;
pub(crate) mod birth_death;
mod derivative;
mod gauss_seidel;
mod gth;
mod irreducible;
pub mod transient;

pub use derivative::unavailability_slope;
pub use irreducible::StructureError;

use super::Measures;
use crate::compile::ctmc::{Ctmc, Incoming};
use crate::probability::Probability;

/// Default of `--max-team-work`: the importance of 16 components of one team of 2^16 states
/// (about 2 s), not of 20 of 2^20 (80 solves of a million states).
pub const DEFAULT_MAX_TEAM_WORK: f64 = 1e7;

/// Chains up to this many states are solved by dense GTH.
pub const DENSE_LIMIT: usize = 1500;

/// Most multiply-adds of banded GTH (n x lower x upper bandwidth): about a minute at the
/// speed of one core; a wider band goes to the iterative methods instead.
const MAX_BANDED_WORK: f64 = 4e10;

/// Memory of the banded factors, by default (`--max-band-mb`): a million states with a band
/// of 100 on each side fit.
pub const DEFAULT_MAX_BAND_MB: usize = 2048;

/// How a steady state was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    BirthDeath,
    /// Birth-death with jumps to the last state, by the cut recursion.
    JumpsToTop,
    DenseGth,
    BandedGth,
    GaussSeidel,
    Aggregation,
}

impl Method {
    pub fn name(self) -> &'static str {
        match self {
            Method::BirthDeath => "birth-death product form",
            Method::JumpsToTop => "birth-death with jumps to the top, cut recursion",
            Method::DenseGth => "GTH (dense)",
            Method::BandedGth => "GTH (banded)",
            Method::GaussSeidel => "Gauss-Seidel",
            Method::Aggregation => "aggregation/disaggregation",
        }
    }
}

/// The steady-state distribution and what it says about availability.
#[derive(Debug, Clone)]
pub struct SteadyState {
    pub pi: Vec<f64>,
    pub method: Method,
    /// ||pi Q||_inf.
    pub residual: f64,
    /// ||pi Q||_inf / max_i pi_i q_i: the residual relative to the largest probability flux.
    pub relative_residual: f64,
    /// Gauss-Seidel sweeps (0 for direct methods).
    pub iterations: usize,
    /// A and U (sums of the up and of the down states' probabilities) and the up-to-down
    /// probability flux per hour (always known for a chain).
    pub measures: Measures,
}

/// Tuning of the steady-state solver.
#[derive(Debug, Clone, Copy)]
pub struct SolverOptions {
    /// Stop iterating at this relative residual.
    pub tolerance: f64,
    pub max_sweeps: usize,
    /// Most band entries for banded GTH (memory: 8 bytes each).
    pub max_band_entries: usize,
    /// Chains up to this many states are solved by dense GTH.
    pub dense_limit: usize,
    /// Most nodes of the decision diagram of shared instances (`--max-bdd-nodes`).
    pub max_bdd_nodes: usize,
    /// Most multiply-adds of one chain's transient (`--max-transient-work`); None: the
    /// default, [`transient::MAX_TRANSIENT_WORK`] for times asked for and a share
    /// proportional to the chain for the report's curves ([`transient::curve_budget`]).
    pub max_transient_work: Option<f64>,
    /// Largest chain built while solving (a repair team's), in states (`--max-states`).
    pub max_states: u64,
    /// Most states solved again for the importance of repair teams' components, four
    /// chains per component (`--max-team-work`); past it their importance is not computed.
    pub max_team_work: f64,
}

impl Default for SolverOptions {
    fn default() -> Self {
        SolverOptions {
            tolerance: 1e-14,
            max_sweeps: 20_000,
            max_band_entries: DEFAULT_MAX_BAND_MB * (1 << 20) / 8,
            dense_limit: DENSE_LIMIT,
            max_bdd_nodes: crate::limits::DEFAULT_MAX_BDD_NODES,
            max_transient_work: None,
            max_states: crate::limits::Limits::default().max_states,
            max_team_work: DEFAULT_MAX_TEAM_WORK,
        }
    }
}

/// Why no steady state was returned.
#[derive(Debug, Clone, PartialEq)]
pub enum SolveError {
    Structure(StructureError),
    /// The iterative method stopped without reaching the tolerance.
    NoConvergence {
        sweeps: usize,
        relative_residual: f64,
    },
    /// The iteration met its residual, but the probability of weakly coupled groups of states
    /// disagrees with the chain of those groups by this relative amount.
    Unverified {
        inconsistency: f64,
    },
}

impl std::fmt::Display for SolveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SolveError::Structure(e) => write!(f, "{e}"),
            SolveError::NoConvergence {
                sweeps,
                relative_residual,
            } => write!(
                f,
                "the steady-state iteration did not converge: relative residual {relative_residual:.1e} after {sweeps} sweeps"
            ),
            SolveError::Unverified { inconsistency } => write!(
                f,
                "the iterative solution could not be verified: the probability of weakly coupled groups of states is off by {inconsistency:.1e} (relative); the chain is too nearly decomposable for the iterative methods"
            ),
        }
    }
}

/// Solves pi Q = 0, sum pi = 1 for an irreducible chain, choosing the method by structure.
pub fn steady_state(chain: &Ctmc, opts: &SolverOptions) -> Result<SteadyState, SolveError> {
    steady_state_from(chain, opts, None)
}

/// As [`steady_state`], with a guess of the distribution for the iterative methods to start
/// from (ignored by the direct ones); every result is checked the same way.
pub fn steady_state_from(
    chain: &Ctmc,
    opts: &SolverOptions,
    start: Option<&[f64]>,
) -> Result<SteadyState, SolveError> {
    // Incoming transitions, built once for this solve and dropped after it. On a large chain
    // they are built on a second thread, then checked (every state leads back to state 0),
    // while this one checks that every state is reached and looks for a direct method by
    // the chain's shape (on 2^20 states: 95 + 30 ms there, 30 + 40 ms here).
    let ((inc, backward), (forward, shape)) = if chain.states() >= PARALLEL_CHECKS {
        std::thread::scope(|s| {
            let incoming = s.spawn(|| {
                let inc = chain.incoming();
                let backward = irreducible::require_backward(chain, &inc);
                (inc, backward)
            });
            let forward = irreducible::require_forward(chain);
            let shape = forward.is_ok().then(|| direct_by_shape(chain, opts));
            (
                incoming
                    .join()
                    .expect("building the incoming transitions cannot panic"),
                (forward, shape),
            )
        })
    } else {
        let forward = irreducible::require_forward(chain);
        let inc = chain.incoming();
        let backward = if forward.is_ok() {
            irreducible::require_backward(chain, &inc)
        } else {
            Ok(())
        };
        let shape = forward.is_ok().then(|| direct_by_shape(chain, opts));
        ((inc, backward), (forward, shape))
    };
    forward.map_err(SolveError::Structure)?;
    backward.map_err(SolveError::Structure)?;
    // (The shape is known here: it is only left out when a structure error returned above.)
    let direct = shape.and_then(|shape| shape.method(chain, &inc, opts));
    // A wide band on a sparse chain (a repair team's hypercube: 2^12 states, bandwidth
    // 2^11) costs far more by elimination than by Gauss-Seidel (262 ms against about 2 ms):
    // Gauss-Seidel is tried first there, and the band is the fallback if it stalls.
    if let Some(Direct::Banded | Direct::BandedReordered(_)) = &direct {
        let work = banded_work(chain, &direct);
        if work > WIDE_BAND_RATIO * chain.transitions() as f64
            && let Ok((pi, sweeps)) = gauss_seidel::solve_from(chain, &inc, opts, start)
            && aggregation::inconsistency(chain, &pi).is_some_and(|x| x <= MAX_INCONSISTENCY)
        {
            let s = measures(chain, pi, Method::GaussSeidel, sweeps);
            if s.relative_residual <= MAX_RELATIVE_RESIDUAL.max(opts.tolerance) {
                return Ok(s);
            }
        }
    }
    let s = match direct {
        Some(Direct::Single) => measures(chain, vec![1.0], Method::DenseGth, 0),
        Some(Direct::BirthDeath) => {
            measures(chain, birth_death::solve(chain), Method::BirthDeath, 0)
        }
        Some(Direct::JumpsToTop) => match birth_death::solve_jumps_to_top(chain) {
            Some(pi) => measures(chain, pi, Method::JumpsToTop, 0),
            None => iterate(chain, &inc, opts, start)?,
        },
        Some(Direct::Dense) => measures(chain, gth::solve(chain), Method::DenseGth, 0),
        Some(Direct::Banded) => measures(chain, banded::solve(chain), Method::BandedGth, 0),
        Some(Direct::BandedReordered(order)) => {
            let p = banded::solve(&chain.permuted(&order));
            measures(chain, unpermute(&p, &order), Method::BandedGth, 0)
        }
        None => iterate(chain, &inc, opts, start)?,
    };
    verified(s, MAX_RELATIVE_RESIDUAL.max(opts.tolerance))
}

/// Every result, direct or iterative, is checked against the chain itself: a direct
/// method's residual is near rounding (GTH is stable); far above `allowed` something
/// overflowed or cancelled, and the result is refused rather than returned.
fn verified(s: SteadyState, allowed: f64) -> Result<SteadyState, SolveError> {
    if s.relative_residual.is_nan()
        || s.relative_residual > allowed
        || s.pi.iter().any(|p| !p.is_finite())
    {
        return Err(SolveError::NoConvergence {
            sweeps: s.iterations,
            relative_residual: s.relative_residual,
        });
    }
    Ok(s)
}

/// States from which a solve builds its incoming transitions beside the first checks, on
/// two threads (below it a thread costs more than it saves).
const PARALLEL_CHECKS: usize = 100_000;

/// Banded elimination costing more than this many times the chain's transitions (about
/// the cost of that many Gauss-Seidel sweeps) is tried after Gauss-Seidel, not before.
const WIDE_BAND_RATIO: f64 = 1e4;

/// Multiply-adds of banded elimination in the order `direct` chose.
fn banded_work(chain: &Ctmc, direct: &Option<Direct>) -> f64 {
    let (lo, hi) = match direct {
        Some(Direct::Banded) => chain.bandwidth(),
        Some(Direct::BandedReordered(order)) => banded::bandwidth_in(chain, order),
        _ => return 0.0,
    };
    chain.states() as f64 * lo as f64 * hi as f64
}

/// The direct (elimination) method a chain's structure allows, if any.
enum Direct {
    Single,
    BirthDeath,
    /// Birth-death with jumps to the last state.
    JumpsToTop,
    Dense,
    /// Banded GTH in the given order.
    Banded,
    /// Banded GTH after renumbering: state `order[k]` becomes state k.
    BandedReordered(Vec<usize>),
}

/// The direct method for a chain: by its shape, then by a search for a band.
fn direct_method(chain: &Ctmc, inc: &Incoming, opts: &SolverOptions) -> Option<Direct> {
    direct_by_shape(chain, opts).method(chain, inc, opts)
}

/// What the chain's shape alone (its outgoing transitions) says about a direct method.
enum Shape {
    /// This method.
    Decided(Direct),
    /// A band after renumbering may still fit: a breadth-first search will tell.
    Search,
}

impl Shape {
    /// The method decided, or the one the search finds.
    fn method(self, chain: &Ctmc, inc: &Incoming, opts: &SolverOptions) -> Option<Direct> {
        match self {
            Shape::Decided(direct) => Some(direct),
            Shape::Search => direct_by_search(chain, inc, opts),
        }
    }
}

fn direct_by_shape(chain: &Ctmc, opts: &SolverOptions) -> Shape {
    let n = chain.states();
    if n == 1 {
        return Shape::Decided(Direct::Single);
    }
    if birth_death::applies(chain) {
        return Shape::Decided(Direct::BirthDeath);
    }
    if n <= opts.dense_limit {
        return Shape::Decided(Direct::Dense);
    }
    // Beyond dense GTH: a birth-death chain with jumps to the top state (copies with a
    // common cause repaired each) in O(n); on a band it would be O(n^2), the top state
    // being every state's neighbour.
    if birth_death::jumps_to_top(chain) {
        return Shape::Decided(Direct::JumpsToTop);
    }
    // Try a narrow band in the given order, then after reverse Cuthill-McKee.
    if band_fits(n, chain.bandwidth(), opts) {
        return Shape::Decided(Direct::Banded);
    }
    // A band that wraps around (state i next to i - 1, i + 1 and, at the ends, to the other
    // end) is a ring: numbered 0, n-1, 1, n-2, ... it folds into a band twice as wide, where
    // reverse Cuthill-McKee from state 0 would give a band about four times as wide.
    let folded = banded::folded_order(n);
    if band_fits(n, banded::bandwidth_in(chain, &folded), opts) {
        return Shape::Decided(Direct::BandedReordered(folded));
    }
    Shape::Search
}

/// Whether banded GTH with this band fits the memory and work limits.
fn band_fits(n: usize, (lo, hi): (usize, usize), opts: &SolverOptions) -> bool {
    let entries = n.saturating_mul(lo + hi + 1);
    let work = (n as f64) * (lo as f64) * (hi as f64);
    entries <= opts.max_band_entries && work <= MAX_BANDED_WORK
}

/// After [`direct_by_shape`] found nothing: a band after reverse Cuthill-McKee, if narrow
/// enough.
fn direct_by_search(chain: &Ctmc, inc: &Incoming, opts: &SolverOptions) -> Option<Direct> {
    let n = chain.states();
    // The widest band that could fit, so the search can stop past it.
    let enough = ((opts.max_band_entries / n).saturating_sub(1) / 2)
        .min((MAX_BANDED_WORK / n as f64).sqrt() as usize);
    let level = banded::widest_bfs_level(chain, inc, enough);
    // Reverse Cuthill-McKee gives a bandwidth near the widest breadth-first level; it is
    // only worth computing when that level is narrow enough.
    if !band_fits(n, (level, level), opts) {
        return None;
    }
    let order = banded::reverse_cuthill_mckee(chain, inc);
    band_fits(n, banded::bandwidth_in(chain, &order), opts)
        .then_some(Direct::BandedReordered(order))
}

/// Keeps an unnormalised solution within a double's range while it is built: when entry
/// `last` passes 1e250, every entry is divided by it (entries that then fall below the
/// smallest double are below 1e-558 of it, zero after normalising anyway). A chain whose
/// probabilities span more than a double's range (500 copies, 3 repairers) once overflowed.
fn rescale(nu: &mut [f64], last: usize) {
    let x = nu[last];
    if x > 1e250 && x.is_finite() {
        nu.iter_mut().for_each(|v| *v /= x);
    }
}

/// A vector over renumbered states (`order[k]` became k) back in the original numbering.
fn unpermute(p: &[f64], order: &[usize]) -> Vec<f64> {
    let mut out = vec![0.0; p.len()];
    for (k, &s) in order.iter().enumerate() {
        out[s] = p[k];
    }
    out
}

/// Largest relative residual ||pi Q|| / max pi_i q_i accepted from any method (the iterative
/// ones stop at `SolverOptions::tolerance`, far below).
const MAX_RELATIVE_RESIDUAL: f64 = 1e-8;

/// The CTMC's distribution from an unnormalised stationary vector `nu` of its embedded jump
/// chain: pi_i proportional to nu_i / q_i. Scaled by the largest term first, so neither the
/// division nor the sum can overflow.
fn from_embedded(mut nu: Vec<f64>, exit: &[f64]) -> Vec<f64> {
    let top = nu.iter().fold(0.0f64, |m, &x| m.max(x));
    let q_min = exit.iter().fold(f64::INFINITY, |m, &x| m.min(x));
    for (x, q) in nu.iter_mut().zip(exit) {
        // nu / top <= 1 and q_min / q <= 1: every factor at most 1.
        *x = (*x / top) * (q_min / q);
    }
    let total: f64 = nu.iter().sum();
    nu.iter_mut().for_each(|p| *p /= total);
    nu
}

/// Largest relative disagreement allowed between a cluster's mass and the chain of clusters'
/// answer (see [`aggregation::inconsistency`]) before an iterative result is refused.
const MAX_INCONSISTENCY: f64 = 1e-9;

/// Gauss-Seidel, then aggregation/disaggregation when it stalls or when its result fails the
/// aggregation check; every iterative result is verified by that check as well as by its
/// residual, and one that fails is an error, never a number.
fn iterate(
    chain: &Ctmc,
    inc: &Incoming,
    opts: &SolverOptions,
    start: Option<&[f64]>,
) -> Result<SteadyState, SolveError> {
    let verified = |pi: &[f64]| match aggregation::inconsistency(chain, pi) {
        Some(x) if x <= MAX_INCONSISTENCY => Ok(()),
        Some(x) => Err(SolveError::Unverified { inconsistency: x }),
        None => Err(SolveError::Unverified {
            inconsistency: f64::INFINITY,
        }),
    };
    let (start, first_error) = match gauss_seidel::solve_from(chain, inc, opts, start) {
        Ok((pi, sweeps)) => {
            // On a large chain the check and the measures are two passes over the chain of
            // about the same cost (30 and 25 ms on 2^20 states): one on each core.
            let (check, flows) = if pi.len() >= PARALLEL_CHECKS {
                std::thread::scope(|s| {
                    let flows = s.spawn(|| Flows::of(chain, &pi));
                    let check = verified(&pi);
                    (check, flows.join().expect("summing flows cannot panic"))
                })
            } else {
                let check = verified(&pi);
                (check, Flows::of(chain, &pi))
            };
            match check {
                Ok(()) => return Ok(flows.into_state(pi, Method::GaussSeidel, sweeps)),
                // The residual is small but probability sits in the wrong cluster: a nearly
                // decomposable chain. Aggregation moves it.
                Err(e) => (pi, e),
            }
        }
        Err(stalled) => {
            let n = chain.states();
            (vec![1.0 / n as f64; n], stalled)
        }
    };
    match aggregation::solve(chain, inc, start, opts) {
        Ok((pi, iterations)) => {
            verified(&pi)?;
            Ok(measures(chain, pi, Method::Aggregation, iterations))
        }
        Err(_) => Err(first_error),
    }
}

/// Availability, unavailability, frequency and residual of a distribution on `chain`.
pub fn measures(chain: &Ctmc, pi: Vec<f64>, method: Method, iterations: usize) -> SteadyState {
    Flows::of(chain, &pi).into_state(pi, method, iterations)
}

/// One pass over a distribution's flows: the sums [`measures`] is made of.
struct Flows {
    a: f64,
    u: f64,
    f: f64,
    residual: f64,
    max_flux: f64,
}

impl Flows {
    fn of(chain: &Ctmc, pi: &[f64]) -> Flows {
        let (mut a, mut u, mut f) = (0.0, 0.0, 0.0);
        let n = chain.states();
        let mut flow_in = vec![0.0; n];
        let mut max_flux: f64 = 0.0;
        let mut residual: f64 = 0.0;
        for i in 0..n {
            if chain.up[i] {
                a += pi[i];
            } else {
                u += pi[i];
            }
            let mut out = 0.0;
            for (j, r) in chain.out(i) {
                flow_in[j] += pi[i] * r;
                out += r;
                if chain.up[i] && !chain.up[j] {
                    f += pi[i] * r;
                }
            }
            max_flux = max_flux.max(pi[i] * out);
            flow_in[i] -= pi[i] * out;
        }
        for x in flow_in {
            residual = residual.max(x.abs());
        }
        Flows {
            a,
            u,
            f,
            residual,
            max_flux,
        }
    }

    fn into_state(self, pi: Vec<f64>, method: Method, iterations: usize) -> SteadyState {
        let Flows {
            a,
            u,
            f,
            residual,
            max_flux,
        } = self;
        SteadyState {
            pi,
            method,
            residual,
            relative_residual: if max_flux > 0.0 {
                residual / max_flux
            } else {
                0.0
            },
            iterations,
            measures: Measures {
                // Normalised by their sum (rounding in a long sum leaves it a little off 1).
                avail: Probability {
                    p: a / (a + u),
                    q: u / (a + u),
                }
                .settled(),
                frequency: Some(f / (a + u) + 0.0),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A random irreducible chain: a ring through all states (so it is irreducible) plus a
    /// few random transitions per state, rates log-uniform over four decades.
    fn random_chain() -> impl Strategy<Value = Ctmc> {
        (10usize..500, any::<u64>()).prop_map(|(n, seed)| {
            let mut s = seed | 1;
            let mut rnd = move || {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                (s >> 11) as f64 / (1u64 << 53) as f64
            };
            let mut t = Vec::new();
            for i in 0..n {
                t.push((i, (i + 1) % n, 10f64.powf(-2.0 + 3.0 * rnd())));
                for _ in 0..3 {
                    let j = (rnd() * n as f64) as usize % n;
                    t.push((i, j, 10f64.powf(-3.0 + 4.0 * rnd())));
                }
            }
            Ctmc::new(n, t, (0..n).map(|i| i % 4 != 3).collect())
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// The sparse methods equal dense GTH on random chains of 10..500 states to 1e-10.
        #[test]
        fn sparse_methods_equal_gth(c in random_chain()) {
            let dense = gth::solve(&c);
            let band = banded::solve(&c);
            let inc = c.incoming();
            let (gs, _) = gauss_seidel::solve(&c, &inc, &SolverOptions::default()).unwrap();
            let order = banded::reverse_cuthill_mckee(&c, &inc);
            let p = banded::solve(&c.permuted(&order));
            for i in 0..c.states() {
                prop_assert!((band[i] - dense[i]).abs() <= 1e-10 * dense[i]);
                prop_assert!((gs[i] - dense[i]).abs() <= 1e-10 * dense[i], "GS state {}: {} vs {}", i, gs[i], dense[i]);
                let k = order.iter().position(|&s| s == i).unwrap();
                prop_assert!((p[k] - dense[i]).abs() <= 1e-10 * dense[i]);
            }
            let s = measures(&c, dense, Method::DenseGth, 0);
            prop_assert!(s.relative_residual < 1e-13);
        }
    }

    /// Uniform numbers in [0, 1) from a fixed seed (an LCG), for the chains of these tests.
    fn uniform(mut seed: u64) -> impl FnMut() -> f64 {
        move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// A band that wraps around: too wide in its own order for the band budget, it is solved
    /// on the band after folding the ring, and equals dense GTH.
    #[test]
    fn wrapped_band_is_folded() {
        let n = 600;
        let mut rnd = uniform(11);
        let mut t = Vec::new();
        for i in 0..n {
            t.push((i, (i + 1) % n, 10f64.powf(-3.0 + 4.0 * rnd())));
            for _ in 0..3 {
                let d = 1 + (rnd() * 5.0) as usize;
                let j = if rnd() < 0.5 {
                    (i + d) % n
                } else {
                    (i + n - d) % n
                };
                t.push((i, j, 10f64.powf(-3.0 + 4.0 * rnd())));
            }
        }
        let c = Ctmc::new(n, t, (0..n).map(|i| i % 10 != 0).collect());
        let opts = SolverOptions {
            dense_limit: 10,
            max_band_entries: 30 * n,
            ..SolverOptions::default()
        };
        assert!(matches!(
            direct_method(&c, &c.incoming(), &opts),
            Some(Direct::BandedReordered(_))
        ));
        let folded = steady_state(&c, &opts).unwrap();
        assert_eq!(folded.method, Method::BandedGth);
        let dense = gth::solve(&c);
        for (i, (&f, &d)) in folded.pi.iter().zip(&dense).enumerate() {
            assert!((f - d).abs() <= 1e-12 * d, "state {i}");
        }
    }

    /// The checks that a chain is one closed class, on both sides of the size where they run
    /// on two threads: a state never reached, one that never leads back, one absorbing; a
    /// ring (all fine) is solved.
    #[test]
    fn structure_errors_small_and_large() {
        for n in [1_000usize, PARALLEL_CHECKS + 1] {
            let ring = |skip: Option<usize>| {
                let mut t: Vec<(usize, usize, f64)> = (0..n)
                    .filter(|&i| Some(i) != skip)
                    .map(|i| (i, (i + 1) % n, 1.0))
                    .collect();
                t.push((0, n / 2, 0.5));
                t
            };
            let opts = SolverOptions::default();
            // Nothing leads into state 1: the ring's 0 -> 1 is dropped, and 0 goes to n/2.
            let mut t = ring(None);
            t.retain(|&(i, j, _)| !(i == 0 && j == 1));
            let e = steady_state(&Ctmc::new(n, t, vec![true; n]), &opts).unwrap_err();
            assert!(
                matches!(e, SolveError::Structure(StructureError::Unreachable(1))),
                "{n}: {e}"
            );
            assert_eq!(
                e.to_string(),
                "state 1 cannot be reached from the initial state"
            );
            // State n - 1 has no way out.
            let e =
                steady_state(&Ctmc::new(n, ring(Some(n - 1)), vec![true; n]), &opts).unwrap_err();
            assert!(
                matches!(e, SolveError::Structure(StructureError::Absorbing(_))),
                "{n}: {e}"
            );
            // Past n/2 the chain runs into a loop of two states that never leads back.
            let mut t = ring(Some(n - 1));
            t.push((n - 1, n - 2, 1.0));
            let e = steady_state(&Ctmc::new(n, t, vec![true; n]), &opts).unwrap_err();
            assert!(
                matches!(e, SolveError::Structure(StructureError::NoReturn(_))),
                "{n}: {e}"
            );
            let s = steady_state(&Ctmc::new(n, ring(None), vec![true; n]), &opts).unwrap();
            assert!((s.pi.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        }
    }

    /// Every shape of chain is solved by the method meant for it, and each equals dense GTH:
    /// birth-death by its product form, small chains densely, a narrow band in place, a
    /// shuffled band after reverse Cuthill-McKee, jumps to the top state by the cut
    /// recursion, a wide sparse band (a hypercube) by Gauss-Seidel first, and a chain whose
    /// band does not fit by Gauss-Seidel alone.
    #[test]
    fn each_shape_gets_its_method() {
        let mut rnd = uniform(5);
        let mut rate = move || 10f64.powf(-2.0 + 3.0 * rnd());
        let n = 60;
        let birth_death: Vec<_> = (0..n - 1)
            .flat_map(|i| [(i, i + 1, rate()), (i + 1, i, rate())])
            .collect();
        let mut band = birth_death.clone();
        band.extend((0..n - 2).map(|i| (i, i + 2, rate())));
        let mut to_top = birth_death.clone();
        to_top.extend((0..n - 2).map(|i| (i, n - 1, rate())));
        // The band's states in a scrambled order (i -> 7i mod 60 is a bijection, 7 and 60
        // being coprime): in the given order it is far too wide.
        let shuffled: Vec<_> = band
            .iter()
            .map(|&(i, j, r)| (7 * i % n, 7 * j % n, r))
            .collect();
        let bits = 10;
        let cube: Vec<_> = (0..1usize << bits)
            .flat_map(|s| (0..bits).map(move |b| (s, s ^ (1 << b))))
            .map(|(s, t)| (s, t, if t > s { 0.01 } else { 1.0 }))
            .collect();
        let up = |n: usize| (0..n).map(|i| i % 5 != 4).collect::<Vec<_>>();
        // The hypercube's band (512 each side) fits the memory: it is too much work, not too
        // big, so Gauss-Seidel goes first.
        let wide = SolverOptions {
            dense_limit: 10,
            ..SolverOptions::default()
        };
        let small = SolverOptions {
            dense_limit: 10,
            max_band_entries: 10 * n,
            ..SolverOptions::default()
        };
        let none_fits = SolverOptions {
            max_band_entries: 2 * n,
            ..small
        };
        for (name, c, opts, method) in [
            (
                "birth-death",
                Ctmc::new(n, birth_death, up(n)),
                small,
                Method::BirthDeath,
            ),
            (
                "dense",
                Ctmc::new(n, band.clone(), up(n)),
                SolverOptions::default(),
                Method::DenseGth,
            ),
            (
                "band",
                Ctmc::new(n, band.clone(), up(n)),
                small,
                Method::BandedGth,
            ),
            (
                "shuffled band",
                Ctmc::new(n, shuffled, up(n)),
                small,
                Method::BandedGth,
            ),
            (
                "jumps to the top",
                Ctmc::new(n, to_top, up(n)),
                small,
                Method::JumpsToTop,
            ),
            (
                "hypercube",
                Ctmc::new(1 << bits, cube, up(1 << bits)),
                wide,
                Method::GaussSeidel,
            ),
            (
                "no band fits",
                Ctmc::new(n, band, up(n)),
                none_fits,
                Method::GaussSeidel,
            ),
        ] {
            let s = steady_state(&c, &opts).unwrap();
            assert_eq!(s.method, method, "{name}");
            // The hypercube is ten independent units (a bit set: that unit down), a product
            // form; the rest against dense GTH. Gauss-Seidel stops at a residual, not at
            // rounding: its error is small against the whole, not against each state.
            let truth: Vec<f64> = if name == "hypercube" {
                let down = 0.01 / 1.01;
                (0..c.states())
                    .map(|s| {
                        (0..bits)
                            .map(|b| if s >> b & 1 == 1 { down } else { 1.0 - down })
                            .product()
                    })
                    .collect()
            } else {
                gth::solve(&c)
            };
            for (i, (&p, &d)) in s.pi.iter().zip(&truth).enumerate() {
                let bound = if method == Method::GaussSeidel {
                    1e-12
                } else {
                    1e-12 * d
                };
                assert!((p - d).abs() <= bound, "{name}, state {i}: {p} vs {d}");
            }
        }
    }

    /// A wide band found after renumbering is also too much work for elimination: a
    /// hypercube of 2^11 states with its states scrambled (s -> 77 s mod 2048) has no band in
    /// its own order within the memory given, one after reverse Cuthill-McKee, and is solved
    /// by Gauss-Seidel first, against the product form of its eleven independent units.
    #[test]
    fn renumbered_wide_band_goes_to_gauss_seidel_first() {
        let (bits, n) = (11, 1usize << 11);
        let label = |s: usize| s * 77 % n;
        let cube: Vec<_> = (0..n)
            .flat_map(|s| (0..bits).map(move |b| (s, s ^ (1 << b))))
            .map(|(s, t)| (label(s), label(t), if t > s { 0.01 } else { 1.0 }))
            .collect();
        let c = Ctmc::new(n, cube, (0..n).map(|i| i % 5 != 4).collect());
        let opts = SolverOptions {
            dense_limit: 10,
            max_band_entries: 4_000_000,
            ..SolverOptions::default()
        };
        assert!(matches!(
            direct_method(&c, &c.incoming(), &opts),
            Some(Direct::BandedReordered(_))
        ));
        let s = steady_state(&c, &opts).unwrap();
        assert_eq!(s.method, Method::GaussSeidel);
        let down = 0.01 / 1.01;
        for state in 0..n {
            let want: f64 = (0..bits)
                .map(|b| {
                    if state >> b & 1 == 1 {
                        down
                    } else {
                        1.0 - down
                    }
                })
                .product();
            let got = s.pi[label(state)];
            assert!(
                (got - want).abs() <= 1e-12,
                "state {state}: {got} vs {want}"
            );
        }
    }

    /// A band fits when its entries, n (lo + hi + 1), stay within the memory given and its
    /// work, n lo hi, within 4e10: both edges, exactly.
    #[test]
    fn band_fits_at_its_edges() {
        let memory = |entries| SolverOptions {
            max_band_entries: entries,
            ..SolverOptions::default()
        };
        assert!(band_fits(60, (1, 2), &memory(240)));
        assert!(!band_fits(60, (1, 2), &memory(239)));
        let unbounded = memory(usize::MAX);
        assert!(band_fits(1_000_000, (200, 200), &unbounded));
        assert!(!band_fits(1_000_000, (200, 201), &unbounded));
        assert!(!band_fits(1_000_000, (201, 200), &unbounded));
    }

    /// The last check refuses a result whose residual is too large or not a number, or whose
    /// probabilities are not finite, and says so; it passes a true one (no solver gives
    /// such results, so they are forged here).
    #[test]
    fn forged_results_are_refused() {
        let c = Ctmc::new(2, [(0, 1, 1e-3), (1, 0, 0.1)], vec![true, false]);
        let truth = [0.1 / 0.101, 1e-3 / 0.101];
        let good = measures(&c, truth.to_vec(), Method::DenseGth, 0);
        assert!(verified(good.clone(), 1e-8).is_ok());
        let wrong = measures(&c, vec![0.5, 0.5], Method::DenseGth, 0);
        assert!(wrong.pi.iter().all(|p| p.is_finite()) && wrong.relative_residual > 1e-8);
        let mut nan = good.clone();
        nan.relative_residual = f64::NAN;
        let mut infinite = good;
        infinite.pi[1] = f64::INFINITY;
        for (name, s) in [("wrong", wrong), ("NaN", nan), ("infinite", infinite)] {
            let e = verified(s, 1e-8).unwrap_err();
            assert!(
                e.to_string()
                    .starts_with("the steady-state iteration did not converge: relative residual"),
                "{name}: {e}"
            );
        }
    }

    /// Two-state unit: U = lambda / (lambda + mu).
    #[test]
    fn two_state() {
        let c = Ctmc::new(2, [(0, 1, 1e-3), (1, 0, 0.1)], vec![true, false]);
        let s = steady_state(&c, &SolverOptions::default()).unwrap();
        assert!((s.measures.avail.q - 1e-3 / (1e-3 + 0.1)).abs() < 1e-17);
        assert!((s.measures.frequency.unwrap() - 0.1 / (1e-3 + 0.1) * 1e-3).abs() < 1e-18);
    }

    /// All methods agree on random chains.
    #[test]
    fn methods_agree_on_random_chains() {
        let mut rnd = uniform(7);
        for n in [3usize, 10, 57, 200] {
            let mut t = Vec::new();
            for i in 0..n {
                t.push((i, (i + 1) % n, 0.1 + rnd()));
                for _ in 0..3 {
                    let j = (rnd() * n as f64) as usize % n;
                    t.push((i, j, 10f64.powf(-3.0 + 4.0 * rnd())));
                }
            }
            let up: Vec<bool> = (0..n).map(|i| i % 3 != 0).collect();
            let c = Ctmc::new(n, t, up);
            let dense = gth::solve(&c);
            let band = banded::solve(&c);
            let (gs, _) =
                gauss_seidel::solve(&c, &c.incoming(), &SolverOptions::default()).unwrap();
            for i in 0..n {
                assert!(
                    (band[i] - dense[i]).abs() <= 1e-12 * dense[i],
                    "banded n={n} i={i}"
                );
                assert!(
                    (gs[i] - dense[i]).abs() <= 1e-10 * dense[i],
                    "GS n={n} i={i}: {} vs {}",
                    gs[i],
                    dense[i]
                );
            }
        }
    }
}
