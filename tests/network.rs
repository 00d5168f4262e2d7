//! Network blocks against block diagrams and brute force.

use hacalc::render::Exporter;

fn solve(yaml: &str) -> hacalc::Analysis {
    hacalc::analyse("n.yaml", yaml).unwrap_or_else(|r| panic!("{}", r.to_plain()))
}

fn rel(a: f64, b: f64) -> f64 {
    ((a - b) / b).abs()
}

const COMPONENTS: &str = "components:\n  a: { mtbf: 300h, mttr: 5h }\n  b: { mtbf: 700h, mttr: 9h }\n  c: { mtbf: 200h, mttr: 2h }\n";

#[test]
fn series_parallel_network_equals_the_block_diagram() {
    let net = solve(&format!(
        "{COMPONENTS}system:\n  network:\n    from: s\n    to: t\n    links:\n      - {{ from: s, to: x, via: a }}\n      - {{ from: x, to: t, via: b }}\n      - {{ from: s, to: t, via: c }}\n"
    ));
    let rbd = solve(&format!(
        "{COMPONENTS}system:\n  parallel: [{{ series: [a, b] }}, c]\n"
    ));
    let (n, r) = (&net.solution, &rbd.solution);
    assert!(rel(n.system.unavailability(), r.system.unavailability()) < 1e-13);
    assert!(rel(n.system.frequency.unwrap(), r.system.frequency.unwrap()) < 1e-12);
    for (x, y) in n.components.iter().zip(&r.components) {
        assert!(rel(x.birnbaum, y.birnbaum) < 1e-12, "{}", x.name);
        assert!(
            rel(x.unavailability_saved, y.unavailability_saved) < 1e-9,
            "{}",
            x.name
        );
    }
}

#[test]
fn directed_network_follows_link_direction() {
    // t can only be reached through x -> t; the link s <- x points the wrong way.
    let one_way = solve(&format!(
        "{COMPONENTS}system:\n  network:\n    from: s\n    to: t\n    directed: true\n    links:\n      - {{ from: x, to: s, via: a }}\n      - {{ from: x, to: t, via: b }}\n      - {{ from: s, to: t, via: c }}\n"
    ));
    let only_c = solve(&format!("{COMPONENTS}system: c\n"));
    assert!(
        rel(
            one_way.solution.system.unavailability(),
            only_c.solution.system.unavailability()
        ) < 1e-13
    );
}

#[test]
fn the_example_network_solves_and_reports() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dc-network.yaml");
    let a = hacalc::analyse("dc-network.yaml", &std::fs::read_to_string(path).unwrap()).unwrap();
    let html = hacalc::render::html::Html {
        stamp: Default::default(),
    }
    .render(&a)
    .unwrap();
    // The network is drawn as its graph (four nodes, five links), not as one box.
    let diagram = &html[html.find("<h2>Block diagram</h2>").unwrap()..];
    let diagram = &diagram[..diagram.find("</svg>").unwrap()];
    assert_eq!(
        diagram.matches("class=\"net-node\"").count(),
        4,
        "{diagram}"
    );
    assert_eq!(diagram.matches("class=\"link\"").count(), 5);
    // The headline shows the solved availability.
    let v = a.solution.system.avail;
    assert!(html.contains(&hacalc::units::percent(v.p, v.q)));
}

/// The diagrams draw a network as its graph: every node once, every link once (with its
/// block in a tooltip), arrowheads only when directed; Mermaid expands it the same way.
#[test]
fn networks_are_drawn_as_graphs() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dc-mesh.yaml");
    let a = hacalc::analyse("dc-mesh.yaml", &std::fs::read_to_string(path).unwrap()).unwrap();
    let svg = hacalc::render::svg::Svg.render(&a).unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let class = |c: &str| {
        doc.descendants()
            .filter(|n| n.attribute("class") == Some(c))
            .count()
    };
    assert_eq!(class("net-node"), 26, "edge, store and 24 switches");
    assert_eq!(class("link"), 43);
    assert!(svg.contains("s00 — s01 via fiber"));
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("polygon"))
            .count(),
        0
    );
    let md = hacalc::render::pr_comment::PrComment {
        stamp: Default::default(),
    }
    .render(&a)
    .unwrap();
    assert_eq!(md.matches(" ---|\"").count(), 43, "{md}");
    assert!(md.contains("([\"edge\"])") && md.contains("([\"store\"])"));

    let directed = solve(&format!(
        "{COMPONENTS}system:\n  network:\n    from: s\n    to: t\n    directed: true\n    links:\n      - {{ from: s, to: x, via: a }}\n      - {{ from: x, to: t, via: b }}\n      - {{ from: s, to: t, via: c }}\n"
    ));
    let svg = hacalc::render::svg::Svg.render(&directed).unwrap();
    assert_eq!(svg.matches("<polygon").count(), 3);
    let md = hacalc::render::mermaid::flowchart(&directed);
    assert_eq!(md.matches(" -->|\"").count(), 3, "{md}");
}

