//! Charts: SVG output carries the labels and values; PNG output is a real PNG of the asked
//! size; every chart kind renders for every value shape (including no data). Previews are
//! written to `target/chart-previews/` for a look.

use crate::app_support::{number_card, preview_dir};
use pulsemap_core::charts::{effective_kind, format_value, render_png, render_svg};
use pulsemap_core::metrics::{
    Calculation, CardType, ChartKind, ChartOptions, ComparisonValue, DistributionBin, GroupBy,
    GroupValue, MetricCardConfig, MetricValue, SeriesPoint, Unit,
};

fn config(calculation: Calculation, kind: ChartKind) -> MetricCardConfig {
    MetricCardConfig {
        name: "NPS by plan".into(),
        chart: ChartOptions {
            kind,
            show_n: true,
            decimals: 0,
            ..Default::default()
        },
        ..number_card("SV_1", "QID1", calculation, GroupBy::None)
    }
}

fn empty(unit: Unit) -> MetricValue {
    MetricValue {
        value: None,
        n: 0,
        unit,
        formula: String::new(),
        groups: vec![],
        series: vec![],
        comparison: None,
        distribution: vec![],
        problems: vec![],
        ..Default::default()
    }
}

fn grouped() -> MetricValue {
    let g = |key: &str, label: &str, value: f64, n| GroupValue {
        key: key.into(),
        label: label.into(),
        value: Some(value),
        n,
        ..Default::default()
    };
    MetricValue {
        value: Some(21.0),
        n: 1500,
        groups: vec![
            g("1", "Basic", -12.0, 600),
            g("2", "Pro", 18.0, 500),
            g("3", "Enterprise", 47.0, 400),
        ],
        ..empty(Unit::Score)
    }
}

fn series() -> MetricValue {
    let months = [
        "2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08",
    ];
    let series = months
        .iter()
        .enumerate()
        .map(|(i, m)| SeriesPoint {
            bucket: (*m).into(),
            value: if i == 3 {
                None
            } else {
                Some(60.0 + (i as f64 * 3.0))
            },
            n: if i == 3 { 0 } else { 90 },
            ..Default::default()
        })
        .collect();
    MetricValue {
        value: Some(71.0),
        n: 630,
        series,
        ..empty(Unit::Percent)
    }
}

fn distribution() -> MetricValue {
    let b = |id: &str, label: &str, count, percent| DistributionBin {
        choice_id: id.into(),
        label: label.into(),
        count,
        percent,
    };
    MetricValue {
        value: None,
        n: 1000,
        distribution: vec![
            b("1", "Very dissatisfied", 50, 5.0),
            b("2", "Dissatisfied", 100, 10.0),
            b("3", "Neither satisfied nor dissatisfied", 200, 20.0),
            b("4", "Satisfied", 400, 40.0),
            b("5", "Very satisfied", 250, 25.0),
        ],
        ..empty(Unit::Percent)
    }
}

fn comparison() -> MetricValue {
    MetricValue {
        value: Some(31.0),
        n: 900,
        comparison: Some(ComparisonValue {
            current_label: "2026-Q1".into(),
            current: Some(31.0),
            current_n: 300,
            previous_label: "2025-Q4".into(),
            previous: Some(24.5),
            previous_n: 280,
            delta: Some(6.5),
            ..Default::default()
        }),
        ..empty(Unit::Score)
    }
}

fn preview(name: &str, png: &[u8]) {
    std::fs::write(preview_dir().join(format!("{name}.png")), png).unwrap();
}

/// Text contents of the `<text>` elements of an SVG document (checks they are balanced).
fn svg_texts(svg: &str) -> Vec<String> {
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    assert_eq!(svg.matches("<svg").count(), 1);
    assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
    svg.split("<text")
        .skip(1)
        .map(|t| {
            let body = &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()];
            body.trim().to_owned()
        })
        .collect()
}

fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&png[12..16], b"IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

#[test]
fn svg_contains_group_labels_and_values() {
    let svg = render_svg(
        &config(Calculation::Nps, ChartKind::Bar),
        &grouped(),
        420,
        220,
    )
    .unwrap();
    let texts = svg_texts(&svg);
    for needle in ["Basic", "Pro", "Enterprise", "47", "-12", "18", "n=400"] {
        assert!(
            texts.iter().any(|t| t == needle),
            "missing {needle} in {texts:?}"
        );
    }
}

