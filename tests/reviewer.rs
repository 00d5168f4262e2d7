//! What a reviewer sees (issue 15): values written as a person wrote them, wording that reads
//! right, tables without trailing blanks, charts whose text does not overlap, and the
//! command-line conventions (--quiet, --color, validate --format, man page, help format).
mod common;
use common::examples;

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
            let j: serde_json::Value = serde_json::from_str(&text).unwrap();
            // A probability target as written has few digits (0.999999999 for
            // 99.9999999%); float noise (0.9998999999999999) has sixteen.
            for t in j["targets"].as_array().into_iter().flatten() {
                if t["kind"] == "downtime" {
                    continue;
                }
                let shown = format!("{}", t["target"].as_f64().unwrap());
                let digits = shown.chars().filter(char::is_ascii_digit).count();
                assert!(digits <= 12, "{name}: a target not as written: {shown}");
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

/// The analysis `hacalc report` makes, and its HTML page.
fn report_html(name: &str) -> String {
    use hacalc::render::Exporter;
    let path = example(name);
    let a = hacalc::analyse_with(
        &format!("examples/{name}"),
        &std::fs::read_to_string(&path).unwrap(),
        &hacalc::Options::default(),
        &hacalc::Request::report(),
    )
    .unwrap();
    hacalc::render::html::Html {
        stamp: Default::default(),
    }
    .render(&a)
    .unwrap()
}

/// Every `<svg ...>...</svg>` in a page whose opening tag contains `class`.
fn svgs_with<'a>(html: &'a str, class: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").unwrap() + start + "</svg>".len();
        let open_end = rest[start..].find('>').unwrap() + start;
        if rest[start..open_end].contains(class) {
            out.push(&rest[start..end]);
        }
        rest = &rest[end..];
    }
    out
}

/// The boxes of every text of an SVG, by the renderer's own text metrics; a text turned by
/// `rotate(-90 x y)` covers the box turned about its anchor.
fn text_boxes(svg: &str) -> Vec<(String, [f64; 4])> {
    use hacalc::render::plot::axis::{Anchor, text_box};
    let doc = roxmltree::Document::parse(svg).unwrap();
    let mut out = Vec::new();
    for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let num = |k: &str| t.attribute(k).unwrap().parse::<f64>().unwrap();
        let (x, y, size) = (num("x"), num("y"), num("font-size"));
        let anchor = match t.attribute("text-anchor").unwrap_or("start") {
            "middle" => Anchor::Middle,
            "end" => Anchor::End,
            _ => Anchor::Start,
        };
        let body: String = t.text().unwrap_or("").to_string();
        let b = text_box(&body, size, x, y, anchor);
        let b = if t
            .attribute("transform")
            .is_some_and(|r| r.starts_with("rotate(-90"))
        {
            // Turned a quarter left about (x, y): x' = x + (v - y), y' = y - (u - x).
            [
                x + (b[1] - y),
                y - (b[2] - x),
                x + (b[3] - y),
                y - (b[0] - x),
            ]
        } else {
            b
        };
        out.push((body, b));
    }
    out
}

#[test]
fn chart_text_never_overlaps() {
    for name in examples() {
        let html = report_html(&name);
        let charts = svgs_with(&html, "class=\"chart\"");
        assert!(charts.len() >= 2, "{name}: {} charts", charts.len());
        for svg in charts {
            let width: f64 = roxmltree::Document::parse(svg)
                .unwrap()
                .root_element()
                .attribute("width")
                .unwrap()
                .parse()
                .unwrap();
            let boxes = text_boxes(svg);
            assert!(
                boxes
                    .iter()
                    .any(|(t, _)| t.contains("downtime") || t.contains("time"))
            );
            for (i, (a, p)) in boxes.iter().enumerate() {
                assert!(
                    p[0] >= 0.0 && p[2] <= width,
                    "{name}: `{a}` leaves the chart {p:?}"
                );
                for (b, q) in &boxes[i + 1..] {
                    // Ticks on one axis never repeat a label (3h15m, 3h15m, ...).
                    assert!(!(a == b && p[1] == q[1]), "{name}: tick `{a}` twice");
                    let apart = p[2] <= q[0] || q[2] <= p[0] || p[3] <= q[1] || q[3] <= p[1];
                    assert!(apart, "{name}: `{a}` {p:?} overlaps `{b}` {q:?}");
                }
            }
        }
    }
}

