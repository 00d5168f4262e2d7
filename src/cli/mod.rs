//! Command-line interface: argument parsing (clap), input, output and exit codes.

mod args;
mod io;

use anstream::eprint;
use args::{CheckFormat, Cli, Command, EngineArgs, ReportFormat, SimulateFormat, SolveFormat};
use clap::CommandFactory;
use hacalc::diagnostics::Report;
use hacalc::limits::MAX_TIME_POINTS;
use hacalc::render::report::Stamp;
use hacalc::render::{self, Exporter};
use hacalc::{Analysis, OverTime, Request};
use io::{ReadError, print_error, read_input, to_stdout, write_report};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// `--quiet`: warnings and the "valid" and "wrote" lines are left out.
static QUIET: AtomicBool = AtomicBool::new(false);

fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Exit codes of the contract.
const OK: i32 = 0;
const MISSED: i32 = 1;
const BAD_INPUT: i32 = 2;

/// Most problems printed in full before the rest are counted.
const SHOWN_PROBLEMS: usize = 50;

pub fn run() -> i32 {
    hacalc::progress::set_reporter(Box::new(io::Bars));
    // --color also decides clap's own help and usage errors, which are printed before the
    // arguments are parsed into `Cli`.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut color = clap::ColorChoice::Auto;
    for (i, a) in args.iter().enumerate() {
        let value = match a.to_str() {
            Some("--color") => args.get(i + 1).and_then(|v| v.to_str()),
            Some(a) => a.strip_prefix("--color="),
            None => None,
        };
        match value {
            Some("always") => color = clap::ColorChoice::Always,
            Some("never") => color = clap::ColorChoice::Never,
            _ => {}
        }
    }
    let parsed = Cli::command()
        .color(color)
        .try_get_matches_from(&args)
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap exits 0 for --help/--version and 2 for usage errors, as the contract wants.
            return e.exit_code();
        }
    };
    QUIET.store(cli.quiet, Ordering::Relaxed);
    match cli.color {
        args::ColorWhen::Auto => {}
        args::ColorWhen::Always => anstream::ColorChoice::Always.write_global(),
        args::ColorWhen::Never => anstream::ColorChoice::Never.write_global(),
    }
    match cli.command {
        Command::Solve {
            file,
            format,
            top,
            importance,
            at,
            uncertainty,
            engine,
        } => {
            let times: Vec<f64> = at.iter().map(|d| d.0).collect();
            let all = importance == args::ImportanceColumns::All;
            solve(&file, format, (top, all), &times, &uncertainty, &engine)
        }
        Command::Check {
            file,
            target,
            max_downtime,
            format,
            engine,
        } => check_cmd(&file, target, max_downtime, format, &engine),
        Command::Report {
            file,
            output,
            format,
            reproducible,
            uncertainty,
            engine,
        } => report(
            &file,
            output.as_deref(),
            format,
            reproducible,
            &uncertainty,
            &engine,
        ),
        Command::Simulate {
            file,
            horizon,
            seed,
            replications,
            threads,
            method,
            rel_error,
            format,
            engine,
        } => {
            let opts = hacalc::solve::simulate::SimOptions {
                hours: horizon.0,
                seed,
                replications: replications as usize,
                threads: threads.map_or_else(
                    || std::thread::available_parallelism().map_or(1, |n| n.get()),
                    |t| t as usize,
                ),
                max_events: engine.max_events,
                planned_excluded: engine.planned == args::Planned::Exclude,
                ..Default::default()
            };
            simulate(&file, opts, (method, rel_error), format, &engine)
        }
        Command::Validate {
            file,
            format,
            engine,
        } => validate(&file, format, &engine),
        Command::Cuts {
            file,
            max_order,
            top,
            max_cut_sets,
            format,
            engine,
        } => cuts(&file, max_order, top, max_cut_sets, format, &engine),
        Command::Compare {
            file,
            out,
            gate,
            engine,
        } => compare(&file, &out, gate, &engine),
        Command::Sweep {
            file,
            param,
            from,
            to,
            steps,
            log,
            max_solves,
            out,
            gate,
            engine,
        } => sweep(
            &file,
            (&param, &from, &to, steps, log),
            max_solves,
            &out,
            gate,
            &engine,
        ),
        Command::Diff {
            old,
            new,
            out,
            gate,
            engine,
        } => diff(&old, &new, &out, gate, &engine),
        Command::Allocate {
            file,
            by,
            max_solves,
            out,
            gate,
            engine,
        } => allocate(&file, (by, max_solves), &out, gate, &engine),
        Command::Schema => {
            let text = hacalc::parse::schema::schema_text();
            exit_code(to_stdout(false, |w| w.write_all(text.as_bytes())), OK)
        }
        Command::Help { topic } => help(topic.as_deref()),
        Command::Man => {
            let text = man_page();
            exit_code(to_stdout(false, |w| w.write_all(&text)), OK)
        }
        Command::Completions { shell } => {
            let mut buffer = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "hacalc", &mut buffer);
            exit_code(to_stdout(false, |w| w.write_all(&buffer)), OK)
        }
    }
}