#[test]
fn svg_of_distribution_and_comparison_and_series() {
    let svg = render_svg(
        &config(Calculation::Distribution, ChartKind::None),
        &distribution(),
        420,
        220,
    )
    .unwrap();
    let texts = svg_texts(&svg);
    assert!(
        texts.contains(&"Satisfied".to_owned()) && texts.contains(&"40%".to_owned()),
        "{texts:?}"
    );
    let mut c = config(Calculation::Nps, ChartKind::None);
    c.card_type = CardType::Comparison;
    let svg = render_svg(&c, &comparison(), 420, 160).unwrap();
    let texts = svg_texts(&svg);
    assert!(texts.contains(&"2026-Q1".to_owned()) && texts.contains(&"2025-Q4".to_owned()));
    assert!(
        texts.iter().any(|t| t.contains("+6.5 vs 2025-Q4")),
        "{texts:?}"
    );
    let svg = render_svg(
        &config(Calculation::CsatTop2, ChartKind::Line),
        &series(),
        480,
        220,
    )
    .unwrap();
    let texts = svg_texts(&svg);
    assert!(
        texts.contains(&"2025-01".to_owned()) && texts.contains(&"81%".to_owned()),
        "{texts:?}"
    );
}

#[test]
fn png_has_the_requested_size_for_every_kind_and_shape() {
    let shapes = [
        ("grouped", Calculation::Nps, grouped()),
        ("series", Calculation::CsatTop2, series()),
        ("distribution", Calculation::Distribution, distribution()),
        ("comparison", Calculation::Nps, comparison()),
        (
            "nps",
            Calculation::Nps,
            MetricValue {
                value: Some(42.0),
                n: 1234,
                ..empty(Unit::Score)
            },
        ),
        (
            "csat",
            Calculation::CsatTop2,
            MetricValue {
                value: Some(72.4),
                n: 880,
                ..empty(Unit::Percent)
            },
        ),
        (
            "average",
            Calculation::CesAverage,
            MetricValue {
                value: Some(5.37),
                n: 880,
                ..empty(Unit::Score)
            },
        ),
        ("nodata", Calculation::Nps, empty(Unit::Score)),
    ];
    for (name, calc, value) in &shapes {
        for kind in [
            ChartKind::None,
            ChartKind::Bar,
            ChartKind::Line,
            ChartKind::Donut,
            ChartKind::StackedBar,
        ] {
            let mut c = config(*calc, kind);
            c.chart.decimals = 1;
            let png = render_png(&c, value, 400, 220).unwrap();
            assert_eq!(png_size(&png), (400, 220), "{name} {kind:?}");
            if kind == ChartKind::None {
                preview(name, &png);
                // The app draws card charts at 240x140 (src-tauri/src/charts.rs).
                let small = render_png(&c, value, 240, 140).unwrap();
                assert_eq!(png_size(&small), (240, 140), "{name} {kind:?} small");
                preview(&format!("{name}-card"), &small);
            }
        }
    }
    preview(
        "donut-distribution",
        &render_png(
            &config(Calculation::Distribution, ChartKind::Donut),
            &distribution(),
            400,
            220,
        )
        .unwrap(),
    );
    preview(
        "stacked-distribution",
        &render_png(
            &config(Calculation::Distribution, ChartKind::StackedBar),
            &distribution(),
            400,
            220,
        )
        .unwrap(),
    );
}

#[test]
fn kinds_and_formatting() {
    assert_eq!(
        effective_kind(&config(Calculation::CsatTop2, ChartKind::None), &series()),
        ChartKind::Line
    );
    assert_eq!(
        effective_kind(&config(Calculation::Nps, ChartKind::None), &grouped()),
        ChartKind::Bar
    );
    assert_eq!(
        effective_kind(&config(Calculation::Nps, ChartKind::Donut), &grouped()),
        ChartKind::Donut
    );
    assert_eq!(format_value(Some(12.345), Unit::Percent, 1), "12.3%");
    let err = render_png(
        &config(Calculation::Nps, ChartKind::Bar),
        &grouped(),
        10,
        10,
    )
    .unwrap_err();
    assert_eq!(err.kind(), pulsemap_core::ErrorKind::InvalidInput);
}

