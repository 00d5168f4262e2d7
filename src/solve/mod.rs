//! Stage 4: steady-state measures of a compiled structure.
//!
//! Markov blocks are solved first, each on its own ([`ctmc`]); they then enter the diagram
//! like components, through their exact availability and up-to-down frequency (blocks are
//! independent of each other). One forward pass over the topologically ordered structure
//! gives each node's availability, unavailability and failure frequency; one backward pass
//! gives every node's Birnbaum importance dA_sys/dA_node (all uses moving together); a pass
//! per component or named block gives the downtime saved if it never failed
//! ([`improvement`]).

pub mod ctmc;
pub mod improvement;
pub mod network;
pub mod rbd;
pub mod sensitivity;
pub mod simulate;
pub mod transient;

use crate::compile::{NodeId, NodeKind, Structure, Use};
use crate::diagnostics::Diagnostic;
use crate::validate::{Rates, Valid};
use rbd::Avail;

/// Steady-state measures of one block or of the system.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measures {
    pub availability: f64,
    pub unavailability: f64,
    /// Up-to-down transitions per hour; None when a static availability leaves it unknown.
    pub frequency: Option<f64>,
}

impl Measures {
    pub fn nines(&self) -> f64 {
        -self.unavailability.log10()
    }
    /// Mean up time between failures, hours.
    pub fn mtbf(&self) -> Option<f64> {
        self.frequency
            .filter(|f| *f > 0.0)
            .map(|f| self.availability / f)
    }
    /// Mean outage duration, hours.
    pub fn mttr(&self) -> Option<f64> {
        self.frequency
            .filter(|f| *f > 0.0)
            .map(|f| self.unavailability / f)
    }
}

/// What the solver keeps for each node of the structure.
#[derive(Debug, Clone)]
pub struct NodeValue {
    pub avail: Avail,
    pub frequency: Option<f64>,
    /// dA_node / dA_child for each child position (for copies: all copies together).
    pub partials: Vec<f64>,
    /// Birnbaum importance of this node for the system, dA_sys / dA_node.
    pub importance: f64,
    /// How many times the node occurs in the fully expanded system (copies counted).
    pub occurrences: f64,
}

#[derive(Debug, Clone)]
pub struct ComponentResult {
    pub index: usize,
    pub name: String,
    /// Copies of the component in the whole system (units of Markov blocks included).
    pub occurrences: f64,
    pub measures: Measures,
    pub rates: Option<Rates>,
    /// dA_sys / dA_c, every copy moving together (A_c varied through its failure rate where
    /// the component is inside a Markov block).
    pub birnbaum: f64,
    /// U_sys - U_sys with this component perfect.
    pub unavailability_saved: f64,
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
    pub occurrences: f64,
    pub measures: Measures,
    pub birnbaum: f64,
    pub unavailability_saved: f64,
}

/// A solved Markov block.
#[derive(Debug, Clone)]
pub struct ChainResult {
    pub node: NodeId,
    pub states: usize,
    pub transitions: usize,
    pub steady: ctmc::SteadyState,
}

