//! Transient paths that had no test: R(t) of a network and of copies (the joint chain of a
//! small redundant block), the sparse uniformisation path of a chain over 400 states, the
//! "out of reach" result, and Markdown with `--at`.

use hacalc::analysis::{OverTime, Request};

fn at(yaml: &str, times: &[f64]) -> hacalc::Analysis {
    at_with(yaml, times, &Default::default())
}

fn at_with(yaml: &str, times: &[f64], options: &hacalc::Options) -> hacalc::Analysis {
    let request = Request {
        over_time: OverTime::At(times.to_vec()),
        ..Request::default()
    };
    hacalc::analyse_with("t.yaml", yaml, options, &request)
        .unwrap_or_else(|r| panic!("{}", r.to_plain()))
}

fn rel(a: f64, b: f64) -> f64 {
    ((a - b) / b).abs()
}

/// R(t) of two identical repairable units in parallel (down when both are), in closed form:
/// states 2 up and 1 up, with generator [[-2l, 2l], [m, -(l + m)]] and the both-down state
/// absorbing; R(t) = P(not absorbed by t) from the two eigenvalues.
fn parallel_pair_reliability(l: f64, m: f64, t: f64) -> f64 {
    // Eigenvalues of the sub-generator: s^2 + (3l + m) s + 2l^2 = 0.
    let b = 3.0 * l + m;
    let d = (b * b - 8.0 * l * l).sqrt();
    let (s1, s2) = ((-b + d) / 2.0, (-b - d) / 2.0);
    // From state "2 up": R(0) = 1, R'(0) = 0 (no one-step absorption from 2 up).
    // R = c1 e^{s1 t} + c2 e^{s2 t}, c1 + c2 = 1, c1 s1 + c2 s2 = 0.
    let c1 = -s2 / (s1 - s2);
    let c2 = s1 / (s1 - s2);
    c1 * (s1 * t).exp() + c2 * (s2 * t).exp()
}

#[test]
fn reliability_of_a_network_and_of_copies() {
    let (l, m) = (1.0 / 500.0, 1.0 / 20.0);
    let times = [10.0, 500.0, 5000.0];
    let net = at(
        "components:\n  a: { mtbf: 500h, mttr: 20h }\nsystem:\n  network:\n    from: s\n    to: t\n    links:\n      - { from: s, to: t, via: a }\n      - { from: s, to: t, via: a }\n",
        &times,
    );
    let copies = at(
        "components:\n  a: { mtbf: 500h, mttr: 20h }\nsystem: { parallel: { n: 2, of: a } }\n",
        &times,
    );
    for a in [&net, &copies] {
        let tr = a.over_time.as_ref().unwrap();
        for (p, &t) in tr.points.iter().zip(&times) {
            let (r, _) = p.reliability.expect("R(t) computed for a pair");
            let want = parallel_pair_reliability(l, m, t);
            assert!(rel(r, want) < 1e-9, "t = {t}: {r} vs {want}");
        }
    }
}

/// 590 of 600 units with as many crews as units: a chain of 601 states (past the dense
/// transient limit, so the sparse uniformisation path, called on the chain itself since the
/// analysis takes the closed form for such a block) whose A(t) is the binomial tail of
/// independent units, each up with a(t) = (m + l e^{-(l+m) t}) / (l + m).
#[test]
fn sparse_uniformisation_against_independent_units() {
    let (l, m) = (1.0 / 1000.0, 1.0 / 10.0);
    let times = [1.0, 24.0];
    let (chain, _) = hacalc::compile::chains::crews::build(600, 590, 600, l, m);
    let stepped = hacalc::solve::ctmc::transient::availability(&chain, &times, None, 1e9).unwrap();
    let a = at(
        "components:\n  a: { mtbf: 1000h, mttr: 10h }\nsystem: { k_of_n: { k: 590, n: 600, of: a, crews: 600 } }\n",
        &times,
    );
    let tr = a.over_time.as_ref().unwrap();
    for ((p, &t), &(_, stepped_u)) in tr.points.iter().zip(&times).zip(&stepped) {
        let down = l / (l + m) * -(-(l + m) * t).exp_m1();
        // P(more than 10 of 600 down), in logs.
        let ln_c = |n: u64, k: u64| -> f64 {
            (1..=k)
                .map(|i| ((n - k + i) as f64).ln() - (i as f64).ln())
                .sum()
        };
        let want: f64 = (11..=600u64)
            .map(|j| {
                (ln_c(600, j) + j as f64 * down.ln() + (600 - j) as f64 * (-down).ln_1p()).exp()
            })
            .sum();
        assert!(
            rel(stepped_u, want) < 1e-9,
            "t = {t}: {stepped_u} vs {want}"
        );
        assert!(
            rel(p.unavailability, want) < 1e-12,
            "t = {t}: {} vs {want}",
            p.unavailability
        );
    }
}

