//! Stage 4: steady-state measures of a compiled structure.
//!
//! One forward pass over the topologically ordered structure gives each node's availability,
//! unavailability and failure frequency; one backward pass gives every node's Birnbaum
//! importance dA_sys/dA_node (all uses moving together); a pass per component or named block
//! gives the downtime saved if it never failed (see [`improvement`]).

pub mod improvement;
pub mod rbd;

use crate::compile::{NodeId, NodeKind, Structure};
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
    pub occurrences: f64,
    pub measures: Measures,
    pub rates: Option<Rates>,
    /// dA_sys / dA_c, every copy moving together.
    pub birnbaum: f64,
    /// U_sys - U_sys with this component perfect.
    pub unavailability_saved: f64,
    /// System failures per hour that start with a failure of this component
    /// (Birnbaum x the component's own frequency); None for a static component.
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

#[derive(Debug, Clone)]
pub struct Solution {
    pub name: String,
    pub horizon_hours: f64,
    pub system: Measures,
    pub nodes: Vec<NodeValue>,
    pub components: Vec<ComponentResult>,
    pub blocks: Vec<BlockResult>,
}

/// Evaluates one node from its children's values: its availability and local partials.
pub fn evaluate(
    kind: &NodeKind,
    child: impl Fn(NodeId) -> Avail,
    leaf: impl Fn(usize) -> Avail,
) -> (Avail, Vec<f64>) {
    match kind {
        NodeKind::Component(i) => (leaf(*i), Vec::new()),
        NodeKind::Series(c) => rbd::series(&c.iter().map(|&i| child(i)).collect::<Vec<_>>()),
        NodeKind::KofN { k, children } => {
            rbd::k_of_n(*k, &children.iter().map(|&i| child(i)).collect::<Vec<_>>())
        }
        NodeKind::Copies { k, n, child: c } => {
            let (v, p) = rbd::copies(*k, *n, child(*c));
            (v, vec![p])
        }
    }
}

/// Copies of a node's child per use of the node (n for the copies form, 1 otherwise).
fn multiplicity(kind: &NodeKind) -> f64 {
    match kind {
        NodeKind::Copies { n, .. } => *n as f64,
        _ => 1.0,
    }
}

/// Solves a compiled model.
pub fn solve(model: &Valid, structure: &Structure) -> Solution {
    let leaf = |i: usize| Avail {
        a: model.components[i].availability,
        u: model.components[i].unavailability,
    };
    let mut nodes: Vec<NodeValue> = Vec::with_capacity(structure.nodes.len());
    for node in &structure.nodes {
        let (avail, partials) = evaluate(&node.kind, |c| nodes[c].avail, leaf);
        let frequency = match &node.kind {
            NodeKind::Component(i) => model.components[*i].frequency(),
            kind => kind
                .children()
                .iter()
                .zip(&partials)
                .map(|(&c, p)| nodes[c].frequency.map(|f| p * f))
                .sum::<Option<f64>>(),
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

    let mut targets: Vec<NodeId> = structure.component_nodes.clone();
    targets.extend(&structure.block_nodes);
    let saved = improvement::unavailability_saved(structure, &nodes, &targets, leaf);

    let components = model
        .components
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let id = structure.component_nodes[i];
            ComponentResult {
                index: i,
                name: c.name.clone(),
                occurrences: nodes[id].occurrences,
                measures: measures(id),
                rates: c.rates,
                birnbaum: nodes[id].importance,
                unavailability_saved: saved[i],
                system_failures_caused: c.frequency().map(|f| nodes[id].importance * f),
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
    Solution {
        name: model.name.clone(),
        horizon_hours: model.horizon_hours,
        system,
        nodes,
        components,
        blocks,
    }
}
