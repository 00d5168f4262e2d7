//! Degraded capacity against independent truth: the served fraction's distribution of random
//! models with shards, pools, series, parallel and k-of-n blocks against a brute-force
//! enumeration of every instance's state (to 1e-12); the closed forms that pin the rules
//! (a pool with demand n is n-of-n, the mean of shards is the mean shard); a pool with
//! shared repair against the same chain written as an explicit `markov` block with `serves`;
//! shared instances against enumeration with one instance.

use hacalc::Analysis;
use hacalc::solve::served::Served;
use proptest::prelude::*;

fn solve(text: &str) -> Analysis {
    hacalc::analyse("m.yaml", text).unwrap_or_else(|r| panic!("{r}\n{text}"))
}

fn served(a: &Analysis) -> &Served {
    a.served
        .as_ref()
        .expect("served computed")
        .as_ref()
        .unwrap()
}

/// A block of the random models.
#[derive(Debug, Clone)]
enum B {
    Leaf(usize),
    Series(Vec<B>),
    Parallel(Vec<B>),
    KofN(usize, Vec<B>),
    Shards(Vec<f64>, Box<B>),
    Pool(usize, usize, Box<B>),
}

impl B {
    fn yaml(&self) -> String {
        let list = |l: &[B]| l.iter().map(B::yaml).collect::<Vec<_>>().join(", ");
        match self {
            B::Leaf(i) => format!("c{i}"),
            B::Series(l) => format!("{{ series: [{}] }}", list(l)),
            B::Parallel(l) => format!("{{ parallel: [{}] }}", list(l)),
            B::KofN(k, l) => format!("{{ k_of_n: {{ k: {k}, of: [{}] }} }}", list(l)),
            B::Shards(w, of) => format!(
                "{{ shards: {{ n: {}, of: {}, weights: [{}] }} }}",
                w.len(),
                of.yaml(),
                w.iter()
                    .map(|x| format!("{x}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            B::Pool(n, d, of) => {
                format!("{{ pool: {{ n: {n}, of: {}, demand: {d} }} }}", of.yaml())
            }
        }
    }

    /// Instances (leaf occurrences, copies expanded).
    fn instances(&self) -> usize {
        match self {
            B::Leaf(_) => 1,
            B::Series(l) | B::Parallel(l) | B::KofN(_, l) => l.iter().map(B::instances).sum(),
            B::Shards(w, of) => w.len() * of.instances(),
            B::Pool(n, _, of) => n * of.instances(),
        }
    }

    /// S for the instance states read in order from `up`.
    fn eval(&self, up: &mut impl Iterator<Item = (usize, bool)>, leaf: &mut Vec<usize>) -> f64 {
        match self {
            B::Leaf(i) => {
                leaf.push(*i);
                if up.next().unwrap().1 { 1.0 } else { 0.0 }
            }
            B::Series(l) => l.iter().map(|b| b.eval(up, leaf)).product(),
            B::Parallel(l) => l.iter().map(|b| b.eval(up, leaf)).fold(0.0, f64::max),
            B::KofN(k, l) => {
                let full = l.iter().filter(|b| b.eval(up, leaf) == 1.0).count();
                if full >= *k { 1.0 } else { 0.0 }
            }
            // The raw weights summed, then divided by their total, so that every shard up is
            // exactly 1 (weights 3, 1.5, 1.25 as fractions sum to 0.9999999999999999, which a
            // k-of-n above would count as not full).
            B::Shards(w, of) => {
                let total: f64 = w.iter().sum();
                let up: f64 = w.iter().map(|wj| wj * of.eval(up, leaf)).sum();
                (up / total).min(1.0)
            }
            B::Pool(n, d, of) => {
                let cap: f64 = (0..*n).map(|_| of.eval(up, leaf)).sum();
                cap.min(*d as f64) / *d as f64
            }
        }
    }
}

fn block(depth: u32) -> BoxedStrategy<B> {
    let leaf = (0usize..3).prop_map(B::Leaf).boxed();
    if depth == 0 {
        return leaf;
    }
    let inner = block(depth - 1);
    prop_oneof![
        2 => leaf,
        1 => prop::collection::vec(inner.clone(), 2..3).prop_map(B::Series),
        1 => prop::collection::vec(inner.clone(), 2..3).prop_map(B::Parallel),
        1 => prop::collection::vec(inner.clone(), 3..4).prop_map(|l| B::KofN(2, l)),
        2 => (prop::collection::vec(1.0f64..4.0, 2..4), inner.clone())
            .prop_map(|(w, of)| B::Shards(w.iter().map(|x| (x * 4.0).round() / 4.0).collect(), Box::new(of))),
        2 => (2usize..4, inner).prop_flat_map(|(n, of)| (1..=n).prop_map(move |d| B::Pool(n, d, Box::new(of.clone())))),
    ]
    .boxed()
}

/// Every instance state enumerated: the distribution of S as (value, probability).
fn brute_force(b: &B, avail: &[f64]) -> Vec<(f64, f64)> {
    let m = b.instances();
    // Which component each instance is: read from one evaluation.
    let mut leaf = Vec::new();
    b.eval(&mut (0..m).map(|i| (i, true)), &mut leaf);
    let mut out: Vec<(f64, f64)> = Vec::new();
    for mask in 0u32..(1 << m) {
        let up = |i: usize| mask >> i & 1 == 1;
        let p: f64 = (0..m)
            .map(|i| {
                if up(i) {
                    avail[leaf[i]]
                } else {
                    1.0 - avail[leaf[i]]
                }
            })
            .product();
        let s = b.eval(&mut (0..m).map(|i| (i, up(i))), &mut Vec::new());
        match out.iter_mut().find(|(v, _)| (v - s).abs() < 1e-12) {
            Some(e) => e.1 += p,
            None => out.push((s, p)),
        }
    }
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, ..ProptestConfig::default() })]
    #[test]
    fn served_matches_enumeration(
        b in block(2).prop_filter("small enough to enumerate", |b| b.instances() <= 14),
        avail in prop::collection::vec(0.55f64..0.99, 3),
    ) {
        let mut text = String::from("components:\n");
        for (i, a) in avail.iter().enumerate() {
            // mtbf/mttr giving exactly this availability: mttr 1h, mtbf a/(1-a) h.
            text.push_str(&format!("  c{i}: {{ availability: {a}, mttr: 1h }}\n"));
        }
        text.push_str(&format!("system: {}\n", b.yaml()));
        let a = hacalc::analyse_with(
            "m.yaml",
            &text,
            &hacalc::Options::default(),
            &hacalc::Request { served_at: vec![0.25, 0.75], ..Default::default() },
        ).unwrap_or_else(|r| panic!("{r}\n{text}"));
        let s = served(&a);
        let truth = brute_force(&b, &avail);
        let expected: f64 = truth.iter().map(|(v, p)| v * p).sum();
        let shortfall: f64 = truth.iter().map(|(v, p)| (1.0 - v) * p).sum();
        prop_assert!((s.expected - expected).abs() < 1e-12, "{} vs {expected}\n{text}", s.expected);
        prop_assert!((s.shortfall - shortfall).abs() < 1e-12, "{} vs {shortfall}", s.shortfall);
        prop_assert_eq!(s.distribution.points.len(), truth.len(), "{:?} vs {:?}", s.distribution.points, truth);
        for ((v, p), (tv, tp)) in s.distribution.points.iter().zip(&truth) {
            prop_assert!((v - tv).abs() < 1e-12 && (p - tp).abs() < 1e-12, "{v} {p} vs {tv} {tp}");
        }
        for (x, p) in &s.at_least {
            let below: f64 = truth.iter().filter(|(v, _)| *v < x - 1e-12).map(|(_, p)| p).sum();
            prop_assert!((p.q - below).abs() < 1e-12 && (p.p - (1.0 - below)).abs() < 1e-12);
        }
        // The binary availability is P(S = 1) only where every capacity rule says "all up"
        // (shards by default), so it is not compared here; the served figures are.
    }
}

