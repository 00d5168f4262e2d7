//! Command-line interface: argument parsing (clap), input, output and exit codes.

mod args;

use anstream::eprint;
use anstyle::AnsiColor;
use args::{CheckFormat, Cli, Command, ReportFormat, SimulateFormat, SolveFormat};
use clap::{CommandFactory, Parser};
use hacalc::diagnostics::Report;
use hacalc::render::report::Stamp;
use hacalc::render::{self, Exporter};
use hacalc::{Analysis, OverTime, Request};
use std::io::{Read, Write};

/// Exit codes of the contract.
const OK: i32 = 0;
const MISSED: i32 = 1;
const BAD_INPUT: i32 = 2;

/// Most problems printed in full before the rest are counted.
const SHOWN_PROBLEMS: usize = 50;

pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap exits 0 for --help/--version and 2 for usage errors, as the contract wants.
            return e.exit_code();
        }
    };
    match cli.command {
        Command::Solve {
            file,
            format,
            top,
            at,
            engine,
        } => {
            let times: Vec<f64> = at.iter().map(|d| d.0).collect();
            solve(&file, format, top, &times, &engine.options())
        }
        Command::Check {
            file,
            target,
            max_downtime,
            format,
            engine,
        } => check_cmd(&file, target, max_downtime, format, &engine.options()),
        Command::Report {
            file,
            output,
            format,
            reproducible,
            engine,
        } => report(
            &file,
            output.as_deref(),
            format,
            reproducible,
            &engine.options(),
        ),
        Command::Simulate {
            file,
            horizon,
            seed,
            format,
            engine,
        } => simulate(&file, horizon.0, seed, format, &engine.options()),
        Command::Validate { file } => validate(&file),
        Command::Schema => {
            emit(&hacalc::parse::schema::schema_text());
            OK
        }
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "hacalc", &mut std::io::stdout());
            OK
        }
    }
}

/// Reads FILE, or standard input for `-`. The label is what messages call the file.
fn read_input(file: &str) -> Result<(String, String), i32> {
    let mut text = String::new();
    let (label, result) = if file == "-" {
        (
            "<stdin>".to_string(),
            std::io::stdin().read_to_string(&mut text).map(|_| ()),
        )
    } else {
        (
            file.to_string(),
            std::fs::read(file).and_then(|bytes| {
                text = String::from_utf8(bytes).map_err(|e| {
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
                    )
                })?;
                Ok(())
            }),
        )
    };
    match result {
        Ok(()) => Ok((label, text)),
        Err(e) => {
            eprint!(
                "{}",
                error_line(&format!("{label}: cannot read the model: {e}"))
            );
            Err(BAD_INPUT)
        }
    }
}

/// Writes to standard output. A closed pipe (`hacalc solve ... | head`) is not an error
/// worth a panic: the reader has what it wanted.
fn emit(text: &str) {
    let mut out = anstream::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprint!("{}", error_line(&format!("cannot write the output: {e}")));
        }
        _ => {}
    }
}

/// Streams a large output (JSON of a big model) through a buffer.
fn emit_with(f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    match f(&mut out).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprint!("{}", error_line(&format!("cannot write the output: {e}")));
        }
        _ => {}
    }
}

/// Writes styled text to standard output, keeping the colour only on a terminal.
fn emit_styled(f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
    let mut out = anstream::stdout().lock();
    match f(&mut out).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprint!("{}", error_line(&format!("cannot write the output: {e}")));
        }
        _ => {}
    }
}

fn error_line(msg: &str) -> String {
    let style = AnsiColor::Red.on_default().bold();
    format!("{style}error{style:#}: {msg}\n")
}

fn print_report(report: &Report) {
    eprint!("{}", report.render(true, SHOWN_PROBLEMS));
}

fn print_warnings(a: &Analysis) {
    if a.warnings.is_empty() {
        return;
    }
    let report = Report {
        file: a.file.clone(),
        source: a.source.clone(),
        diagnostics: a.warnings.clone(),
    };
    eprint!("{}", report.render(true, SHOWN_PROBLEMS));
}

fn load(file: &str, options: &hacalc::Options, request: &Request) -> Result<Analysis, i32> {
    let (label, text) = read_input(file)?;
    hacalc::analyse_with(&label, &text, options, request).map_err(|report| {
        print_report(&report);
        BAD_INPUT
    })
}

fn solve(
    file: &str,
    format: SolveFormat,
    top: usize,
    times: &[f64],
    options: &hacalc::Options,
) -> i32 {
    let request = Request {
        over_time: if times.is_empty() {
            OverTime::None
        } else {
            OverTime::At(times.to_vec())
        },
        ..Request::default()
    };
    let a = match load(file, options, &request) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let exporter: Box<dyn Exporter> = match format {
        SolveFormat::Table => {
            print_warnings(&a);
            Box::new(render::table::Tables { top })
        }
        SolveFormat::Json => Box::new(render::json::Json { check: false }),
        SolveFormat::Markdown => Box::new(render::markdown::Markdown { top }),
    };
    emit_with(|w| exporter.write(&a, w));
    finish(a, OK)
}

