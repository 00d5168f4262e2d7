//! Repair teams against independent truth: the chain of every unit on its own (2^units
//! states, no lumping), built here from the rules in docs/format.md and solved, for random
//! small models under both disciplines; the same chain written as a `markov` block; and the
//! closed cases (a team with a repairer per unit is independent repair, a team of one
//! component is `crews`).

use hacalc::compile::ctmc::Ctmc;
use hacalc::solve::ctmc::{SolverOptions, steady_state};
use proptest::prelude::*;

/// The system over units: a unit, or at least k of the parts.
#[derive(Debug, Clone)]
enum T {
    Comp(usize),
    /// `parallel`/`k_of_n` of n plain copies of a component.
    Copies(usize, usize, usize),
    KofN(usize, Vec<T>),
}

impl T {
    fn yaml(&self) -> String {
        match self {
            T::Comp(c) => format!("c{c}"),
            T::Copies(k, n, c) => format!("{{ k_of_n: {{ k: {k}, n: {n}, of: c{c} }} }}"),
            T::KofN(k, v) => format!(
                "{{ k_of_n: {{ k: {k}, of: [{}] }} }}",
                v.iter().map(T::yaml).collect::<Vec<_>>().join(", ")
            ),
        }
    }

    /// The expression over units, pushing each unit's component to `units`.
    fn expand(&self, units: &mut Vec<usize>) -> E {
        match self {
            T::Comp(c) => {
                units.push(*c);
                E::Unit(units.len() - 1)
            }
            T::Copies(k, n, c) => E::KofN(
                *k,
                (0..*n)
                    .map(|_| {
                        units.push(*c);
                        E::Unit(units.len() - 1)
                    })
                    .collect(),
            ),
            T::KofN(k, v) => E::KofN(*k, v.iter().map(|x| x.expand(units)).collect()),
        }
    }
}

#[derive(Debug, Clone)]
enum E {
    Unit(usize),
    KofN(usize, Vec<E>),
}

impl E {
    /// Up when the units whose bits are set in `down` are down.
    fn up(&self, down: u32) -> bool {
        match self {
            E::Unit(u) => down >> u & 1 == 0,
            E::KofN(k, v) => v.iter().filter(|x| x.up(down)).count() >= *k,
        }
    }
}

fn tree(m: usize) -> impl Strategy<Value = T> {
    let leaf = prop_oneof![
        2 => (0..m).prop_map(T::Comp),
        1 => (0..m, 1usize..4).prop_flat_map(|(c, n)| (1..=n, Just(n), Just(c)))
            .prop_map(|(k, n, c)| T::Copies(k, n, c)),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop::collection::vec(inner, 1..4)
            .prop_flat_map(|v| (1..=v.len(), Just(v)))
            .prop_map(|(k, v)| T::KofN(k, v))
    })
}

#[derive(Debug, Clone)]
struct Case {
    /// (mtbf, mttr) in hours of each component.
    comps: Vec<(f64, f64)>,
    size: u64,
    shared: bool,
    /// Priority order (a permutation of the components).
    order: Vec<usize>,
    system: T,
}

fn case() -> impl Strategy<Value = Case> {
    (1usize..4)
        .prop_flat_map(|m| {
            (
                prop::collection::vec((20.0f64..2000.0, 0.5f64..50.0), m),
                1u64..3,
                any::<bool>(),
                Just((0..m).collect::<Vec<_>>()).prop_shuffle(),
                tree(m),
            )
        })
        .prop_map(|(comps, size, shared, order, system)| Case {
            comps,
            size,
            shared,
            order,
            system,
        })
}

impl Case {
    fn yaml(&self) -> String {
        let mut y = String::from("components:\n");
        for (i, (mtbf, mttr)) in self.comps.iter().enumerate() {
            y.push_str(&format!(
                "  c{i}: {{ mtbf: {mtbf}h, mttr: {mttr}h, team: ops }}\n"
            ));
        }
        let order: Vec<String> = self.order.iter().map(|c| format!("c{c}")).collect();
        y.push_str(&format!(
            "teams:\n  ops: {{ size: {}, discipline: {}, priority: [{}] }}\n",
            self.size,
            if self.shared { "shared" } else { "priority" },
            order.join(", ")
        ));
        y.push_str(&format!("system: {}\n", self.system.yaml()));
        y
    }

