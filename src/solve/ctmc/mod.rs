//! Continuous-time Markov chains: storage, structure checks and the steady-state solver that
//! picks a method by the chain's structure.
//!
//! | structure | method | cost |
//! |---|---|---|
//! | birth-death (every transition to a neighbour) | product form | O(n) |
//! | up to [`DENSE_LIMIT`] states | GTH, dense | O(n^3) |
//! | narrow band (after a bandwidth-reducing ordering) | GTH on the band | O(n w^2) |
//! | anything else | Gauss-Seidel with a residual and progress test | O(sweeps x transitions) |
//! | Gauss-Seidel stalls | aggregation/disaggregation over clusters of strongly coupled states | O(iterations x (transitions + blocks^3)) |
//!
//! Every direct method here is GTH or a special case of it (the product form of a birth-death
//! chain is what GTH computes on a tridiagonal generator): no subtractions, so every
//! probability comes out with high relative accuracy, even 1e-26, and never negative.
//! The iterative method stops on the residual ||pi Q||_inf, and also on lack of progress, in
//! which case it says so instead of returning a wrong answer.

mod aggregation;
mod banded;
mod birth_death;
mod checks;
mod gauss_seidel;
mod gth;
pub mod transient;

pub use checks::StructureError;

/// Chains up to this many states are solved by dense GTH.
pub const DENSE_LIMIT: usize = 1500;

/// A CTMC: transition rates between states (per hour), which states are up, and state 0 as
/// the initial state.
#[derive(Debug)]
pub struct Ctmc {
    n: usize,
    /// Outgoing transitions of each state, in CSR form (merged, no self-loops, rates > 0).
    out_start: Vec<usize>,
    out_to: Vec<u32>,
    out_rate: Vec<f64>,
    pub up: Vec<bool>,
    /// Incoming transitions, built on first use (checks, ordering and Gauss-Seidel share it).
    incoming: std::sync::OnceLock<Incoming>,
}

impl Clone for Ctmc {
    /// A copy without the cached incoming transitions (they are rebuilt on first use).
    fn clone(&self) -> Self {
        Ctmc {
            n: self.n,
            out_start: self.out_start.clone(),
            out_to: self.out_to.clone(),
            out_rate: self.out_rate.clone(),
            up: self.up.clone(),
            incoming: std::sync::OnceLock::new(),
        }
    }
}

/// Incoming transitions in CSR form: for state j, sources `from[start[j]..start[j + 1]]`
/// with the rates beside them.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub start: Vec<usize>,
    pub from: Vec<u32>,
    pub rate: Vec<f64>,
}

