//! Drawing of the pieces of an exported map: text helpers and one card (text note or metric
//! card with heading, value, target status, n, interval, data as of, first problem and a
//! small chart).
//!
//! Contract: everything is drawn in pixels of the export's scale ([`Geometry`]); text is
//! wrapped or truncated to fit, never overflowing its card. A metric card shows its heading
//! and, when set, its subheading (one line each, ellipsized); the headline value shares its
//! line with the target status and never runs under it: a number is drawn smaller until it
//! fits beside the status (numbers are never cut), a distribution's top answer is ellipsized.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::export::Geometry;
use super::{CardContent, CardView};
use crate::charts::palette::{BAD, GRID, MUTED, PRIMARY, TEXT};
pub(super) use crate::charts::text;
use crate::charts::{draw_chart, draw_err, font, format_headline, format_value};
use crate::error::Result;
use crate::metrics::ChartKind;

const NOTE_BG: RGBColor = RGBColor(255, 248, 214);
const NOTE_BORDER: RGBColor = RGBColor(240, 220, 150);

/// Height of the subheading line (unscaled pixels).
const SUBHEADING_H: f64 = 16.0;
/// Smallest size a headline number shrinks to so as to fit beside the status.
const MIN_HEADLINE_PX: f64 = 14.0;

/// The subheading of a metric card, when it has a non-blank one.
fn subheading_of(card: &CardView) -> Option<&str> {
    match &card.card.content {
        CardContent::Metric { config } => config
            .subheading
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty()),
        CardContent::Text { .. } => None,
    }
}

fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    size: f64,
    bold: bool,
) -> i32 {
    let style: TextStyle<'_> = font(size, bold).into();
    area.estimate_text_size(s, &style)
        .map(|(w, _)| w as i32)
        .unwrap_or(0)
}

/// The bold size, from `start` down to [`MIN_HEADLINE_PX`], at which `s` fits in `room`.
fn shrink_to_fit<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &str,
    start: i32,
    room: i32,
    g: &Geometry,
) -> f64 {
    let mut size = f64::from(start);
    let min = f64::from(g.px(MIN_HEADLINE_PX));
    while size > min && text_width(root, s, size, true) > room {
        size = (size - g.s).max(min);
    }
    size
}

/// `s` in bold at `size`, cut to `room` with an ellipsis when longer.
fn ellipsize<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &str,
    size: f64,
    room: i32,
) -> String {
    if text_width(root, s, size, true) <= room {
        return s.to_owned();
    }
    let mut cut = s.trim_end().to_owned();
    while cut.chars().count() > 1 && text_width(root, &format!("{cut}…"), size, true) > room {
        cut.pop();
    }
    format!("{}…", cut.trim_end())
}

pub(super) fn card_height(card: &CardView, s: f64) -> i32 {
    let base = match &card.card.content {
        CardContent::Text { text } => {
            44.0 + 18.0 * ((text.chars().count() as f64 / 34.0).ceil().min(6.0))
        }
        CardContent::Metric { config } => {
            let chart = match &card.cached_value {
                Some(v) => {
                    config.chart.kind != ChartKind::None
                        || !v.groups.is_empty()
                        || !v.series.is_empty()
                        || !v.distribution.is_empty()
                        || v.comparison.is_some()
                }
                None => false,
            };
            let base = if chart { 222.0 } else { 112.0 };
            base + subheading_of(card).map_or(0.0, |_| SUBHEADING_H)
        }
    };
    (base * s).round() as i32
}

/// Word-wraps `s` to lines of at most `max_px`, keeping at most `max_lines` (ellipsis).
pub(super) fn wrap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    size: f64,
    max_px: i32,
    max_lines: usize,
) -> Vec<String> {
    wrap_styled(area, s, size, false, max_px, max_lines)
}

/// [`wrap`] measuring in the bold or regular face.
fn wrap_styled<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    size: f64,
    bold: bool,
    max_px: i32,
    max_lines: usize,
) -> Vec<String> {
    let width = |t: &str| text_width(area, t, size, bold);
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in s.split_whitespace() {
        let candidate = if cur.is_empty() {
            word.to_owned()
        } else {
            format!("{cur} {word}")
        };
        if width(&candidate) <= max_px || cur.is_empty() {
            cur = candidate;
        } else {
            lines.push(std::mem::replace(&mut cur, word.to_owned()));
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && width(&format!("{last}…")) > max_px {
                last.pop();
            }
            last.push('…');
        }
    }
    for l in &mut lines {
        while l.chars().count() > 1 && width(l) > max_px {
            l.pop();
        }
    }
    lines
}

pub(super) fn rect<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    a: (i32, i32),
    b: (i32, i32),
    fill: RGBColor,
    border: Option<RGBColor>,
) -> Result<()> {
    area.draw(&Rectangle::new([a, b], fill.filled()))
        .map_err(draw_err)?;
    if let Some(c) = border {
        area.draw(&Rectangle::new([a, b], c.stroke_width(1)))
            .map_err(draw_err)?;
    }
    Ok(())
}

