//! Degraded capacity's speed goal: the served-fraction distribution of a model with five
//! pools of 50 servers and a 64-shard cache (one replica per shard), solved from its text.
//!
//! cargo bench --bench capacity

use criterion::{Criterion, criterion_group, criterion_main};

fn five_pools() -> String {
    let mut text = String::from("targets: { served: 99.9% }\ncomponents:\n");
    let mut tiers = Vec::new();
    for i in 0..5 {
        text.push_str(&format!(
            "  app{i}: {{ mtbf: {}d, mttr: {}h }}\n",
            20 + i,
            1 + i
        ));
        tiers.push(format!("{{ pool: {{ n: 50, of: app{i}, demand: 40 }} }}"));
    }
    text.push_str("  node: { mtbf: 30d, mttr: 2h }\n  db: { mtbf: 1y, mttr: 30m }\n");
    text.push_str("blocks:\n  shard: { parallel: [node, node] }\n");
    tiers.push("{ shards: { n: 64, of: shard } }".to_string());
    tiers.push("db".to_string());
    format!("{text}system: {{ series: [{}] }}\n", tiers.join(", "))
}

fn bench(c: &mut Criterion) {
    let text = five_pools();
    let path = std::env::temp_dir().join("hacalc-five-pools.yaml");
    std::fs::write(&path, &text).unwrap();
    eprintln!("model: {}", path.display());
    c.bench_function("capacity/five-pools-64-shards", |b| {
        b.iter(|| {
            let a = hacalc::analyse("five-pools.yaml", &text).unwrap();
            assert!(matches!(a.served, Some(Ok(_))));
            a
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
