//! Stage 4: steady-state measures of a compiled structure.
//!
//! Markov blocks are solved first, each on its own ([`ctmc`]); they then enter the diagram
//! like components, through their exact availability and up-to-down frequency (blocks are
//! independent of each other). One forward pass over the topologically ordered structure
//! gives each node's availability, unavailability and failure frequency; one backward pass
//! gives every node's Birnbaum importance dA_sys/dA_node (all uses moving together); a pass
//! per component or named block gives the downtime saved if it never failed
//! ([`improvement`]).
//!
//! The failure frequency of a block of independent parts is f = sum_i I_B(i) f_i, with
//! I_B(i) = dA/dA_i the Birnbaum importance of part i in the block and f_i its own frequency
//! (Barlow and Proschan's frequency formula): every system failure starts with the failure of
//! a part that is critical at that moment.

pub mod ctmc;
pub mod cuts;
pub mod durability;
pub mod improvement;
pub mod network;
pub mod rbd;
pub mod sensitivity;
pub mod served;
pub mod shared;
pub mod simulate;
pub mod teams;
pub mod transient;

use crate::compile::ChainBlock;
use crate::compile::ctmc::Ctmc;
use crate::compile::{NodeId, NodeKind, Structure, Use};
use crate::diagnostics::Diagnostic;
use crate::model::{Model, Rates};
use crate::probability::Probability;

/// Steady-state measures of one block or of the system.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measures {
    /// A and U, each computed directly.
    pub avail: Probability,
    /// Up-to-down transitions per hour; None when a static availability leaves it unknown.
    pub frequency: Option<f64>,
}

impl Measures {
    pub fn availability(&self) -> f64 {
        self.avail.p
    }
    pub fn unavailability(&self) -> f64 {
        self.avail.q
    }
    pub fn nines(&self) -> f64 {
        self.avail.nines()
    }
    /// Mean up time between failures, hours.
    pub fn mtbf(&self) -> Option<f64> {
        self.frequency
            .filter(|f| *f > 0.0)
            .map(|f| self.avail.p / f)
    }
    /// Mean outage duration, hours.
    pub fn mttr(&self) -> Option<f64> {
        self.frequency
            .filter(|f| *f > 0.0)
            .map(|f| self.avail.q / f)
    }
}

/// What the solver keeps for each node of the structure.
#[derive(Debug, Clone)]
pub struct NodeValue {
    pub measures: Measures,
    /// dA_node / dA_child for each child position (for copies: all copies together).
    pub partials: Vec<f64>,
    /// Birnbaum importance of this node for the system, dA_sys / dA_node.
    pub birnbaum: f64,
    /// How many times the node occurs in the fully expanded system (copies counted).
    pub copies: f64,
}

