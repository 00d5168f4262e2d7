//! A layered layout of a network block's graph for the diagrams: the source in the first
//! column, the target in the last, every other node in a column by where it lies between
//! them, and the nodes of each column ordered to keep links short (barycentre sweeps, as in
//! Sugiyama-style layered drawing).

use crate::model::Graph;
use std::collections::VecDeque;

/// Column and row of each node of the graph.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub column: Vec<usize>,
    pub row: Vec<usize>,
    pub columns: usize,
    /// Most nodes in one column.
    pub rows: usize,
}

/// Breadth-first distances from `start`, ignoring link direction (layout only).
fn distances(g: &Graph, start: usize) -> Vec<usize> {
    let n = g.nodes.len();
    let mut adj = vec![Vec::new(); n];
    for &(a, b) in &g.links {
        adj[a as usize].push(b as usize);
        adj[b as usize].push(a as usize);
    }
    let mut d = vec![usize::MAX; n];
    d[start] = 0;
    let mut q = VecDeque::from([start]);
    while let Some(i) = q.pop_front() {
        for &j in &adj[i] {
            if d[j] == usize::MAX {
                d[j] = d[i] + 1;
                q.push_back(j);
            }
        }
    }
    d
}

pub fn layout(g: &Graph) -> Layout {
    let n = g.nodes.len();
    let (s, t) = (g.source as usize, g.target as usize);
    let from_s = distances(g, s);
    let from_t = distances(g, t);
    // d_s - d_t runs from -D at the source to +D at the target (D their distance); nodes on
    // a shortest path step through it evenly, detours sit between. Unreachable nodes (which
    // validation reports) go in the middle.
    let key = |i: usize| -> i64 {
        if from_s[i] == usize::MAX || from_t[i] == usize::MAX {
            0
        } else {
            from_s[i] as i64 - from_t[i] as i64
        }
    };
    let mut keys: Vec<i64> = (0..n).filter(|&i| i != s && i != t).map(key).collect();
    keys.sort_unstable();
    keys.dedup();
    let columns = keys.len() + 2;
    let column: Vec<usize> = (0..n)
        .map(|i| {
            if i == s {
                0
            } else if i == t {
                columns - 1
            } else {
                1 + keys.binary_search(&key(i)).unwrap_or(0)
            }
        })
        .collect();
    // Initial order in each column: by first appearance (node numbering).
    let mut by_column: Vec<Vec<usize>> = vec![Vec::new(); columns];
    for i in 0..n {
        by_column[column[i]].push(i);
    }
    let mut neighbours = vec![Vec::new(); n];
    for &(a, b) in &g.links {
        neighbours[a as usize].push(b as usize);
        neighbours[b as usize].push(a as usize);
    }
    let mut position = vec![0.0f64; n];
    let place = |by_column: &Vec<Vec<usize>>, position: &mut Vec<f64>| {
        for col in by_column {
            // Centred: a column of 2 sits around the middle of a column of 6.
            let offset = -(col.len() as f64 - 1.0) / 2.0;
            for (r, &i) in col.iter().enumerate() {
                position[i] = offset + r as f64;
            }
        }
    };
    place(&by_column, &mut position);
    // Sweeps right then left: each column sorted by the mean position of its neighbours in
    // the column it is compared with (ties keep their order).
    for sweep in 0..8 {
        let forward = sweep % 2 == 0;
        let order: Vec<usize> = if forward {
            (1..columns).collect()
        } else {
            (0..columns.saturating_sub(1)).rev().collect()
        };
        for c in order {
            let reference = if forward { c - 1 } else { c + 1 };
            let mut keyed: Vec<(f64, usize)> = by_column[c]
                .iter()
                .map(|&i| {
                    let near: Vec<f64> = neighbours[i]
                        .iter()
                        .filter(|&&j| column[j] == reference)
                        .map(|&j| position[j])
                        .collect();
                    let b = if near.is_empty() {
                        position[i]
                    } else {
                        near.iter().sum::<f64>() / near.len() as f64
                    };
                    (b, i)
                })
                .collect();
            keyed.sort_by(|x, y| x.0.total_cmp(&y.0));
            by_column[c] = keyed.into_iter().map(|(_, i)| i).collect();
            let offset = -(by_column[c].len() as f64 - 1.0) / 2.0;
            for (r, &i) in by_column[c].iter().enumerate() {
                position[i] = offset + r as f64;
            }
        }
    }
    let rows = by_column.iter().map(Vec::len).max().unwrap_or(1);
    let mut row = vec![0usize; n];
    for col in &by_column {
        // Rows counted from the top of the tallest column, the column centred in it.
        let top = (rows - col.len()) / 2;
        for (r, &i) in col.iter().enumerate() {
            row[i] = top + r;
        }
    }
    Layout {
        column,
        row,
        columns,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(nodes: usize, links: &[(u32, u32)], target: u32) -> Graph {
        Graph {
            nodes: (0..nodes).map(|i| format!("n{i}")).collect(),
            source: 0,
            target,
            links: links.to_vec(),
            directed: false,
        }
    }

    /// The bridge: s, then a and b in one column, then t; no two nodes share a place.
    #[test]
    fn bridge() {
        let g = graph(4, &[(0, 1), (0, 2), (1, 2), (1, 3), (2, 3)], 3);
        let l = layout(&g);
        assert_eq!(l.column, vec![0, 1, 1, 2]);
        assert_eq!(l.columns, 3);
        assert_eq!(l.rows, 2);
        assert_ne!(l.row[1], l.row[2]);
    }

    /// A grid: the source first, the target last, every place used once.
    #[test]
    fn grid_places_are_distinct() {
        let side = 5u32;
        let id = |r: u32, c: u32| r * side + c;
        let mut links = Vec::new();
        for r in 0..side {
            for c in 0..side {
                if c + 1 < side {
                    links.push((id(r, c), id(r, c + 1)));
                }
                if r + 1 < side {
                    links.push((id(r, c), id(r + 1, c)));
                }
            }
        }
        let g = graph(25, &links, id(side - 1, side - 1));
        let l = layout(&g);
        assert_eq!(l.column[0], 0);
        assert_eq!(l.column[24], l.columns - 1);
        let mut places: Vec<(usize, usize)> = (0..25).map(|i| (l.column[i], l.row[i])).collect();
        places.sort_unstable();
        places.dedup();
        assert_eq!(places.len(), 25);
        assert!((0..25).all(|i| l.row[i] < l.rows && l.column[i] < l.columns));
    }
}
