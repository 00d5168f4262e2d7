//! Stage 3: a validated model to a structure the solver evaluates.
//!
//! The structure is a directed acyclic graph stored as an arena in topological order (every
//! node's children have smaller indices), so the solver evaluates it with one forward loop
//! and propagates importance with one backward loop, with no recursion. Each component and
//! each named block is one node, shared by every place that uses it: every use is an
//! independent copy with the same availability, so its value is computed once.
//!
//! Dependent blocks (shared repair, standby, explicit chains) become Markov chains, built
//! here once ([`chains`], stored as [`ctmc::Ctmc`]) and read by every later stage.

pub mod bdd;
pub mod chains;
pub mod ctmc;
pub mod network;
pub mod zdd;

use crate::diagnostics::{Diagnostic, Pos};
use crate::limits::Limits;
use crate::model::CommonCause;
use crate::model::{Block, BlockKind, ComponentId, Graph, Model, Rates, SharedCopies, Standby};
use crate::probability::Probability;
use chains::{ChainSpec, StateNames};
use ctmc::Ctmc;

pub type NodeId = usize;

#[derive(Debug, Clone)]
pub enum NodeKind {
    /// A component, by id.
    Component(ComponentId),
    /// Up when every child is up.
    Series(Vec<NodeId>),
    /// Up when at least `k` of the children are up (`parallel` is k = 1).
    KofN { k: usize, children: Vec<NodeId> },
    /// Up when at least `k` of `n` independent copies of `child` are up.
    Copies { k: u64, n: u64, child: NodeId },
    /// A two-state unit made from a rated component with its failure rate scaled by `factor`
    /// (the two parts of a beta-factor common-cause model).
    Unit {
        component: ComponentId,
        rates: Rates,
        factor: f64,
    },
    /// A block solved as a Markov chain, by index into `Structure::chains`.
    Markov(usize),
    /// A reliability graph: up when an all-up path of links joins the terminals; link i is
    /// up when child i is.
    Network {
        graph: Box<Graph>,
        children: Vec<NodeId>,
        /// The structure function as a decision diagram over the links, built once.
        diagram: std::sync::Arc<network::NetworkBdd>,
    },
}

impl NodeKind {
    /// The distinct positions this node reads its children from, in order.
    pub fn children(&self) -> &[NodeId] {
        match self {
            NodeKind::Component(_) | NodeKind::Unit { .. } | NodeKind::Markov(_) => &[],
            NodeKind::Series(c)
            | NodeKind::KofN { children: c, .. }
            | NodeKind::Network { children: c, .. } => c,
            NodeKind::Copies { child, .. } => std::slice::from_ref(child),
        }
    }

