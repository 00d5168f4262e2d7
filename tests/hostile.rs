//! Regression tests for what a hostile or careless user found: each input below once gave a
//! wrong number with exit 0, hung, clobbered a file or forged output. Each must now end in a
//! right answer or a located error.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn hacalc() -> Command {
    let mut c = Command::cargo_bin("hacalc").unwrap();
    c.env("NO_COLOR", "1");
    c
}

fn model(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = hacalc().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every number in a JSON document, with its path.
fn numbers(v: &serde_json::Value, path: String, out: &mut Vec<(String, f64)>) {
    match v {
        serde_json::Value::Number(n) => out.push((path, n.as_f64().unwrap())),
        serde_json::Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| numbers(x, format!("{path}[{i}]"), out)),
        serde_json::Value::Object(o) => o
            .iter()
            .for_each(|(k, x)| numbers(x, format!("{path}.{k}"), out)),
        _ => {}
    }
}

/// A, U in [0, 1] adding up to 1, every other number finite, no -0.0 and nothing negative.
fn assert_sound(j: &serde_json::Value, text: &str) {
    let a = j["availability"].as_f64().unwrap();
    let u = j["unavailability"].as_f64().unwrap();
    assert!(
        (0.0..=1.0).contains(&a) && (0.0..=1.0).contains(&u),
        "A {a} U {u}"
    );
    assert!(
        (a + u - 1.0).abs() <= 2.0 * f64::EPSILON,
        "A + U - 1 = {}",
        a + u - 1.0
    );
    let mut all = Vec::new();
    numbers(j, String::new(), &mut all);
    for (path, x) in all {
        assert!(x.is_finite(), "{path} = {x}");
        if !path.ends_with("excess_downtime_hours") {
            assert!(x >= 0.0, "{path} = {x}");
        }
    }
    for (i, _) in text.match_indices("-0.0") {
        let next = text[i + 4..].chars().next();
        assert!(
            next.is_some_and(|c| c.is_ascii_digit()),
            "negative zero in {text}"
        );
    }
}

#[test]
fn extreme_standby_and_chains_give_sound_numbers() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        (
            "warm.yaml",
            "components:\n  u: { mtbf: 30d, mttr: 4h }\nsystem:\n  standby: { of: u, n: 2534, mode: warm, spare_factor: 0.1 }\n",
        ),
        (
            "dense.yaml",
            "components:\n  u: { mtbf: 30d, mttr: 100d }\nsystem:\n  standby: { of: u, n: 200, active: 100 }\n",
        ),
        (
            "hot.yaml",
            "components:\n  u: { mtbf: 30d, mttr: 4h }\nsystem:\n  standby: { of: u, n: 10, mode: hot }\n",
        ),
        (
            "tiny.yaml",
            "components:\n  a: { mtbf: 1y, mttr: 1ms }\nsystem: { parallel: [a, a] }\n",
        ),
        (
            "stiff.yaml",
            "system:\n  markov:\n    states: [a, b, c]\n    up: [a]\n    transitions:\n      - { from: a, to: b, rate: 3e12/h }\n      - { from: b, to: c, rate: 1e-9/h }\n      - { from: c, to: a, rate: 3e12/h }\n",
        ),
    ] {
        let path = model(dir.path(), name, text);
        let out = hacalc()
            .args(["solve", &path, "--format", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let j: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_sound(&j, &text);
        // The table never prints NaN.
        hacalc()
            .args(["solve", &path])
            .assert()
            .success()
            .stdout(predicate::str::contains("NaN").not());
    }
}

/// Every example's JSON is sound too (no -0.0, no negative downtime saved).
#[test]
fn examples_give_sound_numbers() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "yaml") {
            let out = hacalc()
                .args([
                    "solve",
                    p.to_str().unwrap(),
                    "--format",
                    "json",
                    "--at",
                    "1h,1y",
                ])
                .output()
                .unwrap();
            let text = String::from_utf8(out.stdout).unwrap();
            assert_sound(&serde_json::from_str(&text).unwrap(), &text);
        }
    }
}

