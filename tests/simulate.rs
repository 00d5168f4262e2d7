//! Monte-Carlo against the exact results: a second method for availability and failure
//! frequency, over every example with rates (the Markov and network ones included).

use hacalc::solve::simulate::{SimOptions, simulate};

fn check(name: &str, years: f64) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    let a = hacalc::analyse(name, &std::fs::read_to_string(path).unwrap()).unwrap();
    let opts = SimOptions {
        hours: years * 8760.0,
        seed: 11,
        ..Default::default()
    };
    let r = simulate(&a.model, &a.structure, &a.solution, &opts).unwrap();
    let s = &a.solution.system;
    // Three half-widths: a failure here is not chance (about 1 in 1000 per figure).
    let near = |e: hacalc::solve::simulate::Estimate, x: f64| {
        let half = (e.high - e.low) / 2.0;
        (e.estimate - x).abs() <= 3.0 * half
    };
    assert!(
        near(r.unavailability, s.unavailability()),
        "{name}: U {:?} vs exact {:e}",
        r.unavailability,
        s.unavailability()
    );
    assert!(
        near(r.frequency, s.frequency.unwrap()),
        "{name}: f {:?} vs exact {:e}",
        r.frequency,
        s.frequency.unwrap()
    );
    // A is accumulated apart from U (up time, not 1 - U): its own interval holds the exact A.
    assert!(
        near(r.availability, s.availability()),
        "{name}: A {:?} vs exact {}",
        r.availability,
        s.availability()
    );
    assert!(r.events > 1000, "{name}: too few events to say anything");
    // Degraded capacity: the time-average of the served fraction against its exact mean.
    if let Some((_, short)) = r.served {
        let exact = a.served.as_ref().unwrap().as_ref().unwrap().shortfall;
        assert!(
            near(short, exact),
            "{name}: shortfall {short:?} vs exact {exact:e}"
        );
    }
}

#[test]
fn web_service() {
    check("web-service.yaml", 300.0);
}

#[test]
fn markov_examples() {
    check("mysql-replica.yaml", 600.0);
    check("stateless-tier.yaml", 300.0);
    check("bad-deploys.yaml", 300.0);
    check("master-master.yaml", 3000.0);
    check("degraded-disk.yaml", 3000.0);
}

/// Repair teams: a failed unit waits for a repairer (one engineer; two). The simulation
/// schedules the repairs itself, so it checks the analysis's team chain independently.
#[test]
fn repair_team_examples() {
    check("on-call.yaml", 2000.0);
    check("on-call-pair.yaml", 2000.0);
}

/// Both disciplines on a small team against the analysis: three units of `a` ranked before
/// two of `b`, one repairer (priority), and the same shared equally.
#[test]
fn team_disciplines() {
    for discipline in ["priority", "shared"] {
        let y = format!(
            "teams:\n  t: {{ size: 1, discipline: {discipline}, priority: [a] }}\ncomponents:\n  a: {{ mtbf: 50h, mttr: 5h, team: t }}\n  b: {{ mtbf: 80h, mttr: 10h, team: t }}\nsystem: {{ series: [{{ k_of_n: {{ k: 2, n: 3, of: a }} }}, {{ parallel: {{ n: 2, of: b }} }}] }}\n"
        );
        let y = y.replace(
            ", priority: [a]",
            if discipline == "shared" {
                ""
            } else {
                ", priority: [a]"
            },
        );
        let a = hacalc::analyse("t.yaml", &y).unwrap();
        let o = SimOptions {
            hours: 200_000.0,
            seed: 2,
            ..Default::default()
        };
        let r = simulate(&a.model, &a.structure, &a.solution, &o).unwrap();
        let s = &a.solution.system;
        let e = r.unavailability;
        assert!(
            (e.estimate - s.unavailability()).abs() <= 1.5 * (e.high - e.low),
            "{discipline}: {e:?} vs {:e}",
            s.unavailability()
        );
    }
}

/// Shards, pools and `serves`: the simulator follows the served fraction through the
/// structure (sums of weighted shards, min(capacity, demand), a chain's states).
#[test]
fn capacity_examples() {
    check("cache-cluster.yaml", 1000.0);
    check("web-pool.yaml", 1000.0);
}