/// Two-terminal reliability by factoring (pivot on a link: up, contracted in the
/// connectivity test; down, deleted), pruned when the terminals are joined by up links or
/// cut off even with every open link up: an independent method, with P(up) and P(down)
/// each a sum of positive products.
fn factoring(
    n: usize,
    links: &[(usize, usize)],
    avail: &[(f64, f64)],
    state: &mut Vec<Option<bool>>,
    directed: bool,
) -> (f64, f64) {
    let reach = |open_up: bool, state: &Vec<Option<bool>>| {
        let mut seen = vec![false; n];
        let mut todo = vec![0usize];
        seen[0] = true;
        while let Some(x) = todo.pop() {
            for (i, &(a, b)) in links.iter().enumerate() {
                let usable = match state[i] {
                    Some(up) => up,
                    None => open_up,
                };
                if !usable {
                    continue;
                }
                for (from, to) in [(a, b), (b, a)] {
                    if from == x && !seen[to] && (!directed || (from, to) == (a, b)) {
                        seen[to] = true;
                        todo.push(to);
                    }
                }
            }
        }
        seen[1]
    };
    if reach(false, state) {
        return (1.0, 0.0);
    }
    if !reach(true, state) {
        return (0.0, 1.0);
    }
    let i = state
        .iter()
        .position(Option::is_none)
        .expect("an open link");
    state[i] = Some(true);
    let (up_a, up_u) = factoring(n, links, avail, state, directed);
    state[i] = Some(false);
    let (down_a, down_u) = factoring(n, links, avail, state, directed);
    state[i] = None;
    let (a, u) = avail[i];
    (a * up_a + u * down_a, a * up_u + u * down_u)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 60, ..Default::default() })]

    /// Random graphs of up to 20 links, each link its own component, both directions: U and
    /// A against factoring to 1e-12.
    #[test]
    fn random_networks_match_factoring(
        nodes in 3usize..9,
        raw in proptest::collection::vec((0usize..9, 0usize..9, 20.0f64..2000.0, 0.5f64..50.0), 6..=20),
        directed in proptest::bool::ANY,
    ) {
        let links: Vec<(usize, usize)> = raw
            .iter()
            .map(|&(a, b, _, _)| {
                let (a, b) = (a % nodes, b % nodes);
                (a, if a == b { (b + 1) % nodes } else { b })
            })
            .collect();
        let avail: Vec<(f64, f64)> = raw.iter().map(|&(_, _, f, r)| (f / (f + r), r / (f + r))).collect();
        let mut yaml = String::from("components:\n");
        for (i, &(_, _, f, r)) in raw.iter().enumerate() {
            yaml.push_str(&format!("  c{i}: {{ mtbf: {f}h, mttr: {r}h }}\n"));
        }
        yaml.push_str(&format!("system:\n  network:\n    from: n0\n    to: n1\n    directed: {directed}\n    links:\n"));
        for (i, &(a, b)) in links.iter().enumerate() {
            yaml.push_str(&format!("      - {{ from: n{a}, to: n{b}, via: c{i} }}\n"));
        }
        let (want_a, want_u) = factoring(nodes, &links, &avail, &mut vec![None; links.len()], directed);
        match hacalc::analyse("n.yaml", &yaml) {
            Ok(got) => {
                let s = &got.solution.system;
                proptest::prop_assert!(rel(s.unavailability(), want_u) < 1e-12 || (s.unavailability() - want_u).abs() < 1e-300,
                    "U {} vs {want_u}\n{yaml}", s.unavailability());
                proptest::prop_assert!(rel(s.availability(), want_a) < 1e-12 || want_a == 0.0);
            }
            // A graph where the terminals can never meet, or with nodes on no path, is
            // refused with a located error; factoring must agree that U = 1 for the former.
            Err(r) => {
                let text = r.to_plain();
                proptest::prop_assert!(text.contains("n.yaml:"), "{text}");
                proptest::prop_assert!(want_a == 0.0 || text.contains("no path"), "{text}\n{yaml}");
            }
        }
    }
}

