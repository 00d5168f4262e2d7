//! Two-terminal reliability graphs (`network` blocks): up when an all-up path of links joins
//! the two terminals. Exact by enumeration of the links' states, which is what bridges and
//! meshes that are not series-parallel need; the number of links is bounded
//! ([`MAX_LINKS`]) so that 2^links stays small.
//!
//! Availability and unavailability are sums of the connected and the disconnected states'
//! probabilities (positive terms only), and each link's partial dA/dA_link is the probability
//! of the other links' states in which that link is critical, also a sum of positive terms:
//! no subtraction anywhere.

use super::rbd::Avail;

/// Most links in one network block.
pub const MAX_LINKS: usize = 20;

/// A network's shape: terminals and links between numbered nodes (at most 64 nodes).
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    pub source: u8,
    pub target: u8,
    pub links: Vec<(u8, u8)>,
    pub directed: bool,
}

impl Graph {
    /// Whether the target is reachable from the source using the links whose bits are set.
    pub fn connected(&self, up: u32) -> bool {
        let mut reach: u64 = 1 << self.source;
        loop {
            let before = reach;
            for (i, &(a, b)) in self.links.iter().enumerate() {
                if up >> i & 1 == 0 {
                    continue;
                }
                if reach >> a & 1 == 1 {
                    reach |= 1 << b;
                }
                if !self.directed && reach >> b & 1 == 1 {
                    reach |= 1 << a;
                }
            }
            if reach >> self.target & 1 == 1 {
                return true;
            }
            if reach == before {
                return false;
            }
        }
    }
}

/// Probabilities of every state of the links (bit i set: link i up), built by doubling.
fn state_probabilities(links: &[Avail]) -> Vec<f64> {
    let mut p = vec![1.0];
    for (i, l) in links.iter().enumerate() {
        let half = 1usize << i;
        let mut next = vec![0.0; half * 2];
        next[..half]
            .iter_mut()
            .zip(&p)
            .for_each(|(x, y)| *x = y * l.u);
        next[half..]
            .iter_mut()
            .zip(&p)
            .for_each(|(x, y)| *x = y * l.a);
        p = next;
    }
    p
}

/// A and U of the network and the partial dA/dA_i of each link.
pub fn evaluate(g: &Graph, links: &[Avail]) -> (Avail, Vec<f64>) {
    let m = links.len();
    let states = 1u32 << m;
    let connected: Vec<bool> = (0..states).map(|s| g.connected(s)).collect();
    let p = state_probabilities(links);
    let (mut a, mut u) = (0.0, 0.0);
    for (s, &pr) in p.iter().enumerate() {
        if connected[s] { a += pr } else { u += pr }
    }
    // dA/dA_i: probability of the other links' states in which link i is critical.
    let partials = (0..m)
        .map(|i| {
            let others: Vec<Avail> = links
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, l)| *l)
                .collect();
            let q = state_probabilities(&others);
            let low = (1u32 << i) - 1;
            q.iter()
                .enumerate()
                .filter(|(s, _)| {
                    let s = *s as u32;
                    // Reinsert bit i (as 0) into the others' state.
                    let without = (s & low) | ((s & !low) << 1);
                    connected[(without | 1 << i) as usize] && !connected[without as usize]
                })
                .map(|(_, pr)| pr)
                .sum()
        })
        .collect();
    (Avail { a, u }, partials)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comp(mtbf: f64, mttr: f64) -> Avail {
        Avail {
            a: mtbf / (mtbf + mttr),
            u: mttr / (mtbf + mttr),
        }
    }

    /// The bridge by pivotal decomposition on the middle link: with it up, (1|2) in series
    /// with (3|4); with it down, (1-3) in parallel with (2-4).
    #[test]
    fn bridge_matches_pivotal_decomposition() {
        let l: Vec<Avail> = [
            (50.0, 3.0),
            (70.0, 5.0),
            (40.0, 2.0),
            (100.0, 6.0),
            (20.0, 1.0),
        ]
        .iter()
        .map(|&(a, b)| comp(a, b))
        .collect();
        let g = Graph {
            source: 0,
            target: 3,
            links: vec![(0, 1), (0, 2), (1, 3), (2, 3), (1, 2)],
            directed: false,
        };
        let (v, partials) = evaluate(&g, &l);
        let par = |x: f64, y: f64| 1.0 - (1.0 - x) * (1.0 - y);
        let up = par(l[0].a, l[1].a) * par(l[2].a, l[3].a);
        let down = par(l[0].a * l[2].a, l[1].a * l[3].a);
        let want = l[4].a * up + l[4].u * down;
        assert!(((v.a - want) / want).abs() < 1e-14);
        assert!((v.a + v.u - 1.0).abs() < 1e-15);
        assert!(((partials[4] - (up - down)) / (up - down)).abs() < 1e-10);
    }

    #[test]
    fn directed_links_carry_one_way() {
        let up = Avail { a: 1.0, u: 0.0 };
        let g = Graph {
            source: 0,
            target: 1,
            links: vec![(1, 0)],
            directed: true,
        };
        assert_eq!(evaluate(&g, &[up]).0.a, 0.0);
        let g = Graph {
            directed: false,
            ..g
        };
        assert_eq!(evaluate(&g, &[up]).0.a, 1.0);
    }
}