#[derive(Debug, Clone)]
pub struct ComponentResult {
    pub index: usize,
    pub name: String,
    /// Copies of the component in the whole system (units of Markov blocks included).
    pub copies: f64,
    pub measures: Measures,
    pub rates: Option<Rates>,
    /// dA_sys / dA_c, every copy moving together (A_c varied through its failure rate where
    /// the component is inside a Markov block).
    pub birnbaum: f64,
    /// U_sys - U_sys with this component perfect.
    pub unavailability_saved: f64,
    /// U_sys with this component failed (every copy down) - U_sys.
    pub unavailability_added: f64,
    /// System failures per hour that start with a failure of this component (Birnbaum x the
    /// component's own frequency); None for a static component or one inside a Markov block,
    /// where a failure's effect depends on the chain's state.
    pub system_failures_caused: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct BlockResult {
    pub index: usize,
    pub name: String,
    pub node: NodeId,
    pub copies: f64,
    pub measures: Measures,
    pub birnbaum: f64,
    pub unavailability_saved: f64,
    /// U_sys with this block failed - U_sys.
    pub unavailability_added: f64,
}

#[derive(Debug, Clone)]
pub struct Solution {
    pub name: String,
    pub horizon_hours: f64,
    pub system: Measures,
    pub nodes: Vec<NodeValue>,
    pub components: Vec<ComponentResult>,
    pub blocks: Vec<BlockResult>,
    /// The steady state of each Markov block (same index as `Structure::chains`).
    pub chains: Vec<ctmc::SteadyState>,
    /// The decision diagram, when shared instances make parts of the structure dependent.
    pub shared: Option<shared::Entangled>,
}

impl Solution {
    /// Each repair team's chain (empty without teams).
    pub fn team_chains(&self) -> &[teams::TeamChain] {
        self.shared
            .as_ref()
            .and_then(|e| e.teams.as_ref())
            .map_or(&[], |t| t.chains.as_slice())
    }
}

/// Two-state unit with failure rate `lambda` and repair rate `mu`: A, U and frequency A lambda.
pub fn two_state(lambda: f64, mu: f64) -> Measures {
    let p = mu / (lambda + mu);
    Measures {
        avail: Probability {
            p,
            q: lambda / (lambda + mu),
        },
        frequency: Some(p * lambda),
    }
}

/// Evaluates a composite node from its children's values: its availability and local
/// partials. None for leaves (components, units, Markov blocks), whose values are given.
pub fn evaluate(
    kind: &NodeKind,
    child: impl Fn(NodeId) -> Probability,
) -> Option<(Probability, Vec<f64>)> {
    let values = |c: &[NodeId]| values_of(c, &child);
    Some(match kind {
        NodeKind::Component(_) | NodeKind::Unit { .. } | NodeKind::Markov(_) => return None,
        NodeKind::Series(c) => rbd::series(&values(c)),
        NodeKind::KofN { k, children } => rbd::k_of_n(*k, &values(children)),
        NodeKind::Copies { k, n, child: c } => {
            let (v, p) = rbd::copies(*k, *n, child(*c));
            (v, vec![p])
        }
        NodeKind::Network {
            children, diagram, ..
        } => network::evaluate(diagram, &values(children)),
    })
}

/// The children's availabilities, in order.
fn values_of(children: &[NodeId], child: &impl Fn(NodeId) -> Probability) -> Vec<Probability> {
    children.iter().map(|&i| child(i)).collect()
}

/// A composite node's availability alone (no partials: a network's cost 2^links instead of
/// links x 2^links), for re-evaluations over time and after a change.
pub fn evaluate_value(
    kind: &NodeKind,
    child: impl Fn(NodeId) -> Probability,
) -> Option<Probability> {
    let values = |c: &[NodeId]| values_of(c, &child);
    match kind {
        NodeKind::Network {
            children, diagram, ..
        } => Some(network::availability(diagram, &values(children))),
        NodeKind::Series(c) => Some(rbd::series_value(&values(c))),
        NodeKind::KofN { k, children } => Some(rbd::k_of_n_value(*k, &values(children))),
        NodeKind::Component(_)
        | NodeKind::Unit { .. }
        | NodeKind::Markov(_)
        | NodeKind::Copies { .. } => evaluate(kind, child).map(|(v, _)| v),
    }
}

/// Solves the Markov blocks: each chain's steady state, or a located error.
fn solve_chains(
    structure: &Structure,
    opts: &ctmc::SolverOptions,
) -> Result<Vec<ctmc::SteadyState>, Vec<Diagnostic>> {
    let mut out = Vec::with_capacity(structure.chains.len());
    let mut errors = Vec::new();
    for c in &structure.chains {
        match ctmc::steady_state(&c.chain, opts) {
            Ok(steady) => out.push(steady),
            Err(e) => errors.push(
                Diagnostic::error(structure.nodes[c.node].pos, format!("cannot solve this block's Markov chain: {e}"))
                    .with_hint("check that every state can be left and the chain can return to its first state"),
            ),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Solves a compiled model.
pub fn solve(
    model: &Model,
    structure: &Structure,
    opts: &ctmc::SolverOptions,
) -> Result<Solution, Vec<Diagnostic>> {
    let chains = solve_chains(structure, opts)?;
    let mut nodes: Vec<NodeValue> = Vec::with_capacity(structure.nodes.len());
    for node in &structure.nodes {
        let (measures, partials) = match &node.kind {
            NodeKind::Component(i) => {
                let c = &model.components[*i];
                let m = Measures {
                    avail: c.avail,
                    frequency: c.frequency(),
                };
                (m, Vec::new())
            }
            NodeKind::Unit { rates, factor, .. } => {
                (two_state(factor * rates.failure, rates.repair), Vec::new())
            }
            NodeKind::Markov(i) => (chains[*i].measures, Vec::new()),
            kind @ (NodeKind::Series(_)
            | NodeKind::KofN { .. }
            | NodeKind::Copies { .. }
            | NodeKind::Network { .. }) => {
                let (avail, partials) = evaluate(kind, |c| nodes[c].measures.avail)
                    .unwrap_or((Probability::ONE, Vec::new()));
                let frequency = kind
                    .children()
                    .iter()
                    .zip(&partials)
                    .map(|(&c, p)| nodes[c].measures.frequency.map(|f| p * f))
                    .sum::<Option<f64>>();
                (Measures { avail, frequency }, partials)
            }
        };
        let measures = Measures {
            avail: measures.avail.settled(),
            frequency: measures.frequency.map(at_least_zero),
        };
        nodes.push(NodeValue {
            measures,
            partials,
            birnbaum: 0.0,
            copies: 0.0,
        });
    }
    // Copies of each node in the expanded system, by multiplication; a shared node is one
    // instance however often it is used (`uses` keeps the count of its uses).
    let n = nodes.len();
    let mut uses = vec![0.0; n];
    nodes[structure.root].copies = 1.0;
    for id in (0..n).rev() {
        uses[id] = nodes[id].copies;
        if uses[id] == 0.0 {
            continue;
        }
        if structure.nodes[id].shared {
            nodes[id].copies = 1.0;
        }
        let copies = nodes[id].copies;
        let kind = &structure.nodes[id].kind;
        let mult = kind.multiplicity();
        for &c in kind.children() {
            nodes[c].copies += copies * mult;
        }
    }
    // Shared instances used more than once: the structure is no longer independent, and
    // its diagram gives the measures of every part that depends on them.
    let multi = shared::multi_shared(structure, &uses);
    // Repair teams make their components' units dependent too: the same diagram, with the
    // teams' sites above the independent parts.
    let site_of = team_sites(model, structure, &nodes);
    let shared = if multi.contains(&true) || site_of.iter().any(Option::is_some) {
        let e = shared::solve(
            model,
            structure,
            &multi,
            &site_of,
            &mut nodes,
            opts.max_bdd_nodes,
            opts.max_states,
            opts,
        )
        .map_err(|e| vec![shared_error(model, structure, e)])?;
        // Atoms' importance: the probability that each of their variables is critical.
        for (v, var) in e.vars.iter().enumerate() {
            if let Some(id) = var.atom() {
                nodes[id].birnbaum += e.criticality[v];
            }
        }
        Some(e)
    } else {
        None
    };
    // Nodes that depend on shared instances and are not themselves one variable of the
    // diagram: they have no importance of their own (they are not independent of the rest).
    let dependent = |id: NodeId| shared.as_ref().is_some_and(|s| s.dependent[id]);
    // Backward pass: importance by the chain rule through the independent parts; atoms got
    // theirs from the diagram.
    if !dependent(structure.root) {
        nodes[structure.root].birnbaum = 1.0;
    }
    for id in (0..n).rev() {
        if dependent(id) {
            nodes[id].birnbaum = f64::NAN;
            continue;
        }
        let imp = nodes[id].birnbaum;
        if nodes[id].copies == 0.0 {
            continue;
        }
        let kind = &structure.nodes[id].kind;
        for (pos, &c) in kind.children().iter().enumerate() {
            let p = nodes[id].partials[pos];
            nodes[c].birnbaum += imp * p;
        }
    }
    let system = nodes[structure.root].measures;

    let mut targets: Vec<Vec<NodeId>> = structure
        .component_uses
        .iter()
        .map(|u| u.iter().map(|(id, _)| *id).collect())
        .collect();
    targets.extend(structure.block_nodes.iter().map(|&id| vec![id]));
    let saved = improvement::unavailability_saved(structure, &nodes, shared.as_ref(), &targets);
    let added = improvement::unavailability_added(structure, &nodes, shared.as_ref(), &targets);

    let mut team_results = Vec::new();
    if let Some(e) = &shared {
        let importance = team_importance_work(e) <= opts.max_team_work;
        for (i, c) in model.components.iter().enumerate() {
            if c.team.is_some() {
                let r = e
                    .team_component(model, i, importance, opts)
                    .map_err(|err| vec![shared_error(model, structure, err)])?;
                if let Some(r) = r {
                    team_results.push((i, r));
                }
            }
        }
    }
    // A team's component node shows what its units achieve with the team (the diagram and
    // the table then agree), not its own two-state availability.
    for (i, t) in &team_results {
        nodes[structure.component_nodes[*i]].measures = t.measures;
    }
    let components = model
        .components
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if let Some((_, t)) = team_results.iter().find(|(x, _)| *x == i) {
                return ComponentResult {
                    index: i,
                    name: c.name.clone(),
                    copies: t.copies,
                    measures: t.measures,
                    rates: c.rates,
                    birnbaum: at_least_zero(t.birnbaum),
                    unavailability_saved: at_least_zero(t.saved),
                    unavailability_added: at_least_zero(t.added),
                    system_failures_caused: Some(t.caused),
                };
            }
            let mut birnbaum = 0.0;
            let mut copies = 0.0;
            let mut caused = c.frequency().map(|_| 0.0);
            for &(id, use_) in &structure.component_uses[i] {
                let node = &nodes[id];
                if node.copies == 0.0 {
                    continue;
                }
                if !node.birnbaum.is_finite() {
                    continue;
                }
                match use_ {
                    Use::Leaf => {
                        birnbaum += node.birnbaum;
                        copies += node.copies;
                        caused = caused.map(|x| x + node.birnbaum * c.frequency().unwrap_or(0.0));
                    }
                    Use::Scaled {
                        factor,
                        copy,
                        rates,
                    } => {
                        birnbaum += node.birnbaum * scaled_derivative(factor, rates);
                        if copy {
                            copies += node.copies;
                        }
                        caused = caused
                            .map(|x| x + node.birnbaum * node.measures.frequency.unwrap_or(0.0));
                    }
                    Use::Chain(k) => {
                        let block = &structure.chains[k];
                        birnbaum +=
                            node.birnbaum * chain_derivative(block, &chains[k], c.rates, opts);
                        copies += node.copies * block.spec.units() as f64;
                        caused = None;
                    }
                }
            }
            let id = structure.component_nodes[i];
            ComponentResult {
                index: i,
                name: c.name.clone(),
                copies,
                measures: nodes[id].measures,
                rates: c.rates,
                // NaN (a chain too large for the exact slope) stays NaN: not computed, not 0.
                birnbaum: at_least_zero(birnbaum),
                unavailability_saved: at_least_zero(saved[i]),
                unavailability_added: at_least_zero(added[i]),
                system_failures_caused: caused,
            }
        })
        .collect();
    let blocks = structure
        .block_nodes
        .iter()
        .enumerate()
        .map(|(i, &id)| BlockResult {
            index: i,
            name: structure.nodes[id].label.clone(),
            node: id,
            copies: nodes[id].copies,
            measures: nodes[id].measures,
            birnbaum: nodes[id].birnbaum,
            unavailability_saved: at_least_zero(saved[structure.component_nodes.len() + i]),
            unavailability_added: at_least_zero(added[structure.component_nodes.len() + i]),
        })
        .collect();
    let solution = Solution {
        name: model.name.clone(),
        horizon_hours: model.horizon_hours,
        system,
        nodes,
        components,
        blocks,
        chains,
        shared,
    };
    verify(structure, &solution)?;
    Ok(solution)
}

/// States solved again for the importance of every team's components: four chains per
/// component (perfect, failed, and the failure rate moved up and down), each about the
/// size of its team's.
pub fn team_importance_work(e: &shared::Entangled) -> f64 {
    let Some(t) = &e.teams else { return 0.0 };
    t.chains
        .iter()
        .map(|ch| {
            let mut components: Vec<usize> = ch
                .sites
                .iter()
                .map(|&i| t.sites[i].kind.component)
                .collect();
            components.sort_unstable();
            components.dedup();
            4.0 * components.len() as f64 * ch.chain.states() as f64
        })
        .sum()
}

/// Which nodes are sites of a repair team: a team's component alone, or plain copies of it.
/// A team with a repairer for each of its units in the expanded system (`copies` of each
/// component's node) has none: nobody waits, which is independent repair exactly.
fn team_sites(
    model: &Model,
    structure: &Structure,
    nodes: &[NodeValue],
) -> Vec<Option<teams::SiteKind>> {
    let mut units = vec![0.0f64; model.teams.len()];
    for (c, comp) in model.components.iter().enumerate() {
        if let Some(t) = comp.team {
            units[t] += nodes[structure.component_nodes[c]].copies;
        }
    }
    let waits: Vec<bool> = model
        .teams
        .iter()
        .zip(&units)
        .map(|(t, &u)| u > t.size as f64)
        .collect();
    let team_of = |id: NodeId| match structure.nodes[id].kind {
        NodeKind::Component(c) => model.components[c]
            .team
            .filter(|&t| waits[t])
            .map(|t| (t, c)),
        _ => None,
    };
    structure
        .nodes
        .iter()
        .enumerate()
        .map(|(id, node)| match &node.kind {
            NodeKind::Component(_) => team_of(id).map(|(team, component)| teams::SiteKind {
                team,
                component,
                k: 1,
                n: 1,
            }),
            NodeKind::Copies { k, n, child } => {
                team_of(*child).map(|(team, component)| teams::SiteKind {
                    team,
                    component,
                    k: *k,
                    n: *n,
                })
            }
            NodeKind::Unit { .. }
            | NodeKind::Markov(_)
            | NodeKind::Series(_)
            | NodeKind::KofN { .. }
            | NodeKind::Network { .. } => None,
        })
        .collect()
}

/// A located error for a diagram that could not be solved.
fn shared_error(model: &Model, structure: &Structure, e: shared::SharedError) -> Diagnostic {
    match e {
        shared::SharedError::TooLarge(e) => Diagnostic::error(
            structure.nodes[structure.root].pos,
            format!("the decision diagram of this system's shared instances grew past {} nodes", e.nodes),
        )
        .with_hint("raise the limit with --max-bdd-nodes if the machine has the memory (about 60 bytes a node), or share fewer blocks"),
        shared::SharedError::Team(message) => {
            let pos = model.teams.first().map_or(structure.nodes[structure.root].pos, |t| t.pos);
            Diagnostic::error(pos, message).with_hint(
                "raise --max-states if the machine has the memory, or give fewer components (or copies) to one team",
            )
        }
        shared::SharedError::TeamsTooMany(message) => {
            let pos = model.teams.first().map_or(structure.nodes[structure.root].pos, |t| t.pos);
            Diagnostic::error(pos, message).with_hint(
                "this bound is fixed: merge teams that serve the same part of the system, or leave out of teams the components whose repair nobody waits for",
            )
        }
    }
}

/// The last line of defence: every figure an output may show is a finite, consistent number,
/// or the solve is refused with the block where it went wrong. A wrong number must never
/// leave hacalc; this check failing is a defect to report, not a property of the model.
fn verify(structure: &Structure, s: &Solution) -> Result<(), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let finite = |x: f64| x.is_finite() && x >= 0.0;
    for (id, v) in s.nodes.iter().enumerate() {
        let m = &v.measures;
        // A node entangled with shared instances has no Birnbaum importance of its own (NaN).
        let birnbaum_ok = v.birnbaum.is_finite()
            || (v.birnbaum.is_nan() && s.shared.as_ref().is_some_and(|e| e.dependent[id]));
        if !m.avail.is_sound() || !m.frequency.is_none_or(finite) || !birnbaum_ok {
            errors.push(
                Diagnostic::error(
                    structure.nodes[id].pos,
                    format!(
                        "cannot give a trustworthy result for this block: A = {:e}, U = {:e}, failures per hour {}",
                        m.avail.p,
                        m.avail.q,
                        m.frequency.map_or_else(|| "unknown".to_string(), |f| format!("{f:e}"))
                    ),
                )
                .with_hint("hacalc refuses rather than print a number it cannot vouch for; this is a defect, please report it with the model"),
            );
        }
    }
    for c in s.components.iter().filter(|c| c.copies > 0.0) {
        // A team's component past --max-team-work has no importance (NaN, shown as such).
        let not_computed = c.birnbaum.is_nan()
            && c.unavailability_saved.is_nan()
            && s.shared.as_ref().is_some_and(|e| e.in_team(c.index));
        // Inside a Markov block solved without factors to reuse, the slope is not computed.
        let in_chain = structure.component_uses[c.index]
            .iter()
            .any(|(_, u)| matches!(u, Use::Chain(_)));
        let birnbaum_ok = finite(c.birnbaum) || (c.birnbaum.is_nan() && in_chain);
        if !not_computed && (!birnbaum_ok || !finite(c.unavailability_saved)) {
            errors.push(
                Diagnostic::error(
                    structure.nodes[structure.component_nodes[c.index]].pos,
                    format!(
                        "cannot give a trustworthy importance for component `{}`",
                        c.name
                    ),
                )
                .with_hint("this is a defect, please report it with the model"),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        errors.truncate(10);
        Err(errors)
    }
}

/// dA_unit / dA_c for a unit failing at factor x lambda, both varied through lambda:
/// factor (lambda + mu)^2 / (factor lambda + mu)^2.
fn scaled_derivative(factor: f64, r: Rates) -> f64 {
    let (l, m) = (r.failure, r.repair);
    factor * (l + m).powi(2) / (factor * l + m).powi(2)
}

/// dA_chain / dA_c for a chain of copies of c, both varied through the failure rate: the
/// chain's exact lambda dU/dlambda ([`ctmc::unavailability_slope`]) over the component's,
/// lambda dU_c/dlambda = U_c A_c. NaN when the chain is too large for the direct methods.
fn chain_derivative(
    block: &ChainBlock,
    steady: &ctmc::SteadyState,
    rates: Option<Rates>,
    opts: &ctmc::SolverOptions,
) -> f64 {
    let (Some(lambda), Some(r)) = (block.spec.lambda(), rates) else {
        return 0.0;
    };
    let Some(scaled) = scaled_part(block, lambda) else {
        return f64::NAN;
    };
    let Some(slope) = ctmc::unavailability_slope(&block.chain, &scaled, &steady.pi, opts) else {
        return f64::NAN;
    };
    let own = two_state(r.failure, r.repair).avail;
    slope / (own.p * own.q)
}

/// A figure whose exact value is at least zero (the system is coherent: failure frequency,
/// Birnbaum, downtime saved and added) but which is computed as a difference of nearly equal
/// quantities. A rounding residue below zero becomes 0; -0.0 becomes 0.0, so that no output
/// prints "-0"; NaN (not computed) stays NaN, for `verify` to judge, never a silent 0.
fn at_least_zero(x: f64) -> f64 {
    if x < 0.0 { 0.0 } else { x + 0.0 }
}

/// The part of each transition rate of a chain that is proportional to the replicated
/// component's failure rate: the chain built with 2 lambda minus the chain with lambda.
/// Every rate is a sum of terms each either a multiple of lambda or free of it, and
/// doubling is exact in binary floating point, so the difference is exact (up to one
/// rounding where a transition merges a lambda term with a free one).
fn scaled_part(block: &ChainBlock, lambda: f64) -> Option<Ctmc> {
    let (doubled, _) = block.spec.with_lambda(2.0 * lambda).build();
    let chain = &block.chain;
    if doubled.states() != chain.states() {
        return None;
    }
    let mut t = Vec::with_capacity(chain.transitions());
    for i in 0..chain.states() {
        let mut base = chain.out(i).peekable();
        for (j, r2) in doubled.out(i) {
            let r1 = match base.peek() {
                Some(&(k, r)) if k == j => {
                    base.next();
                    r
                }
                _ => 0.0,
            };
            t.push((i, j, r2 - r1));
        }
    }
    Some(Ctmc::new(chain.states(), t, chain.up.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A model's structure and solution, solved as `hacalc` would.
    fn solved(yaml: &str) -> (Structure, Solution) {
        let v = crate::validate_edited("m.yaml", yaml, &crate::Edits::default()).unwrap();
        let s = crate::compile::compile(&v.model, &crate::Options::default().limits).unwrap();
        let solution = solve(&v.model, &s, &ctmc::SolverOptions::default()).unwrap();
        (s, solution)
    }

    #[test]
    fn at_least_zero_clears_rounding_and_signed_zero_and_keeps_nan() {
        for x in [-1e-17, -0.0, -f64::MIN_POSITIVE] {
            let y = at_least_zero(x);
            assert!(y == 0.0 && y.is_sign_positive(), "{x:e} -> {y:e}");
        }
        assert_eq!(at_least_zero(2.5e-300), 2.5e-300);
        assert_eq!(at_least_zero(0.75), 0.75);
        assert!(at_least_zero(f64::NAN).is_nan());
    }

    const PAIR: &str = "components:\n  a: { mtbf: 100h, mttr: 1h }\n  b: { mtbf: 200h, mttr: 2h }\nsystem:\n  parallel: [a, b]\n";

    /// The last line of defence refuses each kind of figure that must never leave hacalc
    /// (negative, infinite or NaN frequencies, importance and downtime saved; unsound
    /// probabilities), naming what went wrong, and passes the true solution untouched.
    #[test]
    fn verify_refuses_every_untrustworthy_figure() {
        let (s, good) = solved(PAIR);
        assert!(verify(&s, &good).is_ok());
        let refused = |edit: &dyn Fn(&mut Solution), what: &str| {
            let mut bad = good.clone();
            edit(&mut bad);
            let errors = verify(&s, &bad).expect_err(what);
            assert!(!errors.is_empty(), "{what}");
        };
        let root = s.root;
        for f in [-1e-9, f64::INFINITY, f64::NAN] {
            refused(&|x| x.nodes[root].measures.frequency = Some(f), "frequency");
            refused(&|x| x.components[0].birnbaum = f, "Birnbaum");
            refused(&|x| x.components[1].unavailability_saved = f, "saved");
        }
        refused(
            &|x| {
                x.nodes[root].measures.avail = Probability { p: 0.5, q: 0.6 };
            },
            "p + q = 1.1",
        );
        refused(
            &|x| x.nodes[root].birnbaum = f64::NAN,
            "NaN Birnbaum, nothing shared",
        );
        refused(
            &|x| x.nodes[0].birnbaum = f64::INFINITY,
            "infinite Birnbaum",
        );
        // Unknown is not wrong: a static component has no frequency.
        let mut unknown = good.clone();
        unknown.nodes[root].measures.frequency = None;
        assert!(verify(&s, &unknown).is_ok());
        // Importance not computed (both NaN) passes only for a team's component.
        refused(
            &|x| {
                x.components[0].birnbaum = f64::NAN;
                x.components[0].unavailability_saved = f64::NAN;
            },
            "both NaN outside a team",
        );
        let (ts, team) = solved(
            "components:\n  a: { mtbf: 100h, mttr: 5h, team: ops }\n  b: { mtbf: 200h, mttr: 5h, team: ops }\nteams:\n  ops: { size: 1 }\nsystem:\n  parallel: [a, b]\n",
        );
        assert!(verify(&ts, &team).is_ok());
        let mut not_computed = team.clone();
        not_computed.components[0].birnbaum = f64::NAN;
        not_computed.components[0].unavailability_saved = f64::NAN;
        assert!(verify(&ts, &not_computed).is_ok());
        let mut half = team.clone();
        half.components[0].birnbaum = f64::NAN;
        assert!(
            verify(&ts, &half).is_err(),
            "Birnbaum NaN with a downtime saved"
        );
        // A component with no copies in the system is not checked (it is not shown).
        let mut unused = good.clone();
        unused.components[0].copies = 0.0;
        unused.components[0].birnbaum = f64::NAN;
        assert!(verify(&s, &unused).is_ok());
    }
}
