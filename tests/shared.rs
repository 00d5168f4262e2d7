//! Shared instances against brute force: random small models with random `shared: true`
//! components and named blocks, expanded into their instances (a shared thing is one
//! instance wherever it is used, anything else one per use) and enumerated over every state
//! of the instances. U, failures, and each component's Birnbaum importance and downtime
//! saved must agree.

use proptest::prelude::*;

#[derive(Debug, Clone)]
enum T {
    Comp(usize),
    Block(usize),
    Series(Vec<T>),
    KofN(usize, Vec<T>),
}

impl T {
    fn yaml(&self) -> String {
        match self {
            T::Comp(i) => format!("c{i}"),
            T::Block(i) => format!("b{i}"),
            T::Series(v) => format!(
                "{{ series: [{}] }}",
                v.iter().map(T::yaml).collect::<Vec<_>>().join(", ")
            ),
            T::KofN(k, v) => format!(
                "{{ k_of_n: {{ k: {k}, of: [{}] }} }}",
                v.iter().map(T::yaml).collect::<Vec<_>>().join(", ")
            ),
        }
    }
}

/// A tree over components 0..m and named blocks 0..max_block.
fn tree(m: usize, max_block: usize) -> impl Strategy<Value = T> {
    let leaf = if max_block == 0 {
        (0..m).prop_map(T::Comp).boxed()
    } else {
        prop_oneof![3 => (0..m).prop_map(T::Comp), 1 => (0..max_block).prop_map(T::Block)].boxed()
    };
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(T::Series),
            prop::collection::vec(inner, 1..4)
                .prop_flat_map(|v| (1..=v.len(), Just(v)))
                .prop_map(|(k, v)| T::KofN(k, v)),
        ]
    })
}

#[derive(Debug, Clone)]
struct Case {
    comps: Vec<(f64, f64, bool)>,
    blocks: Vec<(T, bool)>,
    system: T,
}

fn case() -> impl Strategy<Value = Case> {
    (1usize..4, 0usize..3)
        .prop_flat_map(|(m, nb)| {
            let comps = prop::collection::vec((10.0f64..500.0, 0.5f64..20.0, any::<bool>()), m);
            // Block i may use blocks before it only (no cycles).
            let blocks: Vec<_> = (0..nb).map(|i| (tree(m, i), any::<bool>())).collect();
            (comps, blocks, tree(m, nb))
        })
        .prop_map(|(comps, blocks, system)| Case {
            comps,
            blocks,
            system,
        })
}

impl Case {
    fn yaml(&self) -> String {
        let mut y = String::from("components:\n");
        for (i, (mtbf, mttr, shared)) in self.comps.iter().enumerate() {
            y.push_str(&format!(
                "  c{i}: {{ mtbf: {mtbf}h, mttr: {mttr}h, shared: {shared} }}\n"
            ));
        }
        if !self.blocks.is_empty() {
            y.push_str("blocks:\n");
            for (i, (t, shared)) in self.blocks.iter().enumerate() {
                let body = t.yaml();
                // A named block that is only a name gets wrapped, so `shared` can sit beside it.
                let body = if body.starts_with('{') {
                    body
                } else {
                    format!("{{ series: [{body}] }}")
                };
                let inner = &body[1..body.len() - 1];
                y.push_str(&format!("  b{i}: {{ shared: {shared}, {inner} }}\n"));
            }
        }
        y.push_str(&format!("system: {}\n", self.system.yaml()));
        y
    }

    /// The expanded structure: each instance's component, and the system as an expression
    /// over instances.
    fn expand(&self) -> (Vec<usize>, E) {
        let mut instances = Vec::new();
        let mut shared_comp: Vec<Option<usize>> = vec![None; self.comps.len()];
        let mut shared_block: Vec<Option<E>> = vec![None; self.blocks.len()];
        let e = self.expand_tree(
            &self.system,
            &mut instances,
            &mut shared_comp,
            &mut shared_block,
        );
        (instances, e)
    }

