//! Uncertainty on the inputs (`--uncertainty N`) against independent truth: a degenerate
//! distribution gives the exact answer at every percentile; a lone component whose mtbf is
//! lognormal has its U percentiles and its chance of meeting a target in closed form
//! (U is monotone in the mtbf, so they follow from the lognormal's quantiles); the same seed
//! gives the same numbers on any number of threads.

use hacalc::analysis::uncertainty::{Uncertainty, UncertaintyRequest};
use hacalc::{Options, Request};
use statrs::distribution::{ContinuousCDF, Normal};

fn draws(text: &str, samples: usize, seed: u64, threads: usize) -> (hacalc::Analysis, Uncertainty) {
    let request = Request {
        uncertainty: Some(UncertaintyRequest {
            samples,
            seed,
            threads,
        }),
        ..Default::default()
    };
    let a = hacalc::analyse_with("u.yaml", text, &Options::default(), &request)
        .unwrap_or_else(|r| panic!("{}", r.to_plain()));
    let u = a.uncertainty.clone().unwrap().unwrap();
    (a, u)
}

#[test]
fn zero_spread_gives_the_exact_answer() {
    let fixed = "targets: { availability: 99.9% }\ncomponents:\n  a: { mtbf: 30d, mttr: 2h }\n  b: { failure_rate: 1/1y, mttr: 4h }\n  c: { availability: 99.99% }\nsystem: { series: [{ parallel: { n: 2, of: a } }, b, c] }\n";
    let spread = "targets: { availability: 99.9% }\ncomponents:\n  a: { mtbf: { median: 30d, error_factor: 1 }, mttr: 2h }\n  b: { failure_rate: { median: 1/1y, error_factor: 1 }, mttr: { median: 4h, error_factor: 1 } }\n  c: { availability: { median: 99.99%, error_factor: 1 } }\nsystem: { series: [{ parallel: { n: 2, of: a } }, b, c] }\n";
    let exact = hacalc::analyse("f.yaml", fixed).unwrap();
    let (a, u) = draws(spread, 50, 1, 2);
    let s = &exact.solution.system;
    // The nominal solve is the fixed model, bit for bit.
    assert_eq!(a.solution.system.unavailability(), s.unavailability());
    for x in [
        u.unavailability.p5,
        u.unavailability.p50,
        u.unavailability.p95,
        u.unavailability.mean,
    ] {
        assert!(
            (x - s.unavailability()).abs() <= 1e-12 * s.unavailability(),
            "{x:e} vs {:e}",
            s.unavailability()
        );
    }
    for x in [u.availability.p5, u.availability.p95] {
        assert!((x - s.availability()).abs() < 1e-15);
    }
    assert_eq!(u.targets.len(), 1);
    assert_eq!(
        u.targets[0].probability_met,
        if exact.verdicts[0].met { 1.0 } else { 0.0 }
    );
    assert_eq!(
        u.parameters,
        ["a.mtbf", "b.mttr", "b.failure_rate", "c.availability"]
    );
}

/// One component, mtbf lognormal (median m, error factor EF), mttr r: U = r / (mtbf + r) is
/// decreasing in the mtbf, so U's q-quantile is r / (mtbf's (1-q)-quantile + r), and
/// P(A >= t) = P(mtbf >= r t / (1 - t)) = 1 - Phi(ln(x / m) / sigma).
#[test]
fn lognormal_mtbf_against_closed_forms() {
    let (m, ef, r) = (720.0, 3.0, 2.0);
    let text = "targets: { availability: 99.75% }\ncomponents:\n  x: { mtbf: { median: 30d, error_factor: 3 }, mttr: 2h }\nsystem: x\n";
    let (_, u) = draws(text, 20_000, 7, 2);
    let sigma = f64::ln(ef) / 1.644_853_626_951_472_2;
    let n = Normal::new(0.0, 1.0).unwrap();
    let mtbf_q = |q: f64| m * (sigma * n.inverse_cdf(q)).exp();
    let u_q = |q: f64| r / (mtbf_q(1.0 - q) + r);
    for (got, q) in [
        (u.unavailability.p5, 0.05),
        (u.unavailability.p50, 0.5),
        (u.unavailability.p95, 0.95),
    ] {
        // 20,000 draws: a percentile's own error is about 1% of the value here.
        assert!(
            (got / u_q(q) - 1.0).abs() < 0.03,
            "U at {q}: {got:e} vs {:e}",
            u_q(q)
        );
    }
    let t: f64 = 0.9975;
    let x = r * t / (1.0 - t);
    let p = 1.0 - n.cdf((x / m).ln() / sigma);
    // Binomial sd sqrt(p(1-p)/n) = 0.0035: four of them.
    assert!(
        (u.targets[0].probability_met - p).abs() < 0.014,
        "{} vs {p}",
        u.targets[0].probability_met
    );
    // Uniform on the mttr: the median of U is at the middle of the range.
    let (_, u) = draws(
        "components:\n  x: { mtbf: 1000h, mttr: { low: 1h, high: 3h } }\nsystem: x\n",
        20_000,
        3,
        2,
    );
    assert!((u.unavailability.p50 / (2.0 / 1002.0) - 1.0).abs() < 0.01);
    assert!((u.downtime_hours.mean / 8760.0 - u.unavailability.mean).abs() < 1e-15);
}

