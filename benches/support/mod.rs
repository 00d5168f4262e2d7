//! Synthetic models for benchmarks, generated deterministically (a fixed LCG).

#[allow(dead_code)]
pub mod chains;

use std::fmt::Write;

struct Lcg(u64);

impl Lcg {
    fn next(&mut self, lo: u64, hi: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        lo + (self.0 >> 33) % (hi - lo)
    }

    /// A component line with an mtbf of 500-50,000 h and an mttr of 5-600 min.
    fn component(&mut self, s: &mut String, name: &str) {
        let (mtbf, mttr) = (self.next(500, 50_000), self.next(5, 600));
        writeln!(s, "  {name}: {{ mtbf: {mtbf}h, mttr: {mttr}m }}").unwrap();
    }
}

/// A model of `cells` x 1000 distinct components in nested series, parallel and k-of-n blocks:
/// the system needs all but 5% of its cells; a cell is a series of 50 units of 20 components,
/// each unit mixing 3-of-5, parallel, 4-of-5 and a parallel of two series.
#[allow(dead_code)]
pub fn fleet(cells: usize) -> String {
    fleet_with_shared(cells, false)
}

/// The same fleet with 10 shared instances per cell (1,000 for 100 cells), each used in two
/// neighbouring cells: in series at the head of cell c and of cell c + 1 (a rack switch both
/// cells hang off). The cells are then no longer independent, and the
/// system is solved on the decision diagram of the shared instances.
#[allow(dead_code)]
pub fn fleet_with_shared(cells: usize, shared: bool) -> String {
    let mut r = Lcg(42);
    let mut s = String::with_capacity(cells * 1000 * 48);
    s.push_str("name: fleet\nhorizon: 1y\ncomponents:\n");
    for c in 0..cells {
        for i in 0..1000 {
            r.component(&mut s, &format!("c{c}_{i}"));
        }
    }
    if shared {
        for j in 0..cells * 10 {
            writeln!(
                s,
                "  s{j}: {{ mtbf: {}h, mttr: {}m, shared: true }}",
                r.next(5_000, 50_000),
                r.next(5, 120)
            )
            .unwrap();
        }
    }
    s.push_str("blocks:\n");
    for c in 0..cells {
        writeln!(s, "  cell{c}:\n    series:").unwrap();
        if shared {
            let before = (c + cells - 1) % cells;
            for u in 0..10 {
                writeln!(s, "      - s{}\n      - s{}", c * 10 + u, before * 10 + u).unwrap();
            }
        }
        for u in 0..50 {
            let id = |j: usize| format!("c{c}_{}", u * 20 + j);
            let list = |range: std::ops::Range<usize>| range.map(id).collect::<Vec<_>>().join(", ");
            writeln!(
                s,
                "      - series:\n          - k_of_n: {{ k: 3, of: [{}] }}\n          - parallel: [{}]\n          - k_of_n: {{ k: 4, of: [{}] }}\n          - parallel: [{{ series: [{}] }}, {{ series: [{}] }}]",
                list(0..5),
                list(5..10),
                list(10..15),
                list(15..17),
                list(17..20)
            )
            .unwrap();
        }
    }
    let k = cells - cells / 20;
    writeln!(s, "system:\n  k_of_n:\n    k: {k}\n    of:").unwrap();
    for c in 0..cells {
        writeln!(s, "      - cell{c}").unwrap();
    }
    s
}

/// A random connected network of `links` links on about 2/5 as many nodes (average degree
/// 5): a path through every node in random order, then random distinct links. Every link is
/// an independent copy of `l` (mtbf 1y, mttr 1d). Nodes are `n0`.., from `n0` to the last.
#[allow(dead_code)]
pub fn random_network(links: usize, seed: u64) -> String {
    let mut r = Lcg(seed);
    let n = (links * 2 / 5).max(4);
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        order.swap(i, r.next(0, i as u64 + 1) as usize);
    }
    let mut set = std::collections::BTreeSet::new();
    for w in order.windows(2) {
        set.insert((w[0].min(w[1]), w[0].max(w[1])));
    }
    while set.len() < links {
        let a = r.next(0, n as u64) as usize;
        let b = r.next(0, n as u64) as usize;
        if a != b {
            set.insert((a.min(b), a.max(b)));
        }
    }
    let mut s = format!(
        "name: net-{links}\ncomponents:\n  l: {{ mtbf: 1y, mttr: 1d }}\nsystem:\n  network:\n    from: n0\n    to: n{}\n    links:\n",
        n - 1
    );
    for (a, b) in set {
        writeln!(s, "      - {{ from: n{a}, to: n{b}, via: l }}").unwrap();
    }
    s
}

/// A side x side grid, links between horizontal and vertical neighbours, from one corner to
/// the opposite one; links as in [`random_network`]. Nodes are `gR_C`.
#[allow(dead_code)]
pub fn grid_network(side: usize) -> String {
    let mut s = format!(
        "name: grid-{side}x{side}\ncomponents:\n  l: {{ mtbf: 1y, mttr: 1d }}\nsystem:\n  network:\n    from: g0_0\n    to: g{0}_{0}\n    links:\n",
        side - 1
    );
    for r in 0..side {
        for c in 0..side {
            if c + 1 < side {
                writeln!(
                    s,
                    "      - {{ from: g{r}_{c}, to: g{r}_{}, via: l }}",
                    c + 1
                )
                .unwrap();
            }
            if r + 1 < side {
                writeln!(
                    s,
                    "      - {{ from: g{r}_{c}, to: g{}_{c}, via: l }}",
                    r + 1
                )
                .unwrap();
            }
        }
    }
    s
}

/// 100,000 distinct components in 10,000 named blocks of 10 (a 3-of-5 beside a parallel of
/// five), gathered into 100 named cells of 100 blocks in series; the system needs all but 5%
/// of the cells. The shape the performance issue measures: many named blocks, each with its
/// own row of figures.
#[allow(dead_code)]
pub fn fleet_named() -> String {
    let mut r = Lcg(7);
    let (cells, per_cell) = (100, 100);
    let mut s = String::with_capacity(cells * per_cell * 10 * 48);
    s.push_str("name: fleet-named\nhorizon: 1y\ncomponents:\n");
    for b in 0..cells * per_cell {
        for i in 0..10 {
            r.component(&mut s, &format!("c{b}_{i}"));
        }
    }
    s.push_str("blocks:\n");
    for b in 0..cells * per_cell {
        let id = |j: usize| format!("c{b}_{j}");
        let list = |range: std::ops::Range<usize>| range.map(id).collect::<Vec<_>>().join(", ");
        writeln!(
            s,
            "  b{b}:\n    series:\n      - k_of_n: {{ k: 3, of: [{}] }}\n      - parallel: [{}]",
            list(0..5),
            list(5..10)
        )
        .unwrap();
    }
    for c in 0..cells {
        let list = (0..per_cell)
            .map(|j| format!("b{}", c * per_cell + j))
            .collect::<Vec<_>>()
            .join(", ");
        writeln!(s, "  cell{c}: {{ series: [{list}] }}").unwrap();
    }
    let k = cells - cells / 20;
    writeln!(s, "system:\n  k_of_n:\n    k: {k}\n    of:").unwrap();
    for c in 0..cells {
        writeln!(s, "      - cell{c}").unwrap();
    }
    s
}
