//! Grassmann-Taksar-Heyman elimination on a dense generator.
//!
//! States are eliminated from the last to the first; the pivot of state k is the sum of its
//! rates to the states not yet eliminated, not 1 - (rates to eliminated ones), so nothing is
//! ever subtracted and every probability keeps its relative accuracy.
//!
//! The elimination runs on the embedded jump chain (each row divided by its exit rate, so
//! every entry lies in [0, 1]) and the result is divided by the exit rates at the end
//! (pi_i = nu_i / q_i, normalised): rates a hundred orders of magnitude apart cannot overflow
//! a product on the way.

use crate::compile::ctmc::Ctmc;

pub fn solve(c: &Ctmc) -> Vec<f64> {
    Factors::new(c).stationary()
}

/// The chain after GTH elimination of states n-1 down to 1: for i < k, `a[i][k]` holds the
/// multiplier P_ik / s_k, and `a[k][..k]` the transition probabilities of state k in the chain
/// censored to states 0..=k, whose sum s_k is k's pivot. The same factors give the stationary
/// distribution and expected rewards until state 0 is reached (for derivatives).
pub struct Factors {
    n: usize,
    a: Vec<f64>,
    exit: Vec<f64>,
}

impl Factors {
    pub fn new(c: &Ctmc) -> Factors {
        Factors::eliminate(c)
    }

    /// The body of `new`, under another name because cargo-mutants never mutates a function
    /// called `new`: this is the elimination, the part most worth mutating.
    fn eliminate(c: &Ctmc) -> Factors {
        let n = c.states();
        let exit = c.exit_rates();
        let mut a = vec![0.0f64; n * n];
        for i in 0..n {
            for (j, r) in c.out(i) {
                a[i * n + j] = r / exit[i];
            }
        }
        for k in (1..n).rev() {
            let (upper, lower) = a.split_at_mut(k * n);
            let row_k = &lower[..k];
            let s: f64 = row_k.iter().sum();
            for i in 0..k {
                let row_i = &mut upper[i * n..i * n + n];
                let aik = row_i[k] / s;
                row_i[k] = aik;
                if aik != 0.0 {
                    for (x, &y) in row_i[..k].iter_mut().zip(row_k) {
                        *x += aik * y;
                    }
                }
            }
        }
        Factors { n, a, exit }
    }

    pub fn stationary(&self) -> Vec<f64> {
        let (n, a) = (self.n, &self.a);
        let mut nu = vec![0.0; n];
        nu[0] = 1.0;
        for j in 1..n {
            nu[j] = (0..j).map(|i| nu[i] * a[i * n + j]).sum();
            super::rescale(&mut nu, j);
        }
        super::from_embedded(nu, &self.exit)
    }

    /// For each state, the expected reward earned until the chain first enters state 0 (the
    /// state plain GTH keeps), earning `rate[i]` (>= 0) per hour in state i: the solution of
    /// x_0 = 0, x_i = rate_i / q_i + sum_j P_ij x_j. Only additions, multiplications and
    /// divisions of non-negative numbers, so every entry keeps its relative accuracy.
    pub fn reward_until_reference(&self, rate: &[f64]) -> Vec<f64> {
        let (n, a) = (self.n, &self.a);
        let mut r: Vec<f64> = rate.iter().zip(&self.exit).map(|(x, q)| x / q).collect();
        // The right-hand side takes the same eliminations as the rows did.
        for k in (2..n).rev() {
            for i in 1..k {
                r[i] += a[i * n + k] * r[k];
            }
        }
        let mut x = vec![0.0; n];
        for k in 1..n {
            let row = &a[k * n..k * n + k];
            let s: f64 = row.iter().sum();
            let known: f64 = (1..k).map(|j| row[j] * x[j]).sum();
            x[k] = (r[k] + known) / s;
        }
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 500 copies failing at 0.1 for 3 repairers at 1, with a jump to all down: state 0 is
    /// 1e-700 as likely as the last, past a double's range; the unnormalised solution once
    /// overflowed to infinity and the block was refused.
    #[test]
    fn probabilities_beyond_a_double_s_range() {
        let n = 500usize;
        let mut t = Vec::new();
        for f in 0..=n {
            if f < n {
                t.push((f, f + 1, (n - f) as f64 * 0.08));
                t.push((f, n, 0.02));
            }
            if f > 0 {
                t.push((f, f - 1, f.min(3) as f64));
            }
        }
        let c = Ctmc::new(n + 1, t, vec![true; n + 1]);
        let pi = solve(&c);
        assert!(pi.iter().all(|p| p.is_finite()));
        let birth_death = crate::solve::ctmc::birth_death::solve_jumps_to_top(&c).unwrap();
        for (a, b) in pi.iter().zip(&birth_death) {
            // Below 1e-300 both are rounding of a subnormal.
            assert!((a - b).abs() <= 1e-12 * b + 1e-300, "{a} vs {b}");
        }
    }

    /// A cycle a -> b -> c -> a: pi_i is proportional to 1 / q_i exactly. Rates 1e+-160 and
    /// 1e+-170 once overflowed a product (0.4999972 instead of 0.5, then NaN).
    #[test]
    fn extreme_rates_on_a_cycle() {
        for (r0, r1, r2) in [
            (1e-160, 1e160, 1e-160),
            (1e170, 1e-170, 1.0),
            (1e-170, 1.0, 1e-170),
        ] {
            let c = Ctmc::new(
                3,
                [(0, 1, r0), (1, 2, r1), (2, 0, r2)],
                vec![true, false, false],
            );
            let pi = solve(&c);
            // Exact, in logs: pi_i = (1/r_i) / sum_j (1/r_j).
            let inv = [1.0 / r0, 1.0 / r1, 1.0 / r2];
            let top = inv.iter().cloned().fold(0.0, f64::max);
            let total: f64 = inv.iter().map(|x| x / top).sum();
            for i in 0..3 {
                let want = inv[i] / top / total;
                assert!(pi[i].is_finite());
                assert!(
                    (pi[i] - want).abs() <= 1e-14 * want.max(f64::MIN_POSITIVE),
                    "{i}: {} vs {want}",
                    pi[i]
                );
            }
        }
    }
}
