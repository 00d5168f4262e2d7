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
