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
    /// Which sites are up in each state (bit i: site i of all sites).
    pub masks: Vec<u64>,
    /// Which sites one more failure takes down in each state (exactly k units working, the
    /// site not held fixed).
    pub flippable: Vec<u64>,
    /// Expected failed and working units of each of `sites` (each summed on its own, so
    /// that both keep their digits).
    pub mean_failed: Vec<f64>,
    pub mean_working: Vec<f64>,
    /// Expected repairers at work, probability that all are, and expected failed units
    /// waiting for one (under `shared`: beyond the team's size).
    pub busy: f64,
    pub all_busy: f64,
    pub waiting: f64,
}

impl TeamChain {
    /// Which of the team's sites are up in state `s` (bit i: site i of all sites).
    pub fn mask(&self, s: usize) -> u64 {
        self.masks[s]
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
    base: Option<&TeamChain>,
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
                "the chain of team `{}` has more than {max_states} states (its components are used in {} place{}; each place of n copies adds a factor n + 1)",
                t.name,
                sites.len(),
                if sites.len() == 1 { "" } else { "s" }
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
    let mut given = vec![0u64; t.order.len() + 1];
    // Failed units per site, counted up with the state like an odometer (fixed sites
    // keep theirs).
    // The failed units of the first state: the fixed places', else none.
    let first: Vec<u64> = fixed.iter().map(|f| f.unwrap_or(0)).collect();
    let mut d = first.clone();
    let limit: Vec<u64> = sites.iter().map(|&i| all[i].kind.n).collect();
    let free: Vec<bool> = fixed.iter().map(Option::is_none).collect();
    let advance = |d: &mut [u64]| {
        for j in 0..d.len() {
            if !free[j] {
                continue;
            }
            if d[j] < limit[j] {
                d[j] += 1;
                return;
            }
            d[j] = 0;
        }
    };
    let mut masks = Vec::with_capacity(n);
    let mut flippable = Vec::with_capacity(n);
    let row_of =
        |s: usize, row: &mut Vec<(u32, f64)>| {
            debug_assert!((0..sites.len()).all(|j| fixed[j].is_some()
            || d[j] == (s / strides[j]) as u64 % (limit[j] + 1)));
            failed_of.iter_mut().for_each(|x| *x = 0);
            let mut down_total = 0u64;
            for j in 0..sites.len() {
                if fixed[j].is_none() {
                    failed_of[rank[j]] += d[j];
                    down_total += d[j];
                }
            }
            let (mut mask, mut flip) = (0u64, 0u64);
            for (j, &i) in sites.iter().enumerate() {
                let k = all[i].kind;
                let working = k.n - d[j];
                if working >= k.k {
                    mask |= 1 << i;
                }
                // k >= 1, so a place with exactly k working has one to lose.
                if working == k.k && fixed[j].is_none() {
                    flip |= 1 << i;
                }
            }
            masks.push(mask);
            flippable.push(flip);
            // Repairers each component gets (priority), or each failed unit's share (shared).
            let mut left = t.size;
            for (r, &f) in given.iter_mut().zip(failed_of.iter()) {
                *r = f.min(left);
                left -= *r;
            }
            // Repairs (to s - stride, the larger strides first), then failures (to s + stride,
            // the smaller first): the row comes out sorted by target.
            for j in (0..sites.len()).rev() {
                if fixed[j].is_some() {
                    continue;
                }
                let mu = rates[j].1;
                if d[j] > 0 && (t.discipline == Discipline::Shared || given[rank[j]] > 0) {
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
                    row.push(((s - strides[j]) as u32, rate));
                }
            }
            for j in 0..sites.len() {
                if fixed[j].is_none() && d[j] < limit[j] {
                    let lambda = rates[j].0;
                    row.push(((s + strides[j]) as u32, (limit[j] - d[j]) as f64 * lambda));
                }
            }
            advance(&mut d);
        };
    // Every place a failure, and about one repair per repairer at work.
    let per_row = sites.len() + (t.size as usize).min(sites.len());
    let chain = Ctmc::from_rows(n, per_row, row_of, vec![true; n]);
    // Where Gauss-Seidel starts: the team's own steady state when this chain is a variant
    // of it (the same states, or those with the fixed component's count as held), else the
    // product of each place's distribution with a repairer per unit. Either is far closer
    // to the answer than the uniform distribution (28 sweeps from it on 2^20 states).
    // P(d units of place j down) with a repairer each, up to a constant: q^d p^(n - d).
    let factor: Vec<Vec<f64>> = rates
        .iter()
        .zip(&limit)
        .map(|(&(lambda, mu), &units)| {
            let q = lambda / (lambda + mu);
            (0..=units.min(1 << 20))
                .map(|x| q.powi(x as i32) * (1.0 - q).powi((units - x) as i32))
                .collect()
        })
        .collect();
    let mut start = Vec::with_capacity(n);
    let mut d = first.clone();
    for _ in 0..n {
        start.push(match base {
            Some(b) => {
                b.pi[d
                    .iter()
                    .zip(&b.strides)
                    .map(|(&x, &st)| x as usize * st)
                    .sum::<usize>()]
            }
            None => d
                .iter()
                .zip(&factor)
                .map(|(&x, f)| f.get(x as usize).copied().unwrap_or(0.0))
                .product::<f64>()
                // Positive everywhere, or Gauss-Seidel starts from the uniform distribution.
                .max(f64::MIN_POSITIVE),
        });
        advance(&mut d);
    }
    let total: f64 = start.iter().sum();
    start.iter_mut().for_each(|x| *x /= total);
    // Every site held fixed (a team of one component, made perfect): one state.
    let (pi, relative_residual) = if n == 1 {
        (vec![1.0], 0.0)
    } else {
        let steady = ctmc::steady_state_from(&chain, opts, Some(&start))
            .map_err(|e| format!("cannot solve the chain of team `{}`: {e}", t.name))?;
        (steady.pi, steady.relative_residual)
    };
    let mut out = TeamChain {
        team,
        sites,
        relative_residual,
        pi,
        chain,
        strides,
        fixed,
        masks,
        flippable,
        mean_failed: Vec::new(),
        mean_working: Vec::new(),
        busy: 0.0,
        all_busy: 0.0,
        waiting: 0.0,
    };
    let mut d = first;
    let mut mean_failed = vec![0.0; out.sites.len()];
    let mut mean_working = vec![0.0; out.sites.len()];
    let (mut busy, mut all_busy, mut waiting) = (0.0, 0.0, 0.0);
    for &p in &out.pi {
        let mut down = 0u64;
        for j in 0..d.len() {
            mean_failed[j] += p * d[j] as f64;
            mean_working[j] += p * (limit[j] - d[j]) as f64;
            if free[j] {
                down += d[j];
            }
        }
        busy += p * down.min(t.size) as f64;
        if down >= t.size {
            all_busy += p;
        }
        waiting += p * down.saturating_sub(t.size) as f64;
        advance(&mut d);
    }
    out.mean_failed = mean_failed;
    out.mean_working = mean_working;
    (out.busy, out.all_busy, out.waiting) = (busy, all_busy, waiting);
    Ok(out)
}

/// The distribution of which sites are up (bit i of a mask: site i up).
#[derive(Debug, Clone, Default)]
pub struct Patterns {
    pub masks: Vec<u64>,
    pub mass: Vec<f64>,
}

/// The patterns of one team's chain.
pub fn patterns(t: &TeamChain) -> Patterns {
    let mut index: FxHashMap<u64, usize> = FxHashMap::default();
    let mut out = Patterns::default();
    for (s, &p) in t.pi.iter().enumerate() {
        let mask = t.mask(s);
        let at = *index.entry(mask).or_insert_with(|| {
            out.masks.push(mask);
            out.mass.push(0.0);
            out.masks.len() - 1
        });
        out.mass[at] += p;
    }
    out
}

impl TeamChain {
    /// The failures in state `s` that take a site from up to down: (site, probability flux
    /// per hour), each a unit failure at a site with exactly k units working.
    pub fn flips(&self, all: &[Site], s: usize, model: &Model, out: &mut Vec<(usize, f64)>) {
        out.clear();
        let mut bits = self.flippable[s];
        while bits != 0 {
            let i = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let k = all[i].kind;
            let lambda = model.components[k.component]
                .rates
                .map_or(0.0, |r| r.failure);
            out.push((i, self.pi[s] * k.k as f64 * lambda));
        }
    }
}

/// The joint patterns of independent teams: masks OR-ed, masses multiplied. None past
/// `MAX_PATTERNS`.
pub fn combine(teams: Vec<Patterns>) -> Option<Patterns> {
    let mut iter = teams.into_iter();
    let mut acc = iter.next().unwrap_or_else(|| Patterns {
        masks: vec![0],
        mass: vec![1.0],
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
            }
        }
        acc = out;
    }
    Some(acc)
}
