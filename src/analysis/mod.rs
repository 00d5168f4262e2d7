//! Stage 5: everything any output shows, computed once, with the options of the command line.
//!
//! An [`Analysis`] holds the validated model, its structure and solution, the target
//! verdicts, and what an output asked for beyond the steady state (measures over time, the
//! sensitivity of downtime to each component's parameters). Renderers only format it; none
//! calls a solver, so every limit and solver option given on the command line reaches every
//! section of every output.

pub mod maintenance;
pub mod targets;
pub mod uncertainty;

use crate::compile::{ChainBlock, Node, Structure};
use crate::diagnostics::Diagnostic;
use crate::model::{Model, Targets};
use crate::probability::Probability;
use crate::solve::ctmc::SteadyState;
use crate::solve::cuts::{self, CutSets};
use crate::solve::sensitivity::{self, Sensitivity};
use crate::solve::served::{self, Served, ServedError};
use crate::solve::transient::{self, Transient};
use crate::solve::{BlockResult, ComponentResult, Solution};
use crate::units::YEAR_HOURS;
use targets::Verdict;

/// Limits and tolerances of an analysis.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub limits: crate::limits::Limits,
    pub solver: crate::solve::ctmc::SolverOptions,
    /// Planned maintenance left out of the figures (`--planned exclude`) and reported apart.
    pub planned_excluded: bool,
}

/// Measures over time to compute, everything up at t = 0.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum OverTime {
    /// Steady state only.
    #[default]
    None,
    /// At these times (hours), as `solve --at` asks.
    At(Vec<f64>),
    /// Curves for a report: time points spread from a minute to beyond the horizon and the
    /// system's MTBF.
    Curves,
}

/// What an output needs beyond the steady state.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// Targets that replace the model's of the same kind (`check --target`, `--max-downtime`).
    pub availability_target: Option<Probability>,
    pub downtime_target_hours: Option<f64>,
    pub over_time: OverTime,
    /// The components whose parameters move downtime most, each halved and doubled (the
    /// report's tornado chart): how many (0: none).
    pub tornado: usize,
    /// Minimal cut sets up to this order (None: not asked for).
    pub cut_sets: Option<usize>,
    /// Fractions x whose P(S >= x) is given beside 50%, 90% and 99% (`--served-at`).
    pub served_at: Vec<f64>,
    /// Draws of the uncertain parameters to solve (`--uncertainty N`).
    pub uncertainty: Option<uncertainty::UncertaintyRequest>,
}

/// The order of the cut sets the report lists.
pub const REPORT_CUT_ORDER: usize = 2;

impl Request {
    /// What the HTML report shows: curves over time and the sensitivity of the twelve
    /// components with the largest shares of downtime.
    pub fn report() -> Request {
        Request {
            over_time: OverTime::Curves,
            tornado: REPORT_TORNADO,
            cut_sets: Some(REPORT_CUT_ORDER),
            ..Request::default()
        }
    }
}

/// Components in the report's tornado chart.
pub const REPORT_TORNADO: usize = 12;

/// The parts of an analysis that an output may show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// System availability, downtime, failures, MTBF, mean outage.
    Headline,
    /// A verdict for each target.
    Targets,
    /// Named blocks ranked by their share of downtime.
    Blocks,
    /// Components ranked by their share of downtime.
    Components,
    /// Each Markov block: method, residual, states.
    MarkovBlocks,
    /// A(t), R(t), MTTF.
    OverTime,
    /// Downtime with each component's mtbf and mttr halved and doubled.
    Tornado,
    /// Problems that did not stop the analysis.
    Warnings,
    /// Single points of failure and the smallest cut sets.
    CutSets,
}

