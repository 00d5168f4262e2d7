//! The exact derivative of a chain's unavailability with respect to a parameter that scales
//! some of its rates (a component's failure rate inside a standby or shared-repair block),
//! for Birnbaum importance: no finite differences.
//!
//! With Q = lambda F + R, pi Q = 0 and U = sum of pi over the down states g, differentiating
//! gives dU/dlambda = pi F h, where h solves the Poisson equation Q h = U 1 - g. With a
//! reference state r, h = D - U T: T_i is the expected time to reach r from i and D_i the
//! expected down time before reaching it. Both are expected rewards with non-negative
//! rates, solved on the same GTH factors as the steady state with only sums of non-negative
//! terms (each keeps its relative accuracy); the one subtraction left, D - U T, loses
//! little when U is small, which is where the digits matter. A birth-death chain has the
//! closed form d log pi_i / d log lambda = sum of the log-derivatives of the rate ratios.

use super::{Direct, SolverOptions, banded, direct_method, gth};
use crate::compile::ctmc::Ctmc;

/// lambda dU/dlambda for `chain`, where `scaled` (same states) holds the part of each
/// transition's rate that is proportional to lambda (the rest does not depend on it), and
/// `pi` is the chain's stationary distribution. None when the chain is too large for the
/// direct methods or the result is not a finite number.
pub fn unavailability_slope(
    chain: &Ctmc,
    scaled: &Ctmc,
    pi: &[f64],
    opts: &SolverOptions,
) -> Option<f64> {
    let n = chain.states();
    let u: f64 = (0..n).filter(|&i| !chain.up[i]).map(|i| pi[i]).sum();
    let inc = chain.incoming();
    // The most probable state as the reference: the times to reach it stay moderate even
    // where state 0 is nearly never visited (hitting times of an improbable state are huge,
    // and D - U T would cancel).
    let most_probable = |p: &[f64]| (0..n).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap_or(0);
    let slope = match direct_method(chain, &inc, opts)? {
        Direct::Single => 0.0,
        Direct::BirthDeath => birth_death_slope(chain, scaled, pi),
        // No factors to reuse: the importance is then not computed (shown as such).
        Direct::JumpsToTop => return None,
        Direct::Dense => {
            // Dense GTH keeps state 0: the reference is moved there.
            let r = most_probable(pi);
            let order: Vec<usize> = std::iter::once(r)
                .chain((0..n).filter(|&i| i != r))
                .collect();
            let (c, s, p) = permuted(chain, scaled, pi, &order);
            let f = gth::Factors::new(&c);
            poisson_slope(&c, &s, &p, u, |rate| f.reward_until_reference(rate))
        }
        Direct::Banded => {
            let f = banded::Factors::new(chain, most_probable(pi));
            poisson_slope(chain, scaled, pi, u, |rate| f.reward_until_reference(rate))
        }
        Direct::BandedReordered(order) => {
            let (c, s, p) = permuted(chain, scaled, pi, &order);
            let f = banded::Factors::new(&c, most_probable(&p));
            poisson_slope(&c, &s, &p, u, |rate| f.reward_until_reference(rate))
        }
    };
    slope.is_finite().then_some(slope.max(0.0) + 0.0)
}

fn permuted(chain: &Ctmc, scaled: &Ctmc, pi: &[f64], order: &[usize]) -> (Ctmc, Ctmc, Vec<f64>) {
    (
        chain.permuted(order),
        scaled.permuted(order),
        order.iter().map(|&s| pi[s]).collect(),
    )
}

/// pi (lambda F) h with h = D - U T relative to the reference state, the rewards computed
/// by `rewards`.
fn poisson_slope(
    chain: &Ctmc,
    scaled: &Ctmc,
    pi: &[f64],
    u: f64,
    rewards: impl Fn(&[f64]) -> Vec<f64>,
) -> f64 {
    let n = chain.states();
    let time = rewards(&vec![1.0; n]);
    let down_rate: Vec<f64> = chain
        .up
        .iter()
        .map(|&up| if up { 0.0 } else { 1.0 })
        .collect();
    let down = rewards(&down_rate);
    (0..n)
        .map(|i| {
            let moved: f64 = scaled
                .out(i)
                .map(|(j, s)| s * ((down[j] - down[i]) - u * (time[j] - time[i])))
                .sum();
            pi[i] * moved
        })
        .sum()
}

