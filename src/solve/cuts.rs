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
    /// The place of a repair team's component it is a unit of (a cut's probability is then
    /// taken from the team's chain).
    pub team: Option<TeamUnit>,
}

/// A unit of a repair team's component: the structure node of its place (the component, or
/// the copies of it) and which expansion of that node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TeamUnit {
    pub node: NodeId,
    pub occurrence: usize,
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

/// How the expansion puts its parts together: as a decision diagram ([`Diagram`], any
/// structure) or, when every instance occurs once, as the bounded cut families themselves
/// ([`Families`], linear in the model for a small order).
trait Combine {
    type Part: Clone;
    type Stop;
    fn instance(&mut self, index: u32) -> Result<Self::Part, Self::Stop>;
    /// Up while every part is up.
    fn series(&mut self, parts: Vec<Self::Part>) -> Result<Self::Part, Self::Stop>;
    /// Up while at least k of the parts are up.
    fn at_least(&mut self, k: usize, parts: Vec<Self::Part>) -> Result<Self::Part, Self::Stop>;
    fn network(
        &mut self,
        diagram: &crate::compile::network::NetworkBdd,
        links: Vec<Self::Part>,
    ) -> Result<Self::Part, Self::Stop>;
    /// A shared node met a second time.
    fn reuse(&mut self, part: &Self::Part) -> Result<Self::Part, Self::Stop>;
    /// Whether a block up while k of its n units are can be in any cut asked for (when not,
    /// its units are numbered but not listed: a million units of a 990,000-of-1,000,000 block
    /// have no cut of order 2).
    fn needs_units(&self, _n: usize, _k: usize) -> bool {
        true
    }
    /// A part that never fails.
    fn never_down(&mut self) -> Self::Part;
}

struct Diagram(Bdd);

impl Combine for Diagram {
    type Part = Ref;
    type Stop = TooLarge;
    fn instance(&mut self, index: u32) -> Result<Ref, TooLarge> {
        self.0.variable(index)
    }
    fn series(&mut self, parts: Vec<Ref>) -> Result<Ref, TooLarge> {
        parts
            .into_iter()
            .try_fold(bdd::TRUE, |acc, f| self.0.and(acc, f))
    }
    fn at_least(&mut self, k: usize, parts: Vec<Ref>) -> Result<Ref, TooLarge> {
        self.0.at_least(k, &parts)
    }
    fn network(
        &mut self,
        diagram: &crate::compile::network::NetworkBdd,
        links: Vec<Ref>,
    ) -> Result<Ref, TooLarge> {
        diagram.compose(&mut self.0, &links)
    }
    fn reuse(&mut self, part: &Ref) -> Result<Ref, TooLarge> {
        Ok(*part)
    }
    fn never_down(&mut self) -> Ref {
        bdd::TRUE
    }
}

/// Minimal cut sets of at most `max_order` members, built bottom-up on a structure where no
/// instance occurs twice (no shared node used again, no network): the parts then have
/// disjoint instances, so a series' cuts are its parts' together, and a k-of-n's are the
/// products of the cuts of n - k + 1 of its parts; both are minimal as they stand. Anything
/// else, or a family past `max_sets`, stops the build and the decision diagram takes over.
struct Families {
    max_order: usize,
    max_sets: usize,
}

/// Cut sets of a part: `[[]]` when it is down whatever happens, otherwise non-empty sets.
type Family = Vec<Vec<u32>>;

/// Why the cut families gave way to the decision diagram.
struct NotReadOnce;

impl Families {
    fn checked(&self, f: Family) -> Result<Family, NotReadOnce> {
        if f.len() > self.max_sets {
            Err(NotReadOnce)
        } else {
            Ok(f)
        }
    }
}

fn always_down(f: &Family) -> bool {
    f.len() == 1 && f[0].is_empty()
}

