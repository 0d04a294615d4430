//! Bar-like charts: horizontal bars (groups, distributions), columns (series as bars), the
//! 100% stacked bar with its legend, and comparison bars with their delta.
//!
//! Contract: each function fills the area it is given and tolerates missing values.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::draw::{fit, font, range_of, text, Area, Bar};
use super::palette::{BAD, GOOD, GRID, MUTED, PRIMARY, SECONDARY, SERIES, TEXT, TRACK};
use super::{draw_err, format_value};
use crate::error::Result;
use crate::metrics::{MetricCardConfig, MetricValue, Unit};

/// Horizontal bars with labels on the left and values at the bar ends.
pub(super) fn hbars<DB: DrawingBackend>(
    area: &Area<'_, DB>,
    bars: &[Bar],
    unit: Unit,
    decimals: u8,
    show_n: bool,
    colors: &[RGBColor],
) -> Result<()> {
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let pad = 8;
    let row = ((h - 2 * pad) / bars.len().max(1) as i32).clamp(6, 40);
    let size = (f64::from(row) * 0.42).clamp(8.0, 15.0);
    let label_w = (w as f64 * 0.34) as i32;
    let show_n = show_n && row >= 16 && w >= 260;
    let value_w = (size * if show_n { 8.4 } else { 4.0 }) as i32;
    let x0 = pad + label_w + 6;
    let bar_w = (w - x0 - value_w - pad).max(10);
    let (lo, hi) = range_of(bars.iter().filter_map(|b| b.value), unit);
    let x_of = |v: f64| x0 + ((v - lo) / (hi - lo) * f64::from(bar_w)) as i32;
    let zero = x_of(0.0);
    let top = pad + ((h - 2 * pad) - row * bars.len() as i32).max(0) / 2;
    for (i, b) in bars.iter().enumerate() {
        let y = top + row * i as i32;
        let (y0, y1) = (y + row / 5, y + row - row / 5);
        let color = colors[i % colors.len()];
        area.draw(&Rectangle::new(
            [(x0, y0), (x0 + bar_w, y1)],
            TRACK.filled(),
        ))
        .map_err(draw_err)?;
        let label = fit(area, &b.label, size, label_w);
        text(
            area,
            &label,
            (pad + label_w, (y0 + y1) / 2),
            size,
            &TEXT,
            false,
            (HPos::Right, VPos::Center),
        )?;
        let Some(v) = b.value else {
            text(
                area,
                "no data",
                (x0 + 4, (y0 + y1) / 2),
                size * 0.9,
                &MUTED,
                false,
                (HPos::Left, VPos::Center),
            )?;
            continue;
        };
        let fill = if v < 0.0 { BAD } else { color };
        let (a, z) = if v < 0.0 {
            (x_of(v), zero)
        } else {
            (zero, x_of(v))
        };
        area.draw(&Rectangle::new(
            [(a, y0), (z.max(a + 1), y1)],
            fill.filled(),
        ))
        .map_err(draw_err)?;
        let shown = format_value(Some(v), unit, decimals);
        let tx = x0 + bar_w + 6;
        let vf: TextStyle<'_> = font(size, true).into();
        let vw = area
            .estimate_text_size(&shown, &vf)
            .map(|(w, _)| w as i32)
            .unwrap_or(0);
        text(
            area,
            &shown,
            (tx, (y0 + y1) / 2),
            size,
            &TEXT,
            true,
            (HPos::Left, VPos::Center),
        )?;
        if show_n {
            let n_text = fit(area, &format!("n={}", b.n), size * 0.85, value_w - vw - 8);
            text(
                area,
                &n_text,
                (tx + vw + 6, (y0 + y1) / 2),
                size * 0.85,
                &MUTED,
                false,
                (HPos::Left, VPos::Center),
            )?;
        }
    }
    if lo < 0.0 {
        area.draw(&PathElement::new(
            vec![(zero, top), (zero, top + row * bars.len() as i32)],
            MUTED.stroke_width(1),
        ))
        .map_err(draw_err)?;
    }
    Ok(())
}

/// Vertical columns (series shown as bars).
pub(super) fn columns<DB: DrawingBackend>(
    area: &Area<'_, DB>,
    bars: &[Bar],
    unit: Unit,
    decimals: u8,
) -> Result<()> {
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let (pad, axis_h) = (8, 22);
    let n = bars.len().max(1) as i32;
    let col = ((w - 2 * pad) / n).max(2);
    let (lo, hi) = range_of(bars.iter().filter_map(|b| b.value), unit);
    let plot_h = h - 2 * pad - axis_h - 16;
    let y_of = |v: f64| pad + 16 + plot_h - ((v - lo) / (hi - lo) * f64::from(plot_h)) as i32;
    let zero = y_of(0.0);
    let every = ((n * 60) / (w - 2 * pad).max(1)).max(1) as usize;
    for (i, b) in bars.iter().enumerate() {
        let x = pad + col * i as i32;
        let (x0, x1) = (x + col / 6, x + col - col / 6);
        if let Some(v) = b.value {
            let (a, z) = if v < 0.0 {
                (zero, y_of(v))
            } else {
                (y_of(v), zero)
            };
            let fill = if v < 0.0 { BAD } else { PRIMARY };
            area.draw(&Rectangle::new(
                [(x0, a), (x1.max(x0 + 1), z.max(a + 1))],
                fill.filled(),
            ))
            .map_err(draw_err)?;
            if col >= 34 {
                text(
                    area,
                    &format_value(Some(v), unit, decimals),
                    ((x0 + x1) / 2, a - 3),
                    11.0,
                    &TEXT,
                    true,
                    (HPos::Center, VPos::Bottom),
                )?;
            }
        }
        if i % every == 0 {
            let label = fit(area, &b.label, 11.0, col * every as i32 - 4);
            text(
                area,
                &label,
                (x + col / 2, h - pad - axis_h + 6),
                11.0,
                &MUTED,
                false,
                (HPos::Center, VPos::Top),
            )?;
        }
    }
    area.draw(&PathElement::new(
        vec![(pad, zero), (w - pad, zero)],
        GRID.stroke_width(1),
    ))
    .map_err(draw_err)
}

