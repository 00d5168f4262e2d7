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
}

/// A model of `cells` x 1000 distinct components in nested series, parallel and k-of-n blocks:
/// the system needs all but 5% of its cells; a cell is a series of 50 units of 20 components,
/// each unit mixing 3-of-5, parallel, 4-of-5 and a parallel of two series.
#[allow(dead_code)]
pub fn fleet(cells: usize) -> String {
    let mut r = Lcg(42);
    let mut s = String::with_capacity(cells * 1000 * 48);
    s.push_str("name: fleet\nhorizon: 1y\ncomponents:\n");
    for c in 0..cells {
        for i in 0..1000 {
            writeln!(
                s,
                "  c{c}_{i}: {{ mtbf: {}h, mttr: {}m }}",
                r.next(500, 50_000),
                r.next(5, 600)
            )
            .unwrap();
        }
    }
    s.push_str("blocks:\n");
    for c in 0..cells {
        writeln!(s, "  cell{c}:\n    series:").unwrap();
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
