//! Written blocks to typed blocks: names resolved, counts checked, defaults applied. The
//! rules of series, parallel, k-of-n and copies are here; the other kinds have a file each.

use super::names::{Name, Names};
use super::{markov, network, standby};
use crate::diagnostics::{Diagnostic, Pos, Sink};
use crate::model::{Block, BlockKind, CapacityRule, ComponentId, Rates, SharedCopies};
use crate::parse::written::{self as w, CommonCauseSpec, KofNSpec, Located, Members, Parallel};

/// Resolves written blocks, reporting every problem on the way. Each method returns `None`
/// when the block has an error (already reported), after checking everything inside it.
pub struct Resolver<'n, 's> {
    pub names: &'n Names<'n>,
    pub sink: &'s mut Sink,
}

impl Resolver<'_, '_> {
    pub fn block(&mut self, b: &Located<w::Block>) -> Option<Block> {
        let kind = match &b.value {
            w::Block::Ref(name) => match self.names.resolve(name, b.pos, self.sink)? {
                Name::Component(c) => BlockKind::Component(c),
                Name::BrokenComponent => return None,
                Name::Block(i) => BlockKind::Named(i),
            },
            w::Block::Series(list) => BlockKind::Series(self.list(list)?),
            w::Block::Parallel(Parallel::List(list)) => BlockKind::KofN {
                k: 1,
                members: self.list(list)?,
            },
            w::Block::Parallel(Parallel::Copies(c)) => {
                let of = c.of.as_deref()?;
                let n = c.n.as_ref()?.value;
                self.copies(1, n, of, c.crews.as_ref(), c.common_cause.as_deref())?
            }
            w::Block::KofN(k) => self.k_of_n(k)?,
            w::Block::Standby(s) => BlockKind::Standby(standby::resolve(s, self)?),
            w::Block::Markov(m) => BlockKind::Markov(markov::resolve(m, self.sink)?),
            w::Block::Network(n) => BlockKind::Network(network::resolve(n, self)?),
            w::Block::Shards(sh) => self.shards(sh)?,
            w::Block::Pool(p) => self.pool(p)?,
            w::Block::Invalid => return None,
        };
        Some(Block { kind, pos: b.pos })
    }

    /// Every block of a list, each checked even when an earlier one has an error.
    pub fn list(&mut self, list: &[Located<w::Block>]) -> Option<Vec<Block>> {
        let resolved: Vec<Option<Block>> = list.iter().map(|x| self.block(x)).collect();
        resolved.into_iter().collect()
    }

    fn k_of_n(&mut self, spec: &KofNSpec) -> Option<BlockKind> {
        let (Some(kv), Some(of)) = (&spec.k, &spec.of) else {
            return None;
        };
        let k = kv.value;
        match &of.value {
            Members::List(list) => {
                let members = self.list(list);
                if let Some(n) = &spec.n
                    && n.value as usize != list.len()
                {
                    self.sink.push(
                        Diagnostic::error(
                            n.pos,
                            format!("n is {} but `of` lists {} blocks", n.value, list.len()),
                        )
                        .with_hint(
                            "leave `n` out when `of` is a list; it is the length of the list",
                        ),
                    );
                }
                for (key, pos) in [
                    ("crews", spec.crews.as_ref().map(|c| c.pos)),
                    ("common_cause", spec.common_cause.as_ref().map(|c| c.pos)),
                ] {
                    if let Some(pos) = pos {
                        self.sink.push(
                            Diagnostic::error(pos, format!("`{key}` needs the copies form of k_of_n"))
                                .with_hint("write `k_of_n: { k: 2, n: 3, of: node, ... }` with one component as `of`"),
                        );
                    }
                }
                let fits = self.k_fits(kv, list.len() as u64);
                let members = members?;
                (fits
                    && spec
                        .n
                        .as_ref()
                        .is_none_or(|n| n.value as usize == list.len())
                    && spec.crews.is_none()
                    && spec.common_cause.is_none())
                .then_some(BlockKind::KofN {
                    k: k as usize,
                    members,
                })
            }
            Members::One(one) => {
                let Some(n) = &spec.n else {
                    self.block(one);
                    self.sink.push(
                        Diagnostic::error(of.pos, "`k_of_n` of one block needs `n`, the number of copies")
                            .with_hint("write `k_of_n: { k: 2, n: 3, of: web }`, or list the members: `of: [a, b, c]`"),
                    );
                    return None;
                };
                let copies = self.copies(
                    k,
                    n.value,
                    one,
                    spec.crews.as_ref(),
                    spec.common_cause.as_deref(),
                );
                let fits = self.k_fits(kv, n.value);
                copies.filter(|_| fits)
            }
        }
    }

