//! The simulator's speed: events per second on one thread and on every core, on the
//! baseline's cases (availsim4, measured by benches/simulate_baselines.sh): a 1-out-of-2
//! pair and a 2-out-of-3 system of units with MTTF 100 h and MTTR 10 h, 200 histories of
//! 100,000 h (2e7 hours); and the web-service example over 1000 years.
//!
//! cargo bench --bench simulate

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hacalc::solve::simulate::{SimOptions, simulate};

const PAIR: &str =
    "components:\n  x: { mtbf: 100h, mttr: 10h }\nsystem: { parallel: { n: 2, of: x } }\n";
const TWO_OF_THREE: &str =
    "components:\n  x: { mtbf: 100h, mttr: 10h }\nsystem: { k_of_n: { k: 2, n: 3, of: x } }\n";

fn bench(c: &mut Criterion) {
    let web = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/web-service.yaml"),
    )
    .unwrap();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for (name, text, hours) in [
        ("pair-2e7h", PAIR, 2e7),
        ("2-of-3-2e7h", TWO_OF_THREE, 2e7),
        ("web-service-1000y", web.as_str(), 1000.0 * 8760.0),
    ] {
        let a = hacalc::analyse("m.yaml", text).unwrap();
        let mut group = c.benchmark_group(format!("simulate/{name}"));
        for threads in [1, cores] {
            let opts = SimOptions {
                hours,
                threads,
                ..Default::default()
            };
            // Throughput in events, so criterion prints events per second.
            let events = simulate(&a.model, &a.structure, &a.solution, &opts)
                .unwrap()
                .events;
            group.throughput(Throughput::Elements(events));
            group.bench_function(format!("{threads}-threads"), |b| {
                b.iter(|| simulate(&a.model, &a.structure, &a.solution, &opts).unwrap())
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
