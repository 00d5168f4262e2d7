//! Degraded capacity: the distribution of S, the fraction of requests the system serves.
//!
//! Every block has a served fraction: a component 1 (up) or 0; a series the product of its
//! members' (a request needs every tier); a parallel the maximum (failover to the best
//! alternative); a k-of-n with k > 1, a standby block, a network and a chain without `serves`
//! 1 while up and 0 while down; `shards` the sum of its shards' fractions weighted by their
//! shares of the keys; `pool` min(capacity up, demand) / demand, each server bringing its
//! own fraction; an explicit chain the `serves` of its state.
//!
//! Independent blocks combine through their exact discrete distributions (equal values
//! merged). Shared instances are conditioned on: each joint value of the shared nodes
//! (deepest first) is weighed by its probability and the rest solved as independent. Every
//! probability is a sum or product of positive terms, and P(S < x) is summed directly over
//! the values below x, never taken as 1 - P(S >= x): a shortfall of 1e-15 is reported as such.

use super::Solution;
use crate::compile::{NodeId, NodeKind, Structure, chains::ChainSpec};
use crate::model::CapacityRule;
use crate::probability::Probability;

/// Most distinct values a distribution may have.
pub const MAX_SUPPORT: usize = 100_000;
/// Most work (values x members, summed over the nodes and conditioning patterns).
pub const MAX_WORK: f64 = 2e8;
/// Most joint values of shared instances conditioned on.
pub const MAX_PATTERNS: usize = 65_536;
/// Values this close (a few units in the last place, relative) are one value: the same
/// fraction reached through sums in another order. Fractions written apart, even 1e-15
/// apart, stay apart.
const SAME: f64 = 4.0 * f64::EPSILON;

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= SAME * a.abs().max(b.abs())
}

/// A distribution with more values than this drops its least probable ones, as long as
/// their total stays below [`PRUNE_SHARE`] of its probability of serving less than all.
pub const SOFT_SUPPORT: usize = 4_096;
/// The share of P(S < 1) that a distribution may drop (see [`SOFT_SUPPORT`]).
pub const PRUNE_SHARE: f64 = 1e-15;
/// The largest dropped mass accepted, relative to the shortfall and to every P(S < x):
/// past it the figures are not given.
pub const MAX_RELATIVE_ERROR: f64 = 1e-12;

/// A discrete distribution of a served fraction: (fraction, probability), by fraction.
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    pub points: Vec<(f64, f64)>,
    /// Probability dropped from the distribution (the least probable values of very large
    /// ones): a bound on the error of every probability and of the shortfall.
    pub dropped: f64,
}

impl Distribution {
    /// 1 with probability `a.p`, 0 with `a.q`.
    pub fn binary(a: Probability) -> Distribution {
        Distribution::from_points(vec![(0.0, a.q), (1.0, a.p)])
    }

    /// A fixed value.
    pub fn certain(s: f64) -> Distribution {
        Distribution {
            points: vec![(s, 1.0)],
            dropped: 0.0,
        }
    }

    /// Drops the least probable values of a distribution past [`SOFT_SUPPORT`] values, up to
    /// [`PRUNE_SHARE`] of its probability of serving less than all.
    fn prune(mut self) -> Distribution {
        if self.points.len() <= SOFT_SUPPORT {
            return self;
        }
        let budget = PRUNE_SHARE * self.at_least(1.0).q;
        let mut order: Vec<usize> = (0..self.points.len()).collect();
        order.sort_by(|&a, &b| self.points[a].1.total_cmp(&self.points[b].1));
        let mut spent = 0.0;
        let mut drop = vec![false; self.points.len()];
        for i in order {
            let p = self.points[i].1;
            if self.points[i].0 >= 1.0 || spent + p > budget {
                break;
            }
            spent += p;
            drop[i] = true;
        }
        let mut k = 0;
        self.points.retain(|_| {
            k += 1;
            !drop[k - 1]
        });
        self.dropped += spent;
        self
    }

