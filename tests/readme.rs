//! Every command the README shows works as printed: each `$ hacalc ...` line of a shell block
//! is run and its output compared with the lines shown under it (`...` stands for lines left
//! out), each bare `hacalc ...` line of a shell block and each inline `hacalc ...` command on
//! an example is run and must succeed. The commands run in a scratch folder holding a copy of
//! `examples/`, so reports they write land there.

use std::path::Path;
use std::process::Command;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
    }
}

/// Runs a shell line with `hacalc` on the PATH; returns (exit code, stdout).
fn run(dir: &Path, line: &str) -> (i32, String) {
    let bin = Path::new(env!("CARGO_BIN_EXE_hacalc"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(line)
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The shown lines appear in the output in order; `...` skips any number of lines.
fn matches(shown: &[&str], output: &str) -> Result<(), String> {
    let got: Vec<&str> = output.lines().map(str::trim_end).collect();
    let mut at = 0;
    let mut skipping = false;
    for want in shown.iter().map(|l| l.trim_end()) {
        if want == "..." {
            skipping = true;
            continue;
        }
        loop {
            match got.get(at) {
                Some(g) if *g == want => {
                    at += 1;
                    break;
                }
                Some(_) if skipping => at += 1,
                other => {
                    return Err(format!(
                        "expected `{want}`, got `{}`",
                        other.unwrap_or(&"<end>")
                    ));
                }
            }
        }
        skipping = false;
    }
    if !skipping && at != got.len() {
        return Err(format!(
            "unexpected output after the shown lines: `{}`",
            got[at]
        ));
    }
    Ok(())
}

#[test]
fn every_readme_command_works_as_printed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let scratch = tempfile::tempdir().unwrap();
    copy_dir(&root.join("examples"), &scratch.path().join("examples"));
    let mut ran = 0;
    let mut in_sh = false;
    let mut block: Vec<&str> = Vec::new();
    let mut failures = Vec::new();
    for line in readme.lines() {
        if line.starts_with("```") {
            if in_sh {
                ran += check_block(scratch.path(), &block, &mut failures);
                block.clear();
            }
            in_sh = line == "```sh";
            continue;
        }
        if in_sh {
            block.push(line);
        } else {
            // Inline commands on the shipped examples, e.g. `hacalc report examples/x.yaml`.
            for span in line.split('`').skip(1).step_by(2) {
                if span.starts_with("hacalc ") && span.contains("examples/") && !span.contains('[')
                {
                    let (code, _) = run(scratch.path(), span);
                    ran += 1;
                    if code != 0 && !(span.starts_with("hacalc check") && code == 1) {
                        failures.push(format!("`{span}` exited {code}"));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(ran >= 6, "only {ran} commands found in the README");
}

/// Runs one shell block's commands; returns how many.
fn check_block(dir: &Path, block: &[&str], failures: &mut Vec<String>) -> usize {
    let mut ran = 0;
    let mut i = 0;
    while i < block.len() {
        let line = block[i];
        if let Some(cmd) = line.strip_prefix("$ ") {
            let end = (i + 1..block.len())
                .find(|&j| block[j].starts_with("$ "))
                .unwrap_or(block.len());
            let (code, out) = run(dir, cmd);
            ran += 1;
            if code != 0 {
                failures.push(format!("`{cmd}` exited {code}"));
            } else if let Err(e) = matches(&block[i + 1..end], &out) {
                failures.push(format!("`{cmd}`: {e}\n{out}"));
            }
            i = end;
        } else {
            if line.starts_with("hacalc ") {
                let (code, _) = run(dir, line);
                ran += 1;
                if code != 0 {
                    failures.push(format!("`{line}` exited {code}"));
                }
            }
            i += 1;
        }
    }
    ran
}