impl Ctmc {
    /// Builds a chain from (from, to, rate) triples. Self-loops and zero rates are dropped;
    /// parallel transitions are merged.
    pub fn new(
        n: usize,
        transitions: impl IntoIterator<Item = (usize, usize, f64)>,
        up: Vec<bool>,
    ) -> Ctmc {
        assert_eq!(up.len(), n);
        let t: Vec<(u32, u32, f64)> = transitions
            .into_iter()
            .filter(|&(a, b, r)| a != b && r > 0.0)
            .map(|(a, b, r)| {
                assert!(a < n && b < n, "transition {a} -> {b} outside 0..{n}");
                (a as u32, b as u32, r)
            })
            .collect();
        // Counting sort by source (linear), then each short row sorted by target and merged.
        let mut start = vec![0usize; n + 1];
        for &(a, _, _) in &t {
            start[a as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut row: Vec<(u32, f64)> = vec![(0, 0.0); t.len()];
        for (a, b, r) in t {
            row[fill[a as usize]] = (b, r);
            fill[a as usize] += 1;
        }
        let mut out_start = Vec::with_capacity(n + 1);
        let mut out_to = Vec::with_capacity(row.len());
        let mut out_rate: Vec<f64> = Vec::with_capacity(row.len());
        out_start.push(0);
        for i in 0..n {
            let r = &mut row[start[i]..start[i + 1]];
            r.sort_unstable_by_key(|&(b, _)| b);
            let first = out_to.len();
            for &(b, rate) in r.iter() {
                if out_to.len() > first && *out_to.last().expect("non-empty row") == b {
                    *out_rate.last_mut().expect("non-empty row") += rate;
                } else {
                    out_to.push(b);
                    out_rate.push(rate);
                }
            }
            out_start.push(out_to.len());
        }
        Ctmc {
            n,
            out_start,
            out_to,
            out_rate,
            up,
            incoming: std::sync::OnceLock::new(),
        }
    }

    pub fn states(&self) -> usize {
        self.n
    }

    pub fn transitions(&self) -> usize {
        self.out_to.len()
    }

    /// Outgoing transitions of state `i`: (target, rate).
    pub fn out(&self, i: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let r = self.out_start[i]..self.out_start[i + 1];
        self.out_to[r.clone()]
            .iter()
            .map(|&j| j as usize)
            .zip(self.out_rate[r].iter().copied())
    }

    /// Total outgoing rate of each state (-q_ii).
    pub fn exit_rates(&self) -> Vec<f64> {
        (0..self.n)
            .map(|i| self.out(i).map(|(_, r)| r).sum())
            .collect()
    }

    /// Incoming transitions (computed once, then shared).
    pub fn incoming(&self) -> &Incoming {
        self.incoming.get_or_init(|| {
            let mut start = vec![0usize; self.n + 1];
            for &j in &self.out_to {
                start[j as usize + 1] += 1;
            }
            for i in 0..self.n {
                start[i + 1] += start[i];
            }
            let mut fill = start.clone();
            let mut from = vec![0u32; self.out_to.len()];
            let mut rate = vec![0.0; self.out_to.len()];
            for i in 0..self.n {
                for (j, r) in self.out(i) {
                    from[fill[j]] = i as u32;
                    rate[fill[j]] = r;
                    fill[j] += 1;
                }
            }
            Incoming { start, from, rate }
        })
    }

    /// The same chain with its states renumbered: state `order[k]` becomes state `k`.
    pub fn permuted(&self, order: &[usize]) -> Ctmc {
        let mut position = vec![0usize; self.n];
        for (k, &s) in order.iter().enumerate() {
            position[s] = k;
        }
        let t = (0..self.n).flat_map(|i| self.out(i).map(move |(j, r)| (i, j, r)));
        let t: Vec<_> = t.map(|(i, j, r)| (position[i], position[j], r)).collect();
        Ctmc::new(self.n, t, order.iter().map(|&s| self.up[s]).collect())
    }

    /// Which states can be reached from `start` along the transitions.
    pub fn reachable(&self, start: usize) -> Vec<bool> {
        let mut seen = vec![false; self.n];
        let mut stack = vec![start];
        seen[start] = true;
        while let Some(i) = stack.pop() {
            for (j, _) in self.out(i) {
                if !seen[j] {
                    seen[j] = true;
                    stack.push(j);
                }
            }
        }
        seen
    }

    /// The chain restricted to the `kept` states, numbered in that order (transitions to other
    /// states dropped).
    pub fn permuted_subset(&self, kept: &[usize]) -> Ctmc {
        let mut position = vec![usize::MAX; self.n];
        for (k, &s) in kept.iter().enumerate() {
            position[s] = k;
        }
        let t: Vec<_> = kept
            .iter()
            .flat_map(|&i| self.out(i).map(move |(j, r)| (i, j, r)))
            .filter(|&(_, j, _)| position[j] != usize::MAX)
            .map(|(i, j, r)| (position[i], position[j], r))
            .collect();
        Ctmc::new(kept.len(), t, kept.iter().map(|&s| self.up[s]).collect())
    }

    /// Largest |i - j| over the transitions, below and above the diagonal.
    pub fn bandwidth(&self) -> (usize, usize) {
        let (mut lower, mut upper) = (0, 0);
        for i in 0..self.n {
            for (j, _) in self.out(i) {
                if j < i {
                    lower = lower.max(i - j);
                } else {
                    upper = upper.max(j - i);
                }
            }
        }
        (lower, upper)
    }
}

/// How a steady state was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    BirthDeath,
    DenseGth,
    BandedGth,
    GaussSeidel,
    Aggregation,
}

impl Method {
    pub fn name(self) -> &'static str {
        match self {
            Method::BirthDeath => "birth-death product form",
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
    pub availability: f64,
    pub unavailability: f64,
    /// Up-to-down probability flux, per hour.
    pub frequency: f64,
}

/// Tuning of the steady-state solver.
#[derive(Debug, Clone, Copy)]
pub struct SolverOptions {
    /// Stop iterating at this relative residual.
    pub tolerance: f64,
    pub max_sweeps: usize,
    /// Most band entries for banded GTH (memory: 8 bytes each).
    pub max_band_entries: usize,
}

impl Default for SolverOptions {
    fn default() -> Self {
        SolverOptions {
            tolerance: 1e-14,
            max_sweeps: 20_000,
            max_band_entries: 160_000_000,
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
        }
    }
}

/// Solves pi Q = 0, sum pi = 1 for an irreducible chain, choosing the method by structure.
pub fn steady_state(chain: &Ctmc, opts: &SolverOptions) -> Result<SteadyState, SolveError> {
    checks::irreducible(chain).map_err(SolveError::Structure)?;
    let n = chain.n;
    let (pi, method, iterations) = if n == 1 {
        (vec![1.0], Method::DenseGth, 0)
    } else if birth_death::applies(chain) {
        (birth_death::solve(chain), Method::BirthDeath, 0)
    } else if n <= DENSE_LIMIT {
        (gth::solve(chain), Method::DenseGth, 0)
    } else {
        // Try a narrow band in the given order, then after reverse Cuthill-McKee.
        let fits = |(lo, hi): (usize, usize)| {
            let entries = n.saturating_mul(lo + hi + 1);
            let work = (n as f64) * (lo as f64) * (hi as f64);
            entries <= opts.max_band_entries && work <= 4e10
        };
        if fits(chain.bandwidth()) {
            (banded::solve(chain), Method::BandedGth, 0)
        } else if fits({
            let level = banded::widest_bfs_level(chain);
            (level, level)
        }) {
            // Reverse Cuthill-McKee gives a bandwidth near the widest breadth-first level;
            // it is only worth computing when that level is narrow enough.
            let order = banded::reverse_cuthill_mckee(chain);
            if fits(banded::bandwidth_in(chain, &order)) {
                let p = banded::solve(&chain.permuted(&order));
                let mut pi = vec![0.0; n];
                for (k, &s) in order.iter().enumerate() {
                    pi[s] = p[k];
                }
                (pi, Method::BandedGth, 0)
            } else {
                iterate(chain, opts)?
            }
        } else {
            iterate(chain, opts)?
        }
    };
    Ok(measures(chain, pi, method, iterations))
}

/// Gauss-Seidel, and aggregation/disaggregation when it stalls; the first error is reported
/// when neither converges.
fn iterate(chain: &Ctmc, opts: &SolverOptions) -> Result<(Vec<f64>, Method, usize), SolveError> {
    match gauss_seidel::solve(chain, opts) {
        Ok((pi, sweeps)) => Ok((pi, Method::GaussSeidel, sweeps)),
        Err(stalled) => {
            let n = chain.states();
            aggregation::solve(chain, vec![1.0 / n as f64; n], opts)
                .map(|(pi, iterations)| (pi, Method::Aggregation, iterations))
                .map_err(|_| stalled)
        }
    }
}

/// Availability, unavailability, frequency and residual of a distribution on `chain`.
pub fn measures(chain: &Ctmc, pi: Vec<f64>, method: Method, iterations: usize) -> SteadyState {
    let (mut a, mut u, mut f) = (0.0, 0.0, 0.0);
    let mut flow_in = vec![0.0; chain.n];
    let mut max_flux: f64 = 0.0;
    let mut residual: f64 = 0.0;
    for i in 0..chain.n {
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
        availability: a,
        unavailability: u,
        frequency: f,
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
            let (gs, _) = gauss_seidel::solve(&c, &SolverOptions::default()).unwrap();
            let order = banded::reverse_cuthill_mckee(&c);
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

    /// Two-state unit: U = lambda / (lambda + mu).
    #[test]
    fn two_state() {
        let c = Ctmc::new(2, [(0, 1, 1e-3), (1, 0, 0.1)], vec![true, false]);
        let s = steady_state(&c, &SolverOptions::default()).unwrap();
        assert!((s.unavailability - 1e-3 / (1e-3 + 0.1)).abs() < 1e-17);
        assert!((s.frequency - 0.1 / (1e-3 + 0.1) * 1e-3).abs() < 1e-18);
    }

    /// All methods agree on random chains.
    #[test]
    fn methods_agree_on_random_chains() {
        let mut seed = 7u64;
        let mut rnd = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
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
            let (gs, _) = gauss_seidel::solve(&c, &SolverOptions::default()).unwrap();
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