    /// Sorted, equal values merged, zero probabilities dropped.
    pub fn from_points(mut points: Vec<(f64, f64)>) -> Distribution {
        points.retain(|(_, p)| *p > 0.0);
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut out: Vec<(f64, f64)> = Vec::with_capacity(points.len());
        for (s, p) in points {
            match out.last_mut() {
                Some(last) if same(s, last.0) => last.1 += p,
                _ => out.push((s, p)),
            }
        }
        Distribution {
            points: out,
            dropped: 0.0,
        }
    }

    /// With the dropped mass of the distributions it was made from.
    fn with_dropped(mut self, dropped: f64) -> Distribution {
        self.dropped += dropped;
        self
    }

    /// E[S].
    pub fn expected(&self) -> f64 {
        self.points.iter().map(|(s, p)| s * p).sum()
    }

    /// 1 - E[S], summed directly: E[1 - S].
    pub fn shortfall(&self) -> f64 {
        self.points
            .iter()
            .map(|(s, p)| (1.0 - s).max(0.0) * p)
            .sum()
    }

    /// P(S >= x), with P(S < x) summed directly as its complement.
    pub fn at_least(&self, x: f64) -> Probability {
        let below = |s: f64| s < x && !same(s, x);
        Probability {
            p: self
                .points
                .iter()
                .filter(|(s, _)| !below(*s))
                .map(|(_, p)| p)
                .sum(),
            q: self
                .points
                .iter()
                .filter(|(s, _)| below(*s))
                .map(|(_, p)| p)
                .sum(),
        }
    }

    /// P(S = 1): fully up.
    fn full(&self) -> Probability {
        self.at_least(1.0)
    }
}

/// The served fraction: its distribution and what outputs show of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Served {
    pub distribution: Distribution,
    pub expected: f64,
    pub shortfall: f64,
    /// P(S >= x) for each fraction asked for.
    pub at_least: Vec<(f64, Probability)>,
    /// A bound on the absolute error of the shortfall and of every probability (the mass
    /// of the least probable values dropped from very large distributions; 0 when none).
    pub error_bound: f64,
}

/// Why a served fraction could not be computed.
#[derive(Debug, Clone, PartialEq)]
pub enum ServedError {
    /// A distribution grew past [`MAX_SUPPORT`] values.
    TooManyValues { node: String },
    /// Past [`MAX_WORK`] or [`MAX_PATTERNS`].
    TooMuchWork { what: String },
    /// Components repaired by a team are dependent in a way this does not condition on.
    Teams,
}

impl std::fmt::Display for ServedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServedError::TooManyValues { node } => write!(
                f,
                "the served fraction of `{node}` takes more than {MAX_SUPPORT} distinct values"
            ),
            ServedError::TooMuchWork { what } => write!(f, "{what}"),
            ServedError::Teams => write!(
                f,
                "components repaired by a shared team are dependent; the served fraction is not computed with repair teams"
            ),
        }
    }
}

/// The fractions whose P(S >= x) is always given.
pub const DEFAULT_LEVELS: [f64; 3] = [0.5, 0.9, 0.99];

/// Whether the structure has anything that serves part of the load (a capacity rule or a
/// chain state that serves a fraction): without it S is A's indicator and says nothing new.
pub fn has_degraded_parts(structure: &Structure) -> bool {
    structure.nodes.iter().any(|n| n.capacity.is_some())
        || structure.chains.iter().any(|c| match &c.spec {
            ChainSpec::Explicit(m) => m
                .serves
                .iter()
                .zip(&m.up)
                .any(|(s, &up)| *s != if up { 1.0 } else { 0.0 }),
            _ => false,
        })
}

/// The fraction a chain's state serves: `serves` of an explicit chain, min(up, demand)/demand
/// of a pool with shared repair, else 1 in up states and 0 in the others.
pub fn state_fraction(
    block: &crate::compile::ChainBlock,
    capacity: Option<&CapacityRule>,
    state: usize,
) -> f64 {
    match (&block.spec, capacity) {
        (ChainSpec::Explicit(m), _) => m.serves[state],
        (ChainSpec::Crews { n, .. }, Some(CapacityRule::Pool { demand })) => {
            let up = n - state as u64;
            up.min(*demand) as f64 / *demand as f64
        }
        _ => {
            if block.chain.up[state] {
                1.0
            } else {
                0.0
            }
        }
    }
}

