//! Shared repair: N copies, up while at least K work, C repair crews, first come first served.
//! State f = number of failed copies (n + 1 states by symmetry, not 2^n): every working copy
//! fails at lambda (also while the block is down), min(f, C) copies are repaired at mu each.

use super::StateNames;
use crate::compile::ctmc::Ctmc;
use crate::probability::binomial;

pub fn build(n: u64, k: u64, crews: u64, lambda: f64, mu: f64) -> (Ctmc, StateNames) {
    let n = n as usize;
    let t = (0..=n).flat_map(|f| {
        let fail = (f < n).then(|| (f, f + 1, (n - f) as f64 * lambda));
        let repair = (f > 0).then(|| (f, f - 1, f.min(crews as usize) as f64 * mu));
        fail.into_iter().chain(repair)
    });
    let up = (0..=n).map(|f| (n - f) as u64 >= k).collect();
    (Ctmc::new(n + 1, t, up), StateNames::Failed)
}

/// Copies with common-cause events, each failed copy repaired on its own: `repair: each`
/// of a beta factor, and the multiple Greek letter and alpha-factor models.
///
/// `multipliers[j - 1]` is the rate, as a multiple of lambda, of the event that takes one
/// given set of j copies down (j = 1: a copy's independent failures). By symmetry the f
/// copies down are equally likely to be any f of the n, so an event on a given j-set fails
/// i more copies with the chance that i of its members are among the n - f working: the
/// chain of counts jumps from f to f + i at
/// lambda x sum_j multipliers[j - 1] x C(n - f, i) x C(f, j - i),
/// the sum over the C(n - f, i) C(f, j - i) j-sets that meet the working copies in i.
/// Repairs as for crews: min(f, C) copies at mu each.
#[derive(Debug, Clone, PartialEq)]
pub struct CommonCauseChain {
    pub n: u64,
    pub k: u64,
    pub crews: u64,
    pub lambda: f64,
    pub mu: f64,
    pub multipliers: Vec<f64>,
}

impl CommonCauseChain {
    pub fn build(&self) -> (Ctmc, StateNames) {
        let n = self.n;
        // The event sizes that happen (a beta factor has two of a million).
        let events: Vec<(u64, f64)> = self
            .multipliers
            .iter()
            .enumerate()
            .filter(|(_, m)| **m > 0.0)
            .map(|(i, &m)| (i as u64 + 1, m))
            .collect();
        let mut t = Vec::new();
        for f in 0..=n {
            for &(j, m) in &events {
                // i new failures: at least j - f of the members were working, at most n - f.
                for i in j.saturating_sub(f).max(1)..=j.min(n - f) {
                    let ways = binomial(n - f, i) * binomial(f, j - i);
                    if ways > 0.0 {
                        t.push((f as usize, (f + i) as usize, self.lambda * m * ways));
                    }
                }
            }
            if f > 0 {
                t.push((
                    f as usize,
                    f as usize - 1,
                    f.min(self.crews) as f64 * self.mu,
                ));
            }
        }
        let up = (0..=n).map(|f| n - f >= self.k).collect();
        (Ctmc::new(n as usize + 1, t, up), StateNames::Failed)
    }
}