/// Fewer crews than copies: the closed form is taken only while the crews cannot matter (its
/// bound is negligible) and then agrees with stepping the chain; with crews that bind it is
/// refused and the analysis steps the chain.
#[test]
fn shared_repair_closed_form_only_where_the_crews_do_not_bind() {
    use hacalc::compile::chains::ChainSpec;
    let times = [0.5, 3.0, 24.0, 200.0];
    let (l, m) = (1e-3, 0.1);
    for (crews, closed) in [(60u64, true), (1, false)] {
        let spec = ChainSpec::Crews {
            n: 300,
            k: 295,
            crews,
            lambda: l,
            mu: m,
        };
        let form = hacalc::solve::transient::shared_repair_closed_form(&spec, &times);
        assert_eq!(form.is_some(), closed, "crews {crews}");
        let (chain, _) = spec.build();
        let stepped =
            hacalc::solve::ctmc::transient::availability(&chain, &times, None, 1e9).unwrap();
        let a = at(
            &format!(
                "components:\n  a: {{ mtbf: 1000h, mttr: 10h }}\nsystem: {{ k_of_n: {{ k: 295, n: 300, of: a, crews: {crews} }} }}\n"
            ),
            &times,
        );
        let points = &a.over_time.as_ref().unwrap().points;
        for (i, &(_, u)) in stepped.iter().enumerate() {
            assert!(
                rel(points[i].unavailability, u) < 1e-9,
                "crews {crews} t {}: {} vs {u}",
                times[i],
                points[i].unavailability
            );
            if let Some(f) = &form {
                assert!(rel(f[i].1, u) < 1e-9, "{} vs {u}", f[i].1);
            }
        }
    }
}

/// A million-state chain at a year, within a small work budget (`--max-transient-work`), is
/// out of reach: no figure, a note that says why, and the steady state still there.
#[test]
fn out_of_reach_is_a_note_not_a_number() {
    let mut options = hacalc::Options::default();
    options.solver.max_transient_work = Some(1e7);
    let a = at_with(
        "components:\n  a: { mtbf: 1000h, mttr: 10h }\nsystem: { k_of_n: { k: 990000, n: 1000000, of: a, crews: 9000 } }\n",
        &[8760.0],
        &options,
    );
    let tr = a.over_time.as_ref().unwrap();
    assert!(tr.points.is_empty(), "no figure without the transient");
    assert!(tr.chains.iter().all(|c| c.availability.is_err()));
    assert!(
        tr.notes
            .iter()
            .any(|n| n.contains("out of reach") && n.contains("budget")),
        "{:?}",
        tr.notes
    );
    assert!(a.solution.system.unavailability() > 0.0);
}