/// Blocks whose chains are built from a component (standby, copies sharing crews) follow
/// the drawn values: U is decreasing in the mtbf, so U's 5% and 95% points are those of the
/// fixed models at the mtbf's 95% and 5% points (57.5 and 12.5 days, uniform on 10-60 days).
/// The chains were once built from a copy of the nominal rates, and every draw gave the
/// nominal answer.
#[test]
fn chains_follow_the_drawn_values() {
    for block in [
        "{ standby: { of: x, n: 2 } }",
        "{ parallel: { n: 3, of: x, crews: 1 } }",
    ] {
        let model = |mtbf: &str| {
            format!("components:\n  x: {{ mtbf: {mtbf}, mttr: 2d }}\nsystem: {block}\n")
        };
        let (_, u) = draws(&model("{ low: 10d, high: 60d }"), 3000, 11, 2);
        let fixed = |mtbf: &str| {
            hacalc::analyse("f.yaml", &model(mtbf))
                .unwrap()
                .solution
                .system
                .unavailability()
        };
        for (got, mtbf) in [
            (u.unavailability.p5, "57.5d"),
            (u.unavailability.p95, "12.5d"),
        ] {
            let want = fixed(mtbf);
            // 3,000 draws: the 5% point of the mtbf is within 0.2 days (one sd), a few
            // percent of U.
            assert!(
                (got / want - 1.0).abs() < 0.1,
                "{block}: U {got:e}, the fixed model at mtbf {mtbf} {want:e}"
            );
        }
    }
}

#[test]
fn same_seed_same_numbers_on_any_thread_count() {
    let text = "components:\n  x: { mtbf: { low: 10d, high: 60d, log: true }, mttr: 2h }\n  y: { availability: { low: 99%, high: 99.9% } }\nsystem: { series: [{ parallel: { n: 2, of: x } }, y] }\n";
    let (_, one) = draws(text, 300, 5, 1);
    for threads in [2, 8] {
        let (_, u) = draws(text, 300, 5, threads);
        assert_eq!(u, one);
    }
    let (_, other) = draws(text, 300, 6, 2);
    assert_ne!(other.unavailability, one.unavailability);
    // Draws stay within their ranges: the log-uniform mtbf and the uniform availability.
    let worst = 1.0 - (1.0 - (2.0 / 242.0f64).powi(2)) * 0.99;
    assert!(one.unavailability.p95 <= worst);
}

#[test]
fn bad_distributions_are_located_errors() {
    for (spec, needle) in [
        (
            "mtbf: { median: 30d }, mttr: 2h",
            "2:14: error: `mtbf` as a distribution needs",
        ),
        (
            "mtbf: { median: 30d, error_factor: 0.5 }, mttr: 2h",
            "error: `error_factor` must be at least 1",
        ),
        (
            "mtbf: { low: 30d, high: 10d }, mttr: 2h",
            "error: `high` must be above `low`",
        ),
        (
            "mtbf: 30d, mttr: { low: 1h, high: 2h, spread: 3 }",
            "spread",
        ),
        (
            "mtbf: { median: 30d, error_factor: 3, low: 1d, high: 2d }, mttr: 2h",
            "needs `median` and `error_factor`",
        ),
        (
            "availability: { low: 99.9%, high: 99% }",
            "error: `high` must be above `low`",
        ),
        (
            "mtbf: { median: 3q, error_factor: 3 }, mttr: 2h",
            "unknown time unit",
        ),
    ] {
        let text = format!("components:\n  x: {{ {spec} }}\nsystem: x\n");
        let r = hacalc::analyse("u.yaml", &text)
            .err()
            .unwrap_or_else(|| panic!("accepted: {text}"));
        assert!(
            r.to_plain().contains(needle),
            "{}\nwanted {needle}",
            r.to_plain()
        );
    }
}

