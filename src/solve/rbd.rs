//! Exact availability of independent blocks, computed in unavailability space.
//!
//! Every function returns both A and U, each computed without subtracting nearly equal
//! numbers, so that a parallel system with U = 1e-18 reports 1e-18 (1 - A would give 0) and a
//! long series keeps its small A exactly. Each also returns the local partial derivatives
//! dA/dA_child that the solver needs for Birnbaum importance and failure frequency.

use crate::probability::Probability;

/// Products of all entries but one, for each position, without division (zeros are fine).
fn leave_one_out_products(x: impl Iterator<Item = f64> + Clone, n: usize) -> Vec<f64> {
    let mut out = vec![1.0; n];
    let mut acc = 1.0;
    for (i, v) in x.clone().enumerate() {
        out[i] = acc;
        acc *= v;
    }
    let v: Vec<f64> = x.collect();
    let mut acc = 1.0;
    for i in (0..n).rev() {
        out[i] *= acc;
        acc *= v[i];
    }
    out
}

/// All children up. Partials: dA/dA_i = product of the other A_j.
pub fn series(children: &[Probability]) -> (Probability, Vec<f64>) {
    let partials = leave_one_out_products(children.iter().map(|c| c.p), children.len());
    (series_of(children.iter().copied()), partials)
}

/// [`series`] without the partials (a re-evaluation over time or after a change).
pub fn series_value(children: &[Probability]) -> Probability {
    series_of(children.iter().copied())
}

fn series_of(children: impl Iterator<Item = Probability> + Clone) -> Probability {
    let a: f64 = children.clone().map(|c| c.p).product();
    let u = if a < 0.5 {
        1.0 - a
    } else {
        -children.map(|c| c.ln_p()).sum::<f64>().exp_m1()
    };
    Probability {
        p: a,
        q: u.clamp(0.0, 1.0),
    }
}

/// At least one child up. Partials: dA/dA_i = product of the other U_j.
pub fn parallel(children: &[Probability]) -> (Probability, Vec<f64>) {
    let flipped: Vec<Probability> = children.iter().map(|c| c.complement()).collect();
    let (v, partials) = series(&flipped);
    (v.complement(), partials)
}

/// [`parallel`] without the partials.
pub fn parallel_value(children: &[Probability]) -> Probability {
    series_of(children.iter().map(|c| c.complement())).complement()
}

/// At least `k` of the (different) children up.
///
/// A dynamic programme over the number of children up, capped at the threshold so that it
/// costs O(n * min(k, n - k + 1)) and only ever adds positive terms (no cancellation).
pub fn k_of_n(k: usize, children: &[Probability]) -> (Probability, Vec<f64>) {
    k_of_n_with(k, children, Partials::Wanted)
}

/// [`k_of_n`] without the partials: one forward pass, no leave-one-out distributions.
pub fn k_of_n_value(k: usize, children: &[Probability]) -> Probability {
    k_of_n_with(k, children, Partials::NotWanted).0
}

/// Whether a k-of-n computes its partials (empty when not).
#[derive(Clone, Copy, PartialEq)]
enum Partials {
    Wanted,
    NotWanted,
}

fn k_of_n_with(k: usize, children: &[Probability], want: Partials) -> (Probability, Vec<f64>) {
    let n = children.len();
    let zeros = || match want {
        Partials::Wanted => vec![0.0; n],
        Partials::NotWanted => Vec::new(),
    };
    if k == 0 {
        return (Probability::ONE, zeros());
    }
    if k > n {
        return (Probability { p: 0.0, q: 1.0 }, zeros());
    }
    if k == 1 {
        return match want {
            Partials::Wanted => parallel(children),
            Partials::NotWanted => (parallel_value(children), Vec::new()),
        };
    }
    if k == n {
        return match want {
            Partials::Wanted => series(children),
            Partials::NotWanted => (series_value(children), Vec::new()),
        };
    }
    // Count whichever side needs the smaller threshold: "up" with threshold k, or "down" with
    // threshold n - k + 1. The partial dA/dA_i is P(exactly threshold - 1 successes among the
    // others) in both cases.
    let (m, flip) = if k <= n - k + 1 {
        (k, false)
    } else {
        (n - k + 1, true)
    };
    let p: Vec<Probability> = children
        .iter()
        .map(|c| if flip { c.complement() } else { *c })
        .collect();
    let (ge, lt, partials) = match grouped(m, &p, want) {
        Some(x) => x,
        None => threshold(m, &p, want),
    };
    let v = if flip {
        Probability { p: lt, q: ge }
    } else {
        Probability { p: ge, q: lt }
    };
    (v, partials)
}

