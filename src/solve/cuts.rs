//! Minimal cut sets: the smallest sets of component instances whose joint failure takes the
//! system down, each with the probability that all its members are down at once.
//!
//! The structure is expanded into instances (a shared component is one instance, every other
//! use of a component its own; copies inside a shared-repair or standby block are that
//! block's units; an explicit Markov block is one instance) and compiled into a decision
//! diagram over them. The minimal cut sets of a node testing v with children lo (v down) and
//! hi (v up) are those of hi, and v added to each of lo's that is not one of hi's: in a
//! coherent structure lo implies hi, so a minimal cut of lo that holds a cut of hi is that
//! cut (Rauzy's decomposition, here with membership as the only test). Sets above the asked
//! order are dropped on the way, which is what keeps `--max-order` cheap.

use crate::compile::bdd::{self, Bdd, Ref, TooLarge};
use crate::compile::chains::ChainSpec;
use crate::compile::network::NetworkBdd;
use crate::compile::{NodeId, NodeKind, Structure};
use crate::model::Model;
use rustc_hash::{FxHashMap, FxHashSet};

use super::Solution;

/// One instance of a component (or an explicit Markov block).
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    /// "db", "web#2" (the second of its copies), "db (common cause)", "fiber (s00–s01)" (a
    /// network link), or a Markov block's label.
    pub name: String,
    /// The component, if it is one.
    pub component: Option<usize>,
    /// U of the instance on its own.
    pub unavailability: f64,
    /// The Markov block whose unit it is (the units of one chain are not independent: a
    /// cut's probability is taken from the chain).
    pub chain: Option<ChainUnit>,
}

/// A unit of a Markov block of copies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChainUnit {
    /// Index into `Structure::chains`.
    pub chain: usize,
    /// Which use of the block (each use is its own chain, independent of the others).
    pub group: usize,
}

/// A minimal cut set.
#[derive(Debug, Clone, PartialEq)]
pub struct CutSet {
    /// Indices into [`CutSets::instances`], sorted.
    pub members: Vec<u32>,
    /// Probability that every member is down at once (steady state).
    pub probability: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CutSets {
    pub instances: Vec<Instance>,
    /// Ranked: smallest order first, then most probable.
    pub sets: Vec<CutSet>,
    pub max_order: usize,
}

/// Why no cut sets.
#[derive(Debug, Clone, PartialEq)]
pub enum CutError {
    TooLarge(TooLarge),
    /// More sets than the limit (at this order); a lower `--max-order` helps.
    TooMany(usize),
}

impl std::fmt::Display for CutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CutError::TooLarge(t) => write!(
                f,
                "the decision diagram of the expanded system grew past {} nodes (raise --max-bdd-nodes)",
                t.nodes
            ),
            CutError::TooMany(n) => write!(
                f,
                "more than {n} minimal cut sets at this order (lower --max-order, or raise --max-cut-sets)"
            ),
        }
    }
}

impl From<TooLarge> for CutError {
    fn from(e: TooLarge) -> Self {
        CutError::TooLarge(e)
    }
}

struct Expander<'a> {
    model: &'a Model,
    structure: &'a Structure,
    solution: &'a Solution,
    bdd: Bdd,
    instances: Vec<Instance>,
    shared: FxHashMap<NodeId, Ref>,
    /// Copies of each component met so far, to number them.
    seen: FxHashMap<String, usize>,
    chains_expanded: usize,
}