/// A model read, checked, compiled, solved, and everything its outputs show.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub file: String,
    pub source: String,
    pub model: Model,
    pub structure: Structure,
    pub solution: Solution,
    /// Problems that do not stop the solve (unused components, for instance).
    pub warnings: Vec<Diagnostic>,
    /// The targets judged: the model's, with the request's in place of the same kind.
    pub targets: Targets,
    pub verdicts: Vec<Verdict>,
    pub over_time: Option<Transient>,
    pub tornado: Vec<Sensitivity>,
    /// Minimal cut sets when asked for, or why they could not be had.
    pub cut_sets: Option<Result<CutSets, String>>,
    /// The fraction of requests served, when the model has parts that serve part of the
    /// load, a `served` target, or `--served-at` asks (or why it could not be had).
    pub served: Option<Result<Served, ServedError>>,
    /// Each data set's durability (`data:`).
    pub durability: Vec<crate::solve::durability::Durability>,
    /// The spread of the results over the uncertain parameters, when asked for.
    pub uncertainty: Option<Result<uncertainty::Uncertainty, uncertainty::UncertaintyError>>,
    /// What planned maintenance adds to the downtime (models with `maintenance:`).
    pub planned: Option<maintenance::Planned>,
    pub options: Options,
    /// What changed the file's model before it was solved (`--variant`, `--set`).
    pub edits: crate::Edits,
}

/// The standard importance measures of a component or block (all its copies together).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Importance {
    /// dA_sys / dA_part: how much system availability moves per unit of the part's.
    pub birnbaum: Option<f64>,
    /// Birnbaum x U_part / U_sys: the probability that the part is failed and critical,
    /// given that the system is down.
    pub criticality: Option<f64>,
    /// (U_sys - U_sys with the part perfect) / U_sys: the share of downtime it is in.
    pub fussell_vesely: Option<f64>,
    /// Risk achievement worth, U_sys with the part failed / U_sys.
    pub raw: Option<f64>,
    /// Risk reduction worth, U_sys / U_sys with the part perfect (null: infinite).
    pub rrw: Option<f64>,
    /// Improvement potential, U_sys - U_sys with the part perfect.
    pub improvement: f64,
}

/// Points of the report's curves; fewer for very large models, whose every point costs a
/// pass over the whole structure.
const CURVE_POINTS: usize = 36;
const CURVE_POINTS_LARGE: usize = 12;
const LARGE_STRUCTURE: usize = 20_000;