    /// The chain of every unit on its own (bit u of a state: unit u down), with the
    /// components in `perfect` never failing (their units stay up).
    fn unit_chain(&self, units: &[usize], perfect: Option<usize>) -> Ctmc {
        let n = units.len();
        let mut t = Vec::new();
        for s in 0..1u32 << n {
            let down = |u: usize| s >> u & 1 == 1;
            let failed: Vec<usize> = (0..self.comps.len())
                .map(|c| (0..n).filter(|&u| units[u] == c && down(u)).count())
                .collect();
            let total: usize = failed.iter().sum();
            let mut left = self.size as usize;
            let mut given = vec![0usize; self.comps.len()];
            for &c in &self.order {
                given[c] = failed[c].min(left);
                left -= given[c];
            }
            for (u, &c) in units.iter().enumerate() {
                let (mtbf, mttr) = self.comps[c];
                if !down(u) {
                    if perfect != Some(c) {
                        t.push((s as usize, (s | 1 << u) as usize, 1.0 / mtbf));
                    }
                } else {
                    let rate = if self.shared {
                        (self.size as f64 / total as f64).min(1.0) / mttr
                    } else {
                        given[c] as f64 / failed[c] as f64 / mttr
                    };
                    t.push((s as usize, (s & !(1 << u)) as usize, rate));
                }
            }
        }
        Ctmc::new(1 << n, t, vec![true; 1 << n])
    }
}

/// U, failures per hour and each component's downtime saved from the unit chain.
fn truth(c: &Case, units: &[usize], e: &E) -> (f64, f64, Vec<f64>) {
    let solve = |perfect: Option<usize>| {
        let full = c.unit_chain(units, perfect);
        let reachable = |s: usize| {
            perfect.is_none_or(|p| (0..units.len()).all(|u| units[u] != p || s >> u & 1 == 0))
        };
        // The states a perfect component's units never leave, numbered compactly.
        let keep: Vec<usize> = (0..full.states()).filter(|&s| reachable(s)).collect();
        let mut index = vec![usize::MAX; full.states()];
        for (i, &s) in keep.iter().enumerate() {
            index[s] = i;
        }
        let t: Vec<(usize, usize, f64)> = keep
            .iter()
            .flat_map(|&s| {
                full.out(s)
                    .map(move |(to, r)| (s, to, r))
                    .collect::<Vec<_>>()
            })
            .map(|(s, to, r)| (index[s], index[to], r))
            .collect();
        let small = Ctmc::new(keep.len(), t, vec![true; keep.len()]);
        let pi_small = if keep.len() == 1 {
            vec![1.0]
        } else {
            steady_state(&small, &SolverOptions::default()).unwrap().pi
        };
        let mut pi = vec![0.0; full.states()];
        for (i, &s) in keep.iter().enumerate() {
            pi[s] = pi_small[i];
        }
        let chain = full;
        let u: f64 = (0..pi.len())
            .filter(|&s| reachable(s) && !e.up(s as u32))
            .map(|s| pi[s])
            .sum();
        let mut f = 0.0;
        for (s, &p) in pi.iter().enumerate() {
            if !e.up(s as u32) {
                continue;
            }
            for (to, rate) in chain.out(s) {
                if to > s && !e.up(to as u32) {
                    f += p * rate;
                }
            }
        }
        (u, f)
    };
    let (u, f) = solve(None);
    let saved = (0..c.comps.len()).map(|p| u - solve(Some(p)).0).collect();
    (u, f, saved)
}