    fn expand_tree(
        &self,
        t: &T,
        inst: &mut Vec<usize>,
        sc: &mut Vec<Option<usize>>,
        sb: &mut Vec<Option<E>>,
    ) -> E {
        match t {
            T::Comp(i) => {
                if self.comps[*i].2 {
                    if let Some(x) = sc[*i] {
                        return E::Var(x);
                    }
                    inst.push(*i);
                    sc[*i] = Some(inst.len() - 1);
                    E::Var(inst.len() - 1)
                } else {
                    inst.push(*i);
                    E::Var(inst.len() - 1)
                }
            }
            T::Block(b) => {
                if self.blocks[*b].1 {
                    if let Some(e) = &sb[*b] {
                        return e.clone();
                    }
                    let e = self.expand_tree(&self.blocks[*b].0.clone(), inst, sc, sb);
                    sb[*b] = Some(e.clone());
                    e
                } else {
                    self.expand_tree(&self.blocks[*b].0.clone(), inst, sc, sb)
                }
            }
            T::Series(v) => E::KofN(
                v.len(),
                v.iter()
                    .map(|x| self.expand_tree(x, inst, sc, sb))
                    .collect(),
            ),
            T::KofN(k, v) => E::KofN(
                *k,
                v.iter()
                    .map(|x| self.expand_tree(x, inst, sc, sb))
                    .collect(),
            ),
        }
    }
}

#[derive(Debug, Clone)]
enum E {
    Var(usize),
    KofN(usize, Vec<E>),
}

impl E {
    fn up(&self, state: u32) -> bool {
        match self {
            E::Var(i) => state >> i & 1 == 1,
            E::KofN(k, v) => v.iter().filter(|x| x.up(state)).count() >= *k,
        }
    }
}