impl Analysis {
    /// Everything `request` asks for, computed from a solved model.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        file: &str,
        source: &str,
        model: Model,
        structure: Structure,
        solution: Solution,
        mut warnings: Vec<Diagnostic>,
        options: &Options,
        request: &Request,
    ) -> Analysis {
        warnings.extend(law_warnings(&model, &structure, request));
        if let Some(w) = subnormal_warning(&solution.system, model.system.pos) {
            warnings.push(w);
        }
        if let Some(c) = model.components.iter().find(|c| c.maintenance.is_some())
            && !options.planned_excluded
            && (!matches!(request.over_time, OverTime::None)
                || request.tornado > 0
                || request.cut_sets.is_some()
                || served::has_degraded_parts(&structure))
        {
            warnings.push(
                Diagnostic::warning(
                    c.maintenance.map_or(c.pos, |m| m.pos),
                    "the block diagram's figures, A(t), R(t), MTTF, the cut sets, the sensitivity chart and the served fraction leave planned maintenance out; the headline figures and the tables include it",
                )
                .with_hint("`hacalc simulate` follows the schedule itself"),
            );
        }
        // Repair teams too large for their components' importance say so.
        let team_work = solution
            .shared
            .as_ref()
            .filter(|e| e.teams.is_some())
            .map_or(0.0, crate::solve::team_importance_work);
        if team_work > options.solver.max_team_work {
            let pos = model.teams.first().map_or(model.system.pos, |t| t.pos);
            warnings.push(
                Diagnostic::warning(
                    pos,
                    format!(
                        "the downtime saved, share and Birnbaum importance of the teams' components are not computed: they would solve {:.1e} states of the teams' chains again, more than --max-team-work {:.1e}",
                        team_work,
                        options.solver.max_team_work
                    ),
                )
                .with_hint("raise --max-team-work to compute them (four solves of the team's chain per component)"),
            );
        }
        let targets = targets::merge(
            model.targets,
            request.availability_target,
            request.downtime_target_hours,
        );
        let wants_served = targets.served.is_some()
            || !request.served_at.is_empty()
            || served::has_degraded_parts(&structure);
        let served = wants_served.then(|| {
            let mut levels: Vec<f64> = served::DEFAULT_LEVELS
                .iter()
                .chain(&request.served_at)
                .copied()
                .collect();
            levels.sort_by(f64::total_cmp);
            levels.dedup();
            served::served(&structure, &solution, &levels)
        });
        let mut verdicts = targets::evaluate(&solution, &targets);
        if let (Some(t), Some(s)) = (targets.served, &served) {
            verdicts.push(targets::served_verdict(t, s, solution.horizon_hours));
        }
        let durability: Vec<_> = model
            .data
            .iter()
            .map(|d| crate::solve::durability::durability(d, solution.horizon_hours))
            .collect();
        if let Some(t) = targets.durability {
            verdicts.extend(targets::durability_verdicts(
                t,
                &durability,
                solution.horizon_hours,
            ));
        }
        let uncertainty = request.uncertainty.map(|r| {
            let nominal = targets::evaluate(&solution, &targets);
            uncertainty::uncertainty(&model, &targets, options, &nominal, &r)
        });
        verdicts.extend(targets::promises(&model, &solution));
        // Times asked for (`--at`) show every Markov block's own curves; the report's curves
        // are the system's.
        let times = match &request.over_time {
            OverTime::None => None,
            OverTime::At(times) => Some((times.clone(), true)),
            OverTime::Curves => Some((curve_times(&solution, &structure), false)),
        };
        let over_time = times.map(|(t, every_block)| {
            transient::transient_with(
                &model,
                &structure,
                &solution,
                &t,
                &options.solver,
                every_block,
            )
        });
        let tornado = if request.tornado > 0 {
            sensitivity::tornado(
                &model,
                &structure,
                &solution,
                &options.solver,
                request.tornado,
            )
        } else {
            Vec::new()
        };
        let cut_sets = request.cut_sets.map(|order| {
            cuts::minimal_cut_sets(
                &model,
                &structure,
                &solution,
                order,
                options.limits.max_cut_sets,
                options.limits.max_bdd_nodes,
            )
            .map_err(|e| e.to_string())
        });
        Analysis {
            file: file.to_string(),
            source: source.to_string(),
            model,
            structure,
            solution,
            warnings,
            targets,
            verdicts,
            over_time,
            tornado,
            cut_sets,
            served,
            durability,
            uncertainty,
            planned: None,
            options: *options,
            edits: crate::Edits::default(),
        }
    }

    /// A report of `diagnostics` against the model's file and the arguments that edited it.
    pub fn report_of(&self, diagnostics: Vec<Diagnostic>) -> crate::diagnostics::Report {
        crate::diagnostics::Report {
            arguments: self.edits.arguments(),
            ..crate::diagnostics::Report::new(&self.file, &self.source, diagnostics)
        }
    }

    /// A(t), R(t) at `times` (hours) and the MTTF, everything starting up at t = 0, with the
    /// analysis's options (for library users; outputs read [`Analysis::over_time`]).
    pub fn over_time_at(&self, times: &[f64]) -> Transient {
        transient::transient(
            &self.model,
            &self.structure,
            &self.solution,
            times,
            &self.options.solver,
        )
    }

    /// The sections this analysis has something to show in.
    pub fn sections(&self) -> Vec<Section> {
        let mut out = vec![Section::Headline];
        if !self.ranked_components().is_empty() {
            out.push(Section::Components);
        }
        if !self.verdicts.is_empty() {
            out.push(Section::Targets);
        }
        if !self.ranked_blocks().is_empty() {
            out.push(Section::Blocks);
        }
        if !self.structure.chains.is_empty() {
            out.push(Section::MarkovBlocks);
        }
        if self.over_time.is_some() {
            out.push(Section::OverTime);
        }
        if !self.tornado.is_empty() {
            out.push(Section::Tornado);
        }
        if !self.warnings.is_empty() {
            out.push(Section::Warnings);
        }
        if self.cut_sets.is_some() {
            out.push(Section::CutSets);
        }
        out
    }

    /// Whether every target is met (true when there is none).
    pub fn targets_met(&self) -> bool {
        self.verdicts.iter().all(|v| v.met)
    }

    /// Components used by the system, largest share of downtime first (ties: declaration
    /// order).
    pub fn ranked_components(&self) -> Vec<&ComponentResult> {
        let mut v: Vec<&ComponentResult> = self
            .solution
            .components
            .iter()
            .filter(|c| c.copies > 0.0)
            .collect();
        // A saving not computed (NaN) ranks last.
        let key = |c: &ComponentResult| {
            if c.unavailability_saved.is_nan() {
                f64::NEG_INFINITY
            } else {
                c.unavailability_saved
            }
        };
        v.sort_by(|x, y| key(y).total_cmp(&key(x)).then(x.index.cmp(&y.index)));
        v
    }

    /// Named blocks used by the system, largest share of downtime first.
    pub fn ranked_blocks(&self) -> Vec<&BlockResult> {
        let mut v: Vec<&BlockResult> = self
            .solution
            .blocks
            .iter()
            .filter(|b| b.copies > 0.0)
            .collect();
        v.sort_by(|x, y| {
            y.unavailability_saved
                .total_cmp(&x.unavailability_saved)
                .then(x.index.cmp(&y.index))
        });
        v
    }

    /// Every Markov block with its steady state and its node.
    pub fn markov_blocks(&self) -> impl Iterator<Item = (&ChainBlock, &SteadyState, &Node)> {
        self.structure
            .chains
            .iter()
            .zip(&self.solution.chains)
            .map(|(b, s)| (b, s, &self.structure.nodes[b.node]))
    }

    /// The importance measures of a part with Birnbaum importance `birnbaum`, one copy's
    /// unavailability `u_part`, and the system's U changes when it is perfect (`saved`) and
    /// when it is failed (`added`).
    pub fn importance(&self, birnbaum: f64, u_part: f64, saved: f64, added: f64) -> Importance {
        let u = self.solution.system.unavailability();
        let ratio = |x: f64| (u > 0.0 && x.is_finite()).then(|| x / u);
        let finite = |x: f64| x.is_finite().then_some(x);
        let perfect = u - saved;
        Importance {
            birnbaum: finite(birnbaum),
            criticality: ratio(birnbaum * u_part),
            fussell_vesely: ratio(saved),
            raw: ratio(u + added),
            rrw: (u > 0.0 && perfect > 0.0).then(|| u / perfect),
            improvement: saved,
        }
    }

    /// Share of system downtime that would go if a part with this saving never failed (need
    /// not add up to 1 over the parts).
    pub fn share(&self, unavailability_saved: f64) -> f64 {
        let u = self.solution.system.unavailability();
        if u > 0.0 {
            unavailability_saved / u
        } else {
            0.0
        }
    }
}

