//! Estimates from independent replications: the mean of the replications' values and a
//! two-sided Student-t interval (statrs' quantile, exact for every number of replications).

use statrs::distribution::{ContinuousCDF, StudentsT};

/// An estimate and its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Estimate {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

impl Estimate {
    pub fn contains(&self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }

    /// The same estimate in other units.
    pub fn scaled(&self, by: f64) -> Estimate {
        Estimate {
            estimate: self.estimate * by,
            low: self.low * by,
            high: self.high * by,
        }
    }
}

/// The two-sided `level` quantile of Student's t with `df` degrees of freedom (infinite for
/// none: one replication says nothing of its spread).
pub fn t_quantile(level: f64, df: usize) -> f64 {
    if df == 0 {
        return f64::INFINITY;
    }
    // Past 10^5 degrees of freedom t is the normal to 2e-5, and statrs' incomplete beta
    // inversion stops converging (it hung at 14 million): use the normal quantile there.
    if df > 100_000 {
        return statrs::distribution::Normal::standard().inverse_cdf(0.5 + level / 2.0);
    }
    StudentsT::new(0.0, 1.0, df as f64)
        .map(|t| t.inverse_cdf(0.5 + level / 2.0))
        .unwrap_or(f64::INFINITY)
}

/// Mean and 95% interval of independent values, kept within [0, `max`] (a probability or a
/// rate cannot leave its range, whatever the normal approximation says).
pub fn estimate(samples: &[f64], max: f64) -> Estimate {
    let b = samples.len() as f64;
    let mean = samples.iter().sum::<f64>() / b;
    let var = samples.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (b - 1.0).max(1.0);
    let half = t_quantile(0.95, samples.len().saturating_sub(1)) * (var / b).sqrt();
    // + 0.0: no "-0" in any output.
    Estimate {
        estimate: mean.clamp(0.0, max) + 0.0,
        low: (mean - half).clamp(0.0, max) + 0.0,
        high: (mean + half).clamp(0.0, max) + 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against printed tables of Student's t (two-sided 95%), across the old table's edge.
    #[test]
    fn t_quantiles_against_tables() {
        for (df, t) in [
            (1, 12.706),
            (2, 4.303),
            (19, 2.093),
            (30, 2.042),
            (31, 2.040),
            (40, 2.021),
            (120, 1.980),
        ] {
            assert!((t_quantile(0.95, df) - t).abs() < 5e-4, "df {df}");
        }
        assert!((t_quantile(0.99, 10) - 3.169).abs() < 5e-4);
        // Huge counts (millions of cycles) answer at once, and continuously.
        assert!((t_quantile(0.95, 100_000) - 1.95998).abs() < 1e-4);
        assert!((t_quantile(0.95, 14_400_000) - 1.959964).abs() < 1e-6);
        assert!(t_quantile(0.95, 0).is_infinite());
    }

    #[test]
    fn interval_of_known_values() {
        // Mean 2, sample sd 1, n = 4: half-width t(3) x 1 / 2.
        let e = estimate(&[1.0, 2.0, 3.0, 2.0], 10.0);
        let sd = (2.0f64 / 3.0).sqrt();
        assert!((e.estimate - 2.0).abs() < 1e-15);
        assert!((e.high - 2.0 - 3.182_446 * sd / 2.0).abs() < 1e-5);
        assert_eq!(estimate(&[0.0, 0.0], 1.0).low, 0.0);
    }
}
