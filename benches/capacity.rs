//! The speed goals of degraded capacity and durability: the served-fraction distribution of
//! a model with five pools of 50 servers and a 64-shard cache (one replica per shard), and
//! the MTTDL, loss probability and durability of 1,000 data sets in one file, each solved
//! from its text.
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

/// 1,000 data sets of 2 to 5 replicas on one of four disks, half with backups.
fn thousand_data_sets() -> String {
    let mut text = String::from("components:\n  node: { mtbf: 1y, mttr: 1h }\n");
    for d in 0..4 {
        text.push_str(&format!(
            "  disk{d}: {{ mtbf: {}d, mttr: 1d }}\n",
            365 * (d + 1)
        ));
    }
    text.push_str("system: node\ndata:\n");
    for i in 0..1000 {
        text.push_str(&format!(
            "  set{i}:\n    replicas: {{ n: {}, of: disk{}, rebuild: {}h }}\n",
            2 + i % 4,
            i % 4,
            4 + i % 20
        ));
        if i % 2 == 0 {
            text.push_str("    backups: { every: 24h, restore: 4h, fails: 1% }\n");
        }
    }
    text
}

fn bench(c: &mut Criterion) {
    let data = thousand_data_sets();
    let path = std::env::temp_dir().join("hacalc-thousand-data-sets.yaml");
    std::fs::write(&path, &data).unwrap();
    eprintln!("model: {}", path.display());
    c.bench_function("durability/1000-data-sets", |b| {
        b.iter(|| {
            let a = hacalc::analyse("data.yaml", &data).unwrap();
            assert_eq!(a.durability.len(), 1000);
            a
        })
    });
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