fn close(got: f64, want: f64, tol: f64) -> bool {
    (got - want).abs() <= tol * want.abs() + 1e-300
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, ..ProptestConfig::default() })]

    #[test]
    fn teams_match_the_chain_of_every_unit(c in case()) {
        let mut units = Vec::new();
        let e = c.system.expand(&mut units);
        prop_assume!(units.len() <= 10);
        let yaml = c.yaml();
        let a = hacalc::analyse("t.yaml", &yaml).unwrap_or_else(|r| panic!("{}\n{yaml}", r.to_plain()));
        let (u, f, saved) = truth(&c, &units, &e);
        let s = &a.solution.system;
        prop_assert!(close(s.unavailability(), u, 1e-11), "U {} vs {u}\n{yaml}", s.unavailability());
        prop_assert!(close(s.availability(), 1.0 - u, 1e-12));
        prop_assert!(close(s.frequency.unwrap(), f, 1e-10), "f {:?} vs {f}\n{yaml}", s.frequency);
        let mut caused = 0.0;
        for r in a.solution.components.iter().filter(|r| r.copies > 0.0) {
            let want = saved[r.index];
            prop_assert!(close(r.unavailability_saved, want, 1e-8) || (r.unavailability_saved - want).abs() < 1e-15,
                "saved of c{}: {} vs {want}\n{yaml}", r.index, r.unavailability_saved);
            let copies = units.iter().filter(|&&x| x == r.index).count() as f64;
            prop_assert_eq!(r.copies, copies);
            caused += r.system_failures_caused.unwrap();
        }
        // Every system failure starts with one unit's failure.
        prop_assert!(close(caused, f, 1e-10), "caused {caused} vs {f}\n{yaml}");
        // Each minimal cut's probability: the chance that all its units are down at once.
        let pi = unit_pi(&c, &units);
        let cuts = hacalc::solve::cuts::minimal_cut_sets(&a.model, &a.structure, &a.solution, 12, 10_000, 1 << 20).unwrap();
        // Unit u is the k-th use of its component: instance "c{i}" or "c{i}#k".
        let unit_of = |name: &str| -> usize {
            let (comp, k) = name.split_once('#').map_or((name, 1), |(a, b)| (a, b.parse().unwrap()));
            let i: usize = comp[1..].parse().unwrap();
            (0..units.len()).filter(|&u| units[u] == i).nth(k - 1).unwrap()
        };
        for cut in &cuts.sets {
            let bits: u32 = cut.members.iter().map(|&m| 1u32 << unit_of(&cuts.instances[m as usize].name)).sum();
            let want: f64 = (0..pi.len()).filter(|&s| s as u32 & bits == bits).map(|s| pi[s]).sum();
            prop_assert!(close(cut.probability, want, 1e-10), "cut {:?}: {} vs {want}\n{yaml}", cut.members, cut.probability);
        }
    }
}

/// The stationary distribution of the chain of every unit.
fn unit_pi(c: &Case, units: &[usize]) -> Vec<f64> {
    steady_state(&c.unit_chain(units, None), &SolverOptions::default())
        .unwrap()
        .pi
}

/// A(t) with a component outside the team, and R(t) and the MTTF of a system made of the
/// team's places alone, against the chain of every unit run forward in time.
#[test]
fn over_time_against_the_chain_of_every_unit() {
    use hacalc::solve::ctmc::transient;
    let c = three_components(1, false, vec![1, 2, 0], 3, 20.0);
    let mut units = Vec::new();
    let e = c.system.expand(&mut units);
    let times = [1.0, 30.0, 400.0, 1e5];
    let request = |yaml: &str| {
        let r = hacalc::analysis::Request {
            over_time: hacalc::analysis::OverTime::At(times.to_vec()),
            ..Default::default()
        };
        hacalc::analyse_with("t.yaml", yaml, &Default::default(), &r).unwrap()
    };
    // The team's places alone: R(t) and MTTF from the team's chain.
    let mut chain = c.unit_chain(&units, None);
    chain.up = (0..chain.states()).map(|s| e.up(s as u32)).collect();
    let a = request(&c.yaml());
    let tr = a.over_time.as_ref().unwrap();
    let want_a = transient::availability(&chain, &times, None, 1e12).unwrap();
    let want_r = transient::reliability(&chain, &times, 1e12).unwrap();
    same_u(tr, &want_a, &times);
    for (i, p) in tr.points.iter().enumerate() {
        let r = p.reliability.expect("R(t) of a team's places alone").0;
        assert!(
            close(r, want_r[i].0, 1e-9),
            "R({}) {r} vs {}",
            times[i],
            want_r[i].0
        );
    }
    let mttf = transient::mttf(&chain, &SolverOptions::default()).unwrap();
    assert!(
        close(tr.mttf.unwrap(), mttf, 1e-9),
        "{:?} vs {mttf}",
        tr.mttf
    );
    // A part outside the team, in series: its own unit in the chain, with its own repairer.
    let (l, m) = (1.0 / 70.0, 1.0 / 3.0);
    let base = c.yaml();
    let (head, system) = base.split_once("system: ").unwrap();
    let yaml = format!(
        "{}system: {{ series: [free, {}] }}\n",
        head.replacen(
            "components:\n",
            "components:\n  free: { mtbf: 70h, mttr: 3h }\n",
            1
        ),
        system.trim_end()
    );
    let a = request(&yaml);
    let tr = a.over_time.as_ref().unwrap();
    let n = units.len();
    let mut t = Vec::new();
    for s in 0..chain.states() {
        for (to, r) in chain.out(s) {
            t.push((s, to, r));
            t.push((s | 1 << n, to | 1 << n, r));
        }
        t.push((s, s | 1 << n, l));
        t.push((s | 1 << n, s, m));
    }
    let up = (0..2 * chain.states())
        .map(|s| s >> n == 0 && e.up((s & ((1 << n) - 1)) as u32))
        .collect();
    let joint = Ctmc::new(2 * chain.states(), t, up);
    let want = transient::availability(&joint, &times, None, 1e12).unwrap();
    same_u(tr, &want, &times);
}

