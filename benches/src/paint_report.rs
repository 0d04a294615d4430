//! The paint benchmark in Markdown: its section of a size, and its two rows of the Targets
//! table (issue 15 point 5), judged at 1M.
//!
//! Contract: pure formatting of measured [`PaintFigures`]. "Painted" is the facade's work up
//! to what the UI's first render of a map needs (every card's value and chart SVG); the
//! webview's own layout and paint are not in it. Both targets are judged on the worse of the
//! two situations measured (the first start of a day, and values cached today); the raw
//! SQLite read of the same rows is printed beside them as a ratio.

use std::fmt::Write as _;

use crate::figures::PaintFigures;
use crate::report::secs;

/// Target rows' labels.
pub const PAINT: &str = "app start to a painted map of 24 metric cards over 1M cached responses < 1.5 s (every value and chart SVG ready)";
pub const OTHER: &str = "opening another map < 300 ms";

fn ms(s: f64) -> String {
    format!("{:.0} ms", s * 1000.0)
}

/// The size's paint section.
pub fn paint_markdown(out: &mut String, p: &PaintFigures) {
    let _ = writeln!(
        out,
        "#### App start to a painted map (fresh process each; median of {} runs)\n",
        p.cached.len()
    );
    let _ = writeln!(out, "| situation | app start to the 24-card map painted | spawn to `main` / to the facade open | `open_map` (cards recomputed) | chart SVGs | opening the 6-card map next | peak RSS | painted ÷ raw read of the same rows |");
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|");
    for (name, runs) in [
        (
            "first start of a day (relative ranges recomputed)",
            &p.first_of_day,
        ),
        ("values cached today", &p.cached),
    ] {
        let m = PaintFigures::median(runs);
        let _ = writeln!(
            out,
            "| {name} | {} | {} / {} | {} ({}) | {} ({} charts) | {} | {:.1} MiB | {:.3}x |",
            ms(m.painted_s),
            ms(m.before_main_s),
            ms(m.facade_open_s),
            ms(m.first.open_map_s),
            m.first.recomputed,
            ms(m.first.charts_s),
            m.first.charts,
            ms(m.other_map_s),
            m.peak_rss_mib,
            m.painted_s / m.raw_read_s
        );
    }
    let m = PaintFigures::median(&p.cached);
    let _ = writeln!(
        out,
        "\nRaw SQLite read of the same rows (same processes, after the paint): {} finished-response \
         pages of the survey selected and zstd-decompressed, {} bytes → {} bytes, {} responses, \
         in {} (median). Creating the two maps (30 cards, each computed as it is added, the \
         first ones extracting their columns from every cached response) took {}.\n",
        m.raw_pages,
        m.raw_compressed_bytes,
        m.raw_bytes,
        m.raw_responses,
        secs(m.raw_read_s),
        secs(p.seed_s)
    );
}

/// The two target rows for the 1M size (`None`: not measured).
pub fn paint_targets(out: &mut String, p: Option<&PaintFigures>) {
    let Some(p) = p else {
        for t in [PAINT, OTHER] {
            let _ = writeln!(out, "| {t} | not measured | - |");
        }
        return;
    };
    let day = PaintFigures::median(&p.first_of_day);
    let cached = PaintFigures::median(&p.cached);
    let worse = if day.painted_s >= cached.painted_s {
        &day
    } else {
        &cached
    };
    let _ = writeln!(
        out,
        "| {PAINT} | first start of a day {} ({} relative-range cards recomputed), values cached \
         today {}; {} cards, {} charts; the raw read of the same rows in the same run (select + \
         decompress every page of {} responses) {}: painted = {:.3}x the raw read | {} |",
        ms(day.painted_s),
        day.first.recomputed,
        ms(cached.painted_s),
        cached.first.cards,
        cached.first.charts,
        worse.raw_responses,
        ms(worse.raw_read_s),
        worse.painted_s / worse.raw_read_s,
        verdict(worse.painted_s < 1.5)
    );
    let other = day.other_map_s.max(cached.other_map_s);
    let _ = writeln!(
        out,
        "| {OTHER} | {} first start of a day, {} cached ({} cards, {} charts) | {} |",
        ms(day.other_map_s),
        ms(cached.other_map_s),
        cached.other.cards,
        cached.other.charts,
        verdict(other < 0.3)
    );
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "MISSED"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::{PaintRun, PaintedMap};

    fn run(painted_s: f64, other_map_s: f64) -> PaintRun {
        PaintRun {
            painted_s,
            other_map_s,
            raw_read_s: 2.0,
            first: PaintedMap {
                cards: 24,
                charts: 20,
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn figures(day: PaintRun, cached: PaintRun) -> PaintFigures {
        PaintFigures {
            seed_s: 1.0,
            first_of_day: vec![day],
            cached: vec![cached],
        }
    }

    #[test]
    fn paint_targets_are_judged_on_the_worse_situation() {
        let mut out = String::new();
        paint_targets(&mut out, Some(&figures(run(1.6, 0.1), run(0.2, 0.05))));
        let rows: Vec<&str> = out.lines().collect();
        assert!(rows[0].ends_with("| MISSED |"), "{out}");
        assert!(rows[0].contains("painted = 0.800x the raw read"), "{out}");
        assert!(rows[1].ends_with("| met |"), "{out}");

        let mut out = String::new();
        paint_targets(&mut out, Some(&figures(run(0.4, 0.35), run(0.3, 0.05))));
        let rows: Vec<&str> = out.lines().collect();
        assert!(rows[0].ends_with("| met |"), "{out}");
        assert!(rows[1].ends_with("| MISSED |"), "{out}");
    }

    #[test]
    fn unmeasured_paint_is_said_so() {
        let mut out = String::new();
        paint_targets(&mut out, None);
        assert_eq!(out.matches("| not measured | - |").count(), 2, "{out}");
    }
}
