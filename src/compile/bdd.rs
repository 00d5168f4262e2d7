//! Reduced ordered binary decision diagrams (Bryant 1986) of monotone structure functions:
//! the exact engine for systems whose parts are not all independent (shared instances) and
//! for networks of any size.
//!
//! A node tests one variable (a part that is up with probability p); its `hi` child is the
//! function with the part up, `lo` with it down. Nodes are created children first, so index
//! order is a topological order: probabilities are one forward loop, importances one
//! backward loop, no recursion. Only AND, OR and at-least-k are needed (structure functions
//! are monotone), and every probability is a sum of positive terms: P(up) and P(down) of each
//! node are computed separately, so a system with U = 1e-18 reports 1e-18.

use crate::probability::Probability;
use rustc_hash::FxHashMap;

/// A node of a diagram.
pub type Ref = u32;
/// The constant functions.
pub const FALSE: Ref = 0;
pub const TRUE: Ref = 1;

/// The diagram grew past its node budget.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TooLarge {
    pub nodes: usize,
}

/// A shared store of diagram nodes over variables 0, 1, 2, ... in that order.
#[derive(Debug, Clone)]
pub struct Bdd {
    var: Vec<u32>,
    lo: Vec<Ref>,
    hi: Vec<Ref>,
    unique: FxHashMap<(u32, Ref, Ref), Ref>,
    and_memo: FxHashMap<(Ref, Ref), Ref>,
    or_memo: FxHashMap<(Ref, Ref), Ref>,
    max_nodes: usize,
}

/// The variable of the terminals: after every real one.
const TERMINAL: u32 = u32::MAX;

impl Bdd {
    pub fn new(max_nodes: usize) -> Bdd {
        Bdd {
            var: vec![TERMINAL, TERMINAL],
            lo: vec![FALSE, TRUE],
            hi: vec![FALSE, TRUE],
            unique: FxHashMap::default(),
            and_memo: FxHashMap::default(),
            or_memo: FxHashMap::default(),
            max_nodes,
        }
    }

    pub fn max_nodes(&self) -> usize {
        self.max_nodes
    }

    /// Nodes made so far, the two terminals included.
    pub fn node_count(&self) -> usize {
        self.var.len()
    }

    pub fn var_of(&self, r: Ref) -> Option<u32> {
        let v = self.var[r as usize];
        (v != TERMINAL).then_some(v)
    }

    pub fn children(&self, r: Ref) -> (Ref, Ref) {
        (self.lo[r as usize], self.hi[r as usize])
    }

    /// The node testing `v` with these children (reduced: equal children give the child).
    pub fn node(&mut self, v: u32, lo: Ref, hi: Ref) -> Result<Ref, TooLarge> {
        if lo == hi {
            return Ok(lo);
        }
        if let Some(&r) = self.unique.get(&(v, lo, hi)) {
            return Ok(r);
        }
        if self.var.len() >= self.max_nodes {
            // The budget, as the messages say "grew past N nodes" (the count would include
            // the two terminals: `--max-bdd-nodes 1` once said "past 2").
            return Err(TooLarge {
                nodes: self.max_nodes,
            });
        }
        let r = self.var.len() as Ref;
        self.var.push(v);
        self.lo.push(lo);
        self.hi.push(hi);
        self.unique.insert((v, lo, hi), r);
        Ok(r)
    }

    /// The function "variable `v` is up".
    /// The variable, if `r` is the function of one variable (up when it is up).
    pub fn single_variable(&self, r: Ref) -> Option<u32> {
        let i = r as usize;
        (r > TRUE && self.lo[i] == FALSE && self.hi[i] == TRUE).then(|| self.var[i])
    }

    pub fn variable(&mut self, v: u32) -> Result<Ref, TooLarge> {
        self.node(v, FALSE, TRUE)
    }

    pub fn and(&mut self, a: Ref, b: Ref) -> Result<Ref, TooLarge> {
        self.apply(a, b, true)
    }

    pub fn or(&mut self, a: Ref, b: Ref) -> Result<Ref, TooLarge> {
        self.apply(a, b, false)
    }

    fn apply(&mut self, a: Ref, b: Ref, and: bool) -> Result<Ref, TooLarge> {
        // Terminal cases.
        if and {
            if a == FALSE || b == FALSE {
                return Ok(FALSE);
            }
            if a == TRUE {
                return Ok(b);
            }
            if b == TRUE || a == b {
                return Ok(a);
            }
        } else {
            if a == TRUE || b == TRUE {
                return Ok(TRUE);
            }
            if a == FALSE {
                return Ok(b);
            }
            if b == FALSE || a == b {
                return Ok(a);
            }
        }
        let key = (a.min(b), a.max(b));
        let memo = if and { &self.and_memo } else { &self.or_memo };
        if let Some(&r) = memo.get(&key) {
            return Ok(r);
        }
        let (va, vb) = (self.var[a as usize], self.var[b as usize]);
        let v = va.min(vb);
        let (alo, ahi) = if va == v { self.children(a) } else { (a, a) };
        let (blo, bhi) = if vb == v { self.children(b) } else { (b, b) };
        let lo = self.apply(alo, blo, and)?;
        let hi = self.apply(ahi, bhi, and)?;
        let r = self.node(v, lo, hi)?;
        if and {
            self.and_memo.insert(key, r);
        } else {
            self.or_memo.insert(key, r);
        }
        Ok(r)
    }

