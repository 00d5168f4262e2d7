//! The command line, declared with clap. Help texts are written to read like a man page.

use clap::{Parser, Subcommand, ValueEnum};
use clap_complete::Shell;
use hacalc::parse::quantity;
use hacalc::probability::Probability;

const ABOUT: &str = "Availability modeling from a YAML description of a system";

const LONG_ABOUT: &str = "\
hacalc computes the steady-state availability of a system from a YAML file that declares its \
components (mtbf/mttr, failure rates or static availabilities) and how they are composed \
(series, parallel, k-of-n, named sub-diagrams, and Markov-chain blocks for shared repair \
crews, standby with failover, common-cause failures and explicit chains). It reports \
availability and nines, expected downtime, failure frequency, MTBF and mean outage duration, \
and for every component its Birnbaum importance and the downtime that would go if it never \
failed; with --at, availability and reliability over time and the MTTF.

Results are exact, computed in unavailability space so that a system with U = 1e-18 reports \
1e-18; Markov blocks are solved by GTH or by a method chosen for the chain's structure, and \
the residual is reported.";

const AFTER_LONG_HELP: &str = "\
EXAMPLES:
    hacalc solve examples/web-service.yaml
    hacalc solve examples/mysql-replica.yaml --at 24h,30d,1y
    hacalc solve examples/web-service.yaml --format json | jq .availability
    hacalc check examples/web-service.yaml --target 99.95%
    hacalc validate arch.yaml
    cat arch.yaml | hacalc solve -

EXIT STATUS:
    0  success (check: every target met)
    1  check: a target was missed
    2  bad input or usage (every problem is printed as FILE:LINE:COLUMN: message)

ENVIRONMENT:
    NO_COLOR  when set, output is never coloured (colour is only used on a terminal anyway)

`hacalc help format` prints the reference of the model format (docs/format.md), `hacalc schema` \
its JSON Schema, and `hacalc man` this manual as a man page.";

