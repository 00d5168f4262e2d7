//! Common cause repaired copy by copy (`repair: each`), the multiple Greek letters and the
//! alpha factors, against the chain of every copy on its own (2^n states: each event on a
//! given set of copies is a transition, each failed copy repaired at mu), built here from
//! the models' definitions; and RePyability's beta-factor 2-out-of-3 figures.

use hacalc::compile::ctmc::Ctmc;
use hacalc::solve::ctmc::{SolverOptions, steady_state};

/// U and failures per hour of `k` of `n` copies when the event on each set of copies `s`
/// (a bit mask) happens at `rate(s)`, and `crews` repair the failed copies at `mu` each.
fn unit_chain(n: usize, k: usize, crews: usize, mu: f64, rate: impl Fn(u32) -> f64) -> (f64, f64) {
    let states = 1usize << n;
    let mut t = Vec::new();
    for s in 0..states as u32 {
        for set in 1..states as u32 {
            let to = s | set;
            if to != s {
                t.push((s as usize, to as usize, rate(set)));
            }
        }
        let down = s.count_ones() as usize;
        for u in 0..n {
            if s >> u & 1 == 1 {
                // min(f, crews) repairs shared among the f failed copies.
                let r = mu * down.min(crews) as f64 / down as f64;
                t.push((s as usize, (s & !(1 << u)) as usize, r));
            }
        }
    }
    let up: Vec<bool> = (0..states)
        .map(|s| n - (s as u32).count_ones() as usize >= k)
        .collect();
    let chain = Ctmc::new(states, t, up.clone());
    let pi = steady_state(&chain, &SolverOptions::default()).unwrap().pi;
    let u = (0..states).filter(|&s| !up[s]).map(|s| pi[s]).sum();
    let mut f = 0.0;
    for s in (0..states).filter(|&s| up[s]) {
        for (to, r) in chain.out(s) {
            if !up[to] {
                f += pi[s] * r;
            }
        }
    }
    (u, f)
}

fn solve(block: &str) -> (f64, f64) {
    let yaml = format!("components:\n  a: {{ mtbf: 10h, mttr: 1h }}\nsystem: {block}\n");
    let a = hacalc::analyse("c.yaml", &yaml).unwrap_or_else(|r| panic!("{}", r.to_plain()));
    (
        a.solution.system.unavailability(),
        a.solution.system.frequency.unwrap(),
    )
}

fn close(got: f64, want: f64, tol: f64) -> bool {
    (got - want).abs() <= tol * want.abs()
}

/// RePyability's 2-out-of-3 with a 20% beta factor and lambda / mu = 0.1: U = 0.0329364
/// when the shock takes every copy down and each is repaired on its own, 0.0349490 when it
/// is one repair (the contract's beta factor). The full digits are those of the 8-state
/// chain solved apart (numpy, least squares): 0.032936444992504 and 0.034949040328421.
#[test]
fn beta_factor_repaired_each_or_together() {
    let each =
        solve("{ k_of_n: { k: 2, n: 3, of: a, common_cause: { beta: 20%, repair: each } } }");
    let together = solve("{ k_of_n: { k: 2, n: 3, of: a, common_cause: { beta: 20% } } }");
    let explicit =
        solve("{ k_of_n: { k: 2, n: 3, of: a, common_cause: { beta: 20%, repair: together } } }");
    assert!(
        (each.0 - 0.0329364).abs() < 5e-8 && close(each.0, 0.032936444992504, 1e-12),
        "{}",
        each.0
    );
    assert!(
        (together.0 - 0.0349490).abs() < 5e-8 && close(together.0, 0.034949040328421, 1e-12),
        "{}",
        together.0
    );
    assert_eq!(together, explicit);
    let (l, mu) = (0.1, 1.0);
    let truth = unit_chain(3, 2, 3, mu, |s| match s.count_ones() {
        1 => 0.8 * l,
        3 => 0.2 * l,
        _ => 0.0,
    });
    assert!(
        close(each.0, truth.0, 1e-12) && close(each.1, truth.1, 1e-12),
        "{each:?} vs {truth:?}"
    );
}

