//! Zero-suppressed decision diagrams (Minato 1993) of families of sets: the minimal cut sets
//! of a structure function, however many, as a shared graph.
//!
//! A node (v, lo, hi) is the family lo ∪ { {v} ∪ S : S ∈ hi }; EMPTY is the empty family,
//! BASE the family holding only the empty set. A node whose hi is EMPTY is never made (the
//! zero-suppression rule), so each family has one form. The minimal cut sets of a decision
//! diagram node testing v are MCS(hi) ∪ v·(MCS(lo) \ MCS(hi)) (Rauzy 1993, with set
//! difference in place of subsumption: in a monotone function a minimal cut of lo that
//! contains a cut of hi is that cut), so only `difference` and `node` are needed. A family
//! of a million cut sets of a 60-link network takes a few hundred thousand nodes.

use super::bdd::TooLarge;
use rustc_hash::FxHashMap;

pub type Family = u32;
/// No set.
pub const EMPTY: Family = 0;
/// Only the empty set.
pub const BASE: Family = 1;

const TERMINAL: u32 = u32::MAX;

#[derive(Debug, Clone)]
pub struct Zdd {
    var: Vec<u32>,
    lo: Vec<Family>,
    hi: Vec<Family>,
    unique: FxHashMap<(u32, Family, Family), Family>,
    difference_memo: FxHashMap<(Family, Family), Family>,
    max_nodes: usize,
}

impl Zdd {
    pub fn new(max_nodes: usize) -> Zdd {
        Zdd {
            var: vec![TERMINAL, TERMINAL],
            lo: vec![EMPTY, BASE],
            hi: vec![EMPTY, BASE],
            unique: FxHashMap::default(),
            difference_memo: FxHashMap::default(),
            max_nodes,
        }
    }

    /// lo ∪ {v} × hi; v must come before every variable of lo and hi.
    pub fn node(&mut self, v: u32, lo: Family, hi: Family) -> Result<Family, TooLarge> {
        if hi == EMPTY {
            return Ok(lo);
        }
        if let Some(&f) = self.unique.get(&(v, lo, hi)) {
            return Ok(f);
        }
        if self.var.len() >= self.max_nodes {
            return Err(TooLarge {
                nodes: self.var.len(),
            });
        }
        let f = self.var.len() as Family;
        self.var.push(v);
        self.lo.push(lo);
        self.hi.push(hi);
        self.unique.insert((v, lo, hi), f);
        Ok(f)
    }

    /// Whether the family holds the empty set (follow lo to a terminal).
    fn has_empty_set(&self, mut f: Family) -> bool {
        while f > BASE {
            f = self.lo[f as usize];
        }
        f == BASE
    }

    /// The sets of `f` that are not in `g`.
    pub fn difference(&mut self, f: Family, g: Family) -> Result<Family, TooLarge> {
        if f == EMPTY || f == g {
            return Ok(EMPTY);
        }
        if g == EMPTY {
            return Ok(f);
        }
        if f == BASE {
            return Ok(if self.has_empty_set(g) { EMPTY } else { BASE });
        }
        if let Some(&r) = self.difference_memo.get(&(f, g)) {
            return Ok(r);
        }
        let (vf, vg) = (self.var[f as usize], self.var[g as usize]);
        let r = if vf < vg {
            // g has no set with vf.
            let lo = self.difference(self.lo[f as usize], g)?;
            self.node(vf, lo, self.hi[f as usize])?
        } else if vg < vf {
            // f has no set with vg: only g's sets without it can match.
            self.difference(f, self.lo[g as usize])?
        } else {
            let lo = self.difference(self.lo[f as usize], self.lo[g as usize])?;
            let hi = self.difference(self.hi[f as usize], self.hi[g as usize])?;
            self.node(vf, lo, hi)?
        };
        self.difference_memo.insert((f, g), r);
        Ok(r)
    }

    /// Number of sets in each family up to `root` (saturating).
    pub fn counts(&self, root: Family) -> Vec<u64> {
        let mut c = vec![0u64; root as usize + 1];
        if root >= BASE {
            c[BASE as usize] = 1;
        }
        for i in 2..=root as usize {
            c[i] = c[self.lo[i] as usize].saturating_add(c[self.hi[i] as usize]);
        }
        c
    }

    /// Every set of the family, each sorted by variable.
    pub fn sets(&self, root: Family) -> Vec<Vec<u32>> {
        let mut out = Vec::new();
        let mut path = Vec::new();
        self.collect(root, &mut path, &mut out);
        out
    }

    fn collect(&self, f: Family, path: &mut Vec<u32>, out: &mut Vec<Vec<u32>>) {
        if f == EMPTY {
            return;
        }
        if f == BASE {
            out.push(path.clone());
            return;
        }
        let i = f as usize;
        self.collect(self.lo[i], path, out);
        path.push(self.var[i]);
        self.collect(self.hi[i], path, out);
        path.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn family(z: &mut Zdd, sets: &[&[u32]]) -> Family {
        // Build by union of singletons chains: sets given with increasing variables.
        let mut f = EMPTY;
        for s in sets {
            let mut g = BASE;
            for &v in s.iter().rev() {
                g = z.node(v, EMPTY, g).unwrap();
            }
            f = union(z, f, g);
        }
        f
    }

    fn union(z: &mut Zdd, f: Family, g: Family) -> Family {
        if f == EMPTY {
            return g;
        }
        if g == EMPTY || f == g {
            return f;
        }
        if f == BASE || g == BASE {
            let other = if f == BASE { g } else { f };
            if z.has_empty_set(other) {
                return other;
            }
            let (v, lo, hi) = (
                z.var[other as usize],
                z.lo[other as usize],
                z.hi[other as usize],
            );
            let lo = union(z, lo, BASE);
            return z.node(v, lo, hi).unwrap();
        }
        let (vf, vg) = (z.var[f as usize], z.var[g as usize]);
        let (v, f0, f1, g0, g1) = if vf == vg {
            (
                vf,
                z.lo[f as usize],
                z.hi[f as usize],
                z.lo[g as usize],
                z.hi[g as usize],
            )
        } else if vf < vg {
            (vf, z.lo[f as usize], z.hi[f as usize], g, EMPTY)
        } else {
            (vg, f, EMPTY, z.lo[g as usize], z.hi[g as usize])
        };
        let lo = union(z, f0, g0);
        let hi = union(z, f1, g1);
        z.node(v, lo, hi).unwrap()
    }

    #[test]
    fn difference_and_enumeration() {
        let mut z = Zdd::new(1000);
        let f = family(&mut z, &[&[0, 2], &[1], &[1, 3], &[], &[2, 3]]);
        let g = family(&mut z, &[&[1], &[2, 3], &[0, 1]]);
        let d = z.difference(f, g).unwrap();
        let mut got = z.sets(d);
        got.sort();
        assert_eq!(got, vec![vec![], vec![0, 2], vec![1, 3]]);
        assert_eq!(z.counts(d)[d as usize], 3);
        assert_eq!(z.counts(f)[f as usize], 5);
        // Minus a family holding the empty set: the empty set goes.
        let only_empty = z.difference(BASE, f).unwrap();
        assert_eq!(only_empty, EMPTY);
    }
}
