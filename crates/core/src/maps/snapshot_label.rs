//! A short human label for the change between two snapshots of a map ("delete stage
//! 'Onboarding'"), shown by the app's Undo / Redo buttons ("Undo delete stage 'Onboarding'").
//!
//! Contract: [`describe`] compares the map before and after one edit and names the first
//! difference it finds, in this order: map name, stages, lanes, cards. Each edit of the facade
//! changes one thing, so the first difference is the edit. Names are clipped to 40 characters.
//! Identical snapshots give "edit map".

use super::snapshot::{MapSnapshot, SnapCard};

const CLIP: usize = 40;

fn clip(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() <= CLIP {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(CLIP - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// The label of the edit that turned `before` into `after`.
pub(crate) fn describe(before: &MapSnapshot, after: &MapSnapshot) -> String {
    if before.name != after.name {
        return format!("rename map to '{}'", clip(&after.name));
    }
    if let Some(l) = axis("stage", &before.stages, &after.stages) {
        return l;
    }
    if let Some(l) = axis("lane", &before.lanes, &after.lanes) {
        return l;
    }
    cards(before, after).unwrap_or_else(|| "edit map".to_owned())
}

fn axis(noun: &str, before: &[(String, String)], after: &[(String, String)]) -> Option<String> {
    let find = |list: &[(String, String)], id: &str| list.iter().position(|(i, _)| i == id);
    if let Some((_, name)) = before.iter().find(|(id, _)| find(after, id).is_none()) {
        return Some(format!("delete {noun} '{}'", clip(name)));
    }
    if let Some((_, name)) = after.iter().find(|(id, _)| find(before, id).is_none()) {
        return Some(format!("add {noun} '{}'", clip(name)));
    }
    for (i, (id, name)) in before.iter().enumerate() {
        let j = find(after, id)?;
        if after[j].1 != *name {
            return Some(format!("rename {noun} '{}'", clip(name)));
        }
        if i != j {
            // A move shifts its neighbours by one; name the one that moved furthest. Two
            // neighbours trading places cannot tell which one was moved: name both.
            let shifts: Vec<(usize, &String)> = before
                .iter()
                .enumerate()
                .filter_map(|(a, (id, n))| Some((find(after, id)?.abs_diff(a), n)))
                .filter(|(d, _)| *d > 0)
                .collect();
            if let [(1, a), (1, b)] = shifts.as_slice() {
                return Some(format!("swap {noun}s '{}' and '{}'", clip(a), clip(b)));
            }
            let moved = shifts
                .iter()
                .min_by_key(|(d, _)| std::cmp::Reverse(*d))
                .map_or(name, |(_, n)| n);
            return Some(format!("move {noun} '{}'", clip(moved)));
        }
    }
    None
}

fn card_name(c: &SnapCard) -> String {
    if let Some(text) = &c.text {
        return format!("text card '{}'", clip(text));
    }
    let name = c
        .config_json
        .as_deref()
        .and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok())
        .and_then(|v| v.get("name")?.as_str().map(str::to_owned))
        .unwrap_or_default();
    format!("card '{}'", clip(&name))
}

fn cards(before: &MapSnapshot, after: &MapSnapshot) -> Option<String> {
    let find = |list: &[SnapCard], id: &str| list.iter().find(|c| c.id == id).cloned();
    if let Some(c) = before
        .cards
        .iter()
        .find(|c| find(&after.cards, &c.id).is_none())
    {
        return Some(format!("delete {}", card_name(c)));
    }
    if let Some(c) = after
        .cards
        .iter()
        .find(|c| find(&before.cards, &c.id).is_none())
    {
        return Some(format!("add {}", card_name(c)));
    }
    for b in &before.cards {
        let a = find(&after.cards, &b.id)?;
        if a.text != b.text || a.config_json != b.config_json {
            return Some(format!("edit {}", card_name(b)));
        }
    }
    for b in &before.cards {
        let a = find(&after.cards, &b.id)?;
        if (&a.stage_id, &a.lane_id) != (&b.stage_id, &b.lane_id) {
            return Some(format!("move {}", card_name(b)));
        }
    }
    // Within a cell the neighbours shift too: name the card that moved furthest.
    before
        .cards
        .iter()
        .filter_map(|b| Some((find(&after.cards, &b.id)?.position.abs_diff(b.position), b)))
        .filter(|(d, _)| *d > 0)
        .min_by_key(|(d, _)| std::cmp::Reverse(*d))
        .map(|(_, b)| format!("move {}", card_name(b)))
}
