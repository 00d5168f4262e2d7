//! Durability: for each data set, the mean time to data loss (MTTDL), the probability of a
//! loss within a time, durability in nines, and what backups make of a loss.
//!
//! The data set's chain starts with every copy in place and is absorbed when the data is
//! lost. MTTDL is the mean time to absorption: for replicas (a birth-death chain) the sum of
//! the mean passage times t_i = 1/λ_i + (μ_i/λ_i) t_{i-1} from each count of lost copies to
//! the next, every term positive; for an explicit chain the solution of (−Q_TT) τ = 1 over the
//! transient states by elimination without subtraction of larger terms (GTH-style: the
//! diagonal is the sum of the row's rates out). The probability of a loss within t is
//! uniformisation of the absorbing chain, summed as positive terms: a loss probability of
//! 1e-15 is computed as such, never as 1 − (1 − 1e-15).

use crate::model::{Backups, DataSet, LossChain};
use crate::probability::Probability;
use crate::units::YEAR_HOURS;

/// Most uniformisation work (states x jumps) per data set and time.
pub const MAX_WORK: f64 = 1e9;

/// Everything said of one data set.
#[derive(Debug, Clone, PartialEq)]
pub struct Durability {
    pub name: String,
    /// Mean time to data loss, hours (infinite when no loss state can be reached, or
    /// when it is beyond a double's range: see `mttdl_beyond_range`).
    pub mttdl_hours: f64,
    /// The data is lost for certain in the end, but the mean time overflows a double (over
    /// 1.8e308 hours).
    pub mttdl_beyond_range: bool,
    /// P(loss within the model's horizon) (p: lost, q: kept); None past the work bound.
    pub loss_horizon: Option<Probability>,
    /// P(loss within a year).
    pub loss_year: Option<Probability>,
    /// P(no unrecoverable loss within a year): with backups, a loss is unrecoverable when
    /// every kept backup failed.
    pub durability_year: Option<Probability>,
    pub backups: Option<BackupMeasures>,
}

/// What backups make of losses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BackupMeasures {
    /// P(a loss is recovered from a backup) = 1 − fails^keep (q: unrecoverable).
    pub recovered: Probability,
    /// Mean age of the backup restored, given one is: the writes lost per incident, hours
    /// (NaN when no backup is ever good: nothing is restored).
    pub recovery_point_hours: f64,
    /// Expected losses per year (a loss, a restore, then the copies again).
    pub incidents_per_year: f64,
    /// Expected hours of writes lost per year (recovered incidents).
    pub data_lost_hours_per_year: f64,
    /// Expected restore time per year, hours.
    pub restore_hours_per_year: f64,
}

pub fn durability(d: &DataSet, horizon_hours: f64) -> Durability {
    let mttdl = mttdl(&d.chain);
    let loss_horizon = loss_within(&d.chain, horizon_hours);
    let loss_year = if horizon_hours == YEAR_HOURS {
        loss_horizon
    } else {
        loss_within(&d.chain, YEAR_HOURS)
    };
    let backups = d.backups.map(|b| backup_measures(&b, mttdl));
    let durability_year = loss_year.map(|l| match &backups {
        // The first loss of the year, unrecoverable with probability fails^keep; a second
        // loss in the same year is of order P(loss)^2 and left out.
        Some(b) => Probability {
            p: 1.0 - l.p * b.recovered.q,
            q: l.p * b.recovered.q,
        },
        None => l.complement(),
    });
    Durability {
        name: d.name.clone(),
        mttdl_hours: mttdl,
        mttdl_beyond_range: mttdl.is_infinite() && loss_certain(&d.chain),
        loss_horizon,
        loss_year,
        durability_year,
        backups,
    }
}

/// Whether the data is lost for certain in the end: every state reached from state 0 leads
/// on to a loss state. Otherwise the mean time to loss is infinite in fact (a class of states
/// that never leads to a loss keeps the data forever once entered), not merely past a
/// double's range.
fn loss_certain(c: &LossChain) -> bool {
    use crate::graph::{adjacency, reachable};
    let n = c.states.len();
    let (next, previous) = adjacency(n, c.transitions.iter().map(|&(f, t, _)| (f, t)));
    let reached = reachable(&next, &[0]);
    let lost: Vec<usize> = (0..n).filter(|&i| c.absorbing[i]).collect();
    let leads_to_loss = reachable(&previous, &lost);
    reached.iter().zip(&leads_to_loss).all(|(&r, &l)| l || !r)
}

