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
    // A budget spent inside the warm-ups is a located error, not an empty estimate.
    let o = SimOptions {
        hours: 1e9,
        max_events: 10,
        ..Default::default()
    };
    let e = simulate(&a.model, &a.structure, &a.solution, &o).unwrap_err();
    assert!(
        e.message
            .contains("before the replications were past their warm-up"),
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
