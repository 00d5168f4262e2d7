//! Data sets in the simulation: each set's mean time to data loss (MTTDL) estimated
//! independently of the analysis's elimination, by regenerative cycles of its loss chain.
//!
//! A cycle starts with every copy in place (state 0) and ends when the chain is back there
//! or the data is lost. MTTDL = E[cycle length] / P(loss within a cycle) (the number of
//! cycles before the loss is geometric). Losses are rare, so P(loss) is estimated with
//! balanced failure biasing: a move that brings the chain nearer to a loss state (fewer
//! moves away, by breadth-first search back from the loss states) takes probability `BIAS`
//! shared equally, the others the rest in proportion to their rates, and each cycle is
//! weighed by its likelihood ratio; the cycle length (not rare) is estimated from plain
//! cycles. The two are independent, and the interval of their ratio comes from the delta
//! method.

use super::rng::Stream;
use super::{BIAS, Estimate, t_quantile};
use crate::model::LossChain;

/// Cycles per batch (each batch a stream of its own), and batches per round.
const BATCH: u64 = 5_000;
const ROUND: usize = 20;

#[derive(Debug, Clone)]
pub struct DataSim {
    pub name: String,
    pub mttdl_hours: Estimate,
    pub cycles: u64,
}

#[derive(Default, Clone, Copy)]
struct Sums {
    n: f64,
    x: f64,
    xx: f64,
    moves: u64,
}

impl Sums {
    fn add(&mut self, o: &Sums) {
        self.n += o.n;
        self.x += o.x;
        self.xx += o.xx;
        self.moves += o.moves;
    }

    fn mean_var(&self) -> (f64, f64) {
        let m = self.x / self.n;
        (
            m,
            ((self.xx - self.x * m) / (self.n - 1.0)).max(0.0) / self.n,
        )
    }
}

struct Chain {
    out: Vec<Vec<(usize, f64, bool)>>,
    absorbing: Vec<bool>,
}

impl Chain {
    fn new(c: &LossChain) -> Chain {
        let n = c.states.len();
        // Moves from each loss state back: breadth-first from the loss states.
        let mut back: Vec<Vec<usize>> = vec![Vec::new(); n];
        for &(f, t, r) in &c.transitions {
            if r > 0.0 {
                back[t].push(f);
            }
        }
        let mut dist = vec![usize::MAX; n];
        let mut todo: std::collections::VecDeque<usize> =
            (0..n).filter(|&s| c.absorbing[s]).collect();
        for &s in &todo {
            dist[s] = 0;
        }
        while let Some(s) = todo.pop_front() {
            for &f in &back[s] {
                if dist[f] == usize::MAX {
                    dist[f] = dist[s] + 1;
                    todo.push_back(f);
                }
            }
        }
        let mut out = vec![Vec::new(); n];
        for &(f, t, r) in &c.transitions {
            if r > 0.0 {
                out[f].push((t, r, dist[t] < dist[f]));
            }
        }
        Chain {
            out,
            absorbing: c.absorbing.clone(),
        }
    }

    /// One cycle: (length, weighed loss indicator), biased or not.
    fn cycle(&self, rng: &mut Stream, biased: bool, moves: &mut u64) -> (f64, f64) {
        let (mut s, mut t, mut l) = (0usize, 0.0, 1.0);
        loop {
            let out = &self.out[s];
            let q: f64 = out.iter().map(|m| m.1).sum();
            if q <= 0.0 {
                // Nothing leads on: the data is never lost from here.
                return (f64::INFINITY, 0.0);
            }
            t += 1.0 / q;
            let n_near = out.iter().filter(|m| m.2).count();
            let q_far: f64 = out.iter().filter(|m| !m.2).map(|m| m.1).sum();
            let u = rng.uniform();
            let (k, p) = if biased && n_near > 0 && q_far > 0.0 {
                if u <= BIAS {
                    let pick = ((u / BIAS) * n_near as f64).ceil().max(1.0) as usize;
                    let k = out
                        .iter()
                        .enumerate()
                        .filter(|(_, m)| m.2)
                        .nth(pick - 1)
                        .map_or(0, |(k, _)| k);
                    (k, BIAS / n_near as f64)
                } else {
                    let mut x = (u - BIAS) / (1.0 - BIAS) * q_far;
                    let mut k = 0;
                    for (j, m) in out.iter().enumerate().filter(|(_, m)| !m.2) {
                        k = j;
                        if x < m.1 {
                            break;
                        }
                        x -= m.1;
                    }
                    (k, (1.0 - BIAS) * out[k].1 / q_far)
                }
            } else {
                let mut x = u * q;
                let mut k = 0;
                for (j, m) in out.iter().enumerate() {
                    k = j;
                    if x < m.1 {
                        break;
                    }
                    x -= m.1;
                }
                (k, out[k].1 / q)
            };
            l *= (out[k].1 / q) / p;
            s = out[k].0;
            *moves += 1;
            if self.absorbing[s] {
                return (t, l);
            }
            if s == 0 {
                return (t, 0.0);
            }
        }
    }
}

/// Each data set's MTTDL within `rel_error` (95%), or as far as `max_moves` each allows.
pub fn simulate_data(
    sets: &[crate::model::DataSet],
    seed: u64,
    threads: usize,
    rel_error: f64,
    max_moves: u64,
) -> Vec<DataSim> {
    let idle = std::sync::atomic::AtomicU64::new(0);
    sets.iter()
        .enumerate()
        .map(|(d, set)| {
            let chain = Chain::new(&set.chain);
            let (mut length, mut loss) = (Sums::default(), Sums::default());
            let mut batches = 0u64;
            // Streams of data set d: past any the system's run uses.
            let stream = |b: u64| Stream::new(seed, (1u64 << 40) + ((d as u64) << 24) + b);
            loop {
                let round = crate::parallel::run(ROUND, threads, ("", 0, &idle), |_, k| {
                    let mut rng = stream(batches + k as u64);
                    let (mut a, mut b) = (Sums::default(), Sums::default());
                    for _ in 0..BATCH {
                        let (t, _) = chain.cycle(&mut rng, false, &mut a.moves);
                        a.n += 1.0;
                        a.x += t;
                        a.xx += t * t;
                        let (_, w) = chain.cycle(&mut rng, true, &mut b.moves);
                        b.n += 1.0;
                        b.x += w;
                        b.xx += w * w;
                    }
                    (a, b)
                });
                for (a, b) in &round {
                    length.add(a);
                    loss.add(b);
                }
                batches += ROUND as u64;
                let (mt, vt) = length.mean_var();
                let (mp, vp) = loss.mean_var();
                let rel = (vt / (mt * mt) + vp / (mp * mp)).sqrt();
                let done = mp > 0.0 && t_quantile(0.95, loss.n as usize - 1) * rel <= rel_error;
                if done || length.moves + loss.moves >= max_moves || !mt.is_finite() {
                    let m = mt / mp;
                    let half = t_quantile(0.95, loss.n as usize - 1) * rel * m;
                    return DataSim {
                        name: set.name.clone(),
                        mttdl_hours: Estimate {
                            estimate: m,
                            low: (m - half).max(0.0),
                            high: m + half,
                        },
                        cycles: loss.n as u64,
                    };
                }
            }
        })
        .collect()
}
