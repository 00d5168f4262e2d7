//! A network's structure function as a decision diagram over its links, built by frontier
//! search (the method of Sekine, Imai and Tani, "Computing the Tutte polynomial of a graph of
//! moderate size", 1995, and of Knuth's simpath): the links are taken in an order that keeps
//! the frontier (nodes with links on both sides of the cut) narrow, and each diagram node is
//! a state of that frontier: which frontier nodes are joined (undirected), or which reaches
//! which (directed). Identical states at the same link are one node, so grids and meshes of
//! hundreds of links stay small where enumeration would need 2^links states.

use super::bdd::{self, Bdd, Ref, TooLarge};
use crate::model::Graph;
use rustc_hash::FxHashMap;
use std::collections::VecDeque;

/// The diagram of a network: variable i is link `link_of_var[i]`.
#[derive(Debug, Clone)]
pub struct NetworkBdd {
    pub bdd: Bdd,
    pub root: Ref,
    pub link_of_var: Vec<usize>,
}

impl NetworkBdd {
    /// The network's diagram with each link variable replaced by the link's function in `b`
    /// (`links[i]` for link i), whose variables must come in the diagram's link order (each
    /// link's before the next one's). The structure function is monotone (a node's `lo`
    /// implies its `hi`), so the substitution at a node is (link AND hi) OR lo, children
    /// first; a link that is one variable is a node made directly, so a network of plain
    /// components is copied in linear time.
    pub fn compose(&self, b: &mut Bdd, links: &[Ref]) -> Result<Ref, TooLarge> {
        let mut map: Vec<Ref> = vec![bdd::FALSE, bdd::TRUE];
        for i in 2..self.bdd.len() as Ref {
            let v = self.bdd.var_of(i).unwrap_or(0) as usize;
            let (lo, hi) = self.bdd.children(i);
            let (lo, hi) = (map[lo as usize], map[hi as usize]);
            let g = links[self.link_of_var[v]];
            let r = match b.single_variable(g) {
                Some(x) => b.node(x, lo, hi)?,
                None => {
                    let with = b.and(g, hi)?;
                    b.or(with, lo)?
                }
            };
            map.push(r);
        }
        Ok(map[self.root as usize])
    }
}

/// Most nodes on a directed network's frontier (reachability is kept as 64-bit rows).
pub const MAX_DIRECTED_FRONTIER: usize = 64;

/// Why a network's diagram could not be built.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NetworkError {
    TooLarge(TooLarge),
    /// A directed network whose frontier is wider than [`MAX_DIRECTED_FRONTIER`].
    TooWide(usize),
}

