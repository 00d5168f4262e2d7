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
    let r = simulate(&a.model, &a.structure, &opts).unwrap();
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
    assert!((r.availability.estimate + r.unavailability.estimate - 1.0).abs() < 1e-12);
    assert!(r.events > 1000, "{name}: too few events to say anything");
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

#[test]
fn network_example() {
    check("dc-network.yaml", 3000.0);
}

#[test]
fn static_components_cannot_be_simulated() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/cloud-slas.yaml");
    let a = hacalc::analyse("cloud-slas.yaml", &std::fs::read_to_string(path).unwrap()).unwrap();
    let e = simulate(&a.model, &a.structure, &SimOptions::default()).unwrap_err();
    assert!(e.contains("only a static availability"), "{e}");
}

#[test]
fn same_seed_same_result() {
    let y =
        "components:\n  x: { mtbf: 100h, mttr: 5h }\nsystem:\n  k_of_n: { k: 2, n: 3, of: x }\n";
    let a = hacalc::analyse("x.yaml", y).unwrap();
    let o = SimOptions {
        hours: 50.0 * 8760.0,
        seed: 3,
        ..Default::default()
    };
    let r1 = simulate(&a.model, &a.structure, &o).unwrap();
    let r2 = simulate(&a.model, &a.structure, &o).unwrap();
    assert_eq!(r1.availability, r2.availability);
    assert_eq!(r1.events, r2.events);
}
