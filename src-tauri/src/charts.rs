//! Bridge to core's renderers: card charts (SVG) and map exports (PNG/PDF).
//!
//! Contract: the shell renders nothing itself; these functions forward to `pulsemap-core`.
//! While core's chart and export modules are not available they report that plainly
//! (`chart_svg` → no chart, exports → an `internal` error saying so).

use pulsemap_core::maps::MapView;
use pulsemap_core::metrics::{MetricCardConfig, MetricValue};
use pulsemap_core::{Error, ErrorKind};

/// The chart of a card as SVG, `None` when the card has no chart.
pub fn chart_svg(_config: &MetricCardConfig, _value: &MetricValue) -> Option<String> {
    None
}

/// The map rendered as a PNG image.
pub fn render_png(_view: &MapView) -> pulsemap_core::Result<Vec<u8>> {
    Err(Error::new(
        ErrorKind::Internal,
        "map export is not available in this build",
    ))
}

/// The map rendered as a PDF document.
pub fn render_pdf(_view: &MapView) -> pulsemap_core::Result<Vec<u8>> {
    Err(Error::new(
        ErrorKind::Internal,
        "map export is not available in this build",
    ))
}
