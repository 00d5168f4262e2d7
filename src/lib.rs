//! hacalc: steady-state availability of systems described in YAML.
//!
//! The engine is a pipeline, one module per stage, each reading only what the stages before
//! it produce (docs/architecture.md draws it):
//!
//! 1. [`parse`]: YAML text to the model as written, with the location of every value;
//! 2. [`validate`]: names resolved, parameters normalised, every problem reported, giving
//!    the typed [`model`];
//! 3. [`compile`]: blocks to a structure (a topologically ordered graph of nodes) and
//!    Markov chains;
//! 4. [`solve`]: availability, unavailability, failure frequency and importance;
//! 5. [`analysis`]: everything an output shows (target verdicts, measures over time,
//!    sensitivity), computed once with the command line's options;
//! 6. [`render`]: one file per output format, formatting an analysis and computing nothing.
//!
//! ```
//! let model = "components:\n  web: { mtbf: 30d, mttr: 4h }\nsystem:\n  k_of_n: { k: 2, n: 3, of: web }\n";
//! let analysis = hacalc::analyse("web.yaml", model).unwrap();
//! assert!(analysis.solution.system.unavailability() < 1e-4);
//! ```

pub mod analysis;
pub mod compile;
pub mod decide;
pub mod diagnostics;
pub mod graph;
pub mod limits;
pub mod model;
pub mod parallel;
pub mod parse;
pub mod probability;
pub mod progress;
pub mod render;
pub mod solve;
pub mod units;
pub mod validate;

pub use analysis::{Analysis, Options, OverTime, Request};
use diagnostics::{Diagnostic, Report, Sink};

/// A model read and validated, not yet solved.
#[derive(Debug, Clone)]
pub struct Validated {
    pub model: model::Model,
    pub warnings: Vec<Diagnostic>,
}

/// The model's name when it has none: the file stem (`checkout` for `arch/checkout.yaml`).
pub fn default_name(file: &str) -> String {
    if file == "-" || file == "<stdin>" {
        return "stdin".to_string();
    }
    std::path::Path::new(file)
        .file_stem()
        .map_or_else(|| file.to_string(), |s| s.to_string_lossy().into_owned())
}

pub use parse::assign::Edits;

/// Parses and validates `source` (the contents of `file`), reporting every problem.
pub fn validate_model(file: &str, source: &str) -> Result<Validated, Report> {
    validate_edited(file, source, &Edits::default())
}

/// A report of `diagnostics` against the file and the command-line arguments that edited it.
fn report_of(file: &str, source: &str, edits: &Edits, diagnostics: Vec<Diagnostic>) -> Report {
    Report {
        arguments: edits.arguments(),
        ..Report::new(file, source, diagnostics)
    }
}

/// Parses and validates `source` changed by `edits` (a variant, `--set` assignments),
/// reporting every problem, those of the edits at their arguments.
pub fn validate_edited(file: &str, source: &str, edits: &Edits) -> Result<Validated, Report> {
    let mut sink = Sink::default();
    let model = parse::parse_edited(source, edits, &mut sink)
        .and_then(|m| validate::validate(m, &default_name(file), &mut sink));
    validated(file, source, edits, model, sink)
}

/// Validates a model's YAML tree (read from `source` and changed by `edits`).
pub fn validate_tree(
    file: &str,
    source: &str,
    root: &parse::yaml::Node,
    edits: &Edits,
) -> Result<Validated, Report> {
    let mut sink = Sink::default();
    // Reading drops the components' YAML as it goes; the caller's tree is read again.
    let model = parse::convert::Converter { sink: &mut sink }
        .model(&mut root.clone())
        .and_then(|m| validate::validate(m, &default_name(file), &mut sink));
    validated(file, source, edits, model, sink)
}

