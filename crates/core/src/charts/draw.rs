//! Drawing of each chart kind on any plotters backend (SVG, bitmap, a cell of a map export).
//!
//! Contract: [`draw_chart`] fills the given area (already painted with its background) with
//! the card's chart; it never panics on empty or missing values.

use std::f64::consts::PI;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

use super::palette::{BAD, GOOD, GRID, MUTED, OK, PRIMARY, SECONDARY, SERIES, TEXT, TRACK};
use super::{calculation_name, draw_err, effective_kind, format_value, FONT};
use crate::error::Result;
use crate::metrics::{Calculation, ChartKind, MetricCardConfig, MetricValue, Unit};

type Area<'a, DB> = DrawingArea<DB, Shift>;

struct Bar {
    label: String,
    value: Option<f64>,
    n: u64,
}

fn font(size: f64, bold: bool) -> FontDesc<'static> {
    let style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    FontDesc::new(FontFamily::Name(FONT), size, style)
}

fn text<DB: DrawingBackend>(
    area: &Area<'_, DB>,
    s: &str,
    at: (i32, i32),
    size: f64,
    color: &RGBColor,
    bold: bool,
    pos: (HPos, VPos),
) -> Result<()> {
    let style = font(size, bold).color(color).pos(Pos::new(pos.0, pos.1));
    area.draw(&Text::new(s.to_owned(), at, style))
        .map_err(draw_err)
}

/// Truncates `s` with an ellipsis so it fits in `max_px`.
fn fit<DB: DrawingBackend>(area: &Area<'_, DB>, s: &str, size: f64, max_px: i32) -> String {
    let f: TextStyle<'_> = font(size, false).into();
    let width = |t: &str| {
        area.estimate_text_size(t, &f)
            .map(|(w, _)| w as i32)
            .unwrap_or(0)
    };
    if width(s) <= max_px {
        return s.to_owned();
    }
    let mut chars: Vec<char> = s.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let t: String = chars.iter().collect::<String>() + "…";
        if width(&t) <= max_px {
            return t;
        }
    }
    String::new()
}

/// Draws the card's chart into `area`.
pub(crate) fn draw_chart<DB: DrawingBackend>(
    area: &Area<'_, DB>,
    config: &MetricCardConfig,
    value: &MetricValue,
) -> Result<()> {
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    if value.n == 0 {
        let size = (f64::from(h) / 9.0).clamp(11.0, 22.0);
        text(
            area,
            "No data yet",
            (w / 2, h / 2),
            size,
            &MUTED,
            false,
            (HPos::Center, VPos::Center),
        )?;
        return Ok(());
    }
    let opts = config.chart;
    let bars_from = || -> (Vec<Bar>, Unit) {
        if !value.groups.is_empty() {
            let b = value.groups.iter().map(|g| Bar {
                label: g.label.clone(),
                value: g.value,
                n: g.n,
            });
            (b.collect(), value.unit)
        } else if !value.distribution.is_empty() {
            let b = value.distribution.iter().map(|d| Bar {
                label: d.label.clone(),
                value: Some(d.percent),
                n: d.count,
            });
            (b.collect(), Unit::Percent)
        } else {
            let b = value.series.iter().map(|p| Bar {
                label: p.bucket.clone(),
                value: p.value,
                n: p.n,
            });
            (b.collect(), value.unit)
        }
    };
    match effective_kind(config, value) {
        ChartKind::Line if !value.series.is_empty() => line(area, value, opts.decimals),
        ChartKind::Donut | ChartKind::StackedBar if !value.distribution.is_empty() => {
            let (bars, _) = bars_from();
            if effective_kind(config, value) == ChartKind::Donut {
                pie(area, &bars, opts.decimals)
            } else {
                stacked(area, &bars, opts.decimals)
            }
        }
        _ if value.comparison.is_some() => comparison(area, config, value),
        ChartKind::Donut => single(area, config, value),
        _ if !value.series.is_empty() && value.groups.is_empty() => {
            let (bars, unit) = bars_from();
            columns(area, &bars, unit, opts.decimals)
        }
        _ if !value.groups.is_empty() || !value.distribution.is_empty() => {
            let (bars, unit) = bars_from();
            hbars(area, &bars, unit, opts.decimals, opts.show_n, &[PRIMARY])
        }
        _ => single(area, config, value),
    }
}

