//! The Markov benchmark chains, generated deterministically.

use hacalc::compile::ctmc::Ctmc;
use std::io::Write;

/// (a) as a model: 1,000,000 copies (mtbf 1000 h, mttr 10 h), 20,000 crews, up while at most
/// 10,199 have failed: a birth-death chain of 1,000,001 states.
pub const BIRTH_DEATH_MODEL: &str = "\
components:
  node: { mtbf: 1000h, mttr: 10h }
system:
  k_of_n: { k: 989801, n: 1000000, of: node, crews: 20000 }
";

/// (b) 20 different two-state components (i = 0..19: mtbf 1000 + 200 i h, mttr 4 + i h)
/// sharing one crew that always repairs the failed component of lowest index, preemptively;
/// up while at most 2 have failed. A state is the set of failed components: 2^20 states.
pub fn priority_repair() -> Ctmc {
    let m = 20;
    let n = 1usize << m;
    let lambda: Vec<f64> = (0..m).map(|i| 1.0 / (1000.0 + 200.0 * i as f64)).collect();
    let mu: Vec<f64> = (0..m).map(|i| 1.0 / (4.0 + i as f64)).collect();
    let mut t = Vec::with_capacity(n * (m + 1));
    for s in 0..n {
        for (i, &l) in lambda.iter().enumerate() {
            if s >> i & 1 == 0 {
                t.push((s, s | 1 << i, l));
            }
        }
        if s != 0 {
            let i = s.trailing_zeros() as usize;
            t.push((s, s & !(1 << i), mu[i]));
        }
    }
    let up = (0..n).map(|s: usize| s.count_ones() <= 2).collect();
    Ctmc::new(n, t, up)
}

/// (b) as a model: the 20 components of [`priority_repair`] repaired by one team of one,
/// in priority order, the system up while 18 of 20 work. Its team chain is (b)'s chain.
pub fn priority_team_model() -> String {
    let m = 20;
    let mut y = String::from("name: priority-team\ncomponents:\n");
    for i in 0..m {
        y.push_str(&format!(
            "  c{i}: {{ mtbf: {}h, mttr: {}h, team: ops }}\n",
            1000 + 200 * i,
            4 + i
        ));
    }
    let names: Vec<String> = (0..m).map(|i| format!("c{i}")).collect();
    y.push_str(&format!(
        "teams:\n  ops: {{ size: 1, priority: [{}] }}\nsystem:\n  k_of_n: {{ k: 18, of: [{}] }}\n",
        names.join(", "),
        names.join(", ")
    ));
    y
}

/// Uniform numbers in [0, 1) from a fixed seed (xorshift64).
fn xorshift(mut s: u64) -> impl FnMut() -> f64 {
    move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// (c) 1,000,000 states, each with a transition to its successor and to 4 random states
/// within 50 places, rates log-uniform in 1e-3..10 per hour, fixed seed. Up: states whose
/// index is not a multiple of 10.
pub fn random_banded() -> Ctmc {
    let n = 1_000_000usize;
    let mut rnd = xorshift(0x9E3779B97F4A7C15);
    let mut t = Vec::with_capacity(n * 5);
    let rate = |u: f64| 10f64.powf(-3.0 + 4.0 * u);
    for i in 0..n {
        if i + 1 < n {
            t.push((i, i + 1, rate(rnd())));
        }
        for _ in 0..4 {
            let lo = i.saturating_sub(50);
            let hi = (i + 50).min(n - 1);
            let mut j = lo + (rnd() * (hi - lo + 1) as f64) as usize;
            if j == i {
                j = if i > lo { i - 1 } else { i + 1 };
            }
            t.push((i, j, rate(rnd())));
        }
    }
    Ctmc::new(n, t, (0..n).map(|i| i % 10 != 0).collect())
}

/// (d) 10,000 small standby blocks in one model.
/// (e) The same random band wrapped around: 1,000,000 states on a ring, each with a transition
/// to the next (the last to the first) and four to random states within 50 places either way
/// around the ring; rates and up states as in (c).
pub fn wrapped_banded() -> Ctmc {
    let n = 1_000_000usize;
    let mut rnd = xorshift(0x2545F4914F6CDD1D);
    let mut t = Vec::with_capacity(n * 5);
    let rate = |u: f64| 10f64.powf(-3.0 + 4.0 * u);
    for i in 0..n {
        t.push((i, (i + 1) % n, rate(rnd())));
        for _ in 0..4 {
            let d = 1 + (rnd() * 50.0) as usize;
            let j = if rnd() < 0.5 {
                (i + d) % n
            } else {
                (i + n - d) % n
            };
            t.push((i, j, rate(rnd())));
        }
    }
    Ctmc::new(n, t, (0..n).map(|i| i % 10 != 0).collect())
}

pub fn many_standby_model() -> String {
    let mut s = String::from("components:\n");
    for i in 0..10_000 {
        s.push_str(&format!(
            "  db{i}: {{ mtbf: {}h, mttr: {}h }}\n",
            1000 + i % 997,
            2 + i % 13
        ));
    }
    s.push_str("system:\n  k_of_n:\n    k: 9990\n    of:\n");
    for i in 0..10_000 {
        s.push_str(&format!(
            "      - standby: {{ of: db{i}, n: 2, mode: warm, spare_factor: 0.2, switchover: 30s, coverage: 98%, manual_switchover: 10m, crews: 1 }}\n"
        ));
    }
    s
}

/// Writes the generator Q (diagonal included) in Matrix Market coordinate format, and the
/// up flags beside it (one 0/1 per line), for the baseline solvers.
pub fn write_matrix_market(c: &Ctmc, path: &std::path::Path) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    let n = c.states();
    writeln!(w, "%%MatrixMarket matrix coordinate real general")?;
    writeln!(w, "% CTMC generator Q: rows sum to zero; rates per hour")?;
    writeln!(w, "{n} {n} {}", c.transitions() + n)?;
    let exit = c.exit_rates();
    for (i, &e) in exit.iter().enumerate() {
        writeln!(w, "{} {} {:e}", i + 1, i + 1, -e)?;
        for (j, r) in c.out(i) {
            writeln!(w, "{} {} {:e}", i + 1, j + 1, r)?;
        }
    }
    w.flush()?;
    let mut up = std::io::BufWriter::new(std::fs::File::create(path.with_extension("up"))?);
    for &u in &c.up {
        writeln!(up, "{}", u as u8)?;
    }
    up.flush()
}