#[test]
fn time_law_example() {
    check("repair-laws.yaml", 3000.0);
}

/// A shared instance is one simulated part wherever it is used (simulated independently, the
/// shared-services example was 99.99967% against the exact 99.83%).
#[test]
fn shared_instances() {
    check("shared-services.yaml", 300.0);
}

#[test]
fn network_example() {
    check("dc-network.yaml", 3000.0);
}

#[test]
fn static_components_cannot_be_simulated() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/cloud-slas.yaml");
    let a = hacalc::analyse("cloud-slas.yaml", &std::fs::read_to_string(path).unwrap()).unwrap();
    let e = simulate(&a.model, &a.structure, &a.solution, &SimOptions::default()).unwrap_err();
    assert!(e.message.contains("only a static availability"), "{e:?}");
    // Located at the component's declaration.
    let line = a
        .source
        .lines()
        .position(|l| l.trim_start().starts_with("dns:"))
        .unwrap()
        + 1;
    assert_eq!(e.pos.line as usize, line, "{e:?}");
}

/// A horizon that is a whole number of batches (1 day: batch boundaries fall on event times
/// computed from the same products) used to stall the accounting loop forever.
#[test]
fn short_horizons_finish() {
    for h in [24.0, 1.0, 8760.0 / 20.0, 1e-3] {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/web-service.yaml");
        let a = hacalc::analyse("w.yaml", &std::fs::read_to_string(path).unwrap()).unwrap();
        let o = SimOptions {
            hours: h,
            ..Default::default()
        };
        let r = simulate(&a.model, &a.structure, &a.solution, &o).unwrap();
        assert!(r.availability.estimate.is_finite());
    }
}

/// A run past its event budget stops there and returns the estimate of what it simulated,
/// flagged: the work is not thrown away.
#[test]
fn event_budget_truncates_and_keeps_the_work() {
    let y = "components:\n  x: { mtbf: 100h, mttr: 10h }\nsystem: { parallel: { n: 2, of: x } }\n";
    let a = hacalc::analyse("x.yaml", y).unwrap();
    let o = SimOptions {
        hours: 1e9,
        max_events: 2_000_000,
        ..Default::default()
    };
    let r = simulate(&a.model, &a.structure, &a.solution, &o).unwrap();
    assert!(r.truncated);
    assert!(
        r.events <= 2_000_000 && r.events > 1_900_000,
        "{}",
        r.events
    );
    assert!(r.observed_hours < 1e9 && r.observed_hours > 1e6);
    // What was simulated still estimates the pair: U = (1/11)^2.
    let u = 1.0 / 121.0;
    let half = (r.unavailability.high - r.unavailability.low) / 2.0;
    assert!(
        (r.unavailability.estimate - u).abs() <= 3.0 * half,
        "{:?}",
        r.unavailability
    );
    let text = hacalc::render::simulation::table(&a, &r);
    assert!(text.contains("warning: the event budget"), "{text}");
    // A budget that cannot even hold the replications' warm-ups is a located error that
    // says what to change.
    let o = SimOptions {
        hours: 1e9,
        max_events: 10,
        ..Default::default()
    };
    let e = simulate(&a.model, &a.structure, &a.solution, &o).unwrap_err();
    assert!(
        e.message.contains("warm-ups") && e.message.contains("--max-events 10"),
        "{e:?}"
    );
    assert_eq!(e.pos.line, 3);
}

/// With no system failure seen, the failure interval is the rule of three's bound, and the
/// reader is told so, not shown a bare "NO".
#[test]
fn no_failures_give_an_upper_bound() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/web-service.yaml");
    let a = hacalc::analyse("w.yaml", &std::fs::read_to_string(path).unwrap()).unwrap();
    let o = SimOptions {
        hours: 24.0,
        ..Default::default()
    };
    let r = simulate(&a.model, &a.structure, &a.solution, &o).unwrap();
    assert_eq!(r.system_failures, 0);
    assert_eq!(r.frequency.low, 0.0);
    assert!((r.frequency.high * r.observed_hours - 2.995_732_273_553_991).abs() < 1e-12);
    let text = hacalc::render::simulation::table(&a, &r);
    assert!(
        text.contains("0 system failures simulated: the failure interval is an upper bound"),
        "{text}"
    );
    assert!(!text.contains("NO"), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&hacalc::render::simulation::json(&a, &r)).unwrap();
    assert!(json["availability"]["within"].is_null());
}