impl Combine for Families {
    type Part = Family;
    type Stop = NotReadOnce;
    fn instance(&mut self, index: u32) -> Result<Family, NotReadOnce> {
        Ok(if self.max_order >= 1 {
            vec![vec![index]]
        } else {
            Vec::new()
        })
    }
    fn series(&mut self, parts: Vec<Family>) -> Result<Family, NotReadOnce> {
        if parts.iter().any(always_down) {
            return Ok(vec![Vec::new()]);
        }
        self.checked(parts.into_iter().flatten().collect())
    }
    fn at_least(&mut self, k: usize, parts: Vec<Family>) -> Result<Family, NotReadOnce> {
        if k == 0 {
            return Ok(Vec::new());
        }
        // Parts down whatever happens count as failed already.
        let failed = parts.iter().filter(|f| always_down(f)).count();
        let need = (parts.len() + 1).saturating_sub(k);
        let Some(need) = need.checked_sub(failed).filter(|&m| m > 0) else {
            return Ok(vec![Vec::new()]);
        };
        // Each part down adds at least one member.
        if need > self.max_order {
            return Ok(Vec::new());
        }
        // by_count[j]: the cuts that take down j of the parts seen so far.
        let mut by_count: Vec<Family> = vec![Vec::new(); need + 1];
        by_count[0].push(Vec::new());
        for part in parts.iter().filter(|f| !f.is_empty() && !always_down(f)) {
            for j in (1..=need).rev() {
                let mut more = Vec::new();
                for a in &by_count[j - 1] {
                    for b in part {
                        if a.len() + b.len() <= self.max_order {
                            let mut c = Vec::with_capacity(a.len() + b.len());
                            c.extend_from_slice(a);
                            c.extend_from_slice(b);
                            more.push(c);
                        }
                    }
                }
                by_count[j].extend(more);
                if by_count[j].len() > self.max_sets {
                    return Err(NotReadOnce);
                }
            }
        }
        Ok(std::mem::take(&mut by_count[need]))
    }
    fn network(
        &mut self,
        _: &crate::compile::network::NetworkBdd,
        _: Vec<Family>,
    ) -> Result<Family, NotReadOnce> {
        Err(NotReadOnce)
    }
    fn reuse(&mut self, _: &Family) -> Result<Family, NotReadOnce> {
        Err(NotReadOnce)
    }
    fn needs_units(&self, n: usize, k: usize) -> bool {
        // It fails with n - k + 1 units down, each a member of the cut.
        k > 0 && (n + 1).saturating_sub(k) <= self.max_order
    }
    fn never_down(&mut self) -> Family {
        Vec::new()
    }
}

struct Expander<'a, C: Combine> {
    model: &'a Model,
    structure: &'a Structure,
    solution: &'a Solution,
    combine: C,
    instances: Vec<Instance>,
    shared: FxHashMap<NodeId, C::Part>,
    /// Copies of each component met so far, to number them.
    seen: FxHashMap<String, usize>,
    chains_expanded: usize,
    /// Expansions of each team place met so far.
    team_places: FxHashMap<NodeId, usize>,
    /// The team place the next instances belong to.
    team: Option<TeamUnit>,
}

impl<'a, C: Combine> Expander<'a, C> {
    fn new(model: &'a Model, structure: &'a Structure, solution: &'a Solution, combine: C) -> Self {
        Expander {
            model,
            structure,
            solution,
            combine,
            instances: Vec::new(),
            shared: FxHashMap::default(),
            seen: FxHashMap::default(),
            chains_expanded: 0,
            team_places: FxHashMap::default(),
            team: None,
        }
    }

    /// A new expansion of the team place `node`.
    fn team_place(&mut self, node: NodeId) -> TeamUnit {
        let k = self.team_places.entry(node).or_insert(0);
        *k += 1;
        TeamUnit {
            node,
            occurrence: *k - 1,
        }
    }

