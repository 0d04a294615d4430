//! Identity, survey list and filter models (`whoami`, `GET /surveys`, `GET /surveys/{id}/filters`).
//!
//! Contract: unknown fields are ignored; everything Qualtrics may omit is an `Option`;
//! dates that are not RFC 3339 become `None` instead of failing the whole list.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};

use crate::serde_ext::{opt_bool, opt_string};

/// `GET /whoami`: who the credentials belong to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WhoAmI {
    /// Brand (organization) id, e.g. `mybrand`.
    #[serde(default, deserialize_with = "opt_string")]
    pub brand_id: Option<String>,
    /// `UR_...`.
    pub user_id: String,
    /// e.g. `jane@x.com#mybrand`.
    #[serde(default, deserialize_with = "opt_string")]
    pub user_name: Option<String>,
    /// e.g. `UT_BRANDADMIN`.
    #[serde(default, deserialize_with = "opt_string")]
    pub account_type: Option<String>,
    /// Given name.
    #[serde(default, deserialize_with = "opt_string")]
    pub first_name: Option<String>,
    /// Family name.
    #[serde(default, deserialize_with = "opt_string")]
    pub last_name: Option<String>,
    /// E-mail address.
    #[serde(default, deserialize_with = "opt_string")]
    pub email: Option<String>,
    /// Datacenter id, e.g. `iad1`.
    #[serde(default, deserialize_with = "opt_string")]
    pub datacenter: Option<String>,
}

/// One element of `GET /surveys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SurveySummary {
    /// `SV_...`.
    pub id: String,
    /// Survey name as shown in Qualtrics.
    #[serde(default)]
    pub name: String,
    /// `UR_...` of the owner.
    #[serde(default, deserialize_with = "opt_string")]
    pub owner_id: Option<String>,
    /// Last modification.
    #[serde(default, deserialize_with = "lenient_date")]
    pub last_modified: Option<DateTime<Utc>>,
    /// Creation (absent in older answers).
    #[serde(default, deserialize_with = "lenient_date")]
    pub creation_date: Option<DateTime<Utc>>,
    /// Whether the survey is active (collecting responses).
    #[serde(default, deserialize_with = "opt_bool")]
    pub is_active: Option<bool>,
}

/// One saved response filter (`GET /surveys/{id}/filters`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Filter {
    /// Filter id, usable as [`crate::ExportRequest::filter_id`].
    pub filter_id: String,
    /// Name given in the Qualtrics UI.
    #[serde(default)]
    pub filter_name: String,
    /// Creation time.
    #[serde(default, deserialize_with = "lenient_date")]
    pub creation_date: Option<DateTime<Utc>>,
}

/// RFC 3339 (with or without millis) or `None`.
pub(crate) fn lenient_date<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    Ok(opt_string(d)?.and_then(|s| parse_date(&s)))
}

/// Parses an RFC 3339 timestamp into UTC.
pub(crate) fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|d| d.with_timezone(&Utc))
}