/// One step of the capped counting distribution: `dist[j]` is P(j successes) for j < m and
/// `dist[m]` is P(at least m).
fn add_item(dist: &mut [f64], x: Probability) {
    let m = dist.len() - 1;
    dist[m] += dist[m - 1] * x.p;
    for j in (1..m).rev() {
        dist[j] = dist[j] * x.q + dist[j - 1] * x.p;
    }
    dist[0] *= x.q;
}

fn start_dist(m: usize) -> Vec<f64> {
    let mut d = vec![0.0; m + 1];
    d[0] = 1.0;
    d
}

/// The distribution of the number of successes among the items added so far, capped at m:
/// P(j successes) for j < m in a window `lo..lo + v.len()` (every entry outside it is exactly
/// zero in double precision) and P(at least m) apart. Entries that underflow to zero drop out
/// of the window, so adding an item costs the width of the distribution's representable part,
/// not m: a k-of-n of 100,000 members stays linear in practice.
#[derive(Debug, Clone)]
struct Window {
    m: usize,
    lo: usize,
    v: Vec<f64>,
    top: f64,
}

impl Window {
    fn new(m: usize) -> Window {
        Window {
            m,
            lo: 0,
            v: vec![1.0],
            top: 0.0,
        }
    }

    /// P(exactly j successes), j < m.
    fn at(&self, j: usize) -> f64 {
        if j < self.lo {
            0.0
        } else {
            self.v.get(j - self.lo).copied().unwrap_or(0.0)
        }
    }

    fn add(&mut self, x: Probability) {
        if self.v.is_empty() {
            return;
        }
        self.v.push(0.0);
        for idx in (1..self.v.len()).rev() {
            self.v[idx] = self.v[idx] * x.q + self.v[idx - 1] * x.p;
        }
        self.v[0] *= x.q;
        // An entry reaching m moves into the "at least m" bucket.
        if self.lo + self.v.len() > self.m {
            self.top += self.v.pop().unwrap_or(0.0);
        }
        while self.v.last() == Some(&0.0) {
            self.v.pop();
        }
        let zeros = self.v.iter().take_while(|&&x| x == 0.0).count();
        if zeros > 0 && (zeros >= 32 || zeros == self.v.len()) {
            self.v.drain(..zeros);
            self.lo += zeros;
        }
    }

    /// P(fewer than m successes).
    fn below(&self) -> f64 {
        self.v.iter().sum()
    }
}

/// Most distinct member availabilities for the grouped method.
const MAX_GROUPS: usize = 64;

/// The count of successes among `n` identical items, as a window capped at m: binomial
/// terms from the mode outward by the ratio of neighbours (positive factors only), each
/// direction stopping where the terms vanish in double precision.
fn binomial_window(n: u64, x: Probability, m: usize) -> Window {
    if n == 0 {
        return Window::new(m);
    }
    if x.q == 0.0 || x.p == 0.0 {
        let j = if x.q == 0.0 { n as usize } else { 0 };
        return if j >= m {
            Window {
                m,
                lo: 0,
                v: Vec::new(),
                top: 1.0,
            }
        } else {
            Window {
                m,
                lo: j,
                v: vec![1.0],
                top: 0.0,
            }
        };
    }
    let (lp, lq) = (x.p.ln(), x.q.ln());
    let mode = (((n + 1) as f64 * x.p).floor() as u64).min(n);
    let first = (ln_choose(n, mode) + mode as f64 * lp + (n - mode) as f64 * lq).exp();
    // Terms above the mode, then below it.
    let mut up = vec![first];
    let (mut t, mut j) = (first, mode);
    while j < n {
        t *= (n - j) as f64 / (j + 1) as f64 * (x.p / x.q);
        if t == 0.0 {
            break;
        }
        up.push(t);
        j += 1;
    }
    let mut down = Vec::new();
    let (mut t, mut j) = (first, mode);
    while j > 0 {
        t *= j as f64 / (n - j + 1) as f64 * (x.q / x.p);
        if t == 0.0 {
            break;
        }
        down.push(t);
        j -= 1;
    }
    let lo = mode as usize - down.len();
    down.reverse();
    down.extend(up);
    // Split at m: below into the window, at or above into the top bucket.
    let cut = m.saturating_sub(lo).min(down.len());
    let top = down[cut..].iter().sum();
    down.truncate(cut);
    Window {
        m,
        lo,
        v: down,
        top,
    }
}

