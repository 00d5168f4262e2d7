//! Two-terminal reliability graphs (`network` blocks): up when an all-up path of links joins
//! the two terminals. Exact on the network's decision diagram (built once at compile time by
//! frontier search, [`crate::compile::network`]): A and U are separate sums of positive
//! terms, and each link's partial dA/dA_link is the probability that it is critical.

use crate::compile::network::NetworkBdd;
use crate::probability::Probability;

fn link_vars(d: &NetworkBdd, links: &[Probability]) -> Vec<Probability> {
    d.link_of_var.iter().map(|&l| links[l]).collect()
}

/// A and U of the network from its diagram and its links' (A, U).
pub fn availability(d: &NetworkBdd, links: &[Probability]) -> Probability {
    d.bdd.probabilities(&link_vars(d, links))[d.root as usize]
}

/// A and U of the network and each link's partial dA/dA_link.
pub fn evaluate(d: &NetworkBdd, links: &[Probability]) -> (Probability, Vec<f64>) {
    let vars = link_vars(d, links);
    let probs = d.bdd.probabilities(&vars);
    let crit = d.bdd.criticality(d.root, &vars, &probs);
    let mut partials = vec![0.0; links.len()];
    for (v, &l) in d.link_of_var.iter().enumerate() {
        partials[l] = crit[v];
    }
    (probs[d.root as usize], partials)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::network::build;
    use crate::model::Graph;

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
        let (v, partials) = evaluate(&build(&g, 1000).unwrap(), &l);
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
        assert_eq!(evaluate(&build(&g, 100).unwrap(), &[up]).0.p, 0.0);
        let g = Graph {
            directed: false,
            ..g
        };
        assert_eq!(evaluate(&build(&g, 100).unwrap(), &[up]).0.p, 1.0);
    }
}
