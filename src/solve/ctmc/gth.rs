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
    let mut nu = vec![0.0; n];
    nu[0] = 1.0;
    for j in 1..n {
        nu[j] = (0..j).map(|i| nu[i] * a[i * n + j]).sum();
    }
    super::from_embedded(nu, &exit)
}
