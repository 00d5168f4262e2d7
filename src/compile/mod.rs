//! Stage 3: a checked model to a structure the solver evaluates.
//!
//! The structure is a directed acyclic graph stored as an arena in topological order (every
//! node's children have smaller indices), so the solver evaluates it with one forward loop
//! and propagates importance with one backward loop, with no recursion. Each component and
//! each named block is one node, shared by every place that uses it: every use is an
//! independent copy with the same availability, so its value is computed once.

pub mod chains;

use crate::diagnostics::{Diagnostic, Pos};
use crate::parse::model::{Block, CommonCauseSpec, Located, Members, Parallel, StandbySpec};
use crate::parse::quantity::Probability;
use crate::validate::Valid;
use chains::ChainSpec;

pub type NodeId = usize;

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A component, by index into `Valid::components`.
    Component(usize),
    /// Up when every child is up.
    Series(Vec<NodeId>),
    /// Up when at least `k` of the children are up (`parallel` is k = 1).
    KofN { k: usize, children: Vec<NodeId> },
    /// Up when at least `k` of `n` independent copies of `child` are up.
    Copies { k: u64, n: u64, child: NodeId },
    /// A two-state unit made from a component with its failure rate scaled by `factor` (the
    /// two parts of a beta-factor common-cause model).
    Unit { component: usize, factor: f64 },
    /// A block solved as a Markov chain, by index into `Structure::chains`.
    Markov(usize),
    /// A reliability graph: up when an all-up path of links joins the terminals; link i is
    /// up when child i is.
    Network {
        graph: crate::solve::network::Graph,
        children: Vec<NodeId>,
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
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    /// A name for people: the component or named block's name, or a description such as
    /// "2 of 3 × web" for an anonymous block.
    pub label: String,
    pub pos: Pos,
    /// Index into `Valid::blocks` when this node is a named block.
    pub named: Option<usize>,
}

/// A block solved as a Markov chain.
#[derive(Debug, Clone)]
pub struct ChainBlock {
    pub spec: ChainSpec,
    /// The component whose copies the chain models (None for an explicit chain).
    pub component: Option<usize>,
    pub node: NodeId,
}

/// How a node uses a component, for importance and downtime saved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Use {
    /// The component's own node.
    Leaf,
    /// A two-state unit with the component's failure rate times `factor`; `copy` when it
    /// stands for the component's copies (not the shared common-cause event).
    Scaled { factor: f64, copy: bool },
    /// A Markov chain of copies of the component (index into `Structure::chains`).
    Chain(usize),
}

#[derive(Debug, Clone)]
pub struct Structure {
    pub nodes: Vec<Node>,
    pub root: NodeId,
    /// Node of each component (same index as `Valid::components`).
    pub component_nodes: Vec<NodeId>,
    /// Every node through which each component acts (its own node first).
    pub component_uses: Vec<Vec<(NodeId, Use)>>,
    /// Node of each named block (same index as `Valid::blocks`).
    pub block_nodes: Vec<NodeId>,
    pub chains: Vec<ChainBlock>,
}

/// Limits of compilation.
#[derive(Debug, Clone, Copy)]
pub struct CompileOptions {
    /// Largest Markov chain built, in states.
    pub max_states: u64,
}

impl Default for CompileOptions {
    fn default() -> Self {
        CompileOptions {
            max_states: 2_000_000,
        }
    }
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
}