/// The distribution of the sum of two independent counts, capped at m. Positive sums only:
/// P(A + B >= m) = P(A >= m) + sum over i < m of P(A = i) P(B >= m - i).
fn convolve(a: &Window, b: &Window) -> Window {
    let m = a.m;
    // P(B >= t) for t in 0..=m: b's top plus its window entries at or above t.
    let mut tail = vec![b.top; m + 1];
    for t in (0..m).rev() {
        tail[t] = tail[t + 1] + b.at(t);
    }
    let mut top = a.top;
    let mut v = vec![0.0; m.saturating_sub(a.lo + b.lo)];
    for (ia, &pa) in a.v.iter().enumerate() {
        let i = a.lo + ia;
        if pa == 0.0 || i >= m {
            continue;
        }
        top += pa * tail[m - i];
        for (ib, &pb) in b.v.iter().enumerate() {
            let j = i + b.lo + ib;
            if j >= m {
                break;
            }
            v[j - a.lo - b.lo] += pa * pb;
        }
    }
    let mut w = Window {
        m,
        lo: a.lo + b.lo,
        v,
        top,
    };
    while w.v.last() == Some(&0.0) {
        w.v.pop();
    }
    let zeros = w.v.iter().take_while(|&&x| x == 0.0).count();
    w.v.drain(..zeros);
    w.lo += zeros;
    w
}

/// [`threshold`] for members that take few distinct values (a list that repeats a handful of
/// components, the usual large k-of-n): each group of equal members is one binomial count,
/// and the groups are convolved, so the cost depends on the groups' spread, not on n. None
/// when there are too many distinct values.
fn grouped(m: usize, items: &[Probability], want: Partials) -> Option<(f64, f64, Vec<f64>)> {
    let mut groups: Vec<(Probability, u64)> = Vec::new();
    let mut group_of = Vec::with_capacity(items.len());
    for x in items {
        let g = match groups.iter().position(|(y, _)| y == x) {
            Some(g) => g,
            None => {
                if groups.len() == MAX_GROUPS || groups.len() * 8 > items.len() {
                    return None;
                }
                groups.push((*x, 0));
                groups.len() - 1
            }
        };
        groups[g].1 += 1;
        group_of.push(g);
    }
    let windows: Vec<Window> = groups
        .iter()
        .map(|&(x, n)| binomial_window(n, x, m))
        .collect();
    // prefix[g]: groups before g; suffix[g]: groups from g on.
    let mut prefix = vec![Window::new(m)];
    for w in &windows {
        prefix.push(convolve(prefix.last()?, w));
    }
    if want == Partials::NotWanted {
        let all = &prefix[windows.len()];
        return Some((all.top, all.below(), Vec::new()));
    }
    let mut suffix = vec![Window::new(m)];
    for w in windows.iter().rev() {
        suffix.push(convolve(w, suffix.last()?));
    }
    suffix.reverse();
    let all = &prefix[windows.len()];
    let per_group: Vec<f64> = groups
        .iter()
        .enumerate()
        .map(|(g, &(x, n))| {
            let others = convolve(&prefix[g], &suffix[g + 1]);
            let one_less = convolve(&others, &binomial_window(n - 1, x, m));
            one_less.at(m - 1)
        })
        .collect();
    Some((
        all.top,
        all.below(),
        group_of.iter().map(|&g| per_group[g]).collect(),
    ))
}