#[test]
fn rates_and_durations_out_of_range_are_located_errors() {
    let dir = tempfile::tempdir().unwrap();
    for (text, at, msg) in [
        (
            "components:\n  a: { mtbf: 1e-200h, mttr: 1e200h }\nsystem: { parallel: { n: 2, of: a, crews: 1 } }\n",
            "2:14",
            "shorter than a nanosecond",
        ),
        (
            "components:\n  a: { mtbf: 1h, mttr: 1e308h }\nsystem: { parallel: { n: 2, of: a, crews: 1 } }\n",
            "2:24",
            "longer than a billion years",
        ),
        (
            "system:\n  markov:\n    states: [a, b]\n    up: [a]\n    transitions:\n      - { from: a, to: b, rate: 1e308/h }\n      - { from: a, to: b, rate: 1e308/h }\n      - { from: b, to: a, rate: 1/h }\n",
            "6:33",
            "faster than once per nanosecond",
        ),
        (
            "horizon: 1e-310h\ncomponents:\n  a: { mtbf: 1y, mttr: 1h }\nsystem: a\n",
            "1:10",
            "shorter than a nanosecond",
        ),
    ] {
        let path = model(dir.path(), "m.yaml", text);
        hacalc()
            .args(["validate", &path])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!("m.yaml:{at}: error")))
            .stderr(predicate::str::contains(msg));
    }
    hacalc()
        .args(["solve", "examples/web-service.yaml", "--at", "1e-310h"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("shorter than a nanosecond"));
}

#[test]
fn names_cannot_forge_output() {
    let dir = tempfile::tempdir().unwrap();
    for (text, at, msg) in [
        (
            "name: \"x\\nPASS availability 100%\"\ncomponents:\n  a: { mtbf: 1y, mttr: 1h }\nsystem: a\n",
            "1:7",
            "U+000A, a line feed",
        ),
        (
            "components:\n  \"a\\nb\": { mtbf: 1y, mttr: 1h }\nsystem: \"a\\nb\"\n",
            "2:3",
            "U+000A",
        ),
        (
            "components:\n  \"evil\\u202e\": { mtbf: 1y, mttr: 1h }\nsystem: \"evil\\u202e\"\n",
            "2:3",
            "U+202E",
        ),
        (
            "components:\n  \"x\\e[31m\": { mtbf: 1y, mttr: 1h }\nsystem: \"x\\e[31m\"\n",
            "2:3",
            "U+001B",
        ),
        (
            "components:\n  \"x\\uFFFF\": { mtbf: 1y, mttr: 1h }\nsystem: \"x\\uFFFF\"\n",
            "2:3",
            "noncharacter",
        ),
        (
            "system:\n  markov:\n    states: [\"up\\r\", down]\n    up: [\"up\\r\"]\n    transitions:\n      - { from: \"up\\r\", to: down, after: 1y }\n      - { from: down, to: \"up\\r\", after: 1h }\n",
            "3:14",
            "carriage return",
        ),
        (
            "description: \"ok\\nbut \\e[2J\"\ncomponents:\n  a: { mtbf: 1y, mttr: 1h }\nsystem: a\n",
            "1:14",
            "U+001B",
        ),
    ] {
        let path = model(dir.path(), "m.yaml", text);
        let out = hacalc()
            .args(["check", &path, "--target", "50%"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("m.yaml:{at}: error")), "{err}");
        assert!(err.contains(msg), "{err}");
        assert!(!String::from_utf8_lossy(&out.stdout).contains("PASS"));
        assert!(
            !err.contains('\u{1b}') && !err.contains('\u{202e}'),
            "{err:?}"
        );
    }
}

#[test]
fn hostile_but_valid_names_stay_well_formed_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let path = model(
        dir.path(),
        "m.yaml",
        "name: \"<x> & 'y' \\\"z\\\" ]]> -- | `*\"\ndescription: \"two\\nlines <b>\"\ncomponents:\n  \"<&>\": { mtbf: 1y, mttr: 1h, description: \"a\\tb\" }\nsystem: { parallel: [\"<&>\", \"<&>\"] }\ntargets: { availability: 99% }\n",
    );
    let junit = hacalc()
        .args(["check", &path, "--format", "junit"])
        .output()
        .unwrap();
    roxmltree::Document::parse(std::str::from_utf8(&junit.stdout).unwrap()).unwrap();
    let svg = hacalc()
        .args(["report", &path, "--format", "svg", "-o", "-"])
        .output()
        .unwrap();
    roxmltree::Document::parse(std::str::from_utf8(&svg.stdout).unwrap()).unwrap();
    let text = hacalc().args(["check", &path]).output().unwrap();
    let stdout = String::from_utf8(text.stdout).unwrap();
    // One verdict line, its error budget and one summary line: nothing forged.
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
}

