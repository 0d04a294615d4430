//! Deterministic timeline of a survey's responses.
//!
//! Contract: the recorded time of response `i` is a pure, non-decreasing
//! function of `(seed, survey, i)`. Seeded responses (`i < base`) are spread
//! over the ~18 months (548 days) before a reference date derived from the
//! seed (never from the wall clock); responses added at runtime
//! (`i >= base`) are recorded after the reference date, 97 s apart. Because
//! time is monotonic in the index, a date window is an index range, and a
//! continuation position is simply an index.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::catalog;
use super::model::SurveySpec;
use crate::SimConfig;

/// Length of the seeded history in days.
pub const HISTORY_DAYS: i64 = 548;
/// Spacing of responses added at runtime, in seconds.
pub const ADDED_SPACING_SECS: i64 = 97;
/// Share of responses (percent) that are still in progress.
pub const IN_PROGRESS_PERCENT: u64 = 3;

/// SplitMix64 finaliser.
pub fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a hash of a string (stable across platforms and Rust versions).
pub fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A 64-bit value determined by `(seed, survey, index, salt)`.
pub fn mix(seed: u64, survey_id: &str, index: u64, salt: u64) -> u64 {
    splitmix(splitmix(splitmix(seed ^ fnv(survey_id)) ^ index) ^ salt.wrapping_mul(0x9E37))
}

/// The reference ("now") of the seeded world: 2025-11-03T00:00:00Z plus
/// `seed % 28` days.
pub fn reference_date(seed: u64) -> DateTime<Utc> {
    let base = Utc
        .with_ymd_and_hms(2025, 11, 3, 0, 0, 0)
        .single()
        .unwrap_or_default();
    base + Duration::days((seed % 28) as i64)
}

/// Number of seeded responses of a survey under a config.
pub fn base_count(config: &SimConfig, spec: &SurveySpec) -> u64 {
    spec.fixed_responses.unwrap_or(config.responses)
}

/// Recorded time of response `index` (millisecond precision).
pub fn recorded_at(config: &SimConfig, spec: &SurveySpec, index: u64) -> DateTime<Utc> {
    let reference = reference_date(config.seed);
    let base = base_count(config, spec);
    let jitter = mix(config.seed, spec.id, index, 0);
    if index < base {
        let span_ms = HISTORY_DAYS * 86_400_000;
        let start = reference - Duration::milliseconds(span_ms);
        let slot = span_ms as u128 / u128::from(base.max(1));
        let offset = (u128::from(index) * span_ms as u128) / u128::from(base.max(1));
        let extra = if slot == 0 {
            0
        } else {
            u128::from(jitter) % slot
        };
        start + Duration::milliseconds((offset + extra) as i64)
    } else {
        let k = (index - base + 1) as i64;
        let extra = (jitter % 60_000) as i64;
        reference + Duration::seconds(k * ADDED_SPACING_SECS) + Duration::milliseconds(extra)
    }
}

/// Whether response `index` is still in progress (unfinished).
pub fn is_in_progress(config: &SimConfig, spec: &SurveySpec, index: u64) -> bool {
    mix(config.seed, spec.id, index, 1) % 100 < IN_PROGRESS_PERCENT
}

/// First index in `0..total` whose recorded time is `>= at` (or `total`).
pub fn first_index_at_or_after(
    config: &SimConfig,
    spec: &SurveySpec,
    total: u64,
    at: DateTime<Utc>,
) -> u64 {
    let (mut lo, mut hi) = (0u64, total);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if recorded_at(config, spec, mid) < at {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// Response id `R_` + 15 base62 characters, unique per (seed, survey, index).
pub fn response_id(config: &SimConfig, spec: &SurveySpec, index: u64) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut a = mix(config.seed, spec.id, index, 2);
    let mut b = index ^ (fnv(spec.id) << 20);
    let mut out = String::from("R_");
    for i in 0..15 {
        let v = if i % 2 == 0 { &mut a } else { &mut b };
        out.push(ALPHABET[(*v % 62) as usize] as char);
        *v /= 62;
    }
    out
}

/// Convenience: look up a survey and give its seeded response count.
pub fn total_for(config: &SimConfig, survey_id: &str) -> Option<u64> {
    catalog::survey(survey_id).map(|s| base_count(config, s))
}
