//! The pipeline's shape, checked: layers point one way, renderers compute nothing, every
//! format shows every section it claims, and the command line's options reach every section.

use hacalc::analysis::{OverTime, Request, Section};
use hacalc::render::report::Stamp;
use hacalc::render::{self, Exporter};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The stages from the bottom up; a stage may use its own and lower ones only.
fn rank(module: &str) -> Option<usize> {
    Some(match module {
        "diagnostics" | "probability" | "limits" | "units" => 0,
        "parse" => 1,
        "model" => 2,
        "validate" => 3,
        "compile" => 4,
        "solve" => 5,
        "analysis" => 6,
        "render" => 7,
        _ => return None,
    })
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a source file: src/solve/ctmc/gth.rs is [solve, ctmc, gth].
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|c| c.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

fn identifier(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The top-level modules a line of code refers to through `crate::` or `super::` paths.
fn referenced(line: &str, here: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let code = line.split("//").next().unwrap_or("");
    for (i, _) in code.match_indices("crate::") {
        out.push(identifier(&code[i + 7..]).to_string());
    }
    let mut rest = code;
    while let Some(i) = rest.find("super::") {
        // Count the chain of `super::` and resolve it against this file's module path.
        let mut ups = 0;
        let mut tail = &rest[i..];
        while let Some(t) = tail.strip_prefix("super::") {
            ups += 1;
            tail = t;
        }
        let base = here.len().saturating_sub(ups);
        if base > 0 {
            out.push(here[0].clone());
        } else if let Some(group) = tail.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            out.extend(group.split(',').map(|x| identifier(x.trim()).to_string()));
        } else {
            out.push(identifier(tail).to_string());
        }
        rest = tail;
    }
    out.retain(|m| !m.is_empty() && m != "self");
    out
}

#[test]
fn layers_point_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut violations = Vec::new();
    let mut seen_stages = BTreeSet::new();
    for file in files {
        let path = module_path(&src, &file);
        let Some(stage) = path.first().and_then(|m| rank(m).map(|r| (m.clone(), r))) else {
            // lib.rs (the pipeline), main.rs and cli/ (the command line) sit on top.
            continue;
        };
        seen_stages.insert(stage.0.clone());
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for m in referenced(line, &path) {
                if let Some(r) = rank(&m)
                    && r > stage.1
                {
                    violations.push(format!(
                        "{}:{}: `{}` (stage {}) uses `{m}` (stage {r})",
                        file.display(),
                        n + 1,
                        stage.0,
                        stage.1
                    ));
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "imports from a higher stage:\n{}",
        violations.join("\n")
    );
    // The scan saw every stage (a renamed folder would make it vacuous).
    for s in [
        "parse", "model", "validate", "compile", "solve", "analysis", "render",
    ] {
        assert!(seen_stages.contains(s), "no files of stage {s}");
    }
}

#[test]
fn the_layer_scan_catches_an_upward_import() {
    let here = vec!["compile".to_string(), "chains".to_string()];
    assert_eq!(
        referenced("use crate::solve::ctmc::Ctmc;", &here),
        ["solve"]
    );
    assert_eq!(referenced("use super::super::model::X;", &here), ["model"]);
    assert_eq!(referenced("use super::ctmc::Ctmc;", &here), ["compile"]);
    let root = vec!["render".to_string()];
    assert_eq!(
        referenced("use super::{solve, units};", &root),
        ["solve", "units"]
    );
}

/// Renderers format an analysis: none calls a solver or builds a chain.
#[test]
fn renderers_compute_nothing() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/render");
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    let forbidden = [
        "steady_state(",
        "transient::transient(",
        "tornado(",
        "simulate(",
        ".build()",
        "Options::default",
        "SolverOptions",
        "analyse(",
        "evaluate(",
    ];
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for f in forbidden {
                assert!(
                    !code.contains(f),
                    "{}:{}: a renderer calls `{f}`",
                    file.display(),
                    n + 1
                );
            }
        }
    }
}

fn examples() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut v: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    // A model with a warning (an unused component) and a missed target, so that those
    // sections are exercised too.
    v.push((
        "warned.yaml".into(),
        "targets: { availability: 99.999% }\ncomponents:\n  a: { mtbf: 30d, mttr: 2h }\n  spare: { mtbf: 1y, mttr: 1h }\nblocks:\n  pair: { parallel: [a, a] }\nsystem: { series: [a, pair] }\n".into(),
    ));
    v
}

/// Where each section shows in each format: a piece of text that is there when the section
/// is rendered and not otherwise.
fn marker(format: &str, section: Section) -> Option<&'static str> {
    use Section::*;
    Some(match (format, section) {
        ("table", Headline) => "mean outage (MTTR)",
        ("table", Targets) => "target: ",
        ("table", Blocks) => "Named blocks, by share",
        ("table", Components) => "Components, by share",
        ("table", MarkovBlocks) => "Markov blocks (each solved",
        ("table", OverTime) => "Over time, everything up",
        ("markdown", Headline) => "| mean outage |",
        ("markdown", Targets) => "- **",
        ("markdown", Blocks) => "### Named blocks",
        ("markdown", Components) => "### Top contributors",
        ("markdown", MarkovBlocks) => "### Markov blocks",
        ("markdown", OverTime) => "### Over time",
        ("markdown", Warnings) => "### Warnings",
        ("json", Headline) => "\"mttr_hours\"",
        ("json", Targets) => "\"excess_downtime_hours\"",
        ("json", Blocks) => "\"blocks\": [\n",
        ("json", Components) => "\"components\": [\n",
        ("json", MarkovBlocks) => "\"markov_blocks\": [\n",
        ("json", OverTime) => "\"transient\": {",
        ("json", Warnings) => "\"warnings\": [\n",
        ("html", Headline) => "<h2>Headline figures</h2>",
        ("html", Targets) => "TARGET M",
        ("html", Blocks) => "▣",
        ("html", Components) => "<h2>Parameters</h2>",
        ("html", MarkovBlocks) => "<h2>Markov blocks</h2>",
        ("html", OverTime) => "<h2>Over time</h2>",
        ("html", Tornado) => "halved or doubled",
        ("html", Warnings) => "<h3>Warnings</h3>",
        ("html", CutSets) => "<h2>Single points of failure</h2>",
        ("pr-comment", Headline) => "| mean outage |",
        ("pr-comment", Targets) => "- **",
        ("pr-comment", Components) => "### Top contributors",
        ("pr-comment", Warnings) => "### Warnings",
        ("pr-comment", CutSets) => "### Cut sets",
        ("junit", Targets) => "<testcase",
        ("junit", Warnings) => "<system-err>",
        ("check", Targets) => "target",
        _ => return None,
    })
}

