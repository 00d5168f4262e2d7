//! Importance measures against their closed forms: a series and a parallel pair, every
//! measure; and a shared instance, against enumeration of the system with the part failed
//! and perfect.

use hacalc::render::Exporter;

fn json(yaml: &str) -> serde_json::Value {
    let a = hacalc::analyse("i.yaml", yaml).unwrap();
    let text = hacalc::render::json::Json { check: false }
        .render(&a)
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn component<'a>(j: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    j["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap()
}

/// Central difference of the system's U over a component's U (MTTR `mttr` hours) as its MTBF
/// moves by the relative step `h` either way around `mtbf`: its Birnbaum importance by a
/// second method.
fn birnbaum_by_differences(model: &dyn Fn(f64) -> String, mtbf: f64, mttr: f64, h: f64) -> f64 {
    let u = |t: f64| json(&model(t))["unavailability"].as_f64().unwrap();
    let (lo, hi) = (mtbf * (1.0 - h), mtbf * (1.0 + h));
    let uc = |t: f64| mttr / (t + mttr);
    (u(lo) - u(hi)) / (uc(lo) - uc(hi))
}

fn close(got: &serde_json::Value, want: f64) {
    let g = got
        .as_f64()
        .unwrap_or_else(|| panic!("{got} is not a number"));
    assert!(((g - want) / want).abs() < 1e-12, "{g} vs {want}");
}

/// mtbf / mttr of a (100h, 1h) and b (50h, 2h).
fn ua() -> (f64, f64) {
    (100.0 / 101.0, 1.0 / 101.0)
}
fn ub() -> (f64, f64) {
    (50.0 / 52.0, 2.0 / 52.0)
}

#[test]
fn series_pair() {
    let j = json(
        "components:\n  a: { mtbf: 100h, mttr: 1h }\n  b: { mtbf: 50h, mttr: 2h }\nsystem: { series: [a, b] }\n",
    );
    let ((aa, qa), (ab, qb)) = (ua(), ub());
    let u = 1.0 - aa * ab;
    let i = &component(&j, "a")["importance"];
    close(&i["birnbaum"], ab);
    close(&i["criticality"], ab * qa / u);
    // a perfect: only b can fail.
    close(&i["fussell_vesely"], (u - qb) / u);
    close(&i["improvement"], u - qb);
    close(&i["rrw"], u / qb);
    // a failed: the system is down.
    close(&i["raw"], 1.0 / u);
}

#[test]
fn parallel_pair() {
    let j = json(
        "components:\n  a: { mtbf: 100h, mttr: 1h }\n  b: { mtbf: 50h, mttr: 2h }\nsystem: { parallel: [a, b] }\n",
    );
    let ((_, qa), (_, qb)) = (ua(), ub());
    let u = qa * qb;
    let i = &component(&j, "a")["importance"];
    close(&i["birnbaum"], qb);
    close(&i["criticality"], qb * qa / u);
    close(&i["fussell_vesely"], 1.0);
    // a perfect: the system never fails, so the reduction worth is infinite (null).
    assert!(i["rrw"].is_null());
    close(&i["raw"], qb / u);
}

/// db shared by two paths: RAW and FV of db against the rewrite series(db, parallel(app, app)).
#[test]
fn shared_instance() {
    let j = json(
        "components:\n  app: { mtbf: 30d, mttr: 2h }\n  db: { mtbf: 60d, mttr: 4h, shared: true }\nsystem:\n  parallel: [{ series: [app, db] }, { series: [app, db] }]\n",
    );
    let qa = 2.0 / (720.0 + 2.0);
    let qd = 4.0 / (1440.0 + 4.0);
    // U = 1 - A_db (1 - qa^2)
    let u = 1.0 - (1.0 - qd) * (1.0 - qa * qa);
    let i = &component(&j, "db")["importance"];
    close(&i["raw"], 1.0 / u);
    close(&i["fussell_vesely"], (u - qa * qa) / u);
    let app = &component(&j, "app")["importance"];
    // Both app copies failed: down; both perfect: only db.
    close(&app["raw"], 1.0 / u);
    // (Both sides are differences of nearby numbers: 1e-10.)
    let g = app["improvement"].as_f64().unwrap();
    assert!(((g - (u - qd)) / (u - qd)).abs() < 1e-10, "{g}");
}

/// Birnbaum importance of a component replicated inside a Markov chain comes from the
/// chain's exact derivative. 1 of 2 with one repair crew (states 0, 1, 2 failed, r = l/m):
/// U = 2 r^2 / (1 + 2 r + 2 r^2), so dU/dr = 4 r (1 + r) / (1 + 2 r + 2 r^2)^2, and
/// Birnbaum = dU/dl / dU_c/dl with U_c = l / (l + m).
#[test]
fn shared_repair_chain_closed_form() {
    let j = json(
        "components:\n  a: { mtbf: 100h, mttr: 4h }\nsystem: { parallel: { n: 2, of: a, crews: 1 } }\n",
    );
    let (l, m) = (1.0 / 100.0, 1.0 / 4.0);
    let r = l / m;
    let d = 1.0 + 2.0 * r + 2.0 * r * r;
    let du_dl = 4.0 * r * (1.0 + r) / (d * d) / m;
    let duc_dl = m / ((l + m) * (l + m));
    close(
        &component(&j, "a")["importance"]["birnbaum"],
        du_dl / duc_dl,
    );
}