/// For independent items with success probability `x.p` (failure `x.q`): P(at least m
/// successes), P(fewer than m), and for each item P(exactly m - 1 successes among the others).
///
/// The leave-one-out probabilities combine a prefix and a suffix distribution. Prefixes are
/// kept at every `stride`-th item only and recomputed within a stride on the way back, so
/// memory is O((n / stride + stride) * window) instead of O(n * m).
fn threshold(m: usize, items: &[Probability], want: Partials) -> (f64, f64, Vec<f64>) {
    let n = items.len();
    let stride = (n as f64).sqrt().ceil().max(1.0) as usize;
    let mut checkpoints = Vec::new();
    let mut dist = Window::new(m);
    for (i, &x) in items.iter().enumerate() {
        if want == Partials::Wanted && i % stride == 0 {
            checkpoints.push(dist.clone());
        }
        dist.add(x);
    }
    let (ge, lt) = (dist.top, dist.below());
    if want == Partials::NotWanted {
        return (ge, lt, Vec::new());
    }

    let mut partials = vec![0.0; n];
    let mut suffix = Window::new(m);
    let mut segment: Vec<Window> = Vec::with_capacity(stride);
    for (c, cp) in checkpoints.iter().enumerate().rev() {
        let lo = c * stride;
        let hi = (lo + stride).min(n);
        segment.clear();
        let mut d = cp.clone();
        for &x in &items[lo..hi] {
            segment.push(d.clone());
            d.add(x);
        }
        for i in (lo..hi).rev() {
            let prefix = &segment[i - lo];
            // Sum over j of P(prefix = j) P(suffix = m - 1 - j), over the prefix's window.
            partials[i] = (prefix.lo..prefix.lo + prefix.v.len())
                .take_while(|&j| j < m)
                .map(|j| prefix.at(j) * suffix.at(m - 1 - j))
                .sum();
            suffix.add(items[i]);
        }
    }
    (ge, lt, partials)
}

/// At least `k` of `n` independent identical copies up. The partial is dA/dA_child with every
/// copy moving together: n x P(exactly k - 1 of the other n - 1 up).
pub fn copies(k: u64, n: u64, child: Probability) -> (Probability, f64) {
    if k == 0 {
        return (Probability::ONE, 0.0);
    }
    if k > n {
        return (Probability { p: 0.0, q: 1.0 }, 0.0);
    }
    if k == 1 && n <= 64 {
        let (v, p) = parallel(&vec![child; n as usize]);
        return (v, p.iter().sum());
    }
    if k == n && n <= 64 {
        let (v, p) = series(&vec![child; n as usize]);
        return (v, p.iter().sum());
    }
    let (m, flip) = if k <= n - k + 1 {
        (k, false)
    } else {
        (n - k + 1, true)
    };
    let x = if flip { child.complement() } else { child };
    let (ge, lt, exactly) = if n.saturating_mul(m) <= 4_000_000 {
        // Exact counting over n - 1 copies, then one more.
        let mut dist = start_dist(m as usize);
        for _ in 1..n {
            add_item(&mut dist, x);
        }
        let exactly = dist[m as usize - 1];
        add_item(&mut dist, x);
        (
            dist[m as usize],
            dist[..m as usize].iter().sum::<f64>(),
            exactly,
        )
    } else {
        binomial_tails(n, m, x)
    };
    let v = if flip {
        Probability { p: lt, q: ge }
    } else {
        Probability { p: ge, q: lt }
    };
    (v, n as f64 * exactly)
}

/// Binomial(n, x.p) in log space for large n: P(>= m), P(< m) and P(exactly m - 1 of n - 1).
/// The tail on the far side of the mode is summed outward until its terms vanish; the other
/// is its complement, which is then at least about one half and so loses nothing.
fn binomial_tails(n: u64, m: u64, x: Probability) -> (f64, f64, f64) {
    if x.q == 0.0 {
        // Every copy succeeds.
        return (1.0, 0.0, if m == n { 1.0 } else { 0.0 });
    }
    if x.p == 0.0 {
        return (0.0, 1.0, if m == 1 { 1.0 } else { 0.0 });
    }
    let (lp, lq) = (x.p.ln(), x.q.ln());
    let ln_term = |nn: u64, j: u64| ln_choose(nn, j) + j as f64 * lp + (nn - j) as f64 * lq;
    let mode = ((n + 1) as f64 * x.p).floor() as u64;
    let sum_from = |start: u64, down: bool| {
        let first = ln_term(n, start);
        let mut total = 1.0;
        let mut ln_t = 0.0;
        let mut j = start;
        loop {
            // ln t_{j+1} - ln t_j = ln((n - j) / (j + 1)) + lp - lq
            let step = if down {
                if j == 0 {
                    break;
                }
                let s = (j as f64 / (n - j + 1) as f64).ln() + lq - lp;
                j -= 1;
                s
            } else {
                if j == n {
                    break;
                }
                let s = ((n - j) as f64 / (j + 1) as f64).ln() + lp - lq;
                j += 1;
                s
            };
            ln_t += step;
            let t = ln_t.exp();
            total += t;
            if t < total * 1e-18 {
                break;
            }
        }
        (first + total.ln()).exp()
    };
    let (ge, lt) = if m > mode {
        let ge = sum_from(m, false);
        (ge, 1.0 - ge)
    } else {
        let lt = sum_from(m - 1, true);
        (1.0 - lt, lt)
    };
    let exactly = ln_term(n - 1, m - 1).exp();
    (ge, lt, exactly)
}

