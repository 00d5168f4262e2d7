//! Names: what each name in the model refers to, and the order of the named blocks.

use crate::diagnostics::{Diagnostic, Pos, Sink, did_you_mean};
use crate::model::{BlockId, Component, ComponentId};
use crate::parse::written::{Block, ComponentSpec, Located, Members, Parallel};
use std::collections::HashMap;

/// What a name refers to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Name {
    /// A valid component.
    Component(ComponentId),
    /// A declared component whose parameters are wrong (already reported).
    BrokenComponent,
    Block(BlockId),
}

/// The name tables of one model.
pub struct Names<'a> {
    map: HashMap<&'a str, Name>,
    /// Every declared name, for "did you mean" hints.
    all: Vec<&'a str>,
    /// Every declared component name, in declaration order.
    component_list: Vec<&'a str>,
    pub components: &'a [Option<Component>],
}

impl<'a> Names<'a> {
    /// Builds the tables; a named block with a component's name is an error.
    pub fn new(
        specs: &'a [(Located<String>, ComponentSpec)],
        components: &'a [Option<Component>],
        blocks: &'a [(Located<String>, Located<Block>)],
        sink: &mut Sink,
    ) -> Self {
        let mut map = HashMap::with_capacity(specs.len() + blocks.len());
        for (i, ((name, _), c)) in specs.iter().zip(components).enumerate() {
            let entry = if c.is_some() {
                Name::Component(i)
            } else {
                Name::BrokenComponent
            };
            map.insert(name.value.as_str(), entry);
        }
        for (i, (name, _)) in blocks.iter().enumerate() {
            if let Some(Name::Component(_) | Name::BrokenComponent) = map.get(name.value.as_str()) {
                let line = specs
                    .iter()
                    .find(|(n, _)| n.value == name.value)
                    .map_or(0, |(_, s)| s.pos.line);
                sink.push(
                    Diagnostic::error(
                        name.pos,
                        format!("`{}` is both a component and a named block", name.value),
                    )
                    .with_hint(format!(
                        "rename one of them (the component is declared at line {line})"
                    )),
                );
                continue;
            }
            map.insert(name.value.as_str(), Name::Block(i));
        }
        let all = specs
            .iter()
            .map(|(n, _)| n.value.as_str())
            .chain(blocks.iter().map(|(n, _)| n.value.as_str()))
            .collect();
        Names {
            map,
            all,
            component_list: specs.iter().map(|(n, _)| n.value.as_str()).collect(),
            components,
        }
    }

    pub fn get(&self, name: &str) -> Option<Name> {
        self.map.get(name).copied()
    }

    /// What `name` refers to, or an error (with a suggestion) when nothing is declared so.
    pub fn resolve(&self, name: &str, pos: Pos, sink: &mut Sink) -> Option<Name> {
        let found = self.get(name);
        if found.is_none() {
            let hint = did_you_mean(name, self.all.iter().copied()).unwrap_or_else(|| {
                if Block::KINDS.contains(&name) {
                    format!("`{name}` is a block kind: write `{name}: [...]` as a mapping")
                } else {
                    "declare it under `components:` or `blocks:`".to_string()
                }
            });
            sink.push(
                Diagnostic::error(pos, format!("unknown component or block `{name}`"))
                    .with_hint(hint),
            );
        }
        found
    }

    /// Every declared component name, for hints.
    pub fn component_names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.component_list.iter().copied()
    }

    /// The named blocks ordered so that each comes after the named blocks it uses, by one
    /// iterative depth-first search (so long chains of named blocks cannot exhaust the stack).
    /// A block that contains itself is reported at the reference that closes the cycle, and
    /// then there is no order.
    pub fn named_block_order(
        &self,
        blocks: &[(Located<String>, Located<Block>)],
        sink: &mut Sink,
    ) -> Option<Vec<BlockId>> {
        let edges: Vec<Vec<(BlockId, Pos)>> = blocks
            .iter()
            .map(|(_, b)| {
                let mut out = Vec::new();
                for_each_ref(b, &mut |name, pos| {
                    if let Some(Name::Block(j)) = self.get(name) {
                        out.push((j, pos));
                    }
                });
                out
            })
            .collect();
        // 0 = unseen, 1 = on the current path, 2 = done.
        let mut state = vec![0u8; blocks.len()];
        let mut order = Vec::with_capacity(blocks.len());
        let mut cycle = false;
        for start in 0..blocks.len() {
            if state[start] != 0 {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            state[start] = 1;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                if let Some(&(child, pos)) = edges[node].get(*next) {
                    *next += 1;
                    match state[child] {
                        0 => {
                            state[child] = 1;
                            stack.push((child, 0));
                        }
                        1 => {
                            cycle = true;
                            let from = stack.iter().position(|&(n, _)| n == child).unwrap_or(0);
                            let mut path: Vec<&str> = stack[from..]
                                .iter()
                                .map(|&(n, _)| blocks[n].0.value.as_str())
                                .collect();
                            path.push(&blocks[child].0.value);
                            sink.push(
                                Diagnostic::error(
                                    pos,
                                    format!(
                                        "named block `{}` contains itself: {}",
                                        blocks[child].0.value,
                                        path.join(" -> ")
                                    ),
                                )
                                .with_hint(
                                    "a block cannot be part of its own diagram; break the cycle",
                                ),
                            );
                        }
                        _ => {}
                    }
                } else {
                    state[node] = 2;
                    order.push(node);
                    stack.pop();
                }
            }
        }
        (!cycle).then_some(order)
    }
}

/// Calls `f` for every name a written block refers to (components and named blocks), without
/// following named blocks.
pub fn for_each_ref<'a>(b: &'a Located<Block>, f: &mut impl FnMut(&'a str, Pos)) {
    match &b.value {
        Block::Ref(name) => f(name, b.pos),
        Block::Series(list) | Block::Parallel(Parallel::List(list)) => {
            list.iter().for_each(|x| for_each_ref(x, f))
        }
        Block::Parallel(Parallel::Copies(c)) => {
            if let Some(of) = &c.of {
                for_each_ref(of, f)
            }
        }
        Block::KofN(k) => match k.of.as_ref().map(|o| &o.value) {
            Some(Members::List(list)) => list.iter().for_each(|x| for_each_ref(x, f)),
            Some(Members::One(one)) => for_each_ref(one, f),
            None => {}
        },
        Block::Standby(s) => {
            if let Some(of) = &s.of {
                f(&of.value, of.pos)
            }
        }
        Block::Shards(sh) => {
            if let Some(of) = &sh.of {
                for_each_ref(of, f)
            }
        }
        Block::Pool(p) => {
            if let Some(of) = &p.of {
                for_each_ref(of, f)
            }
        }
        Block::Markov(_) | Block::Invalid => {}
        Block::Network(n) => n
            .links
            .iter()
            .filter_map(|l| l.via.as_ref())
            .for_each(|x| for_each_ref(x, f)),
    }
}
