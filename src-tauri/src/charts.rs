//! Bridge to core's chart renderer for the card charts (SVG) of the app.
//!
//! Contract: the shell renders nothing itself. A card whose chart kind is `none` has no
//! chart (`Ok(None)`); otherwise core draws it at [`CHART_WIDTH`]x[`CHART_HEIGHT`] (the UI
//! scales the SVG to the card width through its viewBox).

use pulsemap_core::charts;
use pulsemap_core::metrics::{ChartKind, MetricCardConfig, MetricValue};

/// Pixel width of card charts.
pub const CHART_WIDTH: u32 = 240;
/// Pixel height of card charts.
pub const CHART_HEIGHT: u32 = 140;

/// The chart of a card as SVG, `None` when the card has no chart.
pub fn chart_svg(
    config: &MetricCardConfig,
    value: &MetricValue,
) -> pulsemap_core::Result<Option<String>> {
    if config.chart.kind == ChartKind::None {
        return Ok(None);
    }
    charts::render_svg(config, value, CHART_WIDTH, CHART_HEIGHT).map(Some)
}