/// The order the links are taken in: the one with the narrowest frontier among a few
/// candidates (breadth-first from the source; greedy orders from either terminal that add
/// next the node with the most links to the nodes already placed, or the node that leaves
/// the frontier narrowest). The diagram's size
/// grows with the frontier's width, exponentially, so this choice is most of the speed:
/// paths, grids and meshes are narrow in breadth-first order, dense random graphs in the
/// greedy ones (a random 60-link graph: 4.7 s in breadth-first order, 0.3 s now).
fn link_order(g: &Graph) -> Vec<usize> {
    let n = g.nodes.len();
    let mut adj = vec![Vec::new(); n];
    for (i, &(a, b)) in g.links.iter().enumerate() {
        adj[a as usize].push(i);
        adj[b as usize].push(i);
    }
    let candidates = [
        breadth_first_rank(g, &adj),
        greedy_rank(g, &adj, g.source as usize),
        greedy_rank(g, &adj, g.target as usize),
        narrowest_rank(g, &adj, g.source as usize),
        narrowest_rank(g, &adj, g.target as usize),
    ];
    candidates
        .iter()
        .map(|rank| links_by_rank(g, rank))
        .map(|order| (frontier_cost(g, &order), order))
        .min_by(|(a, _), (b, _)| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
        .map(|(_, order)| order)
        .expect("three candidates")
}

/// Nodes numbered in breadth-first order from the source.
fn breadth_first_rank(g: &Graph, adj: &[Vec<usize>]) -> Vec<usize> {
    let n = g.nodes.len();
    let mut rank = vec![usize::MAX; n];
    let mut queue = VecDeque::from([g.source as usize]);
    rank[g.source as usize] = 0;
    let mut next = 1;
    while let Some(x) = queue.pop_front() {
        for &l in &adj[x] {
            let (a, b) = g.links[l];
            for y in [a as usize, b as usize] {
                if rank[y] == usize::MAX {
                    rank[y] = next;
                    next += 1;
                    queue.push_back(y);
                }
            }
        }
    }
    rank
}

/// Nodes numbered greedily from `start`: next the unplaced node with the most links to
/// placed ones (ties: the fewest links to unplaced ones, then the lowest number), which
/// closes nodes off the frontier as early as it can.
fn greedy_rank(g: &Graph, adj: &[Vec<usize>], start: usize) -> Vec<usize> {
    let n = g.nodes.len();
    let mut rank = vec![usize::MAX; n];
    let mut to_placed = vec![0usize; n];
    let degree: Vec<usize> = adj.iter().map(Vec::len).collect();
    let place = |v: usize, r: usize, rank: &mut Vec<usize>, to_placed: &mut Vec<usize>| {
        rank[v] = r;
        for &l in &adj[v] {
            let (a, b) = g.links[l];
            let w = if a as usize == v { b } else { a } as usize;
            to_placed[w] += 1;
        }
    };
    place(start, 0, &mut rank, &mut to_placed);
    for r in 1..n {
        let next = (0..n)
            .filter(|&v| rank[v] == usize::MAX)
            .max_by_key(|&v| {
                (
                    to_placed[v],
                    std::cmp::Reverse(degree[v] - to_placed[v]),
                    std::cmp::Reverse(v),
                )
            })
            .expect("an unplaced node");
        place(next, r, &mut rank, &mut to_placed);
    }
    rank
}

/// Nodes numbered from `start` so that the frontier stays narrowest: next the unplaced node
/// after which the fewest placed nodes still have unplaced neighbours (ties: the most links
/// to placed nodes, then the lowest number).
fn narrowest_rank(g: &Graph, adj: &[Vec<usize>], start: usize) -> Vec<usize> {
    let n = g.nodes.len();
    let neighbours: Vec<Vec<usize>> = (0..n)
        .map(|v| {
            adj[v]
                .iter()
                .map(|&l| {
                    let (a, b) = g.links[l];
                    (if a as usize == v { b } else { a }) as usize
                })
                .collect()
        })
        .collect();
    let mut rank = vec![usize::MAX; n];
    // Unplaced neighbours of each node, and how many placed nodes have some.
    let mut open: Vec<usize> = neighbours.iter().map(Vec::len).collect();
    let mut frontier = 0usize;
    let mut next = start;
    for r in 0..n {
        let v = next;
        rank[v] = r;
        for &w in &neighbours[v] {
            open[w] -= 1;
            if rank[w] != usize::MAX && open[w] == 0 {
                frontier -= 1;
            }
        }
        if open[v] > 0 {
            frontier += 1;
        }
        // The frontier after placing u: its placed neighbours with u as their last open one
        // leave; u joins if it keeps unplaced neighbours.
        let Some(u) = (0..n).filter(|&u| rank[u] == usize::MAX).min_by_key(|&u| {
            let placed = neighbours[u].iter().filter(|&&w| rank[w] != usize::MAX);
            let closing = placed.clone().filter(|&&w| open[w] == 1).count();
            let to_placed = placed.count();
            let stays_open = (neighbours[u].len() > to_placed) as usize;
            (
                frontier + stays_open - closing,
                std::cmp::Reverse(to_placed),
                u,
            )
        }) else {
            break;
        };
        next = u;
    }
    rank
}

/// The links ordered by their later end's rank, then their earlier end's.
fn links_by_rank(g: &Graph, rank: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..g.links.len()).collect();
    order.sort_by_key(|&l| {
        let (a, b) = g.links[l];
        let (ra, rb) = (rank[a as usize], rank[b as usize]);
        (ra.max(rb), ra.min(rb), l)
    });
    order
}

/// How expensive an order is expected to be: the widest frontier, then the sum of 2^width
/// over the links (the number of states grows about exponentially with the width).
fn frontier_cost(g: &Graph, order: &[usize]) -> (usize, f64) {
    let f = Frontier::new(g, order);
    let widths = f.frontier.iter().map(Vec::len);
    let widest = widths.clone().max().unwrap_or(0);
    let total = widths.map(|w| 2f64.powi(w as i32)).sum::<f64>();
    (widest, total)
}
struct Frontier {
    /// Links in diagram order, as (from, to).
    links: Vec<(usize, usize)>,
    source: usize,
    target: usize,
    /// Index of each node's last link in diagram order (None: no link).
    last: Vec<Option<usize>>,
    /// The frontier before link i: nodes with a link before i and one at or after i, and
    /// the terminals always.
    frontier: Vec<Vec<usize>>,
}

