//! Reports: self-contained HTML (no fetched resource, every SVG well-formed XML), Markdown
//! snapshots, escaping of hostile names in all three formats, the CLI's file handling, and
//! the sensitivity figures against re-solved models.
mod common;
use common::examples;

use assert_cmd::Command;
use hacalc::render::Exporter;
use hacalc::render::report::Stamp;
use predicates::prelude::*;
use std::path::Path;

fn example(name: &str) -> hacalc::Analysis {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    for_report(
        &format!("examples/{name}"),
        &std::fs::read_to_string(&path).unwrap(),
    )
}

/// The analysis `hacalc report` makes: curves and tornado included.
fn for_report(file: &str, source: &str) -> hacalc::Analysis {
    hacalc::analyse_with(
        file,
        source,
        &hacalc::Options::default(),
        &hacalc::Request::report(),
    )
    .unwrap()
}

fn html(a: &hacalc::Analysis, generated: Option<&str>) -> String {
    hacalc::render::html::Html {
        stamp: Stamp {
            generated: generated.map(String::from),
        },
    }
    .render(a)
    .unwrap()
}

fn svg(a: &hacalc::Analysis) -> String {
    hacalc::render::svg::Svg.render(a).unwrap()
}

fn markdown(a: &hacalc::Analysis) -> String {
    hacalc::render::pr_comment::PrComment {
        stamp: Stamp::default(),
    }
    .render(a)
    .unwrap()
}

