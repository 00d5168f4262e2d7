//! Birth-death chains (every transition goes to a neighbouring state): the product form
//! pi_{i+1} / pi_i = q(i, i+1) / q(i+1, i), in O(n), which is exactly what GTH computes on a
//! tridiagonal generator. Products are kept with a separate binary exponent so that a
//! million states with probabilities spanning thousands of orders of magnitude neither
//! overflow nor underflow before the normalisation.

use crate::compile::ctmc::Ctmc;

pub fn applies(c: &Ctmc) -> bool {
    (0..c.states()).all(|i| c.out(i).all(|(j, _)| j + 1 == i || i + 1 == j))
}

/// Rescaling step: values are kept in [2^-SCALE, 2^SCALE] times 2^(SCALE * exponent).
const SCALE: i32 = 500;

pub fn solve(c: &Ctmc) -> Vec<f64> {
    let n = c.states();
    let rate = |i: usize, j: usize| c.out(i).find(|&(k, _)| k == j).map_or(0.0, |(_, r)| r);
    let big = 2f64.powi(SCALE);
    let mut mantissa = Vec::with_capacity(n);
    let mut exponent = Vec::with_capacity(n);
    let (mut m, mut e) = (1.0f64, 0i64);
    mantissa.push(m);
    exponent.push(e);
    for i in 0..n - 1 {
        m *= rate(i, i + 1) / rate(i + 1, i);
        while m > big {
            m /= big;
            e += 1;
        }
        while m < 1.0 / big && m > 0.0 {
            m *= big;
            e -= 1;
        }
        mantissa.push(m);
        exponent.push(e);
    }
    let top = *exponent.iter().max().expect("at least one state");
    let mut pi: Vec<f64> = mantissa
        .iter()
        .zip(&exponent)
        .map(|(&m, &e)| {
            let shift = e - top;
            if shift < -3 {
                0.0
            } else {
                m * big.powi(shift as i32)
            }
        })
        .collect();
    let total: f64 = pi.iter().sum();
    pi.iter_mut().for_each(|p| *p /= total);
    pi
}