/// ln C(n, j) by a compensated sum of logarithms (O(min(j, n - j))).
pub(crate) fn ln_choose(n: u64, j: u64) -> f64 {
    let j = j.min(n - j);
    let (mut sum, mut comp) = (0.0f64, 0.0f64);
    for i in 0..j {
        let term = ((n - i) as f64 / (i + 1) as f64).ln() - comp;
        let t = sum + term;
        comp = (t - sum) - term;
        sum = t;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 1,000 of 2,000 identical members at one half: a group's binomial terms are built from
    /// the mode outward, and 0.5^2000 (the terms at either end) underflows, so a wrong
    /// starting point would lose them all. A = 1/2 + P(X = 1000)/2, with P(X = 1000) = C(2000, 1000)
    /// / 4^1000 as a product of 1,000 factors (1000 + i) / 4i.
    #[test]
    fn copies_of_a_coin_from_the_mode() {
        let half = Probability { p: 0.5, q: 0.5 };
        let middle: f64 = (1..=1000)
            .map(|i| (1000.0 + i as f64) / (4.0 * i as f64))
            .product();
        let want = 0.5 + middle / 2.0;
        // As copies (counted one by one) and as a list of identical members (one group,
        // whose binomial terms start at the mode).
        for a in [
            copies(1000, 2000, half).0,
            k_of_n(1000, &vec![half; 2000]).0,
        ] {
            assert!(((a.p - want) / want).abs() < 1e-12, "{} vs {want}", a.p);
            let u = 1.0 - want;
            assert!(((a.q - u) / u).abs() < 1e-12, "{} vs {u}", a.q);
        }
    }

    /// 1,000 of 2,000 members near one half, 200 distinct availabilities (counted member by
    /// member): the count's low end underflows, so the windows drop their leading zeros and
    /// read at an offset. Each partial, P(exactly 999 of the others up), against a plain
    /// count over the others.
    #[test]
    fn partials_when_the_windows_have_moved() {
        let n = 2000;
        let items: Vec<Probability> = (0..n)
            .map(|i| comp(900.0 + (i % 200) as f64, 1000.0))
            .collect();
        let mut w = Window::new(1000);
        items.iter().for_each(|&x| w.add(x));
        assert!(w.lo > 0, "the window never moved");
        let (_, partials) = k_of_n(1000, &items);
        for i in [0, 7, 999, 1000, 1999] {
            let mut dist = vec![0.0f64; n];
            dist[0] = 1.0;
            for (added, x) in items
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, x)| x)
                .enumerate()
            {
                for c in (1..=added + 1).rev() {
                    dist[c] = dist[c] * x.q + dist[c - 1] * x.p;
                }
                dist[0] *= x.q;
            }
            let want = dist[999];
            assert!(
                ((partials[i] - want) / want).abs() < 1e-9,
                "{i}: {} vs {want}",
                partials[i]
            );
        }
    }

    fn comp(mtbf: f64, mttr: f64) -> Probability {
        Probability {
            p: mtbf / (mtbf + mttr),
            q: mttr / (mtbf + mttr),
        }
    }

    fn rel(a: f64, b: f64) -> f64 {
        ((a - b) / b).abs()
    }

    #[test]
    fn parallel_keeps_tiny_unavailability() {
        let u = comp(999_999.0, 1.0);
        let (v, _) = parallel(&[u, u, u]);
        assert!(rel(v.q, 1e-18) < 1e-14, "{}", v.q);
        assert_eq!(v.p, 1.0);
    }

    #[test]
    fn series_keeps_small_availability() {
        let x = Probability {
            p: 1e-3,
            q: 1.0 - 1e-3,
        };
        let (v, p) = series(&[x, x]);
        assert!(rel(v.p, 1e-6) < 1e-15);
        assert!(rel(p[0], 1e-3) < 1e-15);
    }

    #[test]
    fn k_of_n_matches_enumeration() {
        let xs: Vec<Probability> = (0..7)
            .map(|i| comp(100.0 + 37.0 * i as f64, 1.0 + i as f64))
            .collect();
        for k in 1..=7 {
            let (v, partials) = k_of_n(k, &xs);
            // brute force over 2^7 states
            let mut a = 0.0;
            let mut u = 0.0;
            let mut d = [0.0; 7];
            for s in 0..(1u32 << 7) {
                let mut pr = 1.0;
                for (i, x) in xs.iter().enumerate() {
                    pr *= if s >> i & 1 == 1 { x.p } else { x.q };
                }
                if s.count_ones() as usize >= k {
                    a += pr
                } else {
                    u += pr
                }
                for (i, x) in xs.iter().enumerate() {
                    // states where i is pivotal: others have exactly k-1 up
                    let others = (s & !(1 << i)).count_ones() as usize;
                    if s >> i & 1 == 1 && others == k - 1 {
                        d[i] += pr / x.p;
                    }
                }
            }
            assert!(
                rel(v.p, a) < 1e-13 && rel(v.q, u) < 1e-12,
                "k={k}: {v:?} vs {a} {u}"
            );
            for i in 0..7 {
                assert!(rel(partials[i], d[i]) < 1e-12, "k={k} i={i}");
            }
        }
    }

    #[test]
    fn copies_match_list_form() {
        let x = comp(720.0, 4.0);
        for n in [1u64, 2, 3, 5, 9] {
            for k in 1..=n {
                let (v, p) = copies(k, n, x);
                let (w, ps) = k_of_n(k as usize, &vec![x; n as usize]);
                assert!(rel(v.q, w.q) < 1e-13 && rel(v.p, w.p) < 1e-13, "{k} of {n}");
                assert!(rel(p, ps.iter().sum()) < 1e-12, "{k} of {n}");
            }
        }
    }

    #[test]
    fn large_copies_use_the_binomial_and_agree_with_counting() {
        let x = comp(1000.0, 10.0);
        // n * m just above the counting limit in one call, below it in the other.
        let (n, k) = (20_000u64, 19_700u64);
        let (v, p) = copies(k, n, x);
        let m = n - k + 1;
        let mut dist = start_dist(m as usize);
        let y = x.complement();
        for _ in 1..n {
            add_item(&mut dist, y);
        }
        let exactly = dist[m as usize - 1];
        add_item(&mut dist, y);
        assert!(
            rel(v.q, dist[m as usize]) < 1e-9,
            "{} vs {}",
            v.q,
            dist[m as usize]
        );
        assert!(rel(p, n as f64 * exactly) < 1e-9);
    }

    /// Members with three distinct availabilities: the grouped binomial convolution equals the
    /// member-by-member count, for A, U and every partial, at every threshold.
    #[test]
    fn grouped_equals_the_member_by_member_count() {
        let kinds = [comp(720.0, 4.0), comp(72.0, 40.0), comp(9000.0, 1.0)];
        let items: Vec<Probability> = (0..90).map(|i| kinds[i * 7 % 3]).collect();
        for m in [1usize, 2, 17, 45, 80, 89, 90] {
            let (ge, lt, p) = grouped(m, &items, Partials::Wanted).expect("three groups");
            let (ge2, lt2, p2) = threshold(m, &items, Partials::Wanted);
            assert!(
                rel(ge, ge2) < 1e-12 && rel(lt, lt2) < 1e-12,
                "m={m}: {ge} {ge2} {lt} {lt2}"
            );
            for i in 0..items.len() {
                assert!(
                    rel(p[i], p2[i]) < 1e-11 || (p[i] - p2[i]).abs() < 1e-300,
                    "m={m} i={i}: {} {}",
                    p[i],
                    p2[i]
                );
            }
        }
    }

    /// The value-only forms give the very same A and U as the forms with partials, at every
    /// threshold, for members counted one by one and in groups.
    #[test]
    fn values_without_partials_are_the_same_numbers() {
        let kinds = [comp(720.0, 4.0), comp(72.0, 40.0), comp(9000.0, 1.0)];
        let grouped_items: Vec<Probability> = (0..90).map(|i| kinds[i * 7 % 3]).collect();
        let distinct: Vec<Probability> = (0..40)
            .map(|i| comp(100.0 + 37.0 * i as f64, 1.0 + i as f64))
            .collect();
        for items in [&grouped_items, &distinct] {
            assert_eq!(series_value(items), series(items).0);
            assert_eq!(parallel_value(items), parallel(items).0);
            for k in 0..=items.len() + 1 {
                let (v, p) = k_of_n(k, items);
                assert_eq!(k_of_n_value(k, items), v, "k = {k}");
                assert_eq!(p.len(), items.len());
                // The value-only form does none of the leave-one-out work.
                let (w, none) = k_of_n_with(k, items, Partials::NotWanted);
                assert_eq!(w, v);
                assert!(none.is_empty(), "k = {k}: partials computed");
            }
        }
    }

    /// Groups of 600 members whose binomial counts underflow far below their modes (0.1^600):
    /// each group's window starts well above zero, and so do their convolutions (whose first
    /// products underflow again). The grouped count still equals the member-by-member one.
    #[test]
    fn grouped_counts_whose_windows_start_above_zero() {
        let (a, b) = (comp(9.0, 1.0), comp(19.0, 1.0));
        let items: Vec<Probability> = (0..1200).map(|i| if i % 2 == 0 { a } else { b }).collect();
        let one = binomial_window(600, a, 1200);
        assert!(one.lo > 100, "the window starts at {}", one.lo);
        for m in [1000usize, 1110, 1150] {
            let (ge, lt, p) = grouped(m, &items, Partials::Wanted).expect("two groups");
            let (ge2, lt2, p2) = threshold(m, &items, Partials::Wanted);
            assert!(
                rel(ge, ge2) < 1e-10 && rel(lt, lt2) < 1e-10,
                "m={m}: {ge} {ge2} {lt} {lt2}"
            );
            for i in [0, 1, 1198, 1199] {
                assert!(rel(p[i], p2[i]) < 1e-9, "m={m} i={i}: {} {}", p[i], p2[i]);
            }
        }
    }

    /// 10,000 copies need more than 4,000,000 counting steps, so `copies` takes the binomial
    /// tails in log space; a k-of-n of the same 10,000 members counts them as one group in
    /// linear space. Both agree on either side of the mode (the lower tail summed downward,
    /// the upper upward), and a copy that never fails, or always does, moves nothing. The
    /// biased coins put the count on either side of the mode with and without counting
    /// the failed copies instead (k above n / 2).
    #[test]
    fn binomial_tails_on_both_sides_of_the_mode() {
        for (coin, ks) in [
            (comp(1.0, 1.0), [4_900u64, 4_950, 5_050, 5_100]),
            (comp(3.0, 7.0), [2_900, 2_950, 3_050, 3_100]),
            (comp(7.0, 3.0), [6_900, 6_950, 7_050, 7_100]),
        ] {
            binomial_tails_agree(coin, &ks);
        }
        for certain in [Probability::ONE, Probability { p: 0.0, q: 1.0 }] {
            let (v, partial) = copies(5_000, 10_000, certain);
            assert_eq!((v.p, partial), (certain.p, 0.0));
        }
    }

    fn binomial_tails_agree(coin: Probability, ks: &[u64]) {
        let members = vec![coin; 10_000];
        for &k in ks {
            let (v, partial) = copies(k, 10_000, coin);
            let (w, partials) = k_of_n(k as usize, &members);
            assert!(
                rel(v.p, w.p) < 1e-10 && rel(v.q, w.q) < 1e-10,
                "k={k}: {v:?} {w:?}"
            );
            let sum: f64 = partials.iter().sum();
            assert!(rel(partial, sum) < 1e-9, "k={k}: {partial} {sum}");
        }
    }
}
