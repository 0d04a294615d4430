//! Undo and redo of map edits on the facade (issue 14): every kind of edit, a deleted stage
//! or lane returning with its cards (same ids, same cached values), at least 50 steps.

use std::sync::Arc;

use pulsemap_core::app::{Pulsemap, UNDO_LIMIT};
use pulsemap_core::maps::MapView;
use pulsemap_core::ErrorKind;

use crate::app_support::{open_app, MemorySecrets};

fn setup() -> (tempfile::TempDir, Pulsemap, MapView) {
    let dir = tempfile::tempdir().unwrap();
    let app = open_app(dir.path(), Arc::new(MemorySecrets::default()));
    let id = app.create_map("Journey").unwrap().map.id;
    app.add_stage(&id, "Discover").unwrap();
    app.add_stage(&id, "Buy").unwrap();
    app.add_lane(&id, "Actions").unwrap();
    let v = app.add_lane(&id, "Feelings").unwrap();
    for (s, l, t) in [
        (0, 0, "Searches"),
        (1, 0, "Pays"),
        (1, 1, "Relieved"),
        (1, 1, "Happy"),
    ] {
        app.add_text_card(&id, &v.stages[s].id, &v.lanes[l].id, t)
            .unwrap();
    }
    let v = app.open_map(&id).unwrap();
    (dir, app, v)
}

/// Everything but timestamps.
fn same(a: &MapView, b: &MapView) {
    let strip = |v: &MapView| {
        (
            v.map.name.clone(),
            v.stages.clone(),
            v.lanes.clone(),
            v.cards
                .iter()
                .map(|c| {
                    (
                        c.card.id.clone(),
                        c.card.stage_id.clone(),
                        c.card.lane_id.clone(),
                        c.card.position,
                        c.card.content.clone(),
                        c.cached_value.clone(),
                    )
                })
                .collect::<Vec<_>>(),
        )
    };
    assert_eq!(strip(a), strip(b));
}

#[test]
fn every_edit_deletes_included_returns_the_repainted_map() {
    let (_d, app, v) = setup();
    let id = v.map.id.clone();
    let (s0, s1, l0, l1) = (
        &v.stages[0].id,
        &v.stages[1].id,
        &v.lanes[0].id,
        &v.lanes[1].id,
    );
    let card = v.cards[0].card.id.clone();
    let edits: Vec<Box<dyn Fn() -> MapView + '_>> = vec![
        Box::new(|| app.rename_map(&id, "Renamed").unwrap()),
        Box::new(|| app.add_text_card(&id, s0, l1, "Compares").unwrap()),
        Box::new(|| app.update_text_card(&card, "Googles").unwrap()),
        Box::new(|| app.move_card(&card, s1, l1, 0).unwrap()),
        Box::new(|| app.delete_card(&card).unwrap()),
        Box::new(|| app.delete_lane(l0).unwrap()),
        Box::new(|| app.delete_stage(s0).unwrap()),
    ];
    let mut cards = v.cards.len();
    for (i, edit) in edits.iter().enumerate() {
        let returned = edit();
        let painted = app.open_map(&id).unwrap();
        same(&returned, &painted);
        assert_eq!(returned.map.id, id, "edit {i}");
        assert_ne!(returned.cards.len(), 0, "edit {i}");
        cards = returned.cards.len();
    }
    // The deletes took the card, the lane's and the stage's cards with them: the two cards
    // of (s1, l1) are left.
    assert_eq!(cards, 2);
    assert_eq!(app.open_map(&id).unwrap().stages.len(), 1);
}

#[test]
fn undo_restores_a_deleted_stage_with_its_cards_and_redo_deletes_it_again() {
    let (_d, app, before) = setup();
    let id = before.map.id.clone();
    app.delete_stage(&before.stages[1].id).unwrap();
    let after = app.open_map(&id).unwrap();
    assert_eq!((after.stages.len(), after.cards.len()), (1, 1));
    assert_eq!(
        app.map_undo_state(&id).unwrap().undo_label.as_deref(),
        Some("delete stage 'Buy'")
    );
    let undone = app.undo_map(&id).unwrap();
    same(&undone, &before);
    let redone = app.redo_map(&id).unwrap();
    same(&redone, &after);
    let undone = app.undo_map(&id).unwrap();
    same(&undone, &before);
    // And a lane.
    app.delete_lane(&before.lanes[1].id).unwrap();
    assert_eq!(app.open_map(&id).unwrap().cards.len(), 2);
    same(&app.undo_map(&id).unwrap(), &before);
}