fn close(got: f64, want: f64, tol: f64) -> bool {
    (got - want).abs() <= tol * want.abs() + 1e-300
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn shared_instances_match_enumeration(c in case()) {
        let (inst, e) = c.expand();
        prop_assume!(inst.len() <= 14);
        let yaml = c.yaml();
        let a = match hacalc::analyse("s.yaml", &yaml) {
            Ok(a) => a,
            Err(r) => {
                // Copies of shared things are refused; nothing else may be.
                prop_assert!(r.to_plain().contains("is shared"), "{}\n{}", r.to_plain(), yaml);
                return Ok(());
            }
        };
        let comp = |i: usize| {
            let (mtbf, mttr, _) = c.comps[i];
            (mtbf / (mtbf + mttr), mttr / (mtbf + mttr), 1.0 / mtbf)
        };
        let n = inst.len();
        let p = |s: u32, forced: Option<usize>| -> f64 {
            (0..n)
                .map(|j| {
                    let (a, u, _) = comp(inst[j]);
                    if Some(inst[j]) == forced {
                        if s >> j & 1 == 1 { 1.0 } else { 0.0 }
                    } else if s >> j & 1 == 1 { a } else { u }
                })
                .product()
        };
        let (mut av, mut un) = (0.0, 0.0);
        let mut crit = vec![0.0; n];
        for s in 0..1u32 << n {
            let pr = p(s, None);
            if e.up(s) { av += pr } else { un += pr }
            for (j, cj) in crit.iter_mut().enumerate() {
                if s >> j & 1 == 1 && e.up(s) && !e.up(s & !(1 << j)) {
                    *cj += pr / comp(inst[j]).0;
                }
            }
        }
        let f: f64 = (0..n).map(|j| crit[j] * comp(inst[j]).0 * comp(inst[j]).2).sum();
        let s = &a.solution.system;
        prop_assert!(close(s.unavailability(), un, 1e-12), "U {} vs {un}\n{yaml}", s.unavailability());
        prop_assert!(close(s.availability(), av, 1e-12));
        prop_assert!(close(s.frequency.unwrap(), f, 1e-11), "f {:?} vs {f}\n{yaml}", s.frequency);
        for r in &a.solution.components {
            if r.copies == 0.0 { continue; }
            let i = r.index;
            let b: f64 = (0..n).filter(|&j| inst[j] == i).map(|j| crit[j]).sum();
            prop_assert!(close(r.birnbaum, b, 1e-10) || (r.birnbaum - b).abs() < 1e-14,
                "Birnbaum of c{i}: {} vs {b}\n{yaml}", r.birnbaum);
            // U with every instance of c up.
            let u_perfect: f64 = (0..1u32 << n).filter(|&s| !e.up(s)).map(|s| p(s, Some(i))).sum();
            let saved = un - u_perfect;
            prop_assert!(close(r.unavailability_saved, saved, 1e-9) || (r.unavailability_saved - saved).abs() < 1e-15,
                "saved of c{i}: {} vs {saved}\n{yaml}", r.unavailability_saved);
            let copies = (0..n).filter(|&j| inst[j] == i).count() as f64;
            prop_assert_eq!(r.copies, copies, "copies of c{}\n{}", i, yaml);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    /// Minimal cut sets against brute force: every subset of the instances whose failure
    /// takes the system down and none of whose proper subsets does; compared as multisets of
    /// the components in each cut, with each cut's probability (independent instances).
    /// Orders up to 4 go through the families built on the structure when nothing is used
    /// twice, 12 through the decision diagram.
    #[test]
    fn cut_sets_match_enumeration(c in case(), order in prop_oneof![Just(12usize), 1usize..5]) {
        let (inst, e) = c.expand();
        prop_assume!(inst.len() <= 12);
        let yaml = c.yaml();
        let request = hacalc::Request { cut_sets: Some(order), ..Default::default() };
        let Ok(a) = hacalc::analyse_with("s.yaml", &yaml, &Default::default(), &request) else {
            return Ok(());
        };
        let n = inst.len();
        let all = (1u32 << n) - 1;
        let cut = |s: u32| !e.up(all & !s);
        let mut want: Vec<(Vec<usize>, f64)> = Vec::new();
        for s in 0..1u32 << n {
            if s.count_ones() as usize <= order && cut(s) && (0..n).all(|j| s >> j & 1 == 0 || !cut(s & !(1 << j))) {
                let mut comps: Vec<usize> = (0..n).filter(|&j| s >> j & 1 == 1).map(|j| inst[j]).collect();
                comps.sort();
                let p: f64 = (0..n).filter(|&j| s >> j & 1 == 1).map(|j| {
                    let (mtbf, mttr, _) = c.comps[inst[j]];
                    mttr / (mtbf + mttr)
                }).product();
                want.push((comps, p));
            }
        }
        let cs = a.cut_sets.as_ref().unwrap().as_ref().unwrap();
        let mut got: Vec<(Vec<usize>, f64)> = cs.sets.iter().map(|set| {
            let mut comps: Vec<usize> = set.members.iter().map(|&m| cs.instances[m as usize].component.unwrap()).collect();
            comps.sort();
            (comps, set.probability)
        }).collect();
        let key = |x: &(Vec<usize>, f64)| (x.0.clone(), (x.1 * 1e12).round() as i64);
        want.sort_by_key(key);
        got.sort_by_key(key);
        prop_assert_eq!(got.len(), want.len(), "{}\n{:?}\n{:?}", yaml, got, want);
        for (g, w) in got.iter().zip(&want) {
            prop_assert_eq!(&g.0, &w.0, "{}", yaml);
            prop_assert!(close(g.1, w.1, 1e-12), "{} vs {}\n{}", g.1, w.1, yaml);
        }
    }
}

/// The example: one database behind two application paths, written with `shared`,
/// equals the rewrite with the database factored out.
#[test]
fn shared_database_equals_the_factored_rewrite() {
    let shared = hacalc::analyse(
        "a.yaml",
        "components:\n  app: { mtbf: 30d, mttr: 2h }\n  db: { mtbf: 60d, mttr: 4h, shared: true }\nsystem:\n  parallel: [{ series: [app, db] }, { series: [app, db] }]\n",
    )
    .unwrap();
    let factored = hacalc::analyse(
        "b.yaml",
        "components:\n  app: { mtbf: 30d, mttr: 2h }\n  db: { mtbf: 60d, mttr: 4h }\nsystem:\n  series: [db, { parallel: { n: 2, of: app } }]\n",
    )
    .unwrap();
    let (s, f) = (&shared.solution.system, &factored.solution.system);
    assert!(((s.unavailability() - f.unavailability()) / f.unavailability()).abs() < 1e-13);
    assert!(((s.frequency.unwrap() - f.frequency.unwrap()) / f.frequency.unwrap()).abs() < 1e-12);
    for (x, y) in shared
        .solution
        .components
        .iter()
        .zip(&factored.solution.components)
    {
        assert!(
            ((x.birnbaum - y.birnbaum) / y.birnbaum).abs() < 1e-12,
            "{}",
            x.name
        );
        assert!(
            ((x.unavailability_saved - y.unavailability_saved) / y.unavailability_saved).abs()
                < 1e-10
        );
        assert_eq!(x.copies, y.copies);
    }
}

fn example(name: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(name),
    )
    .unwrap()
}

fn rel(a: f64, b: f64) -> f64 {
    ((a - b) / b).abs()
}

/// shared-services.yaml equals the series of the shared services and the two paths' own
/// parts in parallel.
#[test]
fn shared_services_example_equals_its_factoring() {
    let a = hacalc::analyse("s.yaml", &example("shared-services.yaml")).unwrap();
    let f = hacalc::analyse(
        "f.yaml",
        "components:\n  dns:  { mtbf: 1y, mttr: 20m }\n  auth: { mtbf: 90d, mttr: 30m }\n  db:   { mtbf: 60d, mttr: 2h }\n  lb:   { mtbf: 2y, mttr: 30m }\n  app:  { mtbf: 14d, mttr: 20m }\n  cache: { mtbf: 30d, mttr: 10m }\nblocks:\n  own: { series: [lb, { k_of_n: { k: 2, n: 3, of: app } }, cache] }\nsystem:\n  series: [dns, auth, db, { parallel: { n: 2, of: own } }]\n",
    )
    .unwrap();
    let (s, t) = (&a.solution.system, &f.solution.system);
    assert!(rel(s.unavailability(), t.unavailability()) < 1e-12);
    assert!(rel(s.frequency.unwrap(), t.frequency.unwrap()) < 1e-12);
}

/// three-regions.yaml equals the control plane in series with 2 of 3 regions without it.
#[test]
fn three_regions_example_equals_its_factoring() {
    let a = hacalc::analyse("t.yaml", &example("three-regions.yaml")).unwrap();
    let f = hacalc::analyse(
        "f.yaml",
        "components:\n  api-server: { mtbf: 180d, mttr: 15m }\n  etcd:       { mtbf: 1y, mttr: 1h }\n  zone-lb:    { mtbf: 2y, mttr: 20m }\n  node:       { mtbf: 30d, mttr: 30m }\n  store:      { mtbf: 90d, mttr: 1h }\nblocks:\n  region: { series: [zone-lb, { k_of_n: { k: 4, n: 6, of: node } }, { parallel: { n: 2, of: store } }] }\nsystem:\n  series:\n    - parallel: { n: 3, of: api-server }\n    - k_of_n: { k: 2, n: 3, of: etcd }\n    - k_of_n: { k: 2, n: 3, of: region }\n",
    )
    .unwrap();
    let (s, t) = (&a.solution.system, &f.solution.system);
    assert!(
        rel(s.unavailability(), t.unavailability()) < 1e-12,
        "{} {}",
        s.unavailability(),
        t.unavailability()
    );
    assert!(rel(s.frequency.unwrap(), t.frequency.unwrap()) < 1e-11);
}

/// dc-mesh.yaml with its terminals swapped: a different link order and so a different
/// diagram, the same undirected network.
#[test]
fn mesh_example_is_the_same_from_either_end() {
    let text = example("dc-mesh.yaml");
    let swapped = text.replace("from: edge\n    to: store", "from: store\n    to: edge");
    assert_ne!(text, swapped);
    let a = hacalc::analyse("m.yaml", &text).unwrap();
    let b = hacalc::analyse("m.yaml", &swapped).unwrap();
    let (s, t) = (&a.solution.system, &b.solution.system);
    assert!(rel(s.unavailability(), t.unavailability()) < 1e-12);
    assert!(rel(s.frequency.unwrap(), t.frequency.unwrap()) < 1e-11);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, ..ProptestConfig::default() })]

    /// A(t) of a model with shared instances against enumeration over the instances, each
    /// at its own two-state A(t) from all up at 0 (a shared instance once, wherever used).
    #[test]
    fn shared_instances_over_time_match_enumeration(c in case()) {
        let (inst, e) = c.expand();
        prop_assume!(inst.len() <= 12);
        let yaml = c.yaml();
        let times = [1.0, 30.0, 1e5];
        let request = hacalc::analysis::Request {
            over_time: hacalc::analysis::OverTime::At(times.to_vec()),
            ..Default::default()
        };
        let Ok(a) = hacalc::analyse_with("s.yaml", &yaml, &Default::default(), &request) else {
            return Ok(());
        };
        let n = inst.len();
        let tr = a.over_time.as_ref().unwrap();
        for (point, &t) in tr.points.iter().zip(&times) {
            let unit = |i: usize| {
                let (mtbf, mttr, _) = c.comps[i];
                let (l, m) = (1.0 / mtbf, 1.0 / mttr);
                let u = l / (l + m) * -(-(l + m) * t).exp_m1();
                (1.0 - u, u)
            };
            let un: f64 = (0..1u32 << n)
                .filter(|&s| !e.up(s))
                .map(|s| (0..n).map(|j| if s >> j & 1 == 1 { unit(inst[j]).0 } else { unit(inst[j]).1 }).product::<f64>())
                .sum();
            prop_assert!(close(point.unavailability, un, 1e-11),
                "U({t}) {} vs {un}\n{yaml}", point.unavailability);
        }
    }
}