/// Hostile-review regressions: a draw outside the allowed durations is an error at the
/// parameter; an availability's lognormal tail past U = 1 is cut at 1 (no impossible failure
/// counts); the median of an availability near 100% is refused with the reason.
#[test]
fn draws_stay_in_range() {
    let request = Request {
        uncertainty: Some(UncertaintyRequest {
            samples: 100,
            seed: 1,
            threads: 2,
        }),
        ..Default::default()
    };
    let wide =
        "components:\n  a: { mtbf: { median: 30d, error_factor: 1e300 }, mttr: 1h }\nsystem: a\n";
    let a = hacalc::analyse_with("u.yaml", wide, &Options::default(), &request).unwrap();
    let e = a.uncertainty.unwrap().unwrap_err();
    assert_eq!((e.pos.line, e.pos.column), (2, 14));
    assert!(
        e.message.contains("outside the durations a model may use"),
        "{e:?}"
    );
    let (_, u) = draws(
        "components:\n  a: { availability: { median: 50%, error_factor: 100 }, mttr: 1h }\nsystem: a\n",
        1000,
        1,
        2,
    );
    assert!(u.unavailability.p95 <= 1.0);
    let f = u.failures.unwrap();
    assert!(f.p95 <= 8760.0 && f.mean <= 8760.0, "{f:?}");
    // About 40% of the draws are cut at U = 1 (ln 2 / (ln 100 / 1.645) = 0.25 sigma): A = 0,
    // an infinite failure rate, and U x mu = one failure per hour of repair, 8,760 a year
    // (A x lambda would be 0 x inf).
    assert!((f.p95 - 8760.0).abs() <= 1e-9 * 8760.0, "{f:?}");
    // In a chain, the cut is where the implied mtbf is 1 ns (an infinite failure rate cannot
    // be solved): a cold standby pair, two crews, fails twice per hour of repair at worst.
    let (_, u) = draws(
        "components:\n  a: { availability: { median: 50%, error_factor: 100 }, mttr: 1h }\nsystem: { standby: { of: a, n: 2 } }\n",
        1000,
        1,
        2,
    );
    let f = u.failures.unwrap();
    assert!(
        u.unavailability.p95 <= 1.0 && u.unavailability.p95 > 0.999_999,
        "{u:?}"
    );
    assert!((f.p95 - 2.0 * 8760.0).abs() <= 1e-6 * 8760.0, "{f:?}");
    // With an mttr of a year, 1 - U at the cut rounds to 0 (a year is 3e16 ns): A there is
    // computed apart, and the worst draws are the written model with an mtbf of 1 ns.
    let chain = |a: &str| {
        format!(
            "components:\n  a: {{ {a}, mttr: 1y }}\nsystem: {{ standby: {{ of: a, n: 3, crews: 1 }} }}\n"
        )
    };
    let (_, u) = draws(
        &chain("availability: { median: 99.99%, error_factor: 1e6 }"),
        300,
        1,
        2,
    );
    let edge = hacalc::analyse("e.yaml", &chain("mtbf: 0.000001ms")).unwrap();
    let worst = edge.solution.system.availability();
    assert!(
        worst > 0.0 && (u.availability.p5 / worst - 1.0).abs() < 1e-9,
        "{u:?} vs {worst:e}"
    );
    // The other edge: an error factor of 1e300 draws U near 1e-300, an mtbf past a billion
    // years, which is cut there; the best draws are the written model with an mtbf of 1e9y.
    let (_, u) = draws(
        &chain("availability: { median: 99.9%, error_factor: 1e300 }"),
        100,
        1,
        2,
    );
    let edge = hacalc::analyse("e.yaml", &chain("mtbf: 1e9y")).unwrap();
    let best = edge.solution.system.unavailability();
    assert!(
        (u.unavailability.p5 / best - 1.0).abs() < 1e-9,
        "{u:?} vs {best:e}"
    );
    let r = hacalc::analyse(
        "u.yaml",
        "components:\n  a: { availability: { median: 100%, error_factor: 3 } }\nsystem: a\n",
    )
    .unwrap_err();
    assert!(
        r.to_plain().contains("median must be below 100%"),
        "{}",
        r.to_plain()
    );
}
