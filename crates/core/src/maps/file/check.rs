//! Checks of untrusted map-file bytes: size, encoding, nesting depth, JSON, format and
//! version, then types and limits (see the parent module's contract). Nothing here touches
//! the store.

use super::*;
use crate::error::{Error, ErrorKind, Result};
use crate::ids::SurveyId;

fn invalid(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::MapFileInvalid, msg)
}

/// Deepest `[`/`{` nesting of `text`, stopping early past `limit` (strings skipped).
fn depth_exceeds(text: &str, limit: usize) -> bool {
    let (mut depth, mut in_str, mut esc) = (0usize, false, false);
    for b in text.bytes() {
        if in_str {
            match (esc, b) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// Reads and checks an untrusted map file (see the module docs); `what` names it in errors.
pub fn parse(bytes: &[u8], what: &str) -> Result<MapFile> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(invalid(format!(
            "{what} is {} bytes, more than the {} MiB a map file may have",
            bytes.len(),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        invalid(format!(
            "{what} is not UTF-8 text (byte {})",
            e.valid_up_to()
        ))
    })?;
    if depth_exceeds(text, MAX_DEPTH) {
        return Err(invalid(format!(
            "{what} is nested more than {MAX_DEPTH} levels deep; it is not a Pulsemap map file"
        )));
    }
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        invalid(format!(
            "{what} is not valid JSON (line {}, column {}): {e}",
            e.line(),
            e.column()
        ))
    })?;
    let format = value.get("format").and_then(|f| f.as_str());
    if format != Some(FORMAT) {
        return Err(invalid(format!(
            "{what} is not a Pulsemap map file (its \"format\" is not \"{FORMAT}\")"
        )));
    }
    let Some(version) = value.get("version").and_then(|v| v.as_u64()) else {
        return Err(invalid(format!(
            "{what} has no format version (\"version\" must be a positive integer)"
        )));
    };
    if version > u64::from(FORMAT_VERSION) {
        return Err(Error::new(
            ErrorKind::MapFileTooNew,
            format!(
                "{what} was made by a newer Pulsemap (map format version {version}; this version \
                 reads up to {FORMAT_VERSION}); update Pulsemap to open it"
            ),
        ));
    }
    if version == 0 {
        return Err(invalid(format!(
            "{what} has format version 0, which never existed"
        )));
    }
    check_survey_ids(&value, what)?;
    // Re-parse from the text (not the Value) so type errors name their line and column.
    let file: MapFile = serde_json::from_str(text).map_err(|e| {
        invalid(format!(
            "{what} has wrong content at line {}, column {}: {e}",
            e.line(),
            e.column()
        ))
    })?;
    check(&file, what)?;
    Ok(file)
}

/// Survey ids end up in Qualtrics request paths: each one the file names must be a Qualtrics
/// survey id. Checked on the raw JSON (before the typed parse, whose error could only give a
/// line and column) so the refusal names the card or survey entry.
fn check_survey_ids(value: &serde_json::Value, what: &str) -> Result<()> {
    let entries = |key: &str| {
        value
            .pointer(key)
            .and_then(|v| v.as_array())
            .map(|a| a.iter().enumerate())
            .into_iter()
            .flatten()
    };
    for (i, card) in entries("/map/cards") {
        match card.pointer("/config/surveyId").and_then(|v| v.as_str()) {
            // "" is an unbound card (no survey chosen yet).
            Some(id) if !id.is_empty() => {
                SurveyId::parse(id).map_err(|e| invalid(format!("{what}: card {}: {e}", i + 1)))?
            }
            _ => continue,
        };
    }
    for (i, survey) in entries("/surveys") {
        if let Some(id) = survey.get("id").and_then(|v| v.as_str()) {
            SurveyId::parse(id)
                .map_err(|e| invalid(format!("{what}: survey {} of \"surveys\": {e}", i + 1)))?;
        }
    }
    Ok(())
}

fn check_name(name: &str, where_: &str, what: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(invalid(format!("{what}: {where_} has an empty name")));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(invalid(format!(
            "{what}: {where_} has a name longer than {MAX_NAME_CHARS} characters"
        )));
    }
    Ok(())
}

fn check(file: &MapFile, what: &str) -> Result<()> {
    let m = &file.map;
    check_name(&m.name, "the map", what)?;
    for (axis, noun) in [(&m.stages, "stage"), (&m.lanes, "lane")] {
        if axis.len() > MAX_STAGES {
            return Err(invalid(format!(
                "{what} has {} {noun}s; a map may have at most {MAX_STAGES}",
                axis.len()
            )));
        }
        for (i, a) in axis.iter().enumerate() {
            check_name(&a.name, &format!("{noun} {}", i + 1), what)?;
        }
    }
    if m.cards.len() > MAX_CARDS {
        return Err(invalid(format!(
            "{what} has {} cards; a map may have at most {MAX_CARDS}",
            m.cards.len()
        )));
    }
    for (i, card) in m.cards.iter().enumerate() {
        let at = format!("card {}", i + 1);
        if card.stage as usize >= m.stages.len() {
            return Err(invalid(format!(
                "{what}: {at} names stage {} but the map has {} stages",
                card.stage,
                m.stages.len()
            )));
        }
        if card.lane as usize >= m.lanes.len() {
            return Err(invalid(format!(
                "{what}: {at} names lane {} but the map has {} lanes",
                card.lane,
                m.lanes.len()
            )));
        }
        match &card.content {
            CardContent::Text { text } => {
                if text.trim().is_empty() || text.chars().count() > MAX_TEXT_CHARS {
                    return Err(invalid(format!(
                        "{what}: {at} has an empty text or one longer than {MAX_TEXT_CHARS} \
                         characters"
                    )));
                }
            }
            CardContent::Metric { config } => {
                check_name(&config.name, &at, what)?;
                if !is_unbound(config) {
                    config
                        .validate()
                        .map_err(|e| invalid(format!("{what}: {at}: {}", e.message())))?;
                }
            }
        }
        if let Some(snap) = &card.snapshot {
            if snap
                .chart_svg
                .as_ref()
                .is_some_and(|s| s.len() > MAX_SVG_BYTES)
            {
                return Err(invalid(format!(
                    "{what}: {at} has a chart larger than 512 KiB"
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example in docs/MAP-FORMAT.md is a valid version-1 file.
    #[test]
    fn the_documented_example_parses() {
        let doc = include_str!("../../../../../docs/MAP-FORMAT.md");
        let start = doc.find("```json\n").unwrap() + "```json\n".len();
        let end = start + doc[start..].find("```").unwrap();
        let file = parse(&doc.as_bytes()[start..end], "the example").unwrap();
        assert_eq!(file.map.cards.len(), 2);
        assert_eq!(file.map.cards[1].export_tags["question"], "Q1");
    }

    #[test]
    fn depth_scan_ignores_brackets_in_strings() {
        assert!(!depth_exceeds(r#"{"a": "[[[[[[[[[[\"[[["}"#, 3));
        assert!(depth_exceeds("[[[[", 3));
    }
}