/// With as many crews as copies the chain is the independent k-of-n: the same Birnbaum as
/// the model written without a repair constraint (chain derivative vs the block diagram's).
#[test]
fn independent_repair_chain_equals_block_diagram() {
    let chain = json(
        "components:\n  a: { mtbf: 300h, mttr: 7h }\nsystem: { k_of_n: { k: 2, n: 4, of: a, crews: 4 } }\n",
    );
    let rbd = json(
        "components:\n  a: { mtbf: 300h, mttr: 7h }\nsystem: { k_of_n: { k: 2, n: 4, of: a } }\n",
    );
    let want = component(&rbd, "a")["importance"]["birnbaum"]
        .as_f64()
        .unwrap();
    close(&component(&chain, "a")["importance"]["birnbaum"], want);
}

/// A standby block (switchover phases, imperfect coverage, one crew) has no closed form:
/// its exact Birnbaum against central differences of the solver on mtbf (loose: the
/// differences carry ~1e-8 of truncation and rounding).
#[test]
fn standby_chain_against_finite_differences() {
    let model = |mtbf: f64| {
        format!(
            "components:\n  db: {{ mtbf: {mtbf}h, mttr: 6h }}\n  lb: {{ mtbf: 8760h, mttr: 5m }}\nsystem:\n  series:\n    - lb\n    - standby: {{ of: db, n: 3, mode: warm, spare_factor: 0.3, switchover: 1m, coverage: 90%, manual_switchover: 30m, crews: 1 }}\n"
        )
    };
    let mtbf = 1440.0;
    let exact = component(&json(&model(mtbf)), "db")["importance"]["birnbaum"]
        .as_f64()
        .unwrap();
    let fd = birnbaum_by_differences(&model, mtbf, 6.0, 1e-4);
    assert!(exact > 0.0);
    assert!(((exact - fd) / fd).abs() < 1e-6, "{exact} vs {fd}");
}

/// A standby block of 2,000 units with about a hundred failed at any time (a banded chain
/// whose all-up state has probability below 1e-40: relative to that state the derivative
/// cancelled to 2e-5; it is taken relative to the most probable state), against central differences
/// of the solver.
#[test]
fn large_standby_chain_against_finite_differences() {
    let model = |mtbf: f64| {
        format!(
            "components:\n  db: {{ mtbf: {mtbf}h, mttr: 6h }}\nsystem:\n  standby: {{ of: db, n: 2000, active: 1800, mode: warm, spare_factor: 0.3, switchover: 1m, coverage: 90%, manual_switchover: 30m, crews: 150 }}\n"
        )
    };
    let mtbf = 100.0;
    let exact = component(&json(&model(mtbf)), "db")["importance"]["birnbaum"]
        .as_f64()
        .unwrap();
    let fd = birnbaum_by_differences(&model, mtbf, 6.0, 1e-5);
    assert!(exact > 0.0);
    assert!(((exact - fd) / fd).abs() < 1e-6, "{exact} vs {fd}");
}

