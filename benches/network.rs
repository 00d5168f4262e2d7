//! Networks, shared instances and cut sets (`cargo bench --bench network`): random graphs of
//! 30, 45, 60 and 100 links (average degree 5), grids 5x5 and 8x8, the minimal cut sets of
//! the 60-link graph, and the 100,000-component fleet with 1,000 shared instances. Each model
//! is also written to `target/network-bench/` so that `benches/network_baselines.sh` can run
//! RePyability on exactly the same graphs.

mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use hacalc::analysis::Request;
use std::path::Path;
use std::time::Duration;

fn write(name: &str, yaml: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/network-bench");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.yaml")), yaml).unwrap();
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("network");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    let mut cases: Vec<(String, String)> = [30, 45, 60, 100]
        .iter()
        .map(|&m| (format!("net-{m}"), support::random_network(m, 7)))
        .collect();
    cases.push(("grid-5x5".into(), support::grid_network(5)));
    cases.push(("grid-8x8".into(), support::grid_network(8)));
    for (name, yaml) in &cases {
        write(name, yaml);
        // A network beyond the default diagram budget is reported, not timed.
        match hacalc::analyse(name, yaml) {
            Ok(a) => println!(
                "{name}: U = {:e} ({} diagram nodes)",
                a.solution.system.unavailability(),
                network_nodes(&a)
            ),
            Err(r) => {
                println!("{name}: {}", r.to_plain().lines().next().unwrap_or(""));
                continue;
            }
        }
        g.bench_function(format!("{name} analyse"), |b| {
            b.iter(|| hacalc::analyse(name, yaml).unwrap())
        });
    }
    // Cut sets of the 60-link graph: bounded at order 3, and every one.
    let net60 = &cases[2].1;
    for (label, order) in [("order <= 3", 3), ("all", usize::MAX)] {
        let request = Request {
            cut_sets: Some(order),
            ..Request::default()
        };
        let a = hacalc::analyse_with("net-60", net60, &Default::default(), &request).unwrap();
        match a.cut_sets.as_ref().unwrap() {
            Ok(c) => println!("net-60 cut sets ({label}): {}", c.sets.len()),
            Err(e) => {
                println!("net-60 cut sets ({label}): {e}");
                continue;
            }
        }
        g.bench_function(format!("net-60 cut sets {label}"), |b| {
            b.iter(|| hacalc::analyse_with("net-60", net60, &Default::default(), &request).unwrap())
        });
    }
    g.finish();

    let fleet = support::fleet_with_shared(100, true);
    write("fleet-100k-shared", &fleet);
    let mut g = c.benchmark_group("fleet-100k-shared");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    let a = hacalc::analyse("fleet", &fleet).unwrap_or_else(|r| panic!("{}", r.to_plain()));
    println!(
        "fleet-100k-shared: U = {:e}",
        a.solution.system.unavailability()
    );
    g.bench_function("analyse (parse to importance)", |b| {
        b.iter(|| hacalc::analyse("fleet", &fleet).unwrap())
    });
    g.finish();
}

/// Nodes of the network's decision diagram (the root is the network).
fn network_nodes(a: &hacalc::Analysis) -> usize {
    a.structure
        .nodes
        .iter()
        .find_map(|n| match &n.kind {
            hacalc::compile::NodeKind::Network { diagram, .. } => Some(diagram.bdd.node_count()),
            _ => None,
        })
        .unwrap_or(0)
}

criterion_group!(benches, bench);
criterion_main!(benches);
