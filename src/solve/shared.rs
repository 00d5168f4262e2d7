//! Shared instances: exact measures of a structure in which some parts are one instance used in
//! several places (`shared: true`), so that the branches that use them are not independent.
//!
//! The structure function is compiled into a decision diagram ([`crate::compile::bdd`]) whose
//! variables are the shared instances and the independent sub-blocks (atoms: every part of the
//! structure that holds no shared instance used twice), each atom entering with the exact
//! (A, U, frequency) the independent solver gives it. A shared instance is one variable
//! wherever it is used; an independent block used twice is two variables. The diagram then
//! gives A and U (each a sum of positive terms), the probability that each variable is
//! critical (its Birnbaum importance), and from those the failure frequency
//! f = sum_v I_B(v) f_v and every per-component figure.

use super::ctmc::SolverOptions;
use super::teams::{self, Patterns, Site, SiteKind, TeamChain};
use super::{Measures, NodeValue};
use crate::compile::bdd::{self, Bdd, Ref, TooLarge};
use crate::compile::{NodeId, NodeKind, Structure};
use crate::model::Model;
use crate::probability::Probability;
use rustc_hash::FxHashMap;

/// Why the diagram could not be solved.
#[derive(Debug, Clone, PartialEq)]
pub enum SharedError {
    TooLarge(TooLarge),
    /// A repair team's chain could not be built or solved (the message says why).
    Team(String),
    /// The teams' places are past a fixed bound of the method (the message says which).
    TeamsTooMany(String),
}

impl From<TooLarge> for SharedError {
    fn from(e: TooLarge) -> Self {
        SharedError::TooLarge(e)
    }
}

/// Repair teams in the diagram: the sites (variables 0..sites.len(), above every other
/// variable), each team's chain, and the joint distribution of which sites are up. The
/// diagram is read by walking each pattern down through the site variables to the node
/// below them, whose probabilities (over the independent variables) are then weighed by
/// the pattern's probability.
#[derive(Debug, Clone)]
pub struct TeamEval {
    pub sites: Vec<Site>,
    pub chains: Vec<TeamChain>,
    /// Each team's own patterns (same order as `chains`), and all teams' together.
    pub per_team: Vec<Patterns>,
    pub patterns: Patterns,
}

/// A team's component as the team's chain sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TeamComponent {
    /// Units in the expanded system.
    pub copies: f64,
    /// A unit's A and U (the mean over its units) and its failures per hour.
    pub measures: Measures,
    /// U_sys - U_sys with the component never failing (the team's chain without it).
    pub saved: f64,
    /// U_sys with the component failed for good (taking no repairer) - U_sys.
    pub added: f64,
    /// dA_sys / dA_c, both varied through the component's failure rate.
    pub birnbaum: f64,
    /// System failures per hour that start with a failure of one of its units.
    pub caused: f64,
}

/// The diagram of a structure with shared instances, and what was read from it.
#[derive(Debug, Clone)]
pub struct Entangled {
    /// Nodes whose value depends on a shared instance used more than once.
    pub entangled: Vec<bool>,
    pub bdd: Bdd,
    pub root: Ref,
    /// What each variable stands for.
    pub vars: Vec<Var>,
    /// Whether each node depends on shared instances and is not an atom: such a node has
    /// no value of its own independent of the rest (no Birnbaum importance, no partials).
    pub dependent: Vec<bool>,
    /// Every instance of each entangled node (its functions in the diagram).
    pub instances: Vec<Vec<Ref>>,
    /// (p, q) of each variable and of each diagram node.
    pub var_probs: Vec<Probability>,
    pub node_probs: Vec<Probability>,
    /// Probability that each variable is critical for the system.
    pub criticality: Vec<f64>,
    /// The system's A and U.
    pub system: Probability,
    /// Repair teams, when the structure has any.
    pub teams: Option<TeamEval>,
    /// With teams: the system's failures per hour that start at each site (see
    /// [`Entangled::site_failures`]), computed once.
    pub system_site_failures: Vec<(usize, f64)>,
}