/// A pool whose demand is every server is the n-of-n block; shards' mean is the mean shard.
#[test]
fn closed_forms() {
    let pool = solve(
        "components:\n  a: { mtbf: 30d, mttr: 3h }\nsystem: { pool: { n: 5, of: a, demand: 5 } }\n",
    );
    let kofn = solve(
        "components:\n  a: { mtbf: 30d, mttr: 3h }\nsystem: { k_of_n: { k: 5, n: 5, of: a } }\n",
    );
    assert_eq!(pool.solution.system.avail, kofn.solution.system.avail);
    let a: f64 = 720.0 / 723.0;
    // E[S] of a pool = E[min(U, d)]/d with U binomial.
    let s = served(&pool);
    let mut expected = 0.0;
    for u in 0..=5u32 {
        let c = [1.0, 5.0, 10.0, 10.0, 5.0, 1.0][u as usize];
        expected += c * a.powi(u as i32) * (1.0 - a).powi(5 - u as i32) * u as f64 / 5.0;
    }
    assert!((s.expected - expected).abs() < 1e-15);
    assert!(
        (s.expected - a).abs() < 1e-15,
        "demand = n: E[S] is the mean server"
    );
    // Shards of any weights: E[S] = the shard's availability.
    let shards = solve(
        "components:\n  a: { mtbf: 30d, mttr: 3h }\nsystem: { shards: { n: 3, of: a, weights: [5, 1, 2] } }\n",
    );
    let s = served(&shards);
    assert!((s.expected - a).abs() < 1e-15 && (s.shortfall - 3.0 / 723.0).abs() < 1e-17);
    // Binary availability: all shards up by default, k when given.
    assert!((shards.solution.system.avail.p - a.powi(3)).abs() < 1e-15);
    let k2 = solve(
        "components:\n  a: { mtbf: 30d, mttr: 3h }\nsystem: { shards: { n: 3, of: a, k: 2 } }\n",
    );
    let kofn = solve(
        "components:\n  a: { mtbf: 30d, mttr: 3h }\nsystem: { k_of_n: { k: 2, n: 3, of: a } }\n",
    );
    assert_eq!(k2.solution.system.avail, kofn.solution.system.avail);
    // A tiny shortfall is kept: U = 1e-18.
    let tiny = solve(
        "components:\n  a: { availability: 99.9999999999999999% }\nsystem: { shards: { n: 4, of: a } }\n",
    );
    assert_eq!(served(&tiny).shortfall, 1e-18);
    // P(S < 99%) = P(a shard down) = 1 - (1 - 1e-18)^4; P(S < 50%) = P(3 or 4 down).
    let at = &served(&tiny).at_least;
    assert!((at[2].1.q - 4e-18).abs() < 1e-32, "{:?}", at[2]);
    assert!((at[0].1.q - 4e-54).abs() < 1e-66, "{:?}", at[0]);
}