/// Time points of the report's curves: log-spaced from about a minute to the longer of the
/// horizon and three system MTBFs (at most a century), a factor of the square root of two
/// apart (four for a large structure, which is evaluated once per point). They are powers of
/// two times the last point or the last over root two, so every other stretch between points
/// is exactly twice the one before (each four times): a small chain's e^{Q dt} is then one
/// squaring of an earlier one ([`crate::solve::ctmc::transient`]).
fn curve_times(solution: &Solution, structure: &Structure) -> Vec<f64> {
    let t0 = 1.0 / 60.0;
    let t1 = solution
        .horizon_hours
        .max(solution.system.mtbf().unwrap_or(0.0) * 3.0)
        .min(100.0 * YEAR_HOURS);
    let halvings = (t1 / t0).log2().max(0.0);
    if structure.nodes.len() > LARGE_STRUCTURE {
        let steps = ((halvings / 2.0).ceil() as i32).clamp(1, CURVE_POINTS_LARGE as i32);
        (0..=steps).map(|i| t1 * 4f64.powi(i - steps)).collect()
    } else {
        let steps = ((halvings * 2.0).ceil() as i32).clamp(1, CURVE_POINTS as i32 * 2);
        let odd = t1 / std::f64::consts::SQRT_2;
        (0..=steps)
            .map(|i| {
                let back = steps - i;
                if back % 2 == 0 {
                    t1 * 2f64.powi(-back / 2)
                } else {
                    odd * 2f64.powi(-(back - 1) / 2)
                }
            })
            .collect()
    }
}