/// Mean time to absorption from state 0.
pub fn mttdl(c: &LossChain) -> f64 {
    if let Some((up, down)) = &c.birth_death {
        // t_i: mean time from i lost copies to i + 1.
        let mut total = 0.0;
        let mut t_prev = 0.0;
        for i in 0..up.len() {
            let t = 1.0 / up[i] + if i > 0 { down[i] / up[i] * t_prev } else { 0.0 };
            total += t;
            t_prev = t;
        }
        return total;
    }
    let n = c.states.len();
    let transient: Vec<usize> = (0..n).filter(|&i| !c.absorbing[i]).collect();
    let mut index = vec![usize::MAX; n];
    for (k, &i) in transient.iter().enumerate() {
        index[i] = k;
    }
    let m = transient.len();
    // τ_i d_i = b_i + Σ_j r_ij τ_j over the transient states, d_i the total rate out of i,
    // `exit` its rate straight to loss. States are eliminated in order (each folded into
    // the rows after it), and every pivot is recomputed as the sum of the rates still out
    // of its row, as GTH does: no quantity is a difference.
    let mut r = vec![vec![0.0; m]; m];
    let mut exit = vec![0.0; m];
    for &(f, t, rate) in &c.transitions {
        let fi = index[f];
        if fi == usize::MAX {
            continue;
        }
        match index[t] {
            usize::MAX => exit[fi] += rate,
            ti => r[fi][ti] += rate,
        }
    }
    let mut b = vec![1.0; m];
    let mut d = vec![0.0; m];
    for k in 0..m {
        d[k] = exit[k] + r[k][k + 1..].iter().sum::<f64>();
        if d[k] <= 0.0 {
            // Nothing leads on from here (to loss or a later state): where it leads back to
            // is folded in already, so the data is never lost from it.
            d[k] = 0.0;
            continue;
        }
        for i in k + 1..m {
            let rik = r[i][k];
            if rik == 0.0 {
                continue;
            }
            let share = rik / d[k];
            let row_k = r[k].clone();
            for (l, &rkl) in row_k.iter().enumerate().skip(k + 1) {
                if l != i {
                    r[i][l] += share * rkl;
                }
            }
            exit[i] += share * exit[k];
            b[i] += share * b[k];
            r[i][k] = 0.0;
        }
    }
    let mut tau = vec![0.0; m];
    for k in (0..m).rev() {
        if d[k] == 0.0 {
            tau[k] = f64::INFINITY;
            continue;
        }
        // Only the states this one leads to: a state it never reaches may never lead to a
        // loss (an infinite τ), and 0 x ∞ would make this one's τ NaN.
        let s: f64 = (k + 1..m)
            .filter(|&l| r[k][l] != 0.0)
            .map(|l| r[k][l] * tau[l])
            .sum();
        tau[k] = (b[k] + s) / d[k];
    }
    if index[0] == usize::MAX {
        0.0
    } else {
        tau[index[0]]
    }
}