impl Frontier {
    fn new(g: &Graph, order: &[usize]) -> Frontier {
        let n = g.nodes.len();
        let links: Vec<(usize, usize)> = order
            .iter()
            .map(|&l| (g.links[l].0 as usize, g.links[l].1 as usize))
            .collect();
        let mut first = vec![None; n];
        let mut last = vec![None; n];
        for (i, &(a, b)) in links.iter().enumerate() {
            for v in [a, b] {
                first[v].get_or_insert(i);
                last[v] = Some(i);
            }
        }
        let (source, target) = (g.source as usize, g.target as usize);
        let frontier = (0..=links.len())
            .map(|i| {
                (0..n)
                    .filter(|&v| {
                        v == source
                            || v == target
                            || (first[v].is_some_and(|f| f < i) && last[v].is_some_and(|l| l >= i))
                    })
                    .collect()
            })
            .collect();
        Frontier {
            links,
            source,
            target,
            last,
            frontier,
        }
    }

    /// Whether node v still has a link at or after i.
    fn active(&self, v: usize, i: usize) -> bool {
        self.last[v].is_some_and(|l| l >= i)
    }
}

/// Builds the diagram of `g` (undirected or directed), within `max_nodes`.
pub fn build(g: &Graph, max_nodes: usize) -> Result<NetworkBdd, NetworkError> {
    let order = link_order(g);
    let f = Frontier::new(g, &order);
    let mut bdd = Bdd::new(max_nodes);
    let root = if g.directed {
        let mut b = Directed {
            f: &f,
            bdd: &mut bdd,
            memo: FxHashMap::default(),
        };
        let start = b.start()?;
        b.build(0, start)?
    } else {
        let mut b = Undirected {
            f: &f,
            bdd: &mut bdd,
            memo: FxHashMap::default(),
        };
        let start: Vec<u16> = (0..f.frontier[0].len() as u16).collect();
        b.build(0, start).map_err(NetworkError::TooLarge)?
    };
    Ok(NetworkBdd {
        bdd,
        root,
        link_of_var: order,
    })
}

/// Undirected: the state is a component label per frontier node (canonical: labels in order
/// of first appearance).
struct Undirected<'a> {
    f: &'a Frontier,
    bdd: &'a mut Bdd,
    memo: FxHashMap<(usize, Box<[u16]>), Ref>,
}

