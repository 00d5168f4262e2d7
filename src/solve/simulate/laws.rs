//! Draws from the time laws, by fixed arithmetic on the stream's uniforms (inverse
//! distribution functions where they are closed, Box-Muller normals, Marsaglia and Tsang's
//! gamma method), so that a seed gives the same times in every release.

use super::rng::Stream;
use crate::model::Law;

/// How one kind of time of a part is drawn.
#[derive(Debug, Clone)]
pub enum Draw {
    /// Exponential with this rate (per hour): the common case, kept cheap.
    Rate(f64),
    Law(Law),
}

impl Draw {
    /// The law when written, else exponential with `rate`.
    pub fn new(law: Option<&Law>, rate: f64) -> Draw {
        match law {
            Some(l) if !l.is_exponential() => Draw::Law(l.clone()),
            _ => Draw::Rate(rate),
        }
    }

    /// The mean time, hours.
    pub fn mean(&self) -> f64 {
        match self {
            Draw::Rate(r) => 1.0 / r,
            Draw::Law(l) => l.mean(),
        }
    }

    pub fn sample(&self, rng: &mut Stream) -> f64 {
        match self {
            Draw::Rate(r) => rng.exp(*r),
            Draw::Law(l) => sample(l, rng),
        }
    }
}

pub fn sample(law: &Law, rng: &mut Stream) -> f64 {
    match law {
        Law::Exponential { mean } => -rng.uniform().ln() * mean,
        Law::Weibull { shape, scale } => scale * (-rng.uniform().ln()).powf(1.0 / shape),
        Law::Lognormal { mu, sigma } => (mu + sigma * rng.normal()).exp(),
        Law::Gamma { shape, scale } => scale * gamma(*shape, rng),
        Law::Fixed { value } => *value,
        Law::Uniform { low, high } => low + (high - low) * (1.0 - rng.uniform()),
        Law::Empirical { samples } => {
            // 1 - u is in [0, 1): an index below the length.
            let i = ((1.0 - rng.uniform()) * samples.len() as f64) as usize;
            samples[i.min(samples.len() - 1)]
        }
    }
}

/// Gamma(shape, 1): Marsaglia and Tsang (2000) for shape >= 1; below 1, Gamma(shape + 1)
/// times U^(1/shape).
fn gamma(shape: f64, rng: &mut Stream) -> f64 {
    if shape < 1.0 {
        let u = rng.uniform();
        return gamma(shape + 1.0, rng) * u.powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = rng.normal();
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u = rng.uniform();
        if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
            return d * v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use statrs::distribution::{
        ContinuousCDF, Exp, Gamma, LogNormal, Uniform as StatrsUniform, Weibull,
    };
    use std::sync::Arc;

    /// Kolmogorov-Smirnov distance between `n` draws and a distribution function.
    fn ks(law: &Law, cdf: impl Fn(f64) -> f64, n: usize) -> f64 {
        let mut rng = Stream::new(42, 0);
        let mut x: Vec<f64> = (0..n).map(|_| sample(law, &mut rng)).collect();
        x.sort_by(f64::total_cmp);
        x.iter()
            .enumerate()
            .map(|(i, &v)| {
                let f = cdf(v);
                (f - i as f64 / n as f64)
                    .abs()
                    .max((((i + 1) as f64) / n as f64 - f).abs())
            })
            .fold(0.0, f64::max)
    }

    /// Each law's draws against its distribution function from statrs: the KS distance of
    /// 20,000 draws is below the 1% critical value 1.63 / sqrt(n).
    #[test]
    fn draws_pass_kolmogorov_smirnov() {
        let n = 20_000;
        let critical = 1.628 / (n as f64).sqrt();
        type Cdf = Box<dyn Fn(f64) -> f64>;
        let cases: Vec<(Law, Cdf)> = vec![
            (Law::Exponential { mean: 5.0 }, {
                let d = Exp::new(0.2).unwrap();
                Box::new(move |x| d.cdf(x))
            }),
            (
                Law::Weibull {
                    shape: 1.5,
                    scale: 2.0,
                },
                {
                    let d = Weibull::new(1.5, 2.0).unwrap();
                    Box::new(move |x| d.cdf(x))
                },
            ),
            (
                Law::Weibull {
                    shape: 0.5,
                    scale: 2.0,
                },
                {
                    let d = Weibull::new(0.5, 2.0).unwrap();
                    Box::new(move |x| d.cdf(x))
                },
            ),
            (
                Law::Lognormal {
                    mu: 1.0,
                    sigma: 0.8,
                },
                {
                    let d = LogNormal::new(1.0, 0.8).unwrap();
                    Box::new(move |x| d.cdf(x))
                },
            ),
            (
                Law::Gamma {
                    shape: 2.5,
                    scale: 3.0,
                },
                {
                    let d = Gamma::new(2.5, 1.0 / 3.0).unwrap();
                    Box::new(move |x| d.cdf(x))
                },
            ),
            (
                Law::Gamma {
                    shape: 0.4,
                    scale: 3.0,
                },
                {
                    let d = Gamma::new(0.4, 1.0 / 3.0).unwrap();
                    Box::new(move |x| d.cdf(x))
                },
            ),
            (
                Law::Uniform {
                    low: 1.0,
                    high: 4.0,
                },
                {
                    let d = StatrsUniform::new(1.0, 4.0).unwrap();
                    Box::new(move |x| d.cdf(x))
                },
            ),
        ];
        for (law, cdf) in cases {
            let d = ks(&law, cdf, n);
            assert!(d < critical, "{law:?}: KS {d} >= {critical}");
        }
        // Fixed is its value; empirical draws each sample equally often.
        let mut rng = Stream::new(1, 0);
        assert_eq!(sample(&Law::Fixed { value: 0.5 }, &mut rng), 0.5);
        let e = Law::Empirical {
            samples: Arc::from([1.0, 2.0, 4.0]),
        };
        let mut counts = [0usize; 3];
        for _ in 0..30_000 {
            let v = sample(&e, &mut rng);
            counts[[1.0, 2.0, 4.0].iter().position(|&s| s == v).unwrap()] += 1;
        }
        // Binomial(30000, 1/3): sd 82; 5 sd.
        assert!(
            counts.iter().all(|&c| c.abs_diff(10_000) < 410),
            "{counts:?}"
        );
    }
}