    /// `shards`: copies of `of`, up (binary) while k of n are; the served fraction is the
    /// weighted fraction of shards up.
    fn shards(&mut self, spec: &w::ShardsSpec) -> Option<BlockKind> {
        let (Some(n), Some(of)) = (&spec.n, &spec.of) else {
            return None;
        };
        let k = spec.k.clone().unwrap_or(Located::new(n.value, n.pos));
        let fits = self.k_fits(&k, n.value);
        let weights = match &spec.weights {
            None => Some(vec![1.0; n.value as usize]),
            Some(list) => {
                let mut ok = true;
                if list.value.len() as u64 != n.value {
                    self.sink.push(
                        Diagnostic::error(
                            list.pos,
                            format!(
                                "`weights` gives {} numbers for {} shards",
                                list.value.len(),
                                n.value
                            ),
                        )
                        .with_hint("give one weight per shard (the share of the keys it holds), or leave `weights` out for equal shards"),
                    );
                    ok = false;
                }
                for w in &list.value {
                    if !(w.value.is_finite() && w.value > 0.0) {
                        self.sink.push(
                            Diagnostic::error(
                                w.pos,
                                format!("a weight must be a number above zero, found {}", w.value),
                            )
                            .with_hint("a weight is the share of the keys on that shard, relative to the others"),
                        );
                        ok = false;
                    }
                }
                let total: f64 = list.value.iter().map(|w| w.value).sum();
                if ok && !total.is_finite() {
                    self.sink.push(
                        Diagnostic::error(
                            list.pos,
                            "the weights add up to more than the largest number",
                        )
                        .with_hint("weights are relative: divide them all by the same number"),
                    );
                    ok = false;
                }
                ok.then(|| list.value.iter().map(|w| w.value).collect())
            }
        };
        let inner = self.copies(k.value, n.value, of, None, None);
        let (inner, weights) = (inner?, weights?);
        fits.then(|| BlockKind::Capacity {
            rule: CapacityRule::Shards { weights },
            inner: Box::new(Block {
                kind: inner,
                pos: spec.pos,
            }),
        })
    }

    /// `pool`: copies of `of` (with shared repair when `crews` is given), up (binary) while k
    /// of n are (k defaults to the demand); the served fraction is min(up, demand) / demand.
    fn pool(&mut self, spec: &w::PoolSpec) -> Option<BlockKind> {
        let (Some(n), Some(of), Some(demand)) = (&spec.n, &spec.of, &spec.demand) else {
            return None;
        };
        let mut ok = true;
        if demand.value > n.value {
            self.sink.push(
                Diagnostic::error(
                    demand.pos,
                    format!(
                        "demand is {} but the pool has only {} servers",
                        demand.value, n.value
                    ),
                )
                .with_hint("demand counts the servers the full load needs; it cannot exceed n"),
            );
            ok = false;
        }
        let k = spec
            .k
            .clone()
            .unwrap_or(Located::new(demand.value, demand.pos));
        // A k taken from a demand already reported as too large is not reported again.
        ok &= (spec.k.is_none() && !ok) || self.k_fits(&k, n.value);
        let inner = self.copies(k.value, n.value, of, spec.crews.as_ref(), None)?;
        ok.then(|| BlockKind::Capacity {
            rule: CapacityRule::Pool {
                demand: demand.value,
            },
            inner: Box::new(Block {
                kind: inner,
                pos: spec.pos,
            }),
        })
    }

    /// k may not exceed the number of members.
    fn k_fits(&mut self, k: &Located<u64>, n: u64) -> bool {
        if k.value > n {
            self.sink.push(
                Diagnostic::error(
                    k.pos,
                    format!("k is {} but there are only {n} members", k.value),
                )
                .with_hint("k counts how many members must be up; it cannot exceed n"),
            );
            return false;
        }
        true
    }

    /// The copies form of `parallel` / `k_of_n`: independent copies of any block, or copies of
    /// one rated component that share repair crews and/or a common cause.
    fn copies(
        &mut self,
        k: u64,
        n: u64,
        of: &Located<w::Block>,
        crews: Option<&Located<u64>>,
        common_cause: Option<&CommonCauseSpec>,
    ) -> Option<BlockKind> {
        let inner = self.block(of);
        if crews.is_none() && common_cause.is_none() {
            return Some(BlockKind::Copies {
                k,
                n,
                of: Box::new(inner?),
            });
        }
        let what = if crews.is_some() {
            "shared repair (`crews`)"
        } else {
            "`common_cause`"
        };
        let component = match &of.value {
            w::Block::Ref(name) => self.rated_component(name, of.pos, what),
            _ => {
                self.sink.push(
                    Diagnostic::error(of.pos, format!("{what} needs `of` to name one component"))
                        .with_hint("the copies share repair or a common cause, so they must be copies of one component with mtbf and mttr"),
                );
                None
            }
        };
        let common_cause = match common_cause {
            Some(cc) => Some(super::common_cause::resolve(cc, n, self.sink)?),
            None => None,
        };
        inner?;
        let (component, _) = component?;
        Some(BlockKind::SharedCopies(SharedCopies {
            k,
            n,
            component,
            crews: crews.map(|c| c.value),
            common_cause,
        }))
    }

    /// `name` must be a component with rates: the chain of a dependent block is built from
    /// its failure and repair rates. Unknown names are reported where they are resolved.
    pub fn rated_component(
        &mut self,
        name: &str,
        pos: Pos,
        what: &str,
    ) -> Option<(ComponentId, Rates)> {
        match self.names.get(name)? {
            Name::Block(_) => {
                self.sink.push(
                    Diagnostic::error(pos, format!("{what} needs a component, but `{name}` is a named block"))
                        .with_hint("shared repair, common cause and standby model copies of one component with mtbf and mttr"),
                );
                None
            }
            Name::BrokenComponent => None,
            Name::Component(c) => {
                let rates = self.names.components[c].as_ref()?.rates;
                if rates.is_none() {
                    self.sink.push(
                        Diagnostic::error(
                            pos,
                            format!("{what} needs rates, but component `{name}` has only an availability"),
                        )
                        .with_hint("give the component `mtbf` and `mttr` (or `availability` with `mttr`)"),
                    );
                }
                Some((c, rates?))
            }
        }
    }
}
