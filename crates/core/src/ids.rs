//! Typed ids: [`SurveyId`], [`MapId`], [`StageId`], [`LaneId`] and [`CardId`].
//!
//! Contract:
//! * Each id is its own type, so a card id cannot be passed where a map id is wanted (a
//!   compile error in the facade, the CLI and the Tauri adapters).
//! * On the wire and in the store an id is its plain text: serde is transparent and the
//!   generated TypeScript type is `string` (the UI keeps plain strings).
//! * Every id read from outside (CLI arguments, IPC, map files, the store) is parsed, and
//!   parsing refuses bad input with an [`IdError`] naming the id and what it must look like
//!   ([`ErrorKind::InvalidInput`] when it becomes a core [`Error`]).
//! * A [`SurveyId`] is Qualtrics' (`SV_` followed by ASCII letters and digits): it goes into
//!   API URL paths (`/surveys/{id}/export-responses`), so `..`, `/`, `?` and the like never
//!   reach a request. Map, stage, lane and card ids are the UUIDs core creates; they are
//!   parsed leniently (ASCII letters, digits, `-` and `_`, at most 64) so every id written so
//!   far still loads.
//!
//! ```compile_fail
//! // A card id where a map id is wanted does not compile.
//! fn paint(app: &pulsemap_core::app::Pulsemap, card: &pulsemap_core::CardId) {
//!     let _ = app.open_map(card);
//! }
//! ```
//! ```
//! fn paint(app: &pulsemap_core::app::Pulsemap, map: &pulsemap_core::MapId) {
//!     let _ = app.open_map(map);
//! }
//! ```
//!
//! The ids deref to `str` so the store's SQL and the Qualtrics client read them as text.
//! `SurveyId` lives here rather than in the `qualtrics` client: the client is transport (it
//! percent-encodes each path segment, though `url` drops a bare `..` segment), the rule is an
//! input check at core's boundary, and the TypeScript export needs ts-rs, which the client
//! does not depend on.

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{Error, ErrorKind};

/// Longest id accepted (a UUID is 36 characters, a Qualtrics survey id 18).
pub const MAX_ID_CHARS: usize = 64;

/// An id that failed to parse: which kind of id, the text given, and the rule it broke.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{noun} id '{given}' is not {rule}")]
pub struct IdError {
    noun: &'static str,
    given: String,
    rule: &'static str,
}

impl IdError {
    fn new(noun: &'static str, given: &str, rule: &'static str) -> Self {
        // Quote at most a screenful, with control characters escaped, so a hostile value
        // cannot flood or garble a terminal or a log line.
        let mut shown: String = given
            .chars()
            .take(80)
            .flat_map(char::escape_default)
            .collect();
        if given.chars().count() > 80 {
            shown.push('…');
        }
        Self {
            noun,
            given: shown,
            rule,
        }
    }
}

impl From<IdError> for Error {
    fn from(e: IdError) -> Self {
        Error::new(ErrorKind::InvalidInput, e.to_string())
    }
}

const SURVEY_RULE: &str = "a Qualtrics survey id (SV_ followed by letters and digits)";
const UUID_RULE: &str = "a Pulsemap id (letters, digits, '-' and '_', at most 64)";

fn check_survey(s: &str) -> Result<(), IdError> {
    let ok = s.len() <= MAX_ID_CHARS
        && s.strip_prefix("SV_").is_some_and(|rest| {
            !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric())
        });
    if ok {
        Ok(())
    } else {
        Err(IdError::new("survey", s, SURVEY_RULE))
    }
}

fn check_created(noun: &'static str, s: &str) -> Result<(), IdError> {
    let ok = !s.is_empty()
        && s.len() <= MAX_ID_CHARS
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(IdError::new(noun, s, UUID_RULE))
    }
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $check:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Parses an id given from outside (see the module docs for the rule).
            pub fn parse(s: &str) -> Result<Self, IdError> {
                ($check)(s)?;
                Ok(Self(s.to_owned()))
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                ($check)(&s)?;
                Ok(Self(s))
            }
        }

        impl TryFrom<&str> for $name {
            type Error = IdError;
            fn try_from(s: &str) -> Result<Self, IdError> {
                Self::parse(s)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::try_from(s).map_err(serde::de::Error::custom)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        /// Reading an id back from the store checks it like any outside input: a bad row is
        /// an error, never a silently different id.
        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let s = String::column_result(value)?;
                Self::try_from(s).map_err(|e| FromSqlError::Other(Box::new(e)))
            }
        }

        impl ts_rs::TS for $name {
            type WithoutGenerics = Self;
            type OptionInnerType = Self;
            fn name(_: &ts_rs::Config) -> String {
                "string".to_owned()
            }
            fn inline(cfg: &ts_rs::Config) -> String {
                <Self as ts_rs::TS>::name(cfg)
            }
        }
    };
}