/// A variable of the diagram: an atom, or one of the two switches of a named block that
/// depends on shared instances. Such a block's function f enters the system as
/// (f OR perfect) AND working, with P(perfect) = 0 and P(working) = 1, which changes nothing;
/// the probability that `perfect` is critical is then exactly U_sys - U_sys with the block
/// perfect, and that `working` is critical U_sys with the block failed - U_sys, read from the
/// one diagram for every block at once (a diagram rebuilt per block cost 0.4 s a block on
/// a 100,000-component model).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Var {
    Atom(NodeId),
    Perfect(NodeId),
    Working(NodeId),
    /// A site of a repair team (index into [`TeamEval::sites`]); its probability comes from
    /// the team's chain, jointly with the team's other sites.
    Site(usize),
}

impl Var {
    pub fn atom(self) -> Option<NodeId> {
        match self {
            Var::Atom(id) => Some(id),
            Var::Perfect(_) | Var::Working(_) | Var::Site(_) => None,
        }
    }
}

/// Nodes that are a shared instance used more than once (`uses`: references to each node in
/// the expanded structure, before a shared node counts as one).
pub fn multi_shared(structure: &Structure, uses: &[f64]) -> Vec<bool> {
    structure
        .nodes
        .iter()
        .zip(uses)
        .map(|(n, &u)| n.shared && u > 1.0)
        .collect()
}

struct Builder<'a> {
    structure: &'a Structure,
    multi: &'a [bool],
    entangled: &'a [bool],
    site_of: &'a [Option<SiteKind>],
    bdd: Bdd,
    /// Variables after the sites: atoms and switches, numbered from `sites_total`.
    vars: Vec<Var>,
    sites: Vec<Site>,
    sites_total: u32,
    shared_refs: FxHashMap<NodeId, Ref>,
    instances: Vec<Vec<Ref>>,
    /// The (perfect, working) switches of each dependent named block.
    switches: FxHashMap<NodeId, (Ref, Ref)>,
}

impl Builder<'_> {
    fn fresh(&mut self, var: Var) -> Result<Ref, TooLarge> {
        self.vars.push(var);
        self.bdd
            .variable(self.sites_total + self.vars.len() as u32 - 1)
    }

    fn fresh_site(&mut self, node: NodeId, kind: SiteKind) -> Result<Ref, TooLarge> {
        self.sites.push(Site { node, kind });
        self.bdd.variable(self.sites.len() as u32 - 1)
    }

    /// A dependent named block's function with its switches (made at its first use).
    fn switched(&mut self, id: NodeId, f: Ref) -> Result<Ref, TooLarge> {
        let (perfect, working) = match self.switches.get(&id) {
            Some(&s) => s,
            None => {
                let s = (self.fresh(Var::Perfect(id))?, self.fresh(Var::Working(id))?);
                self.switches.insert(id, s);
                s
            }
        };
        let up = self.bdd.or(f, perfect)?;
        self.bdd.and(up, working)
    }

    fn build(&mut self, id: NodeId) -> Result<Ref, TooLarge> {
        if let Some(&r) = self.shared_refs.get(&id) {
            return Ok(r);
        }
        let kind = &self.structure.nodes[id].kind;
        let inner_entangled = kind.children().iter().any(|&c| self.entangled[c]);
        let r = if let Some(site) = self.site_of[id] {
            self.fresh_site(id, site)?
        } else if !self.entangled[id] || !inner_entangled {
            // An atom: independent inside. A shared one is one variable, memoised below.
            self.fresh(Var::Atom(id))?
        } else {
            match kind {
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
                    children, diagram, ..
                } => {
                    // In the network diagram's order, so that the links' variables come in
                    // the order it was built for.
                    let mut fs = vec![bdd::FALSE; children.len()];
                    for &link in &diagram.link_of_var {
                        fs[link] = self.build(children[link])?;
                    }
                    diagram.compose(&mut self.bdd, &fs)?
                }
                // Leaves have no children, so they are atoms above.
                NodeKind::Component(_) | NodeKind::Unit { .. } | NodeKind::Markov(_) => {
                    self.fresh(Var::Atom(id))?
                }
            }
        };
        let dependent_inside = inner_entangled || self.site_of[id].is_some();
        let r =
            if self.entangled[id] && dependent_inside && self.structure.nodes[id].named.is_some() {
                self.switched(id, r)?
            } else {
                r
            };
        if self.multi[id] {
            self.shared_refs.insert(id, r);
        }
        if self.entangled[id] {
            self.instances[id].push(r);
        }
        Ok(r)
    }
}

