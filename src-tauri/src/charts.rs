//! Bridge to core's renderers: card charts (SVG) and map exports (PNG/PDF).
//!
//! Contract: the shell renders nothing itself. A card whose chart kind is `none` has no
//! chart (`Ok(None)`); otherwise core draws it at [`CHART_WIDTH`]x[`CHART_HEIGHT`] (the UI
//! scales the SVG to the card width through its viewBox). Map exports are core's
//! `render_map_png` (at [`EXPORT_SCALE`]) and `render_map_pdf`.

use pulsemap_core::charts;
use pulsemap_core::maps::{export, MapView};
use pulsemap_core::metrics::{ChartKind, MetricCardConfig, MetricValue};

/// Pixel width of card charts.
pub const CHART_WIDTH: u32 = 320;
/// Pixel height of card charts.
pub const CHART_HEIGHT: u32 = 180;
/// Scale of PNG map exports (1.0 ≈ 300 px per stage).
pub const EXPORT_SCALE: f32 = 2.0;

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

/// The map rendered as a PNG image.
pub fn render_png(view: &MapView) -> pulsemap_core::Result<Vec<u8>> {
    export::render_map_png(view, EXPORT_SCALE)
}

/// The map rendered as a PDF document.
pub fn render_pdf(view: &MapView) -> pulsemap_core::Result<Vec<u8>> {
    export::render_map_pdf(view)
}
