//! Iterative aggregation/disaggregation (Koury, McAllister and Stewart, "Iterative methods
//! for computing stationary distributions of nearly completely decomposable Markov chains",
//! SIAM J. Algebraic Discrete Methods 5, 1984), the fallback when
//! Gauss-Seidel stalls on a nearly completely decomposable chain: probability leaks slowly
//! between clusters of strongly coupled states, which point iterations cannot move in any
//! reasonable number of sweeps.
//!
//! The clusters are found from the chain itself: states joined by transitions that are not
//! weak (rate at least WEAK x the state's exit rate) form a block. Each iteration solves the
//! chain of blocks exactly by GTH (how much probability each cluster holds), spreads it over
//! the states in proportion to the current iterate, and smooths with a Gauss-Seidel sweep.

use super::{SolveError, SolverOptions, gth};
use crate::compile::ctmc::{Ctmc, Incoming};

/// A transition below this fraction of its state's exit rate counts as weak coupling.
const WEAK: f64 = 1e-3;

/// Gauss-Seidel sweeps after each disaggregation.
const SMOOTHING: usize = 10;

/// Most blocks for the dense GTH of the aggregated chain (and its dense table of rates).
const MAX_BLOCKS: usize = 1500;

/// Blocks of strongly coupled states (connected components once weak links are dropped).
pub fn clusters(c: &Ctmc) -> Vec<usize> {
    let n = c.states();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    fn find(p: &mut [u32], mut x: usize) -> usize {
        while p[x] as usize != x {
            p[x] = p[p[x] as usize];
            x = p[x] as usize;
        }
        x
    }
    for i in 0..n {
        let exit: f64 = c.out(i).map(|(_, r)| r).sum();
        // The root of i's set, kept as i's links join it to others (one find per link).
        let mut root = find(&mut parent, i);
        for (j, r) in c.out(i) {
            if r >= WEAK * exit {
                let other = find(&mut parent, j);
                // The larger root joins the smaller: states mostly link to near neighbours
                // met before, so the trees stay shallow.
                if other < root {
                    parent[root] = other as u32;
                    root = other;
                } else if other > root {
                    parent[other] = root as u32;
                }
            }
        }
    }
    let mut id = vec![usize::MAX; n];
    let mut count = 0;
    (0..n)
        .map(|i| {
            let r = find(&mut parent, i);
            if id[r] == usize::MAX {
                id[r] = count;
                count += 1;
            }
            id[r]
        })
        .collect()
}

/// Most blocks of the consistency check (its dense GTH costs blocks^3 / 3).
const MAX_CHECK_BLOCKS: usize = 500;

/// The clusters merged into at most `max` groups of consecutive ids (any partition serves the
/// consistency check; the weakly coupled one is where errors hide).
fn at_most(block: &[usize], max: usize) -> (Vec<usize>, usize) {
    let count = block.iter().max().map_or(0, |m| m + 1);
    if count <= max {
        return (block.to_vec(), count);
    }
    let merged = block.iter().map(|&b| b * max / count).collect();
    (merged, max)
}

/// The chain of blocks: rates between blocks weighted by `pi`'s distribution within each,
/// and each block's mass under `pi`.
fn aggregate(c: &Ctmc, block: &[usize], blocks: usize, pi: &[f64]) -> (Ctmc, Vec<f64>) {
    let mut mass = vec![0.0; blocks];
    for (i, &p) in pi.iter().enumerate() {
        mass[block[i]] += p;
    }
    // Summed in a dense block x block table (a few MB at most), not a list of every
    // transition between blocks, which may run to millions.
    let mut table = vec![0.0; blocks * blocks];
    for (i, &p) in pi.iter().enumerate() {
        let b = block[i];
        if p == 0.0 || mass[b] == 0.0 {
            continue;
        }
        let w = p / mass[b];
        for (j, r) in c.out(i) {
            let bj = block[j];
            if bj != b {
                table[b * blocks + bj] += w * r;
            }
        }
    }
    let rates = table
        .iter()
        .enumerate()
        .filter(|(_, r)| **r > 0.0)
        .map(|(k, &r)| (k / blocks, k % blocks, r));
    (Ctmc::new(blocks, rates, vec![true; blocks]), mass)
}

