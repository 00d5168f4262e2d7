//! hacalc: steady-state availability of systems described in YAML.
//!
//! The engine is a pipeline, one module per stage:
//!
//! 1. [`parse`]: YAML text to the typed model as written, with the location of every value;
//! 2. [`validate`]: names resolved, parameters normalised, every problem reported;
//! 3. [`compile`]: blocks to a structure (a topologically ordered graph of nodes);
//! 4. [`solve`]: availability, unavailability, failure frequency and importance;
//! 5. [`render`]: tables, JSON, Markdown and CI verdicts.
//!
//! ```
//! let model = "components:\n  web: { mtbf: 30d, mttr: 4h }\nsystem:\n  k_of_n: { k: 2, n: 3, of: web }\n";
//! let analysis = hacalc::analyse("web.yaml", model).unwrap();
//! assert!(analysis.solution.system.unavailability < 1e-4);
//! ```

pub mod check;
pub mod compile;
pub mod diagnostics;
pub mod parse;
pub mod render;
pub mod schema;
pub mod solve;
pub mod units;
pub mod validate;

use diagnostics::{Diagnostic, Report, Sink};

/// A model read, checked, compiled and solved.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub file: String,
    pub source: String,
    pub model: validate::Valid,
    pub structure: compile::Structure,
    pub solution: solve::Solution,
    /// Problems that do not stop the solve (unused components, for instance).
    pub warnings: Vec<Diagnostic>,
}

/// A model read and checked, not yet solved.
#[derive(Debug, Clone)]
pub struct Checked {
    pub model: validate::Valid,
    pub warnings: Vec<Diagnostic>,
}

impl Analysis {
    /// A(t), R(t) at `times` (hours) and the MTTF, everything starting up at t = 0.
    pub fn transient(&self, times: &[f64], options: &Options) -> solve::transient::Transient {
        solve::transient::transient(
            &self.model,
            &self.structure,
            &self.solution,
            times,
            &options.solver,
        )
    }
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

/// Parses and validates `source` (the contents of `file`), reporting every problem.
pub fn check_model(file: &str, source: &str) -> Result<Checked, Report> {
    let mut sink = Sink::default();
    let model = parse::parse(source, &mut sink)
        .and_then(|m| validate::validate(m, &default_name(file), &mut sink));
    let mut diagnostics = sink.items;
    diagnostics.sort_by_key(|d| (d.pos.line, d.pos.column));
    match model {
        Some(model) if !diagnostics.iter().any(Diagnostic::is_error) => Ok(Checked {
            model,
            warnings: diagnostics,
        }),
        _ => Err(Report {
            file: file.to_string(),
            source: source.to_string(),
            diagnostics,
        }),
    }
}

/// Limits and tolerances of an analysis.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub compile: compile::CompileOptions,
    pub solver: solve::ctmc::SolverOptions,
}

/// Parses, validates, compiles and solves a model with the default options.
pub fn analyse(file: &str, source: &str) -> Result<Analysis, Report> {
    analyse_with(file, source, &Options::default())
}

/// Parses, validates, compiles and solves a model.
pub fn analyse_with(file: &str, source: &str, options: &Options) -> Result<Analysis, Report> {
    let checked = check_model(file, source)?;
    let fail = |diagnostics: Vec<Diagnostic>| Report {
        file: file.to_string(),
        source: source.to_string(),
        diagnostics,
    };
    let structure = compile::compile(&checked.model, &options.compile).map_err(fail)?;
    let solution = solve::solve(&checked.model, &structure, &options.solver).map_err(fail)?;
    Ok(Analysis {
        file: file.to_string(),
        source: source.to_string(),
        model: checked.model,
        structure,
        solution,
        warnings: checked.warnings,
    })
}
