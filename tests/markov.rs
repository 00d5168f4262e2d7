//! Markov blocks against independent truth: closed forms, a second solver (Gaussian
//! elimination with pivoting, written here), equivalent models written two ways, finite
//! differences of the whole system, and the bad input each block kind can receive.

use std::path::Path;

fn solve(yaml: &str) -> hacalc::Analysis {
    hacalc::analyse("m.yaml", yaml).unwrap_or_else(|r| panic!("{}", r.to_plain()))
}

fn example(name: &str) -> hacalc::Analysis {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    hacalc::analyse(
        path.to_str().unwrap(),
        &std::fs::read_to_string(&path).unwrap(),
    )
    .unwrap()
}

fn rel(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        a.abs()
    } else {
        ((a - b) / b).abs()
    }
}

/// pi Q = 0, sum pi = 1 by Gaussian elimination with partial pivoting on Q^T with the last
/// equation replaced by the normalisation: a different method from the engine's GTH.
fn dense_solve(n: usize, transitions: &[(usize, usize, f64)]) -> Vec<f64> {
    let mut a = vec![vec![0.0; n + 1]; n];
    for &(i, j, r) in transitions {
        a[j][i] += r; // (Q^T)[j][i]
        a[i][i] -= r;
    }
    a[n - 1].fill(1.0);
    for col in 0..n {
        let p = (col..n)
            .max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))
            .unwrap();
        a.swap(col, p);
        for row in 0..n {
            if row != col {
                let f = a[row][col] / a[col][col];
                if f != 0.0 {
                    let pivot = a[col].clone();
                    for (x, p) in a[row][col..].iter_mut().zip(&pivot[col..]) {
                        *x -= f * p;
                    }
                }
            }
        }
    }
    (0..n).map(|i| a[i][n] / a[i][i]).collect()
}

#[test]
fn crews_at_least_n_is_the_independent_formula() {
    for (k, n) in [(1u64, 2u64), (2, 3), (2, 4), (3, 5)] {
        for crews in [n, n + 3] {
            let shared = solve(&format!(
                "components:\n  x: {{ mtbf: 300h, mttr: 7h }}\nsystem:\n  k_of_n: {{ k: {k}, n: {n}, of: x, crews: {crews} }}\n"
            ));
            let independent = solve(&format!(
                "components:\n  x: {{ mtbf: 300h, mttr: 7h }}\nsystem:\n  k_of_n: {{ k: {k}, n: {n}, of: x }}\n"
            ));
            let (s, i) = (&shared.solution.system, &independent.solution.system);
            assert!(
                rel(s.unavailability(), i.unavailability()) < 1e-12,
                "{k} of {n}, {crews} crews"
            );
            assert!(rel(s.frequency.unwrap(), i.frequency.unwrap()) < 1e-12);
            assert_eq!(shared.solution.chains.len(), 1);
        }
    }
}

#[test]
fn fewer_crews_match_the_birth_death_closed_form() {
    // 2 of 4, one crew: pi_f proportional to prod (4 - i) lambda / mu.
    let (l, m) = (1.0 / 500.0, 1.0 / 20.0);
    let mut w = vec![1.0];
    for f in 0..4 {
        let last = *w.last().unwrap();
        w.push(last * (4 - f) as f64 * l / m);
    }
    let total: f64 = w.iter().sum();
    let want_u = (w[3] + w[4]) / total;
    let a = example("stateless-tier.yaml");
    let chain = &a.solution.chains[0];
    assert!(
        rel(chain.measures.unavailability(), want_u) < 1e-13,
        "{} vs {want_u}",
        chain.measures.unavailability()
    );
    // Up-to-down flux: from 2 failed (2 working) at 2 lambda.
    assert!(rel(chain.measures.frequency.unwrap(), w[2] / total * 2.0 * l) < 1e-13);
    // master-master: 1 crew, pi = 1 : 2 l/m : 2 (l/m)^2.
    let (l, m) = (1.0 / (45.0 * 24.0), 1.0 / 4.0);
    let r = l / m;
    let want = 2.0 * r * r / (1.0 + 2.0 * r + 2.0 * r * r);
    let mm = example("master-master.yaml");
    assert!(rel(mm.solution.system.unavailability(), want) < 1e-13);
}