/// Every `<svg ...>...</svg>` in a page.
fn svgs(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").expect("closed svg") + start + "</svg>".len();
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

fn parse_svg(svg: &str) {
    roxmltree::Document::parse(svg)
        .unwrap_or_else(|e| panic!("SVG does not parse: {e}\n{}", &svg[..svg.len().min(400)]));
}

#[test]
fn html_is_self_contained_and_every_svg_parses() {
    for name in examples() {
        let a = example(&name);
        let html = html(&a, None);
        assert!(html.starts_with("<!DOCTYPE html>"));
        for bad in [
            "http://", "https://", "<script", "<link", "@import", "url(http", "src=\"",
        ] {
            assert!(!html.contains(bad), "{name}: the report contains {bad:?}");
        }
        let pieces = svgs(&html);
        assert!(
            pieces.len() >= 3,
            "{name}: expected diagrams and charts, found {} SVGs",
            pieces.len()
        );
        pieces.iter().for_each(|s| parse_svg(s));
        parse_svg(&svg(&a));
        for section in [
            "Headline figures",
            "Block diagram",
            "Where the downtime comes from",
            "Sensitivity",
            "Parameters",
            "Appendix: the model",
        ] {
            assert!(html.contains(section), "{name}: no {section}");
        }
        if !a.structure.chains.is_empty() {
            assert!(
                html.contains("Markov blocks") && html.contains("residual"),
                "{name}"
            );
        }
    }
}

/// The page's outline (headings and figure count) and the Markdown, pinned per example.
#[test]
fn snapshots() {
    for name in examples() {
        let a = example(&name);
        let html = html(&a, None);
        let outline: Vec<String> = html
            .lines()
            .filter(|l| {
                l.contains("<h1")
                    || l.contains("<h2")
                    || l.contains("<h3")
                    || l.contains("class=\"verdict")
            })
            .map(|l| l.trim().to_string())
            .collect();
        let outline = format!(
            "{}\nsvg elements: {}\n",
            outline.join("\n"),
            svgs(&html).len()
        );
        insta::assert_snapshot!(format!("outline-{name}"), outline);
        insta::assert_snapshot!(format!("figures-{name}"), figures(&html));
        insta::assert_snapshot!(format!("markdown-{name}"), markdown(&a));
    }
}

/// The text a reader sees on the page, up to the model appendix: every figure of the
/// headline, the tables and the notes (a wrong number under the right heading changes it).
/// Drawings, styles and the version are left out.
fn figures(html: &str) -> String {
    let body = html.split("Appendix: the model").next().unwrap_or(html);
    let body = without_elements(
        &without_elements(body, "<svg", "</svg>"),
        "<style",
        "</style>",
    );
    let mut out = String::new();
    let mut in_tag = false;
    for ch in body.chars() {
        match ch {
            '<' => {
                in_tag = true;
                out.push('\n');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
        .replace(env!("CARGO_PKG_VERSION"), "<version>")
}

/// `text` without the elements from `open` to `close` (inclusive).
fn without_elements(text: &str, open: &str, close: &str) -> String {
    let mut kept = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(open) {
        kept.push_str(&rest[..start]);
        let end = rest[start..]
            .find(close)
            .map_or(rest.len(), |e| start + e + close.len());
        rest = &rest[end..];
    }
    kept.push_str(rest);
    kept
}

const HOSTILE: &str = r#"
name: "<b>bold</b> & co"
components:
  "<script>alert(1)</script>": { mtbf: 30d, mttr: 2h, description: "<img src=x onerror=alert(2)>" }
  "\" onload=\"x": { mtbf: 60d, mttr: 1h }
  "a|b*c_[d](e)": { mtbf: 90d, mttr: 3h }
blocks:
  "<i>group</i>":
    parallel: ["<script>alert(1)</script>", "<script>alert(1)</script>"]
system:
  series: ["<i>group</i>", "\" onload=\"x", "a|b*c_[d](e)"]
"#;

#[test]
fn hostile_names_come_out_as_text() {
    let a = for_report("hostile.yaml", HOSTILE);
    let html = html(&a, None);
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(!html.contains("<img src=x"));
    assert!(!html.contains("<b>bold</b>"));
    assert!(!html.contains("\" onload=\"x"));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
            || html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
    );
    for s in svgs(&html) {
        parse_svg(s);
    }
    // The standalone SVG parses and carries the names as text.
    let svg = svg(&a);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
    assert!(
        texts.iter().any(|t| t.contains("\" onload=\"x")),
        "{texts:?}"
    );
    assert!(!svg.contains("<i>group</i>"));
    // Markdown: no raw markup, no broken table cells, no Mermaid label escape.
    let md = markdown(&a);
    assert!(
        !md.contains("<script>") && !md.contains("<i>") && !md.contains("<b>"),
        "{md}"
    );
    assert!(md.contains("a\\|b\\*c\\_\\[d\\](e)"), "{md}");
    let mermaid = &md[md.find("```mermaid").unwrap()..];
    let mermaid = &mermaid[..mermaid[3..].find("```").unwrap() + 3];
    assert!(
        !mermaid.contains("<script") && !mermaid.contains("\" onload"),
        "{mermaid}"
    );
}

#[test]
fn footer_has_version_and_hash_and_time_only_when_asked() {
    let a = example("web-service.yaml");
    let plain = html(&a, None);
    assert!(plain.contains(env!("CARGO_PKG_VERSION")));
    assert!(plain.contains("SHA-256"));
    assert!(!plain.contains("generated 20"));
    let stamped = html(&a, Some("generated 2026-01-01T00:00:00Z"));
    assert!(stamped.contains("generated 2026-01-01T00:00:00Z"));
    // Two reproducible renderings are identical.
    assert_eq!(plain, html(&a, None));
}

#[test]
fn tornado_matches_re_solved_models() {
    let model = |mtbf: &str, mttr: &str| {
        format!(
            "components:\n  a: {{ mtbf: {mtbf}, mttr: {mttr} }}\n  b: {{ mtbf: 200h, mttr: 3h }}\nsystem:\n  series:\n    - a\n    - k_of_n: {{ k: 2, n: 3, of: b, crews: 1 }}\n"
        )
    };
    let a = hacalc::analyse("t.yaml", &model("100h", "2h")).unwrap();
    let t = hacalc::solve::sensitivity::tornado(
        &a.model,
        &a.structure,
        &a.solution,
        &Default::default(),
        5,
    );
    let h = a.solution.horizon_hours;
    let down = |mtbf: &str, mttr: &str| {
        hacalc::analyse("t.yaml", &model(mtbf, mttr))
            .unwrap()
            .solution
            .system
            .unavailability()
            * h
    };
    let ra = t.iter().find(|s| s.name == "a").unwrap();
    let rel = |x: f64, y: f64| ((x - y) / y).abs();
    assert!(rel(ra.mtbf_halved, down("50h", "2h")) < 1e-9);
    assert!(rel(ra.mtbf_doubled, down("200h", "2h")) < 1e-9);
    assert!(rel(ra.mttr_halved, down("100h", "1h")) < 1e-9);
    assert!(rel(ra.mttr_doubled, down("100h", "4h")) < 1e-9);
    // b acts through a Markov block (shared repair): re-solved with the changed rates.
    let mb = |mtbf: &str, mttr: &str| {
        let y = format!(
            "components:\n  a: {{ mtbf: 100h, mttr: 2h }}\n  b: {{ mtbf: {mtbf}, mttr: {mttr} }}\nsystem:\n  series:\n    - a\n    - k_of_n: {{ k: 2, n: 3, of: b, crews: 1 }}\n"
        );
        hacalc::analyse("t.yaml", &y)
            .unwrap()
            .solution
            .system
            .unavailability()
            * h
    };
    let rb = t.iter().find(|s| s.name == "b").unwrap();
    assert!(rel(rb.mttr_doubled, mb("200h", "6h")) < 1e-9);
    assert!(rel(rb.mtbf_halved, mb("100h", "3h")) < 1e-9);
}

fn hacalc() -> Command {
    let mut c = Command::cargo_bin("hacalc").unwrap();
    c.env("NO_COLOR", "1").env_remove("SOURCE_DATE_EPOCH");
    c
}

#[test]
fn cli_writes_beside_the_model_and_nothing_on_failure() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("arch.yaml");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/web-service.yaml"),
        &model,
    )
    .unwrap();
    hacalc()
        .args(["report", model.to_str().unwrap()])
        .assert()
        .success();
    let html = std::fs::read_to_string(dir.path().join("arch.html")).unwrap();
    assert!(
        html.contains("generated 20"),
        "a timestamp unless asked not to"
    );
    hacalc()
        .args(["report", model.to_str().unwrap(), "--format", "svg"])
        .assert()
        .success();
    assert!(dir.path().join("arch.svg").exists());
    // Markdown and `-o -` go to standard output.
    hacalc()
        .args(["report", model.to_str().unwrap(), "--format", "markdown"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "## Availability of web-service",
        ));
    hacalc()
        .args([
            "report",
            model.to_str().unwrap(),
            "-o",
            "-",
            "--reproducible",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("<!DOCTYPE html>"))
        .stdout(predicate::str::contains("generated 20").not());
    hacalc()
        .env("SOURCE_DATE_EPOCH", "0")
        .args(["report", model.to_str().unwrap(), "-o", "-"])
        .assert()
        .stdout(predicate::str::contains("generated 20").not());
    // Bad input: exit 2, no file at all (not even an empty one), no temporary left over.
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "components:\n  a: { mtbf: 10 }\nsystem: a\n").unwrap();
    hacalc()
        .args(["report", bad.to_str().unwrap()])
        .assert()
        .code(2);
    assert!(!dir.path().join("bad.html").exists());
    // An unwritable destination: exit 2, nothing left behind.
    let target = dir.path().join("no-such-dir").join("r.html");
    hacalc()
        .args([
            "report",
            model.to_str().unwrap(),
            "-o",
            target.to_str().unwrap(),
        ])
        .assert()
        .code(2);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        leftovers
            .iter()
            .all(|n| !n.to_string_lossy().contains(".tmp")),
        "{leftovers:?}"
    );
}

