//! GTH on a banded generator: eliminating state k only touches the states within the band
//! above it, and the fill stays inside the band, so the cost is O(n * lower * upper) and the
//! memory O(n * (lower + upper)). A bandwidth-reducing order (reverse Cuthill-McKee) is tried
//! when the states come in an unhelpful order.

use crate::compile::ctmc::{Ctmc, Incoming};
use std::collections::VecDeque;

pub fn solve(c: &Ctmc) -> Vec<f64> {
    Factors::new(c, 0).stationary()
}

/// The banded GTH factors: row i holds columns i - lo ..= i + hi at offsets 0 ..= lo + hi.
///
/// Every state but a reference state r is eliminated: those above r from the top down, then
/// those below r from the bottom up, so the fill stays inside the band whichever state is
/// kept (r = 0 is plain GTH). When state k is eliminated, the multipliers P_ik / s_k of the
/// remaining states i are stored in column k, and row k keeps k's transition probabilities
/// in the chain censored to the remaining states, whose sum s_k is its pivot.
pub struct Factors {
    n: usize,
    lo: usize,
    hi: usize,
    reference: usize,
    a: Vec<f64>,
    exit: Vec<f64>,
}

impl Factors {
    fn at(&self, i: usize, j: usize) -> usize {
        i * (self.lo + self.hi + 1) + (j + self.lo - i)
    }

    /// The states in the order they are eliminated.
    fn order(&self) -> impl DoubleEndedIterator<Item = usize> + use<> {
        ((self.reference + 1)..self.n)
            .rev()
            .chain(0..self.reference)
    }

    /// The states still there when `k` is eliminated.
    fn remaining(&self, k: usize) -> std::ops::Range<usize> {
        if k > self.reference {
            0..k
        } else {
            k + 1..self.reference + 1
        }
    }

    /// Remaining states that k has a transition to (row k's stored columns).
    fn columns(&self, k: usize) -> std::ops::Range<usize> {
        let r = self.remaining(k);
        r.start.max(k.saturating_sub(self.lo))..r.end.min(k + self.hi + 1)
    }

    /// Remaining states with a transition to k (column k's stored rows).
    fn rows(&self, k: usize) -> std::ops::Range<usize> {
        let r = self.remaining(k);
        r.start.max(k.saturating_sub(self.hi))..r.end.min(k + self.lo + 1)
    }

    fn pivot(&self, k: usize) -> f64 {
        self.columns(k).map(|j| self.a[self.at(k, j)]).sum()
    }

    pub fn new(c: &Ctmc, reference: usize) -> Factors {
        Self::eliminate(c, reference)
    }

    /// The elimination itself, outside `new`: cargo-mutants leaves functions named `new`
    /// alone, and this is the banded GTH that its tests are meant to guard.
    fn eliminate(c: &Ctmc, reference: usize) -> Factors {
        let n = c.states();
        let (lo, hi) = c.bandwidth();
        let mut f = Factors {
            n,
            lo,
            hi,
            reference,
            a: vec![0.0f64; n * (lo + hi + 1)],
            exit: c.exit_rates(),
        };
        // The embedded jump chain, as in dense GTH: entries in [0, 1].
        for i in 0..n {
            for (j, r) in c.out(i) {
                let idx = f.at(i, j);
                f.a[idx] = r / f.exit[i];
            }
        }
        let mut row_k = Vec::with_capacity(lo + hi + 1);
        for k in f.order() {
            let cols = f.columns(k);
            row_k.clear();
            row_k.extend(cols.clone().map(|j| f.a[f.at(k, j)]));
            let s: f64 = row_k.iter().sum();
            for i in f.rows(k) {
                let idx = f.at(i, k);
                let aik = f.a[idx] / s;
                f.a[idx] = aik;
                if aik == 0.0 {
                    continue;
                }
                // Row i += aik * row k, on the remaining columns (contiguous in row i).
                let start = f.at(i, cols.start);
                for (x, &y) in f.a[start..start + row_k.len()].iter_mut().zip(&row_k) {
                    *x += aik * y;
                }
            }
        }
        f
    }