#[test]
fn hand_written_chain_equals_the_generated_standby() {
    // p10's cold standby written out state by state, as FORMAT.md defines it.
    let generated = solve(
        "components:\n  db: { mtbf: 2000h, mttr: 8h }\nsystem:\n  standby: { of: db, n: 2, mode: cold, switchover: 1m, coverage: 95%, manual_switchover: 15m, crews: 1 }\n",
    );
    let hand = solve(
        "system:
  markov:
    states: [ok, auto1, manual1, one, auto_r, manual_r, both]
    up: [ok, one]
    transitions:
      - { from: ok, to: auto1, rate: 4.75e-4/h }       # 0.95 / 2000h
      - { from: ok, to: manual1, rate: 2.5e-5/h }      # 0.05 / 2000h
      - { from: auto1, to: one, after: 1m }
      - { from: manual1, to: one, after: 15m }
      - { from: auto1, to: auto_r, after: 8h }         # the failed unit is repaired during the switchover
      - { from: manual1, to: manual_r, after: 8h }
      - { from: auto_r, to: ok, after: 1m }
      - { from: manual_r, to: ok, after: 15m }
      - { from: one, to: ok, after: 8h }
      - { from: one, to: both, rate: 5e-4/h }          # the survivor fails: no spare left
      - { from: both, to: one, after: 8h }             # one crew
",
    );
    let (g, h) = (&generated.solution.system, &hand.solution.system);
    assert!(
        rel(g.unavailability(), h.unavailability()) < 1e-12,
        "{} vs {}",
        g.unavailability(),
        h.unavailability()
    );
    assert!(rel(g.frequency.unwrap(), h.frequency.unwrap()) < 1e-12);
}

#[test]
fn warm_standby_limits_equal_hot_standby_and_parallel() {
    let comp = "components:\n  x: { mtbf: 800h, mttr: 9h }\nsystem:\n";
    let warm = solve(&format!(
        "{comp}  standby: {{ of: x, n: 3, mode: warm, spare_factor: 1, coverage: 100%, switchover: 0s, crews: 1 }}\n"
    ));
    let hot = solve(&format!(
        "{comp}  standby: {{ of: x, n: 3, mode: hot, crews: 1 }}\n"
    ));
    let par = solve(&format!("{comp}  parallel: {{ n: 3, of: x, crews: 1 }}\n"));
    for other in [&hot, &par] {
        assert!(
            rel(
                warm.solution.system.unavailability(),
                other.solution.system.unavailability()
            ) < 1e-12
        );
        assert!(
            rel(
                warm.solution.system.frequency.unwrap(),
                other.solution.system.frequency.unwrap()
            ) < 1e-12
        );
    }
}

#[test]
fn common_cause_is_the_series_of_the_shared_event_and_the_group() {
    let a = example("bad-deploys.yaml");
    let (l, m, beta): (f64, f64, f64) = (1.0 / (30.0 * 24.0), 2.0, 0.1);
    let cc_u = beta * l / (beta * l + m);
    let li = (1.0 - beta) * l;
    let (ai, ui) = (m / (li + m), li / (li + m));
    let group_u = 3.0 * ai * ui * ui + ui.powi(3);
    let db_u = 2.0 / (8760.0 + 2.0);
    let want_a = (1.0 - cc_u) * (1.0 - group_u) * (1.0 - db_u);
    assert!(rel(a.solution.system.availability(), want_a) < 1e-13);
    assert!(rel(a.solution.system.unavailability(), 1.0 - want_a) < 1e-9);
    // With beta = 0 the group is the plain 2-of-3.
    let plain = solve(
        "components:\n  api: { mtbf: 30d, mttr: 30m }\nsystem:\n  k_of_n: { k: 2, n: 3, of: api, common_cause: { beta: 0% } }\n",
    );
    let reference = solve(
        "components:\n  api: { mtbf: 30d, mttr: 30m }\nsystem:\n  k_of_n: { k: 2, n: 3, of: api }\n",
    );
    assert!(
        rel(
            plain.solution.system.unavailability(),
            reference.solution.system.unavailability()
        ) < 1e-13
    );
}