id_type!(
    /// A Qualtrics survey id (`SV_…`), checked before it can reach a URL path.
    SurveyId,
    check_survey
);
id_type!(
    /// A journey map.
    MapId,
    |s| check_created("map", s)
);
id_type!(
    /// A stage (column) of a map.
    StageId,
    |s| check_created("stage", s)
);
id_type!(
    /// A lane (row) of a map.
    LaneId,
    |s| check_created("lane", s)
);
id_type!(
    /// A card in a cell of a map.
    CardId,
    |s| check_created("card", s)
);

macro_rules! fresh {
    ($($name:ident),*) => {$(
        impl $name {
            /// A new random id (a v4 UUID), for rows core creates.
            pub fn fresh() -> Self {
                Self(uuid::Uuid::new_v4().to_string())
            }
        }
    )*};
}
fresh!(MapId, StageId, LaneId, CardId);

/// Serde for a metric card's survey: `""` is an unbound card (no survey chosen yet, e.g. from
/// a template), anything else must be a valid [`SurveyId`]. Use with
/// `#[serde(with = "crate::ids::unbound_survey")]` and `#[ts(type = "string")]`.
pub mod unbound_survey {
    use super::SurveyId;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(id: &Option<SurveyId>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(id.as_ref().map_or("", |id| id.as_str()))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SurveyId>, D::Error> {
        let s = String::deserialize(d)?;
        if s.is_empty() {
            return Ok(None);
        }
        SurveyId::try_from(s)
            .map(Some)
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survey_ids_must_be_qualtrics_ids() {
        assert_eq!(
            SurveyId::parse("SV_u8jzPde0IgxLd6G").unwrap().as_str(),
            "SV_u8jzPde0IgxLd6G"
        );
        for bad in [
            "", "SV_", "sv_abc", "SV_a/b", "../x", "SV_..", "SV_a?b", "SV_a b", "SV_ä",
        ] {
            let e = SurveyId::parse(bad).unwrap_err();
            assert!(
                e.to_string()
                    .ends_with("is not a Qualtrics survey id (SV_ followed by letters and digits)"),
                "{bad}: {e}"
            );
        }
        let e = SurveyId::parse("x/../y").unwrap_err().to_string();
        assert_eq!(
            e,
            "survey id 'x/../y' is not a Qualtrics survey id (SV_ followed by letters and digits)"
        );
        assert!(SurveyId::parse(&format!("SV_{}", "a".repeat(62))).is_err());
    }

    #[test]
    fn created_ids_accept_uuids_and_refuse_paths() {
        let id = CardId::fresh();
        assert_eq!(CardId::parse(id.as_str()).unwrap(), id);
        assert!(MapId::parse("builtin-map_1").is_ok());
        let e = MapId::parse("a/b\n").unwrap_err().to_string();
        assert_eq!(
            e,
            "map id 'a/b\\n' is not a Pulsemap id (letters, digits, '-' and '_', at most 64)"
        );
        assert!(StageId::parse("").is_err());
        assert!(LaneId::parse(&"a".repeat(65)).is_err());
    }

    #[test]
    fn serde_is_a_plain_string_and_checks_on_the_way_in() {
        let id = SurveyId::parse("SV_abc123").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"SV_abc123\"");
        let back: SurveyId = serde_json::from_str("\"SV_abc123\"").unwrap();
        assert_eq!(back, id);
        let err = serde_json::from_str::<SurveyId>("\"SV_../x\"").unwrap_err();
        assert!(
            err.to_string().contains("survey id 'SV_../x' is not"),
            "{err}"
        );
        let card: CardId =
            serde_json::from_str("\"0b5a8f7e-1c1d-4c53-9a0e-0d2f7b7f1f11\"").unwrap();
        assert_eq!(
            serde_json::to_value(&card).unwrap(),
            serde_json::json!(card.as_str())
        );
    }

    #[test]
    fn typescript_sees_plain_strings() {
        use ts_rs::{Config, TS};
        let cfg = Config::default();
        assert_eq!(SurveyId::inline(&cfg), "string");
        assert_eq!(CardId::name(&cfg), "string");
        assert_eq!(<Option<MapId>>::inline(&cfg), "string | null");
        assert_eq!(<Vec<LaneId>>::inline(&cfg), "Array<string>");
    }

    #[test]
    fn the_store_round_trips_and_refuses_bad_rows() {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        let id = StageId::fresh();
        let back: StageId = c.query_row("SELECT ?1", [&id], |r| r.get(0)).unwrap();
        assert_eq!(back, id);
        let bad = c.query_row("SELECT 'a/b'", [], |r| r.get::<_, StageId>(0));
        assert!(bad
            .unwrap_err()
            .to_string()
            .contains("stage id 'a/b' is not"));
    }
}
