//! Card charts rendered with plotters: SVG for the app, PNG for exports.
//!
//! Contract: [`render_svg`] and [`render_png`] draw the chart of one card from its
//! configuration and computed [`MetricValue`], at the requested pixel size, with the bundled
//! DejaVu Sans font (registered once for bitmap output). The chart kind is the card's
//! `chart.kind`, or — for `ChartKind::None` — the natural one ([`effective_kind`]): line for
//! series, comparison bars for comparisons, horizontal bars for groups and distributions,
//! a gauge (NPS) or donut (percentages) for a single value. A value without data renders a
//! "No data yet" panel instead of failing.

mod bars;
mod draw;
mod round;

use std::sync::Once;

use plotters::prelude::*;
use plotters::style::{register_font, FontStyle};

use crate::error::{Error, ErrorKind, Result};
use crate::metrics::{Calculation, ChartKind, MetricCardConfig, MetricValue, Unit};

pub(crate) use draw::{draw_chart, font, text};

/// Pixel width of a card's chart on the map (the UI scales the SVG through its viewBox).
pub const CARD_CHART_WIDTH: u32 = 240;
/// Pixel height of a card's chart on the map.
pub const CARD_CHART_HEIGHT: u32 = 140;

/// The font family every chart uses.
pub(crate) const FONT: &str = "sans-serif";

static FONT_BYTES: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
static FONT_BOLD_BYTES: &[u8] = include_bytes!("../../assets/DejaVuSans-Bold.ttf");
static FONTS: Once = Once::new();

/// Registers the bundled fonts with plotters (idempotent).
pub(crate) fn ensure_fonts() {
    FONTS.call_once(|| {
        if register_font(FONT, FontStyle::Normal, FONT_BYTES).is_err()
            || register_font(FONT, FontStyle::Bold, FONT_BOLD_BYTES).is_err()
        {
            tracing::error!("the bundled chart font could not be loaded");
        }
    });
}

/// Colours of the Pulsemap charts.
pub(crate) mod palette {
    use plotters::style::RGBColor;

    pub const TEXT: RGBColor = RGBColor(31, 41, 55);
    pub const MUTED: RGBColor = RGBColor(107, 114, 128);
    pub const GRID: RGBColor = RGBColor(229, 231, 235);
    pub const TRACK: RGBColor = RGBColor(237, 239, 243);
    pub const PRIMARY: RGBColor = RGBColor(79, 70, 229);
    pub const SECONDARY: RGBColor = RGBColor(148, 163, 184);
    pub const GOOD: RGBColor = RGBColor(16, 185, 129);
    pub const OK: RGBColor = RGBColor(245, 158, 11);
    pub const BAD: RGBColor = RGBColor(239, 68, 68);
    /// Categorical series colours.
    pub const SERIES: [RGBColor; 8] = [
        RGBColor(79, 70, 229),
        RGBColor(14, 165, 233),
        RGBColor(16, 185, 129),
        RGBColor(245, 158, 11),
        RGBColor(236, 72, 153),
        RGBColor(139, 92, 246),
        RGBColor(20, 184, 166),
        RGBColor(249, 115, 22),
    ];
}

/// The chart kind actually drawn for a card (never `ChartKind::None`).
pub fn effective_kind(config: &MetricCardConfig, value: &MetricValue) -> ChartKind {
    match config.chart.kind {
        ChartKind::None => {
            if value.comparison.is_some() {
                ChartKind::Bar
            } else if !value.series.is_empty() {
                ChartKind::Line
            } else if !value.groups.is_empty() || !value.distribution.is_empty() {
                ChartKind::Bar
            } else {
                ChartKind::Donut
            }
        }
        kind => kind,
    }
}