#[test]
fn standby_and_explicit_chains_match_a_second_solver() {
    // The degraded-disk example's chain, solved here by pivoted elimination.
    let h = |hours: f64| 1.0 / hours;
    let t = [
        (0, 1, 2.0 / 50000.0),
        (1, 0, h(8.0)),
        (1, 2, 1.0 / 50000.0),
        (2, 0, h(12.0)),
        (0, 3, 1.0 / (5.0 * 8760.0)),
        (1, 3, 1.0 / (5.0 * 8760.0)),
        (3, 0, h(4.0)),
    ];
    let pi = dense_solve(4, &t);
    let a = example("degraded-disk.yaml");
    let s = &a.solution.system;
    assert!(
        rel(s.unavailability(), pi[2] + pi[3]) < 1e-10,
        "{} vs {}",
        s.unavailability(),
        pi[2] + pi[3]
    );
    let flux = pi[1] * (1.0 / 50000.0 + 1.0 / 43800.0) + pi[0] / 43800.0;
    assert!(rel(s.frequency.unwrap(), flux) < 1e-10);
    // The MySQL standby: the engine's chain, re-solved by elimination.
    let m = example("mysql-replica.yaml");
    let block = &m.structure.chains[0];
    let (chain, _) = block.spec.build();
    let t: Vec<_> = (0..chain.states())
        .flat_map(|i| chain.out(i).map(move |(j, r)| (i, j, r)))
        .collect();
    let pi = dense_solve(chain.states(), &t);
    let u: f64 = (0..chain.states())
        .filter(|&i| !chain.up[i])
        .map(|i| pi[i])
        .sum();
    assert!(rel(m.solution.chains[0].measures.unavailability(), u) < 1e-10);
}

#[test]
fn stiff_chains_keep_relative_accuracy() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference");
    let src = std::fs::read_to_string(dir.join("p14_stiff_ladder.yaml")).unwrap();
    let a = hacalc::analyse("p14.yaml", &src).unwrap();
    let s = &a.solution.chains[0];
    assert!(s.pi.iter().all(|&p| p >= 0.0));
    assert!((s.pi.iter().sum::<f64>() - 1.0).abs() < 1e-15);
    // GTH in double precision: relative error on U = 1e-26 well below 1e-12.
    assert!(
        rel(
            s.measures.unavailability(),
            "9.999990001009896990204999493031007888295e-27"
                .parse::<f64>()
                .unwrap()
        ) < 1e-14,
        "{:e}",
        s.measures.unavailability()
    );
    assert!(s.relative_residual < 1e-14, "{:e}", s.relative_residual);
}

#[test]
fn importance_of_a_component_inside_a_markov_block_matches_finite_differences() {
    let model = |mtbf: f64, extra: &str| {
        format!(
            "components:\n  gw: {{ mtbf: 3y, mttr: 20m }}\n  db: {{ mtbf: {mtbf}h, mttr: 8h }}\n{extra}system:\n  series:\n    - gw\n    - standby: {{ of: db, n: 2, mode: warm, spare_factor: 0.3, switchover: 1m, coverage: 95%, manual_switchover: 15m, crews: 1 }}\n"
        )
    };
    let base = solve(&model(2000.0, ""));
    let db = base
        .solution
        .components
        .iter()
        .find(|c| c.name == "db")
        .unwrap();
    // Birnbaum: dA_sys / dA_db through db's failure rate, by central differences of the model.
    let h = 1e-4;
    let up = solve(&model(2000.0 / (1.0 + h), ""));
    let down = solve(&model(2000.0 / (1.0 - h), ""));
    let a_db = |mtbf: f64| mtbf / (mtbf + 8.0);
    let fd = (up.solution.system.availability() - down.solution.system.availability())
        / (a_db(2000.0 / (1.0 + h)) - a_db(2000.0 / (1.0 - h)));
    assert!(rel(db.birnbaum, fd) < 1e-5, "{} vs {fd}", db.birnbaum);
    // Downtime saved if db never failed: the standby block becomes perfect, leaving gw.
    let gw_u = 1.0 / 3.0 / (3.0 * 8760.0 + 1.0 / 3.0);
    let saved = base.solution.system.unavailability() - gw_u;
    assert!(
        rel(db.unavailability_saved, saved) < 1e-9,
        "{} vs {saved}",
        db.unavailability_saved
    );
    assert_eq!(db.copies, 2.0);
    assert!(db.system_failures_caused.is_none());
}