/// The model format's reference, as shipped with this version.
const FORMAT_REFERENCE: &str = include_str!("../../docs/format.md");

/// `hacalc help [TOPIC]`: the long help of hacalc or of a command, or the format reference.
fn help(topic: Option<&str>) -> i32 {
    let mut cli = Cli::command();
    let text = match topic {
        None => cli.render_long_help().to_string(),
        Some("format") => FORMAT_REFERENCE.to_string(),
        Some(name) => match cli.find_subcommand_mut(name) {
            Some(sub) => {
                let mut sub = sub.clone().bin_name(format!("hacalc {name}"));
                sub.render_long_help().to_string()
            }
            None => {
                let topics: Vec<String> = std::iter::once("format".to_string())
                    .chain(cli.get_subcommands().map(|c| c.get_name().to_string()))
                    .collect();
                print_error(&format!(
                    "no help on `{name}`; ask for one of: {}",
                    topics.join(", ")
                ));
                return BAD_INPUT;
            }
        },
    };
    exit_code(to_stdout(false, |w| w.write_all(text.as_bytes())), OK)
}

/// The man page, generated from the clap definitions (`man/hacalc.1` is this, kept fresh by
/// a test): the command's page, then each command's options.
fn man_page() -> Vec<u8> {
    let cli = Cli::command();
    let mut out = Vec::new();
    let man = clap_mangen::Man::new(cli.clone());
    let _ = man.render(&mut out);
    for sub in cli.get_subcommands() {
        let name = sub.get_name();
        let sub = sub.clone().bin_name(format!("hacalc {name}"));
        let page = clap_mangen::Man::new(sub);
        let _ = writeln!(out, ".SH \"HACALC {}\"", name.to_uppercase());
        // The command's synopsis, description and options as subsections of its section.
        let mut part = Vec::new();
        let _ = page.render_synopsis_section(&mut part);
        let _ = page.render_description_section(&mut part);
        let _ = page.render_options_section(&mut part);
        for line in String::from_utf8_lossy(&part).lines() {
            let line = match line.strip_prefix(".SH ") {
                Some(title) => format!(".SS {title}"),
                None => line.to_string(),
            };
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

/// `code`, unless writing the output failed (then 2).
fn exit_code(written: Result<(), ()>, code: i32) -> i32 {
    if written.is_ok() { code } else { BAD_INPUT }
}

fn print_report(report: &Report) {
    if quiet() {
        eprint!("{}", report.errors_only().render(true, SHOWN_PROBLEMS));
    } else {
        eprint!("{}", report.render(true, SHOWN_PROBLEMS));
    }
}

fn print_warnings(a: &Analysis) {
    if a.warnings.is_empty() || quiet() {
        return;
    }
    print_report(&a.report_of(a.warnings.clone()));
}

/// Why a model could not be analysed: already printed, or a report the caller prints (or
/// turns into a JUnit failure).
enum LoadError {
    Printed,
    Invalid(Report),
}

fn load(file: &str, engine: &EngineArgs, request: &Request) -> Result<Analysis, LoadError> {
    let options = engine.options();
    let request = &Request {
        served_at: engine.served_at.iter().map(|t| t.0.p).collect(),
        ..request.clone()
    };
    let (label, text) = match read_input(file, options.limits.max_input_bytes) {
        Ok(x) => x,
        Err(ReadError::Message(m)) => {
            print_error(&m);
            return Err(LoadError::Printed);
        }
        Err(ReadError::Located(r)) => return Err(LoadError::Invalid(r)),
    };
    let a = hacalc::analyse_edited(&label, &text, &engine.edits(), &options, request)
        .map_err(LoadError::Invalid)?;
    if engine.deny_warnings && !a.warnings.is_empty() {
        let n = a.warnings.len();
        print_warnings(&a);
        print_error(&format!(
            "{}: {n} warning{} and --deny-warnings",
            a.file,
            if n == 1 { "" } else { "s" }
        ));
        return Err(LoadError::Printed);
    }
    Ok(a)
}

/// Loads a model, printing what went wrong when it cannot be.
fn load_or_print(file: &str, engine: &EngineArgs, request: &Request) -> Result<Analysis, i32> {
    load(file, engine, request).map_err(|e| {
        if let LoadError::Invalid(r) = e {
            print_report(&r);
        }
        BAD_INPUT
    })
}

fn solve(
    file: &str,
    format: SolveFormat,
    (top, importance): (usize, bool),
    times: &[f64],
    uncertainty: &args::UncertaintyArgs,
    engine: &EngineArgs,
) -> i32 {
    if times.len() > MAX_TIME_POINTS {
        print_error(&format!(
            "--at: {} times, more than the {MAX_TIME_POINTS} that one run computes; ask for fewer points",
            times.len()
        ));
        return BAD_INPUT;
    }
    let request = Request {
        over_time: if times.is_empty() {
            OverTime::None
        } else {
            OverTime::At(times.to_vec())
        },
        uncertainty: uncertainty.request(),
        ..Request::default()
    };
    let a = match load_or_print(file, engine, &request) {
        Ok(a) => a,
        Err(code) => return code,
    };
    if let Some(Err(e)) = &a.uncertainty {
        let d =
            hacalc::diagnostics::Diagnostic::error(e.pos, format!("--uncertainty: {}", e.message));
        print_report(&a.report_of(vec![d]));
        return BAD_INPUT;
    }
    let exporter: Box<dyn Exporter> = match format {
        SolveFormat::Table => {
            print_warnings(&a);
            Box::new(render::table::Tables { top, importance })
        }
        SolveFormat::Json => Box::new(render::json::Json { check: false }),
        SolveFormat::Markdown => Box::new(render::markdown::Markdown { top }),
    };
    let written = to_stdout(false, |w| exporter.write(&a, w));
    finish(a, exit_code(written, OK))
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
    engine: &EngineArgs,
) -> i32 {
    let request = Request {
        availability_target: target.map(|t| t.0),
        downtime_target_hours: max_downtime.map(|d| d.0),
        ..Request::default()
    };
    let a = match load(file, engine, &request) {
        Ok(a) => a,
        Err(LoadError::Invalid(r)) if format == CheckFormat::Junit => {
            // CI reads the XML: an invalid model is a failing test case, not an empty file.
            print_report(&r);
            let xml = render::junit::invalid_model(&r);
            to_stdout(false, |w| w.write_all(xml.as_bytes())).ok();
            return BAD_INPUT;
        }
        Err(LoadError::Invalid(r)) => {
            print_report(&r);
            return BAD_INPUT;
        }
        Err(LoadError::Printed) => return BAD_INPUT,
    };
    if a.verdicts.is_empty() {
        print_error(&format!(
            "{}: no target to check: the model has no `targets:` and neither --target nor --max-downtime was given",
            a.file
        ));
        eprintln!(
            "  hint: add `targets: {{ availability: 99.95% }}` to the model, or run `hacalc check {file} --target 99.95%`"
        );
        return BAD_INPUT;
    }
    let (exporter, styled): (Box<dyn Exporter>, bool) = match format {
        CheckFormat::Text => {
            print_warnings(&a);
            (Box::new(render::check_text::CheckText), true)
        }
        CheckFormat::Json => (Box::new(render::json::Json { check: true }), false),
        CheckFormat::Junit => (Box::new(render::junit::Junit), false),
    };
    let written = to_stdout(styled, |w| exporter.write(&a, w));
    let met = a.targets_met();
    finish(a, exit_code(written, if met { OK } else { MISSED }))
}

fn report(
    file: &str,
    output: Option<&str>,
    format: ReportFormat,
    reproducible: bool,
    uncertainty: &args::UncertaintyArgs,
    engine: &EngineArgs,
) -> i32 {
    let mut request = match format {
        ReportFormat::Html => Request::report(),
        // The pull-request comment lists single points of failure and the smallest cuts.
        ReportFormat::Markdown => Request {
            cut_sets: Some(hacalc::analysis::REPORT_CUT_ORDER),
            ..Request::default()
        },
        ReportFormat::Svg => Request::default(),
    };
    request.uncertainty = uncertainty.request();
    let a = match load_or_print(file, engine, &request) {
        Ok(a) => a,
        Err(code) => return code,
    };
    if let Some(Err(e)) = &a.uncertainty {
        let d =
            hacalc::diagnostics::Diagnostic::error(e.pos, format!("--uncertainty: {}", e.message));
        print_report(&a.report_of(vec![d]));
        return BAD_INPUT;
    }
    print_warnings(&a);
    let stamp = Stamp::from_environment(reproducible);
    let exporter: Box<dyn Exporter> = match format {
        ReportFormat::Html => Box::new(render::html::Html { stamp }),
        ReportFormat::Markdown => Box::new(render::pr_comment::PrComment { stamp }),
        ReportFormat::Svg => Box::new(render::svg::Svg),
    };
    let text = match exporter.render(&a) {
        Ok(t) => t,
        Err(e) => {
            print_error(&e.to_string());
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
        (None, Some(ext)) => Some(Path::new(file).with_extension(ext)),
    };
    let code = match target {
        None => exit_code(to_stdout(false, |w| w.write_all(text.as_bytes())), OK),
        Some(path) => {
            let input = (file != "-").then(|| Path::new(file));
            match write_report(&path, text.as_bytes(), input) {
                Ok(()) => {
                    if !quiet() {
                        eprintln!(
                            "wrote {}",
                            hacalc::diagnostics::printable(&path.display().to_string())
                        );
                    }
                    OK
                }
                Err(e) => {
                    print_error(&format!("cannot write the report: {e}"));
                    BAD_INPUT
                }
            }
        }
    };
    finish(a, code)
}

fn simulate(
    file: &str,
    opts: hacalc::solve::simulate::SimOptions,
    (method, rel_error): (args::SimulateMethod, f64),
    format: SimulateFormat,
    engine: &EngineArgs,
) -> i32 {
    if opts.hours <= 0.0 {
        print_error("--horizon must be longer than zero");
        return BAD_INPUT;
    }
    let a = match load_or_print(file, engine, &Request::default()) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let run = match method {
        args::SimulateMethod::Plain => {
            hacalc::solve::simulate::simulate(&a.model, &a.structure, &a.solution, &opts)
        }
        args::SimulateMethod::Biased => hacalc::solve::simulate::simulate_biased(
            &a.model,
            &a.structure,
            &a.solution,
            &opts,
            rel_error,
        ),
    };
    match run {
        Ok(r) => {
            let text = match format {
                SimulateFormat::Table => render::simulation::table(&a, &r),
                SimulateFormat::Json => render::simulation::json(&a, &r),
            };
            let written = to_stdout(false, |w| w.write_all(text.as_bytes()));
            finish(a, exit_code(written, OK))
        }
        Err(d) => {
            print_report(&a.report_of(vec![*d]));
            BAD_INPUT
        }
    }
}

fn cuts(
    file: &str,
    max_order: usize,
    top: usize,
    max_cut_sets: usize,
    format: SolveFormat,
    engine: &EngineArgs,
) -> i32 {
    let request = Request {
        // 0: no bound on the order (--max-cut-sets still bounds the work).
        cut_sets: Some(if max_order == 0 {
            usize::MAX
        } else {
            max_order
        }),
        ..Request::default()
    };
    let mut engine = engine.clone();
    engine.max_cut_sets = max_cut_sets;
    let a = match load_or_print(file, &engine, &request) {
        Ok(a) => a,
        Err(code) => return code,
    };
    if let Some(Err(e)) = &a.cut_sets {
        print_report(&a.report_of(vec![hacalc::diagnostics::Diagnostic::error(
            a.model.system.pos,
            format!("cannot list the cut sets: {e}"),
        )]));
        return BAD_INPUT;
    }
    print_warnings(&a);
    let exporter: Box<dyn Exporter> = match format {
        SolveFormat::Table => Box::new(render::cuts::CutsTable { top }),
        SolveFormat::Json => Box::new(render::cuts::CutsJson { top }),
        SolveFormat::Markdown => Box::new(render::cuts::CutsMarkdown { top }),
    };
    let written = to_stdout(false, |w| exporter.write(&a, w));
    finish(a, exit_code(written, OK))
}

fn validate(file: &str, format: args::ValidateFormat, engine: &EngineArgs) -> i32 {
    use args::ValidateFormat;
    let options = engine.options();
    // Text goes to standard error (problems) and standard output (the "valid" line); the
    // machine formats put everything on standard output.
    let emit = |report: &Report, denied: bool| -> Result<(), ()> {
        let report = if quiet() && format == ValidateFormat::Text {
            report.errors_only()
        } else {
            report.clone()
        };
        match format {
            ValidateFormat::Json => to_stdout(false, |w| w.write_all(report.to_json().as_bytes())),
            ValidateFormat::Github => {
                to_stdout(false, |w| w.write_all(report.to_github().as_bytes()))
            }
            ValidateFormat::Text if report.errors().count() > 0 || denied => {
                eprint!("{}", report.render(true, usize::MAX));
                Ok(())
            }
            ValidateFormat::Text if quiet() => Ok(()),
            ValidateFormat::Text => {
                let rendered = report.render(true, usize::MAX);
                to_stdout(true, |w| w.write_all(rendered.as_bytes()))
            }
        }
    };
    let (label, text) = match read_input(file, options.limits.max_input_bytes) {
        Ok(x) => x,
        Err(ReadError::Message(m)) => {
            match format {
                ValidateFormat::Text => print_error(&m),
                // No line to point at: the problem is the file itself.
                ValidateFormat::Json => {
                    let r = Report::new(
                        file,
                        String::new(),
                        vec![hacalc::diagnostics::Diagnostic::error(
                            hacalc::diagnostics::Pos {
                                line: 0,
                                column: 0,
                                offset: 0,
                                len: 0,
                            },
                            m,
                        )],
                    );
                    let _ = to_stdout(false, |w| w.write_all(r.to_json().as_bytes()));
                }
                ValidateFormat::Github => {
                    let _ = to_stdout(false, |w| {
                        writeln!(
                            w,
                            "::error file={},title=hacalc::{}",
                            hacalc::diagnostics::github_property(&hacalc::diagnostics::printable(
                                file
                            )),
                            hacalc::diagnostics::github_data(&hacalc::diagnostics::printable(&m))
                        )
                    });
                }
            }
            return BAD_INPUT;
        }
        Err(ReadError::Located(r)) => {
            let _ = emit(&r, false);
            return BAD_INPUT;
        }
    };
    // The same limits as a solve: what validates, solves.
    let edits = engine.edits();
    match hacalc::compile_edited(&label, &text, &edits, &options) {
        Ok((validated, _)) => {
            let denied = engine.deny_warnings && !validated.warnings.is_empty();
            let report = Report {
                arguments: edits.arguments(),
                ..Report::new(label, text, validated.warnings)
            };
            if denied {
                // Warnings count as errors: shown even with --quiet.
                let as_errors = Report {
                    diagnostics: report
                        .diagnostics
                        .iter()
                        .cloned()
                        .map(|mut d| {
                            if format != ValidateFormat::Text {
                                d.severity = hacalc::diagnostics::Severity::Error;
                            }
                            d
                        })
                        .collect(),
                    ..report.clone()
                };
                if format == ValidateFormat::Text {
                    eprint!("{}", report.render(true, usize::MAX));
                    print_error(&format!("{}: warnings and --deny-warnings", report.file));
                } else {
                    let _ = emit(&as_errors, true);
                }
                return BAD_INPUT;
            }
            exit_code(emit(&report, false), OK)
        }
        Err(report) => {
            let _ = emit(&report, false);
            BAD_INPUT
        }
    }
}

/// The request of a decision command: its target flags.
fn gate_request(gate: args::TargetArgs) -> Request {
    Request {
        served_at: Vec::new(),
        availability_target: gate.target.map(|t| t.0),
        downtime_target_hours: gate.max_downtime.map(|d| d.0),
        ..Request::default()
    }
}

/// Reads a model file for a decision command (printing why it cannot be read).
fn read_model(file: &str, engine: &EngineArgs) -> Result<(String, String), i32> {
    match read_input(file, engine.options().limits.max_input_bytes) {
        Ok(x) => Ok(x),
        Err(ReadError::Message(m)) => {
            print_error(&m);
            Err(BAD_INPUT)
        }
        Err(ReadError::Located(r)) => {
            print_report(&r);
            Err(BAD_INPUT)
        }
    }
}

/// Writes a decision command's page in the chosen format, to standard output or `-o`;
/// returns `code`, or 2 when writing failed.
fn emit_decision(
    page: impl FnOnce(bool) -> hacalc::render::decision::Page,
    json: impl FnOnce() -> String,
    out: &args::DecisionOutput,
    inputs: &[&str],
    code: i32,
) -> i32 {
    use args::DecisionFormat;
    let text = match out.format {
        DecisionFormat::Table => page(false).text(),
        DecisionFormat::Json => json(),
        DecisionFormat::Markdown => page(false).markdown(),
        DecisionFormat::Html => match page(true).html(&Stamp::from_environment(out.reproducible)) {
            Ok(t) => t,
            Err(e) => {
                print_error(&e.to_string());
                return BAD_INPUT;
            }
        },
    };
    match out.output.as_deref() {
        None | Some("-") => exit_code(to_stdout(false, |w| w.write_all(text.as_bytes())), code),
        Some(path) => {
            let path = Path::new(path);
            // The output must not replace any of the models read.
            for input in inputs.iter().filter(|f| **f != "-") {
                if let Err(e) = write_guard(path, Path::new(input)) {
                    print_error(&e);
                    return BAD_INPUT;
                }
            }
            let input = inputs.first().filter(|f| **f != "-").map(Path::new);
            match write_report(path, text.as_bytes(), input) {
                Ok(()) => {
                    if !quiet() {
                        eprintln!(
                            "wrote {}",
                            hacalc::diagnostics::printable(&path.display().to_string())
                        );
                    }
                    code
                }
                Err(e) => {
                    print_error(&format!("cannot write the output: {e}"));
                    BAD_INPUT
                }
            }
        }
    }
}

/// Refuses an output path that is one of the inputs.
fn write_guard(output: &Path, input: &Path) -> Result<(), String> {
    if io::same_file(input, output) {
        return Err(format!(
            "{}: this is a model being read; writing there would overwrite it (choose another path with -o)",
            hacalc::diagnostics::printable(&output.display().to_string())
        ));
    }
    Ok(())
}

/// Reads the model and opens a session on it (printing why it cannot be), then runs `f`.
fn in_session(
    file: &str,
    engine: &EngineArgs,
    (gate, max_solves): (args::TargetArgs, Option<usize>),
    f: impl FnOnce(&hacalc::decide::Session, &str) -> i32,
) -> i32 {
    let (label, text) = match read_model(file, engine) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let edits = engine.edits();
    match hacalc::decide::Session::open(&label, &text, &edits, engine.options(), gate_request(gate))
    {
        Ok(mut s) => {
            s.max_solves = max_solves;
            f(&s, &label)
        }
        Err(r) => {
            print_report(&r);
            BAD_INPUT
        }
    }
}

fn compare(
    file: &str,
    out: &args::DecisionOutput,
    gate: args::TargetArgs,
    engine: &EngineArgs,
) -> i32 {
    if let Some(v) = &engine.variant {
        print_error(&format!(
            "compare solves every variant side by side; --variant {v} does not apply to it"
        ));
        eprintln!("  hint: run `hacalc solve {file} --variant {v}` for one variant");
        return BAD_INPUT;
    }
    in_session(file, engine, (gate, None), |s, label| {
        if s.variants().is_empty() {
            print_error(&format!("{label}: the model has no variants to compare"));
            eprintln!(
                "  hint: declare them in the model, e.g. `variants: {{ fast-failover: {{ db.mttr: 10m }}, three-web: {{ frontend.n: 4 }} }}`"
            );
            return BAD_INPUT;
        }
        match hacalc::decide::compare::compare(s) {
            Ok(c) => emit_decision(
                |_| render::compare::page(&c),
                || render::compare::json(&c),
                out,
                &[file],
                OK,
            ),
            Err(r) => {
                print_report(&r);
                BAD_INPUT
            }
        }
    })
}

type SweepParams<'a> = (&'a [String], &'a [String], &'a [String], usize, bool);

fn sweep(
    file: &str,
    (params, from, to, steps, log): SweepParams,
    max_solves: usize,
    out: &args::DecisionOutput,
    gate: args::TargetArgs,
    engine: &EngineArgs,
) -> i32 {
    if params.len() == 2 && params[0] == params[1] {
        print_error(&format!(
            "--param {} is given twice: a two-way grid sweeps two different parameters",
            params[0]
        ));
        return BAD_INPUT;
    }
    if params.len() > 2 || params.len() != from.len() || params.len() != to.len() {
        print_error(&format!(
            "sweep takes one or two --param, each with one --from and one --to (given: {} --param, {} --from, {} --to)",
            params.len(),
            from.len(),
            to.len()
        ));
        return BAD_INPUT;
    }
    let mut axes = Vec::new();
    for i in 0..params.len() {
        match hacalc::decide::sweep::Axis::new(&params[i], &from[i], &to[i], steps, log) {
            Ok(a) => axes.push(a),
            Err(e) => {
                print_error(&format!("--param {}: {e}", params[i]));
                return BAD_INPUT;
            }
        }
    }
    let points = axes
        .iter()
        .try_fold(1usize, |n, a| n.checked_mul(a.point_count()))
        .unwrap_or(usize::MAX);
    if points > max_solves {
        print_error(&format!(
            "the sweep asks for {points} points, more than --max-solves {max_solves}"
        ));
        eprintln!("  hint: raise --max-solves, or ask for fewer --steps");
        return BAD_INPUT;
    }
    in_session(
        file,
        engine,
        (gate, None),
        |s, _| match hacalc::decide::sweep::sweep(s, axes, max_solves) {
            Ok(sw) => emit_decision(
                |charts| render::sweep::page(&sw, charts),
                || render::sweep::json(&sw),
                out,
                &[file],
                OK,
            ),
            Err(r) => {
                print_report(&r);
                BAD_INPUT
            }
        },
    )
}

fn diff(
    old: &str,
    new: &str,
    out: &args::DecisionOutput,
    gate: args::TargetArgs,
    engine: &EngineArgs,
) -> i32 {
    if old == "-" && new == "-" {
        print_error("only one of OLD and NEW can be standard input (`-`)");
        return BAD_INPUT;
    }
    let (old_label, old_text) = match read_model(old, engine) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let (new_label, new_text) = match read_model(new, engine) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let edits = engine.edits();
    match hacalc::decide::diff::diff(
        (&old_label, &old_text),
        (&new_label, &new_text),
        &edits,
        &engine.options(),
        &gate_request(gate),
    ) {
        Ok(d) => {
            let code = if d.new.met() { OK } else { MISSED };
            emit_decision(
                |_| render::diff::page(&d),
                || render::diff::json(&d),
                out,
                &[new, old],
                code,
            )
        }
        Err(r) => {
            print_report(&r);
            BAD_INPUT
        }
    }
}

fn allocate(
    file: &str,
    (by, max_solves): (args::ByArg, usize),
    out: &args::DecisionOutput,
    gate: args::TargetArgs,
    engine: &EngineArgs,
) -> i32 {
    use hacalc::decide::allocate::By;
    in_session(file, engine, (gate, Some(max_solves)), |s, label| {
        let by = match by {
            args::ByArg::Mttr => By::Mttr,
            args::ByArg::Mtbf => By::Mtbf,
            args::ByArg::Availability => By::Availability,
        };
        match hacalc::decide::allocate::allocate(s, by) {
            Ok(a)
                if a.current
                    .verdicts
                    .iter()
                    .all(|v| v.kind == hacalc::analysis::targets::TargetKind::Slo) =>
            {
                let _ = a;
                print_error(&format!(
                    "{label}: no target to work back from: the model has no `targets:` and neither --target nor --max-downtime was given"
                ));
                eprintln!("  hint: run `hacalc allocate {file} --target 99.99%`");
                BAD_INPUT
            }
            Ok(a) => emit_decision(
                |_| render::allocate::page(&a),
                || render::allocate::json(&a),
                out,
                &[file],
                OK,
            ),
            Err(r) => {
                print_report(&r);
                BAD_INPUT
            }
        }
    })
}
