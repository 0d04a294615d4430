//! Journey maps over the store: CRUD, dense positions, moves, cascades, validation, and the
//! MapView painted from cached metric values.

use chrono::{TimeZone, Utc};
use pulsemap_core::maps::{self, CardContent};
use pulsemap_core::metrics::{
    Calculation, CardType, ChartOptions, GroupBy, MetricCardConfig, MetricValue, Unit,
};
use pulsemap_core::store::Store;
use pulsemap_core::ErrorKind;

fn metric(name: &str) -> MetricCardConfig {
    MetricCardConfig {
        name: name.into(),
        card_type: CardType::Number,
        survey_id: Some(crate::sv("SV_1")),
        question_id: "QID1".into(),
        sub_question_id: None,
        group_by: GroupBy::None,
        calculation: Calculation::Nps,
        comparison: None,
        chart: ChartOptions::default(),
        ..Default::default()
    }
}

fn names<T>(items: &[T], f: impl Fn(&T) -> (&str, u32)) -> Vec<(String, u32)> {
    items
        .iter()
        .map(f)
        .map(|(n, p)| (n.to_owned(), p))
        .collect()
}

#[test]
fn map_stage_lane_crud_keeps_positions_dense() {
    let store = Store::open_in_memory().unwrap();
    let map = maps::create_map(&store, "  Customer onboarding ").unwrap();
    assert_eq!(map.name, "Customer onboarding");
    let stages: Vec<_> = ["Discover", "Sign up", "Onboard", "Use"]
        .iter()
        .map(|n| maps::add_stage(&store, &map.id, n).unwrap())
        .collect();
    let lane = maps::add_lane(&store, &map.id, "Customer actions").unwrap();
    maps::add_lane(&store, &map.id, "Metrics").unwrap();

    maps::move_stage(&store, &stages[3].id, 0).unwrap();
    maps::move_stage(&store, &stages[0].id, 99).unwrap(); // clamped to the end
    maps::rename_stage(&store, &stages[1].id, "Register").unwrap();
    let v = maps::open_map(&store, &map.id).unwrap();
    assert_eq!(
        names(&v.stages, |s| (&s.name, s.position)),
        [
            ("Use".into(), 0),
            ("Register".into(), 1),
            ("Onboard".into(), 2),
            ("Discover".into(), 3)
        ]
    );
    maps::delete_stage(&store, &stages[1].id).unwrap();
    maps::move_lane(&store, &lane.id, 1).unwrap();
    let v = maps::open_map(&store, &map.id).unwrap();
    assert_eq!(
        v.stages.iter().map(|s| s.position).collect::<Vec<_>>(),
        [0, 1, 2]
    );
    assert_eq!(
        names(&v.lanes, |l| (&l.name, l.position)),
        [("Metrics".into(), 0), ("Customer actions".into(), 1)]
    );

    let listed = maps::list_maps(&store).unwrap();
    assert_eq!(
        (listed.len(), listed[0].stage_count, listed[0].lane_count),
        (1, 3, 2)
    );
    maps::rename_map(&store, &map.id, "Onboarding v2").unwrap();
    assert_eq!(maps::list_maps(&store).unwrap()[0].name, "Onboarding v2");
    maps::delete_map(&store, &map.id).unwrap();
    assert!(maps::list_maps(&store).unwrap().is_empty());
    assert_eq!(
        maps::open_map(&store, &map.id).unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

#[test]
fn validation_errors_are_specific() {
    let store = Store::open_in_memory().unwrap();
    assert_eq!(
        maps::create_map(&store, "   ").unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    let map = maps::create_map(&store, "M").unwrap();
    assert_eq!(
        maps::add_stage(&store, &map.id, "").unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        maps::add_stage(&store, &pulsemap_core::MapId::parse("nope").unwrap(), "S")
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        maps::rename_lane(&store, &pulsemap_core::LaneId::parse("nope").unwrap(), "L")
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        maps::rename_map(&store, &pulsemap_core::MapId::parse("nope").unwrap(), "L")
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        maps::delete_card(&store, &pulsemap_core::CardId::parse("nope").unwrap())
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    let s = maps::add_stage(&store, &map.id, "S").unwrap();
    let l = maps::add_lane(&store, &map.id, "L").unwrap();
    assert_eq!(
        maps::add_text_card(&store, &map.id, &s.id, &l.id, " ")
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        maps::add_metric_card(&store, &map.id, &s.id, &l.id, &metric(""))
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidInput
    );
    // A cell of another map is refused.
    let other = maps::create_map(&store, "Other").unwrap();
    let os = maps::add_stage(&store, &other.id, "S").unwrap();
    assert_eq!(
        maps::add_text_card(&store, &map.id, &os.id, &l.id, "x")
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidInput
    );
    let card = maps::add_text_card(&store, &map.id, &s.id, &l.id, "note").unwrap();
    assert_eq!(
        maps::move_card(&store, &card.id, &os.id, &l.id, 0)
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        maps::update_metric_card(&store, &card.id, &metric("m"))
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidInput
    );
}

#[test]
fn cards_move_between_cells_and_paint_from_cache() {
    let store = Store::open_in_memory().unwrap();
    let map = maps::create_map(&store, "M").unwrap();
    let s1 = maps::add_stage(&store, &map.id, "S1").unwrap();
    let s2 = maps::add_stage(&store, &map.id, "S2").unwrap();
    let l1 = maps::add_lane(&store, &map.id, "L1").unwrap();
    let a = maps::add_text_card(&store, &map.id, &s1.id, &l1.id, "A").unwrap();
    let b = maps::add_metric_card(&store, &map.id, &s1.id, &l1.id, &metric("NPS")).unwrap();
    let c = maps::add_text_card(&store, &map.id, &s1.id, &l1.id, "C").unwrap();
    assert_eq!((a.position, b.position, c.position), (0, 1, 2));

    maps::move_card(&store, &c.id, &s1.id, &l1.id, 0).unwrap();
    maps::move_card(&store, &a.id, &s2.id, &l1.id, 5).unwrap();
    let v = maps::open_map(&store, &map.id).unwrap();
    let cell1: Vec<(pulsemap_core::CardId, u32)> = v
        .cell(&s1.id, &l1.id)
        .iter()
        .map(|c| (c.card.id.clone(), c.card.position))
        .collect();
    assert_eq!(cell1, [(c.id.clone(), 0), (b.id.clone(), 1)]);
    assert_eq!(v.cell(&s2.id, &l1.id)[0].card.position, 0);
    assert_eq!(v.survey_ids(), ["SV_1"]);

    // Cached value painted with its time; stale after an edit of the config.
    let value = MetricValue {
        value: Some(42.0),
        n: 10,
        unit: Unit::Score,
        formula: "NPS".into(),
        groups: vec![],
        series: vec![],
        comparison: None,
        distribution: vec![],
        problems: vec![],
        ..Default::default()
    };
    let at = Utc.with_ymd_and_hms(2026, 2, 14, 10, 0, 0).unwrap();
    store
        .put_metric_value(&b.id, &metric("NPS").config_hash(), &value, at)
        .unwrap();
    let v = maps::open_map(&store, &map.id).unwrap();
    let bv = v.cards.iter().find(|c| c.card.id == b.id).unwrap();
    assert_eq!(
        (
            bv.cached_value.as_ref().unwrap().value,
            bv.computed_at,
            bv.stale_config
        ),
        (Some(42.0), Some(at), false)
    );
    let mut edited = metric("NPS by plan");
    edited.group_by = GroupBy::Question {
        question_id: "QID4".into(),
    };
    let updated = maps::update_metric_card(&store, &b.id, &edited).unwrap();
    assert!(
        matches!(&updated.content, CardContent::Metric { config } if config.name == "NPS by plan")
    );
    let v = maps::open_map(&store, &map.id).unwrap();
    assert!(
        v.cards
            .iter()
            .find(|c| c.card.id == b.id)
            .unwrap()
            .stale_config
    );
    assert_eq!(
        store
            .get_metric_value::<MetricValue>(&b.id)
            .unwrap()
            .unwrap()
            .config_hash,
        metric("NPS").config_hash()
    );

    let t = maps::update_text_card(&store, &c.id, "  Renamed ").unwrap();
    assert!(matches!(t.content, CardContent::Text { ref text } if text == "Renamed"));
    // Deleting a stage deletes its cards and their cached values.
    maps::delete_stage(&store, &s1.id).unwrap();
    assert_eq!(
        maps::get_card(&store, &b.id).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert!(store
        .get_metric_value::<MetricValue>(&b.id)
        .unwrap()
        .is_none());
    assert_eq!(
        store
            .put_metric_value(&b.id, "h", &value, at)
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    let v = maps::open_map(&store, &map.id).unwrap();
    assert_eq!(v.cards.len(), 1);
    maps::delete_card(&store, &a.id).unwrap();
    assert!(maps::open_map(&store, &map.id).unwrap().cards.is_empty());
}

/// Maps saved before survey ids were typed still open: a card whose stored survey id is not a
/// Qualtrics survey id loads unbound (it asks for its survey again), its neighbours intact.
#[test]
fn a_stored_card_with_a_malformed_survey_id_loads_unbound() {
    let store = Store::open_in_memory().unwrap();
    let map = maps::create_map(&store, "Old map").unwrap();
    let s = maps::add_stage(&store, &map.id, "Sign up").unwrap();
    let l = maps::add_lane(&store, &map.id, "Metrics").unwrap();
    let good = maps::add_metric_card(&store, &map.id, &s.id, &l.id, &metric("NPS")).unwrap();
    let old = maps::add_metric_card(&store, &map.id, &s.id, &l.id, &metric("Old")).unwrap();
    store
        .with_conn(|c| {
            let raw: String = c.query_row(
                "SELECT config_json FROM cards WHERE id = ?1",
                [&old.id],
                |r| r.get(0),
            )?;
            let legacy = raw.replace("\"SV_1\"", "\"legacy/../survey\"");
            assert_ne!(legacy, raw);
            c.execute(
                "UPDATE cards SET config_json = ?2 WHERE id = ?1",
                rusqlite::params![old.id, legacy],
            )?;
            Ok(())
        })
        .unwrap();
    let view = maps::open_map(&store, &map.id).unwrap();
    let card = |id: &pulsemap_core::CardId| view.cards.iter().find(|c| c.card.id == *id).unwrap();
    assert!(card(&old.id).needs_binding);
    assert_eq!(card(&old.id).card.metric_config().unwrap().survey_id, None);
    assert_eq!(card(&old.id).card.metric_config().unwrap().name, "Old");
    assert!(!card(&good.id).needs_binding);
}
