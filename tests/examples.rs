//! Every shipped example is solved, and its headline numbers are pinned against closed forms
//! written out here independently of the solver (plain products and binomial sums).

use std::path::Path;

fn load(name: &str) -> hacalc::Analysis {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    let source = std::fs::read_to_string(&path).unwrap();
    hacalc::analyse(path.to_str().unwrap(), &source)
        .unwrap_or_else(|r| panic!("{name}: {}", r.to_plain()))
}

/// A two-state component: (A, U).
fn c(mtbf_h: f64, mttr_h: f64) -> (f64, f64) {
    (mtbf_h / (mtbf_h + mttr_h), mttr_h / (mtbf_h + mttr_h))
}

fn binom(n: u64, k: u64) -> f64 {
    (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}

/// P(at least k of n up), by the textbook sum over up counts.
fn k_of_n(k: u64, n: u64, a: f64) -> f64 {
    (k..=n)
        .map(|m| binom(n, m) * a.powi(m as i32) * (1.0 - a).powi((n - m) as i32))
        .sum()
}

/// U of "at least k of n" summed directly over the down states (no 1 - A).
fn k_of_n_u(k: u64, n: u64, a: f64, u: f64) -> f64 {
    (0..k)
        .map(|m| binom(n, m) * a.powi(m as i32) * u.powi((n - m) as i32))
        .sum()
}

fn rel(got: f64, want: f64) -> f64 {
    ((got - want) / want).abs()
}

const D: f64 = 24.0;
const Y: f64 = 8760.0;

#[test]
fn every_example_is_valid_and_solves() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "yaml") {
            let a = load(path.file_name().unwrap().to_str().unwrap());
            assert!(
                a.warnings.is_empty(),
                "{}: {:?}",
                path.display(),
                a.warnings
            );
            let s = &a.solution.system;
            assert!((s.availability() + s.unavailability() - 1.0).abs() < 1e-12);
            assert!(s.unavailability() > 0.0 && s.unavailability() < 0.01);
            n += 1;
        }
    }
    assert!(n >= 5, "expected at least five examples, found {n}");
}

#[test]
fn web_service() {
    let a = load("web-service.yaml");
    let dns = c(Y, 0.25);
    let lb = c(2.0 * Y, 0.5);
    let web = c(30.0 * D, 10.0 / 60.0);
    let app = c(14.0 * D, 20.0 / 60.0);
    let db = c(90.0 * D, 1.5);
    let cache = c(60.0 * D, 0.25);
    let frontend = k_of_n_u(2, 3, web.0, web.1);
    let backend = 1.0 - (1.0 - k_of_n_u(2, 4, app.0, app.1)) * (1.0 - cache.1 * cache.1);
    let database = db.1 * db.1;
    let us = [dns.1, lb.1, frontend, backend, database];
    let want_u = 1.0 - us.iter().map(|u| 1.0 - u).product::<f64>();
    let s = &a.solution.system;
    assert!(
        rel(s.unavailability(), want_u) < 1e-9,
        "{} vs {want_u}",
        s.unavailability()
    );
    // Failure frequency: series of blocks, f = sum over blocks of f_b x product of the others' A.
    let f_comp = |x: (f64, f64), mtbf: f64| x.0 / mtbf;
    let f_front = 3.0 * f_comp(web, 30.0 * D) * 2.0 * web.0 * web.1; // n f P(exactly k-1 of n-1 up)
    let f_app4 = 4.0 * f_comp(app, 14.0 * D) * 3.0 * app.0 * app.1 * app.1; // 2 of 4: exactly 1 of 3 up
    let f_cache2 = 2.0 * f_comp(cache, 60.0 * D) * cache.1;
    let a_app4 = 1.0 - k_of_n_u(2, 4, app.0, app.1);
    let a_cache2 = 1.0 - cache.1 * cache.1;
    let f_back = f_app4 * a_cache2 + f_cache2 * a_app4;
    let f_db = 2.0 * f_comp(db, 90.0 * D) * db.1;
    let blocks = [
        (1.0 - dns.1, f_comp(dns, Y)),
        (1.0 - lb.1, f_comp(lb, 2.0 * Y)),
        (1.0 - frontend, f_front),
        (1.0 - backend, f_back),
        (1.0 - database, f_db),
    ];
    let a_sys: f64 = blocks.iter().map(|b| b.0).product();
    let want_f: f64 = blocks.iter().map(|b| b.1 * a_sys / b.0).sum();
    assert!(
        rel(s.frequency.unwrap(), want_f) < 1e-9,
        "{:?} vs {want_f}",
        s.frequency
    );
    // Targets in the file: 99.95% and 4h, both met.
    let verdicts = &a.verdicts;
    assert_eq!(verdicts.len(), 2);
    assert!(verdicts.iter().all(|v| v.met));
}

