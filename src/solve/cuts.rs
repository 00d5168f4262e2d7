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
use crate::compile::zdd::{self, Zdd};
use crate::compile::{NodeId, NodeKind, Structure};
use crate::model::Model;
use rustc_hash::FxHashMap;

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
    TooMany {
        limit: usize,
        found: u64,
    },
}

impl std::fmt::Display for CutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CutError::TooLarge(t) => write!(
                f,
                "the decision diagram of the expanded system grew past {} nodes (raise --max-bdd-nodes)",
                t.nodes
            ),
            CutError::TooMany { limit, found } => write!(
                f,
                "there are {found} minimal cut sets at this order, more than the {limit} allowed (lower --max-order, or raise --max-cut-sets)"
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
                // The links are expanded in the network diagram's order, so that the
                // instances' variables come in the order the diagram was built for (in the
                // links' written order a 60-link network's expansion grew past the budget).
                let mut fs = vec![bdd::FALSE; children.len()];
                for &link in &diagram.link_of_var {
                    let (x, (a, b)) = (children[link], graph.links[link]);
                    fs[link] = match self.structure.nodes[x].kind {
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
                            self.instance(&name, Some(c), u, None)?
                        }
                        _ => self.build(x)?,
                    };
                }
                diagram.compose(&mut self.bdd, &fs)?
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
        let sets = cuts_of(&e.bdd, root, max_order, max_sets, max_nodes)?;
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

/// Minimal cut sets of every node, children first, keeping those of at most `max_order`
/// members, as zero-suppressed diagrams ([`crate::compile::zdd`]): MCS_k(node) =
/// MCS_k(hi) ∪ v·(MCS_{k-1}(lo) \ MCS_k(hi)) for each bound k up to the order asked
/// (one level when unbounded). The family is counted before it is listed, so a request for
/// millions of sets fails fast with the count.
fn cuts_of(
    b: &Bdd,
    root: Ref,
    max_order: usize,
    max_sets: usize,
    max_nodes: usize,
) -> Result<Vec<Vec<u32>>, CutError> {
    let n = root as usize + 1;
    let mut reachable = vec![false; n];
    reachable[root as usize] = true;
    for i in (2..n).rev() {
        if reachable[i] {
            let (lo, hi) = b.children(i as Ref);
            reachable[lo as usize] = true;
            reachable[hi as usize] = true;
        }
    }
    let mut z = Zdd::new(max_nodes);
    // levels[k][node]: the minimal cuts of at most k members (unbounded: one level, k = 0
    // standing for "any").
    let bounded = max_order != usize::MAX;
    let levels = if bounded { max_order + 1 } else { 1 };
    let mut f = vec![vec![zdd::EMPTY; n]; levels];
    for level in f.iter_mut() {
        // FALSE: already down, the empty set is a cut. TRUE: never down, no cut.
        level[bdd::FALSE as usize] = zdd::BASE;
    }
    for i in 2..n {
        if !reachable[i] {
            continue;
        }
        let Some(v) = b.var_of(i as Ref) else {
            continue;
        };
        let (lo, hi) = b.children(i as Ref);
        for k in 0..levels {
            let without_v = f[k][hi as usize];
            // Sets that need v down: lo's, one member smaller.
            let below = match (bounded, k) {
                (false, _) => f[0][lo as usize],
                (true, 0) => zdd::EMPTY,
                (true, _) => f[k - 1][lo as usize],
            };
            let with_v = z.difference(below, without_v)?;
            f[k][i] = z.node(v, without_v, with_v)?;
        }
    }
    let family = f[levels - 1][root as usize];
    let count = z.counts(family)[family as usize];
    if count > max_sets as u64 {
        return Err(CutError::TooMany {
            limit: max_sets,
            found: count,
        });
    }
    Ok(z.sets(family))
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