/// U(t) at each time within 1e-9 of the chain's (A, U) pairs.
fn same_u(tr: &hacalc::solve::transient::Transient, want: &[(f64, f64)], times: &[f64]) {
    for (i, p) in tr.points.iter().enumerate() {
        let u = want[i].1;
        assert!(
            close(p.unavailability, u, 1e-9),
            "U({}) {} vs {u}",
            times[i],
            p.unavailability
        );
    }
}

/// The tornado's variants of a team's component are the model solved with those rates.
#[test]
fn tornado_of_a_team_component() {
    let yaml = |db: &str| {
        format!(
            "components:\n  lb: {{ mtbf: 1y, mttr: 1h, team: ops }}\n  web: {{ mtbf: 30d, mttr: 2h, team: ops }}\n  db: {{ {db}, team: ops }}\nteams:\n  ops: {{ size: 1, priority: [web, db] }}\nsystem: {{ series: [lb, {{ parallel: {{ n: 3, of: web }} }}, {{ parallel: [db, db] }}] }}\n"
        )
    };
    let a = solve(&yaml("mtbf: 90d, mttr: 4h"));
    let opts = SolverOptions::default();
    let tornado =
        hacalc::solve::sensitivity::tornado(&a.model, &a.structure, &a.solution, &opts, 12);
    let db = tornado.iter().find(|t| t.name == "db").unwrap();
    for (got, variant) in [
        (db.mtbf_halved, "mtbf: 45d, mttr: 4h"),
        (db.mtbf_doubled, "mtbf: 180d, mttr: 4h"),
        (db.mttr_halved, "mtbf: 90d, mttr: 2h"),
        (db.mttr_doubled, "mtbf: 90d, mttr: 8h"),
    ] {
        let want = solve(&yaml(variant)).solution.system.unavailability() * 8760.0;
        assert!(close(got, want, 1e-12), "{variant}: {got} vs {want}");
    }
}

/// Three components of one team: the first alone, two copies of the second (one needed),
/// and the third or the first again; `k` of those three parts needed.
fn three_components(size: u64, shared: bool, order: Vec<usize>, k: usize, mttr1: f64) -> Case {
    Case {
        comps: vec![(300.0, 5.0), (100.0, mttr1), (50.0, 8.0)],
        size,
        shared,
        order,
        system: T::KofN(
            k,
            vec![
                T::Comp(0),
                T::Copies(1, 2, 1),
                T::KofN(1, vec![T::Comp(2), T::Comp(0)]),
            ],
        ),
    }
}