/// The served fraction of the system, with P(S >= x) at `levels`.
pub fn served(
    structure: &Structure,
    solution: &Solution,
    levels: &[f64],
) -> Result<Served, ServedError> {
    if !solution.team_chains().is_empty() {
        return Err(ServedError::Teams);
    }
    let mut eval = Eval {
        structure,
        solution,
        work: 0.0,
        dropped: 0.0,
    };
    let shared: Vec<NodeId> = (0..structure.nodes.len())
        .filter(|&i| structure.nodes[i].shared && used(structure, i))
        .collect();
    let distribution = if shared.is_empty() {
        eval.root(&vec![None; structure.nodes.len()])?
    } else {
        let mut fixed = vec![None; structure.nodes.len()];
        let mut acc: Vec<(f64, f64)> = Vec::new();
        let mut patterns = 0usize;
        eval.condition(&shared, &mut fixed, 1.0, &mut acc, &mut patterns)?;
        Distribution::from_points(acc).with_dropped(eval.dropped)
    };
    let error_bound = distribution.dropped;
    let shortfall = distribution.shortfall();
    let smallest = levels
        .iter()
        .map(|&x| distribution.at_least(x).q)
        .filter(|q| *q > 0.0)
        .fold(shortfall, f64::min);
    if error_bound > MAX_RELATIVE_ERROR * smallest {
        return Err(ServedError::TooMuchWork {
            what: format!(
                "the served fraction has too many distinct values to keep to a relative error of {MAX_RELATIVE_ERROR:e}"
            ),
        });
    }
    Ok(Served {
        error_bound,
        expected: distribution.expected(),
        shortfall,
        at_least: levels
            .iter()
            .map(|&x| (x, distribution.at_least(x)))
            .collect(),
        distribution,
    })
}

/// Whether node `i` is reached from the root.
fn used(structure: &Structure, i: NodeId) -> bool {
    let mut seen = vec![false; structure.nodes.len()];
    let mut todo = vec![structure.root];
    while let Some(n) = todo.pop() {
        if n == i {
            return true;
        }
        if !std::mem::replace(&mut seen[n], true) {
            todo.extend(structure.nodes[n].kind.children());
        }
    }
    false
}

struct Eval<'a> {
    structure: &'a Structure,
    solution: &'a Solution,
    work: f64,
    /// Dropped mass of the conditioned patterns, weighed.
    dropped: f64,
}