/// The served fraction is computed only where something serves part of the load: not for
/// a chain whose states are all fully up or fully down; and where it cannot be computed
/// (repair teams make components dependent) the reason is given.
#[test]
fn served_only_where_it_says_something() {
    let chain = solve(
        "system:\n  markov:\n    states: [ok, one, down]\n    up: [ok, one]\n    transitions:\n      - { from: ok, to: one, after: 1000h }\n      - { from: one, to: ok, after: 1h }\n      - { from: one, to: down, after: 1000h }\n      - { from: down, to: one, after: 1h }\n",
    );
    assert!(chain.served.is_none());
    let teams = solve(
        "components:\n  web: { mtbf: 30d, mttr: 2h, team: ops }\nteams:\n  ops: { size: 1 }\nsystem: { pool: { n: 4, of: web, demand: 3 } }\n",
    );
    let why = teams.served.as_ref().unwrap().as_ref().unwrap_err();
    assert!(
        why.to_string()
            .contains("components repaired by a shared team are dependent"),
        "{why}"
    );
}

/// The bounds of the served fraction, each with its reason: two tiers of 2^14 equally likely
/// fractions multiply to more than 2e8 steps (refused before the product is formed); tiers
/// of 512 fractions each (weights powers of two, and of three) make 187,643 distinct products,
/// over the 100,000 values a distribution may have.
#[test]
fn served_bounds_are_refused_with_the_reason() {
    let tier = |n: u32, base: f64| {
        let weights: Vec<String> = (0..n).map(|i| base.powi(i as i32).to_string()).collect();
        format!(
            "{{ shards: {{ n: {n}, of: a, weights: [{}] }} }}",
            weights.join(", ")
        )
    };
    let model = |n: u32, bases: [f64; 2]| {
        format!(
            "components:\n  a: {{ availability: 50%, mttr: 1h }}\nsystem: {{ series: [{}, {}] }}\n",
            tier(n, bases[0]),
            tier(n, bases[1])
        )
    };
    let steps = solve(&model(14, [2.0, 2.0]));
    let why = steps.served.unwrap().unwrap_err().to_string();
    assert!(why.contains("needs more than 2e8 steps"), "{why}");
    let values = solve(&model(9, [2.0, 3.0]));
    let why = values.served.unwrap().unwrap_err().to_string();
    assert!(
        why.contains("takes more than 100000 distinct values"),
        "{why}"
    );
}

