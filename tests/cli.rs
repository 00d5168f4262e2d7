//! The command line as a user meets it: exit codes, formats, and the messages for bad input,
//! each with its FILE:LINE:COLUMN.

use assert_cmd::Command;
use predicates::prelude::*;
use std::io::Write;

fn hacalc() -> Command {
    let mut c = Command::cargo_bin("hacalc").unwrap();
    c.env("NO_COLOR", "1");
    c
}

fn example(name: &str) -> String {
    format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Writes `text` to a temporary model file and returns it (kept alive by the caller).
fn model(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

/// Runs `validate` on `text` and checks exit code 2 and a message at LINE:COLUMN.
fn rejects(text: &str, line_col: &str, message: &str) {
    let f = model(text);
    let path = f.path().to_str().unwrap().to_string();
    hacalc()
        .args(["validate", &path])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{path}:{line_col}: error: "
        )))
        .stderr(predicate::str::contains(message));
    // solve rejects it the same way and prints nothing on stdout.
    hacalc().args(["solve", &path]).assert().code(2).stdout("");
}

const OK_MODEL: &str =
    "components:\n  web: { mtbf: 30d, mttr: 4h }\nsystem:\n  k_of_n: { k: 2, n: 3, of: web }\n";

#[test]
fn solve_prints_the_summary_first() {
    hacalc()
        .args(["solve", &example("web-service.yaml")])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("web-service (horizon 1y)"))
        .stdout(predicate::str::contains("availability"))
        .stdout(predicate::str::contains(
            "Components, by share of system downtime",
        ));
}