    /// Copies of each child per use of this node (n for the copies form, 1 otherwise).
    pub fn multiplicity(&self) -> f64 {
        match self {
            NodeKind::Copies { n, .. } => *n as f64,
            NodeKind::Component(_)
            | NodeKind::Series(_)
            | NodeKind::KofN { .. }
            | NodeKind::Unit { .. }
            | NodeKind::Markov(_)
            | NodeKind::Network { .. } => 1.0,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Node {
    pub kind: NodeKind,
    /// A name for people: the component or named block's name, or a description such as
    /// "2 of 3 × web" for an anonymous block.
    pub label: String,
    pub pos: Pos,
    /// The named block this node is, if it is one.
    pub named: Option<usize>,
    /// One instance wherever it is used (a `shared: true` component or named block), instead
    /// of an independent copy per use.
    pub shared: bool,
    /// How the served fraction follows from the copies (`shards`, `pool`); None: the
    /// kind's own rule (docs/format.md, "Degraded capacity").
    pub capacity: Option<crate::model::CapacityRule>,
}

/// A block solved as a Markov chain: its parameters, its generator and its state names.
#[derive(Debug, Clone)]
pub struct ChainBlock {
    pub spec: ChainSpec,
    /// A standby's automatic switchover when it is not exponential: the chain uses its mean,
    /// the simulator draws it.
    pub switchover_law: Option<crate::model::Law>,
    pub chain: Ctmc,
    pub names: StateNames,
    /// The component whose copies the chain models (None for an explicit chain).
    pub component: Option<ComponentId>,
    pub node: NodeId,
}

/// How a node uses a component, for importance and downtime saved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Use {
    /// The component's own node.
    Leaf,
    /// A two-state unit with the component's failure rate times `factor`; `copy` when it
    /// stands for the component's copies (not the shared common-cause event).
    Scaled {
        factor: f64,
        copy: bool,
        rates: Rates,
    },
    /// A Markov chain of copies of the component (index into `Structure::chains`).
    Chain(usize),
}

#[derive(Debug, Clone)]
pub struct Structure {
    pub nodes: Vec<Node>,
    pub root: NodeId,
    /// Node of each component (same index as `Model::components`).
    pub component_nodes: Vec<NodeId>,
    /// Every node through which each component acts (its own node first).
    pub component_uses: Vec<Vec<(NodeId, Use)>>,
    /// Node of each named block (same index as `Model::blocks`).
    pub block_nodes: Vec<NodeId>,
    pub chains: Vec<ChainBlock>,
}

impl Structure {
    /// For each node, the nodes that read it.
    pub fn parents(&self) -> Vec<Vec<NodeId>> {
        let mut parents = vec![Vec::new(); self.nodes.len()];
        for (i, n) in self.nodes.iter().enumerate() {
            for &c in n.kind.children() {
                if parents[c].last() != Some(&i) {
                    parents[c].push(i);
                }
            }
        }
        parents
    }

    /// The chain of a Markov node.
    pub fn chain_of(&self, id: NodeId) -> Option<&ChainBlock> {
        if let NodeKind::Markov(i) = self.nodes[id].kind {
            Some(&self.chains[i])
        } else {
            None
        }
    }
}

/// Builds the structure of a validated model. Fails only when a Markov chain would exceed
/// the state limit.
pub fn compile(model: &Model, limits: &Limits) -> Result<Structure, Vec<Diagnostic>> {
    let mut b = Builder {
        model,
        limits: *limits,
        nodes: Vec::with_capacity(model.components.len() * 2),
        component_nodes: Vec::with_capacity(model.components.len()),
        component_uses: vec![Vec::new(); model.components.len()],
        block_nodes: vec![usize::MAX; model.blocks.len()],
        chains: Vec::new(),
        errors: Vec::new(),
    };
    for (i, c) in model.components.iter().enumerate() {
        // Exactly one use to begin with: most components have no other, and a Vec that grows
        // from empty reserves four (160 bytes a component on a 100,000-component model).
        b.component_uses[i] = vec![(b.nodes.len(), Use::Leaf)];
        b.component_nodes.push(b.nodes.len());
        b.nodes.push(Node {
            kind: NodeKind::Component(i),
            label: c.name.clone(),
            pos: c.pos,
            named: None,
            shared: c.shared,
            capacity: None,
        });
    }
    for &i in &model.block_order {
        let named = &model.blocks[i];
        let id = b.block(&named.block);
        // A named block that is only a name of another block or component gets its own node,
        // so that it has its own line in the results.
        let id =
            if b.nodes[id].named.is_some() || matches!(b.nodes[id].kind, NodeKind::Component(_)) {
                b.push(NodeKind::Series(vec![id]), named.name.clone(), named.pos)
            } else {
                id
            };
        b.nodes[id].label = named.name.clone();
        b.nodes[id].named = Some(i);
        b.nodes[id].shared = named.shared;
        b.block_nodes[i] = id;
    }
    let root = b.block(&model.system);
    if !b.errors.is_empty() {
        return Err(b.errors);
    }
    // Reserved for two nodes a component; a model of named blocks of many components needs
    // fewer, and the structure lives until the output is written.
    b.nodes.shrink_to_fit();
    Ok(Structure {
        nodes: b.nodes,
        root,
        component_nodes: b.component_nodes,
        component_uses: b.component_uses,
        block_nodes: b.block_nodes,
        chains: b.chains,
    })
}

struct Builder<'m> {
    model: &'m Model,
    limits: Limits,
    nodes: Vec<Node>,
    component_nodes: Vec<NodeId>,
    component_uses: Vec<Vec<(NodeId, Use)>>,
    block_nodes: Vec<NodeId>,
    chains: Vec<ChainBlock>,
    errors: Vec<Diagnostic>,
}

impl Builder<'_> {
    fn push(&mut self, kind: NodeKind, label: String, pos: Pos) -> NodeId {
        self.nodes.push(Node {
            kind,
            label,
            pos,
            named: None,
            shared: false,
            capacity: None,
        });
        self.nodes.len() - 1
    }

