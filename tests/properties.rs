//! Property tests over random block trees.
//!
//! The truth is brute force: the tree is expanded into independent leaf occurrences and every
//! one of the 2^m up/down states is enumerated. Availability, unavailability, Birnbaum
//! importance (all copies moving together), downtime saved and failure frequency must agree
//! with the solver; and the structural laws (bounds, monotonicity, k = 1 / k = n) must hold.

use proptest::prelude::*;

#[derive(Debug, Clone)]
enum T {
    Leaf(usize),
    Series(Vec<T>),
    Parallel(Vec<T>),
    KofN(usize, Vec<T>),
    Copies(u64, u64, Box<T>),
}

impl T {
    fn yaml(&self) -> String {
        match self {
            T::Leaf(i) => format!("c{i}"),
            T::Series(v) => format!(
                "{{ series: [{}] }}",
                v.iter().map(T::yaml).collect::<Vec<_>>().join(", ")
            ),
            T::Parallel(v) => format!(
                "{{ parallel: [{}] }}",
                v.iter().map(T::yaml).collect::<Vec<_>>().join(", ")
            ),
            T::KofN(k, v) => format!(
                "{{ k_of_n: {{ k: {k}, of: [{}] }} }}",
                v.iter().map(T::yaml).collect::<Vec<_>>().join(", ")
            ),
            T::Copies(k, n, b) => format!("{{ k_of_n: {{ k: {k}, n: {n}, of: {} }} }}", b.yaml()),
        }
    }

    /// Leaf occurrences in the expanded tree (copies expanded).
    fn leaves(&self, out: &mut Vec<usize>) {
        match self {
            T::Leaf(i) => out.push(*i),
            T::Series(v) | T::Parallel(v) | T::KofN(_, v) => v.iter().for_each(|x| x.leaves(out)),
            T::Copies(_, n, b) => (0..*n).for_each(|_| b.leaves(out)),
        }
    }

    /// Structure function on the expanded leaf states, consuming them in order.
    fn up(&self, state: &[bool], at: &mut usize) -> bool {
        match self {
            T::Leaf(_) => {
                *at += 1;
                state[*at - 1]
            }
            T::Series(v) => v.iter().map(|x| x.up(state, at)).fold(true, |a, b| a & b),
            T::Parallel(v) => v.iter().map(|x| x.up(state, at)).fold(false, |a, b| a | b),
            T::KofN(k, v) => v.iter().map(|x| x.up(state, at)).filter(|&b| b).count() >= *k,
            T::Copies(k, n, b) => {
                (0..*n).map(|_| b.up(state, at)).filter(|&b| b).count() as u64 >= *k
            }
        }
    }
}

fn tree(components: usize) -> impl Strategy<Value = T> {
    let leaf = (0..components).prop_map(T::Leaf);
    leaf.prop_recursive(4, 40, 5, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(T::Series),
            prop::collection::vec(inner.clone(), 1..4).prop_map(T::Parallel),
            prop::collection::vec(inner.clone(), 1..5)
                .prop_flat_map(|v| (1..=v.len()).prop_map(move |k| T::KofN(k, v.clone()))),
            (inner, 1u64..4).prop_flat_map(|(b, n)| (1..=n).prop_map(move |k| T::Copies(
                k,
                n,
                Box::new(b.clone())
            ))),
        ]
    })
}

/// A system: always a composite of two to four random subtrees, so most cases have several
/// leaves (single-leaf systems are covered by the subtrees' own leaves).
fn system(components: usize) -> impl Strategy<Value = T> {
    (
        prop::collection::vec(tree(components), 2..5),
        0usize..4,
        1u64..4,
    )
        .prop_flat_map(|(v, kind, n)| {
            let len = v.len();
            (1..=len, Just(v), Just(kind), Just(n)).prop_map(|(k, v, kind, n)| match kind {
                0 => T::Series(v),
                1 => T::Parallel(v),
                2 => T::KofN(k, v),
                _ => T::Copies(
                    n.min(k as u64).max(1),
                    n.max(k as u64).min(3),
                    Box::new(T::Series(v)),
                ),
            })
        })
}

/// (mtbf, mttr) in hours for each component.
fn params(n: usize) -> impl Strategy<Value = Vec<(f64, f64)>> {
    prop::collection::vec((1.0f64..5.0, 0.1f64..3.0), n).prop_map(|v| {
        v.into_iter()
            .map(|(a, b)| (10f64.powf(a), 10f64.powf(b - 1.0)))
            .collect()
    })
}