impl Eval<'_> {
    /// Every joint value of the shared nodes (deepest first), each weighed by its
    /// probability given the ones fixed before it.
    fn condition(
        &mut self,
        shared: &[NodeId],
        fixed: &mut Vec<Option<f64>>,
        weight: f64,
        acc: &mut Vec<(f64, f64)>,
        patterns: &mut usize,
    ) -> Result<(), ServedError> {
        let Some((&first, rest)) = shared.split_first() else {
            count_pattern(patterns)?;
            let d = self.root(fixed)?;
            acc.extend(d.points.into_iter().map(|(s, p)| (s, p * weight)));
            self.dropped += d.dropped * weight;
            return Ok(());
        };
        let d = self.node(first, fixed)?;
        for (s, p) in d.points {
            fixed[first] = Some(s);
            self.condition(rest, fixed, weight * p, acc, patterns)?;
        }
        fixed[first] = None;
        Ok(())
    }

    fn root(&mut self, fixed: &[Option<f64>]) -> Result<Distribution, ServedError> {
        self.node(self.structure.root, fixed)
    }

    /// The distribution of every node up to `target` (children before parents), given the
    /// fixed values of shared nodes.
    fn node(&mut self, target: NodeId, fixed: &[Option<f64>]) -> Result<Distribution, ServedError> {
        let mut memo: Vec<Option<Distribution>> = vec![None; target + 1];
        for id in 0..=target {
            if let Some(s) = fixed[id] {
                memo[id] = Some(Distribution::certain(s));
                continue;
            }
            let d = self.compute(id, &memo)?;
            if d.points.len() > MAX_SUPPORT {
                return Err(ServedError::TooManyValues {
                    node: self.structure.nodes[id].label.clone(),
                });
            }
            memo[id] = Some(d);
        }
        Ok(memo[target].take().unwrap_or(Distribution::certain(1.0)))
    }

    fn compute(
        &mut self,
        id: NodeId,
        memo: &[Option<Distribution>],
    ) -> Result<Distribution, ServedError> {
        let node = &self.structure.nodes[id];
        let child = |c: NodeId| memo[c].clone().unwrap_or(Distribution::certain(1.0));
        let measures = self.solution.nodes[id].measures.avail;
        Ok(match (&node.kind, &node.capacity) {
            (NodeKind::Component(_) | NodeKind::Unit { .. }, _) => Distribution::binary(measures),
            (NodeKind::Series(children), _) => {
                let mut d = Distribution::certain(1.0);
                for &c in children {
                    d = self.product(&d, &child(c))?;
                }
                d
            }
            (NodeKind::KofN { k: 1, children }, _) => {
                let mut d = Distribution::certain(0.0);
                for &c in children {
                    d = max(&d, &child(c));
                }
                d
            }
            (NodeKind::KofN { k, children }, _) => {
                let full: Vec<Probability> = children.iter().map(|&c| child(c).full()).collect();
                Distribution::binary(super::rbd::k_of_n_value(*k, &full))
            }
            (NodeKind::Copies { n, child: c, .. }, Some(CapacityRule::Shards { weights })) => {
                // Sums of the raw weights (whole numbers stay exact), divided by their total
                // at the end: every shard up is exactly 1.
                let one = child(*c);
                let mut d = Distribution::certain(0.0);
                for &w in weights.iter().take(*n as usize) {
                    let scaled = Distribution {
                        points: one.points.iter().map(|&(s, p)| (s * w, p)).collect(),
                        dropped: one.dropped,
                    };
                    d = self.sum(&d, &scaled, &node.label)?;
                }
                let total: f64 = weights.iter().sum();
                clamp_to_one(Distribution {
                    points: d.points.iter().map(|&(s, p)| (s / total, p)).collect(),
                    dropped: d.dropped,
                })
            }
            (NodeKind::Copies { n, child: c, .. }, Some(CapacityRule::Pool { demand })) => {
                let one = child(*c);
                let mut capacity = Distribution::certain(0.0);
                for _ in 0..*n {
                    capacity = self.sum(&capacity, &one, &node.label)?;
                }
                let d = *demand as f64;
                Distribution::from_points(
                    capacity
                        .points
                        .iter()
                        .map(|&(c, p)| (c.min(d) / d, p))
                        .collect(),
                )
                .with_dropped(capacity.dropped)
            }
            (NodeKind::Copies { k: 1, n, child: c }, None) => max_of_copies(&child(*c), *n),
            (NodeKind::Copies { k, n, child: c }, None) => {
                Distribution::binary(super::rbd::copies(*k, *n, child(*c).full()).0)
            }
            (NodeKind::Markov(i), capacity) => self.chain(*i, capacity.as_ref()),
            (
                NodeKind::Network {
                    diagram, children, ..
                },
                _,
            ) => {
                let links: Vec<Probability> = children.iter().map(|&c| child(c).full()).collect();
                Distribution::binary(super::network::availability(diagram, &links))
            }
        })
    }

    /// A chain's served fraction: `serves` of an explicit chain, min(up, demand)/demand of a
    /// pool with shared repair, else 1 in up states and 0 in the others.
    fn chain(&self, i: usize, capacity: Option<&CapacityRule>) -> Distribution {
        let block = &self.structure.chains[i];
        let pi = &self.solution.chains[i].pi;
        let fraction = |state: usize| state_fraction(block, capacity, state);
        if pi.len() != block.chain.up.len() {
            // Solved without its states (a closed form): up or down only.
            return Distribution::binary(self.solution.chains[i].measures.avail);
        }
        Distribution::from_points(
            pi.iter()
                .enumerate()
                .map(|(s, &p)| (fraction(s), p))
                .collect(),
        )
    }

    /// The distribution of A x B for independent A and B.
    fn product(&mut self, a: &Distribution, b: &Distribution) -> Result<Distribution, ServedError> {
        charge(&mut self.work, (a.points.len() * b.points.len()) as f64)?;
        Ok(Distribution::from_points(
            a.points
                .iter()
                .flat_map(|&(s, p)| b.points.iter().map(move |&(t, r)| (s * t, p * r)))
                .collect(),
        )
        .with_dropped(a.dropped + b.dropped)
        .prune())
    }

    /// The distribution of A + B for independent A and B.
    fn sum(
        &mut self,
        a: &Distribution,
        b: &Distribution,
        label: &str,
    ) -> Result<Distribution, ServedError> {
        charge(&mut self.work, (a.points.len() * b.points.len()) as f64)?;
        let d = Distribution::from_points(
            a.points
                .iter()
                .flat_map(|&(s, p)| b.points.iter().map(move |&(t, r)| (s + t, p * r)))
                .collect(),
        )
        .with_dropped(a.dropped + b.dropped)
        .prune();
        if d.points.len() > MAX_SUPPORT {
            return Err(ServedError::TooManyValues {
                node: label.to_string(),
            });
        }
        Ok(d)
    }
}