/// X and (A or X) is X: with X shared, the system is X alone over time too, so A(t), R(t)
/// and the MTTF are X's closed forms (an independent evaluation would count X twice).
#[test]
fn a_shared_instance_is_one_part_over_time() {
    let yaml = "components:\n  x: { mtbf: 100h, mttr: 5h, shared: true }\n  a: { mtbf: 50h, mttr: 10h }\nsystem: { series: [x, { parallel: [a, x] }] }\n";
    let times = [2.0, 40.0, 400.0];
    let request = hacalc::analysis::Request {
        over_time: hacalc::analysis::OverTime::At(times.to_vec()),
        ..Default::default()
    };
    let a = hacalc::analyse_with("s.yaml", yaml, &Default::default(), &request).unwrap();
    let tr = a.over_time.as_ref().unwrap();
    let (l, m) = (0.01, 0.2);
    for (p, &t) in tr.points.iter().zip(&times) {
        let u = l / (l + m) * -(-(l + m) * t).exp_m1();
        assert!(
            rel(p.unavailability, u) < 1e-12,
            "U({t}) {} vs {u}",
            p.unavailability
        );
        let r = p.reliability.expect("R(t) from the joint chain").0;
        assert!(rel(r, (-l * t).exp()) < 1e-9, "R({t}) {r}");
    }
    assert!(rel(tr.mttf.unwrap(), 100.0) < 1e-9, "MTTF {:?}", tr.mttf);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    /// Networks whose links are components, some shared (one instance over several links),
    /// against enumeration over the instances. A shared variable used as a second link was
    /// once made a node above the diagram that already tested it, which counted it as two
    /// independent parts (a cut of order 2 reported as order 3, U 38 times too small).
    #[test]
    fn shared_links_match_enumeration(
        links in prop::collection::vec((0u32..4, 0u32..4, 0usize..3), 1..7),
        shared in prop::collection::vec(any::<bool>(), 3),
        rates in prop::collection::vec((10.0f64..500.0, 0.5f64..20.0), 3),
    ) {
        let names = ["s", "m", "n", "t"];
        let links: Vec<_> = links.into_iter().filter(|(a, b, _)| a != b).collect();
        prop_assume!(!links.is_empty());
        let mut y = String::from("components:\n");
        for (i, (mtbf, mttr)) in rates.iter().enumerate() {
            y.push_str(&format!("  c{i}: {{ mtbf: {mtbf}h, mttr: {mttr}h, shared: {} }}\n", shared[i]));
        }
        y.push_str("system:\n  network:\n    from: s\n    to: t\n    links:\n");
        for (a, b, c) in &links {
            y.push_str(&format!("      - {{ from: {}, to: {}, via: c{c} }}\n", names[*a as usize], names[*b as usize]));
        }
        let Ok(an) = hacalc::analyse("n.yaml", &y) else { return Ok(()); };
        // Instances: a shared component is one, every other link its own.
        let mut inst: Vec<usize> = Vec::new();
        let mut of_link = Vec::new();
        let mut first: Vec<Option<usize>> = vec![None; 3];
        for (_, _, c) in &links {
            if shared[*c] {
                if first[*c].is_none() {
                    inst.push(*c);
                    first[*c] = Some(inst.len() - 1);
                }
                of_link.push(first[*c].unwrap());
            } else {
                inst.push(*c);
                of_link.push(inst.len() - 1);
            }
        }
        let connected = |up: u32| {
            let mut seen = [true, false, false, false];
            for _ in 0..4 {
                for (l, (a, b, _)) in links.iter().enumerate() {
                    if up >> of_link[l] & 1 == 1 {
                        let (a, b) = (*a as usize, *b as usize);
                        if seen[a] || seen[b] { seen[a] = true; seen[b] = true; }
                    }
                }
            }
            seen[3]
        };
        let u: f64 = (0..1u32 << inst.len())
            .filter(|&s| !connected(s))
            .map(|s| (0..inst.len()).map(|j| {
                let (mtbf, mttr) = rates[inst[j]];
                if s >> j & 1 == 1 { mtbf / (mtbf + mttr) } else { mttr / (mtbf + mttr) }
            }).product::<f64>())
            .sum();
        let got = an.solution.system.unavailability();
        prop_assert!(close(got, u, 1e-11), "U {got} vs {u}\n{y}");
    }
}

