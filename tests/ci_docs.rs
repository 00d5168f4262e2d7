//! docs/ci.md works as printed: its script, run against a scratch Git repository with a
//! base and a head commit, gates the models and writes the pull-request comment; both
//! pipelines are valid YAML that run that script.

use std::path::Path;
use std::process::Command;

const CI: &str = include_str!("../docs/ci.md");

/// The fenced block of `lang` that follows `heading`.
fn block_after(heading: &str, lang: &str) -> String {
    let rest = &CI[CI.find(heading).unwrap_or_else(|| panic!("{heading}"))..];
    let start = rest.find(&format!("```{lang}\n")).unwrap() + lang.len() + 4;
    let end = rest[start..].find("```\n").unwrap();
    rest[start..start + end].to_string()
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn run_script(dir: &Path, base: &str) -> (i32, String, String) {
    let bin = Path::new(env!("CARGO_BIN_EXE_hacalc")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("sh")
        .arg("ci/hacalc-models.sh")
        .env("PATH", path)
        .env("BASE", base)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "0")
        .current_dir(dir)
        .output()
        .unwrap();
    let comment = std::fs::read_to_string(dir.join("hacalc-comment.md")).unwrap();
    (
        out.status.code().unwrap(),
        comment,
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn the_script_gates_and_comments() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("models")).unwrap();
    std::fs::create_dir_all(d.join("ci")).unwrap();
    std::fs::write(
        d.join("ci/hacalc-models.sh"),
        block_after("## The script", "sh"),
    )
    .unwrap();
    let web = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/web-service.yaml"
    ))
    .unwrap();
    std::fs::write(d.join("models/web.yaml"), &web).unwrap();
    std::fs::write(d.join("README.md"), "not a model\n").unwrap();
    git(d, &["init", "-q"]);
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "base"]);
    let base = git(d, &["rev-parse", "HEAD"]);
    // No change: every model checked, nothing to comment.
    let (code, comment, stdout) = run_script(d, &base);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("web-service: both targets met"), "{stdout}");
    assert!(comment.is_empty());
    // The head makes the database slow to repair and adds a model.
    std::fs::write(
        d.join("models/web.yaml"),
        web.replacen("    mttr: 1h30m", "    mttr: 3d", 1),
    )
    .unwrap();
    std::fs::write(
        d.join("models/cache.yaml"),
        "targets: { availability: 99% }\ncomponents:\n  c: { mtbf: 30d, mttr: 5m }\nsystem: c\n",
    )
    .unwrap();
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "head"]);
    let (code, comment, stdout) = run_script(d, &base);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("FAIL availability"), "{stdout}");
    assert!(
        comment.contains("### web-service: hacalc-base.yaml -> models/web.yaml"),
        "{comment}"
    );
    assert!(comment.contains("now MISSED"), "{comment}");
    assert!(
        comment.contains("| component db | changed | mttr: 1h30m -&gt; 3d |")
            || comment.contains("mttr: 1h30m -> 3d"),
        "{comment}"
    );
    assert!(comment.contains("cache"), "{comment}");
    // The comment holds no leftovers of the script's scratch files.
    assert!(!d.join("hacalc-base.yaml").exists());
    // A model without targets, or an invalid one, fails the gate with 2.
    std::fs::write(
        d.join("models/none.yaml"),
        "components:\n  c: { mtbf: 30d, mttr: 5m }\nsystem: c\n",
    )
    .unwrap();
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "none"]);
    assert_eq!(run_script(d, &base).0, 2);
    std::fs::remove_file(d.join("models/none.yaml")).unwrap();
    std::fs::write(d.join("models/bad.yaml"), "system: nothing\n").unwrap();
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "bad"]);
    let (code, _, _) = run_script(d, &base);
    assert_eq!(code, 2);
}

#[test]
fn both_pipelines_are_yaml_that_run_the_script() {
    for (heading, needles) in [
        (
            "## GitHub Actions",
            ["sh ci/hacalc-models.sh", "gh pr comment", "fetch-depth: 0"],
        ),
        (
            "## GitLab CI",
            [
                "sh ci/hacalc-models.sh",
                "merge_requests/$CI_MERGE_REQUEST_IID/notes",
                "GIT_DEPTH",
            ],
        ),
    ] {
        let yaml = block_after(heading, "yaml");
        hacalc::parse::yaml::read(&yaml).unwrap_or_else(|d| panic!("{heading}: {d:?}"));
        for n in needles {
            assert!(yaml.contains(n), "{heading}: {n}");
        }
    }
}