#[test]
fn every_format_shows_every_section_it_claims() {
    let exporters: Vec<(&str, Box<dyn Exporter>)> = vec![
        (
            "table",
            Box::new(render::table::Tables {
                top: 0,
                importance: true,
            }),
        ),
        ("markdown", Box::new(render::markdown::Markdown { top: 0 })),
        ("json", Box::new(render::json::Json { check: false })),
        (
            "html",
            Box::new(render::html::Html {
                stamp: Stamp::default(),
            }),
        ),
        (
            "pr-comment",
            Box::new(render::pr_comment::PrComment {
                stamp: Stamp::default(),
            }),
        ),
        ("svg", Box::new(render::svg::Svg)),
        ("junit", Box::new(render::junit::Junit)),
        ("check", Box::new(render::check_text::CheckText)),
    ];
    let request = Request {
        over_time: OverTime::At(vec![24.0, 8760.0]),
        tornado: 12,
        cut_sets: Some(2),
        ..Request::default()
    };
    let mut seen = BTreeSet::new();
    for (name, source) in examples() {
        let a = hacalc::analyse_with(&name, &source, &Default::default(), &request)
            .unwrap_or_else(|r| panic!("{name}: {}", r.to_plain()));
        let present = a.sections();
        for (format, e) in &exporters {
            let out = e.render(&a).unwrap();
            for &s in e.sections() {
                let m = marker(format, s)
                    .unwrap_or_else(|| panic!("{format} claims {s:?} but the test has no marker"));
                if present.contains(&s) {
                    seen.insert(format!("{format}/{s:?}"));
                    assert!(
                        out.contains(m),
                        "{name}: {format} claims {s:?} (`{m}`) but does not show it:\n{out}"
                    );
                }
            }
        }
    }
    // Every claim was exercised by at least one model.
    for (format, e) in &exporters {
        for s in e.sections() {
            assert!(
                seen.contains(&format!("{format}/{s:?}")),
                "no model exercised {format}/{s:?}"
            );
        }
    }
}

/// A standby block with the direct methods switched off goes to Gauss-Seidel, whose result
/// depends on its tolerance: each section of the report computed
/// with the options given equals the same computation done directly with them, and differs
/// from what the default options give.
#[test]
fn solver_options_reach_every_section() {
    let yaml = "components:\n  u: { mtbf: 20d, mttr: 30h }\nsystem:\n  standby: { of: u, n: 30, active: 25, crews: 2, coverage: 99%, manual_switchover: 10m }\n";
    let analyse = |tolerance: f64| {
        let mut o = hacalc::Options::default();
        o.solver.max_band_entries = 0;
        o.solver.dense_limit = 0;
        o.solver.tolerance = tolerance;
        (
            hacalc::analyse_with("s.yaml", yaml, &o, &Request::report()).unwrap(),
            o,
        )
    };
    let (loose, opts) = analyse(1e-7);
    let (tight, _) = analyse(1e-13);
    let method = loose.solution.chains[0].method;
    assert_eq!(method, hacalc::solve::ctmc::Method::GaussSeidel);
    assert!(loose.solution.chains[0].relative_residual > 1e-12);
    // Over time: the MTTF comes from a steady state of the renewal chain.
    let direct = hacalc::solve::transient::transient(
        &loose.model,
        &loose.structure,
        &loose.solution,
        &[1.0, 100.0],
        &opts.solver,
    );
    let lt = loose.over_time.as_ref().unwrap();
    assert_eq!(lt.mttf, direct.mttf);
    assert_ne!(lt.mttf, tight.over_time.as_ref().unwrap().mttf);
    // Tornado: the chain is re-solved with the component's rates changed.
    let direct = hacalc::solve::sensitivity::tornado(
        &loose.model,
        &loose.structure,
        &loose.solution,
        &opts.solver,
        12,
    );
    assert_eq!(loose.tornado[0].mtbf_halved, direct[0].mtbf_halved);
    assert_ne!(loose.tornado[0].mtbf_halved, tight.tornado[0].mtbf_halved);
}

#[test]
fn report_honours_max_states() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.yaml");
    std::fs::write(
        &model,
        "components:\n  u: { mtbf: 20d, mttr: 30h }\nsystem:\n  k_of_n: { k: 2, n: 40, of: u, crews: 1 }\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hacalc"))
        .args(["report", model.to_str().unwrap(), "--max-states", "10"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("41 states, more than the limit of 10"),
        "{err}"
    );
    assert!(!dir.path().join("m.html").exists());
}
