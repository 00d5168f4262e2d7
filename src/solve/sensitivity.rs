//! How expected downtime moves when a component's mtbf or mttr is halved or doubled (the
//! report's tornado chart).
//!
//! Each variant changes the component everywhere it acts (its own node, common-cause units,
//! Markov blocks of its copies, which are re-solved) and propagates the change to the root
//! along the ancestors only ([`super::improvement::unavailability_change`]), so the cost does
//! not grow with the size of the rest of the model.

use super::ctmc::{self, SolverOptions};
use super::{Solution, improvement, two_state};
use crate::compile::{NodeId, Structure, Use};
use crate::model::Model;
use crate::probability::Probability;

/// Downtime per horizon (hours) with the component's parameters changed.
#[derive(Debug, Clone)]
pub struct Sensitivity {
    pub component: usize,
    pub name: String,
    pub base_hours: f64,
    pub mtbf_halved: f64,
    pub mtbf_doubled: f64,
    pub mttr_halved: f64,
    pub mttr_doubled: f64,
}

impl Sensitivity {
    /// The largest swing, for ordering.
    pub fn swing(&self) -> f64 {
        let all = [
            self.mtbf_halved,
            self.mtbf_doubled,
            self.mttr_halved,
            self.mttr_doubled,
        ];
        let hi = all.iter().cloned().fold(f64::MIN, f64::max);
        let lo = all.iter().cloned().fold(f64::MAX, f64::min);
        hi - lo
    }
}

/// The `top` components with the largest share of downtime (with rates), each with four
/// variants, sorted by swing.
pub fn tornado(
    model: &Model,
    structure: &Structure,
    solution: &Solution,
    opts: &SolverOptions,
    top: usize,
) -> Vec<Sensitivity> {
    // A team's component whose importance was not computed (past --max-team-work) would
    // cost four solves of its team's chain here too.
    let mut candidates: Vec<usize> = (0..model.components.len())
        .filter(|&i| {
            model.components[i].rates.is_some()
                && solution.components[i].copies > 0.0
                && !solution.components[i].unavailability_saved.is_nan()
        })
        .collect();
    candidates.sort_by(|&a, &b| {
        solution.components[b]
            .unavailability_saved
            .total_cmp(&solution.components[a].unavailability_saved)
    });
    candidates.truncate(top);
    let h = solution.horizon_hours;
    let base_u = solution.system.unavailability();
    let mut out: Vec<Sensitivity> = candidates
        .into_iter()
        .filter_map(|i| {
            let r = model.components[i].rates?;
            let variants = [(2.0, 1.0), (0.5, 1.0), (1.0, 2.0), (1.0, 0.5)]; // (lambda x, mu x)
            // A team's component: its team's chain solved again with the new rates.
            if let Some(e) = solution.shared.as_ref().filter(|e| e.in_team(i)) {
                let mut at = variants.iter().map(|&(failure, repair)| {
                    let fix = super::teams::Fix::Scaled {
                        component: i,
                        failure,
                        repair,
                    };
                    e.system_with_fix(model, fix, opts.max_states, opts)
                        .ok()
                        .map(|p| p.q * h)
                });
                return Some(Sensitivity {
                    component: i,
                    name: model.components[i].name.clone(),
                    base_hours: base_u * h,
                    mtbf_halved: at.next()??,
                    mtbf_doubled: at.next()??,
                    mttr_halved: at.next()??,
                    mttr_doubled: at.next()??,
                });
            }
            let changes: Vec<Vec<(NodeId, Probability)>> = variants
                .iter()
                .map(|&(fl, fm)| {
                    changed_uses(structure, i, r.failure, fl * r.failure, fm * r.repair, opts)
                })
                .collect();
            let deltas = improvement::unavailability_change(
                structure,
                &solution.nodes,
                solution.shared.as_ref(),
                &changes,
            );
            let at = |k: usize| ((base_u - deltas[k]) * h).max(0.0);
            Some(Sensitivity {
                component: i,
                name: model.components[i].name.clone(),
                base_hours: base_u * h,
                mtbf_halved: at(0),
                mtbf_doubled: at(1),
                mttr_halved: at(2),
                mttr_doubled: at(3),
            })
        })
        .collect();
    out.sort_by(|a, b| b.swing().total_cmp(&a.swing()));
    out
}

/// A and U of a shared-repair block from its birth-death product form, without building its
/// chain (the same method the steady-state solver picks for it; a million copies are solved
/// four times per component in the tornado).
fn shared_repair_steady(spec: &crate::compile::chains::ChainSpec) -> Option<Probability> {
    let crate::compile::chains::ChainSpec::Crews {
        n,
        k,
        crews,
        lambda,
        mu,
    } = *spec
    else {
        return None;
    };
    let pi = ctmc::birth_death::solve_rates(
        n as usize + 1,
        |f| (n - f as u64) as f64 * lambda,
        |f| (f as u64 + 1).min(crews) as f64 * mu,
    );
    // Up while at most n - k copies are down; both sides summed directly.
    let up_to = (n - k) as usize;
    let p: f64 = pi[..=up_to].iter().sum();
    let q: f64 = pi[up_to + 1..].iter().sum();
    let total = p + q;
    Some(Probability {
        p: p / total,
        q: q / total,
    })
}

/// New values of every node through which component `c` acts, with rates (lambda, mu).
fn changed_uses(
    structure: &Structure,
    c: usize,
    old_lambda: f64,
    lambda: f64,
    mu: f64,
    opts: &SolverOptions,
) -> Vec<(NodeId, Probability)> {
    structure.component_uses[c]
        .iter()
        .filter_map(|&(id, use_)| {
            let v = match use_ {
                Use::Leaf => two_state(lambda, mu).avail,
                Use::Scaled { factor, .. } => two_state(factor * lambda, mu).avail,
                Use::Chain(k) => {
                    let spec = &structure.chains[k].spec;
                    let ratio = spec.lambda()? / old_lambda;
                    let spec = spec.with_rates(ratio * lambda, mu);
                    match shared_repair_steady(&spec) {
                        Some(v) => v,
                        None => {
                            let (chain, _) = spec.build();
                            ctmc::steady_state(&chain, opts).ok()?.measures.avail
                        }
                    }
                }
            };
            Some((id, v))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::chains::ChainSpec;

    /// The product form without a chain equals the steady-state solver on the built chain.
    #[test]
    fn shared_repair_without_its_chain() {
        for (n, k, crews, lambda, mu) in [
            (3, 2, 1, 1e-3, 0.1),
            (20, 15, 4, 1e-2, 0.25),
            (1000, 990, 20, 1e-3, 0.1),
            (6, 6, 6, 1e-5, 1.0),
        ] {
            let spec = ChainSpec::Crews {
                n,
                k,
                crews,
                lambda,
                mu,
            };
            let fast = shared_repair_steady(&spec).unwrap();
            let (chain, _) = spec.build();
            let slow = ctmc::steady_state(&chain, &SolverOptions::default())
                .unwrap()
                .measures
                .avail;
            assert!(
                ((fast.q - slow.q) / slow.q).abs() < 1e-12,
                "{n}: {} vs {}",
                fast.q,
                slow.q
            );
            assert!(((fast.p - slow.p) / slow.p).abs() < 1e-12);
        }
    }
}
