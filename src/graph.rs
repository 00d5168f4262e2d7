//! Reachability over a directed graph given as adjacency lists: the one search behind "every
//! state of a Markov block is reached from the first, and leads back to it" (validation) and
//! "every state a data set reaches leads on to a loss" (durability).

/// Adjacency lists of `n` nodes, forwards and backwards, for the edges `(from, to)`: each
/// search is then linear in the edges.
pub fn adjacency(
    n: usize,
    edges: impl IntoIterator<Item = (usize, usize)>,
) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let mut next = vec![Vec::new(); n];
    let mut previous = vec![Vec::new(); n];
    for (a, b) in edges {
        next[a].push(b);
        previous[b].push(a);
    }
    (next, previous)
}

/// The nodes reached from any of `start` along the edges of `adjacent` (the starts included).
pub fn reachable(adjacent: &[Vec<usize>], start: &[usize]) -> Vec<bool> {
    let mut seen = vec![false; adjacent.len()];
    let mut todo = start.to_vec();
    for &s in start {
        seen[s] = true;
    }
    while let Some(i) = todo.pop() {
        for &j in &adjacent[i] {
            if !std::mem::replace(&mut seen[j], true) {
                todo.push(j);
            }
        }
    }
    seen
}