fn model_yaml(t: &T, p: &[(f64, f64)]) -> String {
    let mut s = String::from("components:\n");
    for (i, (mtbf, mttr)) in p.iter().enumerate() {
        s.push_str(&format!("  c{i}: {{ mtbf: {mtbf:e}h, mttr: {mttr:e}h }}\n"));
    }
    s.push_str(&format!("system: {}\n", t.yaml()));
    s
}

struct Truth {
    a: f64,
    u: f64,
    /// dA/dA_c for each component, all copies together.
    birnbaum: Vec<f64>,
    /// U - U(c perfect).
    saved: Vec<f64>,
}

/// Enumerates every state of the expanded leaves. `avail[i]` is component i's (A, U).
fn enumerate(t: &T, avail: &[(f64, f64)]) -> Truth {
    let mut leaves = Vec::new();
    t.leaves(&mut leaves);
    let m = leaves.len();
    let mut truth = Truth {
        a: 0.0,
        u: 0.0,
        birnbaum: vec![0.0; avail.len()],
        saved: vec![0.0; avail.len()],
    };
    let mut state = vec![false; m];
    for bits in 0u32..(1 << m) {
        for (j, s) in state.iter_mut().enumerate() {
            *s = bits >> j & 1 == 1;
        }
        let p: f64 = leaves
            .iter()
            .zip(&state)
            .map(|(&c, &s)| if s { avail[c].0 } else { avail[c].1 })
            .product();
        let up = t.up(&state, &mut 0);
        if up {
            truth.a += p
        } else {
            truth.u += p
        }
        for j in 0..m {
            let c = leaves[j];
            // d/dA_j of the multilinear polynomial: sum over the other leaves' states of
            // (phi with j up - phi with j down); visit each such pair once, from j up.
            if state[j] {
                let others = p / avail[c].0;
                let mut flipped = state.clone();
                flipped[j] = false;
                let down = t.up(&flipped, &mut 0);
                truth.birnbaum[c] += others * ((up as u8 as f64) - (down as u8 as f64));
            }
        }
        // U - U(c perfect), as a sum of positive terms (so the truth keeps its relative
        // accuracy however small the saving): the states that are down but would be up with
        // every copy of c up. (The system is monotone, so these are exactly the difference.)
        if !up {
            for c in 0..avail.len() {
                let mut perfect = state.clone();
                for (s, &l) in perfect.iter_mut().zip(&leaves) {
                    if l == c {
                        *s = true;
                    }
                }
                if t.up(&perfect, &mut 0) {
                    truth.saved[c] += p;
                }
            }
        }
    }
    truth
}

