//! Drawing of each chart kind on any plotters backend (SVG, bitmap, a cell of a map export).
//!
//! Contract: [`draw_chart`] fills the given area (already painted with its background) with
//! the card's chart; it never panics on empty or missing values. Shared text helpers and the
//! line chart live here (axis from zero only when the card asks, `startAtZero`; low-n points
//! hollow; one line per split group); bar-like charts are in `bars`, round ones (gauge, donut, pie) in
//! `round`.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

use super::bars::{columns, comparison, hbars, stacked};
use super::palette::{GRID, MUTED, PRIMARY, SERIES, TEXT};
use super::round::{pie, single};
use super::{draw_err, effective_kind, format_value, FONT};
use crate::error::Result;
use crate::metrics::{ChartKind, MetricCardConfig, MetricValue, SeriesPoint, Unit};

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
        ChartKind::Line if !value.series.is_empty() => {
            line(area, value, opts.decimals, opts.start_at_zero)
        }
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

/// Runs of consecutive points with a value, placed on the x of their bucket in `labels`:
/// `(x, y, low_n)`.
fn runs_of(points: &[SeriesPoint], labels: &[String]) -> Vec<Vec<(f64, f64, bool)>> {
    let mut runs = Vec::new();
    let mut run = Vec::new();
    for p in points {
        let x = labels.iter().position(|l| *l == p.bucket);
        match (p.value, x) {
            (Some(v), Some(x)) => run.push((x as f64, v, p.low_n)),
            _ if !run.is_empty() => runs.push(std::mem::take(&mut run)),
            _ => {}
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
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

/// The value axis of a line chart: from zero (`start_at_zero`, and always for percentages
/// shown whole) or fitted to the data with a little room, so small changes stay visible.
fn line_range(
    values: impl Iterator<Item = f64> + Clone,
    unit: Unit,
    start_at_zero: bool,
) -> (f64, f64) {
    if start_at_zero {
        return range_of(values, unit);
    }
    let (lo, hi) = values
        .fold(None, |acc: Option<(f64, f64)>, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
        .unwrap_or((0.0, 1.0));
    let pad = ((hi - lo) * 0.12).max(if unit == Unit::Percent { 2.0 } else { 0.5 });
    let (lo, hi) = (lo - pad, hi + pad);
    match unit {
        Unit::Percent => (lo.max(0.0), hi.min(100.0)),
        _ => (lo, hi),
    }
}

/// Line chart of a series (one line per split group when split), with a soft area under a
/// single line and the last value labelled; points with low n are drawn hollow.
fn line<DB: DrawingBackend>(
    area: &Area<'_, DB>,
    value: &MetricValue,
    decimals: u8,
    start_at_zero: bool,
) -> Result<()> {
    let pts = &value.series;
    let labels: Vec<String> = pts.iter().map(|p| p.bucket.clone()).collect();
    let n = pts.len();
    let all = pts
        .iter()
        .chain(value.series_groups.iter().flat_map(|g| g.points.iter()))
        .filter_map(|p| p.value);
    let (lo, hi) = line_range(all, value.unit, start_at_zero);
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
    let base = if lo < 0.0 && hi > 0.0 { 0.0 } else { lo };
    let split = !value.series_groups.is_empty();
    let lines: Vec<(&[SeriesPoint], RGBColor, &str)> = if split {
        value
            .series_groups
            .iter()
            .enumerate()
            .map(|(i, g)| {
                (
                    g.points.as_slice(),
                    SERIES[i % SERIES.len()],
                    g.label.as_str(),
                )
            })
            .collect()
    } else {
        vec![(pts.as_slice(), PRIMARY, "")]
    };
    let mut runs = Vec::new();
    for (points, colour, label) in lines {
        let line_runs = runs_of(points, &labels);
        for r in &line_runs {
            let coords: Vec<(f64, f64)> = r.iter().map(|&(x, y, _)| (x, y)).collect();
            if split {
                let drawn = chart
                    .draw_series(LineSeries::new(coords, colour.stroke_width(2)))
                    .map_err(draw_err)?;
                if std::ptr::eq(r, &line_runs[0]) {
                    drawn.label(label).legend(move |(x, y)| {
                        Rectangle::new([(x, y - 4), (x + 10, y + 4)], colour.filled())
                    });
                }
            } else {
                chart
                    .draw_series(
                        AreaSeries::new(coords, base, colour.mix(0.10))
                            .border_style(colour.stroke_width(2)),
                    )
                    .map_err(draw_err)?;
            }
            if n <= 40 {
                // Low-n points hollow: a white disc with a coloured ring.
                chart
                    .draw_series(r.iter().map(|&(x, y, low)| {
                        let style = if low { WHITE.filled() } else { colour.filled() };
                        Circle::new((x, y), 3, style)
                    }))
                    .map_err(draw_err)?;
                chart
                    .draw_series(
                        r.iter()
                            .filter(|p| p.2)
                            .map(|&(x, y, _)| Circle::new((x, y), 3, colour.stroke_width(1))),
                    )
                    .map_err(draw_err)?;
            }
        }
        if !split {
            runs = line_runs;
        }
    }
    if split {
        // Which line is which, in words (never colour alone).
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(GRID)
            .label_font(font(11.0, false).color(&TEXT))
            .draw()
            .map_err(draw_err)?;
    }
    let runs: Vec<Vec<(f64, f64)>> = runs
        .into_iter()
        .map(|r| r.into_iter().map(|(x, y, _)| (x, y)).collect())
        .collect();
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