    fn block(&mut self, b: &Block) -> NodeId {
        match &b.kind {
            BlockKind::Component(c) => self.component_nodes[*c],
            // Named blocks compile in `block_order`, so each is built before its users.
            BlockKind::Named(i) => self.block_nodes[*i],
            BlockKind::Series(list) => {
                let children = self.list(list);
                let label = format!("series of {}", children.len());
                self.push(NodeKind::Series(children), label, b.pos)
            }
            BlockKind::KofN { k, members } => {
                let children = self.list(members);
                let label = if *k == 1 {
                    format!("parallel of {}", children.len())
                } else {
                    format!("{k} of {}", children.len())
                };
                self.push(NodeKind::KofN { k: *k, children }, label, b.pos)
            }
            BlockKind::Copies { k, n, of } => {
                let child = self.block(of);
                let label = copies_label(*k, *n, &self.nodes[child].label);
                self.push(
                    NodeKind::Copies {
                        k: *k,
                        n: *n,
                        child,
                    },
                    label,
                    b.pos,
                )
            }
            BlockKind::SharedCopies(s) => self.shared_copies(s, b.pos),
            BlockKind::Capacity { rule, inner } => {
                let id = self.block(inner);
                let kind = match rule {
                    crate::model::CapacityRule::Shards { weights } => {
                        format!("{} shards", weights.len())
                    }
                    crate::model::CapacityRule::Pool { demand } => format!("pool, demand {demand}"),
                };
                self.nodes[id].label = format!("{} ({kind})", self.nodes[id].label);
                self.nodes[id].capacity = Some(rule.clone());
                id
            }
            BlockKind::Standby(s) => self.standby(s, b.pos),
            BlockKind::Markov(m) => self.chain(
                ChainSpec::Explicit(m.clone()),
                None,
                format!("markov chain of {} states", m.states.len()),
                b.pos,
            ),
            BlockKind::Network(net) => {
                let children = self.list(&net.links);
                let g = &net.graph;
                let label = format!(
                    "network {} → {} ({} links)",
                    g.nodes[g.source as usize],
                    g.nodes[g.target as usize],
                    children.len()
                );
                let diagram = match network::build(g, self.limits.max_bdd_nodes) {
                    Ok(d) => std::sync::Arc::new(d),
                    Err(e) => {
                        let msg = match e {
                            network::NetworkError::TooLarge(t) => format!(
                                "this network's decision diagram grew past {} nodes",
                                t.nodes
                            ),
                            network::NetworkError::TooWide(w) => format!(
                                "this network has {w} nodes on one cut of its links, more than the {} its exact method keeps",
                                if g.directed {
                                    network::MAX_DIRECTED_FRONTIER
                                } else {
                                    network::MAX_UNDIRECTED_FRONTIER
                                }
                            ),
                        };
                        self.errors.push(
                            Diagnostic::error(b.pos, msg)
                                .with_hint("raise --max-bdd-nodes if the machine has the memory, or split the network into smaller ones joined in series"),
                        );
                        return self.push(NodeKind::Series(Vec::new()), label, b.pos);
                    }
                };
                self.push(
                    NodeKind::Network {
                        graph: Box::new(g.clone()),
                        children,
                        diagram,
                    },
                    label,
                    b.pos,
                )
            }
        }
    }

    fn list(&mut self, list: &[Block]) -> Vec<NodeId> {
        list.iter().map(|x| self.block(x)).collect()
    }

    /// A Markov-chain node, unless the chain is over the state limit.
    fn chain(
        &mut self,
        spec: ChainSpec,
        component: Option<ComponentId>,
        label: String,
        pos: Pos,
    ) -> NodeId {
        let states = spec.state_count();
        if states > self.limits.max_states {
            self.errors.push(
                Diagnostic::error(pos, format!("this block's Markov chain has {states} states, more than the limit of {}", self.limits.max_states))
                    .with_hint("raise the limit with --max-states if the machine has the memory, or use fewer copies"),
            );
            // A placeholder node keeps the arena consistent; the error stops the analysis.
            return self.push(NodeKind::Series(Vec::new()), label, pos);
        }
        let (chain, names) = spec.build();
        let index = self.chains.len();
        let id = self.push(NodeKind::Markov(index), label, pos);
        self.chains.push(ChainBlock {
            spec,
            switchover_law: None,
            chain,
            names,
            component,
            node: id,
        });
        if let Some(c) = component {
            self.component_uses[c].push((id, Use::Chain(index)));
        }
        id
    }

