//! Report generation: each example (goal: under 100 ms) and the 100,000-component model
//! (goal: finishes with a usable file, the diagram collapsed to blocks). The fleet's "render
//! only" row formats an analysis that already holds the report's curves and tornado.
//!
//! cargo bench --bench report

mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use hacalc::render::Exporter;
use hacalc::render::html::Html;
use hacalc::render::report::Stamp;
use hacalc::{Options, Request};
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let html = Html {
        stamp: Stamp::default(),
    };
    let mut g = c.benchmark_group("report");
    g.sample_size(20).measurement_time(Duration::from_secs(5));
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    names.sort();
    for path in names {
        let source = std::fs::read_to_string(&path).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        // The whole job of `hacalc report`: read, solve and render.
        g.bench_function(format!("html {name} (analyse + render)"), |b| {
            b.iter(|| {
                let a =
                    hacalc::analyse_with(&name, &source, &Options::default(), &Request::report())
                        .unwrap();
                html.render(&a).unwrap()
            })
        });
    }
    let fleet = support::fleet(100);
    let a = hacalc::analyse_with(
        "fleet.yaml",
        &fleet,
        &Options::default(),
        &Request::report(),
    )
    .unwrap();
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("html fleet-100k (render only)", |b| {
        b.iter(|| html.render(&a).unwrap())
    });
    let page = html.render(&a).unwrap();
    eprintln!("fleet-100k report: {:.1} MB", page.len() as f64 / 1e6);
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