/// Formats a value for display: `42%`, `35.5`, `1,234`, `—` when missing.
pub fn format_value(value: Option<f64>, unit: Unit, decimals: u8) -> String {
    let Some(v) = value else {
        return "—".to_owned();
    };
    let d = usize::from(decimals.min(4));
    let body = if d == 0 && v.abs() >= 1000.0 {
        group_thousands(v.round() as i64)
    } else {
        format!("{v:.d$}")
    };
    match unit {
        Unit::Percent => format!("{body}%"),
        Unit::Score | Unit::Number => body,
    }
}

/// A card's headline value as the app shows it: scores (NPS) as signed whole numbers
/// ("+4", "−12", "0"), percentages with one decimal, other numbers with `decimals`.
pub fn format_headline(value: Option<f64>, unit: Unit, decimals: u8) -> String {
    match (value, unit) {
        (Some(v), Unit::Score) => {
            let rounded = v.round() as i64;
            match rounded.signum() {
                1 => format!("+{}", group_thousands(rounded)),
                -1 => format!("\u{2212}{}", group_thousands(rounded.abs())),
                _ => "0".to_owned(),
            }
        }
        (_, Unit::Percent) => format_value(value, unit, 1),
        _ => format_value(value, unit, decimals),
    }
}

fn group_thousands(n: i64) -> String {
    let digits = crate::metrics::thousands(n.unsigned_abs());
    if n < 0 {
        format!("-{digits}")
    } else {
        digits
    }
}

/// Short name of a calculation for chart captions.
pub(crate) fn calculation_name(c: Calculation) -> String {
    match c {
        Calculation::Count => "Count".into(),
        Calculation::Average => "Average".into(),
        Calculation::Sum => "Sum".into(),
        Calculation::Min => "Min".into(),
        Calculation::Max => "Max".into(),
        Calculation::Median => "Median".into(),
        Calculation::Nps => "NPS".into(),
        Calculation::CsatTop2 => "CSAT".into(),
        Calculation::CesAverage => "CES".into(),
        Calculation::CesPercentEasy => "CES % easy".into(),
        Calculation::Distribution => "Distribution".into(),
        Calculation::TopBox { boxes } => format!("Top {boxes} box"),
        Calculation::BottomBox { boxes } => format!("Bottom {boxes} box"),
    }
}

pub(crate) fn draw_err<E: std::fmt::Debug>(e: E) -> Error {
    Error::new(
        ErrorKind::Internal,
        format!("chart rendering failed: {e:?}"),
    )
}

fn check_size(width: u32, height: u32) -> Result<()> {
    if !(60..=8000).contains(&width) || !(40..=8000).contains(&height) {
        return Err(Error::invalid(format!(
            "chart size {width}x{height} is out of range (60x40 to 8000x8000)"
        )));
    }
    Ok(())
}

/// Renders the card's chart as an SVG document.
pub fn render_svg(
    config: &MetricCardConfig,
    value: &MetricValue,
    width: u32,
    height: u32,
) -> Result<String> {
    check_size(width, height)?;
    ensure_fonts();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        draw_chart(&root, config, value)?;
        root.present().map_err(draw_err)?;
    }
    Ok(svg)
}

/// Renders the card's chart as a PNG image.
pub fn render_png(
    config: &MetricCardConfig,
    value: &MetricValue,
    width: u32,
    height: u32,
) -> Result<Vec<u8>> {
    check_size(width, height)?;
    ensure_fonts();
    let mut rgb = vec![255u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (width, height)).into_drawing_area();
        draw_chart(&root, config, value)?;
        root.present().map_err(draw_err)?;
    }
    encode_png(&rgb, width, height)
}

/// Encodes an RGB8 buffer as PNG.
pub(crate) fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().map_err(draw_err)?;
        w.write_image_data(rgb).map_err(draw_err)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_values() {
        assert_eq!(format_value(Some(42.26), Unit::Percent, 0), "42%");
        assert_eq!(format_value(Some(-12.345), Unit::Score, 1), "-12.3");
        assert_eq!(format_value(Some(1234567.0), Unit::Number, 0), "1,234,567");
        assert_eq!(format_value(None, Unit::Number, 0), "—");
    }
}
