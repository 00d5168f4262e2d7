//! Planned maintenance against closed forms written out here: a lone unit, copies all at
//! once, staggered copies; the frequency with the failures that maintenance starts cause;
//! `--planned exclude`; the simulator following the schedule; and the located errors.

use hacalc::solve::simulate::{SimOptions, simulate};

fn solve(text: &str) -> hacalc::Analysis {
    hacalc::analyse("m.yaml", text).unwrap_or_else(|r| panic!("{}", r.to_plain()))
}

fn rel(a: f64, b: f64) -> f64 {
    ((a - b) / b).abs()
}

/// A unit with failure rate l and repair rate u: (A, U).
fn unit(l: f64, u: f64) -> (f64, f64) {
    (u / (l + u), l / (l + u))
}

#[test]
fn a_lone_unit() {
    let a = solve(
        "components:\n  x: { mtbf: 100h, mttr: 5h, maintenance: { every: 30d, duration: 2h } }\nsystem: x\n",
    );
    let (au, uu) = unit(0.01, 0.2);
    let m = 2.0 / 720.0;
    let s = &a.solution.system;
    // U = U_u + A_u m (a sum of positive terms), A = A_u (1 - m).
    assert!(rel(s.unavailability(), uu + au * m) < 1e-14);
    assert!(rel(s.availability(), au * (1.0 - m)) < 1e-14);
    // Failures: unplanned ones in service, and each maintenance that finds it up.
    let f = au * (0.01 * (1.0 - m) + 1.0 / 720.0);
    assert!(
        rel(s.frequency.unwrap(), f) < 1e-12,
        "{:?} vs {f}",
        s.frequency
    );
    let p = a.planned.unwrap();
    assert!(p.included);
    assert!(rel(p.unavailability, au * m) < 1e-9);
}

#[test]
fn copies_at_once_and_staggered() {
    let (a1, u1) = unit(1.0 / 720.0, 1.0);
    let m = 0.5 / 168.0;
    // A pair maintained at once: down for the whole maintenance, else when both failed.
    let a = solve(
        "components:\n  x: { mtbf: 30d, mttr: 1h, maintenance: { every: 7d, duration: 30m } }\nsystem: { parallel: { n: 2, of: x } }\n",
    );
    let u = (1.0 - m) * u1 * u1 + m;
    assert!(rel(a.solution.system.unavailability(), u) < 1e-12);
    // 2 of 3 staggered: with one copy out, both others must be up.
    let a = solve(
        "components:\n  x: { mtbf: 30d, mttr: 1h, maintenance: { every: 7d, duration: 30m, staggered: true } }\nsystem: { k_of_n: { k: 2, n: 3, of: x } }\n",
    );
    let u3 = 3.0 * u1 * u1 * a1 + u1.powi(3);
    let u2 = u1 * (2.0 - u1);
    let u = (1.0 - 3.0 * m) * u3 + 3.0 * m * u2;
    assert!(
        rel(a.solution.system.unavailability(), u) < 1e-12,
        "{} vs {u}",
        a.solution.system.unavailability()
    );
    // Frequency: each situation's own (sum of Birnbaum x a copy's a lambda: 2-of-3 and, one
    // copy out, 2-of-2), and each maintenance start that finds the block up but unable to
    // lose that copy, at 3/T with probability U(2 of 2) - U(2 of 3) (coherent).
    let f3 = 3.0 * (2.0 * u1 * a1) * (a1 / 720.0);
    let f2 = 2.0 * a1 * (a1 / 720.0);
    let start = 3.0 / 168.0 * (u2 - u3);
    let f = (1.0 - 3.0 * m) * f3 + 3.0 * m * f2 + start;
    let got = a.solution.system.frequency.unwrap();
    assert!(rel(got, f) < 1e-9, "{got} vs {f}");
}

/// `--planned exclude` gives the model without maintenance, bit for bit, and says what it
/// left out.
#[test]
fn planned_exclude() {
    let with = "components:\n  x: { mtbf: 30d, mttr: 1h, maintenance: { every: 7d, duration: 30m } }\n  y: { mtbf: 1y, mttr: 4h }\nsystem: { series: [{ parallel: { n: 2, of: x } }, y] }\n";
    let without = "components:\n  x: { mtbf: 30d, mttr: 1h }\n  y: { mtbf: 1y, mttr: 4h }\nsystem: { series: [{ parallel: { n: 2, of: x } }, y] }\n";
    let options = hacalc::Options {
        planned_excluded: true,
        ..Default::default()
    };
    let a = hacalc::analyse_with("m.yaml", with, &options, &hacalc::Request::default()).unwrap();
    let b = solve(without);
    assert_eq!(
        a.solution.system.unavailability(),
        b.solution.system.unavailability()
    );
    assert_eq!(a.solution.system.frequency, b.solution.system.frequency);
    let p = a.planned.unwrap();
    assert!(!p.included && p.unavailability > 0.0);
    let included = solve(with);
    assert!(
        rel(
            included.solution.system.unavailability() - b.solution.system.unavailability(),
            p.unavailability
        ) < 1e-9
    );
}

