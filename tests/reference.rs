//! Every known-answer case in tests/reference reproduced from its YAML.
//!
//! The expected values were computed in 50-digit arithmetic by an independent implementation
//! (tests/reference/exact.py). Unavailability is compared to a relative error of 1e-12 for
//! independent blocks and 1e-9 for Markov blocks, and so are the other keys, the system's and
//! every component's (Birnbaum, downtime saved and share, system failures caused).

use std::path::Path;

/// Cases whose blocks this version does not solve yet; they must be rejected clearly.
const PENDING: &[&str] = &[];

/// Cases with Markov blocks, held to 1e-9 instead of 1e-12.
const MARKOV: &[&str] = &[
    "p09_shared_repair_pair",
    "p10_cold_standby",
    "p11_warm_standby",
    "p12_2of4_one_crew",
    "p13_common_cause_pair",
    "p14_stiff_ladder",
    "p15_stiff_ncd",
    "p16_mixed_hierarchy",
];

fn number(v: &serde_json::Value) -> Option<f64> {
    match v {
        serde_json::Value::String(s) => Some(s.parse().unwrap()),
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::Null => None,
        other => panic!("unexpected {other}"),
    }
}

fn assert_close(case: &str, key: &str, got: Option<f64>, want: Option<f64>, tol: f64) {
    match (got, want) {
        (None, None) => {}
        (Some(g), Some(w)) => {
            let err = if w == 0.0 {
                g.abs()
            } else {
                ((g - w) / w).abs()
            };
            assert!(
                err <= tol,
                "{case}: {key} = {g:e}, expected {w:e} (relative error {err:.2e} > {tol:e})"
            );
        }
        _ => panic!("{case}: {key} = {got:?}, expected {want:?}"),
    }
}

#[test]
fn reference_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == "yaml").then_some(p)
        })
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 16,
        "reference cases missing from {}",
        dir.display()
    );
    let mut solved = 0;
    for path in cases {
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        let source = std::fs::read_to_string(&path).unwrap();
        let result = hacalc::analyse(path.to_str().unwrap(), &source);
        if PENDING.contains(&name.as_str()) {
            let report = result.expect_err(&name);
            assert!(
                report.to_plain().contains("not supported yet"),
                "{name}: {}",
                report.to_plain()
            );
            continue;
        }
        let a = result.unwrap_or_else(|r| panic!("{name}: {}", r.to_plain()));
        let expected: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(path.with_extension("expected.json")).unwrap(),
        )
        .unwrap();
        let tol = if MARKOV.contains(&name.as_str()) {
            1e-9
        } else {
            1e-12
        };
        let s = &a.solution.system;
        let h = a.solution.horizon_hours;
        assert_eq!(
            Some(h),
            number(&expected["horizon_hours"]),
            "{name}: horizon"
        );
        assert_close(
            &name,
            "unavailability",
            Some(s.unavailability()),
            number(&expected["unavailability"]),
            tol,
        );
        assert_close(
            &name,
            "availability",
            Some(s.availability()),
            number(&expected["availability"]),
            tol,
        );
        assert_close(
            &name,
            "downtime_hours",
            Some(s.unavailability() * h),
            number(&expected["downtime_hours"]),
            tol,
        );
        assert_close(
            &name,
            "nines",
            Some(s.nines()),
            number(&expected["nines"]),
            tol,
        );
        assert_close(
            &name,
            "failures",
            s.frequency.map(|f| f * h),
            number(&expected["failures"]),
            tol,
        );
        assert_close(
            &name,
            "mtbf_hours",
            s.mtbf(),
            number(&expected["mtbf_hours"]),
            tol,
        );
        assert_close(
            &name,
            "mttr_hours",
            s.mttr(),
            number(&expected["mttr_hours"]),
            tol,
        );
        // Every component's figures hold to 1e-12, Markov blocks' included (measured).
        components(&name, &a, &expected, 1e-12);
        solved += 1;
    }
    assert!(solved >= 16);
}