/// How many sites the builder will make: its recursion, counting sites only (the sites'
/// variables come first in the diagram's order, so their number is needed before any other
/// variable is made).
fn count_sites(
    structure: &Structure,
    multi: &[bool],
    entangled: &[bool],
    site_of: &[Option<SiteKind>],
    seen: &mut FxHashMap<NodeId, ()>,
    id: NodeId,
) -> usize {
    if seen.contains_key(&id) {
        return 0;
    }
    let kind = &structure.nodes[id].kind;
    let count = if site_of[id].is_some() {
        1
    } else if !entangled[id] || !kind.children().iter().any(|&c| entangled[c]) {
        0
    } else {
        let mult = match kind {
            NodeKind::Copies { n, .. } => *n as usize,
            _ => 1,
        };
        let mut total = 0usize;
        for &c in kind.children() {
            for _ in 0..mult {
                let k = count_sites(structure, multi, entangled, site_of, seen, c);
                total = total.saturating_add(k);
                if k == 0 {
                    break;
                }
            }
        }
        total
    };
    if multi[id] {
        seen.insert(id, ());
    }
    count
}

/// Builds the diagram of the structure and reads the system's measures from it; `values`
/// holds every node's independent value (right for atoms). Entangled nodes get their values
/// from the diagram: A and U always, the frequency for the root and named blocks.
#[allow(clippy::too_many_arguments)]
pub fn solve(
    model: &Model,
    structure: &Structure,
    multi: &[bool],
    site_of: &[Option<SiteKind>],
    values: &mut [NodeValue],
    max_nodes: usize,
    max_states: u64,
    opts: &SolverOptions,
) -> Result<Entangled, SharedError> {
    let n = structure.nodes.len();
    let mut entangled = vec![false; n];
    for (id, node) in structure.nodes.iter().enumerate() {
        entangled[id] = multi[id]
            || site_of[id].is_some()
            || node.kind.children().iter().any(|&c| entangled[c]);
    }
    let sites_total = count_sites(
        structure,
        multi,
        &entangled,
        site_of,
        &mut FxHashMap::default(),
        structure.root,
    );
    if sites_total > teams::MAX_SITES {
        return Err(SharedError::TeamsTooMany(format!(
            "repair teams' components are used in {sites_total} places; at most {} can be solved together (each place is a factor of at least 2 in its team's chain)",
            teams::MAX_SITES
        )));
    }
    let (bdd, root, vars, sites, instances) = bdd::with_big_stack(|| {
        let mut b = Builder {
            structure,
            multi,
            entangled: &entangled,
            site_of,
            bdd: Bdd::new(max_nodes),
            vars: Vec::new(),
            sites: Vec::new(),
            sites_total: sites_total as u32,
            shared_refs: FxHashMap::default(),
            instances: vec![Vec::new(); n],
            switches: FxHashMap::default(),
        };
        let root = b.build(structure.root)?;
        Ok::<_, TooLarge>((b.bdd, root, b.vars, b.sites, b.instances))
    })?;
    debug_assert_eq!(sites.len(), sites_total);
    let vars: Vec<Var> = (0..sites.len()).map(Var::Site).chain(vars).collect();
    let var_probs: Vec<Probability> = vars
        .iter()
        .map(|&v| match v {
            Var::Atom(id) => values[id].measures.avail,
            Var::Perfect(_) => Probability::ZERO,
            Var::Working(_) => Probability::ONE,
            // Never read: the diagram is entered below the sites (see `TeamEval`).
            Var::Site(_) => Probability::ONE,
        })
        .collect();
    let team_eval = if sites.is_empty() {
        None
    } else {
        Some(solve_teams(model, sites, max_states, opts)?)
    };
    let node_probs = bdd.probabilities(&var_probs);
    let mut e = Entangled {
        dependent: Vec::new(),
        entangled,
        bdd,
        root,
        vars,
        instances,
        var_probs,
        node_probs,
        criticality: Vec::new(),
        system: Probability::ONE,
        teams: team_eval,
        system_site_failures: Vec::new(),
    };
    e.system_site_failures = e.site_failures(model, root);
    e.criticality = e.criticality_of(root);
    e.system = e.conditioned(root, &e.node_probs);
    // Switches and sites have no frequency of their own (a site's failures are the team's
    // flows, added by `frequency_of`).
    let mut dependent = e.entangled.clone();
    for id in e.vars.iter().filter_map(|v| v.atom()) {
        dependent[id] = false;
    }
    e.dependent = dependent;
    let value_frequencies: Vec<Option<f64>> = e
        .vars
        .iter()
        .map(|&v| match v {
            Var::Atom(id) => values[id].measures.frequency,
            Var::Perfect(_) | Var::Working(_) | Var::Site(_) => Some(0.0),
        })
        .collect();
    // Entangled nodes' own values: the first instance's probabilities; frequencies where a
    // table shows them (the system, named blocks).
    for (id, value) in values.iter_mut().enumerate() {
        if !e.entangled[id] || e.instances[id].is_empty() {
            continue;
        }
        let r = e.instances[id][0];
        let frequency = if id == structure.root {
            e.frequency_of(model, &e.criticality, root, &value_frequencies)
        } else if structure.nodes[id].named.is_some() {
            let crit = e.criticality_of(r);
            e.frequency_of(model, &crit, r, &value_frequencies)
        } else {
            None
        };
        value.measures = Measures {
            avail: e.conditioned(r, &e.node_probs).settled(),
            frequency: frequency.map(|f| f.max(0.0) + 0.0),
        };
    }
    Ok(e)
}