    /// Whether `id` is a component whose units wait for a team (a team with a repairer per
    /// unit is independent repair, and its units independent instances).
    fn team_component(&self, id: NodeId) -> bool {
        let NodeKind::Component(c) = self.structure.nodes[id].kind else {
            return false;
        };
        self.solution.shared.as_ref().is_some_and(|e| e.in_team(c))
    }

    fn instance(
        &mut self,
        base: &str,
        component: Option<usize>,
        u: f64,
        chain: Option<ChainUnit>,
    ) -> Result<C::Part, C::Stop> {
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
            team: self.team,
        });
        self.combine.instance(self.instances.len() as u32 - 1)
    }

    fn build(&mut self, id: NodeId) -> Result<C::Part, C::Stop> {
        if let Some(r) = self.shared.get(&id) {
            let r = r.clone();
            return self.combine.reuse(&r);
        }
        let node = &self.structure.nodes[id];
        let u = self.solution.nodes[id].measures.unavailability();
        let r = match &node.kind {
            NodeKind::Component(c) => {
                let name = self.model.components[*c].name.clone();
                let outer = self.team;
                if self.team.is_none() && self.team_component(id) {
                    self.team = Some(self.team_place(id));
                }
                let r = self.instance(&name, Some(*c), u, None);
                self.team = outer;
                r?
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
                    (ChainSpec::CommonCause(cc), Some(c)) => self.units(*i, c, cc.n, cc.k)?,
                    (ChainSpec::Standby(p), Some(c)) => self.units(*i, c, p.n, p.active)?,
                    _ => {
                        let label = node.label.clone();
                        self.instance(&label, None, u, None)?
                    }
                }
            }
            NodeKind::Series(c) => {
                let parts = c
                    .iter()
                    .map(|&x| self.build(x))
                    .collect::<Result<Vec<_>, _>>()?;
                self.combine.series(parts)?
            }
            NodeKind::KofN { k, children }
                if !self.combine.needs_units(children.len(), *k) && self.countable(id) =>
            {
                children.iter().for_each(|&x| self.count(x, 1));
                self.combine.never_down()
            }
            NodeKind::KofN { k, children } => {
                let parts = children
                    .iter()
                    .map(|&x| self.build(x))
                    .collect::<Result<Vec<_>, _>>()?;
                self.combine.at_least(*k, parts)?
            }
            NodeKind::Copies { k, n, child }
                if !self.combine.needs_units(*n as usize, *k as usize) && self.countable(id) =>
            {
                self.count(*child, *n as usize);
                self.combine.never_down()
            }
            NodeKind::Copies { k, n, child } => {
                // Copies of a team's component are one place of the team: their units are
                // counted together in its chain.
                let outer = self.team;
                if self.team_component(*child) {
                    self.team = Some(self.team_place(id));
                }
                let parts = (0..*n)
                    .map(|_| self.build(*child))
                    .collect::<Result<Vec<_>, _>>();
                self.team = outer;
                self.combine.at_least(*k as usize, parts?)?
            }
            NodeKind::Network {
                children,
                diagram,
                graph,
            } => {
                // The links are expanded in the network diagram's order, so that the
                // instances' variables come in the order the diagram was built for (in the
                // links' written order a 60-link network's expansion grew past the budget).
                let mut parts: Vec<Option<C::Part>> = vec![None; children.len()];
                for &link in &diagram.link_of_var {
                    let (x, (a, b)) = (children[link], graph.links[link]);
                    parts[link] = Some(match self.structure.nodes[x].kind {
                        // A link that is one component is named by its ends, "fiber
                        // (s00-s01)", not "fiber#7".
                        NodeKind::Component(c)
                            if !self.structure.nodes[x].shared && !self.team_component(x) =>
                        {
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
                    });
                }
                let parts = parts
                    .into_iter()
                    .map(|p| p.expect("every link is in the diagram's order"))
                    .collect();
                self.combine.network(diagram, parts)?
            }
        };
        if node.shared {
            self.shared.insert(id, r.clone());
        }
        Ok(r)
    }

    /// Whether the parts below `id` can be counted instead of listed ([`Self::count`]): no
    /// shared node (its second use must still be met) and no network (its links are named by
    /// their ends).
    fn countable(&self, id: NodeId) -> bool {
        let node = &self.structure.nodes[id];
        !node.shared
            && !matches!(node.kind, NodeKind::Network { .. })
            && node.kind.children().iter().all(|&c| self.countable(c))
    }

    /// Numbers the instances below `id`, `times` over, without listing them: a block that no
    /// cut of the order asked can go through (ten million copies of which 10,001 must fail,
    /// for order 2) costs its structure, not its copies, and later copies keep their names.
    fn count(&mut self, id: NodeId, times: usize) {
        let node = &self.structure.nodes[id];
        let (name, copies) = match &node.kind {
            NodeKind::Component(c) => (self.model.components[*c].name.clone(), 1),
            NodeKind::Unit { component, .. } => {
                let name = self.model.components[*component].name.clone();
                if node.label.ends_with("common cause") {
                    (format!("{name} (common cause)"), 1)
                } else {
                    (name, 1)
                }
            }
            NodeKind::Markov(i) => {
                let block = &self.structure.chains[*i];
                match (&block.spec, block.component) {
                    (ChainSpec::Crews { n, .. }, Some(c)) => {
                        self.chains_expanded += times;
                        (self.model.components[c].name.clone(), *n as usize)
                    }
                    (ChainSpec::CommonCause(cc), Some(c)) => {
                        self.chains_expanded += times;
                        (self.model.components[c].name.clone(), cc.n as usize)
                    }
                    (ChainSpec::Standby(p), Some(c)) => {
                        self.chains_expanded += times;
                        (self.model.components[c].name.clone(), p.n as usize)
                    }
                    _ => (node.label.clone(), 1),
                }
            }
            NodeKind::Series(c) | NodeKind::KofN { children: c, .. } => {
                for &x in c {
                    self.count(x, times);
                }
                return;
            }
            NodeKind::Copies { n, child, .. } => {
                self.count(*child, times.saturating_mul(*n as usize));
                return;
            }
            // Not countable (see `countable`): listed by `build`.
            NodeKind::Network { .. } => return,
        };
        *self.seen.entry(name).or_insert(0) += times.saturating_mul(copies);
    }

    /// The units of a Markov block of copies: up while at least k of the n are.
    fn units(&mut self, chain: usize, c: usize, n: u64, k: u64) -> Result<C::Part, C::Stop> {
        if !self.combine.needs_units(n as usize, k as usize) {
            // Numbered as if listed, so that later copies keep their names.
            self.count(self.structure.chains[chain].node, 1);
            return Ok(self.combine.never_down());
        }
        let name = self.model.components[c].name.clone();
        let u = self.model.components[c].avail.q;
        let unit = ChainUnit {
            chain,
            group: self.chains_expanded,
        };
        self.chains_expanded += 1;
        let parts = (0..n as usize)
            .map(|_| self.instance(&name, Some(c), u, Some(unit)))
            .collect::<Result<Vec<_>, _>>()?;
        self.combine.at_least(k as usize, parts)
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
    let (instances, sets) = match read_once_cuts(model, structure, solution, max_order, max_sets) {
        Some(found) => found,
        None => bdd::with_big_stack(|| {
            let mut e = Expander::new(model, structure, solution, Diagram(Bdd::new(max_nodes)));
            let root = e.build(structure.root)?;
            let sets = cuts_of(&e.combine.0, root, max_order, max_sets, max_nodes)?;
            Ok::<_, CutError>((e.instances, sets))
        })?,
    };
    // Unit probabilities of each chain (for cuts with several units of one chain).
    let places = team_places(solution);
    let mut out: Vec<CutSet> = sets
        .into_iter()
        .map(|members| {
            let probability = probability(&instances, &members, structure, solution, &places);
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
        instances,
        sets: out,
        max_order,
    })
}