fn range_of(values: impl Iterator<Item = f64>, unit: Unit) -> (f64, f64) {
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for v in values {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if unit == Unit::Percent {
        return (lo.min(0.0), hi.max(100.0));
    }
    if hi <= lo {
        hi = lo + 1.0;
    }
    let pad = (hi - lo) * 0.08;
    (if lo < 0.0 { lo - pad } else { lo }, hi + pad)
}

/// Horizontal bars with labels on the left and values at the bar ends.
fn hbars<DB: DrawingBackend>(
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
fn columns<DB: DrawingBackend>(
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

/// Line chart of a series, with a soft area and the last value labelled.
fn line<DB: DrawingBackend>(area: &Area<'_, DB>, value: &MetricValue, decimals: u8) -> Result<()> {
    let pts = &value.series;
    let labels: Vec<String> = pts.iter().map(|p| p.bucket.clone()).collect();
    let n = pts.len();
    let (lo, hi) = range_of(pts.iter().filter_map(|p| p.value), value.unit);
    let (w, _) = area.dim_in_pixel();
    let unit = value.unit;
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .margin_right(18)
        .x_label_area_size(24)
        .y_label_area_size(44)
        .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), lo..hi)
        .map_err(draw_err)?;
    let x_fmt = |x: &f64| {
        let i = x.round();
        if (x - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < n {
            labels[i as usize].clone()
        } else {
            String::new()
        }
    };
    let y_fmt = |y: &f64| format_value(Some(*y), unit, 0);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .axis_style(GRID)
        .x_labels(n.min((w / 70).max(2) as usize))
        .y_labels(5)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style(font(11.0, false).color(&MUTED))
        .draw()
        .map_err(draw_err)?;
    let mut run: Vec<(f64, f64)> = Vec::new();
    let mut runs = Vec::new();
    for (i, p) in pts.iter().enumerate() {
        match p.value {
            Some(v) => run.push((i as f64, v)),
            None if !run.is_empty() => runs.push(std::mem::take(&mut run)),
            None => {}
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    let base = if lo < 0.0 && hi > 0.0 { 0.0 } else { lo };
    for r in &runs {
        chart
            .draw_series(
                AreaSeries::new(r.clone(), base, PRIMARY.mix(0.10))
                    .border_style(PRIMARY.stroke_width(2)),
            )
            .map_err(draw_err)?;
        if n <= 40 {
            chart
                .draw_series(
                    r.iter()
                        .map(|&(x, y)| Circle::new((x, y), 3, PRIMARY.filled())),
                )
                .map_err(draw_err)?;
        }
    }
    if let Some(&(x, y)) = runs.last().and_then(|r| r.last()) {
        let label = format_value(Some(y), unit, decimals);
        let style = font(12.0, true)
            .color(&TEXT)
            .pos(Pos::new(HPos::Right, VPos::Bottom));
        chart
            .draw_series(std::iter::once(Text::new(label, (x, y), style)))
            .map_err(draw_err)?;
    }
    Ok(())
}

/// Points of a ring segment between angles `a0` and `a1` (radians, counter-clockwise, y up).
fn ring(c: (f64, f64), r_out: f64, r_in: f64, a0: f64, a1: f64) -> Vec<(i32, i32)> {
    let steps = (((a1 - a0).abs() * r_out) / 3.0).ceil().max(2.0) as usize;
    let at = |r: f64, a: f64| {
        (
            (c.0 + r * a.cos()).round() as i32,
            (c.1 - r * a.sin()).round() as i32,
        )
    };
    let mut pts: Vec<(i32, i32)> = (0..=steps)
        .map(|i| at(r_out, a0 + (a1 - a0) * i as f64 / steps as f64))
        .collect();
    pts.extend(
        (0..=steps)
            .rev()
            .map(|i| at(r_in, a0 + (a1 - a0) * i as f64 / steps as f64)),
    );
    pts
}

fn nps_color(v: f64) -> RGBColor {
    if v >= 30.0 {
        GOOD
    } else if v >= 0.0 {
        OK
    } else {
        BAD
    }
}

/// One value: NPS gauge, percentage donut, or a big number.
fn single<DB: DrawingBackend>(
    area: &Area<'_, DB>,
    config: &MetricCardConfig,
    value: &MetricValue,
) -> Result<()> {
    let (w, h) = area.dim_in_pixel();
    let (wf, hf) = (f64::from(w), f64::from(h));
    let shown = format_value(value.value, value.unit, config.chart.decimals);
    let caption = if config.chart.show_n {
        format!(
            "{} · n = {}",
            calculation_name(config.calculation),
            format_value(Some(value.n as f64), Unit::Number, 0)
        )
    } else {
        calculation_name(config.calculation)
    };
    let v = value.value.unwrap_or(0.0);
    if config.calculation == Calculation::Nps {
        let r = (wf / 2.0 - 14.0).min(hf * 0.62).max(10.0);
        let c = (wf / 2.0, hf * 0.08 + r + 4.0);
        let t = r * 0.24;
        let angle = PI * (1.0 - ((v.clamp(-100.0, 100.0) + 100.0) / 200.0));
        area.draw(&Polygon::new(ring(c, r, r - t, PI, 0.0), TRACK.filled()))
            .map_err(draw_err)?;
        area.draw(&Polygon::new(
            ring(c, r, r - t, PI, angle),
            nps_color(v).filled(),
        ))
        .map_err(draw_err)?;
        let big = (r * 0.42).clamp(12.0, 64.0);
        text(
            area,
            &shown,
            (c.0 as i32, (c.1 - r * 0.12) as i32),
            big,
            &TEXT,
            true,
            (HPos::Center, VPos::Bottom),
        )?;
        let small = (big * 0.38).clamp(9.0, 16.0);
        text(
            area,
            "-100",
            ((c.0 - r + t / 2.0) as i32, c.1 as i32 + 4),
            small,
            &MUTED,
            false,
            (HPos::Center, VPos::Top),
        )?;
        text(
            area,
            "100",
            ((c.0 + r - t / 2.0) as i32, c.1 as i32 + 4),
            small,
            &MUTED,
            false,
            (HPos::Center, VPos::Top),
        )?;
        return text(
            area,
            &caption,
            (c.0 as i32, (c.1 + small * 1.6) as i32),
            small,
            &MUTED,
            false,
            (HPos::Center, VPos::Top),
        );
    }
    if value.unit == Unit::Percent {
        let r = (wf.min(hf - 28.0) / 2.0 - 6.0).max(10.0);
        let c = (wf / 2.0, r + 6.0);
        let frac = (v / 100.0).clamp(0.0, 1.0);
        area.draw(&Polygon::new(
            ring(c, r, r * 0.72, PI / 2.0, PI / 2.0 - 2.0 * PI),
            TRACK.filled(),
        ))
        .map_err(draw_err)?;
        if frac > 0.0 {
            let a1 = PI / 2.0 - 2.0 * PI * frac;
            area.draw(&Polygon::new(
                ring(c, r, r * 0.72, PI / 2.0, a1),
                PRIMARY.filled(),
            ))
            .map_err(draw_err)?;
        }
        let big = (r * 0.34).clamp(10.0, 48.0);
        text(
            area,
            &shown,
            (c.0 as i32, c.1 as i32),
            big,
            &TEXT,
            true,
            (HPos::Center, VPos::Center),
        )?;
        let small = (big * 0.4).clamp(9.0, 15.0);
        return text(
            area,
            &caption,
            (c.0 as i32, (c.1 + r + 6.0) as i32),
            small,
            &MUTED,
            false,
            (HPos::Center, VPos::Top),
        );
    }
    let big = (hf * 0.34)
        .min(wf / (shown.chars().count() as f64 * 0.62))
        .clamp(12.0, 72.0);
    text(
        area,
        &shown,
        ((wf / 2.0) as i32, (hf * 0.48) as i32),
        big,
        &PRIMARY,
        true,
        (HPos::Center, VPos::Center),
    )?;
    let small = (big * 0.32).clamp(9.0, 16.0);
    text(
        area,
        &caption,
        ((wf / 2.0) as i32, (hf * 0.48 + big * 0.62) as i32),
        small,
        &MUTED,
        false,
        (HPos::Center, VPos::Top),
    )
}

/// Distribution as donut slices with a legend.
fn pie<DB: DrawingBackend>(area: &Area<'_, DB>, bars: &[Bar], decimals: u8) -> Result<()> {
    let (w, h) = area.dim_in_pixel();
    let (wf, hf) = (f64::from(w), f64::from(h));
    let r = (hf / 2.0 - 8.0).min(wf * 0.25).max(8.0);
    let c = (8.0 + r, hf / 2.0);
    let total: f64 = bars.iter().filter_map(|b| b.value).sum::<f64>().max(1e-9);
    let mut a = PI / 2.0;
    for (i, b) in bars.iter().enumerate() {
        let sweep = 2.0 * PI * b.value.unwrap_or(0.0) / total;
        if sweep > 0.0 {
            area.draw(&Polygon::new(
                ring(c, r, r * 0.58, a, a - sweep),
                SERIES[i % SERIES.len()].filled(),
            ))
            .map_err(draw_err)?;
        }
        a -= sweep;
    }
    legend(area, bars, (2.0 * r + 24.0) as i32, decimals)
}

fn legend<DB: DrawingBackend>(
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
fn stacked<DB: DrawingBackend>(area: &Area<'_, DB>, bars: &[Bar], decimals: u8) -> Result<()> {
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
fn comparison<DB: DrawingBackend>(
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
