//! Grassmann-Taksar-Heyman elimination on a dense generator.
//!
//! States are eliminated from the last to the first; the pivot of state k is the sum of its
//! rates to the states not yet eliminated, not 1 - (rates to eliminated ones), so nothing is
//! ever subtracted and every probability keeps its relative accuracy.

use crate::compile::ctmc::Ctmc;

pub fn solve(c: &Ctmc) -> Vec<f64> {
    let n = c.states();
    let mut a = vec![0.0f64; n * n];
    for i in 0..n {
        for (j, r) in c.out(i) {
            a[i * n + j] = r;
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
    let mut pi = vec![0.0; n];
    pi[0] = 1.0;
    for j in 1..n {
        pi[j] = (0..j).map(|i| pi[i] * a[i * n + j]).sum();
    }
    let total: f64 = pi.iter().sum();
    pi.iter_mut().for_each(|p| *p /= total);
    pi
}