/// A named block that holds a shared instance (its copies are not independent): its
/// downtime saved and RAW come from its switches in the diagram. x in series with 2 of 3
/// of {path, path, spare}, path = series(app, db) with db shared. Path perfect: only x can
/// fail. Path failed: the system is down.
#[test]
fn dependent_named_block_forced() {
    let j = json(
        "components:\n  x: { mtbf: 1000h, mttr: 3h }\n  app: { mtbf: 30d, mttr: 2h }\n  db: { mtbf: 60d, mttr: 4h, shared: true }\n  spare: { mtbf: 90d, mttr: 6h }\nblocks:\n  path: { series: [app, db] }\nsystem:\n  series: [x, { k_of_n: { k: 2, of: [path, path, spare] } }]\n",
    );
    let (qx, qa, qd, qs) = (3.0 / 1003.0, 2.0 / 722.0, 4.0 / 1444.0, 6.0 / 2166.0);
    // 2 of 3 given db: db down -> both paths down -> down; db up -> paths independent.
    let ap = 1.0 - qa;
    let two_of_three_up = (1.0 - qd) * (ap * ap + 2.0 * ap * qa * (1.0 - qs));
    let u = 1.0 - (1.0 - qx) * two_of_three_up;
    close(&j["unavailability"], u);
    let block = j["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == "path")
        .unwrap();
    let i = &block["importance"];
    assert!(i["birnbaum"].is_null(), "no Birnbaum for a dependent block");
    close(&i["improvement"], u - qx);
    close(&i["raw"], 1.0 / u);
    close(&i["fussell_vesely"], (u - qx) / u);
}

/// Named blocks' downtime saved and added against their closed forms: three pairs in
/// series, U = 1 - A_x A_y A_z; block x perfect saves U_x A_y A_z, and x failed adds
/// A_x A_y A_z (the system is then always down); its Birnbaum importance is A_y A_z. Each
/// block's own figures, not a neighbour's.
#[test]
fn named_blocks_saved_and_added() {
    let yaml = "components:\n  a: { mtbf: 100h, mttr: 1h }\n  b: { mtbf: 200h, mttr: 3h }\n  c: { mtbf: 300h, mttr: 5h }\n  d: { mtbf: 400h, mttr: 7h }\n  e: { mtbf: 500h, mttr: 11h }\n  f: { mtbf: 600h, mttr: 13h }\nblocks:\n  x: { parallel: [a, b] }\n  y: { parallel: [c, d] }\n  z: { parallel: [e, f] }\nsystem:\n  series: [x, y, z]\n";
    let a = hacalc::analyse("b.yaml", yaml).unwrap();
    let u = |mtbf: f64, mttr: f64| mttr / (mtbf + mttr);
    let pair = |p: (f64, f64), q: (f64, f64)| u(p.0, p.1) * u(q.0, q.1);
    let ub = [
        ("x", pair((100.0, 1.0), (200.0, 3.0))),
        ("y", pair((300.0, 5.0), (400.0, 7.0))),
        ("z", pair((500.0, 11.0), (600.0, 13.0))),
    ];
    let all_up: f64 = ub.iter().map(|(_, q)| 1.0 - q).product();
    for (name, q) in ub {
        let b = a.solution.blocks.iter().find(|b| b.name == name).unwrap();
        let others = all_up / (1.0 - q);
        let saved = q * others;
        assert!(
            ((b.unavailability_saved - saved) / saved).abs() < 1e-12,
            "{name} saved {} vs {saved}",
            b.unavailability_saved
        );
        assert!(
            ((b.unavailability_added - all_up) / all_up).abs() < 1e-12,
            "{name} added {} vs {all_up}",
            b.unavailability_added
        );
        // Birnbaum: dA/dA_x = A_y A_z.
        assert!(
            ((b.birnbaum - others) / others).abs() < 1e-12,
            "{name} Birnbaum {}",
            b.birnbaum
        );
    }
}

/// The Birnbaum importance of a component inside a Markov block, against the closed form:
/// two copies sharing one repair crew are a birth-death chain with U = 2x^2 / (1 + 2x +
/// 2x^2), x = lambda / mu. Both copies move with the component's failure rate, so
/// I_B = (dU/dlambda) / (-dA_c/dlambda) = (4x + 4x^2) / (mu D^2) x (lambda + mu)^2 / mu.
/// Beside a second, independent component in series, the system's slope is A_b times it.
#[test]
fn birnbaum_inside_a_shared_repair_block() {
    let yaml = "components:\n  a: { mtbf: 50h, mttr: 5h }\n  b: { mtbf: 1000h, mttr: 1h }\nsystem:\n  series: [b, { parallel: { n: 2, of: a, crews: 1 } }]\n";
    let a = hacalc::analyse("c.yaml", yaml).unwrap();
    let (lambda, mu): (f64, f64) = (1.0 / 50.0, 1.0 / 5.0);
    let x = lambda / mu;
    let d = 1.0 + 2.0 * x + 2.0 * x * x;
    let slope = (4.0 * x + 4.0 * x * x) / (mu * d * d);
    let a_b = 1000.0 / 1001.0;
    let want = a_b * slope * (lambda + mu).powi(2) / mu;
    let got = a
        .solution
        .components
        .iter()
        .find(|c| c.name == "a")
        .unwrap()
        .birnbaum;
    assert!(((got - want) / want).abs() < 1e-10, "{got} vs {want}");
}

/// The same for a standby block (a dense chain, solved through the Poisson equation), against
/// a second method: the central difference of the system's U over the component's U as its
/// MTBF moves by 1e-4 either way.
#[test]
fn birnbaum_inside_a_standby_block_by_differences() {
    let model = |mtbf: f64| {
        format!(
            "components:\n  a: {{ mtbf: {mtbf}h, mttr: 5h }}\n  b: {{ mtbf: 1000h, mttr: 1h }}\nsystem:\n  series: [b, {{ standby: {{ of: a, n: 3, active: 1 }} }}]\n"
        )
    };
    let m = 50.0;
    let want = birnbaum_by_differences(&model, m, 5.0, 1e-4);
    let a = hacalc::analyse("s.yaml", &model(m)).unwrap();
    let got = a
        .solution
        .components
        .iter()
        .find(|c| c.name == "a")
        .unwrap()
        .birnbaum;
    assert!(((got - want) / want).abs() < 1e-6, "{got} vs {want}");
}
