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

/// A run the event budget cannot hold is refused before it starts, saying how many events it
/// would take.
#[test]
fn event_budget_is_foreseen() {
    let y = "components:\n  x: { mtbf: 1m, mttr: 1m }\nsystem: { parallel: { n: 100, of: x } }\n";
    let a = hacalc::analyse("x.yaml", y).unwrap();
    let o = SimOptions {
        hours: 1e6,
        max_events: 1_000_000,
        ..Default::default()
    };
    let e = simulate(&a.model, &a.structure, &a.solution, &o).unwrap_err();
    assert!(e.message.contains("would take about"), "{e:?}");
    assert_eq!(e.pos.line, 3);
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
    let r1 = simulate(&a.model, &a.structure, &a.solution, &o).unwrap();
    let r2 = simulate(&a.model, &a.structure, &a.solution, &o).unwrap();
    assert_eq!(r1.availability, r2.availability);
    assert_eq!(r1.events, r2.events);
}