fn close(got: f64, want: f64, tol: f64) -> bool {
    (got - want).abs() <= tol * want.abs().max(1e-300) || (got - want).abs() < 1e-300
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn solver_matches_enumeration((t, p) in (1usize..5).prop_flat_map(|n| (system(n), params(n)))) {
        let mut leaves = Vec::new();
        t.leaves(&mut leaves);
        prop_assume!(leaves.len() <= 14);
        let yaml = model_yaml(&t, &p);
        let a = hacalc::analyse("random.yaml", &yaml).map_err(|r| TestCaseError::fail(r.to_plain()))?;
        let avail: Vec<(f64, f64)> = a.model.components.iter().map(|c| (c.avail.p, c.avail.q)).collect();
        let truth = enumerate(&t, &avail);
        let s = &a.solution.system;
        prop_assert!(close(s.availability(), truth.a, 1e-11), "A {} vs {}", s.availability(), truth.a);
        prop_assert!(close(s.unavailability(), truth.u, 1e-9), "U {} vs {}\n{yaml}", s.unavailability(), truth.u);
        prop_assert!(s.unavailability() >= 0.0 && s.unavailability() <= 1.0);
        prop_assert!((s.availability() + s.unavailability() - 1.0).abs() < 1e-12);
        let mut f_truth = 0.0;
        for c in &a.solution.components {
            if c.copies == 0.0 { continue; }
            let i = c.index;
            prop_assert!(close(c.birnbaum, truth.birnbaum[i], 1e-8) || (c.birnbaum - truth.birnbaum[i]).abs() < 1e-13,
                "Birnbaum of c{i}: {} vs {}\n{yaml}", c.birnbaum, truth.birnbaum[i]);
            // Relative to the saving itself; the floor is rounding of U (hacalc may take the
            // saving as a difference of two unavailabilities).
            prop_assert!((c.unavailability_saved - truth.saved[i]).abs() <= 1e-9 * truth.saved[i] + 1e-14 * truth.u,
                "saved of c{i}: {} vs {}\n{yaml}", c.unavailability_saved, truth.saved[i]);
            f_truth += truth.birnbaum[i] * c.measures.frequency.unwrap();
        }
        let f = s.frequency.unwrap();
        prop_assert!(close(f, f_truth, 1e-8) || (f - f_truth).abs() < 1e-15, "f {} vs {}", f, f_truth);
    }

    #[test]
    fn structural_laws((t, p) in (1usize..5).prop_flat_map(|n| (system(n), params(n))), which in 0usize..4) {
        let a = hacalc::analyse("random.yaml", &model_yaml(&t, &p)).map_err(|r| TestCaseError::fail(r.to_plain()))?;
        // Series U >= max of its parts; parallel U <= min of its parts.
        for (node, value) in a.structure.nodes.iter().zip(&a.solution.nodes) {
            let kids: Vec<f64> = node.kind.children().iter().map(|&c| a.solution.nodes[c].measures.avail.q).collect();
            match &node.kind {
                hacalc::compile::NodeKind::Series(_) => {
                    let max = kids.iter().cloned().fold(0.0, f64::max);
                    prop_assert!(value.measures.avail.q >= max * (1.0 - 1e-12));
                }
                hacalc::compile::NodeKind::KofN { k: 1, .. } => {
                    let min = kids.iter().cloned().fold(1.0, f64::min);
                    prop_assert!(value.measures.avail.q <= min * (1.0 + 1e-12));
                }
                _ => {}
            }
        }
        // Improving one component (halving its mttr) never raises the system's U.
        if which < p.len() {
            let mut better = p.clone();
            better[which].1 /= 2.0;
            let b = hacalc::analyse("random.yaml", &model_yaml(&t, &better)).unwrap();
            prop_assert!(b.solution.system.unavailability() <= a.solution.system.unavailability() * (1.0 + 1e-12));
        }
    }

    #[test]
    fn k_of_n_extremes_are_parallel_and_series(list in prop::collection::vec(0usize..3, 1..6), p in params(3)) {
        let v: Vec<T> = list.iter().map(|&i| T::Leaf(i)).collect();
        let n = v.len();
        let solve = |t: T| hacalc::analyse("m.yaml", &model_yaml(&t, &p)).unwrap().solution.system;
        let k1 = solve(T::KofN(1, v.clone()));
        let par = solve(T::Parallel(v.clone()));
        let kn = solve(T::KofN(n, v.clone()));
        let ser = solve(T::Series(v));
        prop_assert!(close(k1.unavailability(), par.unavailability(), 1e-13));
        prop_assert!(close(kn.unavailability(), ser.unavailability(), 1e-13));
        prop_assert!(close(k1.frequency.unwrap(), par.frequency.unwrap(), 1e-13));
        prop_assert!(close(kn.frequency.unwrap(), ser.frequency.unwrap(), 1e-13));
    }

    #[test]
    fn json_parses_and_matches_the_table((t, p) in (1usize..4).prop_flat_map(|n| (system(n), params(n)))) {
        let a = hacalc::analyse("random.yaml", &model_yaml(&t, &p)).unwrap();
        let json: serde_json::Value = serde_json::from_str(&hacalc::render::Exporter::render(&hacalc::render::json::Json { check: false }, &a).unwrap()).unwrap();
        let table = hacalc::render::Exporter::render(&hacalc::render::table::Tables { top: 0, importance: true }, &a).unwrap();
        let u = json["unavailability"].as_f64().unwrap();
        let av = json["availability"].as_f64().unwrap();
        prop_assert_eq!(u, a.solution.system.unavailability());
        prop_assert!(table.contains(&hacalc::units::percent(av, u)), "{}", table);
        // Components appear in the table in the JSON's order (by share of downtime).
        let names: Vec<&str> = json["components"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
        let comp_section = &table[table.find("Components").unwrap()..];
        let mut last = 0;
        for name in names {
            let at = comp_section.find(&format!(" {name} ")).unwrap();
            prop_assert!(at >= last);
            last = at;
        }
    }
}