#[derive(Parser, Debug)]
#[command(name = "hacalc", version, about = ABOUT, long_about = LONG_ABOUT, after_long_help = AFTER_LONG_HELP)]
#[command(
    propagate_version = true,
    max_term_width = 100,
    disable_help_subcommand = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Print only errors and the results: no warnings, no "valid" or "wrote" lines (the exit
    /// status still tells)
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// When to colour the output: auto (on a terminal, unless NO_COLOR is set), always or
    /// never
    #[arg(long, value_enum, global = true, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set
    Auto,
    /// Always, even into a pipe or a file
    Always,
    /// Never
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValidateFormat {
    /// FILE:LINE:COLUMN: message, with the source line underlined (standard error)
    Text,
    /// One JSON object: valid, counts, and every problem with line, column, message, hint
    Json,
    /// GitHub Actions workflow commands (::error file=...,line=...,col=...::message), shown
    /// as annotations on the pull request
    Github,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Solve a model and print its availability, downtime and component importance
    #[command(
        long_about = "\
Solve a model and print the system's steady-state availability (with nines), unavailability, \
expected downtime per horizon, per 30-day month and per year, failures per horizon, MTBF and \
mean outage duration; then the named blocks and the components ranked by their share of system \
downtime (the downtime saved if the part never failed), with their Birnbaum importance.

Targets written in the model are evaluated and shown, but do not change the exit status \
(use `hacalc check` to gate on them).",
        after_long_help = "\
EXAMPLES:
    hacalc solve examples/web-service.yaml
    hacalc solve examples/large-platform.yaml --top 10
    hacalc solve model.yaml --format json > results.json
    hacalc solve model.yaml --format markdown >> $GITHUB_STEP_SUMMARY"
    )]
    Solve {
        /// The model file (YAML), or `-` for standard input
        #[arg(value_name = "FILE")]
        file: String,
        /// Output format
        #[arg(long, short, value_enum, default_value_t = SolveFormat::Table)]
        format: SolveFormat,
        /// Show at most this many components in the table and Markdown (0: all)
        #[arg(long, default_value_t = 20, value_name = "N")]
        top: usize,
        /// Importance measures in the table: `default` (downtime share, i.e. Fussell-Vesely,
        /// and Birnbaum) or `all` (also criticality, risk achievement and reduction worth);
        /// JSON always has all
        #[arg(long, value_enum, default_value_t = ImportanceColumns::Default)]
        importance: ImportanceColumns,
        /// Also give point availability A(t), reliability R(t) and MTTF at these times
        /// (everything up at t = 0), e.g. --at 24h,30d,1y
        #[arg(long, value_delimiter = ',', value_name = "TIMES")]
        at: Vec<Downtime>,
        #[command(flatten)]
        uncertainty: UncertaintyArgs,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Gate CI on availability targets: exit 0 when met, 1 when missed
    #[command(
        long_about = "\
Check the system against availability targets and exit 0 when every target is met, 1 when one \
is missed and 2 when the model is invalid or there is no target to check.

Targets come from the model's `targets:` section; --target and --max-downtime replace the \
model's target of the same kind. The verdict says by how much each target was met or missed, \
as downtime against the budget the target allows per horizon.",
        after_long_help = "\
EXAMPLES:
    hacalc check arch.yaml                          # targets from the file
    hacalc check arch.yaml --target 99.95%
    hacalc check arch.yaml --max-downtime 4h        # per the model's horizon
    hacalc check arch.yaml --format junit > hacalc.xml

EXIT STATUS:
    0 every target met, 1 a target missed, 2 bad input or no target"
    )]
    Check {
        /// The model file (YAML), or `-` for standard input
        #[arg(value_name = "FILE")]
        file: String,
        /// Minimum system availability, e.g. 99.95% or 0.9995
        #[arg(long, value_name = "AVAILABILITY")]
        target: Option<Target>,
        /// Maximum expected downtime per horizon, e.g. 4h or 26m
        #[arg(long, value_name = "DURATION")]
        max_downtime: Option<Downtime>,
        /// Output format
        #[arg(long, short, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Write a self-contained HTML report (or Markdown, or the block diagram as SVG)
    #[command(
        long_about = "\
Write a report for a design review: one self-contained HTML file (inline CSS and SVG, nothing \
fetched, prints on A4 and Letter) with the verdict against the model's targets, the headline \
figures, the block diagram, where the downtime comes from, a sensitivity (tornado) chart, the \
state diagram of every Markov block, U(t) and R(t) curves, every component's parameters, the \
model source, and a footer with the hacalc version, the model's SHA-256 and the time of \
generation.

--format markdown writes a summary for pull-request comments (verdict, headline table, top \
contributors, the diagram as a Mermaid block); --format svg the block diagram alone.

The file is written only when the report is complete: on bad input nothing is left behind.",
        after_long_help = "\
EXAMPLES:
    hacalc report examples/web-service.yaml              # writes examples/web-service.html
    hacalc report arch.yaml -o review.html
    hacalc report arch.yaml --format markdown >> comment.md
    hacalc report arch.yaml --format svg -o diagram.svg
    SOURCE_DATE_EPOCH=0 hacalc report arch.yaml          # no timestamp: reports can be diffed"
    )]
    Report {
        /// The model file (YAML), or `-` for standard input
        #[arg(value_name = "FILE")]
        file: String,
        /// Where to write (default: the model file's path with its extension replaced by
        /// .html or .svg, e.g. arch.yaml -> arch.html, whatever `name:` says; Markdown and
        /// standard input go to standard output); `-` for standard output
        #[arg(long, short, value_name = "PATH")]
        output: Option<String>,
        /// What to write
        #[arg(long, short, value_enum, default_value_t = ReportFormat::Html)]
        format: ReportFormat,
        /// Leave the time of generation out, so that a report can be diffed (as does setting
        /// SOURCE_DATE_EPOCH)
        #[arg(long)]
        reproducible: bool,
        #[command(flatten)]
        uncertainty: UncertaintyArgs,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Estimate availability by Monte-Carlo simulation, beside the exact results
    #[command(
        long_about = "\
Simulate the system over a long time (every copy of every part on its own clock, Markov \
blocks jumping between their states) and estimate its availability, unavailability and \
failure frequency, each with a 95% confidence interval (Student's t over independent \
replications), printed beside the exact values. An independent check of the analysis; every \
component needs rates. The replications run on every core (--threads); the same seed gives \
the same numbers on any number of threads. A progress bar shows on standard error for runs \
over a second (not with --quiet or when standard error is not a terminal). The run is bounded \
by --max-events: past it, the estimate of what was simulated is printed with a warning.",
        after_long_help = "\
EXAMPLES:
    hacalc simulate examples/web-service.yaml
    hacalc simulate examples/mysql-replica.yaml --horizon 10000y --seed 7
    hacalc simulate arch.yaml --format json"
    )]
    Simulate {
        /// The model file (YAML), or `-` for standard input
        #[arg(value_name = "FILE")]
        file: String,
        /// Simulated time, all replications together (each after a warm-up of 1% of its share)
        #[arg(long, default_value = "1000y", value_name = "DURATION")]
        horizon: Downtime,
        /// Seed of the random numbers (same seed, same result, on any number of threads)
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Independent replications the horizon is split into (each with its own warm-up
        /// and random stream); the intervals have one degree of freedom fewer
        #[arg(long, default_value_t = hacalc::solve::simulate::DEFAULT_REPLICATIONS as u64, value_name = "N", value_parser = clap::value_parser!(u64).range(2..=100_000))]
        replications: u64,
        /// Threads to run the replications on (default: every core); the numbers do not
        /// depend on it
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1024))]
        threads: Option<u64>,
        /// How to simulate: `plain` over the horizon, or `biased` (failure biasing, for
        /// rare failures: runs until --rel-error)
        #[arg(long, value_enum, default_value_t = SimulateMethod::Plain)]
        method: SimulateMethod,
        /// biased: stop when the half-width of U's 95% interval is within this share of U
        #[arg(long, default_value = "10%", value_name = "SHARE", value_parser = relative_error)]
        rel_error: f64,
        /// Output format
        #[arg(long, short, value_enum, default_value_t = SimulateFormat::Table)]
        format: SimulateFormat,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// List the minimal cut sets: which combinations of failures take the system down
    #[command(
        long_about = "\
List the minimal cut sets of the system: every smallest set of component instances whose joint \
failure takes the system down, single points of failure (order 1) first, then by order and by \
the probability that every member is down at once (exact: independent instances multiply; units \
of one shared-repair or standby block are taken from its chain). A shared component is one \
instance; every other use of a component, and each copy, is its own (`web#2`).",
        after_long_help = "\
EXAMPLES:
    hacalc cuts examples/web-service.yaml
    hacalc cuts examples/dc-network.yaml --max-order 4 --top 0
    hacalc cuts arch.yaml --format json | jq '.single_points_of_failure'"
    )]
    Cuts {
        /// The model file (YAML), or `-` for standard input
        #[arg(value_name = "FILE")]
        file: String,
        /// Largest cut set listed, in members (0: no bound; the work grows quickly with it)
        #[arg(long, default_value_t = 3, value_name = "K")]
        max_order: usize,
        /// Show at most this many cut sets (0: all)
        #[arg(long, default_value_t = 20, value_name = "N")]
        top: usize,
        /// Refuse to list more than this many cut sets
        #[arg(long, default_value_t = 2_000_000, value_name = "N")]
        max_cut_sets: usize,
        /// Output format
        #[arg(long, short, value_enum, default_value_t = SolveFormat::Table)]
        format: SolveFormat,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Solve the model and each of its variants side by side
    #[command(
        long_about = "\
Solve the model and every variant declared under `variants:` in the file, and show them side \
by side: availability, expected downtime per horizon and its change against the model as \
written, failures per horizon, and whether each target is met. Each variant is its \
assignments applied to the file (as --set would) and checked like the file; --set on the \
command line applies to the model and to every variant.",
        after_long_help = "\
EXAMPLES:
    hacalc compare examples/variants.yaml
    hacalc compare examples/variants.yaml --format markdown >> comment.md
    hacalc compare examples/variants.yaml --format html -o variants.html"
    )]
    Compare {
        /// The model file (YAML), or `-` for standard input
        #[arg(value_name = "FILE")]
        file: String,
        #[command(flatten)]
        out: DecisionOutput,
        #[command(flatten)]
        gate: TargetArgs,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Availability and downtime against a parameter, and where each target is crossed
    #[command(
        long_about = "\
Solve the model for a range of values of one parameter (or a grid of two: give --param, --from \
and --to twice) and show availability, downtime, failures and the targets' verdicts at each \
point. For one parameter, the value where each target changes from met to missed is found by \
bisection on re-solved models to 1e-9 relative (not read off the grid) and stated: \
\"the availability target 99.95% is met while db.mttr <= 1h47m\". The HTML output draws \
downtime and unavailability against the parameter, with the targets and crossings.

PATH is as for --set. --from and --to are quantities of the parameter's kind: durations \
(15m, 8h), rates (1/30d), percentages (99.9%) or numbers (k, n, crews). Counts step by whole \
numbers.",
        after_long_help = "\
EXAMPLES:
    hacalc sweep examples/web-service.yaml --param db.mttr --from 15m --to 8h
    hacalc sweep examples/web-service.yaml --param db.mttr --from 1m --to 1d --log --steps 30
    hacalc sweep examples/web-service.yaml --param web.mttr --from 5m --to 2h \\
        --param db.mttr --from 15m --to 8h --steps 10
    hacalc sweep examples/web-service.yaml --param frontend.k --from 1 --to 3 --format json"
    )]
    Sweep {
        /// The model file (YAML), or `-` for standard input
        #[arg(value_name = "FILE")]
        file: String,
        /// The parameter to sweep (a path as for --set); twice for a two-way grid
        #[arg(long, required = true, value_name = "PATH")]
        param: Vec<String>,
        /// The first value of each --param
        #[arg(
            long,
            required = true,
            value_name = "VALUE",
            allow_hyphen_values = true
        )]
        from: Vec<String>,
        /// The last value of each --param
        #[arg(
            long,
            required = true,
            value_name = "VALUE",
            allow_hyphen_values = true
        )]
        to: Vec<String>,
        /// Points per parameter, both ends included
        #[arg(long, default_value_t = 20, value_name = "N")]
        steps: usize,
        /// Space the points evenly in the logarithm of the value
        #[arg(long)]
        log: bool,
        /// Refuse a sweep that would solve the model more than this many times (points and
        /// the bisection of crossings)
        #[arg(long, default_value_t = hacalc::decide::sweep::DEFAULT_MAX_SOLVES, value_name = "N")]
        max_solves: usize,
        #[command(flatten)]
        out: DecisionOutput,
        #[command(flatten)]
        gate: TargetArgs,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// What a change to a model does: the model's differences and the figures before and after
    #[command(
        long_about = "\
Compare two versions of a model (the base and the head of a pull request): what changed in the \
model (components, named blocks, the system, targets, teams, variants: added, removed, or \
changed key by key), and what that does to availability, downtime, failures, each target's \
verdict, and the largest contributors. The targets are the new model's (or --target and \
--max-downtime), applied to both versions.