    pub fn stationary(&self) -> Vec<f64> {
        let mut nu = vec![0.0; self.n];
        nu[self.reference] = 1.0;
        for k in self.order().rev() {
            nu[k] = self.rows(k).map(|i| nu[i] * self.a[self.at(i, k)]).sum();
            super::rescale(&mut nu, k);
        }
        super::from_embedded(nu, &self.exit)
    }

    /// For each state, the expected reward earned until the chain first enters the
    /// reference state, earning `rate[i]` (>= 0) per hour in state i: the solution of
    /// x_r = 0, x_i = rate_i / q_i + sum_j P_ij x_j. Only sums and products of non-negative
    /// numbers, so every entry keeps its relative accuracy.
    pub fn reward_until_reference(&self, rate: &[f64]) -> Vec<f64> {
        let r = self.reference;
        let mut b: Vec<f64> = rate.iter().zip(&self.exit).map(|(x, q)| x / q).collect();
        // The right-hand side takes the same eliminations as the rows did.
        for k in self.order() {
            for i in self.rows(k).filter(|&i| i != r) {
                b[i] += self.a[self.at(i, k)] * b[k];
            }
        }
        let mut x = vec![0.0; self.n];
        for k in self.order().rev() {
            let known: f64 = self
                .columns(k)
                .filter(|&j| j != r)
                .map(|j| self.a[self.at(k, j)] * x[j])
                .sum();
            x[k] = (b[k] + known) / self.pivot(k);
        }
        x
    }
}

/// Reverse Cuthill-McKee order of the states (on the symmetrised transition graph).
pub fn reverse_cuthill_mckee(c: &Ctmc, inc: &Incoming) -> Vec<usize> {
    let n = c.states();
    let (in_start, in_from) = (&inc.start, &inc.from);
    let degree = |i: usize| c.out(i).count() + in_start[i + 1] - in_start[i];
    let mut seen = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut queue = VecDeque::new();
    let mut by_degree: Vec<usize> = (0..n).collect();
    by_degree.sort_by_key(|&i| degree(i));
    let mut next: Vec<(usize, usize)> = Vec::new();
    for &start in &by_degree {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        queue.push_back(start);
        while let Some(i) = queue.pop_front() {
            order.push(i);
            next.clear();
            let incoming = in_from[in_start[i]..in_start[i + 1]]
                .iter()
                .map(|&j| j as usize);
            for j in c.out(i).map(|(j, _)| j).chain(incoming) {
                if !seen[j] {
                    seen[j] = true;
                    next.push((degree(j), j));
                }
            }
            next.sort_unstable();
            queue.extend(next.iter().map(|&(_, j)| j));
        }
    }
    order.reverse();
    order
}

/// The most states at one distance from state 0 (on the symmetrised graph): a cheap
/// estimate of the bandwidth a Cuthill-McKee ordering can reach.
/// The search stops as soon as a level is wider than `enough` (the answer is then "wider").
pub fn widest_bfs_level(c: &Ctmc, inc: &Incoming, enough: usize) -> usize {
    let n = c.states();
    let mut level = vec![u32::MAX; n];
    level[0] = 0;
    let mut frontier = vec![0usize];
    let mut widest = 1;
    let mut d = 0;
    while !frontier.is_empty() {
        d += 1;
        let mut next = Vec::new();
        for &i in &frontier {
            let incoming = inc.from[inc.start[i]..inc.start[i + 1]]
                .iter()
                .map(|&j| j as usize);
            for j in c.out(i).map(|(j, _)| j).chain(incoming) {
                if level[j] == u32::MAX {
                    level[j] = d;
                    next.push(j);
                }
            }
        }
        widest = widest.max(next.len());
        if widest > enough {
            break;
        }
        frontier = next;
    }
    widest
}

