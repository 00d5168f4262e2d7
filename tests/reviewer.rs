//! What a reviewer sees (issue 15): values written as a person wrote them, wording that reads
//! right, tables without trailing blanks, charts whose text does not overlap, and the
//! command-line conventions (--quiet, --color, validate --format, man page, help format).

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

fn examples() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let n = e.unwrap().file_name().to_string_lossy().into_owned();
            n.ends_with(".yaml").then_some(n)
        })
        .collect();
    v.sort();
    v
}

/// Writes `text` to a temporary model file and returns it (kept alive by the caller).
fn model(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

fn stdout(args: &[&str]) -> String {
    let out = hacalc().args(args).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn json_gives_targets_as_written_and_no_negative_zero() {
    let text = stdout(&["solve", &example("quorum-lock.yaml"), "--format", "json"]);
    let j: serde_json::Value = serde_json::from_str(&text).unwrap();
    // The model says 99.999%: the JSON says 0.99999, not 0.9999899999999999.
    assert!(text.contains("\"target\": 0.99999,"), "{text}");
    assert_eq!(j["targets"][0]["target"].as_f64(), Some(0.99999));
    for name in examples() {
        for args in [
            vec!["solve", "--format", "json"],
            vec!["check", "--format", "json"],
            vec!["cuts", "--format", "json"],
        ] {
            let mut args = args.clone();
            let path = example(&name);
            args.insert(1, &path);
            let text = stdout(&args);
            if text.is_empty() {
                continue; // `check` of a model without targets
            }
            assert!(
                !text.contains("-0.0,") && !text.contains("-0.0\n"),
                "{name} {args:?}"
            );
            for line in text.lines().filter(|l| l.contains("\"target\":")) {
                assert!(
                    !line.contains("9999999") && !line.contains("0000000"),
                    "{name}: a target not as written: {line}"
                );
            }
            let j: serde_json::Value = serde_json::from_str(&text).unwrap();
            for list in ["components", "blocks"] {
                for c in j[list].as_array().into_iter().flatten() {
                    assert!(c["copies"].is_u64(), "{name}: copies {}", c["copies"]);
                }
            }
        }
    }
}

#[test]
fn terminal_tables_have_no_trailing_spaces() {
    for name in examples() {
        let path = example(&name);
        for args in [
            vec!["solve", path.as_str()],
            vec![
                "solve",
                path.as_str(),
                "--at",
                "1d,1y",
                "--importance",
                "all",
            ],
            vec!["cuts", path.as_str()],
            vec!["check", path.as_str()],
        ] {
            let text = stdout(&args);
            for line in text.lines() {
                assert_eq!(line, line.trim_end(), "{name} {args:?}: trailing blanks");
            }
        }
    }
    let text = stdout(&["simulate", &example("web-service.yaml"), "--horizon", "50y"]);
    assert!(text.lines().all(|l| l == l.trim_end()), "{text}");
}

#[test]
fn check_wording_agrees_with_the_number_of_targets() {
    let web = example("web-service.yaml");
    hacalc()
        .args(["check", &web])
        .assert()
        .success()
        .stdout(predicate::str::ends_with("web-service: both targets met\n"));
    let one = model(
        "targets: { availability: 99.9% }\ncomponents:\n  a: { mtbf: 1y, mttr: 1h }\nsystem: a\n",
    );
    let path = one.path().to_str().unwrap();
    hacalc()
        .args(["check", path])
        .assert()
        .success()
        .stdout(predicate::str::contains(": the target met\n"))
        .stdout(predicate::str::contains("all 1 targets").not());
    hacalc()
        .args(["check", path, "--target", "99.99999%"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(": the target missed\n"))
        .stdout(predicate::str::contains("1 of 1").not());
}

#[test]
fn simulate_gives_estimates_to_the_precision_of_the_exact_value() {
    let text = stdout(&[
        "simulate",
        &example("large-platform.yaml"),
        "--horizon",
        "20y",
    ]);
    let row = text
        .lines()
        .find(|l| l.trim_start().starts_with("availability"))
        .unwrap();
    // Every percentage in the row has the same number of decimals.
    let decimals: Vec<usize> = row
        .split_whitespace()
        .filter(|w| w.contains('%'))
        .map(|w| {
            let w = w.trim_matches(|c: char| !c.is_ascii_digit() && c != '.');
            w.split_once('.').map_or(0, |(_, f)| f.len())
        })
        .collect();
    assert_eq!(decimals.len(), 4, "{row}");
    assert!(decimals.windows(2).all(|w| w[0] == w[1]), "{row}");
}
