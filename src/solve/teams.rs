//! Repair teams shared across components (`teams:`): one chain per team over the failed
//! units of each place its components are used, and the distribution of which of those
//! places are up, for the decision diagram to condition on.
//!
//! A *site* is one place in the expanded structure where a team's component is used: the
//! component alone (one unit, up when it is), or `k`-of-`n` plain copies of it (n units, up
//! while at least k are). The team's chain counts the failed units of every site, so n
//! copies add n + 1 states, not 2^n: the copies of a site are interchangeable, and so are
//! the units of a component across its sites under both disciplines, so the counts are an
//! exact lumping of the chain of individual units.
//!
//! Generator (docs/format.md, "Repair teams"): a working unit of component c fails at
//! lambda_c, whatever else is down. Under `priority`, the team's `size` repairers go to the
//! components in priority order, min(failed units of c, repairers left) to component c;
//! those r_c repairers work on c's failed units, so c's units are repaired at r_c mu_c in
//! all, shared among its sites in proportion to their failed units. Under `shared`, with D
//! units down in the team, each is repaired at mu_c min(1, size / D).

use super::ctmc::{self, SolverOptions};
use crate::compile::NodeId;
use crate::compile::ctmc::Ctmc;
use crate::model::{ComponentId, Discipline, Model, TeamId};
use rustc_hash::FxHashMap;

/// Most sites of all teams together: a site is one bit of a pattern, and 64 sites of at
/// least two states each are far past any chain's limit anyway.
pub const MAX_SITES: usize = 64;

/// Most combinations of the up/down patterns of several teams (each pattern costs a walk
/// down the diagram per measure).
pub const MAX_PATTERNS: usize = 4_000_000;

/// What a node of the structure is to a team: `k` of `n` units of a team's component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteKind {
    pub team: TeamId,
    pub component: ComponentId,
    pub k: u64,
    pub n: u64,
}

/// One site: its kind and the structure node it is an instance of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Site {
    pub node: NodeId,
    pub kind: SiteKind,
}

/// A component changed in a team's chain, for its importance: never failing, failed for
/// good (its units then take no repairer), or failing and repaired at multiples of its
/// rates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fix {
    Perfect(ComponentId),
    Failed(ComponentId),
    Scaled {
        component: ComponentId,
        failure: f64,
        repair: f64,
    },
}

/// A team's chain and its steady state.
#[derive(Debug, Clone)]
pub struct TeamChain {
    pub team: TeamId,
    /// The team's sites (indices into the list of all sites), in that list's order.
    pub sites: Vec<usize>,
    pub chain: Ctmc,
    pub pi: Vec<f64>,
    /// Failed units of each of `sites` in each state: state = sum of d_i x stride_i.
    pub strides: Vec<usize>,
    /// Fixed failed units of a site held by a [`Fix`] (its dimension is then 1).
    pub fixed: Vec<Option<u64>>,
    /// The solver's relative residual.
    pub relative_residual: f64,
}

impl TeamChain {
    /// Which of the team's sites are up in state `s` (bit i: site i of all sites).
    pub fn mask(&self, all: &[Site], s: usize) -> u64 {
        let mut mask = 0u64;
        for (j, &i) in self.sites.iter().enumerate() {
            let k = all[i].kind;
            if k.n - self.failed(all, j, s) >= k.k {
                mask |= 1 << i;
            }
        }
        mask
    }

    /// Failed units of the team's site number `j` (position in `sites`) in state `s`.
    pub fn failed(&self, all: &[Site], j: usize, s: usize) -> u64 {
        match self.fixed[j] {
            Some(d) => d,
            None => (s / self.strides[j]) as u64 % (all[self.sites[j]].kind.n + 1),
        }
    }
}