Exits like `check`: 0 when the new model meets every target (or there is none), 1 when it \
misses one, 2 on bad input. --format markdown writes a short comment for the pull request: the \
headline change first, the details folded.",
        after_long_help = "\
EXAMPLES:
    hacalc diff old/arch.yaml arch.yaml
    git show main:arch.yaml > /tmp/base.yaml && hacalc diff /tmp/base.yaml arch.yaml --format markdown
    hacalc diff base.yaml head.yaml --format json | jq .delta_downtime_hours

EXIT STATUS:
    0 every target met by the new model, 1 a target missed, 2 bad input"
    )]
    Diff {
        /// The model before the change
        #[arg(value_name = "OLD")]
        old: String,
        /// The model after the change
        #[arg(value_name = "NEW")]
        new: String,
        #[command(flatten)]
        out: DecisionOutput,
        #[command(flatten)]
        gate: TargetArgs,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Work back from a target: the parameter values that would meet it
    #[command(
        long_about = "\
Propose, for the components that matter (the ten with the largest share of downtime, each at \
least 0.1%), the parameter values that meet the availability target: first each single change \
that alone would meet it (\"db.mttr <= 41.27m alone meets 99.99%\"), or that none does; then \
a balanced allocation, every such component improved by one common factor (or, where components \
carry `cost:`, costlier ones less: each by g^(min cost / cost)).

--by mttr repairs faster (mttr, or repair_rate), --by mtbf fails less often (mtbf, or \
failure_rate), --by availability lowers the unavailability (through mttr, or the availability \
of a component given by one). Each value is found by bisection, rounded to four significant \
digits on the safe side, and the model is solved again with the value as printed before it is \
shown; every `set` is an assignment that --set accepts.",
        after_long_help = "\
EXAMPLES:
    hacalc allocate examples/web-service.yaml --target 99.99%
    hacalc allocate examples/web-service.yaml --target 99.995% --by mtbf
    hacalc allocate arch.yaml --format json | jq -r '.proposals[0].set'"
    )]
    Allocate {
        /// The model file (YAML), or `-` for standard input
        #[arg(value_name = "FILE")]
        file: String,
        /// What to change
        #[arg(long, value_enum, default_value_t = ByArg::Mttr)]
        by: ByArg,
        /// Refuse to solve the model more than this many times (about 35 per component
        /// considered; each solve is bounded by the limits below)
        #[arg(long, default_value_t = hacalc::decide::DEFAULT_MAX_SOLVES, value_name = "N")]
        max_solves: usize,
        #[command(flatten)]
        out: DecisionOutput,
        #[command(flatten)]
        gate: TargetArgs,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Check a model and list every problem, each as FILE:LINE:COLUMN
    #[command(
        long_about = "\
Check a model without solving it and list every problem found, each as FILE:LINE:COLUMN: \
message, with the offending text underlined and a hint where one helps. Exits 0 when the model \
is valid (warnings such as unused components are printed but do not fail), 2 otherwise.

--format json prints one JSON object on standard output (valid, errors, warnings, problems); \
--format github prints GitHub Actions workflow commands, so that each problem shows as an \
annotation on its line of the pull request.",
        after_long_help = "\
EXAMPLES:
    hacalc validate arch.yaml
    hacalc validate arch.yaml --format json | jq '.problems[] | .message'
    hacalc validate arch.yaml --format github      # in a GitHub Actions step
    hacalc -q validate arch.yaml && echo valid"
    )]
    Validate {
        /// The model file (YAML), or `-` for standard input
        #[arg(value_name = "FILE")]
        file: String,
        /// Output format
        #[arg(long, short, value_enum, default_value_t = ValidateFormat::Text)]
        format: ValidateFormat,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Print the JSON Schema of the model format (for editor completion)
    #[command(long_about = "\
Print the JSON Schema (draft 2020-12) of the model format. Editors that speak the YAML language \
server protocol complete and check models against it, e.g. with the first line\n\
    # yaml-language-server: $schema=hacalc-schema.json")]
    Schema,
    /// Print the help of a command, or the model format's reference (`hacalc help format`)
    #[command(long_about = "\
Print the help of hacalc or of one of its commands (`hacalc help solve`), or with `format` the \
reference of the model format: every key, quantity, block and what a solve computes (the \
docs/format.md of the version installed, so that it is at hand where hacalc is).")]
    Help {
        /// A command, or `format` for the model format's reference
        #[arg(value_name = "TOPIC")]
        topic: Option<String>,
    },
    /// Print the manual page (roff), generated from these help texts
    #[command(after_long_help = "\
EXAMPLES:
    hacalc man | man -l -
    hacalc man > ~/.local/share/man/man1/hacalc.1")]
    Man,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    #[command(after_long_help = "\
EXAMPLES:
    hacalc completions bash > ~/.local/share/bash-completion/completions/hacalc
    hacalc completions zsh > ~/.zfunc/_hacalc
    hacalc completions fish > ~/.config/fish/completions/hacalc.fish")]
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
}

