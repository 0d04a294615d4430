//! PII redaction of the debug export.
//!
//! Contract: a [`Redactor`] replaces personal data with [`REDACTED`], keeping the structure
//! (keys stay, only values change, so support staff still see which fields were answered),
//! and records every redaction in a [`RedactionReport`] (file, field, reason, count — never the
//! value) that the bundle carries as its redaction manifest.
//! - In responses ([`Redactor::redact_responses`]):
//!   - fields whose name says they hold personal data, in any case and with or without
//!     `_`/`-`: e-mail, phone, names, IP address, latitude/longitude (`lat`, `lng`, ...),
//!     location, city, postal code, street address, external reference
//!     (`ExternalReference`, `externalDataReference`), ...;
//!   - by the survey definition's question types: every field of a question whose type
//!     collects free text or identifying data (`TE` text entry, `Matrix` with a text-entry
//!     selector, `Draw` signatures, `FileUpload`, `Meta` browser info), registered with
//!     [`Redactor::with_question_types`], plus any `*_TEXT` field ("other, please specify");
//! - Everywhere ([`Redactor::redact_text`] for the other files, and in responses too):
//!   e-mail addresses, IPv4 addresses and phone numbers found inside any string (see
//!   [`patterns`]), and literal values registered with [`Redactor::with_known_values`] (the
//!   connected Qualtrics user name).

pub mod patterns;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::Value;

/// Replacement written over every redacted value.
pub const REDACTED: &str = "[redacted]";

/// Field names (normalised: lowercase, no `_`/`-`/space) that hold personal data, after an
/// optional `recipient`/`respondent`/`contact`/`location`/`geo` prefix is removed.
const PII_FIELDS: &[(&str, &str)] = &[
    ("email", "e-mail field"),
    ("emailaddress", "e-mail field"),
    ("mail", "e-mail field"),
    ("phone", "phone field"),
    ("phonenumber", "phone field"),
    ("mobile", "phone field"),
    ("firstname", "name field"),
    ("lastname", "name field"),
    ("name", "name field"),
    ("fullname", "name field"),
    ("ip", "IP address field"),
    ("ipaddr", "IP address field"),
    ("ipaddress", "IP address field"),
    ("lat", "location field"),
    ("lng", "location field"),
    ("lon", "location field"),
    ("latitude", "location field"),
    ("longitude", "location field"),
    ("location", "location field"),
    ("city", "location field"),
    ("region", "location field"),
    ("postalcode", "location field"),
    ("postcode", "location field"),
    ("zip", "location field"),
    ("zipcode", "location field"),
    ("address", "location field"),
    ("street", "location field"),
    ("streetaddress", "location field"),
    ("externalreference", "external reference field"),
    ("externaldatareference", "external reference field"),
    ("externalref", "external reference field"),
    ("externalid", "external reference field"),
];

/// Prefixes stripped before matching [`PII_FIELDS`] (`RecipientEmail`, `LocationCity`...).
const PREFIXES: &[&str] = &[
    "recipient",
    "respondent",
    "contact",
    "location",
    "geo",
    "panel",
];

/// Substrings that mark personal data in any field name.
const PII_PARTS: &[(&str, &str)] = &[
    ("email", "e-mail field"),
    ("phone", "phone field"),
    ("ipaddr", "IP address field"),
    ("latitude", "location field"),
    ("longitude", "location field"),
    ("postalcode", "location field"),
    ("externalref", "external reference field"),
    ("externaldataref", "external reference field"),
];

/// Question types (definition `QuestionType`, or `Type/Selector`) whose answers identify.
const PII_QUESTION_TYPES: &[&str] = &["TE", "Matrix/TE", "Draw", "FileUpload", "Meta"];

/// One line of the redaction manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Redaction {
    /// Bundle file, e.g. `responses.json`.
    pub file: String,
    /// Field path with array positions elided, e.g. `completed[].values.ipAddress`.
    pub field: String,
    /// Why, e.g. `IP address field`, `question type TE (QID7)`, `e-mail address in the text`.
    pub reason: String,
    /// How many values.
    pub count: u64,
}

/// Every redaction made while building a bundle (no values, only where and why).
#[derive(Debug, Clone, Default)]
pub struct RedactionReport {
    seen: BTreeMap<(String, String, String), u64>,
}

impl RedactionReport {
    fn add(&mut self, file: &str, field: &str, reason: &str) {
        *self
            .seen
            .entry((file.to_string(), field.to_string(), reason.to_string()))
            .or_default() += 1;
    }

    /// Total number of redacted values.
    pub fn total(&self) -> u64 {
        self.seen.values().sum()
    }

    /// The manifest lines, by file then field.
    pub fn entries(&self) -> Vec<Redaction> {
        self.seen
            .iter()
            .map(|((file, field, reason), count)| Redaction {
                file: file.clone(),
                field: field.clone(),
                reason: reason.clone(),
                count: *count,
            })
            .collect()
    }
}

/// Redacts PII; see the module docs for the rules.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// Question id (or export tag) → its identifying type.
    questions: HashMap<String, String>,
    known: Vec<String>,
}

