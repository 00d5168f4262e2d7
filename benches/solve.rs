//! The 100,000-component benchmark: parse, validate and solve measured separately, then the
//! whole `hacalc solve` command on the same file; and the whole command on 100,000
//! components in 10,000 named blocks.
//!
//! cargo bench --bench solve

mod support;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use hacalc::diagnostics::Sink;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let text = support::fleet(100);
    let path = std::env::temp_dir().join("hacalc-fleet-100k.yaml");
    std::fs::write(&path, &text).unwrap();
    eprintln!(
        "model: {} components, {:.1} MB at {}",
        100 * 1000,
        text.len() as f64 / 1e6,
        path.display()
    );

    let mut g = c.benchmark_group("fleet-100k");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("parse", |b| {
        b.iter(|| {
            let mut sink = Sink::default();
            hacalc::parse::parse(&text, &mut sink).unwrap()
        })
    });
    let mut sink = Sink::default();
    let model = hacalc::parse::parse(&text, &mut sink).unwrap();
    g.bench_function("validate", |b| {
        b.iter_batched(
            || model.clone(),
            |m| {
                let mut sink = Sink::default();
                hacalc::validate::validate(m, "fleet", &mut sink).unwrap()
            },
            BatchSize::LargeInput,
        )
    });
    let valid = hacalc::validate::validate(model, "fleet", &mut sink).unwrap();
    g.bench_function("compile+solve", |b| {
        b.iter(|| {
            let opts = hacalc::Options::default();
            let structure = hacalc::compile::compile(&valid, &opts.limits).unwrap();
            hacalc::solve::solve(&valid, &structure, &opts.solver).unwrap()
        })
    });
    let exe = env!("CARGO_BIN_EXE_hacalc");
    g.bench_function("hacalc solve (whole command)", |b| {
        b.iter(|| {
            let out = std::process::Command::new(exe)
                .args(["solve", path.to_str().unwrap(), "--format", "json"])
                .output()
                .unwrap();
            assert!(out.status.success());
        })
    });
    g.finish();

    // 10,000 named blocks: every one a row of figures (saved, added, Birnbaum).
    let named = support::fleet_named();
    let named_path = std::env::temp_dir().join("hacalc-fleet-named-100k.yaml");
    std::fs::write(&named_path, &named).unwrap();
    eprintln!(
        "model: 100000 components in 10,000 named blocks, {:.1} MB at {}",
        named.len() as f64 / 1e6,
        named_path.display()
    );
    let mut g = c.benchmark_group("fleet-named-100k");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("hacalc solve (whole command)", |b| {
        b.iter(|| {
            let out = std::process::Command::new(exe)
                .args(["solve", named_path.to_str().unwrap(), "--format", "json"])
                .output()
                .unwrap();
            assert!(out.status.success());
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