/// How far `pi` is from being consistent with its own aggregation over the weakly coupled
/// clusters: the largest relative difference between a cluster's mass under `pi` and its
/// probability in the chain of clusters built with `pi`'s distribution inside each. The exact
/// distribution has 0 for every partition. A residual test cannot see probability that sits
/// in the wrong cluster of a nearly decomposable chain (the flux between clusters is tiny);
/// this check does. None when the chain of clusters cannot be solved.
pub fn inconsistency(c: &Ctmc, pi: &[f64]) -> Option<f64> {
    let (block, blocks) = at_most(&clusters(c), MAX_CHECK_BLOCKS);
    if blocks < 2 {
        return Some(0.0);
    }
    let (aggregated, mass) = aggregate(c, &block, blocks, pi);
    super::irreducible::require(&aggregated, &aggregated.incoming()).ok()?;
    let xi = gth::solve(&aggregated);
    let total: f64 = mass.iter().sum();
    let worst = xi
        .iter()
        .zip(&mass)
        .map(|(&x, &m)| {
            let m = m / total;
            if x.max(m) == 0.0 {
                0.0
            } else {
                (x - m).abs() / x.max(m)
            }
        })
        .fold(0.0, f64::max);
    Some(worst)
}

/// Runs IAD from the iterate `pi`; Ok with the distribution and the iterations used.
pub fn solve(
    c: &Ctmc,
    inc: &Incoming,
    mut pi: Vec<f64>,
    opts: &SolverOptions,
) -> Result<(Vec<f64>, usize), SolveError> {
    let n = c.states();
    let (block, blocks) = at_most(&clusters(c), MAX_BLOCKS);
    if blocks < 2 {
        return Err(SolveError::NoConvergence {
            sweeps: 0,
            relative_residual: f64::NAN,
        });
    }
    let exit = c.exit_rates();
    let mut last = f64::INFINITY;
    let mut stuck = 0;
    for iteration in 1..=500 {
        // Aggregate: rates between blocks, weighted by the conditional distribution in each.
        let (aggregated, mass) = aggregate(c, &block, blocks, &pi);
        if super::irreducible::require(&aggregated, &aggregated.incoming()).is_err() {
            return Err(SolveError::NoConvergence {
                sweeps: iteration,
                relative_residual: f64::NAN,
            });
        }
        let xi = gth::solve(&aggregated);
        // Disaggregate, then smooth with Gauss-Seidel sweeps (they settle each cluster's
        // inner distribution, which is what point iterations do well).
        for i in 0..n {
            if mass[block[i]] > 0.0 {
                pi[i] *= xi[block[i]] / mass[block[i]];
            }
        }
        for _ in 0..SMOOTHING {
            super::gauss_seidel::sweep(&mut pi, inc, &exit);
        }
        let total: f64 = pi.iter().sum();
        pi.iter_mut().for_each(|p| *p /= total);
        let res = super::gauss_seidel::relative_residual(c, &pi, &exit);
        if res <= opts.tolerance {
            return Ok((pi, iteration));
        }
        stuck = if res > 0.9 * last { stuck + 1 } else { 0 };
        if stuck >= 50 {
            return Err(SolveError::NoConvergence {
                sweeps: iteration,
                relative_residual: res,
            });
        }
        last = res;
    }
    Err(SolveError::NoConvergence {
        sweeps: 500,
        relative_residual: last,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Strong links joined in every order (to a lower state, to a higher one, to a state
    /// already joined), weak ones (below 1e-3 of the exit rate) ignored: the clusters are the
    /// connected components of the strong links, numbered by their first state.
    #[test]
    fn clusters_are_the_strongly_linked_components() {
        // Exit rates far from 1, so that "below 1e-3 of the exit rate" is what is tested.
        let (s, w) = (100.0, 1e-3);
        let c = Ctmc::new(
            8,
            [
                (0, 7, s),
                (7, 0, s),
                (0, 1, w),
                (3, 1, s),
                (1, 5, s),
                (5, 3, s),
                (1, 2, w),
                (6, 4, s),
                (4, 2, s),
                (2, 6, s),
                (6, 0, w),
            ],
            vec![true; 8],
        );
        assert_eq!(clusters(&c), vec![0, 1, 2, 1, 2, 1, 2, 0]);
        // One link, down or up the numbering, joins its two states (either end may be the
        // root; a state without links is its own cluster).
        let one_link =
            |from: usize, to: usize| clusters(&Ctmc::new(3, [(from, to, s)], vec![true; 3]));
        assert_eq!(one_link(1, 0), vec![0, 0, 1]);
        assert_eq!(one_link(0, 1), vec![0, 0, 1]);
        assert_eq!(one_link(2, 0), vec![0, 1, 0]);
    }

    /// More clusters than the check takes are merged into consecutive groups of equal size;
    /// fewer pass as they are.
    #[test]
    fn clusters_merged_into_consecutive_groups() {
        let ids: Vec<usize> = (0..1000).collect();
        let (merged, count) = at_most(&ids, 10);
        assert_eq!(count, 10);
        assert_eq!(merged, (0..1000).map(|b| b / 100).collect::<Vec<_>>());
        let few = vec![0, 2, 1, 2];
        assert_eq!(at_most(&few, 10), (few.clone(), 3));
    }

    /// Clusters of 30 states with rates ~1 inside, joined in a ring by 1e-9 leaks: Gauss-Seidel
    /// from a uniform start stalls; aggregation finds the clusters and solves it.
    #[test]
    fn nearly_decomposable_chain() {
        let (clusters_n, size) = (40usize, 30usize);
        let n = clusters_n * size;
        let mut t = Vec::new();
        for c in 0..clusters_n {
            for k in 0..size {
                let i = c * size + k;
                let j = c * size + (k + 1) % size;
                t.push((i, j, 1.0 + k as f64 * 0.1));
                t.push((j, i, 2.0));
            }
            // Weak leaks to the next cluster and back, unequal so the masses differ.
            let next = ((c + 1) % clusters_n) * size;
            t.push((c * size, next, 1e-9 * (1.0 + c as f64)));
            t.push((next, c * size, 3e-9));
        }
        let chain = Ctmc::new(n, t, (0..n).map(|i| i % 7 != 0).collect());
        let exact = gth::solve(&chain);
        let opts = SolverOptions::default();
        let gs = super::super::gauss_seidel::solve(&chain, &chain.incoming(), &opts);
        assert!(gs.is_err(), "Gauss-Seidel should stall on this chain");
        // The sparse path switches method by itself when Gauss-Seidel stalls.
        let s = super::super::iterate(&chain, &chain.incoming(), &opts, None).unwrap();
        let pi = &s.pi;
        assert_eq!(s.method, super::super::Method::Aggregation);
        for i in 0..n {
            assert!(
                (pi[i] - exact[i]).abs() <= 1e-9 * exact[i],
                "state {i}: {} vs {}",
                pi[i],
                exact[i]
            );
        }
    }

    /// Five clusters with fast inner rates joined by leaks of 1e-12/h: Gauss-Seidel's residual
    /// is below the tolerance from the first sweeps while every cluster still holds the mass
    /// of the uniform start (the defect of a residual-only test). The aggregation check sees
    /// it, aggregation corrects it, and the result equals GTH.
    #[test]
    fn false_convergence_is_caught_and_corrected() {
        let (clusters_n, size) = (5usize, 60usize);
        let n = clusters_n * size;
        let mut t = Vec::new();
        for c in 0..clusters_n {
            for k in 0..size {
                let i = c * size + k;
                let j = c * size + (k + 1) % size;
                t.push((i, j, 1e3 * (1.0 + k as f64 * 0.01)));
                t.push((j, i, 2e3));
            }
            let next = ((c + 1) % clusters_n) * size;
            t.push((c * size, next, 1e-12 * (1.0 + c as f64)));
            t.push((next, c * size, 3e-12));
        }
        let chain = Ctmc::new(n, t, (0..n).map(|i| i % 3 != 0 && i < 2 * size).collect());
        let exact = gth::solve(&chain);
        let opts = SolverOptions {
            dense_limit: 0,
            max_band_entries: 0,
            ..SolverOptions::default()
        };
        // Gauss-Seidel alone "converges" to the wrong masses...
        let (gs, _) = super::super::gauss_seidel::solve(&chain, &chain.incoming(), &opts).unwrap();
        let cluster_mass = |pi: &[f64], c: usize| pi[c * size..(c + 1) * size].iter().sum::<f64>();
        assert!((cluster_mass(&gs, 0) - cluster_mass(&exact, 0)).abs() > 0.01);
        assert!(inconsistency(&chain, &gs).unwrap() > 1e-3);
        // ...and the solver does not return them.
        let s = super::super::steady_state(&chain, &opts).unwrap();
        assert_eq!(s.method, super::super::Method::Aggregation);
        for (i, (got, want)) in s.pi.iter().zip(&exact).enumerate() {
            assert!(
                (got - want).abs() <= 1e-9 * want,
                "state {i}: {got} vs {want}"
            );
        }
    }
}