#[test]
fn charts_carry_no_invisible_lines_and_tick_time_at_round_durations() {
    let html = report_html("web-service.yaml");
    assert!(!html.contains("#FFFFFF\" stroke-width"), "white mesh lines");
    for svg in svgs_with(&html, "class=\"chart\"") {
        assert!(svg.matches("<line").count() < 40, "{svg}");
    }
    // The time axes read 1h, 1d, 7d, 30d, 1y, never 4d4h or 1y52d.
    let texts: Vec<String> = svgs_with(&html, "class=\"chart\"")
        .iter()
        .flat_map(|s| text_boxes(s).into_iter().map(|(t, _)| t))
        .collect();
    for t in ["1h", "1d", "30d", "1y"] {
        assert!(texts.iter().any(|x| x == t), "no tick {t}: {texts:?}");
    }
    for t in ["4d4h", "41d16h", "1y52d"] {
        assert!(!texts.iter().any(|x| x == t), "tick {t}");
    }
    assert!(
        html.len() < 60_000,
        "web-service.html is {} bytes",
        html.len()
    );
}

/// `validate` output for a model text (stderr), exit code 2.
fn invalid(text: &str) -> String {
    let f = model(text);
    let out = hacalc()
        .args(["validate", f.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn hints_name_the_cause_once() {
    // A transition's `rate: 1h` is meant as `after: 1h`.
    let e = invalid(
        "system:\n  markov:\n    states: [up, down]\n    up: [up]\n    transitions:\n      - { from: up, to: down, rate: 1h }\n      - { from: down, to: up, after: 1h }\n",
    );
    assert!(
        e.contains(":6:37: error:") && e.contains("`after: 1h`"),
        "{e}"
    );
    assert!(!e.contains("1h/h"), "{e}");
    // Parameters not indented under their component: one error, at the component.
    let e = invalid("components:\n  web:\n  mtbf: 30d\n  mttr: 1h\nsystem: web\n");
    assert!(
        e.contains(":2:3: error: component `web` has no parameters"),
        "{e}"
    );
    assert!(e.contains("indent"), "{e}");
    assert!(e.contains("1 error"), "{e}");
    assert!(!e.contains("unknown component"), "{e}");
    // `component:` for `components:`: said once, not echoed at every use.
    let e = invalid("component:\n  web: { mtbf: 30d, mttr: 1h }\nsystem: web\n");
    assert!(e.contains(":1:1: error: unknown key `component`"), "{e}");
    assert!(e.contains("did you mean `components`?"), "{e}");
    assert!(!e.contains("unknown component or block"), "{e}");
    // Units written out.
    let e = invalid(
        "components:\n  web: { mtbf: 1 year, mttr: 2 hours }\n  db: { mtbf: 30days, mttr: 1h }\nsystem: { series: [web, db] }\n",
    );
    for (at, short) in [(":2:16:", "1y"), (":2:30:", "2h"), (":3:15:", "30d")] {
        assert!(e.contains(at), "{e}");
        assert!(e.contains(&format!("did you mean `{short}`?")), "{e}");
    }
    // An empty file gets a skeleton to start from, and the skeleton is a valid model.
    let e = invalid("");
    assert!(e.contains(":1:1: error: the file is empty"), "{e}");
    let skeleton: String = hacalc::parse::yaml::EMPTY_FILE_HINT
        .lines()
        .filter_map(|l| l.strip_prefix("    "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(
        e.contains("components:") && skeleton.contains("system:"),
        "{e}"
    );
    let f = model(&skeleton);
    hacalc()
        .args(["validate", f.path().to_str().unwrap()])
        .assert()
        .success();
}

#[test]
fn report_output_help_says_what_the_default_is() {
    hacalc()
        .args(["report", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("the model file's path"))
        .stdout(predicate::str::contains("the model's name with").not());
}

const WARNS: &str =
    "components:\n  a: { mtbf: 1y, mttr: 1h }\n  unused: { mtbf: 1y, mttr: 1h }\nsystem: a\n";

#[test]
fn quiet_leaves_out_warnings_and_valid_lines() {
    let f = model(WARNS);
    let path = f.path().to_str().unwrap();
    // Without --quiet: the warning and the "valid" line.
    hacalc()
        .args(["validate", path])
        .assert()
        .success()
        .stdout(predicate::str::contains("valid, with 1 warning"));
    for args in [
        vec!["validate", "-q", path],
        vec!["-q", "validate", path],
        vec!["validate", "--quiet", path],
    ] {
        hacalc()
            .args(&args)
            .assert()
            .success()
            .stdout("")
            .stderr("");
    }
    hacalc()
        .args(["solve", "-q", path])
        .assert()
        .success()
        .stderr("")
        .stdout(predicate::str::contains("availability"));
    for cmd in ["check", "cuts", "simulate", "report"] {
        let mut args = vec![cmd, "-q", path];
        if cmd == "check" {
            args.extend(["--target", "90%"]);
        }
        if cmd == "report" {
            args.extend(["-o", "-"]);
        }
        if cmd == "simulate" {
            args.extend(["--horizon", "10y"]);
        }
        hacalc().args(&args).assert().success().stderr("");
    }
    // Errors are still printed.
    let bad = model("system: nothing\n");
    hacalc()
        .args(["validate", "-q", bad.path().to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown component or block"));
}

#[test]
fn color_always_never_and_auto() {
    let web = example("web-service.yaml");
    let colored = |args: &[&str]| {
        let out = Command::cargo_bin("hacalc")
            .unwrap()
            .env_remove("NO_COLOR")
            .args(args)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap().contains('\u{1b}')
    };
    assert!(colored(&["check", &web, "--color", "always"]));
    assert!(colored(&["--color=always", "check", &web]));
    assert!(!colored(&["check", &web, "--color", "never"]));
    // auto: not a terminal here.
    assert!(!colored(&["check", &web]));
    // clap's own usage errors follow it too.
    let usage = Command::cargo_bin("hacalc")
        .unwrap()
        .env_remove("NO_COLOR")
        .args(["--color", "always", "solve"])
        .output()
        .unwrap();
    assert_eq!(usage.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&usage.stderr).contains('\u{1b}'));
    hacalc()
        .args(["check", &web, "--color", "sometimes"])
        .assert()
        .code(2);
}

#[test]
fn validate_speaks_json_and_github() {
    let bad = model("components:\n  web: { mtbf: 1 year, mttr: 1h }\nsystem: web\n");
    let path = bad.path().to_str().unwrap();
    let out = hacalc()
        .args(["validate", path, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["valid"], false);
    assert_eq!(j["errors"], 1);
    assert_eq!(j["problems"][0]["line"], 2);
    assert_eq!(j["problems"][0]["column"], 16);
    assert_eq!(j["problems"][0]["hint"], "did you mean `1y`?");
    let out = hacalc()
        .args(["validate", path, "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(&format!(
            "::error file={path},line=2,col=16,title=hacalc::mtbf: unknown time unit"
        )),
        "{text}"
    );
    assert!(text.contains("%0Ahint: did you mean `1y`?"), "{text}");
    // Valid: exit 0, warnings as annotations.
    let f = model(WARNS);
    let path = f.path().to_str().unwrap();
    hacalc()
        .args(["validate", path, "--format", "github"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(format!(
            "::warning file={path},line=3,col=3"
        )));
    let out = hacalc()
        .args(["validate", path, "-f", "json"])
        .output()
        .unwrap();
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["valid"], true);
    assert_eq!(j["warnings"], 1);
    // --deny-warnings turns them into errors, exit 2.
    hacalc()
        .args(["validate", path, "-f", "github", "--deny-warnings"])
        .assert()
        .code(2)
        .stdout(predicate::str::starts_with("::error "));
}

/// `man/hacalc.1` is what `hacalc man` prints: regenerate it with
/// `cargo run -q -- man > man/hacalc.1` when a help text changes.
#[test]
fn man_page_is_generated_and_committed_fresh() {
    let out = hacalc().arg("man").output().unwrap();
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH hacalc 1"), "{page}");
    for section in [
        "HACALC SOLVE",
        "HACALC CHECK",
        "HACALC VALIDATE",
        "\\-\\-quiet",
    ] {
        assert!(page.contains(section), "no {section}");
    }
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/man/hacalc.1")).unwrap();
    assert!(
        committed == page,
        "man/hacalc.1 is stale: run `cargo run -q -- man > man/hacalc.1`"
    );
}

#[test]
fn help_format_prints_the_format_reference_offline() {
    let reference =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/format.md")).unwrap();
    hacalc()
        .args(["help", "format"])
        .assert()
        .success()
        .stdout(reference);
    hacalc()
        .args(["help", "validate"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--format"));
    hacalc()
        .arg("help")
        .assert()
        .success()
        .stdout(predicate::str::contains("hacalc help format"));
    hacalc()
        .args(["help", "formats"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("format, solve"));
}

/// Points along an arrow of a state diagram (`<line>` or `<path d="M.. Q.. ..">`), ends left out.
fn arrow_points(node: roxmltree::Node) -> Vec<(f64, f64)> {
    let f = |k: &str| node.attribute(k).unwrap().parse::<f64>().unwrap();
    let (p0, c, p2) = if node.has_tag_name("line") {
        let (a, b) = ((f("x1"), f("y1")), (f("x2"), f("y2")));
        (a, ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0), b)
    } else {
        let d = node.attribute("d").unwrap().replace(['M', 'Q'], " ");
        let v: Vec<f64> = d
            .split([' ', ','])
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().unwrap())
            .collect();
        ((v[0], v[1]), (v[2], v[3]), (v[4], v[5]))
    };
    (2..19)
        .map(|s| {
            let u = s as f64 / 20.0;
            let w = |a: f64, b: f64, c: f64| {
                (1.0 - u) * (1.0 - u) * a + 2.0 * u * (1.0 - u) * b + u * u * c
            };
            (w(p0.0, c.0, p2.0), w(p0.1, c.1, p2.1))
        })
        .collect()
}

#[test]
fn state_diagrams_route_arrows_around_boxes_and_read_plainly() {
    let mut seen = 0;
    for name in examples() {
        let html = report_html(&name);
        for svg in svgs_with(&html, "class=\"states\"") {
            seen += 1;
            let doc = roxmltree::Document::parse(svg).unwrap();
            let boxes: Vec<[f64; 4]> = doc
                .descendants()
                .filter(|n| n.has_tag_name("rect") && n.attribute("rx").is_some())
                .map(|n| {
                    let f = |k: &str| n.attribute(k).unwrap().parse::<f64>().unwrap();
                    [f("x"), f("y"), f("x") + f("width"), f("y") + f("height")]
                })
                .collect();
            assert!(!boxes.is_empty());
            for arrow in doc
                .descendants()
                .filter(|n| n.attribute("marker-end").is_some())
            {
                for (x, y) in arrow_points(arrow) {
                    for b in &boxes {
                        assert!(
                            !(x > b[0] && x < b[2] && y > b[1] && y < b[3]),
                            "{name}: an arrow runs under a state box at ({x:.0}, {y:.0})"
                        );
                    }
                }
            }
            let texts: Vec<&str> = doc
                .descendants()
                .filter(|n| n.has_tag_name("text"))
                .filter_map(|n| n.text())
                .collect();
            for t in &texts {
                // No 9.917008e-1, no 1/3y105d.
                assert!(!t.contains("e-1") && !t.contains("e-2"), "{name}: {t}");
                if let Some(rate) = t.strip_prefix("1/") {
                    let units = rate.chars().filter(|c| c.is_ascii_alphabetic()).count();
                    assert_eq!(units, 1, "{name}: rate {t} is not rounded");
                }
            }
        }
    }
    assert!(seen >= 4, "{seen} state diagrams");
    let html = report_html("mysql-replica.yaml");
    assert!(
        html.contains(">1/20m<"),
        "the manual switchover's rate is shown"
    );
    assert!(
        html.contains("up · 99.17%"),
        "the state probabilities are percentages"
    );
}

#[test]
fn mermaid_expands_named_blocks_and_shows_redundancy() {
    let md = stdout(&[
        "report",
        &example("web-service.yaml"),
        "--format",
        "markdown",
    ]);
    let chart = md
        .split("```mermaid")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    for caption in ["▣ frontend", "▣ backend", "▣ database"] {
        assert!(
            chart
                .lines()
                .any(|l| l.trim_start().starts_with("subgraph") && l.contains(caption)),
            "{caption} is not a subgraph:\n{chart}"
        );
    }
    assert!(chart.contains("\"2 of 3 · "), "{chart}");
    assert!(chart.contains("\"2 of 4 · "), "{chart}");
    assert!(chart.contains("\"parallel · "), "{chart}");
    assert_eq!(chart.matches("\"web · ").count(), 3, "{chart}");
    assert!(!chart.contains("[[\"▣ frontend"), "{chart}");
    assert_eq!(
        chart.matches("subgraph").count(),
        chart.matches("\n  end").count()
    );
    // A large model stays a readable size: deeper named blocks become boxes.
    let md = stdout(&[
        "report",
        &example("large-platform.yaml"),
        "--format",
        "markdown",
    ]);
    let chart = md
        .split("```mermaid")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let boxes = chart
        .lines()
        .filter(|l| l.contains("[\"") || l.contains("(("))
        .count();
    assert!(boxes <= 130, "{boxes} boxes");
}

#[test]
fn block_diagrams_name_their_copies_and_draw_a_lone_markov_block_inline() {
    let f = model(
        "components:\n  web: { mtbf: 30d, mttr: 1h }\n  db: { mtbf: 90d, mttr: 4h }\n\
         blocks:\n  data:\n    standby: { of: db, n: 2, mode: hot }\n  front:\n    k_of_n: { k: 2, n: 3, of: web }\n\
         system:\n  series: [front, data]\n",
    );
    let out = hacalc()
        .args([
            "report",
            f.path().to_str().unwrap(),
            "-o",
            "-",
            "--reproducible",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let html = String::from_utf8(out.stdout).unwrap();
    // `data` is one Markov block: a box in the system's diagram, no section of its own.
    assert!(
        !html.contains("Block <code>data</code>"),
        "a lone-box section for `data`"
    );
    assert!(html.contains("Block <code>front</code>"));
    let diagrams = svgs_with(&html, "class=\"diagram\"");
    assert!(diagrams[0].contains(">data<") && diagrams[0].contains("Markov · "));
    // dc-network's `east: { series: [east-core] }` is one box too.
    let dc = report_html("dc-network.yaml");
    assert!(
        !dc.contains("Block <code>east</code>"),
        "a lone-box section for `east`"
    );
    // The copies' caption says of what.
    assert!(
        html.contains("2 of 3 × web · "),
        "copies caption without its name"
    );
    assert!(!html.contains("× · "), "a caption with nothing after ×");
}