/// The numbers depend on the seed and the replications, never on the threads; golden
/// values pin the generator and the event loop (a change to either changes them, and must
/// be a deliberate one).
#[test]
fn same_seed_same_numbers_on_any_thread_count() {
    let y =
        "components:\n  x: { mtbf: 100h, mttr: 5h }\nsystem:\n  k_of_n: { k: 2, n: 3, of: x }\n";
    let a = hacalc::analyse("x.yaml", y).unwrap();
    let run = |threads| {
        let o = SimOptions {
            hours: 50.0 * 8760.0,
            seed: 3,
            threads,
            ..Default::default()
        };
        simulate(&a.model, &a.structure, &a.solution, &o).unwrap()
    };
    let one = run(1);
    for threads in [2, 8] {
        let r = run(threads);
        assert_eq!(r.availability, one.availability);
        assert_eq!(r.unavailability, one.unavailability);
        assert_eq!(r.frequency, one.frequency);
        assert_eq!(r.events, one.events);
    }
    assert_eq!(
        (
            one.events,
            one.system_failures,
            one.unavailability.estimate.to_bits()
        ),
        GOLDEN,
        "{} {} {:e}",
        one.events,
        one.system_failures,
        one.unavailability.estimate
    );
    // Another seed, other numbers.
    let o = SimOptions {
        hours: 50.0 * 8760.0,
        seed: 4,
        ..Default::default()
    };
    assert_ne!(
        simulate(&a.model, &a.structure, &a.solution, &o)
            .unwrap()
            .events,
        one.events
    );
}

const GOLDEN: (u64, u64, u64) = (25278, 1125, 4573880611379878544);

const LAWS: &str = "components:
  web: { time_to_failure: { dist: weibull, shape: 1.5, scale: 40d }, time_to_repair: { dist: lognormal, median: 2h, error_factor: 3 } }
  db: { mtbf: 60d, time_to_repair: { dist: fixed, value: 30m } }
  lb: { time_to_failure: 90d, time_to_repair: { dist: empirical, samples: [1h, 2h, 30m] } }
  cache: { time_to_failure: { dist: gamma, shape: 0.5, scale: 40d }, time_to_repair: { dist: uniform, low: 1h, high: 3h } }
system:
  series: [{ parallel: { n: 2, of: web } }, db, lb, { k_of_n: { k: 2, n: 3, of: cache } }]
";

/// Independent parts with any time laws: the steady state depends on the means only
/// (alternating renewal), so the exact figures computed from the means must fall inside
/// the simulation's intervals, which draws the laws themselves.
#[test]
fn non_exponential_laws_against_renewal_theory() {
    let a = hacalc::analyse("laws.yaml", LAWS).unwrap();
    // The analysis used the means: Weibull scale x Gamma(1 + 1/1.5), lognormal
    // median x exp(sigma^2 / 2), the empirical average.
    let web = &a.model.components[0];
    let mean_up = 40.0 * 24.0 * 0.902_745_292_950_933_6;
    let sigma = 3f64.ln() / 1.644_853_626_951_472_2;
    let mean_down = 2.0 * (sigma * sigma / 2.0).exp();
    let r = web.rates.unwrap();
    assert!((r.mtbf() - mean_up).abs() < 1e-9 * mean_up, "{}", r.mtbf());
    assert!((r.mttr() - mean_down).abs() < 1e-12 * mean_down);
    assert!((a.model.components[2].rates.unwrap().mttr() - 3.5 / 3.0).abs() < 1e-15);
    let o = SimOptions {
        hours: 3000.0 * 8760.0,
        seed: 5,
        threads: 2,
        ..Default::default()
    };
    let r = simulate(&a.model, &a.structure, &a.solution, &o).unwrap();
    let s = &a.solution.system;
    let near = |e: hacalc::solve::simulate::Estimate, x: f64| {
        (e.estimate - x).abs() <= 1.5 * (e.high - e.low)
    };
    assert!(
        near(r.unavailability, s.unavailability()),
        "{:?} vs {:e}",
        r.unavailability,
        s.unavailability()
    );
    assert!(
        near(r.frequency, s.frequency.unwrap()),
        "{:?} vs {:e}",
        r.frequency,
        s.frequency.unwrap()
    );
    assert!(r.system_failures > 1000);
    // Independent parts: no warning about laws (their steady state is exact).
    assert!(
        a.warnings
            .iter()
            .all(|w| !w.message.contains("times as exponential")),
        "{:?}",
        a.warnings
    );
}