/// Block diagrams fit the page: no drawing wider than the report's column (a long series
/// wraps onto rows), and a block of thousands of parts draws a dozen boxes and says how many
/// more, each at least as available as the best drawn.
#[test]
fn large_blocks_are_summarised_and_long_rows_wrap() {
    for name in examples() {
        let page = html(&example(&name), None);
        for s in svgs(&page)
            .iter()
            .filter(|s| s.contains("class=\"diagram\""))
        {
            let width: f64 = s
                .split("width=\"")
                .nth(1)
                .and_then(|w| w.split('"').next())
                .and_then(|w| w.parse().ok())
                .unwrap();
            assert!(width <= 1000.0, "{name}: a diagram {width} px wide");
        }
    }
    let mut yaml = String::from("components:\n");
    for i in 0..2000 {
        yaml.push_str(&format!("  c{i}: {{ mtbf: {}h, mttr: 1h }}\n", 1000 + i));
    }
    yaml.push_str("system:\n  k_of_n:\n    k: 1990\n    of: [");
    yaml.push_str(
        &(0..2000)
            .map(|i| format!("c{i}"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    yaml.push_str("]\n");
    let a = for_report("wide.yaml", &yaml);
    let page = html(&a, None);
    let diagram = svgs(&page)
        .into_iter()
        .find(|s| s.contains("class=\"diagram\""))
        .unwrap();
    assert_eq!(
        diagram.matches("<rect").count(),
        12,
        "11 parts and one summary box"
    );
    // The least available are drawn: c0..c10 (mtbf 1000h..1010h).
    for i in 0..11 {
        assert!(diagram.contains(&format!(">c{i}<")), "c{i} not drawn");
    }
    assert!(!diagram.contains(">c11<"));
    let bound = hacalc::units::percent(1010.0 / 1011.0, 1.0 / 1011.0);
    assert!(
        diagram.contains("… 1989 more") && diagram.contains(&format!("each ≥ {bound}")),
        "{bound}"
    );
    // The Mermaid chart of the pull-request comment likewise (GitHub takes 65,536 characters).
    let md = markdown(&a);
    assert!(md.len() < 20_000, "{} bytes", md.len());
    assert!(md.contains(&format!("… 1989 more, each ≥ {bound}")));
    assert!(md.contains("[\"c10 ") && !md.contains("[\"c11 "), "{md}");
}