/// The unit chain of a case written as a `markov` block gives the same measures.
#[test]
fn a_team_equals_its_chain_written_out() {
    for shared in [false, true] {
        for size in [1, 2] {
            let c = three_components(size, shared, vec![2, 0, 1], 2, 2.0);
            let mut units = Vec::new();
            let e = c.system.expand(&mut units);
            let chain = c.unit_chain(&units, None);
            let states: Vec<String> = (0..chain.states()).map(|s| format!("s{s}")).collect();
            let up: Vec<String> = (0..chain.states())
                .filter(|&s| e.up(s as u32))
                .map(|s| format!("s{s}"))
                .collect();
            let mut y = format!(
                "system:\n  markov:\n    states: [{}]\n    up: [{}]\n    transitions:\n",
                states.join(", "),
                up.join(", ")
            );
            for s in 0..chain.states() {
                for (to, rate) in chain.out(s) {
                    y.push_str(&format!(
                        "      - {{ from: s{s}, to: s{to}, rate: {rate:e}/h }}\n"
                    ));
                }
            }
            let written =
                hacalc::analyse("m.yaml", &y).unwrap_or_else(|r| panic!("{}", r.to_plain()));
            let team = hacalc::analyse("t.yaml", &c.yaml()).unwrap();
            let (w, t) = (&written.solution.system, &team.solution.system);
            assert!(
                close(t.unavailability(), w.unavailability(), 1e-12),
                "{size} {shared}: {} vs {}",
                t.unavailability(),
                w.unavailability()
            );
            assert!(close(t.frequency.unwrap(), w.frequency.unwrap(), 1e-12));
        }
    }
}

fn solve(yaml: &str) -> hacalc::Analysis {
    hacalc::analyse("t.yaml", yaml).unwrap_or_else(|r| panic!("{}\n{yaml}", r.to_plain()))
}

/// As many repairers as units: every failed unit is under repair, as with no team.
#[test]
fn a_repairer_per_unit_is_independent_repair() {
    let body =
        "system: { series: [lb, { parallel: { n: 3, of: web } }, { parallel: [db, db] }] }\n";
    for discipline in ["priority", "shared"] {
        let team = solve(&format!(
            "components:\n  lb: {{ mtbf: 1y, mttr: 1h, team: ops }}\n  web: {{ mtbf: 30d, mttr: 2h, team: ops }}\n  db: {{ mtbf: 90d, mttr: 4h, team: ops }}\nteams:\n  ops: {{ size: 6, discipline: {discipline} }}\n{body}"
        ));
        let free = solve(&format!(
            "components:\n  lb: {{ mtbf: 1y, mttr: 1h }}\n  web: {{ mtbf: 30d, mttr: 2h }}\n  db: {{ mtbf: 90d, mttr: 4h }}\n{body}"
        ));
        let (t, f) = (&team.solution, &free.solution);
        assert!(close(
            t.system.unavailability(),
            f.system.unavailability(),
            1e-12
        ));
        assert!(close(
            t.system.frequency.unwrap(),
            f.system.frequency.unwrap(),
            1e-12
        ));
        for (a, b) in t.components.iter().zip(&f.components) {
            assert!(close(
                a.measures.unavailability(),
                b.measures.unavailability(),
                1e-12
            ));
            assert!(
                close(a.unavailability_saved, b.unavailability_saved, 1e-8),
                "{}: {} vs {}",
                a.name,
                a.unavailability_saved,
                b.unavailability_saved
            );
            assert!(
                close(a.birnbaum, b.birnbaum, 1e-6),
                "{}: {} vs {}",
                a.name,
                a.birnbaum,
                b.birnbaum
            );
            assert!(close(
                a.system_failures_caused.unwrap(),
                b.system_failures_caused.unwrap(),
                1e-10
            ));
        }
    }
}

/// A team that repairs one component's copies is that block's `crews`.
#[test]
fn a_team_of_one_component_is_crews() {
    for crews in [1, 2] {
        let team = solve(&format!(
            "components:\n  web: {{ mtbf: 30d, mttr: 2h, team: ops }}\n  lb: {{ mtbf: 1y, mttr: 1h }}\nteams:\n  ops: {{ size: {crews} }}\nsystem: {{ series: [lb, {{ k_of_n: {{ k: 2, n: 4, of: web }} }}] }}\n"
        ));
        let block = solve(&format!(
            "components:\n  web: {{ mtbf: 30d, mttr: 2h }}\n  lb: {{ mtbf: 1y, mttr: 1h }}\nsystem: {{ series: [lb, {{ k_of_n: {{ k: 2, n: 4, of: web, crews: {crews} }} }}] }}\n"
        ));
        let (t, b) = (&team.solution, &block.solution);
        assert!(
            close(t.system.unavailability(), b.system.unavailability(), 1e-12),
            "{} vs {}",
            t.system.unavailability(),
            b.system.unavailability()
        );
        assert!(close(
            t.system.frequency.unwrap(),
            b.system.frequency.unwrap(),
            1e-12
        ));
        let (tw, bw) = (&t.components[0], &b.components[0]);
        assert!(close(
            tw.unavailability_saved,
            bw.unavailability_saved,
            1e-9
        ));
        assert!(
            close(tw.birnbaum, bw.birnbaum, 1e-6),
            "{} vs {}",
            tw.birnbaum,
            bw.birnbaum
        );
    }
}