/// The simulator follows the schedules (phases drawn per replication, staggered copies
/// spread over the period): its U and failures hold the exact values.
#[test]
fn simulation_follows_the_schedule() {
    for text in [
        "components:\n  x: { mtbf: 30d, mttr: 1h, maintenance: { every: 7d, duration: 30m, staggered: true } }\n  y: { mtbf: 1y, mttr: 2h, maintenance: { every: 30d, duration: 1h } }\nsystem: { series: [{ k_of_n: { k: 2, n: 3, of: x } }, y] }\n",
        "components:\n  x: { mtbf: 30d, mttr: 1h, maintenance: { every: 7d, duration: 2h } }\nsystem: { parallel: { n: 2, of: x } }\n",
    ] {
        let a = solve(text);
        let o = SimOptions {
            hours: 1000.0 * 8760.0,
            seed: 4,
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
    }
}

#[test]
fn located_errors() {
    for (text, needle) in [
        (
            "components:\n  x: { mtbf: 30d, mttr: 1h, maintenance: { every: 1h, duration: 2h } }\nsystem: x\n",
            "2:65: error: a maintenance must be shorter",
        ),
        (
            "components:\n  x: { mtbf: 30d, mttr: 1h, maintenance: { every: 1h, duration: 30m, staggered: true } }\nsystem: { parallel: { n: 3, of: x } }\n",
            "its 3 copies cannot be staggered",
        ),
        (
            "components:\n  x: { mtbf: 30d, mttr: 1h, maintenance: { every: 1d } }\nsystem: x\n",
            "`maintenance` needs `duration`",
        ),
        (
            "components:\n  x: { mtbf: 30d, mttr: 1h, maintenance: { every: 1d, duration: 1h, often: 2 } }\nsystem: x\n",
            "often",
        ),
        (
            "components:\n  x: { mtbf: 30d, mttr: 1h, maintenance: { every: 7d, duration: 1h } }\nsystem: { k_of_n: { k: 1, n: 2, of: x, crews: 1 } }\n",
            "inside a Markov block",
        ),
        (
            "teams:\n  t: { size: 1 }\ncomponents:\n  x: { mtbf: 30d, mttr: 1h, team: t, maintenance: { every: 7d, duration: 1h } }\nsystem: x\n",
            "repaired by a team",
        ),
        (
            "components:\n  x: { mtbf: 30d, mttr: 1h, maintenance: { every: 7d, duration: 1h, staggered: true } }\nsystem: { series: [x, { parallel: { n: 2, of: x } }] }\n",
            "staggered across several places",
        ),
    ] {
        let r = hacalc::analyse("m.yaml", text)
            .err()
            .unwrap_or_else(|| panic!("accepted: {text}"));
        assert!(
            r.to_plain().contains(needle),
            "{}\nwanted {needle}",
            r.to_plain()
        );
    }
}

/// Maintenance reaches a component wherever it is used: as network links (both out at once:
/// the pair's closed form), inside a pool (staggered: the 2-of-3 closed form), beside copies
/// of another component that it must leave alone.
#[test]
fn every_place_a_component_is_used() {
    let (a1, u1) = unit(1.0 / 720.0, 1.0);
    let m = 0.5 / 168.0;
    let net = solve(
        "components:\n  x: { mtbf: 30d, mttr: 1h, maintenance: { every: 7d, duration: 30m } }\nsystem:\n  network: { from: a, to: b, links: [{ from: a, to: b, via: x }, { from: a, to: b, via: x }] }\n",
    );
    let u = (1.0 - m) * u1 * u1 + m;
    assert!(
        rel(net.solution.system.unavailability(), u) < 1e-12,
        "{}",
        net.solution.system.unavailability()
    );
    let pool = solve(
        "components:\n  x: { mtbf: 30d, mttr: 1h, maintenance: { every: 7d, duration: 30m, staggered: true } }\nsystem: { pool: { n: 3, of: x, demand: 2, k: 2 } }\n",
    );
    let u3 = 3.0 * u1 * u1 * a1 + u1.powi(3);
    let u2 = u1 * (2.0 - u1);
    let u = (1.0 - 3.0 * m) * u3 + 3.0 * m * u2;
    assert!(
        rel(pool.solution.system.unavailability(), u) < 1e-12,
        "{}",
        pool.solution.system.unavailability()
    );
    // y's copies are not x's: only x goes out.
    let mixed = solve(
        "components:\n  x: { mtbf: 30d, mttr: 1h, maintenance: { every: 7d, duration: 30m } }\n  y: { mtbf: 30d, mttr: 1h }\nsystem: { series: [x, { parallel: { n: 2, of: y } }] }\n",
    );
    let ux = u1 + a1 * m;
    let u = 1.0 - (1.0 - ux) * (1.0 - u1 * u1);
    assert!(
        rel(mixed.solution.system.unavailability(), u) < 1e-9,
        "{}",
        mixed.solution.system.unavailability()
    );
}

/// Ten maintained components make 1,024 joint situations, the most solved; eleven are refused
/// with a located error.
#[test]
fn situation_limit() {
    let model = |n: usize| {
        let mut t = String::from("components:\n");
        for i in 0..n {
            t.push_str(&format!(
                "  c{i}: {{ mtbf: 30d, mttr: 1h, maintenance: {{ every: 30d, duration: 1h }} }}\n"
            ));
        }
        let names: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
        format!("{t}system: {{ parallel: [{}] }}\n", names.join(", "))
    };
    let a = solve(&model(10));
    assert_eq!(a.planned.unwrap().situations, 1024);
    // Every copy out at once takes the parallel down only when all ten are out (or failed):
    // U = prod(U_u + A_u m) over independent phases.
    let (au, uu) = unit(1.0 / 720.0, 1.0);
    let m = 1.0 / 720.0;
    let u = (uu + au * m).powi(10);
    assert!(
        rel(a.solution.system.unavailability(), u) < 1e-9,
        "{} vs {u}",
        a.solution.system.unavailability()
    );
    let r = hacalc::analyse("m.yaml", &model(11)).unwrap_err();
    assert!(
        r.to_plain().contains("2048 joint situations"),
        "{}",
        r.to_plain()
    );
}

/// Two maintained units in series, on unsynchronised schedules: the system's frequency is
/// f_x A_y + f_y A_x with each unit's own (its maintenance starts included), each copy's
/// figures count maintenance as down time, x's Birnbaum (through its failures: dA_sys over
/// the availability its failures leave it) is (1 - m_x) A_y, and what x saves if it never
/// failed is A_y (1 - m_x) U_x (it is still maintained).
#[test]
fn two_schedules_and_the_component_figures() {
    let a = solve(
        "components:\n  x: { mtbf: 100h, mttr: 5h, maintenance: { every: 30d, duration: 2h } }\n  y: { mtbf: 1y, mttr: 2h, maintenance: { every: 7d, duration: 1h } }\nsystem: { series: [x, y] }\n",
    );
    let (lx, ly) = (0.01, 1.0 / 8760.0);
    let ((ax, ux), (ay, uy)) = (unit(lx, 0.2), unit(ly, 0.5));
    let (mx, my) = (2.0 / 720.0, 1.0 / 168.0);
    let (ex, ey) = (ax * (1.0 - mx), ay * (1.0 - my));
    let (fx, fy) = (
        ax * (lx * (1.0 - mx) + 1.0 / 720.0),
        ay * (ly * (1.0 - my) + 1.0 / 168.0),
    );
    let s = &a.solution.system;
    assert!(rel(s.availability(), ex * ey) < 1e-12);
    assert!(
        rel(s.frequency.unwrap(), fx * ey + fy * ex) < 1e-9,
        "{:?} vs {}",
        s.frequency,
        fx * ey + fy * ex
    );
    let x = &a.solution.components[0];
    assert!(rel(x.measures.avail.p, ex) < 1e-14);
    assert!(rel(x.measures.avail.q, ux + ax * mx) < 1e-14);
    assert!(rel(x.measures.frequency.unwrap(), fx) < 1e-14);
    assert!(
        rel(x.birnbaum, (1.0 - mx) * ey) < 1e-9,
        "{} vs {ey}",
        x.birnbaum
    );
    assert!(
        rel(x.unavailability_saved, ey * (1.0 - mx) * ux) < 1e-9,
        "{} vs {}",
        x.unavailability_saved,
        ey * (1.0 - mx) * ux
    );
    assert_eq!(a.planned.unwrap().situations, 4);
    let _ = uy;
}