#[test]
fn multi_region() {
    let a = load("multi-region.yaml");
    let dns_u = 1e-5;
    let net = c(200.0 * D, 3.0);
    let lb = c(Y, 1.0);
    let api = c(20.0 * D, 0.25);
    let queue = c(120.0 * D, 2.0);
    let db = c(180.0 * D, 4.0);
    let region_a = net.0 * lb.0 * k_of_n(3, 5, api.0) * queue.0 * k_of_n(2, 3, db.0);
    let regions_u = k_of_n_u(2, 3, region_a, 1.0 - region_a);
    let want_u = 1.0 - (1.0 - dns_u) * (1.0 - regions_u);
    let s = &a.solution.system;
    assert!(
        rel(s.unavailability(), want_u) < 1e-9,
        "{} vs {want_u}",
        s.unavailability()
    );
    // Static DNS: failure frequency, MTBF and MTTR are unknown, not guessed.
    assert!(s.frequency.is_none() && s.mtbf().is_none() && s.mttr().is_none());
    let region = a
        .solution
        .blocks
        .iter()
        .find(|b| b.name == "region")
        .unwrap();
    assert_eq!(region.copies, 3.0);
}

#[test]
fn quorum_lock() {
    let a = load("quorum-lock.yaml");
    let host = c(Y, 8.0);
    let disk = c(Y / 2.0, 2.0);
    let process = c(90.0 * D, 2.0 / 60.0);
    let switch = c(5.0 * Y, 4.0);
    let member_a = host.0 * disk.0 * process.0;
    let member_u = 1.0 - member_a;
    let quorum_u = k_of_n_u(3, 5, member_a, member_u);
    let switches_u = switch.1 * switch.1;
    let want_u = quorum_u + switches_u - quorum_u * switches_u;
    let s = &a.solution.system;
    assert!(
        rel(s.unavailability(), want_u) < 1e-9,
        "{} vs {want_u}",
        s.unavailability()
    );
    let host_result = a
        .solution
        .components
        .iter()
        .find(|c| c.name == "host")
        .unwrap();
    assert_eq!(host_result.copies, 5.0);
}

#[test]
fn cloud_slas() {
    let a = load("cloud-slas.yaml");
    let worker = c(7.0 * D, 5.0 / 60.0);
    let zone = 0.995 * (1.0 - worker.1 * worker.1);
    let workers = 1.0 - (1.0 - zone) * (1.0 - zone);
    let want_a = 0.999 * 1.0 * 0.9995 * 0.9995 * 0.999 * 0.9995 * 0.999 * workers;
    let s = &a.solution.system;
    assert!(rel(s.availability(), want_a) < 1e-12);
    assert!(rel(s.unavailability(), 1.0 - want_a) < 1e-9);
    assert!(s.frequency.is_none());
    // dns at 100% can never be the cause of downtime.
    let dns = a
        .solution
        .components
        .iter()
        .find(|c| c.name == "dns")
        .unwrap();
    assert_eq!(dns.unavailability_saved, 0.0);
    assert_eq!(dns.measures.unavailability(), 0.0);
    // The 99.9% target is missed.
    let v = &a.verdicts;
    assert!(!v[0].met);
}

#[test]
fn large_platform() {
    let a = load("large-platform.yaml");
    assert!(
        a.model.components.len() >= 300,
        "{} components",
        a.model.components.len()
    );
    // Recompute from the solved service blocks with a plain O(n k) recursion over the
    // feature services: P(at least 86 of 88 up).
    let block_a = |name: &str| {
        let b = a.solution.blocks.iter().find(|b| b.name == name).unwrap();
        b.measures.availability()
    };
    let features: Vec<f64> = (1..=88).map(|i| block_a(&format!("feat-{i:02}"))).collect();
    let mut p = vec![1.0]; // p[m] = P(m of the first services up)
    for &x in &features {
        let mut next = vec![0.0; p.len() + 1];
        for (m, &pm) in p.iter().enumerate() {
            next[m] += pm * (1.0 - x);
            next[m + 1] += pm * x;
        }
        p = next;
    }
    let features_a: f64 = p[86..].iter().sum();
    assert!(rel(block_a("features"), features_a) < 1e-12);
    let core_a: f64 = (1..=12).map(|i| block_a(&format!("core-{i:02}"))).product();
    assert!(rel(block_a("core"), core_a) < 1e-12);
    let edge = c(2.0 * Y, 25.0 / 60.0).0
        * c(180.0 * D, 2.0).0
        * c(3.0 * Y, 20.0 / 60.0).0
        * c(120.0 * D, 0.5).0;
    let want_a = edge * core_a * features_a;
    assert!(rel(a.solution.system.availability(), want_a) < 1e-12);
}