/// The largest order the cut families are built for directly; above it (and unbounded) the
/// products of k-of-n blocks would grow too fast, and the decision diagram is used.
const READ_ONCE_MAX_ORDER: usize = 6;

/// The cut sets built directly on the structure ([`Families`]), when it has no instance used
/// twice and the order is small; `None` when the decision diagram must do it.
fn read_once_cuts(
    model: &Model,
    structure: &Structure,
    solution: &Solution,
    max_order: usize,
    max_sets: usize,
) -> Option<(Vec<Instance>, Vec<Vec<u32>>)> {
    if max_order > READ_ONCE_MAX_ORDER {
        return None;
    }
    let families = Families {
        max_order,
        max_sets,
    };
    let mut e = Expander::new(model, structure, solution, families);
    // Deep structures recurse as far as the decision diagram's build does.
    let root = bdd::with_big_stack(|| e.build(structure.root).ok())?;
    let mut sets = root;
    for s in &mut sets {
        s.sort_unstable();
    }
    Some((e.instances, sets))
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
    places: &FxHashMap<TeamUnit, usize>,
) -> f64 {
    let mut p = 1.0;
    // Units down per use of a chain, and per place of a team.
    let mut groups: FxHashMap<usize, (usize, usize)> = FxHashMap::default();
    let mut down_at: FxHashMap<TeamUnit, u64> = FxHashMap::default();
    for &m in members {
        let inst = &instances[m as usize];
        match (inst.chain, inst.team) {
            (Some(u), _) => groups.entry(u.group).or_insert((u.chain, 0)).1 += 1,
            (None, Some(t)) => *down_at.entry(t).or_insert(0) += 1,
            (None, None) => p *= inst.unavailability,
        }
    }
    if !down_at.is_empty() {
        p *= team_units_down(solution, places, &down_at);
    }
    for (_, (ci, j)) in groups {
        let block = &structure.chains[ci];
        p *= units_down(&block.spec, &solution.chains[ci].pi, &block.names, j);
    }
    p
}

