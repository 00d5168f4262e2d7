//! Two-terminal reliability graphs (`network` blocks): up when an all-up path of links joins
//! the two terminals. Exact by enumeration of the links' states, which is what bridges and
//! meshes that are not series-parallel need; the number of links is bounded
//! ([`crate::limits::MAX_NETWORK_LINKS`]) so that 2^links stays small.
//!
//! Availability and unavailability are sums of the connected and the disconnected states'
//! probabilities (positive terms only), and each link's partial dA/dA_link is the probability
//! of the other links' states in which that link is critical, also a sum of positive terms:
//! no subtraction anywhere.

use crate::probability::Probability;

/// Probabilities of every state of the links (bit i set: link i up), built by doubling.
fn state_probabilities(links: &[Probability]) -> Vec<f64> {
    let mut p = vec![1.0];
    for (i, l) in links.iter().enumerate() {
        let half = 1usize << i;
        let mut next = vec![0.0; half * 2];
        next[..half]
            .iter_mut()
            .zip(&p)
            .for_each(|(x, y)| *x = y * l.q);
        next[half..]
            .iter_mut()
            .zip(&p)
            .for_each(|(x, y)| *x = y * l.p);
        p = next;
    }
    p
}

/// A and U of the network from its tabulated structure function (`connected[s]`: the target
/// is reached with the links of `s` up).
pub fn availability(connected: &[bool], links: &[Probability]) -> Probability {
    let p = state_probabilities(links);
    let (mut a, mut u) = (0.0, 0.0);
    for (s, &pr) in p.iter().enumerate() {
        if connected[s] { a += pr } else { u += pr }
    }
    Probability { p: a, q: u }
}

/// A and U of the network and the partial dA/dA_i of each link.
pub fn evaluate(connected: &[bool], links: &[Probability]) -> (Probability, Vec<f64>) {
    let m = links.len();
    let value = availability(connected, links);
    // dA/dA_i: probability of the other links' states in which link i is critical.
    let partials = (0..m)
        .map(|i| {
            let others: Vec<Probability> = links
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
    (value, partials)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Graph;

    fn table(g: &Graph) -> Vec<bool> {
        (0..1u32 << g.links.len()).map(|s| g.connected(s)).collect()
    }

    fn comp(mtbf: f64, mttr: f64) -> Probability {
        Probability {
            p: mtbf / (mtbf + mttr),
            q: mttr / (mtbf + mttr),
        }
    }

    /// The bridge by pivotal decomposition on the middle link: with it up, (1|2) in series
    /// with (3|4); with it down, (1-3) in parallel with (2-4).
    #[test]
    fn bridge_matches_pivotal_decomposition() {
        let l: Vec<Probability> = [
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
            nodes: (0..4).map(|i| i.to_string()).collect(),
            source: 0,
            target: 3,
            links: vec![(0, 1), (0, 2), (1, 3), (2, 3), (1, 2)],
            directed: false,
        };
        let (v, partials) = evaluate(&table(&g), &l);
        let par = |x: f64, y: f64| 1.0 - (1.0 - x) * (1.0 - y);
        let up = par(l[0].p, l[1].p) * par(l[2].p, l[3].p);
        let down = par(l[0].p * l[2].p, l[1].p * l[3].p);
        let want = l[4].p * up + l[4].q * down;
        assert!(((v.p - want) / want).abs() < 1e-14);
        assert!((v.p + v.q - 1.0).abs() < 1e-15);
        assert!(((partials[4] - (up - down)) / (up - down)).abs() < 1e-10);
    }

    #[test]
    fn directed_links_carry_one_way() {
        let up = Probability { p: 1.0, q: 0.0 };
        let g = Graph {
            nodes: vec!["a".into(), "b".into()],
            source: 0,
            target: 1,
            links: vec![(1, 0)],
            directed: true,
        };
        assert_eq!(evaluate(&table(&g), &[up]).0.p, 0.0);
        let g = Graph {
            directed: false,
            ..g
        };
        assert_eq!(evaluate(&table(&g), &[up]).0.p, 1.0);
    }
}