    /// At least `k` of the functions true: the threshold recursion
    /// T(i, j) = (f_i AND T(i+1, j-1)) OR T(i+1, j), from the last function back, keeping
    /// one row of at most k + 1 functions.
    pub fn at_least(&mut self, k: usize, fs: &[Ref]) -> Result<Ref, TooLarge> {
        let n = fs.len();
        if k == 0 {
            return Ok(TRUE);
        }
        if k > n {
            return Ok(FALSE);
        }
        // row[j] = at least j of fs[i..] (j = 0..=k).
        let mut row = vec![FALSE; k + 1];
        row[0] = TRUE;
        for (i, &f) in fs.iter().enumerate().rev() {
            let remaining = n - i;
            for j in (1..=k.min(remaining)).rev() {
                let with = self.and(f, row[j - 1])?;
                row[j] = self.or(with, row[j])?;
            }
        }
        Ok(row[k])
    }

    /// P(up) and P(down) of every node, given each variable's (p, q).
    pub fn probabilities(&self, vars: &[Probability]) -> Vec<Probability> {
        let mut out = Vec::with_capacity(self.node_count());
        out.push(Probability::ZERO);
        out.push(Probability::ONE);
        for i in 2..self.node_count() {
            let x = vars[self.var[i] as usize];
            let (lo, hi) = (out[self.lo[i] as usize], out[self.hi[i] as usize]);
            out.push(Probability {
                p: x.q * lo.p + x.p * hi.p,
                q: x.q * lo.q + x.p * hi.q,
            });
        }
        out
    }

    /// dP(root up)/dp_v for every variable: the probability that `v` is critical. A backward
    /// pass spreads the probability of reaching each node; at a node testing v the difference
    /// of its children (hi >= lo: the function is monotone) is taken on whichever side, up or
    /// down, has the smaller numbers, so that little is lost to cancellation.
    pub fn criticality(&self, root: Ref, vars: &[Probability], node: &[Probability]) -> Vec<f64> {
        self.criticality_from(&[(root, 1.0)], vars, node)
    }

    /// As [`Bdd::criticality`], with the walk starting at several nodes, each reached with
    /// the probability beside it (the nodes below the variables a caller conditions on,
    /// with the probability of each condition).
    pub fn criticality_from(
        &self,
        start: &[(Ref, f64)],
        vars: &[Probability],
        node: &[Probability],
    ) -> Vec<f64> {
        let mut out = vec![0.0; vars.len()];
        let top = start.iter().map(|&(r, _)| r).max().unwrap_or(0);
        if top < 2 {
            return out;
        }
        let mut reach = vec![0.0f64; top as usize + 1];
        for &(r, p) in start {
            reach[r as usize] += p;
        }
        for i in (2..=top as usize).rev() {
            let r = reach[i];
            if r == 0.0 {
                continue;
            }
            let v = self.var[i] as usize;
            let (lo, hi) = (self.lo[i] as usize, self.hi[i] as usize);
            reach[lo] += r * vars[v].q;
            reach[hi] += r * vars[v].p;
            let (l, h) = (node[lo], node[hi]);
            let d = if h.p <= l.q { h.p - l.p } else { l.q - h.q };
            out[v] += r * d.max(0.0);
        }
        out
    }
}

/// Runs `f` on a thread with a large stack: the diagram operations recurse once per variable
/// on a path, and a system can have tens of thousands of variables.
pub fn with_big_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(1 << 30)
            .spawn_scoped(s, f)
            .expect("a thread can be started")
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(a: f64) -> Probability {
        Probability { p: a, q: 1.0 - a }
    }

    /// (x0 AND x1) OR x2 and 2-of-3, against enumeration of the 8 states.
    #[test]
    fn probabilities_and_criticality_match_enumeration() {
        let vars = [p(0.9), p(0.8), p(0.6)];
        let mut b = Bdd::new(1000);
        let x: Vec<Ref> = (0..3).map(|v| b.variable(v).unwrap()).collect();
        let and = b.and(x[0], x[1]).unwrap();
        let f = b.or(and, x[2]).unwrap();
        let g = b.at_least(2, &x).unwrap();
        let probs = b.probabilities(&vars);
        let structure = |s: u32, which: bool| {
            let up = |i: u32| s >> i & 1 == 1;
            if which {
                (up(0) && up(1)) || up(2)
            } else {
                [0, 1, 2].iter().filter(|&&i| up(i)).count() >= 2
            }
        };
        for (root, which) in [(f, true), (g, false)] {
            let (mut a, mut u) = (0.0, 0.0);
            let mut crit = [0.0; 3];
            for s in 0..8u32 {
                let pr: f64 = (0..3)
                    .map(|i| {
                        if s >> i & 1 == 1 {
                            vars[i].p
                        } else {
                            vars[i].q
                        }
                    })
                    .product();
                if structure(s, which) {
                    a += pr
                } else {
                    u += pr
                }
                for i in 0..3 {
                    if s >> i & 1 == 1 && !structure(s & !(1 << i), which) && structure(s, which) {
                        crit[i] += pr / vars[i].p;
                    }
                }
            }
            let got = probs[root as usize];
            assert!((got.p - a).abs() < 1e-15 && (got.q - u).abs() < 1e-15);
            let c = b.criticality(root, &vars, &probs);
            for i in 0..3 {
                assert!(
                    (c[i] - crit[i]).abs() < 1e-15,
                    "{i}: {} vs {}",
                    c[i],
                    crit[i]
                );
            }
        }
    }

    #[test]
    fn node_budget_is_an_error() {
        let mut b = Bdd::new(10);
        let x: Vec<Ref> = (0..20)
            .map(|v| b.variable(v))
            .take_while(Result::is_ok)
            .map(Result::unwrap)
            .collect();
        assert!(x.len() < 20);
    }
}
