//! Report generation: each example (goal: under 100 ms) and the 100,000-component model
//! (goal: finishes with a usable file, the diagram collapsed to blocks). The fleet's "render
//! only" row formats an analysis that already holds the report's curves and tornado.
//!
//! The "report vs solve" group times the whole job of each command through the library
//! (read, solve, render) on the large models of the performance table: the report's goal is
//! within 2x of `solve --format json`.
//!
//! The same models are written to target/report-bench/NAME.yaml, so that the whole process can
//! be timed too: `hyperfine 'hacalc solve --format json target/report-bench/fleet-1k.yaml'
//! 'hacalc report -o /tmp/r.html target/report-bench/fleet-1k.yaml'`.
//!
//! cargo bench --bench report

mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use hacalc::render::Exporter;
use hacalc::render::html::Html;
use hacalc::render::json::Json;
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

    let mut g = c.benchmark_group("report vs solve");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    let models = [
        ("fleet-1k", support::fleet(1)),
        ("fleet-10k", support::fleet(10)),
        ("fleet-100k", support::fleet(100)),
        ("standby-10k", support::chains::many_standby_model()),
        ("fleet-named-100k", support::fleet_named()),
        ("priority-team-2^20", support::chains::priority_team_model()),
        (
            "birth-death-1e6",
            "components:\n  a: { mtbf: 1000h, mttr: 10h }\nsystem: { k_of_n: { k: 990000, n: 1000000, of: a, crews: 20000 } }\n".to_string(),
        ),
    ];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/report-bench");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, source) in &models {
        std::fs::write(dir.join(format!("{name}.yaml")), source).unwrap();
    }
    let json = Json { check: false };
    for (name, source) in &models {
        g.bench_function(format!("{name}: solve --format json"), |b| {
            b.iter(|| {
                let a =
                    hacalc::analyse_with(name, source, &Options::default(), &Request::default())
                        .unwrap();
                json.render(&a).unwrap()
            })
        });
        g.bench_function(format!("{name}: report"), |b| {
            b.iter(|| {
                let a = hacalc::analyse_with(name, source, &Options::default(), &Request::report())
                    .unwrap();
                html.render(&a).unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
