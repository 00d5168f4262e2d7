//! Stage 3: a checked model to a structure the solver evaluates.
//!
//! The structure is a directed acyclic graph stored as an arena in topological order (every
//! node's children have smaller indices), so the solver evaluates it with one forward loop
//! and propagates importance with one backward loop, with no recursion. Each component and
//! each named block is one node, shared by every place that uses it: every use is an
//! independent copy with the same availability, so its value is computed once.

use crate::diagnostics::Pos;
use crate::parse::model::{Block, Located, Members, Parallel};
use crate::validate::Valid;

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
}

impl NodeKind {
    /// The distinct positions this node reads its children from, in order.
    pub fn children(&self) -> &[NodeId] {
        match self {
            NodeKind::Component(_) => &[],
            NodeKind::Series(c) | NodeKind::KofN { children: c, .. } => c,
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

#[derive(Debug, Clone)]
pub struct Structure {
    pub nodes: Vec<Node>,
    pub root: NodeId,
    /// Node of each component (same index as `Valid::components`).
    pub component_nodes: Vec<NodeId>,
    /// Node of each named block (same index as `Valid::blocks`).
    pub block_nodes: Vec<NodeId>,
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

/// Builds the structure of a valid model.
pub fn compile(model: &Valid) -> Structure {
    let mut b = Builder {
        model,
        nodes: Vec::with_capacity(model.components.len() * 2),
        component_nodes: Vec::with_capacity(model.components.len()),
        block_nodes: vec![usize::MAX; model.blocks.len()],
    };
    for (i, c) in model.components.iter().enumerate() {
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
    Structure {
        nodes: b.nodes,
        root,
        component_nodes: b.component_nodes,
        block_nodes: b.block_nodes,
    }
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
    nodes: Vec<Node>,
    component_nodes: Vec<NodeId>,
    block_nodes: Vec<NodeId>,
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
                let child = self.block(
                    c.of.as_deref()
                        .expect("validated: parallel copies have `of`"),
                );
                let label = format!("parallel {n} × {}", self.nodes[child].label);
                self.push(NodeKind::Copies { k: 1, n, child }, label, b.pos)
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
                        let child = self.block(one);
                        let label = format!("{k} of {n} × {}", self.nodes[child].label);
                        self.push(NodeKind::Copies { k, n, child }, label, b.pos)
                    }
                    None => unreachable!("validated: k_of_n has `of`"),
                }
            }
            Block::Standby(_) | Block::Markov(_) | Block::Network(_) | Block::Invalid => {
                unreachable!("validation rejects blocks this version cannot solve")
            }
        }
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