/// Multiple Greek letters and alpha factors, with and without crews, against the chain of
/// every copy: an event on a given set of j copies at Q_j (NUREG/CR-5485).
#[test]
fn mgl_and_alpha_against_every_copy() {
    let (l, mu) = (0.1, 1.0);
    let binomial =
        |n: u32, r: u32| -> f64 { (0..r).fold(1.0, |a, i| a * (n - i) as f64 / (i + 1) as f64) };
    for (k, n, crews) in [(1, 3, 3), (2, 3, 1), (2, 4, 2), (3, 4, 4), (4, 6, 2)] {
        let crews_key = if crews < n {
            format!(", crews: {crews}")
        } else {
            String::new()
        };
        // MGL: Q_j = rho_1 ... rho_j (1 - rho_(j+1)) / C(n - 1, j - 1) lambda.
        let letters = [1.0, 0.1, 0.3, 0.5];
        if n <= 4 {
            let mgl = if n == 3 {
                "{ beta: 10%, gamma: 30% }"
            } else {
                "{ beta: 10%, gamma: 30%, delta: 50% }"
            };
            let got = solve(&format!(
                "{{ k_of_n: {{ k: {k}, n: {n}, of: a{crews_key}, common_cause: {{ mgl: {mgl} }} }} }}"
            ));
            let truth = unit_chain(n as usize, k, crews as usize, mu, |s| {
                let j = s.count_ones();
                let product: f64 = letters[..j as usize].iter().product();
                let next = if j < n { letters[j as usize] } else { 0.0 };
                product * (1.0 - next) / binomial(n - 1, j - 1) * l
            });
            assert!(
                close(got.0, truth.0, 1e-11) && close(got.1, truth.1, 1e-11),
                "mgl {k} of {n}, {crews}: {got:?} vs {truth:?}"
            );
        }
        // Alpha factors: Q_j = j / C(n - 1, j - 1) alpha_j / alpha_t lambda.
        // Six copies make the binomials of the rates more than one factor.
        let alpha: Vec<f64> = match n {
            3 => vec![0.95, 0.03, 0.02],
            4 => vec![0.9, 0.05, 0.03, 0.02],
            _ => vec![0.85, 0.05, 0.04, 0.03, 0.02, 0.01],
        };
        let list = alpha
            .iter()
            .map(|a| format!("{}%", a * 100.0))
            .collect::<Vec<_>>()
            .join(", ");
        let got = solve(&format!(
            "{{ k_of_n: {{ k: {k}, n: {n}, of: a{crews_key}, common_cause: {{ alpha: [{list}] }} }} }}"
        ));
        let total: f64 = alpha
            .iter()
            .enumerate()
            .map(|(i, a)| (i + 1) as f64 * a)
            .sum();
        let truth = unit_chain(n as usize, k, crews as usize, mu, |s| {
            let j = s.count_ones();
            j as f64 / binomial(n - 1, j - 1) * alpha[j as usize - 1] / total * l
        });
        assert!(
            close(got.0, truth.0, 1e-11) && close(got.1, truth.1, 1e-11),
            "alpha {k} of {n}, {crews}: {got:?} vs {truth:?}"
        );
    }
}

/// The mistakes a user can make, each a located error.
#[test]
fn bad_common_cause_is_a_located_error() {
    for (cc, n, want) in [
        (
            "{ beta: 10%, repair: apart }",
            3,
            "not a common-cause repair",
        ),
        (
            "{ mgl: { beta: 10% }, repair: together }",
            2,
            "does not apply",
        ),
        ("{ mgl: { beta: 10% } }", 3, "needs `gamma`"),
        (
            "{ mgl: { beta: 10%, gamma: 5% } }",
            2,
            "for groups of 3 or more",
        ),
        ("{ mgl: { beta: 10%, gamma: 5% } }", 5, "for 2 to 4 copies"),
        ("{ alpha: [90%, 5%] }", 3, "lists 2 factors for 3 copies"),
        ("{ alpha: [90%, 5%, 1%] }", 3, "add up to 0.96"),
        ("{ beta: 10%, alpha: [90%, 5%, 5%] }", 3, "takes one of"),
        ("{ repair: each }", 3, "needs `beta`"),
    ] {
        let yaml = format!(
            "components:\n  a: {{ mtbf: 10h, mttr: 1h }}\nsystem: {{ parallel: {{ n: {n}, of: a, common_cause: {cc} }} }}\n"
        );
        let e = hacalc::analyse("c.yaml", &yaml)
            .err()
            .unwrap_or_else(|| panic!("{cc} accepted"))
            .to_plain();
        assert!(e.contains(want) && e.contains("c.yaml:3:"), "{cc}: {e}");
    }
}

/// Many copies repaired each: the chain's top state is every state's neighbour, so banded
/// elimination cost n^2 and Gauss-Seidel stalled (500 to 10,000 copies were refused, a
/// million hung). The cut recursion solves any size; its U is the dense GTH's where both
/// apply, and the Birnbaum importance it cannot give is null, not 0.
#[test]
fn many_copies_repaired_each() {
    let block = |n: u64| {
        format!(
            "components:\n  c: {{ mtbf: 10h, mttr: 1h }}\nsystem:\n  parallel: {{ n: {n}, of: c, crews: 3, common_cause: {{ beta: 20%, repair: each }} }}\n"
        )
    };
    let small = hacalc::analyse("c.yaml", &block(1000)).unwrap();
    assert_eq!(
        small.solution.chains[0].method,
        hacalc::solve::ctmc::Method::DenseGth
    );
    for n in [2000, 10_000, 1_000_000] {
        let a = hacalc::analyse("c.yaml", &block(n))
            .unwrap_or_else(|r| panic!("{n}: {}", r.to_plain()));
        assert_eq!(
            a.solution.chains[0].method,
            hacalc::solve::ctmc::Method::JumpsToTop
        );
        let (u, u0) = (
            a.solution.system.unavailability(),
            small.solution.system.unavailability(),
        );
        // Overloaded crews: nearly every copy is down, and the block is down while the
        // shock's all-down state is being worked off, whatever n.
        assert!(close(u, u0, 1e-9), "{n}: {u} vs {u0}");
        assert!(a.solution.components[0].birnbaum.is_nan());
        let mut out = Vec::new();
        hacalc::render::write_json(&mut out, &hacalc::render::json::build(&a, None)).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert!(
            v["components"][0]["birnbaum"].is_null(),
            "{}",
            v["components"][0]
        );
    }
}

/// One copy "repaired each" is the component itself (its whole rate its own failures), with
/// a warning that the common cause has no one to share with.
#[test]
fn one_copy_repaired_each_is_the_component() {
    let a = hacalc::analyse(
        "c.yaml",
        "components:\n  a: { mtbf: 10h, mttr: 1h }\nsystem: { parallel: { n: 1, of: a, common_cause: { beta: 20%, repair: each } } }\n",
    )
    .unwrap();
    assert!(close(a.solution.system.unavailability(), 1.0 / 11.0, 1e-14));
    assert!(
        a.warnings
            .iter()
            .any(|w| w.message.contains("no one to share with"))
    );
}