impl Expander<'_> {
    fn instance(
        &mut self,
        base: &str,
        component: Option<usize>,
        u: f64,
        chain: Option<ChainUnit>,
    ) -> Result<Ref, TooLarge> {
        let k = self.seen.entry(base.to_string()).or_insert(0);
        *k += 1;
        let name = if *k == 1 {
            base.to_string()
        } else {
            format!("{base}#{k}")
        };
        self.instances.push(Instance {
            name,
            component,
            unavailability: u,
            chain,
        });
        self.bdd.variable(self.instances.len() as u32 - 1)
    }

    fn build(&mut self, id: NodeId) -> Result<Ref, TooLarge> {
        if let Some(&r) = self.shared.get(&id) {
            return Ok(r);
        }
        let node = &self.structure.nodes[id];
        let u = self.solution.nodes[id].measures.unavailability();
        let r = match &node.kind {
            NodeKind::Component(c) => {
                let name = self.model.components[*c].name.clone();
                self.instance(&name, Some(*c), u, None)?
            }
            NodeKind::Unit { component, .. } => {
                let name = self.model.components[*component].name.clone();
                let base = if node.label.ends_with("common cause") {
                    format!("{name} (common cause)")
                } else {
                    name
                };
                self.instance(&base, Some(*component), u, None)?
            }
            NodeKind::Markov(i) => {
                let block = &self.structure.chains[*i];
                match (&block.spec, block.component) {
                    (ChainSpec::Crews { n, k, .. }, Some(c)) => self.units(*i, c, *n, *k)?,
                    (ChainSpec::Standby(p), Some(c)) => self.units(*i, c, p.n, p.active)?,
                    _ => {
                        let label = node.label.clone();
                        self.instance(&label, None, u, None)?
                    }
                }
            }
            NodeKind::Series(c) => {
                let mut acc = bdd::TRUE;
                for &x in c {
                    let f = self.build(x)?;
                    acc = self.bdd.and(acc, f)?;
                }
                acc
            }
            NodeKind::KofN { k, children } => {
                let fs = children
                    .iter()
                    .map(|&x| self.build(x))
                    .collect::<Result<Vec<_>, _>>()?;
                self.bdd.at_least(*k, &fs)?
            }
            NodeKind::Copies { k, n, child } => {
                let fs = (0..*n)
                    .map(|_| self.build(*child))
                    .collect::<Result<Vec<_>, _>>()?;
                self.bdd.at_least(*k as usize, &fs)?
            }
            NodeKind::Network {
                children,
                diagram,
                graph,
            } => {
                let fs = children
                    .iter()
                    .zip(&graph.links)
                    .map(|(&x, &(a, b))| match self.structure.nodes[x].kind {
                        // A link that is one component is named by its ends, "fiber
                        // (s00-s01)", not "fiber#7".
                        NodeKind::Component(c) if !self.structure.nodes[x].shared => {
                            let arrow = if graph.directed { "→" } else { "–" };
                            let name = format!(
                                "{} ({}{arrow}{})",
                                self.model.components[c].name,
                                graph.nodes[a as usize],
                                graph.nodes[b as usize]
                            );
                            let u = self.solution.nodes[x].measures.unavailability();
                            self.instance(&name, Some(c), u, None)
                        }
                        _ => self.build(x),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                compose(&mut self.bdd, diagram, &fs)?
            }
        };
        if node.shared {
            self.shared.insert(id, r);
        }
        Ok(r)
    }

    /// The units of a Markov block of copies: up while at least k of the n are.
    fn units(&mut self, chain: usize, c: usize, n: u64, k: u64) -> Result<Ref, TooLarge> {
        let name = self.model.components[c].name.clone();
        let u = self.model.components[c].avail.q;
        let unit = ChainUnit {
            chain,
            group: self.chains_expanded,
        };
        self.chains_expanded += 1;
        let fs = (0..n as usize)
            .map(|_| self.instance(&name, Some(c), u, Some(unit)))
            .collect::<Result<Vec<_>, _>>()?;
        self.bdd.at_least(k as usize, &fs)
    }
}

/// A network's diagram with its link variables replaced by the links' functions.
fn compose(b: &mut Bdd, d: &NetworkBdd, links: &[Ref]) -> Result<Ref, TooLarge> {
    let mut map: Vec<Ref> = vec![bdd::FALSE, bdd::TRUE];
    for i in 2..d.bdd.len() as Ref {
        let v = d.bdd.var_of(i).unwrap_or(0) as usize;
        let (lo, hi) = d.bdd.children(i);
        let g = links[d.link_of_var[v]];
        let with = b.and(g, map[hi as usize])?;
        map.push(b.or(with, map[lo as usize])?);
    }
    Ok(map[d.root as usize])
}

/// The minimal cut sets of the system up to `max_order` members, at most `max_sets` of them.
pub fn minimal_cut_sets(
    model: &Model,
    structure: &Structure,
    solution: &Solution,
    max_order: usize,
    max_sets: usize,
    max_nodes: usize,
) -> Result<CutSets, CutError> {
    bdd::with_big_stack(|| {
        let mut e = Expander {
            model,
            structure,
            solution,
            bdd: Bdd::new(max_nodes),
            instances: Vec::new(),
            shared: FxHashMap::default(),
            seen: FxHashMap::default(),
            chains_expanded: 0,
        };
        let root = e.build(structure.root)?;
        let sets = cuts_of(&e.bdd, root, max_order, max_sets)?;
        // Unit probabilities of each chain (for cuts with several units of one chain).
        let mut out: Vec<CutSet> = sets
            .into_iter()
            .map(|members| {
                let probability = probability(&e.instances, &members, structure, solution);
                CutSet {
                    members,
                    probability,
                }
            })
            .collect();
        out.sort_by(|a, b| {
            a.members
                .len()
                .cmp(&b.members.len())
                .then(b.probability.total_cmp(&a.probability))
                .then(a.members.cmp(&b.members))
        });
        Ok(CutSets {
            instances: e.instances,
            sets: out,
            max_order,
        })
    })
}

/// Minimal cut sets of every node, children first, keeping those of at most `max_order`.
///
/// Each node's sets are dropped once its last parent has used them (and moved rather than
/// copied into that parent), so memory follows the diagram's frontier, not its size.
fn cuts_of(
    b: &Bdd,
    root: Ref,
    max_order: usize,
    max_sets: usize,
) -> Result<Vec<Vec<u32>>, CutError> {
    let n = root as usize + 1;
    // Parents still to come, for every node reachable from the root.
    let mut reachable = vec![false; n];
    reachable[root as usize] = true;
    let mut waiting = vec![0u32; n];
    for i in (2..n).rev() {
        if !reachable[i] {
            continue;
        }
        let (lo, hi) = b.children(i as Ref);
        for c in [lo, hi] {
            reachable[c as usize] = true;
            waiting[c as usize] += 1;
        }
    }
    let mut memo: Vec<Option<Vec<Vec<u32>>>> = vec![None; n];
    // FALSE: already down, the empty set is a cut. TRUE: never down, no cut.
    memo[bdd::FALSE as usize] = Some(vec![Vec::new()]);
    if n > 1 {
        memo[bdd::TRUE as usize] = Some(Vec::new());
    }
    let mut total = 0usize;
    for i in 2..n {
        if !reachable[i] {
            continue;
        }
        let Some(v) = b.var_of(i as Ref) else {
            continue;
        };
        let (lo, hi) = b.children(i as Ref);
        let (lo, hi) = (lo as usize, hi as usize);
        waiting[lo] -= 1;
        waiting[hi] -= 1;
        // The children's sets: moved out at their last use (terminals are tiny, copied).
        let take = |c: usize, memo: &mut Vec<Option<Vec<Vec<u32>>>>| -> Vec<Vec<u32>> {
            if waiting[c] == 0 && c >= 2 {
                memo[c].take().unwrap_or_default()
            } else {
                memo[c].clone().unwrap_or_default()
            }
        };
        let hi_sets = take(hi, &mut memo);
        let lo_sets = if lo == hi {
            hi_sets.clone()
        } else {
            take(lo, &mut memo)
        };
        let known: FxHashSet<&[u32]> = hi_sets.iter().map(Vec::as_slice).collect();
        let mut added = Vec::new();
        for c in &lo_sets {
            if c.len() < max_order && !known.contains(c.as_slice()) {
                let mut s = Vec::with_capacity(c.len() + 1);
                let at = c.partition_point(|&x| x < v);
                s.extend_from_slice(&c[..at]);
                s.push(v);
                s.extend_from_slice(&c[at..]);
                added.push(s);
            }
        }
        drop(known);
        let mut sets = hi_sets;
        sets.extend(added);
        total = total.max(sets.len());
        if total > max_sets {
            return Err(CutError::TooMany(max_sets));
        }
        memo[i] = Some(sets);
    }
    Ok(memo[root as usize].take().unwrap_or_default())
}

/// P(every member down at once): independent instances multiply; units of one shared-repair
/// or standby chain are taken from the chain's distribution over how many units are down
/// (each set of j units is equally likely among the f down by symmetry).
fn probability(
    instances: &[Instance],
    members: &[u32],
    structure: &Structure,
    solution: &Solution,
) -> f64 {
    let mut p = 1.0;
    // Units down per use of a chain.
    let mut groups: FxHashMap<usize, (usize, usize)> = FxHashMap::default();
    for &m in members {
        let inst = &instances[m as usize];
        match inst.chain {
            Some(u) => groups.entry(u.group).or_insert((u.chain, 0)).1 += 1,
            None => p *= inst.unavailability,
        }
    }
    for (_, (ci, j)) in groups {
        let block = &structure.chains[ci];
        p *= units_down(&block.spec, &solution.chains[ci].pi, &block.names, j);
    }
    p
}

/// P(j given units of a chain of n copies are down).
fn units_down(
    spec: &ChainSpec,
    pi: &[f64],
    names: &crate::compile::chains::StateNames,
    j: usize,
) -> f64 {
    let n = spec.units() as usize;
    // Failed units in each state: the first coordinate of the state's place in the diagram
    // (crews: the state itself; standby: (failed, phase)).
    (0..pi.len())
        .map(|s| {
            let f = names.grid(s).map_or(0, |g| g.0);
            if f < j {
                0.0
            } else {
                // C(n - j, f - j) / C(n, f): the chance that j given units are among f down.
                let mut r = 1.0;
                for i in 0..j {
                    r *= (f - i) as f64 / (n - i) as f64;
                }
                pi[s] * r
            }
        })
        .sum()
}