/// RePyability's crew tests (tests/test_crew_chain.py) where they apply: n identical units
/// sharing `crews` repairers against the machine-repair model's closed form.
fn machine_repair(n: usize, lam: f64, mu: f64, crews: usize) -> Vec<f64> {
    let mut w = vec![1.0];
    for j in 0..n {
        let last = w[j];
        w.push(last * (n - j) as f64 * lam / ((j + 1).min(crews) as f64 * mu));
    }
    let total: f64 = w.iter().sum();
    w.iter().map(|x| x / total).collect()
}

fn units_yaml(n: usize, lam: f64, mu: f64, crews: usize, k: usize) -> String {
    units_yaml_with(n, lam, mu, crews, k, "priority")
}

fn units_yaml_with(
    n: usize,
    lam: f64,
    mu: f64,
    crews: usize,
    k: usize,
    discipline: &str,
) -> String {
    let mut y = String::from("components:\n");
    for i in 0..n {
        y.push_str(&format!(
            "  u{i}: {{ failure_rate: {lam}/h, repair_rate: {mu}/h, team: crew }}\n"
        ));
    }
    let names: Vec<String> = (0..n).map(|i| format!("u{i}")).collect();
    y.push_str(&format!("teams:\n  crew: {{ size: {crews}, discipline: {discipline} }}\nsystem: {{ k_of_n: {{ k: {k}, of: [{}] }} }}\n", names.join(", ")));
    y
}

#[test]
fn repyability_k_of_n_units_match_the_machine_repair_model() {
    for (n, lam, mu, crews, k) in [
        (3, 0.1, 0.5, 1, 1),
        (3, 0.1, 0.5, 2, 1),
        (4, 0.2, 0.5, 1, 2),
        (5, 0.05, 1.0, 2, 3),
        (6, 1e-3, 1.0, 1, 4),
    ] {
        let p = machine_repair(n, lam, mu, crews);
        let up: f64 = p[..=n - k].iter().sum();
        let down: f64 = p[n - k + 1..].iter().sum();
        let frequency = p[n - k] * k as f64 * lam;
        let unit: f64 = (0..=n).map(|j| p[j] * (n - j) as f64 / n as f64).sum();
        // As distinct components of one team (under `priority` the first waits least, so
        // only the count of units down follows the machine-repair model; under `shared`
        // every unit too), and as copies of one component (interchangeable either way).
        let copies = format!(
            "components:\n  u: {{ failure_rate: {lam}/h, repair_rate: {mu}/h, team: crew }}\nteams:\n  crew: {{ size: {crews} }}\nsystem: {{ k_of_n: {{ k: {k}, n: {n}, of: u }} }}\n"
        );
        for (yaml, symmetric) in [
            (units_yaml(n, lam, mu, crews, k), false),
            (units_yaml_with(n, lam, mu, crews, k, "shared"), true),
            (copies, true),
        ] {
            let a = solve(&yaml);
            let s = &a.solution.system;
            assert!(
                close(s.availability(), up, 1e-12),
                "{n} {k} {crews}: {} vs {up}",
                s.availability()
            );
            assert!(
                close(s.unavailability(), down, 1e-11),
                "{} vs {down}",
                s.unavailability()
            );
            assert!(close(s.frequency.unwrap(), frequency, 1e-12));
            for c in a.solution.components.iter().filter(|_| symmetric) {
                assert!(
                    close(c.measures.availability(), unit, 1e-12),
                    "{}: {}",
                    c.name,
                    c.measures.availability()
                );
            }
            // The team's figures: repairers at work, all of them, and units waiting.
            let team = &a.solution.team_chains()[0];
            let busy: f64 = (0..=n).map(|j| p[j] * j.min(crews) as f64).sum();
            let all: f64 = (crews..=n).map(|j| p[j]).sum();
            let waiting: f64 = (0..=n).map(|j| p[j] * j.saturating_sub(crews) as f64).sum();
            assert!(
                close(team.busy, busy, 1e-12),
                "busy {} vs {busy}",
                team.busy
            );
            assert!(
                close(team.all_busy, all, 1e-12),
                "all busy {} vs {all}",
                team.all_busy
            );
            assert!(
                close(team.waiting, waiting, 1e-11) || (team.waiting - waiting).abs() < 1e-15,
                "waiting {} vs {waiting}",
                team.waiting
            );
        }
    }
}