/// A bridge whose links are blocks holding a shared instance (a parallel pair and a series
/// pair, each with the hub in it) and where the hub is also a link of its own, so the network
/// is composed into the whole system's decision diagram with links that are functions of
/// several variables: against the bridge's closed form, factored on the hub and then on the
/// cross link.
#[test]
fn bridge_of_composite_links_around_a_shared_hub() {
    let a = solve(
        "components:\n  p1: { mtbf: 300h, mttr: 5h }\n  q1: { mtbf: 900h, mttr: 3h }\n  b: { mtbf: 200h, mttr: 2h }\n  c: { mtbf: 400h, mttr: 6h }\n  e: { mtbf: 350h, mttr: 7h }\n  f: { mtbf: 150h, mttr: 9h }\n  hub: { mtbf: 1000h, mttr: 8h, shared: true }\nblocks:\n  pair: { parallel: [p1, hub] }\nsystem:\n  series:\n    - network:\n        from: s\n        to: t\n        links:\n          - { from: s, to: x, via: pair }\n          - { from: s, to: y, via: b }\n          - { from: x, to: y, via: c }\n          - { from: x, to: t, via: q1 }\n          - { from: y, to: t, via: e }\n    - parallel: [hub, f]\n",
    );
    let up = |mtbf: f64, mttr: f64| mtbf / (mtbf + mttr);
    // s-x, s-y, x-y (the cross link), x-t, y-t: up when the cross link is up, either way in
    // and either way out; down, two separate paths.
    let bridge = |sx: f64, sy: f64, xy: f64, xt: f64, yt: f64| {
        let joined = (1.0 - (1.0 - sx) * (1.0 - sy)) * (1.0 - (1.0 - xt) * (1.0 - yt));
        let apart = 1.0 - (1.0 - sx * xt) * (1.0 - sy * yt);
        xy * joined + (1.0 - xy) * apart
    };
    let (p1, q1, b, c, e) = (
        up(300.0, 5.0),
        up(900.0, 3.0),
        up(200.0, 2.0),
        up(400.0, 6.0),
        up(350.0, 7.0),
    );
    let hub = up(1000.0, 8.0);
    // Hub up: the pair and the parallel beside the network are up. Hub down: the pair is
    // p1 alone, and f must be up.
    let f = up(150.0, 9.0);
    let want = hub * bridge(1.0, b, c, q1, e) + (1.0 - hub) * bridge(p1, b, c, q1, e) * f;
    let got = a.solution.system.availability();
    assert!(rel(got, want) < 1e-13, "{got} vs {want}");
    assert!(
        rel(a.solution.system.unavailability(), 1.0 - want) < 1e-9,
        "{} vs {}",
        a.solution.system.unavailability(),
        1.0 - want
    );
}

/// Minimal cut sets of a bridge whose links are blocks (a parallel pair, a series pair) in
/// a system with a shared instance used twice, so the cuts come from the whole decision
/// diagram with each link composed as a function of several variables: against every
/// subset of the eight components.
#[test]
fn cut_sets_of_a_bridge_of_composite_links() {
    let yaml = "components:\n  p1: { mtbf: 300h, mttr: 5h }\n  p2: { mtbf: 700h, mttr: 9h }\n  q1: { mtbf: 900h, mttr: 3h }\n  q2: { mtbf: 500h, mttr: 4h }\n  b: { mtbf: 200h, mttr: 2h }\n  c: { mtbf: 400h, mttr: 6h }\n  e: { mtbf: 350h, mttr: 7h }\n  hub: { mtbf: 1000h, mttr: 8h, shared: true }\nblocks:\n  pair: { parallel: [p1, p2] }\n  chain: { series: [q1, q2] }\nsystem:\n  series:\n    - network:\n        from: s\n        to: t\n        links:\n          - { from: s, to: x, via: pair }\n          - { from: s, to: y, via: b }\n          - { from: x, to: y, via: c }\n          - { from: x, to: t, via: chain }\n          - { from: y, to: t, via: e }\n    - parallel: [hub, hub]\n";
    let request = hacalc::Request {
        cut_sets: Some(8),
        ..Default::default()
    };
    let a = hacalc::analyse_with("n.yaml", yaml, &Default::default(), &request)
        .unwrap_or_else(|r| panic!("{}", r.to_plain()));
    let names = ["p1", "p2", "q1", "q2", "b", "c", "e", "hub"];
    // Up in state s (bit i set: names[i] is down).
    let up = |s: u32| {
        let ok = |i: usize| s >> i & 1 == 0;
        let (sx, sy, xy, xt, yt) = (ok(0) || ok(1), ok(4), ok(5), ok(2) && ok(3), ok(6));
        let joined = xy && (sx || sy) && (xt || yt);
        (joined || (sx && xt) || (sy && yt)) && ok(7)
    };
    let mut want: Vec<Vec<&str>> = (0..1u32 << 8)
        .filter(|&s| !up(s) && (0..8).all(|j| s >> j & 1 == 0 || up(s & !(1 << j))))
        .map(|s| {
            (0..8)
                .filter(|&j| s >> j & 1 == 1)
                .map(|j| names[j])
                .collect()
        })
        .collect();
    let cs = a.cut_sets.as_ref().unwrap().as_ref().unwrap();
    let mut got: Vec<Vec<&str>> = cs
        .sets
        .iter()
        .map(|set| {
            let mut v: Vec<&str> = set
                .members
                .iter()
                .map(|&m| {
                    let i = cs.instances[m as usize].component.unwrap();
                    names[names
                        .iter()
                        .position(|&n| n == a.model.components[i].name)
                        .unwrap()]
                })
                .collect();
            v.sort_by_key(|n| names.iter().position(|m| m == n));
            v
        })
        .collect();
    want.sort();
    got.sort();
    assert_eq!(got, want);
    assert_eq!(want.len(), 7, "{want:?}");
}
