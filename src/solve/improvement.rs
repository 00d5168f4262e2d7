//! How the system's unavailability changes when some nodes take new values: the downtime
//! saved if a component (or named block) never failed (U_sys - U_sys with it perfect), and
//! the sensitivity of downtime to a component's mtbf and mttr.
//!
//! Re-solving the whole model per component would cost O(n^2) on a 100,000-component model.
//! Instead only the node's ancestors are re-evaluated. Where an ancestor reads the changed
//! child at a single position, the system is linear in that child (series, parallel and k-of-n
//! of independent members are multilinear), so the change is exactly the local partial times
//! the child's change: no re-evaluation and no subtraction. Only ancestors that read the node
//! more than once (copies, or a name listed twice) are evaluated again.

use super::NodeValue;
use super::shared::Entangled;
use crate::compile::{NodeId, NodeKind, Structure};
use crate::probability::Probability;

/// For each target (a set of nodes: a component's own node and every unit or Markov block
/// made of it, or a named block's node), U_sys minus U_sys with those nodes perfect (A = 1).
pub fn unavailability_saved(
    structure: &Structure,
    values: &[NodeValue],
    shared: Option<&Entangled>,
    targets: &[Vec<NodeId>],
) -> Vec<f64> {
    let changes: Vec<Vec<(NodeId, Probability)>> = targets
        .iter()
        .map(|t| t.iter().map(|&id| (id, Probability::ONE)).collect())
        .collect();
    unavailability_change(structure, values, shared, &changes)
}

/// For each target, U_sys with those nodes failed (A = 0) minus U_sys: how much worse the
/// system is when the part is down (for risk achievement worth).
pub fn unavailability_added(
    structure: &Structure,
    values: &[NodeValue],
    shared: Option<&Entangled>,
    targets: &[Vec<NodeId>],
) -> Vec<f64> {
    let changes: Vec<Vec<(NodeId, Probability)>> = targets
        .iter()
        .map(|t| t.iter().map(|&id| (id, Probability::ZERO)).collect())
        .collect();
    unavailability_change(structure, values, shared, &changes)
        .into_iter()
        .map(|d| -d)
        .collect()
}

/// For each set of changes (nodes and their new values), U_sys minus U_sys after the change
/// (positive when the system gets better). With shared instances (`shared`), the walk up
/// stops where the structure stops being independent, and the system is re-evaluated on its
/// decision diagram with the changed parts' new values (a changed block that itself holds
/// shared instances is read from its switches in the diagram: [`Entangled::forced_change`]).
pub fn unavailability_change(
    structure: &Structure,
    values: &[NodeValue],
    shared: Option<&Entangled>,
    changes: &[Vec<(NodeId, Probability)>],
) -> Vec<f64> {
    let dependent = |id: NodeId| shared.is_some_and(|s| s.dependent[id]);
    let node_vars = shared.map(|s| s.node_vars());
    let parents = structure.parents();
    let n = structure.nodes.len();
    let mut stamp = vec![u32::MAX; n];
    let mut new_value = vec![Probability::ONE; n];
    let mut delta = vec![0.0f64; n];
    let mut ancestors: Vec<NodeId> = Vec::new();
    let mut out = Vec::with_capacity(changes.len());
    for (generation, change) in changes.iter().enumerate() {
        let g = generation as u32;
        let live: Vec<NodeId> = change
            .iter()
            .filter(|(t, v)| values[*t].copies > 0.0 && *v != values[*t].measures.avail)
            .map(|(t, _)| *t)
            .collect();
        if live.is_empty() {
            out.push(0.0);
            continue;
        }
        // A node that occurs once in the expanded system: the system is linear in it, so the
        // change is its Birnbaum importance times its own change, with no walk up the
        // ancestors (a chain of 100,000 named blocks would make that walk quadratic).
        if let [(t, v)] = change.as_slice()
            && values[*t].copies == 1.0
            && values[*t].birnbaum.is_finite()
        {
            out.push(values[*t].birnbaum * (values[*t].measures.avail.q - v.q));
            continue;
        }
        ancestors.clear();
        for &(t, v) in change {
            if live.contains(&t) && stamp[t] != g {
                stamp[t] = g;
                ancestors.push(t);
                new_value[t] = v;
                delta[t] = values[t].measures.avail.q - v.q;
            }
        }
        let mut i = 0;
        while i < ancestors.len() {
            for &p in &parents[ancestors[i]] {
                if stamp[p] != g {
                    stamp[p] = g;
                    ancestors.push(p);
                }
            }
            i += 1;
        }
        ancestors.sort_unstable();
        for &id in &ancestors {
            // Entangled ancestors are the diagram's business (below).
            if live.contains(&id) || dependent(id) {
                continue;
            }
            let kind = &structure.nodes[id].kind;
            let children = kind.children();
            let mut dirty = children.iter().enumerate().filter(|(_, c)| stamp[**c] == g);
            let first = dirty.next();
            let single = first.is_some() && dirty.next().is_none();
            let old = values[id].measures.avail;
            // Where a node reads its children once each, the system is linear in each child.
            let multilinear = match kind {
                NodeKind::Series(_) | NodeKind::KofN { .. } | NodeKind::Network { .. } => true,
                NodeKind::Copies { .. }
                | NodeKind::Component(_)
                | NodeKind::Unit { .. }
                | NodeKind::Markov(_) => false,
            };
            match first {
                Some((pos, &c)) if single && multilinear => {
                    let d = values[id].partials[pos] * delta[c];
                    delta[id] = d;
                    new_value[id] = Probability {
                        p: (old.p + d).min(1.0),
                        q: (old.q - d).max(0.0),
                    };
                }
                _ => {
                    let evaluated = super::evaluate_value(kind, |c| {
                        if stamp[c] == g {
                            new_value[c]
                        } else {
                            values[c].measures.avail
                        }
                    });
                    // Every ancestor has children, so it is evaluated; a leaf keeps its value.
                    let v = evaluated.unwrap_or(old);
                    delta[id] = old.q - v.q;
                    new_value[id] = v;
                }
            }
        }
        let root = structure.root;
        out.push(match (shared, &node_vars) {
            (Some(s), Some(node_vars)) if s.entangled[root] => {
                // A changed block that holds shared instances (a named block made perfect or
                // failed): its switches in the diagram say how much the system moves.
                let forced: Vec<(NodeId, bool)> = change
                    .iter()
                    .filter(|(id, _)| live.contains(id) && s.dependent[*id])
                    .map(|&(id, v)| (id, v.p >= 0.5))
                    .collect();
                match forced.as_slice() {
                    [] => {
                        // Atoms that changed give their variables new values.
                        let vars: Vec<(usize, Probability)> = ancestors
                            .iter()
                            .filter_map(|id| Some((node_vars.get(id)?, new_value[*id])))
                            .flat_map(|(vs, v)| vs.iter().map(move |&x| (x, v)))
                            .collect();
                        if vars.is_empty() {
                            0.0
                        } else {
                            s.system_u() - s.system_with(&vars).q
                        }
                    }
                    // Only a named block's own target forces a dependent node, one at a time.
                    [(id, perfect)] => match s.forced_change(*id) {
                        Some((saved, _)) if *perfect => saved,
                        Some((_, added)) => -added,
                        None => f64::NAN,
                    },
                    _ => f64::NAN,
                }
            }
            _ => {
                if stamp[root] == g {
                    delta[root]
                } else {
                    0.0
                }
            }
        });
    }
    out
}
