//! 95% intervals of card values and of the change between two values.
//!
//! Contract (textbook formulas, each named in `ciMethod`):
//! * Percentages (CSAT/top-box/bottom-box/% easy): Wilson score interval,
//!   `(p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n)`, z = 1.959964.
//! * NPS: normal approximation with the trinomial variance of promoters − detractors,
//!   `Var = (p₊ + p₋ − (p₊ − p₋)²) / n` (Rocks 2016, "The standard error of the Net Promoter
//!   Score"), in points: NPS ± z·100·√Var, clamped to −100..100; needs n ≥ 2.
//! * Means (average, CES average): Student's t interval, mean ± t(0.975, n−1)·s/√n with the
//!   sample standard deviation s; needs n ≥ 2.
//! * Counts, sums, min/max/median and distributions get no interval.
//! * A change `a − b` between two independent values has the interval
//!   `Δ ± z·√(Var_a + Var_b)` (normal approximation; Wald variances p(1−p)/n for percentages);
//!   it is *significant* when that interval excludes 0.

/// z of a two-sided 95% interval.
pub(crate) const Z95: f64 = 1.959_963_984_540_054;

/// t(0.975, df) for df = 1..=30 (standard tables).
const T_TABLE: [f64; 30] = [
    12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281, 2.2010,
    2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860, 2.0796, 2.0739, 2.0687,
    2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
];

/// Two-sided 95% quantile of Student's t with `df` degrees of freedom: the table up to 30,
/// above it the Cornish-Fisher expansion around z (error < 1e-4 from df 30 on).
pub fn t975(df: u64) -> f64 {
    if df == 0 {
        return f64::INFINITY;
    }
    if let Some(t) = T_TABLE.get(df as usize - 1) {
        return *t;
    }
    let (z, v) = (Z95, df as f64);
    let (z3, z5, z7) = (z.powi(3), z.powi(5), z.powi(7));
    z + (z3 + z) / (4.0 * v)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * v * v)
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * v * v * v)
}

/// A value's interval and the variance used for differences.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Interval {
    pub low: f64,
    pub high: f64,
    /// Variance of the estimate on the value's scale (points or units).
    pub variance: f64,
    pub method: &'static str,
}

pub(crate) const WILSON: &str = "Wilson score interval (95%)";
pub(crate) const NPS_METHOD: &str =
    "normal approximation with the trinomial variance of NPS (95%, Rocks 2016)";
pub(crate) const T_METHOD: &str = "Student's t interval of the mean (95%)";

/// Wilson interval of `hits` out of `n`, in percent.
pub(crate) fn wilson(hits: u64, n: u64) -> Option<Interval> {
    if n == 0 {
        return None;
    }
    let (nf, z2) = (n as f64, Z95 * Z95);
    let p = hits as f64 / nf;
    let denom = 1.0 + z2 / nf;
    let center = (p + z2 / (2.0 * nf)) / denom;
    let half = Z95 / denom * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    Some(Interval {
        low: ((center - half) * 100.0).max(0.0),
        high: ((center + half) * 100.0).min(100.0),
        variance: p * (1.0 - p) / nf * 10_000.0,
        method: WILSON,
    })
}

/// NPS interval from promoters, detractors and n, in points.
pub(crate) fn nps(promoters: u64, detractors: u64, n: u64) -> Option<Interval> {
    if n < 2 {
        return None;
    }
    let nf = n as f64;
    let (pp, pd) = (promoters as f64 / nf, detractors as f64 / nf);
    let score = pp - pd;
    let variance = (pp + pd - score * score) / nf;
    let half = Z95 * variance.max(0.0).sqrt() * 100.0;
    Some(Interval {
        low: (score * 100.0 - half).max(-100.0),
        high: (score * 100.0 + half).min(100.0),
        variance: variance * 10_000.0,
        method: NPS_METHOD,
    })
}

/// t interval of a mean from n, Σx and Σx².
pub(crate) fn mean(n: u64, sum: f64, sum_sq: f64) -> Option<Interval> {
    if n < 2 {
        return None;
    }
    let nf = n as f64;
    let m = sum / nf;
    let var_sample = ((sum_sq - nf * m * m) / (nf - 1.0)).max(0.0);
    let se = (var_sample / nf).sqrt();
    let half = t975(n - 1) * se;
    Some(Interval {
        low: m - half,
        high: m + half,
        variance: se * se,
        method: T_METHOD,
    })
}

/// Interval of `a − b` for two independent estimates with variances `va`, `vb`;
/// `(low, high, significant)`.
pub(crate) fn difference(delta: f64, va: f64, vb: f64) -> (f64, f64, bool) {
    let half = Z95 * (va + vb).sqrt();
    let (low, high) = (delta - half, delta + half);
    (low, high, low > 0.0 || high < 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_continue_the_table() {
        assert!((t975(30) - 2.0423).abs() < 1e-4);
        // Tabulated t(0.975, 40) = 2.0211, 60 = 2.0003, 120 = 1.9799.
        assert!((t975(40) - 2.0211).abs() < 2e-4, "{}", t975(40));
        assert!((t975(60) - 2.0003).abs() < 2e-4, "{}", t975(60));
        assert!((t975(120) - 1.9799).abs() < 2e-4, "{}", t975(120));
    }
}