/// Where a component's non-exponential time law is not what the figures use: inside a
/// Markov chain (crews, standby, common cause, a repair team) the analysis and the
/// simulation both take exponential times of the law's mean, and over time (A(t), R(t),
/// MTTF) every part is taken as exponential. The steady state of independent parts is exact
/// for any law (it depends on the means only) and needs no word.
/// A system unavailability below the smallest normal double (2.2e-308) is held in fewer than
/// 16 significant digits, and so are the figures divided by it (mean outage, shares,
/// criticality): the warning says how many digits are left rather than let them pass as exact.
/// A system whose every part has rates (it has a frequency) is down with positive
/// probability, so a U of exactly 0 is one that fell below the smallest double (4.9e-324).
fn subnormal_warning(
    system: &crate::solve::Measures,
    pos: crate::diagnostics::Pos,
) -> Option<Diagnostic> {
    let u = system.unavailability();
    if u == 0.0 && system.frequency.is_some() {
        return Some(
            Diagnostic::warning(
                pos,
                "the system's unavailability is below 4.9e-324, the smallest double, and shows as 0: the mean outage and the downtime shares are unknown",
            )
            .with_hint("read it as \"below 1e-300\"; the components' own figures keep full precision"),
        );
    }
    if !(u > 0.0 && u < f64::MIN_POSITIVE) {
        return None;
    }
    // A subnormal x is a multiple of the smallest one, 4.9e-324: its relative rounding is up
    // to half that step over x.
    let step = f64::from_bits(1);
    let digits = (u / step).log10().floor().max(0.0) + 1.0;
    Some(
        Diagnostic::warning(
            pos,
            format!(
                "the system's unavailability {u:.1e} is below the smallest full-precision double (2.2e-308): it keeps about {digits} significant digit{}, and so do the mean outage, the downtime shares and the criticality derived from it",
                if digits == 1.0 { "" } else { "s" }
            ),
        )
        .with_hint("read it as \"below 1e-300\"; the components' own figures keep full precision"),
    )
}

fn law_warnings(model: &Model, structure: &Structure, request: &Request) -> Vec<Diagnostic> {
    let lawful: Vec<usize> = (0..model.components.len())
        .filter(|&c| {
            let comp = &model.components[c];
            comp.failure_law.is_some() || comp.repair_law.is_some()
        })
        .collect();
    let mut out = Vec::new();
    for &c in &lawful {
        let comp = &model.components[c];
        let chains = || structure.chains.iter().filter(|b| b.component == Some(c));
        let crews_only = chains().count() > 0
            && chains().all(|b| matches!(b.spec, crate::compile::chains::ChainSpec::Crews { .. }));
        let in_chain = chains().count() > 0
            || structure
                .nodes
                .iter()
                .any(|n| matches!(n.kind, crate::compile::NodeKind::Unit { component, .. } if component == c));
        let place = if comp.team.is_some() {
            Some(
                "repaired by a team: the analysis takes exponential times of the same mean there (exact only for exponential times); `hacalc simulate` draws the law (simulation only)",
            )
        } else if crews_only {
            Some(
                "in copies with shared repair crews: the analysis takes exponential times of the same mean there (exact only for exponential times, or with a crew for every copy); `hacalc simulate` draws the law (simulation only)",
            )
        } else if in_chain {
            Some(
                "inside a Markov block (standby or common cause): the analysis and the simulation take exponential times of the same mean there (exact only for exponential times)",
            )
        } else {
            None
        };
        if let Some(place) = place {
            let laws: Vec<&str> = [&comp.failure_law, &comp.repair_law]
                .into_iter()
                .flatten()
                .map(|l| l.name())
                .collect();
            out.push(
                Diagnostic::warning(
                    comp.pos,
                    format!(
                        "component `{}` has {} times but is {place}",
                        comp.name,
                        laws.join(" and ")
                    ),
                )
                .with_hint("use it as an independent part (its steady state is then exact for any law), or write its mean times"),
            );
        }
    }
    for b in structure
        .chains
        .iter()
        .filter(|b| b.switchover_law.is_some())
    {
        let law = b.switchover_law.as_ref().map_or("", |l| l.name());
        out.push(
            Diagnostic::warning(
                structure.nodes[b.node].pos,
                format!("this standby's switchover is {law}: the analysis takes an exponential switchover of the same mean (exact only for an exponential one); `hacalc simulate` draws the law (simulation only)"),
            )
            .with_hint("compare with `hacalc simulate`, which follows the switchover as written"),
        );
    }
    if let (Some(&c), false) = (lawful.first(), matches!(request.over_time, OverTime::None)) {
        out.push(
            Diagnostic::warning(
                model.components[c].pos,
                "A(t), R(t) and MTTF take every part's times as exponential with the law's mean; the steady-state figures are exact for any law",
            )
            .with_hint("`hacalc simulate` draws the laws themselves"),
        );
    }
    out
}
