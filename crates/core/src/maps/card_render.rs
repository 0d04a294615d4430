//! Drawing of the pieces of an exported map: text helpers and one card (text note or metric
//! card with heading, value, target status, n, interval, data as of, first problem and a
//! small chart).
//!
//! Contract: everything is drawn in pixels of the export's scale ([`Geometry`]); text is
//! wrapped or truncated to fit, never overflowing its card.

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
            if chart {
                222.0
            } else {
                112.0
            }
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
    let style: TextStyle<'_> = font(size, false).into();
    let width = |t: &str| {
        area.estimate_text_size(t, &style)
            .map(|(w, _)| w as i32)
            .unwrap_or(0)
    };
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
            let title = wrap(root, heading, f64::from(g.px(13.0)), w - 2 * pad, 1).join(" ");
            text(
                root,
                &title,
                (x + pad + g.px(2.0), y + pad),
                f64::from(g.px(13.0)),
                &TEXT,
                true,
                (HPos::Left, VPos::Top),
            )?;
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
                    (
                        wrap(root, &line, f64::from(g.px(20.0)), w - 2 * pad, 1).join(" "),
                        20.0,
                    )
                }
                _ => (
                    format_headline(value.value, value.unit, config.chart.decimals),
                    26.0,
                ),
            };
            text(
                root,
                &shown,
                (x + pad + g.px(2.0), y + g.px(32.0)),
                f64::from(g.px(size)),
                &PRIMARY,
                true,
                (HPos::Left, VPos::Top),
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