/// Birnbaum importance through the decision diagram of a shared instance when the parts are
/// mostly down (availabilities 0.3, 0.2 and 0.4): the difference at each node is then taken
/// on its up side, which highly available systems never reach. hub AND (a OR b), in closed
/// form.
#[test]
fn birnbaum_of_mostly_down_parts_through_a_shared_instance() {
    let a = hacalc::analyse(
        "s.yaml",
        "components:\n  a: { mtbf: 3h, mttr: 7h }\n  b: { mtbf: 2h, mttr: 8h }\n  hub: { mtbf: 4h, mttr: 6h, shared: true }\nsystem:\n  parallel:\n    - series: [a, hub]\n    - series: [b, hub]\n",
    )
    .unwrap_or_else(|r| panic!("{}", r.to_plain()));
    let (pa, pb, ph) = (0.3, 0.2, 0.4);
    let want_u = 1.0 - ph * (1.0 - (1.0 - pa) * (1.0 - pb));
    let got_u = a.solution.system.unavailability();
    assert!(
        ((got_u - want_u) / want_u).abs() < 1e-13,
        "{got_u} vs {want_u}"
    );
    for (name, want) in [
        ("a", ph * (1.0 - pb)),
        ("b", ph * (1.0 - pa)),
        ("hub", 1.0 - (1.0 - pa) * (1.0 - pb)),
    ] {
        let c = a
            .solution
            .components
            .iter()
            .find(|c| c.name == name)
            .unwrap();
        assert!(
            ((c.birnbaum - want) / want).abs() < 1e-13,
            "{name}: {} vs {want}",
            c.birnbaum
        );
    }
}