/// Held working, unit 0 leaves 1 and 2 to share the crew; held broken, it takes no crew and
/// both others are needed: U_sys without 0's failures and with 0 down for good.
#[test]
fn repyability_a_unit_held_working_or_broken_needs_no_crew() {
    let (n, lam, mu, crews) = (3, 0.1, 0.5, 1);
    let a = solve(&units_yaml_with(n, lam, mu, crews, 2, "shared"));
    let u = a.solution.system.unavailability();
    let two = machine_repair(2, lam, mu, crews);
    let u0 = &a.solution.components[0];
    assert!(
        close(u0.unavailability_saved, u - two[2], 1e-11),
        "{} vs {}",
        u0.unavailability_saved,
        u - two[2]
    );
    assert!(close(u0.unavailability_added, (1.0 - two[0]) - u, 1e-11));
}

/// Two teams, each of its own part, in series: the parts are independent.
#[test]
fn repyability_two_teams_in_series_are_independent() {
    let (lam, mu) = (0.1, 0.5);
    let a = solve(&format!(
        "components:\n  x: {{ failure_rate: {lam}/h, repair_rate: {mu}/h, team: inner }}\n  y: {{ failure_rate: 0.05/h, repair_rate: 0.25/h, team: outer }}\n  z: {{ failure_rate: 0.05/h, repair_rate: 0.25/h, team: outer }}\nteams:\n  inner: {{ size: 1 }}\n  outer: {{ size: 1 }}\nsystem: {{ series: [{{ parallel: {{ n: 2, of: x }} }}, {{ parallel: [y, z] }}] }}\n"
    ));
    let p = machine_repair(2, lam, mu, 1);
    let (inner_up, inner_f) = (1.0 - p[2], p[1] * lam);
    let q = machine_repair(2, 0.05, 0.25, 1);
    let (pair_up, pair_f) = (1.0 - q[2], q[1] * 0.05);
    let s = &a.solution.system;
    assert!(close(s.availability(), inner_up * pair_up, 1e-12));
    assert!(close(
        s.frequency.unwrap(),
        inner_f * pair_up + pair_f * inner_up,
        1e-12
    ));
}

/// One crew for three units, a's repairs quick: put first, a waits less and the others more.
#[test]
fn repyability_priorities_decide_who_waits() {
    let trio = |order: &str| {
        let a = solve(&format!(
            "components:\n  a: {{ failure_rate: 0.2/h, repair_rate: 5/h, team: crew }}\n  b: {{ failure_rate: 0.2/h, repair_rate: 0.5/h, team: crew }}\n  c: {{ failure_rate: 0.2/h, repair_rate: 0.5/h, team: crew }}\nteams:\n  crew: {{ size: 1, priority: [{order}] }}\nsystem: {{ parallel: [a, b, c] }}\n"
        ));
        a.solution
            .components
            .iter()
            .map(|c| c.measures.availability())
            .collect::<Vec<_>>()
    };
    let (last, first) = (trio("b, c, a"), trio("a, b, c"));
    assert!(
        first[0] > last[0] && first[1] < last[1] && first[2] < last[2],
        "{first:?} {last:?}"
    );
}

/// As many repairers as units: nothing waits, 1 - (0.1 / 0.6)^3.
#[test]
fn repyability_the_chain_follows_a_change_of_crews() {
    for (crews, want) in [
        (1, 1.0 - machine_repair(3, 0.1, 0.5, 1)[3]),
        (2, 1.0 - machine_repair(3, 0.1, 0.5, 2)[3]),
        (3, 1.0 - (0.1f64 / 0.6).powi(3)),
    ] {
        let a = solve(&units_yaml(3, 0.1, 0.5, crews, 1));
        assert!(
            close(a.solution.system.availability(), want, 1e-12),
            "{crews}"
        );
    }
}