/// Builds and solves the chain of team `team` over its sites among `all`, with `fix`
/// applied; an error says why it cannot be (too many states, a solver failure).
pub fn solve_team(
    model: &Model,
    all: &[Site],
    team: TeamId,
    fix: Option<Fix>,
    max_states: u64,
    opts: &SolverOptions,
) -> Result<TeamChain, String> {
    let t = &model.teams[team];
    let sites: Vec<usize> = (0..all.len())
        .filter(|&i| all[i].kind.team == team)
        .collect();
    let fixed: Vec<Option<u64>> = sites
        .iter()
        .map(|&i| {
            let k = all[i].kind;
            match fix {
                Some(Fix::Perfect(c)) if c == k.component => Some(0),
                Some(Fix::Failed(c)) if c == k.component => Some(k.n),
                Some(Fix::Perfect(_) | Fix::Failed(_) | Fix::Scaled { .. }) | None => None,
            }
        })
        .collect();
    let mut strides = Vec::with_capacity(sites.len());
    let mut states: u64 = 1;
    for (j, &i) in sites.iter().enumerate() {
        strides.push(states as usize);
        if fixed[j].is_none() {
            states = states.saturating_mul(all[i].kind.n + 1);
        }
        if states > max_states {
            return Err(format!(
                "the chain of team `{}` has more than {max_states} states (its components are used in {} places; each place of n copies adds a factor n + 1)",
                t.name,
                sites.len()
            ));
        }
    }
    let n = states as usize;
    let rates: Vec<(f64, f64)> = sites
        .iter()
        .map(|&i| {
            let c = all[i].kind.component;
            let r = model.components[c]
                .rates
                .expect("a team's components have rates (validated)");
            match fix {
                Some(Fix::Scaled {
                    component,
                    failure,
                    repair,
                }) if component == c => (r.failure * failure, r.repair * repair),
                _ => (r.failure, r.repair),
            }
        })
        .collect();
    // Each site's component's place in the team's order, for the priority discipline.
    let rank: Vec<usize> = sites
        .iter()
        .map(|&i| {
            t.order
                .iter()
                .position(|&c| c == all[i].kind.component)
                .unwrap_or(t.order.len())
        })
        .collect();
    let mut failed_of = vec![0u64; t.order.len() + 1];
    let mut d = vec![0u64; sites.len()];
    let mut transitions = Vec::with_capacity(n * 2 * sites.len());
    for s in 0..n {
        failed_of.iter_mut().for_each(|x| *x = 0);
        let mut down_total = 0u64;
        for j in 0..sites.len() {
            d[j] = match fixed[j] {
                Some(x) => x,
                None => (s / strides[j]) as u64 % (all[sites[j]].kind.n + 1),
            };
            if fixed[j].is_none() {
                failed_of[rank[j]] += d[j];
                down_total += d[j];
            }
        }
        // Repairers each component gets (priority), or each failed unit's share (shared).
        let mut left = t.size;
        let given: Vec<u64> = failed_of
            .iter()
            .map(|&f| {
                let r = f.min(left);
                left -= r;
                r
            })
            .collect();
        for j in 0..sites.len() {
            if fixed[j].is_some() {
                continue;
            }
            let units = all[sites[j]].kind.n;
            let (lambda, mu) = rates[j];
            if d[j] < units {
                transitions.push((s, s + strides[j], (units - d[j]) as f64 * lambda));
            }
            if d[j] > 0 {
                let rate = match t.discipline {
                    Discipline::Priority => {
                        let f = failed_of[rank[j]];
                        mu * given[rank[j]] as f64 * d[j] as f64 / f as f64
                    }
                    Discipline::Shared => {
                        let share = (t.size as f64 / down_total as f64).min(1.0);
                        mu * d[j] as f64 * share
                    }
                };
                transitions.push((s, s - strides[j], rate));
            }
        }
    }
    let chain = Ctmc::new(n, transitions, vec![true; n]);
    // Every site held fixed (a team of one component, made perfect): one state.
    let (pi, relative_residual) = if n == 1 {
        (vec![1.0], 0.0)
    } else {
        let steady = ctmc::steady_state(&chain, opts)
            .map_err(|e| format!("cannot solve the chain of team `{}`: {e}", t.name))?;
        (steady.pi, steady.relative_residual)
    };
    Ok(TeamChain {
        team,
        sites,
        relative_residual,
        pi,
        chain,
        strides,
        fixed,
    })
}

/// The distribution of which sites are up (bit i of a mask: site i up), with, for each
/// pattern, the rate of each site's failures that take it from up to down (probability
/// flux per hour) and the component whose unit failed.
#[derive(Debug, Clone, Default)]
pub struct Patterns {
    pub masks: Vec<u64>,
    pub mass: Vec<f64>,
    /// (site, flux) for each pattern.
    pub flows: Vec<Vec<(usize, f64)>>,
}

/// The patterns of one team's chain.
pub fn patterns(all: &[Site], t: &TeamChain, model: &Model) -> Patterns {
    let mut index: FxHashMap<u64, usize> = FxHashMap::default();
    let mut out = Patterns::default();
    for (s, &p) in t.pi.iter().enumerate() {
        let mut mask = 0u64;
        let mut flips = Vec::new();
        for (j, &i) in t.sites.iter().enumerate() {
            let k = all[i].kind;
            let d = t.failed(all, j, s);
            let working = k.n - d;
            if working >= k.k {
                mask |= 1 << i;
                // One more failure takes the site down.
                if working == k.k && t.fixed[j].is_none() {
                    let lambda = model.components[k.component]
                        .rates
                        .map_or(0.0, |r| r.failure);
                    flips.push((i, p * working as f64 * lambda));
                }
            }
        }
        let at = *index.entry(mask).or_insert_with(|| {
            out.masks.push(mask);
            out.mass.push(0.0);
            out.flows.push(Vec::new());
            out.masks.len() - 1
        });
        out.mass[at] += p;
        for (i, f) in flips {
            match out.flows[at].iter_mut().find(|(x, _)| *x == i) {
                Some(slot) => slot.1 += f,
                None => out.flows[at].push((i, f)),
            }
        }
    }
    out
}

/// The joint patterns of independent teams: masks OR-ed, masses multiplied, each team's
/// flows weighted by the other teams' masses. None past `MAX_PATTERNS`.
pub fn combine(teams: Vec<Patterns>) -> Option<Patterns> {
    let mut iter = teams.into_iter();
    let mut acc = iter.next().unwrap_or_else(|| Patterns {
        masks: vec![0],
        mass: vec![1.0],
        flows: vec![Vec::new()],
    });
    for next in iter {
        if acc.masks.len().saturating_mul(next.masks.len()) > MAX_PATTERNS {
            return None;
        }
        let mut out = Patterns::default();
        for a in 0..acc.masks.len() {
            for b in 0..next.masks.len() {
                out.masks.push(acc.masks[a] | next.masks[b]);
                out.mass.push(acc.mass[a] * next.mass[b]);
                let flows = acc.flows[a]
                    .iter()
                    .map(|&(i, f)| (i, f * next.mass[b]))
                    .chain(next.flows[b].iter().map(|&(i, f)| (i, f * acc.mass[a])))
                    .collect();
                out.flows.push(flows);
            }
        }
        acc = out;
    }
    Some(acc)
}