impl Undirected<'_> {
    fn build(&mut self, i: usize, labels: Vec<u16>) -> Result<Ref, TooLarge> {
        let f = self.f;
        let here = &f.frontier[i];
        let pos = |v: usize| here.iter().position(|&x| x == v);
        let (s, t) = (pos(f.source), pos(f.target));
        if let (Some(s), Some(t)) = (s, t)
            && labels[s] == labels[t]
        {
            return Ok(bdd::TRUE);
        }
        if i == f.links.len() {
            return Ok(bdd::FALSE);
        }
        let key = (i, labels.clone().into_boxed_slice());
        if let Some(&r) = self.memo.get(&key) {
            return Ok(r);
        }
        // The memo costs as much as the diagram: it is held to the same budget.
        if self.memo.len() >= self.bdd.max_nodes() {
            return Err(TooLarge {
                nodes: self.memo.len(),
            });
        }
        let (a, b) = f.links[i];
        let down = self.advance(i, &labels, None);
        let up = self.advance(i, &labels, Some((a, b)));
        let lo = match down {
            Some(l) => self.build(i + 1, l)?,
            None => bdd::FALSE,
        };
        let hi = match up {
            Some(l) => self.build(i + 1, l)?,
            None => bdd::FALSE,
        };
        let r = self.bdd.node(i as u32, lo, hi)?;
        self.memo.insert(key, r);
        Ok(r)
    }

    /// The state before link i + 1 after link i is down (`join` None) or up; None when the
    /// source and target can no longer be joined.
    fn advance(&self, i: usize, labels: &[u16], join: Option<(usize, usize)>) -> Option<Vec<u16>> {
        let f = self.f;
        let here = &f.frontier[i];
        // Labels of every node that is on the frontier now or touched by link i.
        let label_of = |v: usize, fresh: u32| -> u32 {
            here.iter()
                .position(|&x| x == v)
                .map_or(fresh, |p| labels[p] as u32)
        };
        let (a, b) = f.links[i];
        // A node joins the frontier only at one of its links: fresh labels for a and b.
        let la = label_of(a, u32::MAX - 1);
        let lb = label_of(b, u32::MAX - 2);
        let next = &f.frontier[i + 1];
        let mut out: Vec<u32> = next
            .iter()
            .map(|&v| {
                if v == a {
                    la
                } else if v == b {
                    lb
                } else {
                    label_of(v, u32::MAX - 3 - v as u32)
                }
            })
            .collect();
        if join.is_some() && la != lb {
            // Merge b's component into a's.
            for l in out.iter_mut() {
                if *l == lb {
                    *l = la;
                }
            }
        }
        // The terminals must still be able to meet: each one's component needs a node with
        // links to come (or they are already joined, which `build` sees).
        let s = next.iter().position(|&v| v == f.source)?;
        let t = next.iter().position(|&v| v == f.target)?;
        if out[s] != out[t] {
            for end in [s, t] {
                let alive = next
                    .iter()
                    .zip(&out)
                    .any(|(&v, &l)| l == out[end] && f.active(v, i + 1));
                if !alive {
                    return None;
                }
            }
        }
        // Canonical labels.
        let mut seen: Vec<u32> = Vec::new();
        let canonical = out
            .iter()
            .map(|l| {
                let k = match seen.iter().position(|x| x == l) {
                    Some(k) => k,
                    None => {
                        seen.push(*l);
                        seen.len() - 1
                    }
                };
                k as u16
            })
            .collect();
        Some(canonical)
    }
}

/// Directed: the state is which frontier node reaches which (a bit per pair).
struct Directed<'a> {
    f: &'a Frontier,
    bdd: &'a mut Bdd,
    memo: FxHashMap<(usize, Vec<u64>), Ref>,
}

impl Directed<'_> {
    fn start(&self) -> Result<Vec<u64>, NetworkError> {
        let w = self.f.frontier.iter().map(Vec::len).max().unwrap_or(0);
        if w > MAX_DIRECTED_FRONTIER {
            return Err(NetworkError::TooWide(w));
        }
        // Each node reaches itself.
        Ok((0..self.f.frontier[0].len()).map(|k| 1u64 << k).collect())
    }

    fn build(&mut self, i: usize, reach: Vec<u64>) -> Result<Ref, NetworkError> {
        let f = self.f;
        let here = &f.frontier[i];
        let pos = |v: usize| here.iter().position(|&x| x == v);
        if let (Some(s), Some(t)) = (pos(f.source), pos(f.target))
            && reach[s] >> t & 1 == 1
        {
            return Ok(bdd::TRUE);
        }
        if i == f.links.len() {
            return Ok(bdd::FALSE);
        }
        if let Some(&r) = self.memo.get(&(i, reach.clone())) {
            return Ok(r);
        }
        if self.memo.len() >= self.bdd.max_nodes() {
            return Err(NetworkError::TooLarge(TooLarge {
                nodes: self.memo.len(),
            }));
        }
        let lo = match self.advance(i, &reach, false) {
            Some(r) => self.build(i + 1, r)?,
            None => bdd::FALSE,
        };
        let hi = match self.advance(i, &reach, true) {
            Some(r) => self.build(i + 1, r)?,
            None => bdd::FALSE,
        };
        let r = self
            .bdd
            .node(i as u32, lo, hi)
            .map_err(NetworkError::TooLarge)?;
        self.memo.insert((i, reach), r);
        Ok(r)
    }

    fn advance(&self, i: usize, reach: &[u64], up: bool) -> Option<Vec<u64>> {
        let f = self.f;
        let here = &f.frontier[i];
        let (a, b) = f.links[i];
        // Work on the union of this frontier and the link's ends.
        let mut nodes: Vec<usize> = here.clone();
        for v in [a, b] {
            if !nodes.contains(&v) {
                nodes.push(v);
            }
        }
        let k = nodes.len();
        let mut rows: Vec<u64> = (0..k)
            .map(|x| if x < here.len() { reach[x] } else { 1u64 << x })
            .collect();
        if up {
            let (pa, pb) = (
                nodes.iter().position(|&v| v == a)?,
                nodes.iter().position(|&v| v == b)?,
            );
            // Whoever reaches a now reaches whatever b reaches.
            let from_b = rows[pb];
            for row in rows.iter_mut() {
                if *row >> pa & 1 == 1 {
                    *row |= from_b;
                }
            }
        }
        let next = &f.frontier[i + 1];
        let keep: Vec<usize> = next
            .iter()
            .map(|v| nodes.iter().position(|x| x == v))
            .collect::<Option<Vec<_>>>()
            .unwrap_or_else(|| {
                // A node entering the frontier that is in neither set cannot happen: it is
                // touched by link i. Keep what is known.
                next.iter()
                    .filter_map(|v| nodes.iter().position(|x| x == v))
                    .collect()
            });
        let out: Vec<u64> = keep
            .iter()
            .map(|&x| {
                keep.iter()
                    .enumerate()
                    .filter(|&(_, &y)| rows[x] >> y & 1 == 1)
                    .fold(0u64, |m, (j, _)| m | 1 << j)
            })
            .collect();
        let s = next.iter().position(|&v| v == f.source)?;
        let t = next.iter().position(|&v| v == f.target)?;
        if out[s] >> t & 1 == 0 {
            // The source must reach a node with links to come, and such a node must reach
            // the target.
            let future: Vec<bool> = next.iter().map(|&v| f.active(v, i + 1)).collect();
            let from_s = (0..next.len()).any(|j| future[j] && out[s] >> j & 1 == 1);
            let to_t = (0..next.len()).any(|j| future[j] && out[j] >> t & 1 == 1);
            if !from_s || !to_t {
                return None;
            }
        }
        Some(out)
    }
}