/// Each team's chain, solved, and the joint distribution of which sites are up.
fn solve_teams(
    model: &Model,
    sites: Vec<Site>,
    max_states: u64,
    opts: &SolverOptions,
) -> Result<TeamEval, SharedError> {
    let mut chains = Vec::new();
    let mut per_team = Vec::new();
    for team in 0..model.teams.len() {
        if !sites.iter().any(|s| s.kind.team == team) {
            continue;
        }
        let chain = teams::solve_team(model, &sites, team, None, max_states, opts, None)
            .map_err(SharedError::Team)?;
        per_team.push(teams::patterns(&chain));
        chains.push(chain);
    }
    let patterns = teams::combine(per_team.clone()).ok_or_else(|| {
        SharedError::TeamsTooMany(format!(
            "the teams together have more than {} combinations of their places up and down (the teams' patterns multiply)",
            teams::MAX_PATTERNS
        ))
    })?;
    Ok(TeamEval {
        sites,
        chains,
        per_team,
        patterns,
    })
}

impl Entangled {
    /// The node below the sites that `r` leads to when the sites up are those of `mask`.
    pub fn walk(&self, mut r: Ref, mask: u64, sites: usize) -> Ref {
        while let Some(v) = self.bdd.var_of(r) {
            if v as usize >= sites {
                break;
            }
            let (lo, hi) = self.bdd.children(r);
            r = if mask >> v & 1 == 1 { hi } else { lo };
        }
        r
    }

    /// P(up) and P(down) of the function `r`, given the probabilities of every diagram node
    /// over the independent variables: the node's own, or with teams, weighed over the
    /// patterns of sites up (sums of positive terms, so a small U stays exact).
    pub fn conditioned(&self, r: Ref, node_probs: &[Probability]) -> Probability {
        let Some(t) = &self.teams else {
            return node_probs[r as usize];
        };
        self.weighed(r, node_probs, &t.patterns, t.sites.len())
    }

    /// P(up) and P(down) of `r` over the given patterns of sites up.
    fn weighed(
        &self,
        r: Ref,
        node_probs: &[Probability],
        patterns: &Patterns,
        sites: usize,
    ) -> Probability {
        let (mut p, mut q) = (0.0, 0.0);
        for (&mask, &mass) in patterns.masks.iter().zip(&patterns.mass) {
            let below = node_probs[self.walk(r, mask, sites) as usize];
            p += mass * below.p;
            q += mass * below.q;
        }
        Probability { p, q }
    }

    /// Probability that each variable is critical for the function `r` (zero for sites).
    pub fn criticality_of(&self, r: Ref) -> Vec<f64> {
        match &self.teams {
            None => self.bdd.criticality(r, &self.var_probs, &self.node_probs),
            Some(t) => {
                let start: Vec<(Ref, f64)> = t
                    .patterns
                    .masks
                    .iter()
                    .zip(&t.patterns.mass)
                    .map(|(&m, &p)| (self.walk(r, m, t.sites.len()), p))
                    .collect();
                self.bdd
                    .criticality_from(&start, &self.var_probs, &self.node_probs)
            }
        }
    }

