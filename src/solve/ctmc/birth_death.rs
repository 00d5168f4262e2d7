//! Birth-death chains (every transition goes to a neighbouring state): the product form
//! pi_{i+1} / pi_i = q(i, i+1) / q(i+1, i), in O(n), which is exactly what GTH computes on a
//! tridiagonal generator. Each product is kept as a mantissa in [1, 2) and a separate binary
//! exponent, so a million states with probabilities spanning thousands of orders of magnitude
//! neither overflow nor underflow before the normalisation, whatever the rates.

use crate::compile::ctmc::Ctmc;

pub fn applies(c: &Ctmc) -> bool {
    (0..c.states()).all(|i| c.out(i).all(|(j, _)| j + 1 == i || i + 1 == j))
}

/// `x` (finite, > 0) as (m, e) with x = m 2^e and m in [1, 2).
fn split(x: f64) -> (f64, i64) {
    // Subnormals first scaled into the normal range.
    let (x, shift) = if x < f64::MIN_POSITIVE {
        (x * 2f64.powi(64), -64)
    } else {
        (x, 0)
    };
    let bits = x.to_bits();
    let e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1023 << 52));
    (m, e + shift)
}

pub fn solve(c: &Ctmc) -> Vec<f64> {
    let rate = |i: usize, j: usize| c.out(i).find(|&(k, _)| k == j).map_or(0.0, |(_, r)| r);
    solve_rates(c.states(), |i| rate(i, i + 1), |i| rate(i + 1, i))
}

/// The steady state of the birth-death chain on `n` states going up from i at `up(i)` and
/// down from i + 1 at `down(i)` (both positive), without building the chain.
pub fn solve_rates(n: usize, up: impl Fn(usize) -> f64, down: impl Fn(usize) -> f64) -> Vec<f64> {
    let mut mantissa = Vec::with_capacity(n);
    let mut exponent = Vec::with_capacity(n);
    let (mut m, mut e) = (1.0f64, 0i64);
    mantissa.push(m);
    exponent.push(e);
    for i in 0..n - 1 {
        // Both rates are positive in an irreducible birth-death chain.
        let (up_m, up_e) = split(up(i));
        let (down_m, down_e) = split(down(i));
        let (r_m, r_e) = split(m * up_m / down_m);
        m = r_m;
        e += r_e + up_e - down_e;
        mantissa.push(m);
        exponent.push(e);
    }
    let top = *exponent.iter().max().unwrap_or(&0);
    let mut pi: Vec<f64> = mantissa
        .iter()
        .zip(&exponent)
        .map(|(&m, &e)| {
            // Below 2^-1100 of the largest a term is zero in double precision anyway.
            let shift = (e - top).max(-1100) as i32;
            m * 2f64.powi(shift)
        })
        .collect();
    let total: f64 = pi.iter().sum();
    pi.iter_mut().for_each(|p| *p /= total);
    pi
}

/// A number as m 2^e (m in [1, 2), or 0): sums and products of positive numbers over any
/// range, for the recursion below.
#[derive(Debug, Clone, Copy)]
struct Wide {
    m: f64,
    e: i64,
}

impl Wide {
    const ZERO: Wide = Wide { m: 0.0, e: 0 };

    fn of(x: f64) -> Wide {
        if x <= 0.0 {
            return Wide::ZERO;
        }
        let (m, e) = split(x);
        Wide { m, e }
    }

    fn times(self, x: f64) -> Wide {
        if self.m == 0.0 || x <= 0.0 {
            return Wide::ZERO;
        }
        let (xm, xe) = split(x);
        let (m, e) = split(self.m * xm);
        Wide {
            m,
            e: self.e + xe + e,
        }
    }

    fn over(self, x: f64) -> Wide {
        let (xm, xe) = split(x);
        if self.m == 0.0 {
            return Wide::ZERO;
        }
        let (m, e) = split(self.m / xm);
        Wide {
            m,
            e: self.e - xe + e,
        }
    }

    fn plus(self, other: Wide) -> Wide {
        let (big, small) = match (self.m == 0.0, other.m == 0.0) {
            (true, _) => return other,
            (_, true) => return self,
            _ if self.e >= other.e => (self, other),
            _ => (other, self),
        };
        let gap = (big.e - small.e).min(1100) as i32;
        let (m, e) = split(big.m + small.m * 2f64.powi(-gap));
        Wide { m, e: big.e + e }
    }
}

/// Whether every transition goes to a neighbour or to the last state: a birth-death chain
/// with jumps to the top (copies where one common-cause event takes every copy down, each
/// then repaired on its own).
pub fn jumps_to_top(c: &Ctmc) -> bool {
    let top = c.states() - 1;
    (0..c.states()).all(|i| c.out(i).all(|(j, _)| j + 1 == i || i + 1 == j || j == top))
}

/// The steady state of a chain of [`jumps_to_top`] in O(n), or None when it is not one.
/// Across the cut between states 0..=f and f+1.., the only way down is f+1 -> f, so
/// pi_{f+1} q(f+1, f) = pi_f q(f, f+1) + sum over g <= f of pi_g x (g's jump to the top):
/// sums of positive terms, each number kept as mantissa and exponent, as for birth-death.
pub fn solve_jumps_to_top(c: &Ctmc) -> Option<Vec<f64>> {
    let n = c.states();
    if n < 2 || !jumps_to_top(c) {
        return None;
    }
    let top = n - 1;
    let rate = |i: usize, j: usize| c.out(i).find(|&(k, _)| k == j).map_or(0.0, |(_, r)| r);
    let mut pi = Vec::with_capacity(n);
    pi.push(Wide::of(1.0));
    // Flow from the states so far straight to the top (jumps past the next state).
    let mut jumped = Wide::ZERO;
    for f in 0..top {
        if f + 1 < top {
            jumped = jumped.plus(pi[f].times(rate(f, top)));
        }
        let down = rate(f + 1, f);
        if down <= 0.0 {
            return None;
        }
        let across = pi[f].times(rate(f, f + 1)).plus(jumped);
        pi.push(across.over(down));
    }
    let high = pi
        .iter()
        .filter(|w| w.m > 0.0)
        .map(|w| w.e)
        .max()
        .unwrap_or(0);
    let mut out: Vec<f64> = pi
        .iter()
        .map(|w| w.m * 2f64.powi((w.e - high).max(-1100) as i32))
        .collect();
    let total: f64 = out.iter().sum();
    out.iter_mut().for_each(|p| *p /= total);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_keeps_the_value() {
        for x in [1.0, 3.0, 1e-300, 5e-324, 1e300, f64::MAX, 0.75] {
            let (m, e) = split(x);
            assert!((1.0..2.0).contains(&m), "{x}: {m}");
            let back = m * 2f64.powi(e as i32 / 2) * 2f64.powi(e as i32 - e as i32 / 2);
            assert_eq!(back, x);
        }
    }

    /// Rates 1e300 and 1e-300 (ratios that overflow a double) give the right distribution.
    #[test]
    fn extreme_ratios_do_not_overflow() {
        let c = Ctmc::new(
            3,
            [(0, 1, 1e300), (1, 0, 1e-300), (1, 2, 1.0), (2, 1, 1.0)],
            vec![true, true, false],
        );
        let pi = solve(&c);
        // pi1 / pi0 = 1e600, pi2 / pi1 = 1: pi = (0, 1/2, 1/2) in doubles.
        assert_eq!(pi[0], 0.0);
        assert!((pi[1] - 0.5).abs() < 1e-15 && (pi[2] - 0.5).abs() < 1e-15);
    }
}