/// Each team place's site: expansion k of a node is its k-th site in the diagram (the sites
/// of one node are interchangeable in the team's chain). Empty without teams.
fn team_places(solution: &Solution) -> FxHashMap<TeamUnit, usize> {
    let mut site_of: FxHashMap<TeamUnit, usize> = FxHashMap::default();
    let Some(t) = solution.shared.as_ref().and_then(|e| e.teams.as_ref()) else {
        return site_of;
    };
    let mut seen: FxHashMap<NodeId, usize> = FxHashMap::default();
    for (i, site) in t.sites.iter().enumerate() {
        let k = seen.entry(site.node).or_insert(0);
        site_of.insert(
            TeamUnit {
                node: site.node,
                occurrence: *k,
            },
            i,
        );
        *k += 1;
    }
    site_of
}

/// P(the given units of teams' places are all down): for each team, the sum over its chain's
/// states of the chance that the j given units of each place are among the d down there
/// (each set of d units of a place equally likely, by symmetry); teams are independent.
fn team_units_down(
    solution: &Solution,
    site_of: &FxHashMap<TeamUnit, usize>,
    places: &FxHashMap<TeamUnit, u64>,
) -> f64 {
    let Some(t) = solution.shared.as_ref().and_then(|e| e.teams.as_ref()) else {
        return f64::NAN;
    };
    let mut p = 1.0;
    for chain in &t.chains {
        // (position in the team's sites, given units down there)
        let wanted: Vec<(usize, u64)> = places
            .iter()
            .filter_map(|(unit, &j)| {
                let site = site_of.get(unit)?;
                let pos = chain.sites.iter().position(|x| x == site)?;
                Some((pos, j))
            })
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let mut sum = 0.0;
        for (s, &pi) in chain.pi.iter().enumerate() {
            let mut r = pi;
            for &(pos, j) in &wanted {
                let n = t.sites[chain.sites[pos]].kind.n;
                let d = chain.failed(&t.sites, pos, s);
                if d < j {
                    r = 0.0;
                    break;
                }
                for i in 0..j {
                    r *= (d - i) as f64 / (n - i) as f64;
                }
            }
            sum += r;
        }
        p *= sum;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A million copies of which 11 must fail, then one more copy in series: the block is
    /// counted, not listed, so the order-2 question costs its structure, and the lone copy
    /// is still named as the millionth-and-first.
    #[test]
    fn blocks_no_cut_can_pass_are_counted_not_listed() {
        let a = crate::analyse(
            "m.yaml",
            "components:\n  a: { mtbf: 1000h, mttr: 1h }\nsystem:\n  series:\n    - k_of_n: { k: 999990, n: 1000000, of: a }\n    - a\n",
        )
        .unwrap();
        let (instances, sets) =
            read_once_cuts(&a.model, &a.structure, &a.solution, 2, 1_000_000).unwrap();
        assert_eq!(instances.len(), 1);
        assert_eq!(sets, vec![vec![0]]);
        assert_eq!(instances[0].name, "a#1000001");
    }

    /// The same cut sets by both routes, on every example and on the block kinds the random
    /// models of tests/shared.rs do not reach (copies, shared repair, standby, Markov blocks,
    /// a part that is always down).
    #[test]
    fn families_and_decision_diagram_agree() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let mut models: Vec<(String, String)> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .map(|p| {
                (
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
            .collect();
        let extra = "components:\n  a: { mtbf: 100h, mttr: 1h }\n  b: { mtbf: 200h, mttr: 3h }\n  c: { mtbf: 300h, mttr: 2h }\nsystem:\n  series:\n    - k_of_n: { k: 2, n: 4, of: a, crews: 1 }\n    - k_of_n: { k: 2, n: 3, of: b }\n    - standby: { of: c, n: 3, active: 1, mode: cold }\n    - parallel: [a, { series: [b, c] }, { k_of_n: { k: 1, n: 2, of: c } }]\n";
        models.push(("extra".into(), extra.into()));
        let mut compared = 0;
        for (name, source) in models {
            let a = crate::analyse(&name, &source).unwrap();
            for order in 1..=4 {
                let Some((instances, mut direct)) =
                    read_once_cuts(&a.model, &a.structure, &a.solution, order, 1_000_000)
                else {
                    continue;
                };
                let (via_diagram, mut sets) = bdd::with_big_stack(|| {
                    let mut e = Expander::new(
                        &a.model,
                        &a.structure,
                        &a.solution,
                        Diagram(Bdd::new(1_000_000)),
                    );
                    let root = e.build(a.structure.root).unwrap();
                    let sets = cuts_of(&e.combine.0, root, order, 1_000_000, 1_000_000).unwrap();
                    (e.instances, sets)
                });
                // Compared by the members' names: the direct route does not list units
                // that can be in no cut of the order, so the indices may differ.
                let named = |sets: &[Vec<u32>], inst: &[Instance]| {
                    let mut v: Vec<Vec<String>> = sets
                        .iter()
                        .map(|s| {
                            let mut m: Vec<String> =
                                s.iter().map(|&i| inst[i as usize].name.clone()).collect();
                            m.sort();
                            m
                        })
                        .collect();
                    v.sort();
                    v
                };
                direct.sort();
                sets.sort();
                assert_eq!(
                    named(&direct, &instances),
                    named(&sets, &via_diagram),
                    "{name} at order {order}"
                );
                compared += 1;
            }
        }
        // Every example but the shared and network ones goes the direct way.
        assert!(compared >= 40, "{compared}");
    }
}
