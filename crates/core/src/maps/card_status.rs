//! The target status and the honesty line of an exported metric card.
//!
//! Contract: a status is drawn as a shaped icon *and* words ("On target", "Near target",
//! "Off target") — a circle with a check, a triangle with "!", a square with a cross — so it
//! reads without colour. The meta line says n (and "low n" under the card's minimum), the 95%
//! interval when there is one, and "data as of" the survey's last successful sync ("stale"
//! past 24 h), never the compute time.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::export::Geometry;
use super::CardView;
use crate::charts::palette::{BAD, GOOD, OK, TEXT};
use crate::charts::{draw_err, font, format_value, text};
use crate::error::Result;
use crate::metrics::{MetricValue, TargetStatus, Unit};

/// "95% interval 9.8 to 39.2", when the value has one.
pub(super) fn interval_line(value: &MetricValue, decimals: u8) -> Option<String> {
    let (lo, hi) = value.ci_low.zip(value.ci_high)?;
    let d = decimals.max(1);
    Some(format!(
        "95% interval {} to {}",
        format_value(Some(lo), value.unit, d),
        format_value(Some(hi), value.unit, d)
    ))
}

/// "n = 98 (low n) · data as of 2026-11-29 08:56 UTC (stale)".
pub(super) fn meta_line(card: &CardView, value: &MetricValue) -> String {
    let mut meta = format!(
        "n = {}",
        format_value(Some(value.n as f64), Unit::Number, 0)
    );
    if value.low_n {
        meta.push_str(" (low n)");
    }
    match card.data_as_of.or(value.data_as_of) {
        Some(at) => {
            meta.push_str(&format!(
                " · data as of {}",
                at.format("%Y-%m-%d %H:%M UTC")
            ));
            if card.stale || value.stale {
                meta.push_str(" (stale)");
            }
        }
        None => meta.push_str(" · never synced"),
    }
    if card.stale_config {
        meta.push_str(" · older settings");
    }
    meta
}

/// "Off target (40)": the status word and the target.
fn status_words(status: TargetStatus, target: Option<f64>, unit: Unit) -> String {
    match target {
        Some(t) => format!("{} ({})", status.word(), format_value(Some(t), unit, 0)),
        None => status.word().to_owned(),
    }
}

fn words_width<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    words: &str,
    g: &Geometry,
) -> i32 {
    let style: TextStyle<'_> = font(f64::from(g.px(11.0)), true).into();
    root.estimate_text_size(words, &style)
        .map(|(w, _)| w as i32)
        .unwrap_or(0)
}

/// Width [`draw_status`] takes, icon included (0 without a status): the headline beside it
/// must stay left of it.
pub(super) fn status_width<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    status: TargetStatus,
    target: Option<f64>,
    unit: Unit,
    g: &Geometry,
) -> i32 {
    if status == TargetStatus::None {
        return 0;
    }
    words_width(root, &status_words(status, target, unit), g) + g.px(4.0) + 2 * g.px(6.0)
}

/// Draws the status icon and words right-aligned at `right`, vertically centred on `mid_y`.
pub(super) fn draw_status<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    status: TargetStatus,
    target: Option<f64>,
    unit: Unit,
    (right, mid_y): (i32, i32),
    g: &Geometry,
) -> Result<()> {
    let color = match status {
        TargetStatus::Green => GOOD,
        TargetStatus::Amber => OK,
        TargetStatus::Red => BAD,
        TargetStatus::None => return Ok(()),
    };
    let words = status_words(status, target, unit);
    let size = f64::from(g.px(11.0));
    let width = words_width(root, &words, g);
    text(
        root,
        &words,
        (right, mid_y),
        size,
        &TEXT,
        true,
        (HPos::Right, VPos::Center),
    )?;
    let r = g.px(6.0);
    let cx = right - width - g.px(4.0) - r;
    let white = WHITE.stroke_width(g.px(1.5).max(1) as u32);
    let line = |a: (i32, i32), b: (i32, i32)| PathElement::new(vec![a, b], white);
    match status {
        TargetStatus::Green => {
            root.draw(&Circle::new((cx, mid_y), r, color.filled()))
                .map_err(draw_err)?;
            root.draw(&line((cx - r / 2, mid_y), (cx - r / 6, mid_y + r / 2)))
                .map_err(draw_err)?;
            root.draw(&line(
                (cx - r / 6, mid_y + r / 2),
                (cx + r / 2, mid_y - r / 2),
            ))
            .map_err(draw_err)?;
        }
        TargetStatus::Amber => {
            let tri = vec![(cx, mid_y - r), (cx + r, mid_y + r), (cx - r, mid_y + r)];
            root.draw(&Polygon::new(tri, color.filled()))
                .map_err(draw_err)?;
            root.draw(&line((cx, mid_y - r / 3), (cx, mid_y + r / 3)))
                .map_err(draw_err)?;
            root.draw(&line((cx, mid_y + r * 2 / 3), (cx, mid_y + r * 2 / 3 + 1)))
                .map_err(draw_err)?;
        }
        _ => {
            root.draw(&Rectangle::new(
                [(cx - r, mid_y - r), (cx + r, mid_y + r)],
                color.filled(),
            ))
            .map_err(draw_err)?;
            root.draw(&line(
                (cx - r / 2, mid_y - r / 2),
                (cx + r / 2, mid_y + r / 2),
            ))
            .map_err(draw_err)?;
            root.draw(&line(
                (cx - r / 2, mid_y + r / 2),
                (cx + r / 2, mid_y - r / 2),
            ))
            .map_err(draw_err)?;
        }
    }
    Ok(())
}