/// Time laws: the steady state of independent parts from the laws' means (Weibull scale x
/// Gamma(1 + 1/k), Gamma(5/3) = 0.902745292950934; lognormal median x exp(sigma^2/2) with
/// sigma = ln(EF)/1.6448536; gamma shape x scale; uniform midpoint; empirical average).
#[test]
fn repair_laws() {
    let a = load("repair-laws.yaml");
    let sigma = 3f64.ln() / 1.644_853_626_951_472_2;
    let (_, ua) = c(
        120.0 * D * 0.902_745_292_950_933_6,
        2.0 * (sigma * sigma / 2.0).exp(),
    );
    let (ad, ud) = c(Y, 30.0 / 3600.0);
    let (al, ul) = c(180.0 * D, (12.0 + 45.0 + 20.0 + 120.0 + 8.0) / 5.0 / 60.0);
    let (ac, uc) = c(60.0 * D, 0.5);
    let avail = al * (1.0 - ua.powi(3)) * k_of_n(2, 3, ac) * ad;
    let s = &a.solution.system;
    assert!(rel(s.availability(), avail) < 1e-14);
    // U from the parts' unavailabilities, with no 1 - A: 1 - prod(1 - U_i) = -expm1(sum ln(1 - U_i)).
    let parts = [ul, ua.powi(3), k_of_n_u(2, 3, ac, uc), ud];
    let u = -parts.iter().map(|x| (-x).ln_1p()).sum::<f64>().exp_m1();
    assert!(
        rel(s.unavailability(), u) < 1e-13,
        "{} vs {u}",
        s.unavailability()
    );
}

/// Parameters written as distributions stand at their nominal values: the lognormal's median,
/// the uniform's middle, the log-uniform's geometric middle (of U for an availability).
#[test]
fn uncertain_inputs() {
    let a = load("uncertain-inputs.yaml");
    let (_, u_app) = c(60.0 * D, 1.0);
    let (_, u_db) = c(Y, (0.5 + 4.0) / 2.0);
    let u_queue = (1e-3f64 * 1e-4).sqrt();
    let parts = [u_app * u_app, u_db, u_queue];
    let u = -parts.iter().map(|x| (-x).ln_1p()).sum::<f64>().exp_m1();
    let s = &a.solution.system;
    assert!(
        rel(s.unavailability(), u) < 1e-12,
        "{} vs {u}",
        s.unavailability()
    );
    assert_eq!(
        a.model
            .components
            .iter()
            .map(|c| c.uncertain.len())
            .sum::<usize>(),
        3
    );
}

/// Planned maintenance by its closed forms: app 2 of 3 staggered (one out: both others up),
/// db down for its upgrades, lb as usual.
#[test]
fn maintenance() {
    let a = load("maintenance.yaml");
    let (a_app, u_app) = c(60.0 * D, 1.0);
    let (a_db, u_db) = c(Y, 2.0);
    let (_, u_lb) = c(2.0 * Y, 0.5);
    let (m_app, m_db) = (0.5 / (7.0 * D), 1.0 / (30.0 * D));
    let u3 = k_of_n_u(2, 3, a_app, u_app);
    let u2 = u_app * (2.0 - u_app);
    let parts = [
        u_lb,
        (1.0 - 3.0 * m_app) * u3 + 3.0 * m_app * u2,
        u_db + a_db * m_db,
    ];
    let u = -parts.iter().map(|x| (-x).ln_1p()).sum::<f64>().exp_m1();
    let s = &a.solution.system;
    assert!(
        rel(s.unavailability(), u) < 1e-12,
        "{} vs {u}",
        s.unavailability()
    );
    assert!(a.planned.unwrap().included);
}