/// P(absorbed by t), starting in state 0: uniformisation, the absorbed mass after each
/// jump weighed by the Poisson probability of that many jumps (positive terms only).
pub fn loss_within(c: &LossChain, t: f64) -> Option<Probability> {
    let n = c.states.len();
    let mut out_rate = vec![0.0; n];
    for &(f, _, r) in &c.transitions {
        out_rate[f] += r;
    }
    let lambda = out_rate.iter().cloned().fold(0.0, f64::max) * 1.02;
    if lambda == 0.0 {
        return Some(Probability { p: 0.0, q: 1.0 });
    }
    let lt = lambda * t;
    let jumps = jumps_for(lt);
    if !within_work(jumps, c) {
        return None;
    }
    let jumps = jumps as usize;
    // v: the distribution after k jumps of the uniformised chain.
    let mut v = vec![0.0; n];
    v[0] = 1.0;
    let mut absorbed_sum = 0.0; // Σ_k w_k · absorbed mass after k jumps
    let mut kept_sum = 0.0;
    let mut ln_w = -lt; // ln Poisson(0; lt)
    for k in 0..=jumps {
        let w = ln_w.exp();
        let absorbed: f64 = (0..n).filter(|&i| c.absorbing[i]).map(|i| v[i]).sum();
        let kept: f64 = (0..n).filter(|&i| !c.absorbing[i]).map(|i| v[i]).sum();
        absorbed_sum += w * absorbed;
        kept_sum += w * kept;
        // One jump: stay with 1 - out/Λ, move along each transition with r/Λ.
        let mut next: Vec<f64> = (0..n)
            .map(|i| v[i] * (1.0 - out_rate[i] / lambda))
            .collect();
        for &(f, to, r) in &c.transitions {
            next[to] += v[f] * r / lambda;
        }
        v = next;
        ln_w += lt.ln() - ((k + 1) as f64).ln();
    }
    // The Poisson tail past `jumps` is below 1e-15 of the whole. The two sums are rounded
    // apart; scaling both by their total keeps each one's relative accuracy and makes them
    // a pair (a kept mass of 1 + 1e-13 would read as a durability over 100%).
    let total = absorbed_sum + kept_sum;
    Some(Probability {
        p: absorbed_sum / total,
        q: kept_sum / total,
    })
}

/// Jumps of the uniformised chain that cover λt: the Poisson tail past them is below 1e-15
/// of the whole.
fn jumps_for(lt: f64) -> f64 {
    (lt + 8.0 * lt.sqrt() + 30.0).ceil()
}

/// Whether `jumps` steps over the chain's states and transitions stay within [`MAX_WORK`].
fn within_work(jumps: f64, c: &LossChain) -> bool {
    jumps * (c.states.len() + c.transitions.len()) as f64 <= MAX_WORK
}

/// What backups make of losses: recovered unless every kept backup failed; the backup
/// restored is, at a loss, U(0, every) old plus `every` for each failed one before it.
pub fn backup_measures(b: &Backups, mttdl: f64) -> BackupMeasures {
    let f = b.fails.p;
    let unrecoverable = f.powf(b.keep as f64);
    let recovered = Probability {
        p: 1.0 - unrecoverable,
        q: unrecoverable,
    };
    // E[failed before the one restored | one of `keep` is good].
    let mut mean_failed = 0.0;
    if recovered.p > 0.0 {
        for g in 0..b.keep {
            mean_failed += g as f64 * f.powi(g as i32) * (1.0 - f);
        }
        mean_failed /= recovered.p;
    }
    let recovery_point = if recovered.p > 0.0 {
        b.every / 2.0 + b.every * mean_failed
    } else {
        f64::NAN
    };
    let incidents = if mttdl.is_finite() {
        YEAR_HOURS / (mttdl + b.restore)
    } else {
        0.0
    };
    BackupMeasures {
        recovered,
        recovery_point_hours: recovery_point,
        incidents_per_year: incidents,
        data_lost_hours_per_year: if recovered.p > 0.0 {
            incidents * recovered.p * recovery_point
        } else {
            0.0
        },
        restore_hours_per_year: incidents * recovered.p * b.restore,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The jump count and the work bound, at the bound's edge (a data set past it takes
    /// 10^9 steps to show, too long for the suite): 3 states and 4 transitions make 7 per
    /// jump, 1 and 7 make 8.
    #[test]
    fn uniformisation_work_is_bounded() {
        assert_eq!(jumps_for(0.0), 30.0);
        assert_eq!(jumps_for(100.0), 210.0);
        assert_eq!(jumps_for(2.25), 45.0);
        let chain = |states: usize, transitions: usize| LossChain {
            states: vec![String::new(); states],
            transitions: vec![(0, 0, 1.0); transitions],
            absorbing: vec![false; states],
            birth_death: None,
        };
        let seven = chain(3, 4);
        assert!(within_work(142_857_142.0, &seven));
        assert!(!within_work(142_857_143.0, &seven));
        assert!(within_work(125_000_000.0, &chain(1, 7)));
    }
}