/// The validated model, or the report of its problems (the variants of an unedited model
/// checked too).
fn validated(
    file: &str,
    source: &str,
    edits: &Edits,
    model: Option<model::Model>,
    mut sink: Sink,
) -> Result<Validated, Report> {
    // Every variant of the file is checked (not again at every point a command generates).
    if edits.generated.is_empty()
        && let Some(m) = &model
        && !m.variants.is_empty()
        && !sink.has_errors()
    {
        check_variants(file, source, m, &mut sink);
    }
    let mut diagnostics = sink.items;
    diagnostics.sort_by_key(|d| {
        (
            d.pos.offset as usize > source.len(),
            d.pos.line,
            d.pos.column,
        )
    });
    match model {
        Some(model) if !diagnostics.iter().any(Diagnostic::is_error) => Ok(Validated {
            model,
            warnings: diagnostics,
        }),
        _ => Err(report_of(file, source, edits, diagnostics)),
    }
}

/// Every variant of a valid model must give a valid model: its problems are reported at the
/// file's lines, each saying which variant it comes from.
fn check_variants(file: &str, source: &str, model: &model::Model, sink: &mut Sink) {
    for name in &model.variants {
        let edits = Edits::variant(name);
        let mut own = Sink::default();
        let _ = parse::parse_edited(source, &edits, &mut own)
            .and_then(|m| validate::validate(m, &default_name(file), &mut own));
        for mut d in own.items.into_iter().filter(Diagnostic::is_error) {
            d.message = format!("in variant `{name}`: {}", d.message);
            sink.push(d);
        }
    }
}

/// Parses, validates and compiles a model: everything short of solving, with the same
/// limits a solve applies (what `hacalc validate` checks).
pub fn compile_model(
    file: &str,
    source: &str,
    options: &Options,
) -> Result<(Validated, compile::Structure), Report> {
    compile_edited(file, source, &Edits::default(), options)
}

/// [`compile_model`] of the model changed by `edits`.
pub fn compile_edited(
    file: &str,
    source: &str,
    edits: &Edits,
    options: &Options,
) -> Result<(Validated, compile::Structure), Report> {
    let validated = validate_edited(file, source, edits)?;
    let structure = compile::compile(&validated.model, &options.limits)
        .map_err(|diagnostics| report_of(file, source, edits, diagnostics))?;
    Ok((validated, structure))
}

/// Parses, validates, compiles and solves a model with the default options.
pub fn analyse(file: &str, source: &str) -> Result<Analysis, Report> {
    analyse_with(file, source, &Options::default(), &Request::default())
}

/// Parses, validates, compiles and solves a model, then computes what `request` asks for.
pub fn analyse_with(
    file: &str,
    source: &str,
    options: &Options,
    request: &Request,
) -> Result<Analysis, Report> {
    analyse_edited(file, source, &Edits::default(), options, request)
}

/// [`analyse_with`] of the model changed by `edits` (a variant, `--set` assignments).
pub fn analyse_edited(
    file: &str,
    source: &str,
    edits: &Edits,
    options: &Options,
    request: &Request,
) -> Result<Analysis, Report> {
    let validated = validate_edited(file, source, edits)?;
    analyse_validated(file, source, edits, validated, options, request)
}

/// Compiles, solves and analyses a validated model.
pub fn analyse_validated(
    file: &str,
    source: &str,
    edits: &Edits,
    validated: Validated,
    options: &Options,
    request: &Request,
) -> Result<Analysis, Report> {
    let structure = compile::compile(&validated.model, &options.limits)
        .map_err(|diagnostics| report_of(file, source, edits, diagnostics))?;
    let solution = solve::solve(&validated.model, &structure, &options.solver)
        .map_err(|diagnostics| report_of(file, source, edits, diagnostics))?;
    let (solution, planned) = analysis::maintenance::solve(
        &validated.model,
        solution,
        options,
        options.planned_excluded,
    )
    .map_err(|diagnostics| report_of(file, source, edits, diagnostics))?;
    let mut analysis = Analysis::new(
        file,
        source,
        validated.model,
        structure,
        solution,
        validated.warnings,
        options,
        request,
    );
    analysis.edits = edits.clone();
    analysis.planned = planned;
    Ok(analysis)
}