#[test]
fn headline_values_read_like_the_app() {
    use pulsemap_core::charts::format_headline;
    use pulsemap_core::metrics::Unit;
    assert_eq!(format_headline(Some(4.4), Unit::Score, 1), "+4");
    assert_eq!(format_headline(Some(-12.6), Unit::Score, 1), "\u{2212}13");
    assert_eq!(format_headline(Some(0.2), Unit::Score, 1), "0");
    assert_eq!(format_headline(Some(78.44), Unit::Percent, 0), "78.4%");
    assert_eq!(format_headline(Some(5.4219), Unit::Number, 2), "5.42");
    assert_eq!(format_headline(None, Unit::Score, 1), "—");
}

/// The single-value chart (NPS gauge, donut, big number) shows the value exactly as the card's
/// headline does, so a card or preview never reads "+3" beside a chart reading "3.1".
#[test]
fn single_value_chart_uses_the_headline_format() {
    let mut c = config(Calculation::Nps, ChartKind::Donut);
    c.chart.decimals = 1;
    let value = MetricValue {
        value: Some(3.1),
        n: 120,
        ..empty(Unit::Score)
    };
    let texts = svg_texts(&render_svg(&c, &value, 280, 180).unwrap());
    let headline = pulsemap_core::charts::format_headline(value.value, value.unit, 1);
    assert_eq!(headline, "+3");
    assert!(texts.contains(&headline), "{texts:?}");
    assert!(!texts.iter().any(|t| t == "3.1"), "{texts:?}");
}

#[test]
fn line_charts_honour_start_at_zero_draw_low_n_hollow_and_split_lines() {
    use pulsemap_core::metrics::SeriesGroup;
    let mut value = series();
    value.series[5].low_n = true;
    let mut card = config(Calculation::CsatTop2, ChartKind::Line);
    // Fitted axis (the default): 60–81% does not reach 0%.
    let fitted = svg_texts(&render_svg(&card, &value, 480, 220).unwrap());
    assert!(!fitted.contains(&"0%".to_owned()), "{fitted:?}");
    card.chart.start_at_zero = true;
    let from_zero = render_svg(&card, &value, 480, 220).unwrap();
    assert!(svg_texts(&from_zero).contains(&"0%".to_owned()));
    // One hollow point: a white disc with a ring in the line's colour.
    let hollow = from_zero.matches(r##"fill="#FFFFFF""##).count();
    value.series[5].low_n = false;
    let solid = render_svg(&card, &value, 480, 220).unwrap();
    assert_eq!(hollow, solid.matches(r##"fill="#FFFFFF""##).count() + 1);
    // Split lines: one coloured polyline per group.
    value.series_groups = ["EMEA", "AMER"]
        .iter()
        .map(|g| SeriesGroup {
            key: (*g).into(),
            label: (*g).into(),
            points: value.series.clone(),
        })
        .collect();
    let split = render_svg(&card, &value, 480, 220).unwrap();
    assert!(split.matches("<polyline").count() >= 2, "{split}");
    preview(
        "series-split",
        &render_png(&card, &value, 480, 220).unwrap(),
    );
    let texts = svg_texts(&split);
    assert!(
        texts.contains(&"EMEA".to_owned()) && texts.contains(&"AMER".to_owned()),
        "{texts:?}"
    );
}

/// The NPS gauge of a card with a target takes the target status's colour, so a +42 that is
/// "Off target" (target 60) is never drawn in the green of a good NPS beside those words.
#[test]
fn the_nps_gauge_follows_the_target_status_when_the_card_has_one() {
    use pulsemap_core::metrics::TargetStatus;
    let c = config(Calculation::Nps, ChartKind::Donut);
    let fills = |status: TargetStatus| {
        let value = MetricValue {
            value: Some(42.0),
            n: 400,
            status,
            ..empty(Unit::Score)
        };
        render_svg(&c, &value, 280, 180)
            .unwrap()
            .to_ascii_uppercase()
    };
    let (good, amber, bad) = ("#10B981", "#F59E0B", "#EF4444");
    let plain = fills(TargetStatus::None);
    assert!(
        plain.contains(good) && !plain.contains(bad),
        "no target: NPS bands"
    );
    let red = fills(TargetStatus::Red);
    assert!(
        red.contains(bad) && !red.contains(good),
        "off target is drawn red"
    );
    let near = fills(TargetStatus::Amber);
    assert!(
        near.contains(amber) && !near.contains(good),
        "near target is amber"
    );
}
