//! A Qualtrics saved filter on a card, through the facade and the simulator over HTTP: the
//! survey's filters are listed, the filter's members are read by a full filtered export after
//! the refresh (Qualtrics refuses `filterId` with continuation), and the card's value equals
//! the same segment computed from the raw field.

use chrono::Utc;
use pulsemap_core::dto::RefreshMode;
use pulsemap_core::metrics::{Calculation, GroupBy, MetricCardConfig, SegmentFilter};
use pulsemap_core::ErrorKind;
use qualtrics_sim::catalog;

use crate::app_support::{connected, number_card};

const SV: &str = catalog::ONBOARDING_SURVEY_ID;

fn card(filter: SegmentFilter) -> MetricCardConfig {
    MetricCardConfig {
        filters: vec![filter],
        ..number_card(
            SV,
            catalog::ONBOARDING_NPS_QID,
            Calculation::Nps,
            GroupBy::None,
        )
    }
}

#[tokio::test]
async fn a_saved_filter_segment_equals_its_rule_on_the_raw_field() {
    let t = connected().await;
    let app = &t.app;
    let filters = app.list_survey_filters(&crate::sv(SV)).await.unwrap();
    let emea = filters
        .iter()
        .find(|f| f.id == catalog::FILTER_EMEA_ID)
        .expect("the EMEA filter is listed");
    assert_eq!(emea.name, "Region = EMEA");
    assert_eq!(emea.members_read_at, None);
    assert_eq!(
        app.cached_survey_filters(&crate::sv(SV)).unwrap().len(),
        filters.len()
    );

    let saved = card(SegmentFilter::Saved {
        filter_id: emea.id.clone(),
        name: emea.name.clone(),
    });
    let map = app.create_map("Segments").unwrap();
    let map = app.add_stage(&map.map.id, "Onboarding").unwrap();
    let map = app.add_lane(&map.map.id, "NPS").unwrap();
    app.add_metric_card(&map.map.id, &map.stages[0].id, &map.lanes[0].id, &saved)
        .unwrap();

    app.refresh_survey(&crate::sv(SV), RefreshMode::IfStale, Utc::now(), &|_| {})
        .await
        .unwrap();
    let by_filter = app.preview_metric(&saved).unwrap();
    let by_field = app
        .preview_metric(&card(SegmentFilter::Field {
            name: "Region".into(),
            values: vec!["EMEA".into()],
        }))
        .unwrap();
    assert!(by_field.n > 0);
    assert_eq!(
        (by_filter.value, by_filter.n, by_filter.ci_low),
        (by_field.value, by_field.n, by_field.ci_low)
    );
    assert!(
        by_filter
            .formula
            .contains("saved filter \"Region = EMEA\" members as of"),
        "{}",
        by_filter.formula
    );
    let read = app.cached_survey_filters(&crate::sv(SV)).unwrap();
    assert!(read
        .iter()
        .any(|f| f.id == catalog::FILTER_EMEA_ID && f.members_read_at.is_some()));
    // The card on the map was recomputed with the membership.
    let painted = app.open_map(&map.map.id).unwrap();
    assert_eq!(
        painted.cards[0].cached_value.as_ref().map(|v| v.n),
        Some(by_field.n)
    );
    // The card face says how fresh its data is: the survey's last successful sync.
    let as_of = app.store().data_as_of(SV).unwrap();
    assert!(as_of.is_some());
    assert_eq!(
        (painted.cards[0].data_as_of, painted.cards[0].stale),
        (as_of, false)
    );
    assert_eq!(by_filter.data_as_of, as_of);

    // A filter whose members were never read says so instead of computing a wrong value.
    let unread = card(SegmentFilter::Saved {
        filter_id: catalog::FILTER_ENTERPRISE_ID.into(),
        name: "Enterprise plan".into(),
    });
    let e = app.preview_metric(&unread).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(e.message().contains("have not been read yet"), "{e}");

    // Field values for the segment picker: most frequent first, with n.
    let regions = app.field_values(&crate::sv(SV), "Region").unwrap();
    let total: u64 = regions.iter().map(|r| r.n).sum();
    assert!(regions.windows(2).all(|w| w[0].n >= w[1].n));
    assert!(regions.iter().any(|r| r.value == "EMEA"));
    assert!(total >= by_field.n);
}