#[test]
fn non_utf8_input_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("m.yaml");
    std::fs::write(
        &p,
        b"components:\n  a: { mtbf: 1y, mttr: 1h }\n# caf\xe9\nsystem: a\n",
    )
    .unwrap();
    hacalc()
        .args(["validate", p.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "m.yaml:3:6: error: the file is not UTF-8",
        ));
}

#[test]
fn input_size_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("components:\n  a: { mtbf: 1y, mttr: 1h }\nsystem: a\n");
    while text.len() < 1_200_000 {
        text.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    let path = model(dir.path(), "big.yaml", &text);
    hacalc()
        .args(["solve", &path, "--max-input-mb", "1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("more than the limit of 1 MB"))
        .stderr(predicate::str::contains("--max-input-mb"));
    hacalc().args(["solve", &path]).assert().success();
}

#[test]
fn validate_applies_the_solver_limits() {
    let dir = tempfile::tempdir().unwrap();
    let path = model(
        dir.path(),
        "m.yaml",
        "components:\n  u: { mtbf: 30d, mttr: 4h }\nsystem:\n  standby: { of: u, n: 2, switchover: 1m }\n",
    );
    // 3 running states and 2 switching over: 5, counted exactly before building.
    hacalc()
        .args(["validate", &path, "--max-states", "4"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "has 5 states, more than the limit of 4",
        ));
    let j = json(&["solve", &path, "--format", "json"]);
    assert_eq!(j["markov_blocks"][0]["state_count"], 5);
    hacalc()
        .args(["validate", &path, "--max-states", "5"])
        .assert()
        .success();
}

#[test]
fn junit_of_an_invalid_model_is_a_failing_test_case() {
    let dir = tempfile::tempdir().unwrap();
    let path = model(
        dir.path(),
        "m.yaml",
        "components:\n  a: { mtbf: 1y }\nsystem: a\n",
    );
    let out = hacalc()
        .args(["check", &path, "--format", "junit", "--target", "99%"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let xml = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let failure = doc
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .expect("a failing test case");
    assert!(failure.text().unwrap().contains("has no `mttr`"), "{xml}");
}

#[test]
fn sanity_warnings_and_deny_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let path = model(
        dir.path(),
        "m.yaml",
        "targets: { availability: 0.9995% }\ncomponents:\n  a: { mtbf: 1h, mttr: 1y }\nsystem: a\n",
    );
    hacalc()
        .args(["check", &path])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("target 0.9995%"))
        .stderr(predicate::str::contains(
            "m.yaml:1:26: warning: the availability target is below 90%",
        ))
        .stderr(predicate::str::contains("did you mean `99.95%`?"))
        .stderr(predicate::str::contains(
            "m.yaml:3:24: warning: component `a` takes longer to repair",
        ));
    hacalc()
        .args(["check", &path, "--deny-warnings"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--deny-warnings"));
    let net = model(
        dir.path(),
        "n.yaml",
        "components:\n  l: { mtbf: 1y, mttr: 1h }\nsystem:\n  network:\n    from: a\n    to: b\n    directed: true\n    links:\n      - { from: b, to: a, via: l }\n",
    );
    hacalc()
        .args(["solve", &net])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "no path leads from `a` to `b` along the links' directions",
        ));
}

#[test]
fn too_many_time_points_are_refused() {
    let times = vec!["1h"; 1001].join(",");
    hacalc()
        .args(["solve", "examples/web-service.yaml", "--at", &times])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("more than the 1000"));
}

/// These took minutes or never ended; they must now finish (a hang fails the test run).
#[test]
fn small_inputs_with_large_costs_finish() {
    let big_list = format!(
        "components:\n  a: {{ mtbf: 30d, mttr: 4h }}\n  b: {{ mtbf: 3d, mttr: 40h }}\nsystem:\n  k_of_n:\n    k: 10000\n    of: [{}]\n",
        (0..20_000)
            .map(|i| if i % 2 == 0 { "a" } else { "b" })
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut chain = String::from("components:\n  a: { mtbf: 30d, mttr: 4h }\nblocks:\n  b0: a\n");
    for i in 1..3000 {
        chain.push_str(&format!("  b{i}: b{}\n", i - 1));
    }
    chain.push_str("system: b2999\n");
    for (name, text) in [
        ("list", big_list),
        ("chain", chain),
        (
            "crews",
            "components:\n  u: { mtbf: 30d, mttr: 4h }\nsystem: { parallel: { n: 1999, of: u, crews: 1 } }\n".to_string(),
        ),
        (
            "standby",
            "components:\n  u: { mtbf: 30d, mttr: 4h }\nsystem:\n  standby: { of: u, n: 1999 }\n".to_string(),
        ),
    ] {
        let a = hacalc::analyse_with(
            &format!("{name}.yaml"),
            &text,
            &hacalc::Options::default(),
            &hacalc::Request::report(),
        )
        .unwrap_or_else(|r| panic!("{name}: {}", r.to_plain()));
        assert!(a.solution.system.avail.is_sound(), "{name}");
        // The report's curves are computed or say why not; they never run away.
        let t = a.over_time.as_ref().unwrap();
        assert!(t.points.len() >= 2 || !t.notes.is_empty(), "{name}");
    }
}

#[test]
fn simulate_short_horizon_and_refusals_are_located() {
    hacalc()
        .args(["simulate", "examples/web-service.yaml", "--horizon", "1d"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .assert()
        .success();
    hacalc()
        .args(["simulate", "examples/cloud-slas.yaml"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "examples/cloud-slas.yaml:17:3: error: component `dns` has only a static availability",
        ));
    hacalc()
        .args([
            "simulate",
            "examples/web-service.yaml",
            "--horizon",
            "1000000y",
            "--max-events",
            "200000",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "warning: the event budget (--max-events 200000)",
        ));
}

mod files {
    use super::*;

    fn report(args: &[&str]) -> assert_cmd::assert::Assert {
        hacalc()
            .arg("report")
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .assert()
    }

    #[test]
    fn the_model_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/web-service.yaml"),
        )
        .unwrap();
        // A model named .html: the default output is the model itself.
        let html = model(dir.path(), "m.html", &text);
        report(&[&html])
            .code(2)
            .stderr(predicate::str::contains("would overwrite it"));
        assert_eq!(std::fs::read_to_string(&html).unwrap(), text);
        let yaml = model(dir.path(), "m.yaml", &text);
        report(&[&yaml, "-o", &yaml]).code(2);
        assert_eq!(std::fs::read_to_string(&yaml).unwrap(), text);
        // Through a symbolic link to the model, too.
        #[cfg(unix)]
        {
            let link = dir.path().join("link.html");
            std::os::unix::fs::symlink(&yaml, &link).unwrap();
            report(&[&yaml, "-o", link.to_str().unwrap()]).code(2);
            assert_eq!(std::fs::read_to_string(&yaml).unwrap(), text);
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_and_devices_written_through() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.html");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.html");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        report(&["examples/web-service.yaml", "-o", link.to_str().unwrap()]).success();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(std::fs::read_to_string(&real).unwrap().contains("<html"));
        // A device is written through, not replaced.
        report(&["examples/web-service.yaml", "-o", "/dev/null"]).success();
        assert!(
            std::fs::metadata("/dev/null")
                .unwrap()
                .file_type()
                .is_char_device()
        );
        // A full device is an error, exit 2.
        if Path::new("/dev/full").exists() {
            report(&["examples/web-service.yaml", "-o", "/dev/full"])
                .code(2)
                .stderr(predicate::str::contains("cannot write the report"));
        }
        // Nothing else was left in the folder (no temporary file).
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 2);
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        report(&[
            "examples/web-service.yaml",
            "--format",
            "svg",
            "-o",
            fifo.to_str().unwrap(),
        ])
        .success();
        assert!(reader.join().unwrap().contains("<svg"));
        use std::os::unix::fs::FileTypeExt;
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    }

    #[cfg(unix)]
    #[test]
    fn full_standard_output_is_exit_2_without_panic() {
        if !Path::new("/dev/full").exists() {
            return;
        }
        for args in [
            vec!["completions", "bash"],
            vec!["schema"],
            vec!["solve", "examples/web-service.yaml"],
            vec!["solve", "examples/web-service.yaml", "--format", "json"],
        ] {
            let full = std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap();
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_hacalc"))
                .args(&args)
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .stdout(full)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2), "{args:?}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.contains("cannot write to standard output"),
                "{args:?}: {err}"
            );
            assert!(!err.contains("panicked"), "{err}");
        }
    }
}
