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
