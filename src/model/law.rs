//! Time laws of a component's up and down times (`time_to_failure`, `time_to_repair`), in
//! hours. The analysis uses a law's mean: for a single alternating renewal unit, and for
//! independent units under any structure, the steady-state availability and failure
//! frequency depend on the means only (A = E[up] / (E[up] + E[down]), f = 1 / (E[up] +
//! E[down])). The simulation draws the law itself.

use std::sync::Arc;

pub use crate::parse::distribution::{EF_Z, ParamDist, Uncertain};

#[derive(Debug, Clone, PartialEq)]
pub enum Law {
    Exponential {
        mean: f64,
    },
    Weibull {
        shape: f64,
        scale: f64,
    },
    /// ln T is normal with mean `mu` (of ln hours) and deviation `sigma`.
    Lognormal {
        mu: f64,
        sigma: f64,
    },
    Gamma {
        shape: f64,
        scale: f64,
    },
    Fixed {
        value: f64,
    },
    Uniform {
        low: f64,
        high: f64,
    },
    /// Observed durations, each drawn with equal probability.
    Empirical {
        samples: Arc<[f64]>,
    },
}

impl Law {
    pub fn mean(&self) -> f64 {
        match self {
            Law::Exponential { mean } => *mean,
            Law::Weibull { shape, scale } => {
                scale * statrs::function::gamma::gamma(1.0 + 1.0 / shape)
            }
            Law::Lognormal { mu, sigma } => (mu + sigma * sigma / 2.0).exp(),
            Law::Gamma { shape, scale } => shape * scale,
            Law::Fixed { value } => *value,
            Law::Uniform { low, high } => low + (high - low) / 2.0,
            Law::Empirical { samples } => samples.iter().sum::<f64>() / samples.len() as f64,
        }
    }

    /// The name written under `dist:`.
    pub fn name(&self) -> &'static str {
        match self {
            Law::Exponential { .. } => "exponential",
            Law::Weibull { .. } => "weibull",
            Law::Lognormal { .. } => "lognormal",
            Law::Gamma { .. } => "gamma",
            Law::Fixed { .. } => "fixed",
            Law::Uniform { .. } => "uniform",
            Law::Empirical { .. } => "empirical",
        }
    }

    pub fn is_exponential(&self) -> bool {
        matches!(self, Law::Exponential { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn means_against_closed_forms() {
        // Weibull shape 2: scale x sqrt(pi) / 2.
        let w = Law::Weibull {
            shape: 2.0,
            scale: 10.0,
        }
        .mean();
        assert!((w - 10.0 * std::f64::consts::PI.sqrt() / 2.0).abs() < 1e-12);
        // Shape 1 is the exponential.
        assert!(
            (Law::Weibull {
                shape: 1.0,
                scale: 7.0
            }
            .mean()
                - 7.0)
                .abs()
                < 1e-12
        );
        let l = Law::Lognormal {
            mu: 1.0,
            sigma: 0.5,
        }
        .mean();
        assert!((l - (1.125f64).exp()).abs() < 1e-12);
        assert_eq!(
            Law::Uniform {
                low: 2.0,
                high: 4.0
            }
            .mean(),
            3.0
        );
        assert_eq!(
            Law::Empirical {
                samples: Arc::from([1.0, 2.0, 6.0])
            }
            .mean(),
            3.0
        );
    }
}