pub(super) fn draw_card<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    card: &CardView,
    at: (i32, i32),
    size: (i32, i32),
    g: &Geometry,
) -> Result<()> {
    let (x, y) = at;
    let (w, h) = size;
    let pad = g.px(10.0);
    match &card.card.content {
        CardContent::Text { text: body } => {
            rect(root, (x, y), (x + w, y + h), NOTE_BG, Some(NOTE_BORDER))?;
            let size = f64::from(g.px(13.0));
            let lines = wrap(
                root,
                body,
                size,
                w - 2 * pad,
                ((h - 2 * pad) / g.px(18.0)).max(1) as usize,
            );
            for (k, l) in lines.iter().enumerate() {
                text(
                    root,
                    l,
                    (x + pad, y + pad + k as i32 * g.px(18.0)),
                    size,
                    &TEXT,
                    false,
                    (HPos::Left, VPos::Top),
                )?;
            }
            Ok(())
        }
        CardContent::Metric { config } => {
            rect(root, (x, y), (x + w, y + h), WHITE, Some(GRID))?;
            rect(root, (x, y), (x + g.px(4.0), y + h), PRIMARY, None)?;
            let heading = config.heading.as_deref().unwrap_or(&config.name);
            let left = x + pad + g.px(2.0);
            let inner = w - 2 * pad - g.px(2.0);
            let size = f64::from(g.px(13.0));
            let title = wrap_styled(root, heading, size, true, inner, 1).join(" ");
            text(
                root,
                &title,
                (left, y + pad),
                size,
                &TEXT,
                true,
                (HPos::Left, VPos::Top),
            )?;
            // Everything below the heading moves down by the subheading's line.
            let mut dy = 0;
            if let Some(sub) = subheading_of(card) {
                let size = f64::from(g.px(11.0));
                let line = wrap(root, sub, size, inner, 1).join(" ");
                text(
                    root,
                    &line,
                    (left, y + pad + g.px(17.0)),
                    size,
                    &MUTED,
                    false,
                    (HPos::Left, VPos::Top),
                )?;
                dy = g.px(SUBHEADING_H);
            }
            let y = y + dy;
            let h = h - dy;
            let Some(value) = &card.cached_value else {
                let msg = "Not computed yet — refresh to see a value";
                return text(
                    root,
                    msg,
                    (x + pad + g.px(2.0), y + g.px(40.0)),
                    f64::from(g.px(12.0)),
                    &MUTED,
                    false,
                    (HPos::Left, VPos::Top),
                );
            };
            let status_w =
                super::card_status::status_width(root, value.status, value.target, value.unit, g);
            // Room left of the status (with a gap), so the two never overlap.
            let room = inner
                - if status_w > 0 {
                    status_w + g.px(8.0)
                } else {
                    0
                };
            let top_bin = value
                .distribution
                .iter()
                .max_by(|a, b| a.percent.total_cmp(&b.percent));
            let (shown, size) = match (value.value, top_bin) {
                (None, Some(bin)) => {
                    let pct = format_value(
                        Some(bin.percent),
                        crate::metrics::Unit::Percent,
                        config.chart.decimals,
                    );
                    let line = format!("{pct} {}", bin.label);
                    let size = shrink_to_fit(root, &line, g.px(20.0), room, g);
                    (ellipsize(root, &line, size, room), size)
                }
                _ => {
                    let shown = format_headline(value.value, value.unit, config.chart.decimals);
                    (
                        shown.clone(),
                        shrink_to_fit(root, &shown, g.px(26.0), room, g),
                    )
                }
            };
            text(
                root,
                &shown,
                (left, y + g.px(45.0)),
                size,
                &PRIMARY,
                true,
                (HPos::Left, VPos::Center),
            )?;
            super::card_status::draw_status(
                root,
                value.status,
                value.target,
                value.unit,
                (x + w - pad, y + g.px(45.0)),
                g,
            )?;
            let meta = super::card_status::meta_line(card, value);
            let meta = wrap(root, &meta, f64::from(g.px(11.0)), w - 2 * pad, 1).join(" ");
            text(
                root,
                &meta,
                (x + pad + g.px(2.0), y + g.px(66.0)),
                f64::from(g.px(11.0)),
                &MUTED,
                false,
                (HPos::Left, VPos::Top),
            )?;
            // The first problem, else the 95% interval, on the line below.
            let (line, colour) = match value.problems.first() {
                Some(p) => (Some(p.message.clone()), BAD),
                None => (
                    super::card_status::interval_line(value, config.chart.decimals),
                    MUTED,
                ),
            };
            if let Some(line) = line {
                let msg = wrap(root, &line, f64::from(g.px(11.0)), w - 2 * pad, 1).join(" ");
                text(
                    root,
                    &msg,
                    (x + pad + g.px(2.0), y + g.px(84.0)),
                    f64::from(g.px(11.0)),
                    &colour,
                    false,
                    (HPos::Left, VPos::Top),
                )?;
            }
            let chart_top = g.px(104.0);
            if h > chart_top + g.px(40.0) {
                let area = root.clone().shrink(
                    (x + g.px(6.0), y + chart_top),
                    ((w - g.px(12.0)) as u32, (h - chart_top - g.px(6.0)) as u32),
                );
                draw_chart(&area, config, value)?;
            }
            Ok(())
        }
    }
}