/// Builds the structure of a valid model. Fails only when a Markov chain would exceed the
/// state limit.
pub fn compile(model: &Valid, opts: &CompileOptions) -> Result<Structure, Vec<Diagnostic>> {
    let mut b = Builder {
        model,
        opts: *opts,
        nodes: Vec::with_capacity(model.components.len() * 2),
        component_nodes: Vec::with_capacity(model.components.len()),
        component_uses: vec![Vec::new(); model.components.len()],
        block_nodes: vec![usize::MAX; model.blocks.len()],
        chains: Vec::new(),
        errors: Vec::new(),
    };
    for (i, c) in model.components.iter().enumerate() {
        b.component_uses[i].push((b.nodes.len(), Use::Leaf));
        b.component_nodes.push(b.nodes.len());
        b.nodes.push(Node {
            kind: NodeKind::Component(i),
            label: c.name.clone(),
            pos: c.pos,
            named: None,
        });
    }
    for i in named_block_order(model) {
        let (name, block) = &model.blocks[i];
        let id = b.block(block);
        // A named block that is only a name of another block or component gets its own node,
        // so that it has its own line in the results.
        let id =
            if b.nodes[id].named.is_some() || matches!(b.nodes[id].kind, NodeKind::Component(_)) {
                b.push(NodeKind::Series(vec![id]), name.value.clone(), name.pos)
            } else {
                id
            };
        b.nodes[id].label = name.value.clone();
        b.nodes[id].named = Some(i);
        b.block_nodes[i] = id;
    }
    let root = b.block(&model.system);
    if !b.errors.is_empty() {
        return Err(b.errors);
    }
    Ok(Structure {
        nodes: b.nodes,
        root,
        component_nodes: b.component_nodes,
        component_uses: b.component_uses,
        block_nodes: b.block_nodes,
        chains: b.chains,
    })
}

/// Named blocks ordered so that each comes after the blocks it uses (iterative post-order;
/// validation has ruled out cycles).
fn named_block_order(model: &Valid) -> Vec<usize> {
    let n = model.blocks.len();
    let deps: Vec<Vec<usize>> = model
        .blocks
        .iter()
        .map(|(_, b)| {
            let mut d = Vec::new();
            crate::validate::for_each_ref(b, &mut |name, _| {
                if let Some(&j) = model.block_index.get(name) {
                    d.push(j);
                }
            });
            d
        })
        .collect();
    let mut done = vec![false; n];
    let mut order = Vec::with_capacity(n);
    for start in 0..n {
        if done[start] {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        done[start] = true;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&child) = deps[node].get(*next) {
                *next += 1;
                if !done[child] {
                    done[child] = true;
                    stack.push((child, 0));
                }
            } else {
                order.push(node);
                stack.pop();
            }
        }
    }
    order
}

