//! A continuous-time Markov chain as compiled from a block: its generator in compressed rows,
//! built once here and read by the solvers (`solve::ctmc`), the transient measures, the
//! simulation and the reports.

/// A CTMC: transition rates between states (per hour), which states are up, and state 0 as
/// the initial state.
#[derive(Debug, Clone)]
pub struct Ctmc {
    n: usize,
    /// Outgoing transitions of each state, in CSR form (merged, no self-loops, rates > 0).
    out_start: Vec<usize>,
    out_to: Vec<u32>,
    out_rate: Vec<f64>,
    pub up: Vec<bool>,
}

/// Incoming transitions in CSR form: for state j, sources `from[start[j]..start[j + 1]]`
/// with the rates beside them.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub start: Vec<usize>,
    pub from: Vec<u32>,
    pub rates: Rates,
}

/// The rates of the incoming transitions, in the order of `from`. A chain built from a
/// model's components has few distinct rates (2^20 states of 20 components with one crew:
/// 40), and a one-byte code per transition instead of eight bytes makes a Gauss-Seidel sweep,
/// which is bound by memory traffic, about 1.4 times faster.
#[derive(Debug, Clone)]
pub enum Rates {
    Plain(Vec<f64>),
    /// `table[code[k]]` is transition k's rate.
    Coded {
        code: Vec<u8>,
        table: Vec<f64>,
    },
}

impl Rates {
    /// Transition k's rate.
    pub fn get(&self, k: usize) -> f64 {
        match self {
            Rates::Plain(r) => r[k],
            Rates::Coded { code, table } => table[code[k] as usize],
        }
    }
}

/// One-byte codes for `rates` when they take at most 256 distinct values (bit for bit), with
/// the table of those values; None past 256.
fn coded(rates: &[f64]) -> Option<(Vec<u8>, Vec<f64>)> {
    // Open addressing on the bits, 1,024 slots for at most 256 keys: short probes.
    const SLOTS: usize = 1024;
    let mut slot_key = [u64::MAX; SLOTS];
    let mut slot_code = [0u8; SLOTS];
    let mut table: Vec<f64> = Vec::new();
    let mut code = Vec::with_capacity(rates.len());
    for &r in rates {
        let bits = r.to_bits();
        // Fibonacci hashing: the top ten bits of the product.
        let mut h = (bits.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 54) as usize;
        loop {
            if slot_key[h] == bits {
                code.push(slot_code[h]);
                break;
            }
            if slot_key[h] == u64::MAX {
                if table.len() == 256 {
                    return None;
                }
                slot_key[h] = bits;
                slot_code[h] = table.len() as u8;
                code.push(table.len() as u8);
                table.push(r);
                break;
            }
            h = (h + 1) % SLOTS;
        }
    }
    Some((code, table))
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
        let per_row = row.len() / n.max(1) + 1;
        Ctmc::from_rows(
            n,
            per_row,
            |i, out| out.extend_from_slice(&row[start[i]..start[i + 1]]),
            up,
        )
    }

    /// Builds a chain row by row: `row_of` gives, for each state in order, its outgoing
    /// (target, rate) pairs (any order; zero rates and self-loops dropped, parallel
    /// transitions merged), with no list of every transition held at once.
    pub fn from_rows(
        n: usize,
        per_row: usize,
        mut row_of: impl FnMut(usize, &mut Vec<(u32, f64)>),
        up: Vec<bool>,
    ) -> Ctmc {
        assert_eq!(up.len(), n);
        // `per_row`: the expected transitions per state, so that the rows are not copied
        // again and again as they grow.
        let mut out_start = Vec::with_capacity(n + 1);
        let mut out_to: Vec<u32> = Vec::with_capacity(n.saturating_mul(per_row));
        let mut out_rate: Vec<f64> = Vec::with_capacity(n.saturating_mul(per_row));
        let mut row = Vec::new();
        out_start.push(0);
        for i in 0..n {
            row.clear();
            row_of(i, &mut row);
            row.retain(|&(b, r)| b as usize != i && r > 0.0);
            if !row.is_sorted_by_key(|&(b, _)| b) {
                row.sort_unstable_by_key(|&(b, _)| b);
            }
            let first = out_to.len();
            for &(b, rate) in &row {
                assert!((b as usize) < n, "transition {i} -> {b} outside 0..{n}");
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
    /// Incoming transitions, built on demand: a solver builds them once per solve and drops
    /// them after, so a large chain kept for the reports does not keep them too.
    pub fn incoming(&self) -> Incoming {
        {
            let mut start = vec![0usize; self.n + 1];
            for &j in &self.out_to {
                start[j as usize + 1] += 1;
            }
            for i in 0..self.n {
                start[i + 1] += start[i];
            }
            let mut fill = start.clone();
            let mut from = vec![0u32; self.out_to.len()];
            // (Rates are positive doubles, never u64::MAX's bits, the empty slot's key.)
            let rates = match coded(&self.out_rate) {
                Some((out_code, table)) => {
                    let mut code = vec![0u8; self.out_to.len()];
                    for i in 0..self.n {
                        let r = self.out_start[i]..self.out_start[i + 1];
                        for (&j, &c) in self.out_to[r.clone()].iter().zip(&out_code[r]) {
                            let j = j as usize;
                            from[fill[j]] = i as u32;
                            code[fill[j]] = c;
                            fill[j] += 1;
                        }
                    }
                    Rates::Coded { code, table }
                }
                None => {
                    let mut rate = vec![0.0; self.out_to.len()];
                    for i in 0..self.n {
                        for (j, r) in self.out(i) {
                            from[fill[j]] = i as u32;
                            rate[fill[j]] = r;
                            fill[j] += 1;
                        }
                    }
                    Rates::Plain(rate)
                }
            };
            Incoming { start, from, rates }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A ring of n states, state i to i + 1 at rate r(i): its incoming transitions.
    fn ring(n: usize, r: impl Fn(usize) -> f64) -> Incoming {
        Ctmc::new(n, (0..n).map(|i| (i, (i + 1) % n, r(i))), vec![true; n]).incoming()
    }

    /// Up to 256 distinct rates are coded, bit for bit (1/3 and its neighbour double apart);
    /// the 257th leaves them plain. Either way each transition reads its own rate.
    #[test]
    fn rates_coded_up_to_256_distinct_values() {
        let third = 1.0f64 / 3.0;
        let rate = |i: usize| {
            if i.is_multiple_of(2) {
                third
            } else {
                f64::from_bits(third.to_bits() + 1 + (i % 510) as u64 / 2)
            }
        };
        // Rates of 510 states: 1/3 and 255 neighbours of it, 256 values.
        let inc = ring(510, rate);
        let Rates::Coded { table, .. } = &inc.rates else {
            panic!("256 distinct rates are coded")
        };
        assert_eq!(table.len(), 256);
        for j in 0..510 {
            let k = inc.start[j];
            assert_eq!(
                inc.rates.get(k).to_bits(),
                rate(inc.from[k] as usize).to_bits()
            );
        }
        let inc = ring(512, |i| if i == 511 { 2.0 } else { rate(i) });
        assert!(matches!(inc.rates, Rates::Plain(_)), "257 distinct rates");
        for j in 0..512 {
            let k = inc.start[j];
            let i = inc.from[k] as usize;
            assert_eq!(inc.rates.get(k), if i == 511 { 2.0 } else { rate(i) });
        }
    }
}
