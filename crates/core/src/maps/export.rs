//! Map image export: the whole journey map as a PNG, or as a one-page landscape PDF.
//!
//! Contract: [`render_map_png`] draws the map title, the stage headers (columns), the lane
//! headers (rows) and every card in its cell from the cached values of the [`MapView`] — card
//! title, value, n, "updated" time, first problem, and a small chart — at `scale` (1.0 ≈ 300 px
//! per stage; clamped to 0.5..=4). [`render_map_pdf`] embeds that image (scale 2) on a single
//! A4 landscape page (a minimal PDF 1.4 file with one Flate-compressed RGB image).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

use super::{CardContent, CardView, MapView};
use crate::charts::palette::{BAD, GRID, MUTED, PRIMARY, TEXT};
use crate::charts::{draw_chart, draw_err, encode_png, ensure_fonts, format_value, FONT};
use crate::error::{Error, Result};
use crate::metrics::ChartKind;

const MAX_PIXELS: u64 = 80_000_000;
const PAGE_BG: RGBColor = RGBColor(246, 247, 251);
const HEADER_BG: RGBColor = RGBColor(232, 234, 246);
const CELL_BG: RGBColor = RGBColor(252, 252, 254);
const NOTE_BG: RGBColor = RGBColor(255, 248, 214);
const NOTE_BORDER: RGBColor = RGBColor(240, 220, 150);

/// Pixel geometry of one export, at a given scale.
struct Geometry {
    s: f64,
    margin: i32,
    title_h: i32,
    lane_w: i32,
    stage_h: i32,
    cell_w: i32,
    gap: i32,
    row_h: Vec<i32>,
}

impl Geometry {
    fn new(view: &MapView, scale: f32) -> Geometry {
        let s = f64::from(scale.clamp(0.5, 4.0));
        let px = |v: f64| (v * s).round() as i32;
        let gap = px(10.0);
        let row_h = view
            .lanes
            .iter()
            .map(|lane| {
                let tallest = view
                    .stages
                    .iter()
                    .map(|st| {
                        let cards = view.cell(&st.id, &lane.id);
                        cards.iter().map(|c| card_height(c, s) + gap).sum::<i32>() + gap
                    })
                    .max()
                    .unwrap_or(0);
                tallest.max(px(96.0))
            })
            .collect();
        Geometry {
            s,
            margin: px(28.0),
            title_h: px(64.0),
            lane_w: px(170.0),
            stage_h: px(44.0),
            cell_w: px(300.0),
            gap,
            row_h,
        }
    }

    fn px(&self, v: f64) -> i32 {
        (v * self.s).round() as i32
    }

    fn size(&self, view: &MapView) -> (u32, u32) {
        let cols = view.stages.len().max(1) as i32;
        let w = 2 * self.margin + self.lane_w + cols * self.cell_w;
        let rows: i32 = if view.lanes.is_empty() {
            self.px(120.0)
        } else {
            self.row_h.iter().sum()
        };
        let h = 2 * self.margin + self.title_h + self.stage_h + rows;
        (w.max(self.px(640.0)) as u32, h as u32)
    }
}

fn card_height(card: &CardView, s: f64) -> i32 {
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

fn text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    at: (i32, i32),
    size: f64,
    color: &RGBColor,
    bold: bool,
    pos: (HPos, VPos),
) -> Result<()> {
    let style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    let font = FontDesc::new(FontFamily::Name(FONT), size, style)
        .color(color)
        .pos(Pos::new(pos.0, pos.1));
    area.draw(&Text::new(s.to_owned(), at, font))
        .map_err(draw_err)
}