/// `--max-states` bounds a team's chain: exactly at the bound it is solved, one state over it
/// is a located error at the team.
#[test]
fn the_team_chain_is_bounded_by_max_states() {
    // One place of one unit and one of two copies: 2 x 3 = 6 states.
    let yaml = "components:\n  a: { mtbf: 10h, mttr: 1h, team: ops }\n  b: { mtbf: 20h, mttr: 2h, team: ops }\nteams:\n  ops: { size: 1 }\nsystem: { series: [a, { parallel: { n: 2, of: b } }] }\n";
    let with = |max: u64| {
        let mut o = hacalc::Options::default();
        o.limits.max_states = max;
        o.solver.max_states = max;
        hacalc::analyse_with("t.yaml", yaml, &o, &Default::default())
    };
    assert_eq!(with(6).unwrap().solution.team_chains()[0].chain.states(), 6);
    let e = with(5).err().unwrap().to_plain();
    assert!(
        e.contains("t.yaml:5:3") && e.contains("more than 5 states"),
        "{e}"
    );
}

/// The importance of a team's components costs four solves of the team's chain per
/// component: three components of one team, 2^3 states, are 4 x 3 x 8 = 96 states solved
/// again. `--max-team-work 96` computes them; 95 does not, and says so with the figure.
#[test]
fn team_importance_stops_at_its_work_bound() {
    let yaml = "components:\n  a: { mtbf: 100h, mttr: 5h, team: ops }\n  b: { mtbf: 200h, mttr: 5h, team: ops }\n  c: { mtbf: 300h, mttr: 5h, team: ops }\nteams:\n  ops: { size: 1 }\nsystem:\n  k_of_n: { k: 2, of: [a, b, c] }\n";
    let with = |work: f64| {
        let mut o = hacalc::Options::default();
        o.solver.max_team_work = work;
        hacalc::analyse_with("t.yaml", yaml, &o, &hacalc::Request::default()).unwrap()
    };
    let a = with(96.0);
    assert!(
        a.warnings
            .iter()
            .all(|w| !w.message.contains("--max-team-work"))
    );
    assert!(
        a.solution
            .components
            .iter()
            .all(|c| c.birnbaum > 0.0 && c.unavailability_saved > 0.0)
    );
    let a = with(95.0);
    let w = a
        .warnings
        .iter()
        .find(|w| w.message.contains("--max-team-work"))
        .expect("a warning past the bound");
    assert!(w.message.contains("9.6e1 states"), "{}", w.message);
    assert!(
        a.solution
            .components
            .iter()
            .all(|c| c.birnbaum.is_nan() && c.unavailability_saved.is_nan())
    );
}

/// A team with a repairer for each of its units never makes one wait: it is independent
/// repair, with no team chain at all, so thirty one-component teams in series solve as
/// thirty independent components (as team chains they would pass the bound on combined
/// patterns).
#[test]
fn teams_nobody_waits_for_add_no_chain() {
    let mut yaml = String::from("components:\n");
    let mut teams = String::from("teams:\n");
    let mut q_all_up = 1.0;
    for i in 0..30 {
        let (mtbf, mttr) = (100.0 + i as f64, 1.0 + i as f64 / 10.0);
        yaml.push_str(&format!(
            "  c{i}: {{ mtbf: {mtbf}h, mttr: {mttr}h, team: t{i} }}\n"
        ));
        teams.push_str(&format!("  t{i}: {{ size: 1 }}\n"));
        q_all_up *= mtbf / (mtbf + mttr);
    }
    let names: Vec<String> = (0..30).map(|i| format!("c{i}")).collect();
    yaml.push_str(&teams);
    yaml.push_str(&format!("system: {{ series: [{}] }}\n", names.join(", ")));
    let a = solve(&yaml);
    assert!(a.solution.shared.is_none(), "no team chain");
    assert!(close(
        a.solution.system.unavailability(),
        1.0 - q_all_up,
        1e-12
    ));
}
