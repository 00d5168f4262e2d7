//! Distributions over a parameter's value as written (`--uncertainty`), and the lognormal's
//! error factor: parsed here, carried by the model, drawn by the analysis.

/// Lognormal's error factor is its 95th percentile over its median: EF = exp(1.645 σ).
pub const EF_Z: f64 = 1.644_853_626_951_472_2;

/// What is known of a parameter's value (`--uncertainty`): for a duration in hours, a rate
/// per hour, an availability its unavailability U (error factors are on U, as reliability
/// databases give them).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamDist {
    /// `{ median, error_factor }`: ln of the value is normal, sigma = ln(EF) / 1.645.
    LogNormal { median: f64, sigma: f64 },
    /// `{ low, high }`.
    Uniform { low: f64, high: f64 },
    /// `{ low, high, log: true }`: ln of the value is uniform.
    LogUniform { low: f64, high: f64 },
}

impl ParamDist {
    /// The value that stands for the parameter outside `--uncertainty`: the median (for the
    /// log-uniform, the geometric middle).
    pub fn nominal(&self) -> f64 {
        match *self {
            ParamDist::LogNormal { median, .. } => median,
            ParamDist::Uniform { low, high } => low + (high - low) / 2.0,
            ParamDist::LogUniform { low, high } => (low.ln() + (high.ln() - low.ln()) / 2.0).exp(),
        }
    }

    /// The value at `u` (uniform on (0, 1]) and `z` (standard normal).
    pub fn at(&self, u: f64, z: f64) -> f64 {
        match *self {
            ParamDist::LogNormal { median, sigma } => median * (sigma * z).exp(),
            ParamDist::Uniform { low, high } => low + (high - low) * (1.0 - u),
            ParamDist::LogUniform { low, high } => {
                (low.ln() + (high.ln() - low.ln()) * (1.0 - u)).exp()
            }
        }
    }
}

/// An uncertain parameter of a component: its key (`mtbf`, `mttr`, `failure_rate`,
/// `repair_rate`, `availability`), where it is written, and its distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Uncertain {
    pub key: &'static str,
    pub pos: crate::diagnostics::Pos,
    pub dist: ParamDist,
}