/// A fixed repair time gives outages of exactly that length: a lone unit's down time over
/// its failures is the value, up to the outages cut by the replications' ends.
#[test]
fn fixed_repair_gives_outages_of_its_length() {
    let y =
        "components:\n  x: { mtbf: 10h, time_to_repair: { dist: fixed, value: 30m } }\nsystem: x\n";
    let a = hacalc::analyse("x.yaml", y).unwrap();
    let o = SimOptions {
        hours: 200_000.0,
        ..Default::default()
    };
    let r = simulate(&a.model, &a.structure, &a.solution, &o).unwrap();
    let per_outage = r.down_hours / r.system_failures as f64;
    // At most one outage cut at each end of each of the 20 replications.
    let slack = 0.5 * 40.0 / r.system_failures as f64;
    assert!((per_outage - 0.5).abs() <= slack, "{per_outage}");
    assert!((a.solution.system.unavailability() - 0.5 / 10.5).abs() < 1e-15);
    // Fixed up times too: the unit is periodic, so every replication sees the same share
    // of down time (to its cut ends) and the interval is narrow; exponential times of the
    // same means would spread the replications by a few percent.
    let y = "components:\n  x: { time_to_failure: { dist: fixed, value: 10h }, time_to_repair: { dist: fixed, value: 30m } }\nsystem: x\n";
    let a = hacalc::analyse("x.yaml", y).unwrap();
    let r = simulate(&a.model, &a.structure, &a.solution, &o).unwrap();
    let u = r.unavailability;
    assert!((u.high - u.low) < 2e-3 * u.estimate, "{u:?}");
    assert!((u.estimate - 0.5 / 10.5).abs() < 1e-3 * u.estimate, "{u:?}");
}

/// Inside a Markov block a law cannot be kept by the analysis: it uses the mean and a warning
/// says so (with crews, "simulation only": the simulator repairs the copies with their crews
/// and draws the law); over time every part is exponential, and the curves say so.
#[test]
fn laws_where_they_are_not_exact_are_warned_of() {
    let y = "components:\n  x: { mtbf: 10d, time_to_repair: { dist: fixed, value: 1h } }\nsystem: { k_of_n: { k: 2, n: 3, of: x, crews: 1 } }\n";
    let a = hacalc::analyse("x.yaml", y).unwrap();
    let w: Vec<&str> = a.warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(
        w.iter()
            .any(|m| m.contains("in copies with shared repair crews")
                && m.contains("simulation only")),
        "{w:?}"
    );
    let s = "components:\n  x: { mtbf: 10d, time_to_repair: { dist: fixed, value: 1h } }\nsystem: { standby: { of: x, n: 2 } }\n";
    let b = hacalc::analyse("x.yaml", s).unwrap();
    assert!(
        b.warnings.iter().any(|w| w
            .message
            .contains("has fixed times but is inside a Markov block")),
        "{:?}",
        b.warnings
    );
    let request = hacalc::Request {
        over_time: hacalc::OverTime::At(vec![10.0]),
        ..Default::default()
    };
    let a = hacalc::analyse_with("x.yaml", y, &hacalc::Options::default(), &request).unwrap();
    assert!(a.warnings.iter().any(|w| {
        w.message
            .contains("A(t), R(t) and MTTF take every part's times as exponential")
    }));
}

mod biased {
    use hacalc::solve::simulate::{SimOptions, simulate_biased};