/// Where and how the decision commands write.
#[derive(clap::Args, Debug, Clone)]
pub struct DecisionOutput {
    /// Output format
    #[arg(long, short, value_enum, default_value_t = DecisionFormat::Table)]
    pub format: DecisionFormat,
    /// Write to this file instead of standard output (replaced whole, never half-written)
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<String>,
    /// Leave the time of generation out of HTML (as does setting SOURCE_DATE_EPOCH)
    #[arg(long)]
    pub reproducible: bool,
}

/// Targets that replace the model's of the same kind.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct TargetArgs {
    /// Minimum system availability, e.g. 99.95% (replaces the model's)
    #[arg(long, value_name = "AVAILABILITY")]
    pub target: Option<Target>,
    /// Maximum expected downtime per horizon, e.g. 4h (replaces the model's)
    #[arg(long, value_name = "DURATION")]
    pub max_downtime: Option<Downtime>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecisionFormat {
    /// Aligned tables for a terminal
    Table,
    /// JSON (keys in docs/format.md)
    Json,
    /// Markdown for a pull-request comment (details folded)
    Markdown,
    /// A self-contained HTML page (with charts for sweep)
    Html,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ByArg {
    /// Repair faster: mttr (or repair_rate)
    Mttr,
    /// Fail less often: mtbf (or failure_rate)
    Mtbf,
    /// Lower the unavailability (through mttr, or a given availability)
    Availability,
}

/// Uncertainty on the inputs: draws of the parameters written as distributions.
#[derive(clap::Args, Debug, Clone)]
pub struct UncertaintyArgs {
    /// Solve the model N times with the parameters written as distributions (`mtbf: {
    /// median: 30d, error_factor: 3 }`, `{ low, high }`) drawn at random, and give the 5th,
    /// 50th and 95th percentiles of the results and each target's chance of being met
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub uncertainty: Option<u64>,
    /// Seed of the draws (same seed, same numbers, on any number of threads)
    #[arg(long = "uncertainty-seed", default_value_t = 1, value_name = "SEED")]
    pub seed: u64,
    /// Threads to solve the draws on (default: every core)
    #[arg(long = "uncertainty-threads", value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub threads: Option<u64>,
}

impl UncertaintyArgs {
    pub fn request(&self) -> Option<hacalc::analysis::uncertainty::UncertaintyRequest> {
        Some(hacalc::analysis::uncertainty::UncertaintyRequest {
            samples: self.uncertainty? as usize,
            seed: self.seed,
            threads: self.threads.map_or_else(
                || std::thread::available_parallelism().map_or(1, |n| n.get()),
                |t| t as usize,
            ),
        })
    }
}

/// Limits of the engine and strictness, shared by the commands that read a model.
#[derive(clap::Args, Debug, Clone)]
pub struct EngineArgs {
    /// Change a parameter without editing the file, e.g. --set db.mttr=30m --set
    /// frontend.k=3 --set horizon=30d (repeatable; PATH names the format's keys from a
    /// component, a named block or the top level, see `hacalc help format`); checked as if
    /// the file said it
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// Solve the model's variant NAME (its `variants:` assignments, before any --set)
    #[arg(long, value_name = "NAME")]
    pub variant: Option<String>,
    /// Also give P(requests served >= x) at these fractions (beside 50%, 90% and 99%), e.g.
    /// --served-at 75%,95%; computes the served fraction even for a model without
    /// degraded capacity
    #[arg(long, value_delimiter = ',', value_name = "FRACTIONS")]
    pub served_at: Vec<Target>,
    /// Refuse Markov chains with more states than this (memory grows with the states)
    #[arg(long, default_value_t = 2_000_000, value_name = "N")]
    pub max_states: u64,
    /// Refuse model files larger than this many megabytes (reading one takes about ten times
    /// its size in memory; at most 4095)
    #[arg(long, default_value_t = 64, value_name = "MB", value_parser = clap::value_parser!(u64).range(1..=4095))]
    pub max_input_mb: u64,
    /// Refuse a decision diagram (of shared instances, a network, or the cut sets) larger than
    /// this many nodes (about 100 bytes each)
    #[arg(long, default_value_t = hacalc::limits::DEFAULT_MAX_BDD_NODES, value_name = "N")]
    pub max_bdd_nodes: usize,
    /// Stop a Markov block's transient (A(t), R(t)) after this many multiply-adds (about 3
    /// seconds per 1e9 on one core); the figure is then "not computed", with the reason.
    /// Default: 1e9 for --at; for the report's curves 20 per state and transition of the
    /// chain, at least 2e8 (5e7 above 400 states)
    #[arg(long, value_name = "N", value_parser = positive_work)]
    pub max_transient_work: Option<f64>,
    /// Most states solved again for the importance of repair teams' components (four chains
    /// of the team's size per component); past it their downtime saved, share and Birnbaum
    /// importance are not computed, with a warning
    #[arg(long, default_value_t = hacalc::solve::ctmc::DEFAULT_MAX_TEAM_WORK, value_name = "N", value_parser = positive_work)]
    pub max_team_work: f64,
    /// Largest banded factorisation of a Markov chain, in MB (8 bytes per band entry); a
    /// chain whose band does not fit is solved iteratively
    #[arg(long, default_value_t = hacalc::solve::ctmc::DEFAULT_MAX_BAND_MB, value_name = "MB")]
    pub max_band_mb: usize,
    /// simulate: most events of a run (about 10 million a second per core); past it the
    /// run stops and prints what it simulated so far, with a warning
    #[arg(long, default_value_t = hacalc::solve::simulate::DEFAULT_MAX_EVENTS, value_name = "N")]
    pub max_events: u64,
    /// Planned maintenance (`maintenance:` on components) in the figures, or left out of
    /// them and reported apart
    #[arg(long, value_enum, default_value_t = Planned::Include)]
    pub planned: Planned,
    /// Treat warnings (an unused component, a target below 90%, mtbf and mttr that look
    /// swapped...) as errors: exit 2, for strict CI
    #[arg(long)]
    pub deny_warnings: bool,
    /// (set by `cuts --max-cut-sets`)
    #[arg(skip = 2_000_000usize)]
    pub max_cut_sets: usize,
}

impl EngineArgs {
    /// The model's edits: the variant, then the assignments.
    pub fn edits(&self) -> hacalc::Edits {
        hacalc::Edits {
            variant: self.variant.clone(),
            sets: self.sets.clone(),
            generated: Vec::new(),
        }
    }

    pub fn options(&self) -> hacalc::Options {
        let mut o = hacalc::Options::default();
        o.limits.max_states = self.max_states;
        o.solver.max_states = self.max_states;
        o.solver.max_team_work = self.max_team_work;
        o.limits.max_input_bytes = self.max_input_mb.saturating_mul(1 << 20);
        o.limits.max_bdd_nodes = self.max_bdd_nodes;
        o.solver.max_bdd_nodes = self.max_bdd_nodes;
        o.solver.max_transient_work = self.max_transient_work;
        o.solver.max_band_entries = self.max_band_mb.saturating_mul(1 << 20) / 8;
        o.limits.max_cut_sets = self.max_cut_sets;
        o.planned_excluded = self.planned == Planned::Exclude;
        o
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Planned {
    /// Planned maintenance counts against availability
    Include,
    /// The figures leave planned maintenance out; its downtime is reported apart
    Exclude,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SolveFormat {
    /// Aligned tables for a terminal
    Table,
    /// JSON with the contract's keys, times in hours
    Json,
    /// Markdown tables for pull requests
    Markdown,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportanceColumns {
    /// Downtime share (Fussell-Vesely) and Birnbaum
    Default,
    /// Also criticality, RAW and RRW
    All,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimulateMethod {
    /// Every part on its own clock over --horizon (any time law)
    Plain,
    /// Regenerative cycles with balanced failure biasing until --rel-error is reached: for
    /// rare system failures (five nines and beyond); exponential times only
    Biased,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimulateFormat {
    /// Estimates beside the exact values
    Table,
    /// Estimates with their intervals, and the exact values
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// A self-contained HTML page
    Html,
    /// Markdown with a Mermaid diagram, for pull requests
    Markdown,
    /// The block diagram alone
    Svg,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    /// One verdict line per target
    Text,
    /// The solve JSON with a top-level "met"
    Json,
    /// JUnit XML, one test case per target
    Junit,
}

/// `--target`: an availability.
#[derive(Clone, Copy, Debug)]
pub struct Target(pub Probability);

impl std::str::FromStr for Target {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let number = !s.trim().ends_with('%');
        quantity::parse_probability(s, number)
            .map(Target)
            .map_err(|e| match e.hint {
                Some(h) => format!("{} ({h})", e.message),
                None => e.message,
            })
    }
}

/// `--max-downtime` and `--at`: a duration.
#[derive(Clone, Copy, Debug)]
pub struct Downtime(pub f64);

impl std::str::FromStr for Downtime {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        quantity::parse_duration(s)
            .map(Downtime)
            .map_err(|e| match e.hint {
                Some(h) => format!("{} ({h})", e.message),
                None => e.message,
            })
    }
}

/// A work budget: a positive, finite count (`1e10` is accepted; NaN, infinity and zero are
/// not, since a budget that never trips is a hang).
fn positive_work(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 1.0 => Ok(v),
        _ => Err(format!(
            "`{s}` is not a work budget: give a count of at least 1, such as 1e10"
        )),
    }
}

/// A relative error: `10%` or `0.1`, above 0 and below 1.
fn relative_error(s: &str) -> Result<f64, String> {
    let t = s.trim();
    let v = match t.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map(|x| x / 100.0),
        None => t.parse::<f64>(),
    };
    match v {
        Ok(v) if v > 0.0 && v < 1.0 => Ok(v),
        _ => Err(format!(
            "`{s}` is not a relative error: give a share above 0 and below 100%, such as 10%"
        )),
    }
}