    /// A two-state unit from component `c` with its failure rate scaled by `factor`.
    fn unit(
        &mut self,
        c: ComponentId,
        rates: Rates,
        factor: f64,
        copy: bool,
        label: String,
        pos: Pos,
    ) -> NodeId {
        let id = self.push(
            NodeKind::Unit {
                component: c,
                rates,
                factor,
            },
            label,
            pos,
        );
        self.component_uses[c].push((
            id,
            Use::Scaled {
                factor,
                copy,
                rates,
            },
        ));
        id
    }

    /// Copies of a component with shared repair and/or a beta-factor common cause: the
    /// common-cause event is a unit in series with the copies failing at (1 - beta) x lambda.
    fn shared_copies(&mut self, s: &SharedCopies, pos: Pos) -> NodeId {
        let SharedCopies {
            k,
            n,
            component: c,
            crews,
            ref common_cause,
        } = *s;
        let rates = self.rates_of(c);
        let common_cause = common_cause.clone();
        let name = self.model.components[c].name.clone();
        let beta = match common_cause {
            None => Probability::ZERO,
            Some(CommonCause::Together { beta }) => beta,
            // Events that take sets of copies down, each copy repaired on its own: one chain.
            Some(CommonCause::Each { multipliers }) => {
                let crews = crews.unwrap_or(n);
                let spec = ChainSpec::CommonCause(chains::crews::CommonCauseChain {
                    n,
                    k,
                    crews,
                    lambda: rates.failure,
                    mu: rates.repair,
                    multipliers,
                });
                return self.chain(
                    spec,
                    Some(c),
                    format!("{k} of {n} × {name} with common cause, repaired each"),
                    pos,
                );
            }
        };
        let independent = if beta.q == 0.0 {
            self.unit(
                c,
                rates,
                0.0,
                true,
                format!("{name} (never fails independently)"),
                pos,
            )
        } else if let Some(crews) = crews {
            let spec = ChainSpec::Crews {
                n,
                k,
                crews,
                lambda: beta.q * rates.failure,
                mu: rates.repair,
            };
            let plural = if crews == 1 { "" } else { "s" };
            self.chain(
                spec,
                Some(c),
                format!("{k} of {n} × {name}, {crews} crew{plural}"),
                pos,
            )
        } else {
            let unit = if beta.p > 0.0 {
                self.unit(
                    c,
                    rates,
                    beta.q,
                    true,
                    format!("{name} (independent part)"),
                    pos,
                )
            } else {
                self.component_nodes[c]
            };
            self.push(
                NodeKind::Copies { k, n, child: unit },
                format!("{k} of {n} × {name}"),
                pos,
            )
        };
        if beta.p == 0.0 {
            return independent;
        }
        let shared = self.unit(c, rates, beta.p, false, format!("{name} common cause"), pos);
        let label = format!("{k} of {n} × {name} with common cause");
        self.push(NodeKind::Series(vec![shared, independent]), label, pos)
    }

    /// The current rates of a component that a chain replicates (validation refused such a
    /// block for a component without rates). Read here rather than copied into the block, so
    /// that a model whose components are drawn anew (`--uncertainty`) builds its chains from
    /// the drawn values.
    fn rates_of(&self, c: ComponentId) -> Rates {
        self.model.components[c]
            .rates
            .expect("validation: a replicated component has rates")
    }

    fn standby(&mut self, s: &Standby, pos: Pos) -> NodeId {
        let name = &self.model.components[s.component].name;
        let label = format!("{} standby {} of {} × {name}", s.mode.name(), s.active, s.n);
        let rates = self.rates_of(s.component);
        let spec = ChainSpec::Standby(chains::standby::Params {
            n: s.n,
            active: s.active,
            crews: s.crews,
            phi: s.spare_factor,
            lambda: rates.failure,
            mu: rates.repair,
            switchover: s.switchover_hours,
            coverage: s.coverage,
            manual: s.manual_switchover_hours,
        });
        let id = self.chain(spec, Some(s.component), label, pos);
        if let (NodeKind::Markov(i), Some(law)) = (&self.nodes[id].kind, &s.switchover_law) {
            self.chains[*i].switchover_law = Some(law.clone());
        }
        id
    }
}

/// "parallel 3 × web" or "2 of 3 × web".
fn copies_label(k: u64, n: u64, of: &str) -> String {
    if k == 1 {
        format!("parallel {n} × {of}")
    } else {
        format!("{k} of {n} × {of}")
    }
}
