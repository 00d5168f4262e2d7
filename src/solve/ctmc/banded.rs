//! GTH on a banded generator: eliminating state k only touches the states within the band
//! above it, and the fill stays inside the band, so the cost is O(n * lower * upper) and the
//! memory O(n * (lower + upper)). A bandwidth-reducing order (reverse Cuthill-McKee) is tried
//! when the states come in an unhelpful order.

use crate::compile::ctmc::{Ctmc, Incoming};
use std::collections::VecDeque;

pub fn solve(c: &Ctmc) -> Vec<f64> {
    let n = c.states();
    let (lo, hi) = c.bandwidth();
    let w = lo + hi + 1;
    // Row i holds columns i - lo ..= i + hi at offsets 0 ..= lo + hi.
    let mut a = vec![0.0f64; n * w];
    let at = |i: usize, j: usize| i * w + (j + lo - i);
    // The embedded jump chain, as in dense GTH: entries in [0, 1].
    let exit = c.exit_rates();
    for i in 0..n {
        for (j, r) in c.out(i) {
            a[at(i, j)] = r / exit[i];
        }
    }
    for k in (1..n).rev() {
        let first_col = k.saturating_sub(lo);
        let first_row = k.saturating_sub(hi);
        let s: f64 = (first_col..k).map(|j| a[at(k, j)]).sum();
        for i in first_row..k {
            let idx = at(i, k);
            let aik = a[idx] / s;
            a[idx] = aik;
            if aik == 0.0 {
                continue;
            }
            // Row i, columns first_col..k += aik * row k, same columns.
            let (head, tail) = a.split_at_mut(k * w);
            let row_k = &tail[first_col + lo - k..lo];
            let start_i = i * w + (first_col + lo - i);
            let row_i = &mut head[start_i..start_i + (k - first_col)];
            for (x, &y) in row_i.iter_mut().zip(row_k) {
                *x += aik * y;
            }
        }
    }
    let mut nu = vec![0.0; n];
    nu[0] = 1.0;
    for j in 1..n {
        nu[j] = (j.saturating_sub(hi)..j).map(|i| nu[i] * a[at(i, j)]).sum();
    }
    super::from_embedded(nu, &exit)
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