/// Per-component figures from the JSON a user reads, against the reference's: Birnbaum,
/// downtime saved and share, system failures caused (null where the reference has null).
/// The saving is a difference of two unavailabilities in hacalc when it re-evaluates, so it
/// is held to `tol` relative to itself plus rounding of the system's U.
fn components(case: &str, a: &hacalc::Analysis, expected: &serde_json::Value, tol: f64) {
    use hacalc::render::Exporter;
    let json: serde_json::Value = serde_json::from_str(
        &hacalc::render::json::Json { check: false }
            .render(a)
            .unwrap(),
    )
    .unwrap();
    let want = expected["components"]
        .as_object()
        .unwrap_or_else(|| panic!("{case}: no per-component answers"));
    let got = json["components"].as_array().unwrap();
    assert_eq!(got.len(), want.len(), "{case}: components");
    let u_hours = a.solution.system.unavailability() * a.solution.horizon_hours;
    for (name, w) in want {
        let g = got
            .iter()
            .find(|c| c["name"] == name.as_str())
            .unwrap_or_else(|| panic!("{case}: no component {name}"));
        let key = |k: &str| format!("{name}.{k}");
        assert_close(
            case,
            &key("birnbaum"),
            number(&g["birnbaum"]),
            number(&w["birnbaum"]),
            tol,
        );
        for k in ["downtime_saved_hours", "downtime_share"] {
            let (gv, wv) = (number(&g[k]).unwrap(), number(&w[k]).unwrap());
            let floor = if k == "downtime_share" {
                1e-14
            } else {
                1e-14 * u_hours
            };
            assert!(
                (gv - wv).abs() <= tol * wv.abs() + floor,
                "{case}: {} = {gv:e}, expected {wv:e}",
                key(k)
            );
        }
        assert_close(
            case,
            &key("system_failures_caused"),
            number(&g["system_failures_caused"]),
            number(&w["system_failures_caused"]),
            tol,
        );
    }
}

/// The contract's own example: a parallel triple with U = 1e-18 reports 1e-18, not 0.
#[test]
fn ultra_parallel_reports_1e_minus_18() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference");
    let source = std::fs::read_to_string(dir.join("p07_ultra_parallel3.yaml")).unwrap();
    let a = hacalc::analyse("p07.yaml", &source).unwrap();
    let u = a.solution.system.unavailability();
    assert!((u - 1e-18).abs() / 1e-18 < 1e-12, "{u:e}");
    let json: serde_json::Value = serde_json::from_str(
        &hacalc::render::Exporter::render(&hacalc::render::json::Json { check: false }, &a)
            .unwrap(),
    )
    .unwrap();
    let ju = json["unavailability"].as_f64().unwrap();
    assert!((ju - 1e-18).abs() / 1e-18 < 1e-12, "{ju:e}");
    assert!((json["nines"].as_f64().unwrap() - 18.0).abs() < 1e-9);
}

/// Past the doubles' range: 30 copies of U = 1.7e-11 in parallel have U = 4.6e-324,
/// held as the smallest subnormal (one significant digit), which a warning says; 45 copies have U
/// and the frequency rounded to 0, where the MTBF and mean outage are unknown, not infinite
/// or zero.
#[test]
fn unavailability_below_the_doubles_is_flagged_not_passed_off() {
    let model = |n: usize| {
        format!(
            "components:\n  a: {{ mtbf: 1e9h, mttr: 1m }}\nsystem:\n  parallel: {{ n: {n}, of: a }}\n"
        )
    };
    let warned = |a: &hacalc::Analysis| {
        a.warnings
            .iter()
            .any(|w| w.message.contains("significant digit"))
    };
    // U of one copy: (1/60 h) / (1e9 h + 1/60 h).
    let q: f64 = (1.0 / 60.0) / (1e9 + 1.0 / 60.0);
    let a = hacalc::analyse("p.yaml", &model(3)).unwrap();
    assert!((a.solution.system.unavailability() / q.powi(3) - 1.0).abs() < 1e-12);
    assert!(!warned(&a), "U = 4.6e-33 is a full-precision double");
    let a = hacalc::analyse("p.yaml", &model(30)).unwrap();
    let u = a.solution.system.unavailability();
    assert!(u > 0.0 && u < f64::MIN_POSITIVE, "{u:e}");
    assert!(warned(&a), "{:?}", a.warnings);
    let a = hacalc::analyse("p.yaml", &model(45)).unwrap();
    assert!(
        a.warnings
            .iter()
            .any(|w| w.message.contains("below 4.9e-324")),
        "{:?}",
        a.warnings
    );
    let s = &a.solution.system;
    assert_eq!(s.unavailability(), 0.0);
    assert_eq!(s.frequency, Some(0.0));
    assert_eq!(s.mtbf(), None);
    assert_eq!(s.mttr(), None);
}