    fn run(
        text: &str,
        seed: u64,
        threads: usize,
        rel: f64,
    ) -> (hacalc::Analysis, hacalc::solve::simulate::SimResult) {
        let a = hacalc::analyse("b.yaml", text).unwrap();
        let o = SimOptions {
            seed,
            threads,
            ..Default::default()
        };
        let r = simulate_biased(&a.model, &a.structure, &a.solution, &o, rel).unwrap();
        (a, r)
    }

    fn example(name: &str) -> String {
        std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("examples")
                .join(name),
        )
        .unwrap()
    }

    /// The five-nines examples (and beyond: down to 8e-10): U within 10% (95%) and the
    /// exact value inside three half-widths, from a fixed seed, in well under a minute.
    #[test]
    fn five_nines_examples() {
        for name in [
            "dc-network.yaml",
            "quorum-lock.yaml",
            "three-regions.yaml",
            "object-store.yaml",
            "master-master.yaml",
        ] {
            let (a, r) = run(&example(name), 3, 2, 0.1);
            let exact = a.solution.system.unavailability();
            let u = r.unavailability;
            assert!(!r.truncated, "{name}: budget hit");
            assert!((u.high - u.low) / 2.0 <= 0.1 * u.estimate, "{name}: {u:?}");
            assert!(
                (u.estimate - exact).abs() <= 1.5 * (u.high - u.low),
                "{name}: {u:?} vs {exact:e}"
            );
            let f = a.solution.system.frequency.unwrap();
            assert!(
                (r.frequency.estimate - f).abs() <= 1.5 * (r.frequency.high - r.frequency.low),
                "{name}: {:?} vs {f:e}",
                r.frequency
            );
        }
    }

    /// dc-mesh: 43 links whose smallest cuts have four; the distance to failure steers the
    /// biasing to the cuts (balanced biasing alone needed 8 million cycles and 160 s).
    #[test]
    #[ignore = "about a minute and a half in a debug build (8 s in release)"]
    fn mesh_of_43_links() {
        let (a, r) = run(&example("dc-mesh.yaml"), 1, 2, 0.1);
        let exact = a.solution.system.unavailability();
        assert!(
            (r.unavailability.estimate - exact).abs()
                <= 1.5 * (r.unavailability.high - r.unavailability.low)
        );
        // The stiff nearly-decomposable chain of the reference cases (U 3.3e-9).
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/reference/p15_stiff_ncd.yaml"),
        )
        .unwrap();
        let (a, r) = run(&text, 1, 2, 0.1);
        let exact = a.solution.system.unavailability();
        assert!(
            (r.unavailability.estimate - exact).abs()
                <= 1.5 * (r.unavailability.high - r.unavailability.low),
            "{:?} vs {exact:e}",
            r.unavailability
        );
    }

    const PAIR: &str =
        "components:\n  x: { mtbf: 1y, mttr: 1h }\nsystem: { parallel: { n: 2, of: x } }\n";

    /// A pair with U = (1/8761)^2 = 1.3e-8 (closed form): estimated within its interval,
    /// the same on any thread count, and another seed gives other numbers.
    #[test]
    fn pair_against_its_closed_form() {
        let exact = (1.0f64 / 8761.0).powi(2);
        let (_, one) = run(PAIR, 9, 1, 0.05);
        let u = one.unavailability;
        assert!(
            (u.estimate - exact).abs() <= 1.5 * (u.high - u.low),
            "{u:?} vs {exact:e}"
        );
        for threads in [2, 8] {
            let (_, r) = run(PAIR, 9, threads, 0.05);
            assert_eq!(r.unavailability, one.unavailability);
            assert_eq!(r.events, one.events);
        }
        assert_ne!(run(PAIR, 10, 2, 0.05).1.unavailability, one.unavailability);
        // Frequency: 2 x A_unit x U_unit x mu... the pair fails at 2 lambda u_unit a_unit.
        let (l, m) = (1.0 / 8760.0, 1.0);
        let (a1, u1) = (m / (l + m), l / (l + m));
        let f = 2.0 * a1 * u1 * l;
        assert!(
            (one.frequency.estimate - f).abs() <= 1.5 * (one.frequency.high - one.frequency.low)
        );
    }

    /// Unbiased: over 100 seeds the exact U falls inside the 95% interval in about 95.
    #[test]
    #[ignore = "about a minute in a debug build"]
    fn coverage_over_100_seeds() {
        let text = "components:\n  x: { mtbf: 1y, mttr: 1h }\n  y: { mtbf: 2y, mttr: 4h }\nsystem: { series: [{ parallel: { n: 2, of: x } }, { k_of_n: { k: 2, n: 4, of: y } }] }\n";
        let a = hacalc::analyse("c.yaml", text).unwrap();
        let exact_u = a.solution.system.unavailability();
        let inside = (0..100)
            .filter(|&seed| run(text, seed, 2, 0.1).1.unavailability.contains(exact_u))
            .count();
        eprintln!("coverage: {inside} of 100 intervals hold the exact U");
        assert!(inside >= 88, "{inside} of 100");
    }

    /// Hostile-review regressions: the budget holds at the move (not after 40,000 cycles);
    /// a system too large to steer is refused rather than estimated far off with a narrow
    /// interval; values near 1e-196 keep an interval (their squares used to underflow to a
    /// zero width).
    #[test]
    fn budget_size_and_underflow() {
        let a = hacalc::analyse("w.yaml", &example("web-service.yaml")).unwrap();
        let o = SimOptions {
            max_events: 1000,
            ..Default::default()
        };
        let r = simulate_biased(&a.model, &a.structure, &a.solution, &o, 1e-6).unwrap();
        assert!(
            r.events <= 1000 + 100 && r.truncated,
            "{} {}",
            r.events,
            r.truncated
        );
        let big = "components:\n  a: { mtbf: 1y, mttr: 1h }\nsystem: { k_of_n: { k: 990, n: 1000, of: a } }\n";
        let b = hacalc::analyse("b.yaml", big).unwrap();
        let e = simulate_biased(
            &b.model,
            &b.structure,
            &b.solution,
            &SimOptions::default(),
            0.1,
        )
        .unwrap_err();
        assert!(e.message.contains("at most 200 parts"), "{e:?}");
        let (c, r) = run(
            "components:\n  a: { mtbf: 1e9y, mttr: 1ms }\nsystem: { parallel: { n: 10, of: a } }\n",
            1,
            2,
            0.1,
        );
        let u = r.unavailability;
        let exact = c.solution.system.unavailability();
        assert!(
            u.high > u.low && u.contains(exact)
                || (u.estimate - exact).abs() <= 1.5 * (u.high - u.low),
            "{u:?} vs {exact:e}"
        );
    }

    #[test]
    fn time_laws_are_refused() {
        let a = hacalc::analyse("l.yaml", "components:\n  x: { mtbf: 1y, time_to_repair: { dist: fixed, value: 1h } }\nsystem: x\n").unwrap();
        let e = simulate_biased(
            &a.model,
            &a.structure,
            &a.solution,
            &SimOptions::default(),
            0.1,
        )
        .unwrap_err();
        assert!(e.message.contains("needs exponential times"), "{e:?}");
        assert_eq!(e.pos.line, 2);
    }
}