/// A distribution of a few thousand values or fewer is never pruned: a pool of 50 servers
/// behind a load balancer keeps every count, even the 50 servers all down at about 1e-134,
/// each equal to the binomial's term times the balancer's availability to 1e-12, and says
/// its error bound is zero.
#[test]
fn small_distributions_keep_their_improbable_values() {
    let a = solve(
        "components:\n  a: { mtbf: 20d, mttr: 1h }\n  lb: { mtbf: 100d, mttr: 1h }\nsystem: { series: [lb, { pool: { n: 50, of: a, demand: 40 } }] }\n",
    );
    let s = served(&a);
    assert_eq!(s.error_bound, 0.0);
    let (up, down): (f64, f64) = (480.0 / 481.0, 1.0 / 481.0);
    let (lb_up, lb_down) = (2400.0 / 2401.0, 1.0 / 2401.0);
    let mut want = vec![0.0; 41];
    let mut choose: f64 = 1.0;
    for c in 0..=50usize {
        want[c.min(40)] += choose * up.powi(c as i32) * down.powi(50 - c as i32) * lb_up;
        choose = choose * (50 - c) as f64 / (c + 1) as f64;
    }
    want[0] += lb_down;
    assert_eq!(s.distribution.points.len(), 41);
    for (c, (&(fraction, p), w)) in s.distribution.points.iter().zip(&want).enumerate() {
        assert_eq!(fraction, c as f64 / 40.0);
        assert!((p - w).abs() <= 1e-12 * w, "{c} up: {p} vs {w}");
    }
    assert!(want[1] < 1e-120);
}