    /// Up-to-down transitions per hour of the function `r`: each independent variable's
    /// frequency times its criticality, plus, with teams, every failure that takes a site
    /// down while the function is up with the site and down without it.
    fn frequency_of(
        &self,
        model: &Model,
        crit: &[f64],
        r: Ref,
        var_frequency: &[Option<f64>],
    ) -> Option<f64> {
        let independent: Option<f64> = crit
            .iter()
            .zip(var_frequency)
            .filter(|(c, _)| **c > 0.0)
            .map(|(c, f)| f.map(|f| c * f))
            .sum();
        let sites = if r == self.root {
            self.system_site_failures
                .iter()
                .map(|(_, f)| f)
                .sum::<f64>()
        } else {
            self.site_failures(model, r)
                .iter()
                .map(|(_, f)| f)
                .sum::<f64>()
        };
        Some(independent? + sites)
    }

    /// With teams: for each site, the function `r`'s failures per hour that start with a
    /// failure taking that site down (empty without teams): over each team's states, each
    /// such failure's flux times the chance that `r` is up with the site and down without it
    /// (the other teams' places as their patterns say, the independent parts as the diagram).
    pub fn site_failures(&self, model: &Model, r: Ref) -> Vec<(usize, f64)> {
        let Some(t) = &self.teams else {
            return Vec::new();
        };
        let s = t.sites.len();
        let mut out: Vec<(usize, f64)> = (0..s).map(|i| (i, 0.0)).collect();
        let mut flips = Vec::new();
        for (k, chain) in t.chains.iter().enumerate() {
            let mut others: Vec<Patterns> = t.per_team.clone();
            others.remove(k);
            let Some(others) = teams::combine(others) else {
                continue;
            };
            for state in 0..chain.pi.len() {
                chain.flips(&t.sites, state, model, &mut flips);
                if flips.is_empty() {
                    continue;
                }
                let own = chain.mask(state);
                for (&other, &mass) in others.masks.iter().zip(&others.mass) {
                    let mask = own | other;
                    let q_now = self.node_probs[self.walk(r, mask, s) as usize].q;
                    for &(site, flux) in &flips {
                        let below = self.walk(r, mask & !(1 << site), s);
                        let change = self.node_probs[below as usize].q - q_now;
                        out[site].1 += flux * mass * change.max(0.0);
                    }
                }
            }
        }
        out
    }

    /// Whether units of component `c` wait for a team here (a team with a repairer per unit
    /// has no chain: its components are independent).
    pub fn in_team(&self, c: usize) -> bool {
        self.teams
            .as_ref()
            .is_some_and(|t| t.sites.iter().any(|s| s.kind.component == c))
    }

    /// The system's (A, U) with a team's component changed (`fix`), its team's chain solved
    /// again; the system's own when no team repairs the component.
    pub fn system_with_fix(
        &self,
        model: &Model,
        fix: teams::Fix,
        max_states: u64,
        opts: &SolverOptions,
    ) -> Result<Probability, SharedError> {
        let c = match fix {
            teams::Fix::Perfect(c) | teams::Fix::Failed(c) => c,
            teams::Fix::Scaled { component, .. } => component,
        };
        let Some(t) = &self.teams else {
            return Ok(self.system);
        };
        let Some(k) = t
            .chains
            .iter()
            .position(|ch| ch.sites.iter().any(|&i| t.sites[i].kind.component == c))
        else {
            return Ok(self.system);
        };
        let solved = teams::solve_team(
            model,
            &t.sites,
            t.chains[k].team,
            Some(fix),
            max_states,
            opts,
            Some(&t.chains[k]),
        )
        .map_err(SharedError::Team)?;
        let mut per_team = t.per_team.clone();
        per_team[k] = teams::patterns(&solved);
        let patterns = teams::combine(per_team).ok_or_else(|| {
            SharedError::TeamsTooMany(format!(
                "the teams together have more than {} combinations of their places up and down",
                teams::MAX_PATTERNS
            ))
        })?;
        Ok(self.weighed(self.root, &self.node_probs, &patterns, t.sites.len()))
    }

