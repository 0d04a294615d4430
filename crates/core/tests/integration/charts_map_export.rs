//! Map export: a sample journey map with real computed values (simulator data) rendered to
//! PNG (size, signature) and PDF (structure; `pdftoppm` renders it when installed). Previews
//! are written to `target/chart-previews/`.

use crate::app_support::{card_by_grouping, preview_dir};
use std::process::Command;

use chrono::Utc;
use pulsemap_core::maps::export::{render_map_pdf, render_map_png};
use pulsemap_core::maps::{self, MapView};
use pulsemap_core::metrics::{
    compute, Calculation, ChartKind, ChartOptions, DateField, GroupBy, MetricCardConfig, TimeBucket,
};
use pulsemap_core::store::{ResponseRow, Store};
use qualtrics_sim::{catalog, SimConfig};

const SV: &str = catalog::ONBOARDING_SURVEY_ID;

fn config(
    name: &str,
    q: &str,
    calculation: Calculation,
    group_by: GroupBy,
    kind: ChartKind,
) -> MetricCardConfig {
    MetricCardConfig {
        name: name.into(),
        chart: ChartOptions {
            kind,
            show_n: true,
            decimals: 0,
            ..Default::default()
        },
        ..card_by_grouping(SV, q, calculation, group_by)
    }
}

fn sample_map() -> (tempfile::TempDir, MapView) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("export.db")).unwrap();
    let cfg = SimConfig {
        responses: 600,
        ..SimConfig::default()
    };
    store
        .set_survey_definition(SV, &qualtrics_sim::definition_json(&cfg, SV).unwrap())
        .unwrap();
    let mut imp = store.importer(SV).unwrap();
    for i in 0..qualtrics_sim::response_total(&cfg, SV) {
        let raw = qualtrics_sim::generate_response(&cfg, SV, i);
        imp.add(
            ResponseRow::from_export_json(&raw, qualtrics_sim::response_in_progress(&cfg, SV, i))
                .unwrap(),
        )
        .unwrap();
    }
    imp.commit(Some("t"), Utc::now()).unwrap();

    let map = maps::create_map(&store, "Customer onboarding").unwrap();
    let stages: Vec<_> = ["Discover", "Sign up", "Onboard", "Use", "Renew"]
        .iter()
        .map(|s| maps::add_stage(&store, &map.id, s).unwrap())
        .collect();
    let lanes: Vec<_> = ["Customer actions", "Touchpoints", "Metrics"]
        .iter()
        .map(|l| maps::add_lane(&store, &map.id, l).unwrap())
        .collect();
    maps::add_text_card(
        &store,
        &map.id,
        &stages[0].id,
        &lanes[0].id,
        "Finds Pulsemap through a colleague's recommendation",
    )
    .unwrap();
    maps::add_text_card(
        &store,
        &map.id,
        &stages[1].id,
        &lanes[1].id,
        "Sign-up form, welcome e-mail",
    )
    .unwrap();
    let cards = [
        (
            1,
            config(
                "NPS by plan",
                catalog::ONBOARDING_NPS_QID,
                Calculation::Nps,
                GroupBy::Question {
                    question_id: catalog::ONBOARDING_PLAN_QID.into(),
                },
                ChartKind::Bar,
            ),
        ),
        (
            2,
            config(
                "CSAT by month",
                catalog::ONBOARDING_CSAT_QID,
                Calculation::CsatTop2,
                GroupBy::Time {
                    bucket: TimeBucket::Month,
                    date_field: DateField::EndDate,
                },
                ChartKind::Line,
            ),
        ),
        (
            3,
            config(
                "CES % easy",
                catalog::ONBOARDING_CES_QID,
                Calculation::CesPercentEasy,
                GroupBy::None,
                ChartKind::Donut,
            ),
        ),
        (
            4,
            config(
                "NPS",
                catalog::ONBOARDING_NPS_QID,
                Calculation::Nps,
                GroupBy::None,
                ChartKind::None,
            ),
        ),
        (
            0,
            config(
                "Features used",
                catalog::ONBOARDING_FEATURES_QID,
                Calculation::Distribution,
                GroupBy::None,
                ChartKind::Bar,
            ),
        ),
    ];
    for (stage, c) in cards {
        let card =
            maps::add_metric_card(&store, &map.id, &stages[stage].id, &lanes[2].id, &c).unwrap();
        let value = compute(&store, &c).unwrap();
        store
            .put_metric_value(&card.id, &c.config_hash(), &value, Utc::now())
            .unwrap();
    }
    // One card never computed.
    maps::add_metric_card(
        &store,
        &map.id,
        &stages[4].id,
        &lanes[2].id,
        &config(
            "Renewal NPS",
            catalog::ONBOARDING_NPS_QID,
            Calculation::Nps,
            GroupBy::None,
            ChartKind::None,
        ),
    )
    .unwrap();
    let view = maps::open_map(&store, &map.id).unwrap();
    (dir, view)
}

fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

#[test]
fn map_png_scales_and_pdf_is_valid() {
    let (_dir, view) = sample_map();
    let png1 = render_map_png(&view, 1.0).unwrap();
    let (w1, h1) = png_size(&png1);
    assert!(w1 >= 5 * 300 && h1 >= 3 * 96, "{w1}x{h1}");
    std::fs::write(preview_dir().join("map.png"), &png1).unwrap();
    let png2 = render_map_png(&view, 2.0).unwrap();
    let (w2, h2) = png_size(&png2);
    assert!(
        (w2 as i64 - 2 * w1 as i64).abs() <= 4 && (h2 as i64 - 2 * h1 as i64).abs() <= 8,
        "{w2}x{h2}"
    );

    let pdf = render_map_pdf(&view).unwrap();
    assert!(pdf.starts_with(b"%PDF-1.4"));
    assert!(pdf.ends_with(b"%%EOF\n"));
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/Subtype /Image") && text.contains("/Title (Customer onboarding)"));
    // The xref offsets point at the objects.
    let xref_at: usize = text
        .rsplit("startxref\n")
        .next()
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(pdf[xref_at..].starts_with(b"xref"));
    let path = preview_dir().join("map.pdf");
    std::fs::write(&path, &pdf).unwrap();
    // Render the page with whichever PDF rasteriser is installed (poppler or ghostscript).
    let out = preview_dir().join("map-pdf.png");
    let _ = std::fs::remove_file(&out);
    let poppler = Command::new("pdftoppm")
        .args(["-r", "40", "-png", "-singlefile"])
        .arg(&path)
        .arg(preview_dir().join("map-pdf"))
        .status();
    let rendered = match poppler {
        Ok(status) => Some(status.success()),
        Err(_) => Command::new("gs")
            .args([
                "-q",
                "-dNOPAUSE",
                "-dBATCH",
                "-dSAFER",
                "-sDEVICE=png16m",
                "-r40",
            ])
            .arg(format!("-sOutputFile={}", out.display()))
            .arg(&path)
            .status()
            .ok()
            .map(|s| s.success()),
    };
    match rendered {
        Some(ok) => {
            assert!(ok, "the PDF rasteriser rejected the PDF");
            let (pw, ph) = png_size(&std::fs::read(&out).unwrap());
            assert!(pw > ph, "landscape page: {pw}x{ph}");
        }
        None => eprintln!("neither pdftoppm nor gs is installed; PDF not rasterised"),
    }
}

#[test]
fn empty_map_renders_a_message_and_huge_scales_are_refused() {
    let store = Store::open_in_memory().unwrap();
    let map = maps::create_map(&store, "Empty").unwrap();
    let view = maps::open_map(&store, &map.id).unwrap();
    let png = render_map_png(&view, 1.0).unwrap();
    assert!(png_size(&png).0 >= 640);
    for i in 0..40 {
        maps::add_stage(&store, &map.id, &format!("Stage {i}")).unwrap();
        maps::add_lane(&store, &map.id, &format!("Lane {i}")).unwrap();
    }
    let view = maps::open_map(&store, &map.id).unwrap();
    let err = render_map_png(&view, 4.0).unwrap_err();
    assert_eq!(err.kind(), pulsemap_core::ErrorKind::InvalidInput);
}

/// RGB pixels of a PNG equal to `rgb`.
fn count_colour(png: &[u8], rgb: [u8; 3]) -> usize {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    buf[..info.buffer_size()]
        .chunks(channels)
        .filter(|p| p[..3] == rgb)
        .count()
}