impl From<TooLarge> for NetworkError {
    fn from(e: TooLarge) -> Self {
        NetworkError::TooLarge(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probability::Probability;

    /// Every random graph of up to 12 links, both directions: the diagram's structure function
    /// equals breadth-first search over every state of the links.
    #[test]
    fn diagrams_equal_reachability_on_every_state() {
        let mut seed = 17u64;
        let mut rnd = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for case in 0..300 {
            let nodes = 2 + rnd(6) as usize;
            let m = 1 + rnd(12) as usize;
            let links: Vec<(u32, u32)> = (0..m)
                .map(|_| {
                    let a = rnd(nodes as u64) as u32;
                    let mut b = rnd(nodes as u64) as u32;
                    if a == b {
                        b = (b + 1) % nodes as u32;
                    }
                    (a, b)
                })
                .collect();
            let g = Graph {
                nodes: (0..nodes).map(|i| i.to_string()).collect(),
                source: 0,
                target: 1,
                links,
                directed: case % 2 == 1,
            };
            let d = build(&g, 1 << 20).unwrap();
            for state in 0..1u32 << m {
                // Evaluate the diagram: var i is link link_of_var[i].
                let mut r = d.root;
                while let Some(v) = d.bdd.var_of(r) {
                    let (lo, hi) = d.bdd.children(r);
                    r = if state >> d.link_of_var[v as usize] & 1 == 1 {
                        hi
                    } else {
                        lo
                    };
                }
                assert_eq!(
                    r == bdd::TRUE,
                    g.connected(state),
                    "case {case} state {state:b}: {g:?}"
                );
            }
            // And its probability is a proper one.
            let vars = vec![Probability { p: 0.7, q: 0.3 }; m];
            let p = d.bdd.probabilities(&vars)[d.root as usize];
            assert!((p.p + p.q - 1.0).abs() < 1e-14);
        }
    }

    /// An 8x8 grid (112 links) builds to a small diagram.
    #[test]
    fn grids_stay_small() {
        let k = 8;
        let id = |r: usize, c: usize| (r * k + c) as u32;
        let mut links = Vec::new();
        for r in 0..k {
            for c in 0..k {
                if c + 1 < k {
                    links.push((id(r, c), id(r, c + 1)));
                }
                if r + 1 < k {
                    links.push((id(r, c), id(r + 1, c)));
                }
            }
        }
        let g = Graph {
            nodes: (0..k * k).map(|i| i.to_string()).collect(),
            source: 0,
            target: (k * k - 1) as u32,
            links,
            directed: false,
        };
        let d = build(&g, 5_000_000).unwrap();
        assert!(d.bdd.len() < 2_000_000, "{} nodes", d.bdd.len());
    }
}