impl ChainResult {
    /// The block's availability, unavailability and frequency.
    pub fn measures(&self) -> Measures {
        Measures {
            availability: self.steady.availability,
            unavailability: self.steady.unavailability,
            frequency: Some(self.steady.frequency),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Solution {
    pub name: String,
    pub horizon_hours: f64,
    pub system: Measures,
    pub nodes: Vec<NodeValue>,
    pub components: Vec<ComponentResult>,
    pub blocks: Vec<BlockResult>,
    pub chains: Vec<ChainResult>,
}

/// Two-state unit with failure rate `lambda` and repair rate `mu`: A, U and frequency A lambda.
pub fn two_state(lambda: f64, mu: f64) -> (Avail, f64) {
    let a = mu / (lambda + mu);
    (
        Avail {
            a,
            u: lambda / (lambda + mu),
        },
        a * lambda,
    )
}

/// Evaluates a composite node from its children's values: its availability and local
/// partials. None for leaves (components, units, Markov blocks), whose values are given.
pub fn evaluate(kind: &NodeKind, child: impl Fn(NodeId) -> Avail) -> Option<(Avail, Vec<f64>)> {
    Some(match kind {
        NodeKind::Component(_) | NodeKind::Unit { .. } | NodeKind::Markov(_) => return None,
        NodeKind::Series(c) => rbd::series(&c.iter().map(|&i| child(i)).collect::<Vec<_>>()),
        NodeKind::KofN { k, children } => {
            rbd::k_of_n(*k, &children.iter().map(|&i| child(i)).collect::<Vec<_>>())
        }
        NodeKind::Copies { k, n, child: c } => {
            let (v, p) = rbd::copies(*k, *n, child(*c));
            (v, vec![p])
        }
        NodeKind::Network { graph, children } => network::evaluate(
            graph,
            &children.iter().map(|&i| child(i)).collect::<Vec<_>>(),
        ),
    })
}

/// Copies of a node's child per use of the node (n for the copies form, 1 otherwise).
fn multiplicity(kind: &NodeKind) -> f64 {
    match kind {
        NodeKind::Copies { n, .. } => *n as f64,
        _ => 1.0,
    }
}

/// Solves the Markov blocks: each chain's steady state, or a located error.
fn solve_chains(
    structure: &Structure,
    opts: &ctmc::SolverOptions,
) -> Result<Vec<ChainResult>, Vec<Diagnostic>> {
    let mut out = Vec::with_capacity(structure.chains.len());
    let mut errors = Vec::new();
    for c in &structure.chains {
        let (chain, _) = c.spec.build();
        match ctmc::steady_state(&chain, opts) {
            Ok(steady) => out.push(ChainResult {
                node: c.node,
                states: chain.states(),
                transitions: chain.transitions(),
                steady,
            }),
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
    model: &Valid,
    structure: &Structure,
    opts: &ctmc::SolverOptions,
) -> Result<Solution, Vec<Diagnostic>> {
    let chains = solve_chains(structure, opts)?;
    let leaf_value = |id: NodeId| -> (Avail, Option<f64>) {
        match &structure.nodes[id].kind {
            NodeKind::Component(i) => {
                let c = &model.components[*i];
                (
                    Avail {
                        a: c.availability,
                        u: c.unavailability,
                    },
                    c.frequency(),
                )
            }
            NodeKind::Unit { component, factor } => {
                let r = model.components[*component]
                    .rates
                    .expect("units are made from rated components");
                let (v, f) = two_state(factor * r.failure, r.repair);
                (v, Some(f))
            }
            NodeKind::Markov(i) => {
                let s = &chains[*i].steady;
                (
                    Avail {
                        a: s.availability,
                        u: s.unavailability,
                    },
                    Some(s.frequency),
                )
            }
            _ => unreachable!("only leaves have given values"),
        }
    };
    let mut nodes: Vec<NodeValue> = Vec::with_capacity(structure.nodes.len());
    for (id, node) in structure.nodes.iter().enumerate() {
        let (avail, partials, frequency) = match evaluate(&node.kind, |c| nodes[c].avail) {
            Some((avail, partials)) => {
                let frequency = node
                    .kind
                    .children()
                    .iter()
                    .zip(&partials)
                    .map(|(&c, p)| nodes[c].frequency.map(|f| p * f))
                    .sum::<Option<f64>>();
                (avail, partials, frequency)
            }
            None => {
                let (avail, frequency) = leaf_value(id);
                (avail, Vec::new(), frequency)
            }
        };
        nodes.push(NodeValue {
            avail,
            frequency,
            partials,
            importance: 0.0,
            occurrences: 0.0,
        });
    }
    // Backward pass: importance by the chain rule, occurrences by multiplication.
    nodes[structure.root].importance = 1.0;
    nodes[structure.root].occurrences = 1.0;
    for id in (0..nodes.len()).rev() {
        let (imp, occ) = (nodes[id].importance, nodes[id].occurrences);
        if occ == 0.0 {
            continue;
        }
        let kind = &structure.nodes[id].kind;
        let mult = multiplicity(kind);
        for (pos, &c) in kind.children().iter().enumerate() {
            let p = nodes[id].partials[pos];
            nodes[c].importance += imp * p;
            nodes[c].occurrences += occ * mult;
        }
    }
    let measures = |id: NodeId| Measures {
        availability: nodes[id].avail.a,
        unavailability: nodes[id].avail.u,
        frequency: nodes[id].frequency,
    };
    let system = measures(structure.root);

    let mut targets: Vec<Vec<NodeId>> = structure
        .component_uses
        .iter()
        .map(|u| u.iter().map(|(id, _)| *id).collect())
        .collect();
    targets.extend(structure.block_nodes.iter().map(|&id| vec![id]));
    let saved = improvement::unavailability_saved(structure, &nodes, &targets);

    let components = model
        .components
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let uses = &structure.component_uses[i];
            let mut birnbaum = 0.0;
            let mut occurrences = 0.0;
            let mut caused = c.frequency().map(|_| 0.0);
            for &(id, use_) in uses {
                let node = &nodes[id];
                if node.occurrences == 0.0 {
                    continue;
                }
                match use_ {
                    Use::Leaf => {
                        birnbaum += node.importance;
                        occurrences += node.occurrences;
                        caused = caused.map(|x| x + node.importance * c.frequency().unwrap_or(0.0));
                    }
                    Use::Scaled { factor, copy } => {
                        let r = c.rates.expect("scaled units come from rated components");
                        birnbaum += node.importance * scaled_derivative(factor, r);
                        if copy {
                            occurrences += node.occurrences;
                        }
                        caused =
                            caused.map(|x| x + node.importance * node.frequency.unwrap_or(0.0));
                    }
                    Use::Chain(k) => {
                        birnbaum += node.importance
                            * chain_derivative(&structure.chains[k].spec, c.rates, opts);
                        occurrences += node.occurrences * chain_units(&structure.chains[k].spec);
                        caused = None;
                    }
                }
            }
            let id = structure.component_nodes[i];
            ComponentResult {
                index: i,
                name: c.name.clone(),
                occurrences,
                measures: measures(id),
                rates: c.rates,
                birnbaum,
                unavailability_saved: saved[i],
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
            occurrences: nodes[id].occurrences,
            measures: measures(id),
            birnbaum: nodes[id].importance,
            unavailability_saved: saved[structure.component_nodes.len() + i],
        })
        .collect();
    Ok(Solution {
        name: model.name.clone(),
        horizon_hours: model.horizon_hours,
        system,
        nodes,
        components,
        blocks,
        chains,
    })
}

/// dA_unit / dA_c for a unit failing at factor x lambda, both varied through lambda:
/// factor (lambda + mu)^2 / (factor lambda + mu)^2.
fn scaled_derivative(factor: f64, r: Rates) -> f64 {
    let (l, m) = (r.failure, r.repair);
    factor * (l + m).powi(2) / (factor * l + m).powi(2)
}

/// dA_chain / dA_c for a chain of copies of c, both varied through lambda, by central
/// differences on U (each computed directly, so the difference keeps its digits).
fn chain_derivative(
    spec: &crate::compile::chains::ChainSpec,
    rates: Option<Rates>,
    opts: &ctmc::SolverOptions,
) -> f64 {
    let (Some(lambda), Some(r)) = (spec.lambda(), rates) else {
        return 0.0;
    };
    let h = 1e-4;
    let u_at = |l: f64| {
        let (chain, _) = spec.with_lambda(l).build();
        ctmc::steady_state(&chain, opts)
            .map(|s| s.unavailability)
            .unwrap_or(f64::NAN)
    };
    let d_chain = u_at(lambda * (1.0 + h)) - u_at(lambda * (1.0 - h));
    let u_c = |l: f64| l / (l + r.repair);
    let d_comp = u_c(r.failure * (1.0 + h)) - u_c(r.failure * (1.0 - h));
    // The chain's rate is a fixed multiple of the component's, so the same relative step
    // moves both; dA = -dU on both sides.
    let ratio = d_chain / d_comp;
    if ratio.is_finite() { ratio } else { 0.0 }
}

/// Units of a component in one use of a chain block.
fn chain_units(spec: &crate::compile::chains::ChainSpec) -> f64 {
    match spec {
        crate::compile::chains::ChainSpec::Crews { n, .. }
        | crate::compile::chains::ChainSpec::Standby { n, .. } => *n as f64,
        crate::compile::chains::ChainSpec::Explicit { .. } => 0.0,
    }
}
