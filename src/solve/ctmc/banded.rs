//! GTH on a banded generator: eliminating state k only touches the states within the band
//! above it, and the fill stays inside the band, so the cost is O(n * lower * upper) and the
//! memory O(n * (lower + upper)). A bandwidth-reducing order (reverse Cuthill-McKee) is tried
//! when the states come in an unhelpful order.

use super::Ctmc;
use std::collections::VecDeque;

pub fn solve(c: &Ctmc) -> Vec<f64> {
    let n = c.states();
    let (lo, hi) = c.bandwidth();
    let w = lo + hi + 1;
    // Row i holds columns i - lo ..= i + hi at offsets 0 ..= lo + hi.
    let mut a = vec![0.0f64; n * w];
    let at = |i: usize, j: usize| i * w + (j + lo - i);
    for i in 0..n {
        for (j, r) in c.out(i) {
            a[at(i, j)] = r;
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
    let mut pi = vec![0.0; n];
    pi[0] = 1.0;
    for j in 1..n {
        pi[j] = (j.saturating_sub(hi)..j).map(|i| pi[i] * a[at(i, j)]).sum();
    }
    let total: f64 = pi.iter().sum();
    pi.iter_mut().for_each(|p| *p /= total);
    pi
}

/// Reverse Cuthill-McKee order of the states (on the symmetrised transition graph).
pub fn reverse_cuthill_mckee(c: &Ctmc) -> Vec<usize> {
    let n = c.states();
    let mut adj: Vec<Vec<u32>> = vec![Vec::new(); n];
    for i in 0..n {
        for (j, _) in c.out(i) {
            adj[i].push(j as u32);
            adj[j].push(i as u32);
        }
    }
    for l in &mut adj {
        l.sort_unstable();
        l.dedup();
    }
    let degree = |i: usize| adj[i].len();
    let mut seen = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut queue = VecDeque::new();
    let mut by_degree: Vec<usize> = (0..n).collect();
    by_degree.sort_by_key(|&i| degree(i));
    for &start in &by_degree {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        queue.push_back(start);
        while let Some(i) = queue.pop_front() {
            order.push(i);
            let mut next: Vec<usize> = adj[i]
                .iter()
                .map(|&j| j as usize)
                .filter(|&j| !seen[j])
                .collect();
            next.sort_by_key(|&j| degree(j));
            for j in next {
                seen[j] = true;
                queue.push_back(j);
            }
        }
    }
    order.reverse();
    order
}