/// Markdown with --at has an "Over time" table with the times asked for.
#[test]
fn markdown_with_times() {
    use hacalc::render::Exporter;
    let a = at(
        "components:\n  a: { mtbf: 500h, mttr: 20h }\nsystem: { parallel: { n: 2, of: a } }\n",
        &[24.0, 8760.0],
    );
    let md = hacalc::render::markdown::Markdown { top: 0 }
        .render(&a)
        .unwrap();
    let section = &md[md.find("### Over time").expect("an Over time section")..];
    assert!(
        section.contains("| 1d |") && section.contains("| 1y |"),
        "{section}"
    );
    // A(1y) is the steady state to many digits: the table shows the same percentage.
    let v = a.solution.system.avail;
    assert!(
        section.contains(&hacalc::units::percent(v.p, v.q)),
        "{section}"
    );
}

/// 100,000 copies with 2,000 crews (never more than about 1,100 down): A(t) from the
/// closed form of independent copies, against the binomial tail summed here term by term
/// (down to 1e-120 at 6 hours).
#[test]
fn many_copies_against_the_binomial_tail() {
    let (l, m) = (1e-3, 0.1);
    let times = [6.0, 24.0, 8760.0];
    // R(t) is not asked here: a small budget makes it give up at once.
    let mut options = hacalc::Options::default();
    options.solver.max_transient_work = Some(1e6);
    let a = at_with(
        "components:\n  a: { mtbf: 1000h, mttr: 10h }\nsystem: { k_of_n: { k: 99000, n: 100000, of: a, crews: 2000 } }\n",
        &times,
        &options,
    );
    let tr = a.over_time.as_ref().unwrap();
    assert_eq!(tr.points.len(), 3, "{:?}", tr.notes);
    for (p, &t) in tr.points.iter().zip(&times) {
        let down = l / (l + m) * -(-(l + m) * t).exp_m1();
        let (lp, lq) = (down.ln(), (-down).ln_1p());
        // ln C(n, j) walked up from j = 0; P(more than 1,000 down) = sum over j > 1,000.
        let n = 100_000u64;
        let (mut ln_c, mut tail) = (0.0f64, 0.0f64);
        for j in 0..n {
            if j > 1_000 {
                let term = (ln_c + j as f64 * lp + (n - j) as f64 * lq).exp();
                tail += term;
                if term < tail * 1e-20 {
                    break;
                }
            }
            ln_c += ((n - j) as f64 / (j + 1) as f64).ln();
        }
        assert!(
            rel(p.unavailability, tail) < 1e-9,
            "t = {t}: {} vs {tail}",
            p.unavailability
        );
    }
}

/// A stiff standby block of 172 states (switchover 30 s against repairs of hours): the
/// report's curves are drawn within their default budget, and a 452-state one asked for at
/// a billion years ends in a note, not in gigabytes of Poisson weights.
#[test]
fn stiff_standby_curves_and_absurd_times() {
    let stiff = "components:\n  w: { mtbf: 30d, mttr: 4h }\nsystem:\n  standby: { of: w, n: 160, active: 150, mode: warm, spare_factor: 0.5, switchover: 30s, crews: 3 }\n";
    let a = hacalc::analyse_with(
        "stiff.yaml",
        stiff,
        &hacalc::Options::default(),
        &hacalc::Request::report(),
    )
    .unwrap();
    let tr = a.over_time.as_ref().unwrap();
    assert!(tr.points.len() > 10, "{:?}", tr.notes);
    // The last points are the steady state.
    let last = tr.points.last().unwrap();
    let u = a.solution.system.unavailability();
    assert!(
        rel(last.unavailability, u) < 1e-8,
        "{} vs {u}",
        last.unavailability
    );

    let mut options = hacalc::Options::default();
    options.solver.max_transient_work = Some(1e7);
    let far = at_with(
        "components:\n  w: { mtbf: 30d, mttr: 4h }\nsystem:\n  standby: { of: w, n: 300, active: 150, mode: warm, spare_factor: 0.5, switchover: 1ms, crews: 3 }\n",
        &[8760.0 * 1e9],
        &options,
    );
    let tr = far.over_time.as_ref().unwrap();
    assert!(tr.points.is_empty());
    assert!(
        tr.notes.iter().any(|n| n.contains("--max-transient-work")),
        "{:?}",
        tr.notes
    );
}
