//! Shared repair: N copies, up while at least K work, C repair crews, first come first served.
//! State f = number of failed copies (n + 1 states by symmetry, not 2^n): every working copy
//! fails at lambda (also while the block is down), min(f, C) copies are repaired at mu each.

use super::StateNames;
use crate::compile::ctmc::Ctmc;

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