    /// What the team's chain says of component `c` (None when no team repairs it here):
    /// its units' measures, and the system's unavailability with it perfect or failed,
    /// each from the team's chain solved again with the component held so.
    pub fn team_component(
        &self,
        model: &Model,
        c: usize,
        importance: bool,
        opts: &SolverOptions,
    ) -> Result<Option<TeamComponent>, SharedError> {
        let max_states = opts.max_states;
        let Some(t) = &self.teams else {
            return Ok(None);
        };
        let Some(k) = t
            .chains
            .iter()
            .position(|ch| ch.sites.iter().any(|&i| t.sites[i].kind.component == c))
        else {
            return Ok(None);
        };
        let chain = &t.chains[k];
        let rates = model.components[c]
            .rates
            .expect("a team's components have rates");
        let (mut units, mut down, mut working) = (0.0, 0.0, 0.0);
        for (j, &i) in chain.sites.iter().enumerate() {
            let kind = t.sites[i].kind;
            if kind.component != c {
                continue;
            }
            units += kind.n as f64;
            down += chain.mean_failed[j];
            working += chain.mean_working[j];
        }
        // Over working + down (units x the chain's total probability, 1 within rounding), so
        // that A + U = 1 holds to the last bit.
        let total = working + down;
        let measures = Measures {
            avail: Probability {
                p: working / total,
                q: down / total,
            },
            frequency: Some(working / total * rates.failure),
        };
        let caused = self
            .system_site_failures
            .iter()
            .filter(|(i, _)| t.sites[*i].kind.component == c)
            .map(|(_, f)| f)
            .sum();
        if !importance {
            return Ok(Some(TeamComponent {
                copies: units,
                measures,
                saved: f64::NAN,
                added: f64::NAN,
                birnbaum: f64::NAN,
                caused,
            }));
        }
        let with = |fix| self.system_with_fix(model, fix, max_states, opts);
        let perfect = with(teams::Fix::Perfect(c))?;
        let failed = with(teams::Fix::Failed(c))?;
        // Birnbaum as for a component inside a Markov block: dA_sys / dA_c with both moved
        // through lambda_c, i.e. lambda dU_sys/dlambda over the component's own
        // lambda dU_c/dlambda = U_c A_c. The slope is a central difference (step 1e-4 of
        // lambda: truncation below 1e-8 relative, rounding about 1e-10).
        const STEP: f64 = 1e-4;
        let scaled = |failure| teams::Fix::Scaled {
            component: c,
            failure,
            repair: 1.0,
        };
        let up = with(scaled(1.0 + STEP))?;
        let down_ = with(scaled(1.0 - STEP))?;
        let slope = (up.q - down_.q) / (2.0 * STEP);
        let own = super::two_state(rates.failure, rates.repair).avail;
        let birnbaum = slope / (own.p * own.q);
        Ok(Some(TeamComponent {
            copies: units,
            measures,
            saved: self.system.q - perfect.q,
            added: failed.q - self.system.q,
            birnbaum,
            caused,
        }))
    }

    /// The system's (A, U) with some variables' probabilities replaced.
    pub fn system_with(&self, changed: &[(usize, Probability)]) -> Probability {
        let mut vars = self.var_probs.clone();
        for &(v, p) in changed {
            vars[v] = p;
        }
        self.conditioned(self.root, &self.bdd.probabilities(&vars))
    }

    /// For a dependent named block: U_sys minus U_sys with the block perfect, and U_sys with
    /// the block failed minus U_sys (the probabilities that its switches are critical).
    pub fn forced_change(&self, id: NodeId) -> Option<(f64, f64)> {
        let find = |want: Var| self.vars.iter().position(|&v| v == want);
        let perfect = find(Var::Perfect(id))?;
        let working = find(Var::Working(id))?;
        Some((self.criticality[perfect], self.criticality[working]))
    }

    pub fn system_u(&self) -> f64 {
        self.system.q
    }

    /// The variables that stand for each atom node.
    pub fn node_vars(&self) -> FxHashMap<NodeId, Vec<usize>> {
        let mut out: FxHashMap<NodeId, Vec<usize>> = FxHashMap::default();
        for (v, id) in self.vars.iter().enumerate() {
            if let Some(id) = id.atom() {
                out.entry(id).or_default().push(v);
            }
        }
        out
    }
}