#[test]
fn solve_json_has_the_contract_keys() {
    let out = hacalc()
        .args(["solve", &example("web-service.yaml"), "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "name",
        "horizon_hours",
        "availability",
        "unavailability",
        "nines",
        "downtime_hours",
        "failures",
        "mtbf_hours",
        "mttr_hours",
        "targets",
        "components",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["name"], "web-service");
    assert_eq!(v["horizon_hours"], 8760.0);
    let c = &v["components"][0];
    for key in [
        "name",
        "copies",
        "availability",
        "unavailability",
        "birnbaum",
        "downtime_saved_hours",
        "downtime_share",
    ] {
        assert!(c.get(key).is_some(), "component misses {key}");
    }
    let t = &v["targets"][0];
    assert_eq!(t["kind"], "availability");
    assert_eq!(t["target"], 0.9995);
    assert_eq!(t["met"], true);
}

#[test]
fn static_availability_gives_null_frequency() {
    let out = hacalc()
        .args(["solve", &example("cloud-slas.yaml"), "-f", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["failures"].is_null() && v["mtbf_hours"].is_null() && v["mttr_hours"].is_null());
    let cdn = v["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "cdn")
        .unwrap();
    assert!(cdn["mtbf_hours"].is_null());
}

#[test]
fn solve_markdown() {
    hacalc()
        .args([
            "solve",
            &example("quorum-lock.yaml"),
            "--format",
            "markdown",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "## Availability of quorum-lock",
        ))
        .stdout(predicate::str::contains("| availability |"));
}

#[test]
fn standard_input_is_read_for_dash() {
    hacalc()
        .args(["solve", "-", "--format", "json"])
        .write_stdin(OK_MODEL)
        .assert()
        .success()
        .stdout(predicate::str::contains("\"name\": \"stdin\""));
    hacalc()
        .args(["validate", "-"])
        .write_stdin("system: nothing\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "<stdin>:1:9: error: unknown component or block `nothing`",
        ));
}

#[test]
fn check_exit_codes() {
    // Met: 0; the verdict says by how much.
    hacalc()
        .args(["check", &example("web-service.yaml")])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("PASS availability"))
        .stdout(predicate::str::contains("under the 4h23m budget per 1y"));
    // Missed: 1, with the excess over the budget.
    hacalc()
        .args(["check", &example("web-service.yaml"), "--target", "99.999%"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL availability"))
        .stdout(predicate::str::contains("< target 99.999%"))
        .stdout(predicate::str::contains("over the 5m15s budget per 1y"));
    hacalc()
        .args([
            "check",
            &example("web-service.yaml"),
            "--max-downtime",
            "10m",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL downtime"));
    // No target anywhere: usage error, not a pass.
    let f = model(OK_MODEL);
    hacalc()
        .args(["check", f.path().to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no target to check"));
    // Bad input: 2.
    hacalc()
        .args(["check", "/nonexistent/model.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read"));
    // Bad flag value: 2.
    hacalc()
        .args(["check", &example("web-service.yaml"), "--target", "99.9"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("99.9%"));
}

#[test]
fn check_json_and_junit() {
    let out = hacalc()
        .args(["check", &example("cloud-slas.yaml"), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["met"], false);
    assert_eq!(v["targets"][0]["met"], false);
    hacalc()
        .args(["check", &example("quorum-lock.yaml"), "--format", "junit"])
        .assert()
        .stdout(predicate::str::starts_with("<?xml"))
        .stdout(predicate::str::contains("<testcase"));
}

#[test]
fn validate_accepts_examples() {
    for name in [
        "web-service.yaml",
        "multi-region.yaml",
        "quorum-lock.yaml",
        "cloud-slas.yaml",
        "large-platform.yaml",
    ] {
        hacalc()
            .args(["validate", &example(name)])
            .assert()
            .success()
            .stdout(predicate::str::contains("valid"));
    }
}

#[test]
fn usage_errors_exit_2() {
    hacalc().args(["solve"]).assert().code(2);
    hacalc()
        .args(["solve", &example("web-service.yaml"), "--format", "xml"])
        .assert()
        .code(2);
    hacalc().args(["frobnicate"]).assert().code(2);
    hacalc().assert().code(2);
}

#[test]
fn help_and_version() {
    hacalc()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("EXIT STATUS"))
        .stdout(predicate::str::contains("hacalc solve"));
    hacalc()
        .args(["check", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--max-downtime"));
    hacalc()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains("hacalc"));
}

#[test]
fn completions_and_schema() {
    for shell in ["bash", "zsh", "fish"] {
        hacalc()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("hacalc"));
    }
    let out = hacalc().arg("schema").output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["title"], "hacalc model");
}

#[test]
fn warns_about_unused_components() {
    let f = model(
        "components:\n  a: { mtbf: 1y, mttr: 1h }\n  spare: { mtbf: 1y, mttr: 1h }\nsystem: a\n",
    );
    hacalc()
        .args(["validate", f.path().to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            ":3:3: warning: component `spare` is not used",
        ));
}

// ---- bad input: each with its line and column ----

#[test]
fn bad_unknown_key_suggests() {
    rejects(
        "components:\n  a: { mtbf: 1y, mtr: 1h }\nsystem: a\n",
        "2:18",
        "unknown key `mtr` in component `a`",
    );
    rejects(
        "components:\n  a: { mtbf: 1y, mtr: 1h }\nsystem: a\n",
        "2:18",
        "did you mean `mttr`?",
    );
}

#[test]
fn bad_bare_number_duration() {
    rejects(
        "components:\n  a: { mtbf: 1000, mttr: 1h }\nsystem: a\n",
        "2:14",
        "`1000` needs a time unit",
    );
}

#[test]
fn bad_conflicting_parameters() {
    rejects(
        "components:\n  a: { mtbf: 1y, failure_rate: 2e-5/h, mttr: 1h }\nsystem: a\n",
        "2:32",
        "both `mtbf` and `failure_rate` are given",
    );
}

#[test]
fn bad_negative_and_zero_values() {
    rejects(
        "components:\n  a: { mtbf: -1y, mttr: 1h }\nsystem: a\n",
        "2:14",
        "negative",
    );
    rejects(
        "components:\n  a: { mtbf: 1y, mttr: 0s }\nsystem: a\n",
        "2:24",
        "mttr must be greater than zero",
    );
    rejects(
        "horizon: 0s\ncomponents:\n  a: { mtbf: 1y, mttr: 1h }\nsystem: a\n",
        "1:10",
        "horizon must be longer than zero",
    );
}

#[test]
fn bad_nan_and_infinite() {
    rejects(
        "components:\n  a: { availability: .nan }\nsystem: a\n",
        "2:22",
        "",
    );
    rejects(
        "components:\n  a: { mtbf: .inf, mttr: 1h }\nsystem: a\n",
        "2:14",
        "",
    );
    rejects(
        "components:\n  a: { failure_rate: 1e400/h, mttr: 1h }\nsystem: a\n",
        "2:22",
        "rate `1e400/h` is faster than once per nanosecond",
    );
    rejects(
        "components:\n  a: { mtbf: 1e-200h, mttr: 1e200h }\nsystem: a\n",
        "2:14",
        "shorter than a nanosecond",
    );
    rejects(
        "components:\n  a: { failure_rate: 1e-300/h, mttr: 1h }\nsystem: a\n",
        "2:22",
        "slower than once per billion years",
    );
}

#[test]
fn bad_availability_out_of_range() {
    rejects(
        "components:\n  a: { availability: 99.9 }\nsystem: a\n",
        "2:22",
        "did you mean `99.9%`?",
    );
    rejects(
        "components:\n  a: { availability: 101% }\nsystem: a\n",
        "2:22",
        "outside [0, 1]",
    );
}

#[test]
fn bad_k_greater_than_n() {
    rejects(
        "components:\n  a: { mtbf: 1y, mttr: 1h }\nsystem:\n  k_of_n: { k: 4, n: 3, of: a }\n",
        "4:16",
        "k is 4 but there are only 3 members",
    );
}

#[test]
fn bad_empty_list() {
    rejects(
        "components:\n  a: { mtbf: 1y, mttr: 1h }\nsystem:\n  series: []\n",
        "4:11",
        "`series` has an empty list",
    );
}

#[test]
fn bad_unknown_reference_suggests() {
    rejects(
        "components:\n  database: { mtbf: 1y, mttr: 1h }\nsystem:\n  series: [databse]\n",
        "4:12",
        "unknown component or block `databse`",
    );
}

#[test]
fn bad_cycle_between_named_blocks() {
    rejects(
        "components:\n  a: { mtbf: 1y, mttr: 1h }\nblocks:\n  x: { series: [a, y] }\n  y: { parallel: [x, a] }\nsystem: x\n",
        "5:19",
        "named block `x` contains itself: x -> y -> x",
    );
}

#[test]
fn bad_duplicate_key() {
    rejects(
        "components:\n  a: { mtbf: 1y, mttr: 1h }\n  a: { mtbf: 2y, mttr: 1h }\nsystem: a\n",
        "3:3",
        "duplicate",
    );
}

#[test]
fn bad_yaml_syntax() {
    rejects(
        "components:\n  a: { mtbf: 1y, mttr: 1h\nsystem: a\n",
        "3:7",
        "invalid YAML",
    );
}

#[test]
fn bad_alias_bomb_is_bounded() {
    let mut text = String::from("x0: &a0 [q, q, q, q, q, q, q, q, q, q]\n");
    for i in 1..10 {
        let p = i - 1;
        text.push_str(&format!(
            "x{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    text.push_str("system: x9\n");
    let f = model(&text);
    hacalc()
        .args(["validate", f.path().to_str().unwrap()])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid YAML"));
}

#[test]
fn bad_deep_nesting_is_bounded() {
    let depth = 100_000;
    let text = format!(
        "system: {}a{}\n",
        "{ series: [".repeat(depth),
        "] }".repeat(depth)
    );
    let f = model(&text);
    hacalc()
        .args(["validate", f.path().to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid YAML"));
}

#[test]
fn bad_missing_system_and_parameters() {
    rejects(
        "components:\n  a: { mtbf: 1y }\n",
        "1:1",
        "the model has no `system` block",
    );
    rejects(
        "components:\n  a: { mtbf: 1y }\nsystem: a\n",
        "2:14",
        "component `a` has no `mttr`",
    );
    rejects(
        "components:\n  a: {}\nsystem: a\n",
        "2:3",
        "component `a` has no parameters",
    );
}

#[test]
fn bad_network_input() {
    let base = "components:\n  l: { mtbf: 1y, mttr: 1h }\nsystem:\n  network:\n";
    rejects(
        &format!("{base}    from: a\n    to: c\n    links: [{{ from: a, to: b, via: l }}]\n"),
        "6:9",
        "terminal `c` is not an end of any link",
    );
    rejects(
        &format!(
            "{base}    from: a\n    to: b\n    links: [{{ from: a, to: b, via: l }}, {{ from: b, to: b, via: l }}]\n"
        ),
        "7:41",
        "joins nothing",
    );
    rejects(
        &format!("{base}    from: a\n    to: b\n    links: [{{ from: a, to: b, via: nope }}]\n"),
        "7:36",
        "unknown component or block `nope`",
    );
    rejects(
        &format!("{base}    from: a\n    to: b\n    links: []\n"),
        "5:5",
        "at least one link",
    );
}

#[test]
fn bad_not_utf8_and_empty() {
    let mut f = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
    f.write_all(b"system: \xff\xfe\n").unwrap();
    hacalc()
        .args(["solve", f.path().to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not UTF-8"));
    rejects("", "1:1", "the file is empty");
}

#[test]
fn every_problem_is_reported() {
    let f = model(
        "components:\n  a: { mtbf: 1y, mtr: 1h }\n  b: { mtbf: 5, mttr: 1h }\nsystem:\n  series: [a, b, c]\n",
    );
    let out = hacalc()
        .args(["validate", f.path().to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(":2:18: error: unknown key `mtr`"), "{err}");
    assert!(
        err.contains(":3:14: error: mtbf: `5` needs a time unit"),
        "{err}"
    );
    assert!(
        err.contains(":5:18: error: unknown component or block `c`"),
        "{err}"
    );
    assert!(err.contains("3 errors"), "{err}");
}

#[test]
fn solve_at_times_gives_transient_measures() {
    hacalc()
        .args(["solve", &example("mysql-replica.yaml"), "--at", "24h,30d"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Over time, everything up at t = 0",
        ))
        .stdout(predicate::str::contains(
            "MTTF (mean time to the first system failure): 60d",
        ));
    let out = hacalc()
        .args([
            "solve",
            &example("master-master.yaml"),
            "-f",
            "json",
            "--at",
            "1y",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let t = &v["transient"];
    assert_eq!(t["times_hours"][0], 8760.0);
    assert!(t["reliability"][0].as_f64().unwrap() > 0.9);
    assert!(t["mttf_hours"].as_f64().unwrap() > 1e5);
    hacalc()
        .args(["solve", &example("master-master.yaml"), "--at", "soon"])
        .assert()
        .code(2);
}

#[test]
fn markov_blocks_show_method_and_residual() {
    hacalc()
        .args(["solve", &example("stateless-tier.yaml")])
        .assert()
        .success()
        .stdout(predicate::str::contains("Markov blocks"))
        .stdout(predicate::str::contains("birth-death product form"));
    hacalc()
        .args([
            "solve",
            &example("stateless-tier.yaml"),
            "--max-states",
            "4",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "stateless-tier.yaml:27:7: error: this block's Markov chain has 5 states",
        ));
}

#[test]
fn simulate_prints_estimates_beside_exact_values() {
    hacalc()
        .args([
            "simulate",
            &example("web-service.yaml"),
            "--horizon",
            "200y",
            "--seed",
            "5",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "simulated 200y in 20 replications (seed 5)",
        ))
        .stdout(predicate::str::contains("exact within?"));
    let out = hacalc()
        .args([
            "simulate",
            &example("mysql-replica.yaml"),
            "--horizon",
            "100y",
            "-f",
            "json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["availability"]["low"].as_f64().unwrap() <= v["availability"]["high"].as_f64().unwrap()
    );
    assert!(v["exact"]["failures_per_year"].as_f64().unwrap() > 0.0);
    // Each measure under solve's key, with its exact value and whether the interval holds it.
    for key in [
        "availability",
        "unavailability",
        "downtime_hours",
        "failures",
    ] {
        let m = &v[key];
        assert!(m["exact"].as_f64().is_some(), "{key}: {m}");
        assert!(m["within"].is_boolean(), "{key}: {m}");
        assert!(m["low"].as_f64().unwrap() <= m["estimate"].as_f64().unwrap());
    }
    assert_eq!(v["truncated"], false);
    hacalc()
        .args(["simulate", &example("cloud-slas.yaml")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("only a static availability"));
    hacalc()
        .args(["simulate", &example("web-service.yaml"), "--horizon", "0s"])
        .assert()
        .code(2);
}

/// `hacalc cuts`: single points of failure first; JSON lists every single point of failure
/// however few rows `--top` keeps; `--max-order 0` is no bound; too many sets is a located
/// error that names the flags.
#[test]
fn cuts_command() {
    hacalc()
        .args(["cuts", &example("web-service.yaml")])
        .assert()
        .success()
        .stdout(predicate::str::contains("11 minimal cut sets of at most 3"))
        .stdout(predicate::str::contains("single point of failure"));
    let out = hacalc()
        .args([
            "cuts",
            &example("web-service.yaml"),
            "--format",
            "json",
            "--top",
            "1",
            "--max-order",
            "0",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let j: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!(j["max_order"].is_null());
    assert_eq!(j["count"], 11);
    assert_eq!(j["cut_sets"].as_array().unwrap().len(), 1);
    assert_eq!(
        j["single_points_of_failure"],
        serde_json::json!(["dns", "lb"])
    );
    // dns: U = 15m / (1y + 15m).
    let p = j["cut_sets"][0]["probability"].as_f64().unwrap();
    let want = 0.25 / (8760.0 + 0.25);
    assert!(((p - want) / want).abs() < 1e-12, "{p}");
    hacalc()
        .args([
            "cuts",
            &example("dc-mesh.yaml"),
            "--max-order",
            "0",
            "--max-cut-sets",
            "100",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("dc-mesh.yaml:"))
        .stderr(predicate::str::contains("--max-cut-sets"));
    hacalc()
        .args(["cuts", &example("dc-network.yaml"), "--format", "markdown"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "## Minimal cut sets of dc-network",
        ))
        .stdout(predicate::str::contains(
            "isp-a (office–dc-east) + isp-b (office–dc-west)",
        ));
}

/// A named pipe nobody reads would block the report forever: it is refused at once; with a
/// reader the report goes through it.
#[cfg(unix)]
#[test]
fn report_to_a_pipe_without_a_reader_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("r.html");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    hacalc()
        .args(["report", &example("web-service.yaml"), "-o"])
        .arg(&fifo)
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no process is reading"));
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    std::thread::sleep(std::time::Duration::from_millis(200));
    hacalc()
        .args(["report", &example("web-service.yaml"), "-o"])
        .arg(&fifo)
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .success();
    assert!(
        String::from_utf8(reader.join().unwrap())
            .unwrap()
            .contains("<html")
    );
}
