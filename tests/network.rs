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
    assert!(html.contains("network"));
    assert!(a.solution.system.unavailability() < 1e-3);
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