/// Returns the exit code without tearing down the analysis: the process ends next, and
/// freeing a 100,000-component model piece by piece would only add to the run time.
fn finish(a: Analysis, code: i32) -> i32 {
    std::mem::forget(a);
    code
}

fn check_cmd(
    file: &str,
    target: Option<args::Target>,
    max_downtime: Option<args::Downtime>,
    format: CheckFormat,
    options: &hacalc::Options,
) -> i32 {
    let request = Request {
        availability_target: target.map(|t| t.0),
        downtime_target_hours: max_downtime.map(|d| d.0),
        ..Request::default()
    };
    let a = match load(file, options, &request) {
        Ok(a) => a,
        Err(code) => return code,
    };
    if a.verdicts.is_empty() {
        eprint!(
            "{}",
            error_line(&format!(
                "{}: no target to check: the model has no `targets:` and neither --target nor --max-downtime was given",
                a.file
            ))
        );
        eprintln!(
            "  hint: add `targets: {{ availability: 99.95% }}` to the model, or run `hacalc check {file} --target 99.95%`"
        );
        return BAD_INPUT;
    }
    let exporter: Box<dyn Exporter> = match format {
        CheckFormat::Text => {
            print_warnings(&a);
            Box::new(render::check_text::CheckText)
        }
        CheckFormat::Json => Box::new(render::json::Json { check: true }),
        CheckFormat::Junit => Box::new(render::junit::Junit),
    };
    emit_styled(|w| exporter.write(&a, w));
    let met = a.targets_met();
    finish(a, if met { OK } else { MISSED })
}

fn report(
    file: &str,
    output: Option<&str>,
    format: ReportFormat,
    reproducible: bool,
    options: &hacalc::Options,
) -> i32 {
    let request = match format {
        ReportFormat::Html => Request::report(),
        ReportFormat::Markdown | ReportFormat::Svg => Request::default(),
    };
    let a = match load(file, options, &request) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let stamp = Stamp::from_environment(reproducible);
    let exporter: Box<dyn Exporter> = match format {
        ReportFormat::Html => Box::new(render::html::Html { stamp }),
        ReportFormat::Markdown => Box::new(render::pr_comment::PrComment { stamp }),
        ReportFormat::Svg => Box::new(render::svg::Svg),
    };
    let text = match exporter.render(&a) {
        Ok(t) => t,
        Err(e) => {
            eprint!("{}", error_line(&e.to_string()));
            return BAD_INPUT;
        }
    };
    let extension = match format {
        ReportFormat::Html => Some("html"),
        ReportFormat::Svg => Some("svg"),
        ReportFormat::Markdown => None,
    };
    let target = match (output, extension) {
        (Some("-"), _) | (None, None) => None,
        (Some(path), _) => Some(std::path::PathBuf::from(path)),
        (None, Some(_)) if file == "-" => None,
        (None, Some(ext)) => Some(std::path::Path::new(file).with_extension(ext)),
    };
    match target {
        None => emit(&text),
        Some(path) => {
            if let Err(e) = write_atomically(&path, text.as_bytes()) {
                eprint!(
                    "{}",
                    error_line(&format!("{}: cannot write the report: {e}", path.display()))
                );
                return BAD_INPUT;
            }
            eprintln!("wrote {}", path.display());
        }
    }
    finish(a, OK)
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so that
/// a reader never sees a half-written report and a failure leaves nothing behind.
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn simulate(
    file: &str,
    hours: f64,
    seed: u64,
    format: SimulateFormat,
    options: &hacalc::Options,
) -> i32 {
    let a = match load(file, options, &Request::default()) {
        Ok(a) => a,
        Err(code) => return code,
    };
    if hours <= 0.0 {
        eprint!("{}", error_line("--horizon must be longer than zero"));
        return BAD_INPUT;
    }
    let opts = hacalc::solve::simulate::SimOptions {
        hours,
        seed,
        ..Default::default()
    };
    match hacalc::solve::simulate::simulate(&a.model, &a.structure, &opts) {
        Ok(r) => {
            match format {
                SimulateFormat::Table => emit(&render::simulation::table(&a, &r)),
                SimulateFormat::Json => emit(&render::simulation::json(&a, &r)),
            }
            finish(a, OK)
        }
        Err(e) => {
            eprint!(
                "{}",
                error_line(&format!("{}: cannot simulate: {e}", a.file))
            );
            BAD_INPUT
        }
    }
}

fn validate(file: &str) -> i32 {
    let (label, text) = match read_input(file) {
        Ok(x) => x,
        Err(code) => return code,
    };
    match hacalc::validate_model(&label, &text) {
        Ok(checked) => {
            let report = Report {
                file: label,
                source: text,
                diagnostics: checked.warnings,
            };
            emit(&report.render(true, usize::MAX));
            OK
        }
        Err(report) => {
            eprint!("{}", report.render(true, usize::MAX));
            BAD_INPUT
        }
    }
}