/// Every shipped example against its exact values: a plain run long enough for about 2,000
/// system failures where failures are frequent, failure biasing where they are rare (U below
/// 1e-5; the 43-link mesh, a minute in a debug build, is `biased::mesh_of_43_links`), and a
/// located refusal where static availabilities leave nothing to simulate.
#[test]
fn every_example() {
    every_model_in("examples");
}

/// Models that take about half a minute each in a debug build (a few seconds in release):
/// the 43-link mesh and the stiff nearly-decomposable chain, in `biased::mesh_of_43_links`.
const SLOW: [&str; 2] = ["dc-mesh.yaml", "p15_stiff_ncd.yaml"];

/// The same for the known-answer cases of tests/reference (each also pinned to 50 digits).
#[test]
fn every_reference_case() {
    every_model_in("tests/reference");
}

fn every_model_in(folder: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    for name in names {
        let text = std::fs::read_to_string(dir.join(&name)).unwrap();
        let a = hacalc::analyse(&name, &text).unwrap();
        let s = &a.solution.system;
        let o = SimOptions {
            seed: 21,
            threads: 2,
            ..Default::default()
        };
        let Some(f) = s.frequency else {
            let e = simulate(&a.model, &a.structure, &a.solution, &o).unwrap_err();
            assert!(
                e.message.contains("only a static availability"),
                "{name}: {e:?}"
            );
            continue;
        };
        if SLOW.contains(&name.as_str()) {
            continue;
        }
        let r = if s.unavailability() < 1e-5 {
            hacalc::solve::simulate::simulate_biased(&a.model, &a.structure, &a.solution, &o, 0.1)
        } else {
            let o = SimOptions {
                hours: (2000.0 / f).min(5e7),
                ..o
            };
            simulate(&a.model, &a.structure, &a.solution, &o)
        }
        .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let near = |e: hacalc::solve::simulate::Estimate, x: f64| {
            (e.estimate - x).abs() <= 1.5 * (e.high - e.low)
        };
        assert!(
            near(r.unavailability, s.unavailability()),
            "{name}: U {:?} vs {:e}",
            r.unavailability,
            s.unavailability()
        );
        assert!(near(r.frequency, f), "{name}: f {:?} vs {f:e}", r.frequency);
        // Data sets: MTTDL by the loss chains' own regenerative cycles.
        assert_eq!(r.data.len(), a.durability.len(), "{name}");
        for (d, exact) in r.data.iter().zip(&a.durability) {
            assert!(
                near(d.mttdl_hours, exact.mttdl_hours),
                "{name}/{}: {:?} vs {:e}",
                d.name,
                d.mttdl_hours,
                exact.mttdl_hours
            );
        }
    }
}