/// Shared repair: the pool's chain against the same chain written as a `markov` block with
/// `serves` (an independent route to the same numbers).
#[test]
fn pool_with_crews_against_an_explicit_chain() {
    let pool = solve(
        "components:\n  a: { mtbf: 10d, mttr: 12h }\nsystem: { pool: { n: 4, of: a, demand: 3, crews: 1 } }\n",
    );
    let (l, m) = (1.0 / 240.0, 1.0 / 12.0);
    let mut text = String::from(
        "system:\n  markov:\n    states: [f0, f1, f2, f3, f4]\n    up: [f0, f1]\n    serves: { f2: 66.66666666666666666666%, f3: 33.33333333333333333333% }\n    transitions:\n",
    );
    for f in 0..4 {
        text.push_str(&format!(
            "      - {{ from: f{f}, to: f{}, rate: {}/h }}\n",
            f + 1,
            (4 - f) as f64 * l
        ));
        text.push_str(&format!(
            "      - {{ from: f{}, to: f{f}, rate: {m}/h }}\n",
            f + 1
        ));
    }
    let chain = solve(&text);
    let (a, b) = (served(&pool), served(&chain));
    assert!(
        (a.expected - b.expected).abs() < 1e-12,
        "{} {}",
        a.expected,
        b.expected
    );
    assert!((a.shortfall - b.shortfall).abs() < 1e-12 * a.shortfall.max(1e-3));
    assert_eq!(a.distribution.points.len(), 4);
    assert!((pool.solution.system.avail.q - chain.solution.system.avail.q).abs() < 1e-12);
}

/// A shared component under every shard: conditioned on, against enumeration with one
/// instance of it.
#[test]
fn shared_instances_are_conditioned_on() {
    let text = "components:\n  cache: { availability: 90%, mttr: 1h }\n  net: { availability: 80%, mttr: 1h, shared: true }\nblocks:\n  shard: { series: [cache, net] }\nsystem: { shards: { n: 3, of: shard } }\n";
    let s = served(&solve(text)).clone();
    // net down: S = 0; net up: S = (number of caches up)/3.
    let (c, n) = (0.9f64, 0.8f64);
    let expected = n * c;
    assert!((s.expected - expected).abs() < 1e-15);
    let p0 = (1.0 - n) + n * (1.0 - c).powi(3);
    assert!((s.distribution.points[0].1 - p0).abs() < 1e-15);
    assert_eq!(s.distribution.points.len(), 4);
    // Without sharing each shard has its own net: E[S] is the same, the spread is not.
    let free = served(&solve(&text.replace(", shared: true", ""))).clone();
    assert!((free.expected - expected).abs() < 1e-15);
    assert!(free.distribution.points[0].1 < p0);
}

/// The `served` target and where served is not computed.
#[test]
fn served_target_and_limits() {
    let text = "targets: { served: 99.9% }\ncomponents:\n  a: { mtbf: 30d, mttr: 3h }\nsystem: { pool: { n: 6, of: a, demand: 4 } }\n";
    let a = solve(text);
    let v = a
        .verdicts
        .iter()
        .find(|v| v.kind == hacalc::analysis::targets::TargetKind::Served)
        .unwrap();
    assert!(
        v.met && v.summary.starts_with("requests served"),
        "{}",
        v.summary
    );
    assert_eq!(v.actual, served(&a).expected);
    let strict = solve(&text.replace("99.9%", "99.9999999%"));
    assert!(!strict.targets_met());
    // Repair teams: not computed, and the target is then missed, never passed.
    let teams = "targets: { served: 90% }\nteams: { ops: { size: 1 } }\ncomponents:\n  a: { mtbf: 30d, mttr: 3h, team: ops }\n  b: { mtbf: 30d, mttr: 3h, team: ops }\nsystem: { series: [{ pool: { n: 2, of: a, demand: 1 } }, b] }\n";
    let t = solve(teams);
    assert!(matches!(t.served, Some(Err(_))));
    assert!(!t.targets_met());
    // Without degraded parts, a target or --served-at, nothing is computed.
    assert!(
        solve("components:\n  a: { mtbf: 30d, mttr: 3h }\nsystem: a\n")
            .served
            .is_none()
    );
}

