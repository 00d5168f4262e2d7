//! The decision commands' speed goals: a 20-step sweep of the 300-component example and a
//! 20 x 20 grid on the web-service example, each from the model's text (read once, the tree
//! edited and re-solved per point), and `compare` and `allocate` on the design-options
//! example.
//!
//! cargo bench --bench decide

use criterion::{Criterion, criterion_group, criterion_main};
use hacalc::decide::sweep::{self, Axis};
use hacalc::decide::{Session, allocate, compare};
use hacalc::{Edits, Options, Request};

fn example(name: &str) -> String {
    std::fs::read_to_string(format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn bench(c: &mut Criterion) {
    let large = example("large-platform.yaml");
    let web = example("web-service.yaml");
    let options = example("design-options.yaml");
    let none = Edits::default();
    let mut g = c.benchmark_group("decide");
    g.bench_function("sweep-20-large-platform", |b| {
        b.iter(|| {
            let s = Session::open(
                "l.yaml",
                &large,
                &none,
                Options::default(),
                Request::default(),
            )
            .unwrap();
            let axis = Axis::new("core-03-db.mttr", "15m", "8h", 20, false).unwrap();
            sweep::sweep(&s, vec![axis], sweep::DEFAULT_MAX_SOLVES).unwrap()
        })
    });
    g.bench_function("grid-20x20-web-service", |b| {
        b.iter(|| {
            let s = Session::open(
                "w.yaml",
                &web,
                &none,
                Options::default(),
                Request::default(),
            )
            .unwrap();
            let axes = vec![
                Axis::new("web.mttr", "5m", "4h", 20, false).unwrap(),
                Axis::new("db.mttr", "15m", "8h", 20, false).unwrap(),
            ];
            sweep::sweep(&s, axes, sweep::DEFAULT_MAX_SOLVES).unwrap()
        })
    });
    g.bench_function("compare-design-options", |b| {
        b.iter(|| {
            let s = Session::open(
                "o.yaml",
                &options,
                &none,
                Options::default(),
                Request::default(),
            )
            .unwrap();
            compare::compare(&s).unwrap()
        })
    });
    g.bench_function("allocate-design-options", |b| {
        b.iter(|| {
            let s = Session::open(
                "o.yaml",
                &options,
                &none,
                Options::default(),
                Request::default(),
            )
            .unwrap();
            allocate::allocate(&s, allocate::By::Mttr).unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