/// MTTDL of 2 and 3 replicas against their closed forms, (3l + m)/(2l^2) and
/// (11l^2 + 7lm + 2m^2)/(6l^3), and of a chain that is not birth-death; each within 5% at 95%,
/// the same on any thread count.
#[test]
fn data_sets_against_closed_forms() {
    let text = "components:\n  disk: { mtbf: 1y, mttr: 1d }\nsystem: disk\ndata:\n  two: { replicas: { n: 2, of: disk, rebuild: 12h } }\n  three: { replicas: { n: 3, of: disk, rebuild: 6h } }\n  odd:\n    markov:\n      states: [ok, one, both, lost]\n      absorbing: [lost]\n      transitions:\n        - { from: ok, to: one, rate: 2/y }\n        - { from: one, to: ok, after: 8h }\n        - { from: one, to: both, rate: 1/y }\n        - { from: one, to: lost, rate: 0.01/y }\n        - { from: both, to: one, after: 4h }\n        - { from: both, to: lost, rate: 3/y }\n";
    let a = hacalc::analyse("d.yaml", text).unwrap();
    let l = 1.0 / 8760.0;
    let (m2, m3) = (1.0 / 12.0, 1.0 / 6.0);
    let closed = [
        (3.0 * l + m2) / (2.0 * l * l),
        (11.0 * l * l + 7.0 * l * m3 + 2.0 * m3 * m3) / (6.0 * l * l * l),
        a.durability[2].mttdl_hours,
    ];
    let run = |threads| {
        let o = SimOptions {
            hours: 10.0 * 8760.0,
            seed: 6,
            threads,
            ..Default::default()
        };
        simulate(&a.model, &a.structure, &a.solution, &o)
            .unwrap()
            .data
    };
    let one = run(1);
    for (d, want) in one.iter().zip(closed) {
        let e = d.mttdl_hours;
        assert!(
            (e.high - e.low) / 2.0 <= 0.05 * e.estimate * 1.01,
            "{}: {e:?}",
            d.name
        );
        assert!(
            (e.estimate - want).abs() <= 1.5 * (e.high - e.low),
            "{}: {e:?} vs {want:e}",
            d.name
        );
    }
    let two = run(2);
    for (x, y) in one.iter().zip(&two) {
        assert_eq!(x.mttdl_hours, y.mttdl_hours);
    }
}