/// Word-wraps `s` to lines of at most `max_px`, keeping at most `max_lines` (ellipsis).
fn wrap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    size: f64,
    max_px: i32,
    max_lines: usize,
) -> Vec<String> {
    let style: TextStyle<'_> =
        FontDesc::new(FontFamily::Name(FONT), size, FontStyle::Normal).into();
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

fn rect<DB: DrawingBackend>(
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

/// Renders the map into an RGB buffer; returns (pixels, width, height).
fn render_rgb(view: &MapView, scale: f32) -> Result<(Vec<u8>, u32, u32)> {
    ensure_fonts();
    let g = Geometry::new(view, scale);
    let (w, h) = g.size(view);
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(Error::invalid(format!(
            "the map is too large to export at this scale ({w}x{h} pixels); use a smaller scale"
        )));
    }
    let mut rgb = vec![0u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        root.fill(&PAGE_BG).map_err(draw_err)?;
        draw_map(&root, view, &g, w as i32)?;
        root.present().map_err(draw_err)?;
    }
    Ok((rgb, w, h))
}

fn draw_map<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    view: &MapView,
    g: &Geometry,
    w: i32,
) -> Result<()> {
    let m = g.margin;
    text(
        root,
        &view.map.name,
        (m, m),
        f64::from(g.px(26.0)),
        &TEXT,
        true,
        (HPos::Left, VPos::Top),
    )?;
    let sub = format!(
        "{} stages × {} lanes · {} cards · exported {}",
        view.stages.len(),
        view.lanes.len(),
        view.cards.len(),
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC")
    );
    text(
        root,
        &sub,
        (m, m + g.px(36.0)),
        f64::from(g.px(13.0)),
        &MUTED,
        false,
        (HPos::Left, VPos::Top),
    )?;
    let top = m + g.title_h;
    if view.stages.is_empty() || view.lanes.is_empty() {
        let msg = "This map has no stages or lanes yet.";
        return text(
            root,
            msg,
            (w / 2, top + g.px(80.0)),
            f64::from(g.px(16.0)),
            &MUTED,
            false,
            (HPos::Center, VPos::Center),
        );
    }
    let x0 = m + g.lane_w;
    for (i, stage) in view.stages.iter().enumerate() {
        let x = x0 + g.cell_w * i as i32;
        rect(
            root,
            (x, top),
            (x + g.cell_w, top + g.stage_h),
            HEADER_BG,
            Some(GRID),
        )?;
        let name = wrap(
            root,
            &stage.name,
            f64::from(g.px(15.0)),
            g.cell_w - g.px(16.0),
            1,
        )
        .join(" ");
        text(
            root,
            &name,
            (x + g.cell_w / 2, top + g.stage_h / 2),
            f64::from(g.px(15.0)),
            &TEXT,
            true,
            (HPos::Center, VPos::Center),
        )?;
    }
    let mut y = top + g.stage_h;
    for (li, lane) in view.lanes.iter().enumerate() {
        let rh = g.row_h[li];
        rect(root, (m, y), (x0, y + rh), HEADER_BG, Some(GRID))?;
        let lines = wrap(
            root,
            &lane.name,
            f64::from(g.px(14.0)),
            g.lane_w - g.px(20.0),
            3,
        );
        for (k, l) in lines.iter().enumerate() {
            text(
                root,
                l,
                (m + g.px(12.0), y + g.px(14.0) + k as i32 * g.px(19.0)),
                f64::from(g.px(14.0)),
                &TEXT,
                true,
                (HPos::Left, VPos::Top),
            )?;
        }
        for (si, stage) in view.stages.iter().enumerate() {
            let x = x0 + g.cell_w * si as i32;
            rect(root, (x, y), (x + g.cell_w, y + rh), CELL_BG, None)?;
            root.draw(&Rectangle::new(
                [(x, y), (x + g.cell_w, y + rh)],
                GRID.stroke_width(1),
            ))
            .map_err(draw_err)?;
            let mut cy = y + g.gap;
            for card in view.cell(&stage.id, &lane.id) {
                let ch = card_height(card, g.s);
                draw_card(root, card, (x + g.gap, cy), (g.cell_w - 2 * g.gap, ch), g)?;
                cy += ch + g.gap;
            }
        }
        y += rh;
    }
    Ok(())
}

fn draw_card<DB: DrawingBackend>(
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
            let title = wrap(root, &config.name, f64::from(g.px(13.0)), w - 2 * pad, 1).join(" ");
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
                    format_value(value.value, value.unit, config.chart.decimals),
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
            let mut meta = format!(
                "n = {}",
                format_value(Some(value.n as f64), crate::metrics::Unit::Number, 0)
            );
            if let Some(at) = card.computed_at {
                meta.push_str(&format!(" · updated {}", at.format("%Y-%m-%d %H:%M UTC")));
            }
            if card.stale_config {
                meta.push_str(" · older settings");
            }
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
            if let Some(p) = value.problems.first() {
                let msg = wrap(root, &p.message, f64::from(g.px(11.0)), w - 2 * pad, 1).join(" ");
                text(
                    root,
                    &msg,
                    (x + pad + g.px(2.0), y + g.px(84.0)),
                    f64::from(g.px(11.0)),
                    &BAD,
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

/// Renders the map as a PNG image (see the module docs).
pub fn render_map_png(view: &MapView, scale: f32) -> Result<Vec<u8>> {
    let (rgb, w, h) = render_rgb(view, scale)?;
    encode_png(&rgb, w, h)
}

/// Renders the map on one landscape A4 PDF page (see the module docs).
pub fn render_map_pdf(view: &MapView) -> Result<Vec<u8>> {
    let (rgb, w, h) = render_rgb(view, 2.0)?;
    Ok(super::pdf::single_image_pdf(&view.map.name, &rgb, w, h))
}