pub(super) fn legend<DB: DrawingBackend>(
    area: &Area<'_, DB>,
    bars: &[Bar],
    x: i32,
    decimals: u8,
) -> Result<()> {
    let (w, h) = area.dim_in_pixel();
    let row = ((h as i32 - 8) / bars.len().max(1) as i32).clamp(8, 24);
    let size = (f64::from(row) * 0.6).clamp(8.0, 13.0);
    let top = (h as i32 - row * bars.len() as i32) / 2;
    for (i, b) in bars.iter().enumerate() {
        let y = top + row * i as i32 + row / 2;
        let sw = (size * 0.8) as i32;
        area.draw(&Rectangle::new(
            [(x, y - sw / 2), (x + sw, y + sw / 2)],
            SERIES[i % SERIES.len()].filled(),
        ))
        .map_err(draw_err)?;
        let label = format!(
            "{} {}",
            format_value(b.value, Unit::Percent, decimals),
            b.label
        );
        let label = fit(area, &label, size, w as i32 - x - sw - 10);
        text(
            area,
            &label,
            (x + sw + 6, y),
            size,
            &TEXT,
            false,
            (HPos::Left, VPos::Center),
        )?;
    }
    Ok(())
}

/// Distribution as one 100% stacked bar with a legend below.
pub(super) fn stacked<DB: DrawingBackend>(
    area: &Area<'_, DB>,
    bars: &[Bar],
    decimals: u8,
) -> Result<()> {
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let bar_h = (h / 4).clamp(10, 36);
    let total: f64 = bars.iter().filter_map(|b| b.value).sum::<f64>().max(1e-9);
    let (x0, width) = (8, w - 16);
    let mut x = f64::from(x0);
    for (i, b) in bars.iter().enumerate() {
        let seg = f64::from(width) * b.value.unwrap_or(0.0) / total;
        let (a, z) = (x.round() as i32, (x + seg).round() as i32);
        if z > a {
            area.draw(&Rectangle::new(
                [(a, 8), (z, 8 + bar_h)],
                SERIES[i % SERIES.len()].filled(),
            ))
            .map_err(draw_err)?;
            if z - a > 34 {
                let t = format_value(b.value, Unit::Percent, decimals);
                text(
                    area,
                    &t,
                    ((a + z) / 2, 8 + bar_h / 2),
                    11.0,
                    &WHITE,
                    true,
                    (HPos::Center, VPos::Center),
                )?;
            }
        }
        x += seg;
    }
    let sub = area.clone().shrink(
        (0, 8 + bar_h + 4),
        (w as u32, (h - bar_h - 12).max(1) as u32),
    );
    legend(&sub, bars, 8, decimals)
}

/// Current vs previous, with the delta.
pub(super) fn comparison<DB: DrawingBackend>(
    area: &Area<'_, DB>,
    config: &MetricCardConfig,
    value: &MetricValue,
) -> Result<()> {
    let Some(c) = &value.comparison else {
        return Ok(());
    };
    let (w, h) = area.dim_in_pixel();
    let header = (h as i32 / 4).clamp(14, 30);
    let rows_h = (h as i32 - header).clamp(1, 84);
    let y_start = (h as i32 - header - rows_h) / 2;
    if let Some(d) = c.delta {
        let (arrow, color) = if d > 0.0 {
            ("▲", GOOD)
        } else if d < 0.0 {
            ("▼", BAD)
        } else {
            ("■", MUTED)
        };
        let sign = if d > 0.0 { "+" } else { "" };
        let body = format_value(Some(d), value.unit, config.chart.decimals.max(1));
        let shown = format!("{arrow} {sign}{body} vs {}", c.previous_label);
        let size = (f64::from(header) * 0.55).clamp(9.0, 16.0);
        text(
            area,
            &fit(area, &shown, size, w as i32 - 16),
            (w as i32 - 8, y_start + header / 2),
            size,
            &color,
            true,
            (HPos::Right, VPos::Center),
        )?;
    }
    let bars = [
        Bar {
            label: c.current_label.clone(),
            value: c.current,
            n: c.current_n,
        },
        Bar {
            label: c.previous_label.clone(),
            value: c.previous,
            n: c.previous_n,
        },
    ];
    let sub = area
        .clone()
        .shrink((0, y_start + header), (w, rows_h as u32));
    hbars(
        &sub,
        &bars,
        value.unit,
        config.chart.decimals,
        config.chart.show_n,
        &[PRIMARY, SECONDARY],
    )
}