/// A fixed failover: every outage of a standby whose spares never all fail lasts exactly the
/// switchover (an exponential one of the same mean gives outages of every length), and its
/// long-run figures agree with the analysis (each switchover is down for the same mean).
#[test]
fn fixed_switchover_gives_outages_of_its_length() {
    let fixed = "components:\n  node: { mtbf: 30d, mttr: 1m }\nsystem:\n  standby: { of: node, n: 3, active: 1, switchover: { dist: fixed, value: 30m } }\n";
    let a = hacalc::analyse("s.yaml", fixed).unwrap();
    assert!(
        a.warnings
            .iter()
            .any(|w| w.message.contains("switchover is fixed")),
        "{:?}",
        a.warnings
    );
    let o = SimOptions {
        hours: 300.0 * 8760.0,
        seed: 8,
        ..Default::default()
    };
    let r = simulate(&a.model, &a.structure, &a.solution, &o).unwrap();
    assert_eq!(r.longest_outage_hours, 0.5);
    let slack = 0.5 * 40.0 / r.system_failures as f64;
    assert!((r.down_hours / r.system_failures as f64 - 0.5).abs() <= slack);
    let e = r.unavailability;
    let exact = a.solution.system.unavailability();
    assert!(
        (e.estimate - exact).abs() <= 1.5 * (e.high - e.low),
        "{e:?} vs {exact:e}"
    );
    let exponential = fixed.replace("{ dist: fixed, value: 30m }", "30m");
    let b = hacalc::analyse("s.yaml", &exponential).unwrap();
    assert_eq!(b.solution.system.unavailability(), exact);
    let r = simulate(&b.model, &b.structure, &b.solution, &o).unwrap();
    assert!(r.longest_outage_hours > 1.5, "{}", r.longest_outage_hours);
    // Failure biasing cannot follow it.
    let err =
        hacalc::solve::simulate::simulate_biased(&a.model, &a.structure, &a.solution, &o, 0.1)
            .unwrap_err();
    assert!(err.message.contains("switchover has a law"), "{err:?}");
}

/// Copies with crews and time laws are simulated unit by unit with their crews (first come,
/// first served). With a crew for every copy nobody waits, so the copies are independent
/// renewal units and the steady state is the analysis's, for any law.
#[test]
fn crews_with_time_laws() {
    let y = "components:\n  x: { time_to_failure: { dist: weibull, shape: 2, scale: 100h }, time_to_repair: { dist: fixed, value: 10h } }\nsystem: { k_of_n: { k: 2, n: 3, of: x, crews: 3 } }\n";
    let a = hacalc::analyse("c.yaml", y).unwrap();
    let o = SimOptions {
        hours: 2e6,
        seed: 12,
        ..Default::default()
    };
    let r = simulate(&a.model, &a.structure, &a.solution, &o).unwrap();
    let s = &a.solution.system;
    let near = |e: hacalc::solve::simulate::Estimate, x: f64| {
        (e.estimate - x).abs() <= 1.5 * (e.high - e.low)
    };
    assert!(
        near(r.unavailability, s.unavailability()),
        "{:?} vs {:e}",
        r.unavailability,
        s.unavailability()
    );
    assert!(near(r.frequency, s.frequency.unwrap()));
    // One crew: copies wait for it, and more of the time is lost than with a crew each.
    let one = y.replace("crews: 3", "crews: 1");
    let b = hacalc::analyse("c.yaml", &one).unwrap();
    let r = simulate(&b.model, &b.structure, &b.solution, &o).unwrap();
    assert!(
        r.unavailability.low > s.unavailability(),
        "{:?}",
        r.unavailability
    );
}

/// Many short replications: each still warms up over ten of the slowest time constants
/// (here a 7-day repair), so the estimate is not biased by every part starting new (with a
/// warm-up of 1% of 876 h it read 91.26% against the exact 89.55%).
#[test]
fn short_replications_keep_their_warm_up() {
    let a = hacalc::analyse(
        "s.yaml",
        "components:\n  a: { mtbf: 60d, mttr: 7d }\nsystem: a\n",
    )
    .unwrap();
    let o = SimOptions {
        hours: 2000.0 * 8760.0,
        replications: 20_000,
        ..Default::default()
    };
    let r = simulate(&a.model, &a.structure, &a.solution, &o).unwrap();
    let e = r.availability;
    let exact = a.solution.system.availability();
    assert!(
        (e.estimate - exact).abs() <= 1.5 * (e.high - e.low),
        "{e:?} vs {exact}"
    );
}
