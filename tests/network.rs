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
