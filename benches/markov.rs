//! Markov benchmarks: (a) a birth-death chain of 1,000,001 states, (b) 20 components sharing
//! one priority repair crew (2^20 states), (c) a random banded chain of 1,000,000 states,
//! (d) 10,000 small standby blocks in one model, (e) the random band of (c) wrapped around
//! (a ring, solved on the band after folding it). (b) also as a model: 20 components of one
//! repair team from YAML, the whole analysis.
//!
//! cargo bench --bench markov
//!
//! The three chains are also written as Matrix Market files to target/markov-bench/ for the
//! baseline solvers (benches/baselines.sh runs scipy's SuperLU and Storm on them).

mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use hacalc::compile::chains::ChainSpec;
use hacalc::solve::ctmc::{self, SolverOptions};
use std::time::Duration;
use support::chains;

fn bench(c: &mut Criterion) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/markov-bench");
    std::fs::create_dir_all(&dir).unwrap();
    let opts = SolverOptions::default();
    let a_spec = ChainSpec::Crews {
        n: 1_000_000,
        k: 989_801,
        crews: 20_000,
        lambda: 1e-3,
        mu: 0.1,
    };
    let (a, _) = a_spec.build();
    let b = chains::priority_repair();
    let cc = chains::random_banded();
    let e = chains::wrapped_banded();
    for (name, chain) in [
        ("a-birth-death", &a),
        ("b-priority-repair", &b),
        ("c-random-banded", &cc),
        ("e-wrapped-banded", &e),
    ] {
        let path = dir.join(format!("{name}.mtx"));
        if !path.exists() {
            chains::write_matrix_market(chain, &path).unwrap();
        }
        let s = ctmc::steady_state(chain, &opts).unwrap();
        eprintln!(
            "{name}: {} states, {} transitions, {}, U = {:.16e}, residual {:.1e} (relative {:.1e}), {} sweeps",
            chain.states(),
            chain.transitions(),
            s.method.name(),
            s.measures.avail.q,
            s.residual,
            s.relative_residual,
            s.iterations
        );
        // Our distribution, for the baselines' accuracy.
        let pi: String = s.pi.iter().map(|p| format!("{p:e}\n")).collect();
        std::fs::write(dir.join(format!("{name}.hacalc-pi")), pi).unwrap();
    }

    let mut g = c.benchmark_group("markov");
    g.sample_size(10).measurement_time(Duration::from_secs(15));
    g.bench_function("a-birth-death-1e6: build + solve", |bench| {
        bench.iter(|| ctmc::steady_state(&a_spec.build().0, &opts).unwrap())
    });
    g.bench_function("a-birth-death-1e6: solve", |bench| {
        bench.iter(|| {
            let chain = a.clone();
            ctmc::steady_state(&chain, &opts).unwrap()
        })
    });
    g.bench_function("a-birth-death-1e6: hacalc solve (whole model)", |bench| {
        bench.iter(|| hacalc::analyse("a.yaml", chains::BIRTH_DEATH_MODEL).unwrap())
    });
    g.bench_function("b-priority-repair-2^20: solve", |bench| {
        bench.iter(|| {
            let chain = b.clone();
            ctmc::steady_state(&chain, &opts).unwrap()
        })
    });
    let b_model = chains::priority_team_model();
    g.bench_function(
        "b-priority-repair-2^20: hacalc solve (whole model, one team)",
        |bench| bench.iter(|| hacalc::analyse("b.yaml", &b_model).unwrap()),
    );
    g.bench_function("c-random-banded-1e6: solve", |bench| {
        bench.iter(|| {
            let chain = cc.clone();
            ctmc::steady_state(&chain, &opts).unwrap()
        })
    });
    g.bench_function("e-wrapped-banded-1e6: solve", |bench| {
        bench.iter(|| {
            let chain = e.clone();
            ctmc::steady_state(&chain, &opts).unwrap()
        })
    });
    let d = chains::many_standby_model();
    g.bench_function(
        "d-10k-standby-blocks: hacalc solve (whole model)",
        |bench| bench.iter(|| hacalc::analyse("d.yaml", &d).unwrap()),
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