#[test]
fn exported_cards_show_their_target_status_with_an_icon() {
    use pulsemap_core::metrics::TargetStatus;
    let (_dir, view) = sample_map();
    let with = |status: TargetStatus| {
        let mut v = view.clone();
        for c in v.cards.iter_mut() {
            if let Some(value) = c.cached_value.as_mut() {
                value.status = status;
                value.target = Some(40.0);
            }
        }
        render_map_png(&v, 1.0).unwrap()
    };
    let (good, amber, bad) = ([16, 185, 129], [245, 158, 11], [239, 68, 68]);
    let none = with(TargetStatus::None);
    let green = with(TargetStatus::Green);
    let red = with(TargetStatus::Red);
    let near = with(TargetStatus::Amber);
    std::fs::write(preview_dir().join("map-status-red.png"), &red).unwrap();
    let cards = view
        .cards
        .iter()
        .filter(|c| c.cached_value.is_some())
        .count();
    // Each status icon fills at least a small disc / triangle / square per card.
    assert!(count_colour(&green, good) >= count_colour(&none, good) + 40 * cards);
    assert!(count_colour(&near, amber) >= count_colour(&none, amber) + 30 * cards);
    assert!(count_colour(&red, bad) >= count_colour(&none, bad) + 60 * cards);
}

/// Width, height and RGB pixels of a PNG.
fn rgb_pixels(png: &[u8]) -> (usize, Vec<[u8; 3]>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let px = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    (info.width as usize, px)
}

#[test]
fn exported_cards_show_the_subheading_and_keep_the_status_clear_of_a_long_headline() {
    use pulsemap_core::maps::CardContent;
    use pulsemap_core::metrics::{TargetStatus, Unit};
    let (_dir, view) = sample_map();
    // One plain Number card whose value and target are long numbers, with a red status.
    let mut one = view.clone();
    one.cards.retain(
        |c| matches!(&c.card.content, CardContent::Metric { config } if config.name == "NPS"),
    );
    assert_eq!(one.cards.len(), 1);
    let value = one.cards[0].cached_value.as_mut().unwrap();
    value.value = Some(123_456_789.0);
    value.unit = Unit::Number;
    value.status = TargetStatus::Red;
    value.target = Some(1_000_000.0);
    let plain = render_map_png(&one, 1.0).unwrap();
    let mut sub = one.clone();
    if let CardContent::Metric { config } = &mut sub.cards[0].card.content {
        config.subheading = Some("Enterprise customers, last 90 days".into());
    }
    let with_sub = render_map_png(&sub, 1.0).unwrap();
    std::fs::write(preview_dir().join("map-subheading-status.png"), &with_sub).unwrap();

    // The subheading takes a line of its own: the card (and its row) grow by it, and more
    // muted text is drawn.
    assert_eq!(png_size(&with_sub).1, png_size(&plain).1 + 16);
    let muted_ink = |png: &[u8]| {
        let near = |a: u8, b: u8| a.abs_diff(b) <= 30;
        let (_, px) = rgb_pixels(png);
        px.iter()
            .filter(|p| near(p[0], 107) && near(p[1], 114) && near(p[2], 128))
            .count()
    };
    let (more, base) = (muted_ink(&with_sub), muted_ink(&plain));
    assert!(more > base + 40, "subheading ink: {more} vs {base}");

    // No headline pixel (primary colour) in the band of the status icon from its left edge
    // rightwards: the number shrank to fit beside it.
    for png in [&plain, &with_sub] {
        let (w, px) = rgb_pixels(png);
        let (bad, primary) = ([239, 68, 68], [79, 70, 229]);
        let icon: Vec<(usize, usize)> = px
            .iter()
            .enumerate()
            .filter(|(_, p)| **p == bad)
            .map(|(i, _)| (i % w, i / w))
            .collect();
        assert!(icon.len() >= 60, "the status icon is drawn");
        let left = icon.iter().map(|p| p.0).min().unwrap() - 4;
        let (top, bottom) = (
            icon.iter().map(|p| p.1).min().unwrap(),
            icon.iter().map(|p| p.1).max().unwrap(),
        );
        let under: usize = (top..=bottom)
            .flat_map(|y| (left..left + 220).map(move |x| (x, y)))
            .filter(|&(x, y)| px[y * w + x] == primary)
            .count();
        assert_eq!(under, 0, "headline pixels under the status");
        let headline: usize = (top..=bottom)
            .flat_map(|y| (0..left).map(move |x| (x, y)))
            .filter(|&(x, y)| px[y * w + x] == primary)
            .count();
        assert!(
            headline > 100,
            "the headline is still drawn ({headline} px)"
        );
    }
}
