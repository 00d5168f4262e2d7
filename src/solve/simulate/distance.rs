//! The minimum cut of a network whose links have integer weights (each link's distance to
//! failure), by augmenting paths (Edmonds-Karp): the failure biasing's measure of how far
//! a network is from losing its terminals' connection.

use crate::model::Graph;
use std::collections::VecDeque;

/// The least total weight of links whose removal separates the terminals.
pub fn min_cut(graph: &Graph, weight: &[u32]) -> u32 {
    let n = graph.nodes.len();
    // Residual capacities on arcs: arc 2i is link i forwards, 2i + 1 backwards.
    let mut cap: Vec<u64> = Vec::with_capacity(2 * graph.links.len());
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, &(a, b)) in graph.links.iter().enumerate() {
        let w = u64::from(weight[i]);
        cap.push(w);
        cap.push(if graph.directed { 0 } else { w });
        out[a as usize].push(2 * i);
        out[b as usize].push(2 * i + 1);
    }
    let head = |arc: usize| {
        let (a, b) = graph.links[arc / 2];
        if arc.is_multiple_of(2) {
            b as usize
        } else {
            a as usize
        }
    };
    let (s, t) = (graph.source as usize, graph.target as usize);
    let mut flow = 0u64;
    loop {
        let mut via = vec![usize::MAX; n];
        let mut seen = vec![false; n];
        seen[s] = true;
        let mut todo = VecDeque::from([s]);
        while let Some(x) = todo.pop_front() {
            if x == t {
                break;
            }
            for &arc in &out[x] {
                let y = head(arc);
                if cap[arc] > 0 && !seen[y] {
                    seen[y] = true;
                    via[y] = arc;
                    todo.push_back(y);
                }
            }
        }
        if !seen[t] {
            return u32::try_from(flow).unwrap_or(u32::MAX);
        }
        // The bottleneck along the path, then push it.
        let mut push = u64::MAX;
        let mut y = t;
        while y != s {
            push = push.min(cap[via[y]]);
            y = head(via[y] ^ 1);
        }
        let mut y = t;
        while y != s {
            cap[via[y]] -= push;
            cap[via[y] ^ 1] += push;
            y = head(via[y] ^ 1);
        }
        flow += push;
        if flow >= u64::from(u32::MAX) {
            return u32::MAX;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(links: &[(u32, u32)], directed: bool) -> Graph {
        let n = links.iter().map(|&(a, b)| a.max(b)).max().unwrap() as usize + 1;
        Graph {
            nodes: (0..n).map(|i| i.to_string()).collect(),
            source: 0,
            target: 1,
            links: links.to_vec(),
            directed,
        }
    }

    #[test]
    fn cuts_of_small_networks() {
        // A bridge: 0-2, 0-3, 2-3, 2-1, 3-1: two links cut it.
        let g = graph(&[(0, 2), (0, 3), (2, 3), (2, 1), (3, 1)], false);
        assert_eq!(min_cut(&g, &[1; 5]), 2);
        // Weights: the cheaper side.
        assert_eq!(min_cut(&g, &[1, 1, 5, 3, 3]), 2);
        assert_eq!(min_cut(&g, &[3, 3, 1, 1, 1]), 2);
        // A down link (weight 0) is already cut.
        assert_eq!(min_cut(&g, &[0, 1, 1, 1, 1]), 1);
        // Directed: 1 -> 0 links carry nothing from 0.
        let d = graph(&[(0, 1), (1, 0)], true);
        assert_eq!(min_cut(&d, &[1, 7]), 1);
    }
}