/// Adds `w` steps to the work done; past [`MAX_WORK`] the served fraction is refused (checked
/// before each step, so the step that would pass the bound is never taken).
fn charge(work: &mut f64, w: f64) -> Result<(), ServedError> {
    *work += w;
    if *work > MAX_WORK {
        return Err(ServedError::TooMuchWork {
            what: format!(
                "the served fraction needs more than {MAX_WORK:.0e} steps (many shards or servers with many distinct fractions each)"
            ),
        });
    }
    Ok(())
}

/// Counts one more joint value of the shared instances; past [`MAX_PATTERNS`] the served
/// fraction is refused.
fn count_pattern(patterns: &mut usize) -> Result<(), ServedError> {
    *patterns += 1;
    if *patterns > MAX_PATTERNS {
        return Err(ServedError::TooMuchWork {
            what: format!(
                "the shared instances take more than {MAX_PATTERNS} joint values to condition on"
            ),
        });
    }
    Ok(())
}

/// Weighted fractions summing to 1 may land a hair above it.
fn clamp_to_one(d: Distribution) -> Distribution {
    let dropped = d.dropped;
    Distribution::from_points(d.points.into_iter().map(|(s, p)| (s.min(1.0), p)).collect())
        .with_dropped(dropped)
}

/// max(A, B) for independent A and B: P(max = v) = P(A = v) P(B <= v) + P(A < v) P(B = v),
/// positive terms only.
fn max(a: &Distribution, b: &Distribution) -> Distribution {
    let mut values: Vec<f64> = a.points.iter().chain(&b.points).map(|p| p.0).collect();
    values.sort_by(f64::total_cmp);
    values.dedup_by(|x, y| same(*x, *y));
    let mass = |d: &Distribution, v: f64, below: bool| -> f64 {
        d.points
            .iter()
            .filter(|(s, _)| {
                if below {
                    *s < v && !same(*s, v)
                } else {
                    same(*s, v)
                }
            })
            .map(|(_, p)| p)
            .sum()
    };
    Distribution::from_points(
        values
            .iter()
            .map(|&v| {
                let (a_eq, a_lt) = (mass(a, v, false), mass(a, v, true));
                let (b_eq, b_lt) = (mass(b, v, false), mass(b, v, true));
                (v, a_eq * (b_lt + b_eq) + a_lt * b_eq)
            })
            .collect(),
    )
    .with_dropped(a.dropped + b.dropped)
    .prune()
}

