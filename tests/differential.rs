//! Random models against independent 50-digit truth: `tests/differential/cases.json` holds 300
//! models (block diagrams, every Markov block kind, directed and undirected networks) with
//! their exact answers, written by `scripts/gen-differential.sh` from `tests/reference/exact.py`
//! (not at test time). Relative error at most 1e-12 for independent blocks, 1e-9 for Markov.

fn number(v: &serde_json::Value) -> Option<f64> {
    match v {
        serde_json::Value::String(s) => Some(s.parse().unwrap()),
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::Null => None,
        other => panic!("unexpected {other}"),
    }
}

#[test]
fn random_models_match_exact_answers() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/differential/cases.json");
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(cases.len() >= 300, "{} cases", cases.len());
    let (mut markov, mut independent) = (0, 0);
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let yaml = case["yaml"].as_str().unwrap();
        let is_markov = case["markov"].as_bool().unwrap();
        let tol = if is_markov { 1e-9 } else { 1e-12 };
        if is_markov {
            markov += 1;
        } else {
            independent += 1;
        }
        let a = hacalc::analyse(&format!("{name}.yaml"), yaml)
            .unwrap_or_else(|r| panic!("{name}: {}", r.to_plain()));
        let e = &case["expected"];
        let s = &a.solution.system;
        let h = a.solution.horizon_hours;
        assert_eq!(Some(h), number(&e["horizon_hours"]), "{name}: horizon");
        let got = [
            ("availability", Some(s.availability())),
            ("unavailability", Some(s.unavailability())),
            ("downtime_hours", Some(s.unavailability() * h)),
            ("failures", s.frequency.map(|f| f * h)),
            ("mtbf_hours", s.mtbf()),
            ("mttr_hours", s.mttr()),
        ];
        for (key, g) in got {
            let w = number(&e[key]);
            match (g, w) {
                (None, None) => {}
                (Some(g), Some(w)) => {
                    let err = ((g - w) / w).abs();
                    if err > tol {
                        failures.push(format!(
                            "{name}: {key} = {g:e}, exact {w:e} (relative {err:.1e})"
                        ));
                    }
                }
                _ => failures.push(format!("{name}: {key} = {g:?}, exact {w:?}")),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        markov >= 100 && independent >= 100,
        "{markov} Markov, {independent} independent"
    );
}