/// The ring folded: 0, n-1, 1, n-2, 2, ... (`order[k]` is the state numbered k). States
/// d apart around the ring end up at most 2d + 1 apart.
pub fn folded_order(n: usize) -> Vec<usize> {
    (0..n)
        .map(|k| if k % 2 == 0 { k / 2 } else { n - 1 - k / 2 })
        .collect()
}

/// Lower and upper bandwidth the chain would have in the given order.
pub fn bandwidth_in(c: &Ctmc, order: &[usize]) -> (usize, usize) {
    let mut position = vec![0usize; order.len()];
    for (k, &s) in order.iter().enumerate() {
        position[s] = k;
    }
    let (mut lower, mut upper) = (0, 0);
    for i in 0..c.states() {
        for (j, _) in c.out(i) {
            let (pi, pj) = (position[i], position[j]);
            if pj < pi {
                lower = lower.max(pi - pj);
            } else {
                upper = upper.max(pj - pi);
            }
        }
    }
    (lower, upper)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The widest breadth-first level from state 0, following transitions both ways: the
    /// 10-cube's levels are C(10, d) (widest 252), and a search told "enough" at 100 or at
    /// 120 stops at the first level past it (120, then 210); a one-way ring is two wide.
    #[test]
    fn widest_breadth_first_level() {
        let bits = 10;
        let cube = Ctmc::new(
            1 << bits,
            (0..1usize << bits).flat_map(|s| (0..bits).map(move |b| (s, s ^ (1 << b), 1.0))),
            vec![true; 1 << bits],
        );
        let inc = cube.incoming();
        assert_eq!(widest_bfs_level(&cube, &inc, usize::MAX), 252);
        assert_eq!(widest_bfs_level(&cube, &inc, 100), 120);
        assert_eq!(widest_bfs_level(&cube, &inc, 120), 210);
        let ring = Ctmc::new(10, (0..10).map(|i| (i, (i + 1) % 10, 1.0)), vec![true; 10]);
        assert_eq!(widest_bfs_level(&ring, &ring.incoming(), usize::MAX), 2);
    }

    /// The ring folded from state 0: 0, n-1, 1, n-2, ... for odd and even n.
    #[test]
    fn ring_folded() {
        assert_eq!(folded_order(5), [0, 4, 1, 3, 2]);
        assert_eq!(folded_order(6), [0, 5, 1, 4, 2, 3]);
    }

    /// Keeping any state as the reference gives the same distribution (to rounding) and
    /// rewards that satisfy their equations.
    #[test]
    fn any_reference_state() {
        // A banded chain (lower 2, upper 1) with rates over four decades.
        let n = 40;
        let mut t = Vec::new();
        for i in 0..n {
            if i + 1 < n {
                t.push((i, i + 1, 1.0 + (i % 3) as f64));
            }
            if i >= 1 {
                t.push((i, i - 1, 0.01 * (1 + i % 5) as f64));
            }
            if i >= 2 {
                t.push((i, i - 2, 10.0));
            }
        }
        let c = Ctmc::new(n, t, (0..n).map(|i| i < 30).collect());
        let base = Factors::new(&c, 0).stationary();
        let exit = c.exit_rates();
        for r in [0, 1, 17, 38, 39] {
            let f = Factors::new(&c, r);
            for (a, b) in f.stationary().iter().zip(&base) {
                assert!((a - b).abs() <= 1e-13 * b, "reference {r}: {a} vs {b}");
            }
            let rate: Vec<f64> = (0..n).map(|i| 1.0 + i as f64).collect();
            let x = f.reward_until_reference(&rate);
            assert_eq!(x[r], 0.0);
            for i in (0..n).filter(|&i| i != r) {
                let next: f64 = c.out(i).map(|(j, q)| q / exit[i] * x[j]).sum();
                let want = rate[i] / exit[i] + next;
                assert!(
                    (x[i] - want).abs() <= 1e-12 * want,
                    "{r}, {i}: {} vs {want}",
                    x[i]
                );
            }
        }
    }
}