/// The maximum of `n` independent copies: P(max = v) = F(v)^n (1 - (1 - d/F(v))^n), with
/// d = P(X = v) and F(v) = P(X <= v), through expm1 and log1p so that no term is a
/// difference of nearly equal numbers.
fn max_of_copies(x: &Distribution, n: u64) -> Distribution {
    let n = n as f64;
    let mut below = 0.0;
    let mut points = Vec::with_capacity(x.points.len());
    for &(v, d) in &x.points {
        let f = below + d;
        let p = if f > 0.0 {
            f.powf(n) * -(n * (-d / f).ln_1p()).exp_m1()
        } else {
            0.0
        };
        points.push((v, p));
        below = f;
    }
    Distribution::from_points(points).with_dropped(x.dropped * n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_of_copies_matches_folding() {
        let x = Distribution::from_points(vec![(0.0, 0.1), (0.5, 0.2), (1.0, 0.7)]);
        let mut folded = Distribution::certain(0.0);
        for _ in 0..5 {
            folded = max(&folded, &x);
        }
        let closed = max_of_copies(&x, 5);
        assert_eq!(folded.points.len(), closed.points.len());
        for (a, b) in folded.points.iter().zip(&closed.points) {
            assert_eq!(a.0, b.0);
            assert!((a.1 - b.1).abs() <= 1e-15, "{a:?} {b:?}");
        }
        assert!((closed.at_least(0.5).q - 1e-5).abs() < 1e-19);
    }

    /// The mass dropped from the distributions a block is made of is the block's: it adds
    /// up (powers of two, so the sums are exact).
    #[test]
    fn dropped_mass_adds_up() {
        let (da, db) = (2f64.powi(-60), 2f64.powi(-59));
        let a = Distribution::from_points(vec![(0.0, 0.1), (1.0, 0.9)]).with_dropped(da);
        let b = Distribution::from_points(vec![(0.5, 0.2), (1.0, 0.8)]).with_dropped(db);
        assert_eq!(a.dropped, da);
        assert_eq!(max(&a, &b).dropped, da + db);
        assert_eq!(max_of_copies(&b, 3).dropped, 3.0 * db);
        assert_eq!(clamp_to_one(b.clone()).dropped, db);
        assert_eq!(b.with_dropped(da).dropped, da + db);
    }

    /// The work and pattern bounds count every step and refuse the one that would pass them
    /// (a model past the pattern bound takes seconds, too long for the suite).
    #[test]
    fn work_is_bounded() {
        let mut work = 0.0;
        assert!(charge(&mut work, MAX_WORK - 1.0).is_ok());
        assert!(charge(&mut work, 1.0).is_ok());
        assert_eq!(work, MAX_WORK);
        let e = charge(&mut work, 1.0).unwrap_err();
        assert!(e.to_string().contains("needs more than 2e8 steps"), "{e}");
        let mut patterns = MAX_PATTERNS - 1;
        assert!(count_pattern(&mut patterns).is_ok());
        assert_eq!(patterns, MAX_PATTERNS);
        let e = count_pattern(&mut patterns).unwrap_err();
        assert!(
            e.to_string().contains("more than 65536 joint values"),
            "{e}"
        );
    }

    /// A product or sum of distributions of m and n values charges m x n steps, carries both
    /// operands' dropped mass, and gives the values of the independent product and sum.
    #[test]
    fn products_and_sums_charge_and_carry() {
        let a = crate::analyse(
            "m.yaml",
            "components:\n  a: { availability: 90% }\nsystem: a\n",
        )
        .unwrap();
        let mut eval = Eval {
            structure: &a.structure,
            solution: &a.solution,
            work: 0.0,
            dropped: 0.0,
        };
        let (da, db) = (2f64.powi(-60), 2f64.powi(-59));
        let x =
            Distribution::from_points(vec![(0.0, 0.25), (0.5, 0.25), (1.0, 0.5)]).with_dropped(da);
        let y = Distribution::from_points(vec![(0.5, 0.5), (1.0, 0.5)]).with_dropped(db);
        let p = eval.product(&x, &y).unwrap();
        assert_eq!(eval.work, 6.0);
        assert_eq!(p.dropped, da + db);
        let want = [(0.0, 0.25), (0.25, 0.125), (0.5, 0.375), (1.0, 0.25)];
        assert_eq!(p.points, want);
        let s = eval.sum(&x, &y, "x").unwrap();
        assert_eq!(eval.work, 12.0);
        assert_eq!(s.dropped, da + db);
        let want = [(0.5, 0.125), (1.0, 0.25), (1.5, 0.375), (2.0, 0.25)];
        assert_eq!(s.points, want);
    }

    #[test]
    fn tiny_shortfalls_are_kept() {
        let d = Distribution::binary(Probability::from_complement(1e-18));
        assert_eq!(d.shortfall(), 1e-18);
        assert_eq!(d.at_least(0.99).q, 1e-18);
    }
}