/// Located errors of the new blocks.
#[test]
fn capacity_errors_are_located() {
    for (text, needle) in [
        (
            "components:\n  a: { mtbf: 1d, mttr: 1h }\nsystem: { pool: { n: 2, of: a, demand: 3 } }\n",
            "3:40: error: demand is 3 but the pool has only 2 servers",
        ),
        (
            "components:\n  a: { mtbf: 1d, mttr: 1h }\nsystem: { shards: { n: 2, of: a, weights: [1] } }\n",
            "error: `weights` gives 1 numbers for 2 shards",
        ),
        (
            "components:\n  a: { mtbf: 1d, mttr: 1h }\nsystem: { shards: { n: 2, of: a, weights: [1, -1] } }\n",
            "error: a weight must be a number above zero, found -1",
        ),
        (
            "components:\n  a: { mtbf: 1d, mttr: 1h }\nsystem: { pool: { n: 2, of: a } }\n",
            "error: `pool` needs `demand`",
        ),
        (
            "components:\n  a: { availability: 99% }\nsystem: { pool: { n: 2, of: a, demand: 1, crews: 1 } }\n",
            "needs rates",
        ),
        (
            "system:\n  markov:\n    states: [a, b]\n    up: [a]\n    serves: { c: 50% }\n    transitions: [{ from: a, to: b, rate: 1/h }, { from: b, to: a, rate: 1/h }]\n",
            "error: state `c` is not one of the states",
        ),
        (
            "components:\n  a: { mtbf: 1d, mttr: 1h }\nsystem: { shards: { n: 2, of: a, k: 3 } }\n",
            "error: k is 3 but there are only 2 members",
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

/// Five pools of 50 servers and a 64-shard cache: the product's distribution has billions
/// of values, so the least probable are dropped under a stated bound. E[S] of independent
/// tiers is the product of each tier's E[S] (each solved alone, exactly).
#[test]
fn large_products_within_the_stated_bound() {
    let mut text = String::from("components:\n");
    let mut tiers = Vec::new();
    for i in 0..5 {
        text.push_str(&format!(
            "  app{i}: {{ mtbf: {}d, mttr: {}h }}\n",
            20 + i,
            1 + i
        ));
        tiers.push(format!("{{ pool: {{ n: 50, of: app{i}, demand: 40 }} }}"));
    }
    text.push_str(
        "  node: { mtbf: 30d, mttr: 2h }\nblocks:\n  shard: { parallel: [node, node] }\n",
    );
    tiers.push("{ shards: { n: 64, of: shard } }".to_string());
    let whole = format!("{text}system: {{ series: [{}] }}\n", tiers.join(", "));
    let s = served(&solve(&whole)).clone();
    let alone: Vec<Served> = tiers
        .iter()
        .map(|t| served(&solve(&format!("{text}system: {t}\n"))).clone())
        .collect();
    let product: f64 = alone.iter().map(|a| a.expected).product();
    assert!(
        (s.expected - product).abs() < 1e-15,
        "{} vs {product}",
        s.expected
    );
    assert!(s.error_bound > 0.0, "large enough to prune");
    assert!(
        s.error_bound <= 1e-12 * s.shortfall,
        "{} vs {}",
        s.error_bound,
        s.shortfall
    );
    // A level whose shortfall is far below the dropped mass (the lowest value kept): refused
    // with the reason, not a figure with most of its digits wrong.
    let (x, below) = (s.distribution.points[1].0, s.distribution.points[0].1);
    assert!(s.error_bound > 1e-12 * below && below > 0.0);
    let at_x = hacalc::analyse_with(
        "m.yaml",
        &whole,
        &hacalc::Options::default(),
        &hacalc::Request {
            served_at: vec![x],
            ..Default::default()
        },
    )
    .unwrap();
    let why = at_x.served.unwrap().unwrap_err().to_string();
    assert!(
        why.contains("to keep to a relative error of 1e-12"),
        "{why}"
    );
    // A shared gate in front: each of its states weighs the mass dropped under it (none
    // where the gate is down and S is 0).
    let gated = whole
        .replacen(
            "components:\n",
            "components:\n  gate: { availability: 90%, mttr: 1h, shared: true }\n",
            1,
        )
        .replace("system: { series: [", "system: { series: [gate, ");
    let g = served(&solve(&gated)).clone();
    assert!(
        (g.error_bound - 0.9 * s.error_bound).abs() <= 1e-15 * s.error_bound,
        "{} vs {}",
        g.error_bound,
        s.error_bound
    );
    assert!((g.expected - 0.9 * s.expected).abs() < 1e-15);
    // 1 - prod(1 - shortfall_i), without cancellation.
    let truth: f64 = -alone
        .iter()
        .map(|a| (-a.shortfall).ln_1p())
        .sum::<f64>()
        .exp_m1();
    assert!(
        (s.shortfall - truth).abs() < 1e-11 * truth,
        "{} vs {truth}",
        s.shortfall
    );
}

/// Values are summed exactly where they can be (raw weights, whole counts) and never
/// merged unless equal: what a hostile review of near-equal fractions found.
#[test]
fn fractions_are_exact_and_never_merged() {
    // The shortfall of equal shards is the shard's unavailability, whatever n.
    for n in [10, 5000] {
        let a = solve(&format!(
            "components:\n  b: {{ availability: 99.9999999999999% }}\nsystem: {{ shards: {{ n: {n}, of: b }} }}\n"
        ));
        let s = served(&a);
        assert!(
            (s.shortfall - 1e-15).abs() < 1e-27,
            "n = {n}: {}",
            s.shortfall
        );
        assert_eq!(s.distribution.points.last().unwrap().0, 1.0);
    }
    // Weights far apart: S = 1 keeps its own probability.
    let a = solve(
        "components:\n  a: { availability: 99% }\nsystem: { shards: { n: 2, of: a, weights: [1, 999999999999] } }\n",
    );
    let s = served(&a);
    assert_eq!(s.distribution.points.last().unwrap(), &(1.0, 0.99 * 0.99));
    assert!((s.shortfall - 0.01).abs() < 1e-17);
    // A fraction a hair below 1 is its own value, and P(S >= x) for tiny x is P(S > 0).
    let chain = "system:\n  markov:\n    states: [ok, deg, down]\n    up: [ok, deg]\n    serves: { deg: 99.9999999999% }\n    transitions:\n      - { from: ok, to: deg, after: 1000h }\n      - { from: deg, to: ok, after: 1h }\n      - { from: deg, to: down, after: 1000h }\n      - { from: down, to: ok, after: 1h }\n";
    let a = hacalc::analyse_with(
        "m.yaml",
        chain,
        &hacalc::Options::default(),
        &hacalc::Request {
            served_at: vec![1e-12, 1.0],
            ..Default::default()
        },
    )
    .unwrap();
    let s = served(&a);
    assert_eq!(s.distribution.points.len(), 3);
    let p_down = s.distribution.points[0].1;
    let tiny = s.at_least.iter().find(|(x, _)| *x == 1e-12).unwrap().1;
    assert_eq!(tiny.q, p_down);
    let all = s.at_least.iter().find(|(x, _)| *x == 1.0).unwrap().1;
    assert!((all.p - s.distribution.points[2].1).abs() < 1e-16);
    // Labels tell near levels apart.
    assert_eq!(hacalc::units::fraction(0.99999999999), "99.999999999%");
    assert_eq!(hacalc::units::fraction(0.5), "50%");
    assert_eq!(hacalc::units::fraction(0.9375), "93.75%");
    // Weights that overflow are a located error.
    let r = hacalc::analyse("m.yaml", "components:\n  a: { availability: 99% }\nsystem: { shards: { n: 2, of: a, weights: [1e308, 1e308] } }\n").err().unwrap();
    assert!(
        r.to_plain()
            .contains("the weights add up to more than the largest number"),
        "{}",
        r.to_plain()
    );
}