#[test]
fn every_edit_kind_undoes_in_reverse_order_and_a_new_edit_clears_redo() {
    let (_d, app, v0) = setup();
    let id = v0.map.id.clone();
    let mut states = vec![app.open_map(&id).unwrap()];
    let base = app.map_undo_state(&id).unwrap().undo_steps;
    assert_eq!(base, 8, "the setup's own edits are undoable too");
    let card = v0.cards[0].card.id.clone();
    let edits: Vec<Box<dyn Fn()>> = vec![
        Box::new(|| drop(app.rename_map(&id, "Renamed").unwrap())),
        Box::new(|| drop(app.rename_stage(&v0.stages[0].id, "Find").unwrap())),
        Box::new(|| drop(app.move_stage(&v0.stages[0].id, 1).unwrap())),
        Box::new(|| drop(app.rename_lane(&v0.lanes[0].id, "Doing").unwrap())),
        Box::new(|| drop(app.move_lane(&v0.lanes[1].id, 0).unwrap())),
        Box::new(|| drop(app.update_text_card(&card, "Googles").unwrap())),
        Box::new(|| {
            drop(
                app.move_card(&card, &v0.stages[1].id, &v0.lanes[1].id, 0)
                    .unwrap(),
            )
        }),
        Box::new(|| drop(app.delete_card(&v0.cards[1].card.id).unwrap())),
        Box::new(|| drop(app.add_stage(&id, "Use").unwrap())),
    ];
    let labels = [
        "rename map to 'Renamed'",
        "rename stage 'Discover'",
        "swap stages 'Find' and 'Buy'",
        "rename lane 'Actions'",
        "swap lanes 'Doing' and 'Feelings'",
        "edit text card 'Searches'",
        "move text card 'Googles'",
        "delete text card 'Pays'",
        "add stage 'Use'",
    ];
    for (e, label) in edits.iter().zip(labels) {
        e();
        states.push(app.open_map(&id).unwrap());
        let s = app.map_undo_state(&id).unwrap();
        assert_eq!(s.undo_label.as_deref(), Some(label));
        assert_eq!(s.redo_label, None);
    }
    assert_eq!(
        app.map_undo_state(&id).unwrap().undo_steps,
        base + edits.len() as u32
    );
    for (want, label) in states.iter().rev().skip(1).zip(labels.iter().rev()) {
        same(&app.undo_map(&id).unwrap(), want);
        // The undone step is now the next redo, under the same name.
        let s = app.map_undo_state(&id).unwrap();
        assert_eq!(s.redo_label.as_deref(), Some(*label));
    }
    assert_eq!(
        app.map_undo_state(&id).unwrap().redo_steps,
        edits.len() as u32
    );
    same(&app.redo_map(&id).unwrap(), &states[1]);
    // A failed edit records nothing; a new edit drops the redo steps.
    assert!(app.rename_stage(&v0.stages[0].id, "  ").is_err());
    app.add_lane(&id, "Channels").unwrap();
    let s = app.map_undo_state(&id).unwrap();
    assert_eq!((s.undo_steps, s.redo_steps), (base + 2, 0));
    let empty = app.create_map("Empty").unwrap().map.id;
    assert_eq!(
        app.undo_map(&empty).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        app.redo_map(&empty).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
}

#[test]
fn at_least_fifty_steps_are_kept_per_map() {
    let (_d, app, v0) = setup();
    let id = v0.map.id.clone();
    let other = app.create_map("Other").unwrap().map.id;
    app.add_stage(&other, "Alone").unwrap();
    let steps = UNDO_LIMIT + 5;
    for i in 0..steps {
        app.rename_stage(&v0.stages[0].id, &format!("Name {i}"))
            .unwrap();
    }
    const { assert!(UNDO_LIMIT >= 50) };
    assert_eq!(
        app.map_undo_state(&id).unwrap().undo_steps,
        UNDO_LIMIT as u32
    );
    assert_eq!(
        app.map_undo_state(&other).unwrap().undo_steps,
        1,
        "histories are per map"
    );
    for _ in 0..UNDO_LIMIT {
        app.undo_map(&id).unwrap();
    }
    let name = &app.open_map(&id).unwrap().stages[0].name;
    assert_eq!(name, &format!("Name {}", steps - UNDO_LIMIT - 1));
}