#[test]
fn json_lists_markov_blocks_with_method_and_residual() {
    let a = example("mysql-replica.yaml");
    let v: serde_json::Value = serde_json::from_str(
        &hacalc::render::Exporter::render(&hacalc::render::json::Json { check: false }, &a)
            .unwrap(),
    )
    .unwrap();
    let m = &v["markov_blocks"][0];
    assert_eq!(m["kind"], "standby");
    assert_eq!(m["method"], "GTH (dense)");
    assert!(m["residual"].as_f64().unwrap() < 1e-15);
    let states = m["states"].as_array().unwrap();
    assert_eq!(states.len(), m["state_count"].as_u64().unwrap() as usize);
    let total: f64 = states
        .iter()
        .map(|s| s["probability"].as_f64().unwrap())
        .sum();
    assert!((total - 1.0).abs() < 1e-15);
    assert!(
        m["transitions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["rate_per_hour"].as_f64().unwrap() > 0.0)
    );
}

fn rejects(yaml: &str, line_col: (u32, u32), message: &str) {
    let report = hacalc::analyse("bad.yaml", yaml).expect_err("must be rejected");
    let plain = report.to_plain();
    let at = format!("bad.yaml:{}:{}: error: ", line_col.0, line_col.1);
    assert!(
        plain.contains(&at) && plain.contains(message),
        "expected {at}...{message}\n got:\n{plain}"
    );
}

#[test]
fn bad_markov_input() {
    let chain = |body: &str| format!("system:\n  markov:\n{body}");
    // A state that cannot be reached.
    rejects(
        &chain(
            "    states: [ok, down, limbo]\n    up: [ok]\n    transitions:\n      - { from: ok, to: down, rate: 1/h }\n      - { from: down, to: ok, rate: 1/h }\n      - { from: limbo, to: ok, rate: 1/h }\n",
        ),
        (3, 24),
        "state `limbo` cannot be reached",
    );
    // No repair back: absorbing.
    rejects(
        &chain(
            "    states: [ok, dead]\n    up: [ok]\n    transitions:\n      - { from: ok, to: dead, rate: 1/h }\n",
        ),
        (3, 18),
        "has no transition out",
    );
    // Transition to an unknown state, with a suggestion.
    rejects(
        &chain(
            "    states: [ok, down]\n    up: [ok]\n    transitions:\n      - { from: ok, to: dwn, rate: 1/h }\n      - { from: down, to: ok, rate: 1/h }\n",
        ),
        (6, 25),
        "transition target `dwn` is not one of the states",
    );
    // Negative rate.
    rejects(
        &chain(
            "    states: [ok, down]\n    up: [ok]\n    transitions:\n      - { from: ok, to: down, rate: -1/h }\n      - { from: down, to: ok, rate: 1/h }\n",
        ),
        (6, 37),
        "negative",
    );
    // Rate and after together.
    rejects(
        &chain(
            "    states: [ok, down]\n    up: [ok]\n    transitions:\n      - { from: ok, to: down, rate: 1/h, after: 2h }\n      - { from: down, to: ok, rate: 1/h }\n",
        ),
        (6, 49),
        "`rate` or `after`, not both",
    );
    // Coverage over 100%.
    rejects(
        "components:\n  db: { mtbf: 1y, mttr: 1h }\nsystem:\n  standby: { of: db, n: 2, coverage: 101%, manual_switchover: 5m }\n",
        (4, 38),
        "outside [0, 1]",
    );
    // Coverage below 100% without a manual switchover time.
    rejects(
        "components:\n  db: { mtbf: 1y, mttr: 1h }\nsystem:\n  standby: { of: db, n: 2, coverage: 90% }\n",
        (4, 38),
        "coverage below 100% needs `manual_switchover`",
    );
    // Warm standby without its factor; unknown mode.
    rejects(
        "components:\n  db: { mtbf: 1y, mttr: 1h }\nsystem:\n  standby: { of: db, n: 2, mode: warm }\n",
        (4, 34),
        "warm standby needs `spare_factor`",
    );
    rejects(
        "components:\n  db: { mtbf: 1y, mttr: 1h }\nsystem:\n  standby: { of: db, n: 2, mode: lukewarm }\n",
        (4, 34),
        "unknown standby mode",
    );
    // Shared repair of a static component, or of a named block.
    rejects(
        "components:\n  db: { availability: 99.9% }\nsystem:\n  parallel: { n: 2, of: db, crews: 1 }\n",
        (4, 25),
        "needs rates, but component `db` has only an availability",
    );
    rejects(
        "components:\n  db: { mtbf: 1y, mttr: 1h }\nblocks:\n  pair: { series: [db, db] }\nsystem:\n  k_of_n: { k: 1, n: 2, of: pair, crews: 1 }\n",
        (6, 29),
        "is a named block",
    );
    // The state limit.
    let big = "components:\n  x: { mtbf: 1y, mttr: 1h }\nsystem:\n  k_of_n: { k: 2, n: 100, of: x, crews: 1 }\n";
    let mut opts = hacalc::Options::default();
    opts.limits.max_states = 50;
    let report = hacalc::analyse_with("bad.yaml", big, &opts, &Default::default()).unwrap_err();
    assert!(report.to_plain().contains(
        "bad.yaml:4:3: error: this block's Markov chain has 101 states, more than the limit of 50"
    ));
}

#[test]
fn transient_and_mttf_against_closed_forms() {
    // A series of x and a parallel pair of y (each with its own repair):
    // R(t) = exp(-lx t) R_pair(t), so MTTF = the Laplace transform of R_pair at s = lx:
    // with states 0 (both up) and 1 (one down), (s I - Q_UU) m = 1, MTTF = m_0.
    let (lx, ly, my) = (1.0 / 5000.0, 1.0 / 800.0, 1.0 / 10.0);
    let a = solve(
        "components:\n  x: { mtbf: 5000h, mttr: 2h }\n  y: { mtbf: 800h, mttr: 10h }\nsystem:\n  series: [x, { parallel: [y, y] }]\n",
    );
    let s = lx;
    // [s + 2ly, -2ly; -my, s + ly + my] m = [1, 1]
    let (a11, a12, a21, a22) = (s + 2.0 * ly, -2.0 * ly, -my, s + ly + my);
    let det = a11 * a22 - a12 * a21;
    let want = (a22 - a12) / det;
    let t = a.over_time_at(&[24.0, 8760.0]);
    let got = t.mttf.expect("computed by integration");
    assert!(rel(got, want) < 1e-7, "MTTF {got} vs {want}");
    // A(t) of the series at t: product of the parts' closed forms.
    for p in &t.points {
        let two = |l: f64, m: f64| (m + l * (-(l + m) * p.hours).exp()) / (l + m);
        let ay = two(ly, my);
        let want_a = two(lx, 0.5) * (1.0 - (1.0 - ay) * (1.0 - ay));
        assert!(rel(p.availability, want_a) < 1e-12);
        assert!((p.availability + p.unavailability - 1.0).abs() < 1e-15);
        assert!(p.reliability.is_some());
    }
    // A single Markov block: MTTF of master-master = (3 l + m) / (2 l^2) with one crew too
    // (the second failure ends the up period before any queueing matters).
    let mm = example("master-master.yaml");
    let (l, m) = (1.0 / (45.0 * 24.0), 1.0 / 4.0);
    let t = mm.over_time_at(&[8760.0]);
    assert!(rel(t.mttf.unwrap(), (3.0 * l + m) / (2.0 * l * l)) < 1e-12);
    // R(1y) of the pair: uniformisation against the 2x2 matrix exponential in closed form.
    let (q11, q12, q21, q22) = (-2.0 * l, 2.0 * l, m, -(l + m));
    let tr = q11 + q22;
    let dt = q11 * q22 - q12 * q21;
    let disc = (tr * tr / 4.0 - dt).sqrt();
    let (r1, r2) = (tr / 2.0 + disc, tr / 2.0 - disc);
    let tt = 8760.0;
    // e^{Qt} = (e^{r1 t}(Q - r2 I) - e^{r2 t}(Q - r1 I)) / (r1 - r2); R = row 0 summed.
    let e1 = (r1 * tt).exp();
    let e2 = (r2 * tt).exp();
    let row_sum = |r: f64| (q11 - r) + q12;
    let want_r = (e1 * row_sum(r2) - e2 * row_sum(r1)) / (r1 - r2);
    let got_r = t.points[0].reliability.unwrap().0;
    assert!(rel(got_r, want_r) < 1e-10, "R(1y) {got_r} vs {want_r}");
}
