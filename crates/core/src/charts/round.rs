//! Round charts: the NPS gauge, the percentage donut, the big-number panel and the
//! distribution pie (donut slices with a legend).
//!
//! Contract: each function fills the area it is given and tolerates missing values.

use std::f64::consts::PI;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::bars::legend;
use super::draw::{text, Area, Bar};
use super::palette::{BAD, GOOD, MUTED, OK, PRIMARY, SERIES, TEXT, TRACK};
use super::{calculation_name, draw_err, format_headline, format_value};
use crate::error::Result;
use crate::metrics::{Calculation, MetricCardConfig, MetricValue, TargetStatus, Unit};

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

/// The gauge's fill: the card's target status when it has a target (so the gauge never
/// contradicts the "Off target" words beside it), else the usual NPS bands.
fn nps_color(v: f64, status: TargetStatus) -> RGBColor {
    match status {
        TargetStatus::Green => return GOOD,
        TargetStatus::Amber => return OK,
        TargetStatus::Red => return BAD,
        TargetStatus::None => {}
    }
    if v >= 30.0 {
        GOOD
    } else if v >= 0.0 {
        OK
    } else {
        BAD
    }
}

/// One value: NPS gauge, percentage donut, or a big number.
pub(super) fn single<DB: DrawingBackend>(
    area: &Area<'_, DB>,
    config: &MetricCardConfig,
    value: &MetricValue,
) -> Result<()> {
    let (w, h) = area.dim_in_pixel();
    let (wf, hf) = (f64::from(w), f64::from(h));
    // The headline format (signed whole NPS), so the chart agrees with the value beside it.
    let shown = format_headline(value.value, value.unit, config.chart.decimals);
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
            nps_color(v, value.status).filled(),
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
pub(super) fn pie<DB: DrawingBackend>(
    area: &Area<'_, DB>,
    bars: &[Bar],
    decimals: u8,
) -> Result<()> {
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