/// Closed form on a birth-death chain: pi_{i+1} / pi_i = up_i / down_{i+1}, so
/// c_i = d log pi_i / d log lambda (up to a constant) is the running sum of
/// (lambda part / rate) of the up rates minus that of the down rates, and
/// lambda dU/dlambda = sum over down states of pi_i (c_i - mean c).
fn birth_death_slope(chain: &Ctmc, scaled: &Ctmc, pi: &[f64]) -> f64 {
    let n = chain.states();
    let rate =
        |c: &Ctmc, i: usize, j: usize| c.out(i).find(|&(k, _)| k == j).map_or(0.0, |(_, r)| r);
    let mut log_slope = vec![0.0; n];
    for i in 0..n - 1 {
        let up = rate(scaled, i, i + 1) / rate(chain, i, i + 1);
        let down = rate(scaled, i + 1, i) / rate(chain, i + 1, i);
        log_slope[i + 1] = log_slope[i] + up - down;
    }
    let mean: f64 = pi.iter().zip(&log_slope).map(|(p, c)| p * c).sum();
    (0..n)
        .filter(|&i| !chain.up[i])
        .map(|i| pi[i] * (log_slope[i] - mean))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One unit: lambda dU/dlambda = U A exactly.
    #[test]
    fn two_states() {
        let (l, m) = (1e-4, 0.5);
        let c = Ctmc::new(2, [(0, 1, l), (1, 0, m)], vec![true, false]);
        let s = Ctmc::new(2, [(0, 1, l)], vec![true, false]);
        let u = l / (l + m);
        let pi = [1.0 - u, u];
        let want = u * (1.0 - u);
        let got = unavailability_slope(&c, &s, &pi, &SolverOptions::default()).unwrap();
        assert!((got - want).abs() <= 1e-15 * want, "{got} vs {want}");
    }

    /// A birth-death chain whose scaled rate goes down the states (state 0 is the down
    /// one): U = x / (x + K) with x = lambda / m, so lambda dU/dlambda = U A again.
    #[test]
    fn scaled_rate_down_the_states() {
        let (l, m, r, s) = (2e-3, 0.5, 0.01, 0.2);
        let c = Ctmc::new(
            3,
            [(0, 1, m), (1, 0, l), (1, 2, r), (2, 1, s)],
            vec![false, true, true],
        );
        let scaled = Ctmc::new(3, [(1, 0, l)], vec![false, true, true]);
        let (x, k) = (l / m, 1.0 + r / s);
        let u = x / (x + k);
        let pi = [u, 1.0 / (x + k), (r / s) / (x + k)];
        let want = u * (1.0 - u);
        let got = unavailability_slope(&c, &scaled, &pi, &SolverOptions::default()).unwrap();
        assert!((got - want).abs() <= 1e-14 * want, "{got} vs {want}");
    }

    /// The same non-birth-death chain through dense and banded factors, against the
    /// closed form of two independent units in series written as a 4-state product chain
    /// (U = 1 - A1 A2, lambda dU/dlambda = U1 A1 A2 + U2 A2 A1 when both scale).
    #[test]
    fn product_chain_dense_and_banded() {
        let (l1, m1, l2, m2) = (2e-3, 0.25, 5e-4, 0.1);
        // States: bit 0 = unit 1 down, bit 1 = unit 2 down.
        let t = [
            (0, 1, l1),
            (0, 2, l2),
            (1, 0, m1),
            (1, 3, l2),
            (2, 0, m2),
            (2, 3, l1),
            (3, 2, m1),
            (3, 1, m2),
        ];
        let up = vec![true, false, false, false];
        let c = Ctmc::new(4, t, up.clone());
        let s = Ctmc::new(4, t.iter().copied().filter(|&(a, b, _)| b > a), up);
        let (u1, u2) = (l1 / (l1 + m1), l2 / (l2 + m2));
        let (a1, a2) = (1.0 - u1, 1.0 - u2);
        let pi = [a1 * a2, u1 * a2, a1 * u2, u1 * u2];
        let want = u1 * a1 * a2 + u2 * a2 * a1;
        for dense_limit in [1500, 1] {
            let opts = SolverOptions {
                dense_limit,
                ..SolverOptions::default()
            };
            let got = unavailability_slope(&c, &s, &pi, &opts).unwrap();
            assert!(
                (got - want).abs() <= 1e-13 * want,
                "{dense_limit}: {got} vs {want}"
            );
        }
    }
}