impl Redactor {
    /// A redactor with the built-in field and pattern rules only.
    pub fn new() -> Self {
        Self::default()
    }

    /// Also redacts every field of these text-entry (`TE`) questions (`QIDn` and `QIDn_*`).
    pub fn with_text_entry_questions<I, S>(self, qids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.with_question_types(qids.into_iter().map(|q| (q.into(), "TE".to_string(), None)))
    }

    /// Registers the definition's questions as `(id, QuestionType, Selector)`; those whose type
    /// identifies the respondent (see the module docs) get all their fields redacted. Pass the
    /// QID and, where responses use it, the export tag.
    pub fn with_question_types<I>(mut self, questions: I) -> Self
    where
        I: IntoIterator<Item = (String, String, Option<String>)>,
    {
        for (id, kind, selector) in questions {
            let typed = match &selector {
                Some(sel) => format!("{kind}/{sel}"),
                None => kind.clone(),
            };
            if PII_QUESTION_TYPES.contains(&kind.as_str())
                || PII_QUESTION_TYPES.contains(&typed.as_str())
            {
                self.questions.insert(id, typed);
            }
        }
        self
    }

    /// Also scrubs these literal values wherever they appear (e.g. the connected user name).
    pub fn with_known_values<I, S>(mut self, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.known.extend(
            values
                .into_iter()
                .map(Into::into)
                .filter(|v: &String| v.chars().count() >= 3),
        );
        self
    }

    /// Why a response field of this name is redacted, or `None` when it is not.
    pub fn field_reason(&self, key: &str) -> Option<String> {
        let normalised: String = key
            .chars()
            .filter(|c| !matches!(c, '_' | '-' | ' ' | '.'))
            .flat_map(char::to_lowercase)
            .collect();
        let mut bases = vec![normalised.as_str()];
        bases.extend(PREFIXES.iter().filter_map(|p| normalised.strip_prefix(p)));
        for base in bases {
            if let Some((_, why)) = PII_FIELDS.iter().find(|(f, _)| *f == base) {
                return Some(why.to_string());
            }
        }
        if let Some((_, why)) = PII_PARTS.iter().find(|(p, _)| normalised.contains(p)) {
            return Some(why.to_string());
        }
        let by_type = self.questions.iter().find_map(|(qid, kind)| {
            let hit = key == qid
                || key
                    .strip_prefix(qid.as_str())
                    .is_some_and(|rest| rest.starts_with('_'));
            hit.then(|| format!("question type {kind} ({qid})"))
        });
        let free_text = key.ends_with("_TEXT") || key.ends_with("_text");
        by_type.or_else(|| free_text.then(|| "free-text answer".to_string()))
    }

    /// Redacts a responses value in place (field, question-type and text rules).
    pub fn redact(&self, value: &mut Value) {
        self.redact_responses(value, "responses.json", &mut RedactionReport::default());
    }

    /// Redacts the responses of `file` in place, recording what was redacted.
    pub fn redact_responses(&self, value: &mut Value, file: &str, report: &mut RedactionReport) {
        self.walk(value, file, "", true, report);
    }

    /// Redacts only personal data inside strings (patterns and known values): for files
    /// whose field names are Pulsemap's own (logs, card configs, the definition).
    pub fn redact_text(&self, value: &mut Value, file: &str, report: &mut RedactionReport) {
        self.walk(value, file, "", false, report);
    }

    fn walk(
        &self,
        value: &mut Value,
        file: &str,
        path: &str,
        fields: bool,
        report: &mut RedactionReport,
    ) {
        match value {
            Value::Object(map) => {
                for (key, field) in map.iter_mut() {
                    let here = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    let reason = fields.then(|| self.field_reason(key)).flatten();
                    match reason {
                        Some(why) if !field.is_null() => {
                            *field = Value::String(REDACTED.to_string());
                            report.add(file, &here, &why);
                        }
                        _ => self.walk(field, file, &here, fields, report),
                    }
                }
            }
            Value::Array(items) => {
                let here = format!("{path}[]");
                for item in items {
                    self.walk(item, file, &here, fields, report);
                }
            }
            Value::String(s) => {
                let mut text = s.clone();
                let mut reasons: Vec<&str> = Vec::new();
                for known in &self.known {
                    if text.contains(known.as_str()) {
                        text = text.replace(known.as_str(), REDACTED);
                        reasons.push("connected Qualtrics user name");
                    }
                }
                if let Some((scrubbed, found)) = patterns::scrub(&text) {
                    text = scrubbed;
                    reasons.extend(found.iter().map(|f| f.reason()));
                }
                reasons.dedup();
                for why in &reasons {
                    report.add(file, path, why);
                }
                if !reasons.is_empty() {
                    *s = text;
                }
            }
            _ => {}
        }
    }
}

/// A conservative e-mail shape check: `local@domain.tld`, no whitespace.
pub fn looks_like_email(s: &str) -> bool {
    let s = s.trim();
    !s.chars().any(char::is_whitespace)
        && patterns::scrub(s)
            .is_some_and(|(t, found)| t == REDACTED && found == [patterns::Found::Email])
}

#[cfg(test)]
mod tests;