struct Builder<'m> {
    model: &'m Valid,
    opts: CompileOptions,
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
        });
        self.nodes.len() - 1
    }

    fn block(&mut self, b: &Located<Block>) -> NodeId {
        match &b.value {
            Block::Ref(name) => self.reference(name),
            Block::Series(list) => {
                let children = self.list(list);
                let label = format!("series of {}", children.len());
                self.push(NodeKind::Series(children), label, b.pos)
            }
            Block::Parallel(Parallel::List(list)) => {
                let children = self.list(list);
                let label = format!("parallel of {}", children.len());
                self.push(NodeKind::KofN { k: 1, children }, label, b.pos)
            }
            Block::Parallel(Parallel::Copies(c)) => {
                let n = c.n.as_ref().map_or(1, |n| n.value);
                let of =
                    c.of.as_deref()
                        .expect("validated: parallel copies have `of`");
                let crews = c.crews.as_ref().map(|c| c.value);
                self.copies(1, n, of, crews, c.common_cause.as_ref(), b.pos)
            }
            Block::KofN(spec) => {
                let k = spec.k.as_ref().map_or(1, |k| k.value);
                match spec.of.as_ref().map(|o| &o.value) {
                    Some(Members::List(list)) => {
                        let children = self.list(list);
                        let label = format!("{k} of {}", children.len());
                        self.push(
                            NodeKind::KofN {
                                k: k as usize,
                                children,
                            },
                            label,
                            b.pos,
                        )
                    }
                    Some(Members::One(one)) => {
                        let n = spec.n.as_ref().map_or(1, |n| n.value);
                        let crews = spec.crews.as_ref().map(|c| c.value);
                        self.copies(k, n, one, crews, spec.common_cause.as_ref(), b.pos)
                    }
                    None => unreachable!("validated: k_of_n has `of`"),
                }
            }
            Block::Standby(s) => self.standby(s, b.pos),
            Block::Markov(m) => {
                let index: std::collections::HashMap<&str, usize> = m
                    .states
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (s.value.as_str(), i))
                    .collect();
                let up_names: std::collections::HashSet<&str> =
                    m.up.iter().map(|u| u.value.as_str()).collect();
                let transitions = m
                    .transitions
                    .iter()
                    .map(|t| {
                        let from = index[t.from.as_ref().expect("validated").value.as_str()];
                        let to = index[t.to.as_ref().expect("validated").value.as_str()];
                        let rate = match (&t.rate, &t.after) {
                            (Some(r), _) => r.value.0,
                            (None, Some(a)) => 1.0 / a.value.0,
                            (None, None) => unreachable!("validated: a transition has a rate"),
                        };
                        (from, to, rate)
                    })
                    .collect();
                let spec = ChainSpec::Explicit {
                    states: m.states.iter().map(|s| s.value.clone()).collect(),
                    up: m
                        .states
                        .iter()
                        .map(|s| up_names.contains(s.value.as_str()))
                        .collect(),
                    transitions,
                };
                self.chain(
                    spec,
                    None,
                    format!("markov chain of {} states", m.states.len()),
                    b.pos,
                )
            }
            Block::Network(net) => {
                let mut nodes: Vec<String> = Vec::new();
                let mut index = |name: &str| -> u8 {
                    match nodes.iter().position(|n| n == name) {
                        Some(i) => i as u8,
                        None => {
                            nodes.push(name.to_string());
                            (nodes.len() - 1) as u8
                        }
                    }
                };
                let source = index(&net.from.as_ref().expect("validated").value);
                let target = index(&net.to.as_ref().expect("validated").value);
                let links: Vec<(u8, u8)> = net
                    .links
                    .iter()
                    .map(|l| {
                        (
                            index(&l.from.as_ref().expect("validated").value),
                            index(&l.to.as_ref().expect("validated").value),
                        )
                    })
                    .collect();
                let children: Vec<NodeId> = net
                    .links
                    .iter()
                    .map(|l| self.block(l.via.as_ref().expect("validated")))
                    .collect();
                let graph = crate::solve::network::Graph {
                    source,
                    target,
                    links,
                    directed: net.directed.as_ref().is_some_and(|d| d.value),
                };
                let label = format!(
                    "network {} → {} ({} links)",
                    nodes[source as usize],
                    nodes[target as usize],
                    children.len()
                );
                self.push(NodeKind::Network { graph, children }, label, b.pos)
            }
            Block::Invalid => unreachable!("validation rejects unreadable blocks"),
        }
    }

    /// A Markov-chain node, unless the chain is over the state limit.
    fn chain(
        &mut self,
        spec: ChainSpec,
        component: Option<usize>,
        label: String,
        pos: Pos,
    ) -> NodeId {
        let states = spec.state_count();
        if states > self.opts.max_states {
            self.errors.push(
                Diagnostic::error(pos, format!("this block's Markov chain has {states} states, more than the limit of {}", self.opts.max_states))
                    .with_hint("raise the limit with --max-states if the machine has the memory, or use fewer copies"),
            );
        }
        let index = self.chains.len();
        let id = self.push(NodeKind::Markov(index), label, pos);
        self.chains.push(ChainBlock {
            spec,
            component,
            node: id,
        });
        if let Some(c) = component {
            self.component_uses[c].push((id, Use::Chain(index)));
        }
        id
    }

    /// A two-state unit from component `c` with its failure rate scaled by `factor`.
    fn unit(&mut self, c: usize, factor: f64, copy: bool, label: String, pos: Pos) -> NodeId {
        let id = self.push(
            NodeKind::Unit {
                component: c,
                factor,
            },
            label,
            pos,
        );
        self.component_uses[c].push((id, Use::Scaled { factor, copy }));
        id
    }

    /// The copies form of `parallel` / `k_of_n`, with shared repair and common cause.
    fn copies(
        &mut self,
        k: u64,
        n: u64,
        of: &Located<Block>,
        crews: Option<u64>,
        cc: Option<&CommonCauseSpec>,
        pos: Pos,
    ) -> NodeId {
        let beta = cc
            .and_then(|c| c.beta.as_ref())
            .map_or(Probability::ZERO, |b| b.value);
        if crews.is_none() && cc.is_none() {
            let child = self.block(of);
            let label = if k == 1 {
                format!("parallel {n} × {}", self.nodes[child].label)
            } else {
                format!("{k} of {n} × {}", self.nodes[child].label)
            };
            return self.push(NodeKind::Copies { k, n, child }, label, pos);
        }
        let Block::Ref(name) = &of.value else {
            unreachable!("validated: shared copies are of a component")
        };
        let c = self.model.component_index[name];
        let rates = self.model.components[c]
            .rates
            .expect("validated: shared copies have rates");
        // The independent part fails at (1 - beta) x lambda.
        let independent = if beta.q == 0.0 {
            self.unit(
                c,
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
            self.chain(
                spec,
                Some(c),
                format!(
                    "{k} of {n} × {name}, {crews} crew{}",
                    if crews == 1 { "" } else { "s" }
                ),
                pos,
            )
        } else {
            let unit = if beta.p > 0.0 {
                self.unit(c, beta.q, true, format!("{name} (independent part)"), pos)
            } else {
                self.component_nodes[c]
            };
            let label = format!("{k} of {n} × {name}");
            self.push(NodeKind::Copies { k, n, child: unit }, label, pos)
        };
        if beta.p == 0.0 {
            return independent;
        }
        let shared = self.unit(c, beta.p, false, format!("{name} common cause"), pos);
        let label = format!("{k} of {n} × {name} with common cause");
        self.push(NodeKind::Series(vec![shared, independent]), label, pos)
    }

    fn standby(&mut self, s: &StandbySpec, pos: Pos) -> NodeId {
        let name = &s.of.as_ref().expect("validated: standby has `of`").value;
        let c = self.model.component_index[name];
        let rates = self.model.components[c]
            .rates
            .expect("validated: standby component has rates");
        let n = s.n.as_ref().map_or(1, |n| n.value);
        let active = s.active.as_ref().map_or(1, |a| a.value);
        let mode =
            s.mode
                .as_ref()
                .map(|m| m.value.as_str())
                .unwrap_or(if s.spare_factor.is_some() {
                    "warm"
                } else {
                    "cold"
                });
        let phi = match mode {
            "hot" => 1.0,
            "warm" => s.spare_factor.as_ref().map_or(0.0, |f| f.value),
            _ => 0.0,
        };
        let spec = ChainSpec::Standby {
            n,
            active,
            crews: s.crews.as_ref().map_or(n, |c| c.value),
            phi,
            lambda: rates.failure,
            mu: rates.repair,
            switchover: s.switchover.as_ref().map_or(0.0, |h| h.value.0),
            coverage: s.coverage.as_ref().map_or(Probability::ONE, |c| c.value),
            manual: s.manual_switchover.as_ref().map_or(0.0, |h| h.value.0),
        };
        self.chain(
            spec,
            Some(c),
            format!("{mode} standby {active} of {n} × {name}"),
            pos,
        )
    }

    fn list(&mut self, list: &[Located<Block>]) -> Vec<NodeId> {
        list.iter().map(|x| self.block(x)).collect()
    }

    fn reference(&mut self, name: &str) -> NodeId {
        if let Some(&i) = self.model.component_index.get(name) {
            self.component_nodes[i]
        } else {
            let i = self.model.block_index[name];
            debug_assert_ne!(
                self.block_nodes[i],
                usize::MAX,
                "named blocks compile in dependency order"
            );
            self.block_nodes[i]
        }
    }
}
