//! Map image export: the whole journey map as a PNG, or as a one-page landscape PDF.
//!
//! Contract: [`render_map_png`] draws the map title, the stage headers (columns), the lane
//! headers (rows) and every card in its cell from the cached values of the [`MapView`] — card
//! title and subheading, value, target status, n, "updated" time, first problem, and a small
//! chart — at `scale` (1.0 ≈ 300 px per stage; clamped to 0.5..=4). [`render_map_pdf`] embeds that image (scale 2) on a single
//! A4 landscape page (a minimal PDF 1.4 file with one Flate-compressed RGB image).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::card_render::{card_height, draw_card, rect, text, wrap};
use super::MapView;
use crate::charts::palette::{GRID, MUTED, TEXT};
use crate::charts::{draw_err, encode_png, ensure_fonts};
use crate::error::{Error, Result};

const MAX_PIXELS: u64 = 80_000_000;
const PAGE_BG: RGBColor = RGBColor(246, 247, 251);
const HEADER_BG: RGBColor = RGBColor(232, 234, 246);
const CELL_BG: RGBColor = RGBColor(252, 252, 254);

/// Pixel geometry of one export, at a given scale.
pub(super) struct Geometry {
    pub s: f64,
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

    pub(super) fn px(&self, v: f64) -> i32 {
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
        "{} · {} · {} · exported {}",
        counted(view.stages.len(), "stage"),
        counted(view.lanes.len(), "lane"),
        counted(view.cards.len(), "card"),
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

/// "1 card", "2 cards".
fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
