//! Drawing of each chart kind on any plotters backend (SVG, bitmap, a cell of a map export).
//!
//! Contract: [`draw_chart`] fills the given area (already painted with its background) with
//! the card's chart; it never panics on empty or missing values. Shared text helpers and the
//! line chart live here; bar-like charts are in `bars`, round ones (gauge, donut, pie) in
//! `round`.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

use super::bars::{columns, comparison, hbars, stacked};
use super::palette::{GRID, MUTED, PRIMARY, TEXT};
use super::round::{pie, single};
use super::{draw_err, effective_kind, format_value, FONT};
use crate::error::Result;
use crate::metrics::{ChartKind, MetricCardConfig, MetricValue, Unit};

pub(super) type Area<'a, DB> = DrawingArea<DB, Shift>;

pub(super) struct Bar {
    pub label: String,
    pub value: Option<f64>,
    pub n: u64,
}

pub(crate) fn font(size: f64, bold: bool) -> FontDesc<'static> {
    let style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    FontDesc::new(FontFamily::Name(FONT), size, style)
}

pub(crate) fn text<DB: DrawingBackend>(
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
pub(super) fn fit<DB: DrawingBackend>(
    area: &Area<'_, DB>,
    s: &str,
    size: f64,
    max_px: i32,
) -> String {
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

pub(super) fn range_of(values: impl Iterator<Item = f64>, unit: Unit) -> (f64, f64) {
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
