//! PII redaction of raw survey responses (used by the debug export).
//!
//! Contract: [`Redactor::redact`] walks a response JSON value (the `values` / `labels` objects
//! of a Qualtrics export, or a whole response) and replaces with [`REDACTED`]:
//! - fields whose name says they hold personal data: e-mail, phone, first/last name,
//!   IP address, location latitude/longitude (`RecipientEmail`, `ipAddress`,
//!   `locationLatitude`, `firstName`, ... case-insensitive, with or without `_`/`-`);
//! - free-text answers: any field ending in `_TEXT`, and every field of a text-entry question
//!   (`QIDn`, `QIDn_*`) whose id is registered with [`Redactor::with_text_entry_questions`];
//! - any string value anywhere that looks like an e-mail address (embedded data).
//!
//! Structure is kept (keys stay, only values change), so support staff still see which
//! fields were answered.

use std::collections::HashSet;

use serde_json::Value;

/// Replacement written over every redacted value.
pub const REDACTED: &str = "[redacted]";

/// Field names (normalised: lowercase, no `_`/`-`/space) that always hold personal data.
const PII_FIELDS: &[&str] = &[
    "email",
    "recipientemail",
    "phone",
    "phonenumber",
    "recipientphone",
    "firstname",
    "recipientfirstname",
    "lastname",
    "recipientlastname",
    "name",
    "fullname",
    "ipaddress",
    "ip",
    "locationlatitude",
    "locationlongitude",
    "latitude",
    "longitude",
];

/// Redacts PII from raw responses; see the module docs for the rules.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    text_entry_qids: HashSet<String>,
}

impl Redactor {
    /// A redactor with the built-in field rules only.
    pub fn new() -> Self {
        Self::default()
    }

    /// Also redacts every field of these text-entry questions (`QIDn` and `QIDn_*`).
    pub fn with_text_entry_questions<I, S>(mut self, qids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.text_entry_qids
            .extend(qids.into_iter().map(Into::into));
        self
    }

    /// True when a field of this name must be redacted.
    pub fn is_sensitive_field(&self, key: &str) -> bool {
        let normalised: String = key
            .chars()
            .filter(|c| !matches!(c, '_' | '-' | ' '))
            .flat_map(char::to_lowercase)
            .collect();
        if PII_FIELDS.contains(&normalised.as_str())
            || normalised.contains("email")
            || normalised.contains("phone")
        {
            return true;
        }
        if key.ends_with("_TEXT") || key.ends_with("_text") {
            return true;
        }
        self.text_entry_qids.iter().any(|qid| {
            key == qid
                || key
                    .strip_prefix(qid.as_str())
                    .is_some_and(|rest| rest.starts_with('_'))
        })
    }

    /// Redacts `value` in place.
    pub fn redact(&self, value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (key, field) in map.iter_mut() {
                    if self.is_sensitive_field(key) && !field.is_null() {
                        *field = Value::String(REDACTED.to_string());
                    } else {
                        self.redact(field);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|item| self.redact(item)),
            Value::String(s) if looks_like_email(s) => *s = REDACTED.to_string(),
            _ => {}
        }
    }
}

/// A conservative e-mail shape check: `local@domain.tld`, no whitespace.
pub fn looks_like_email(s: &str) -> bool {
    let s = s.trim();
    if s.chars().any(char::is_whitespace) {
        return false;
    }
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.split('.').count() >= 2
                && domain.split('.').all(|part| !part.is_empty())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn redacts_pii_fields_text_answers_and_emails() {
        let mut v = json!({
            "responseId": "R_1",
            "values": {
                "ipAddress": "131.212.251.236", "locationLatitude": "44.97",
                "locationLongitude": "-93.2", "RecipientEmail": "ann@example.com",
                "RecipientFirstName": "Ann", "RecipientLastName": "Lee", "phone": "+1 555",
                "QID1": 9, "QID2_TEXT": "my secret story", "QID7": "free text entry",
                "QID7_1": "form field", "QID70": 3, "contact": "bob@example.org",
                "status": 0, "finished": 1
            },
            "labels": {"QID1": "9", "QID2_TEXT": "x"}
        });
        Redactor::new()
            .with_text_entry_questions(["QID7"])
            .redact(&mut v);
        let vals = &v["values"];
        for key in [
            "ipAddress",
            "locationLatitude",
            "locationLongitude",
            "RecipientEmail",
            "RecipientFirstName",
            "RecipientLastName",
            "phone",
            "QID2_TEXT",
            "QID7",
            "QID7_1",
            "contact",
        ] {
            assert_eq!(vals[key], json!(REDACTED), "{key}");
        }
        assert_eq!(vals["QID1"], json!(9));
        assert_eq!(vals["QID70"], json!(3));
        assert_eq!(vals["status"], json!(0));
        assert_eq!(v["responseId"], json!("R_1"));
        assert_eq!(v["labels"]["QID2_TEXT"], json!(REDACTED));
        let text = v.to_string();
        for pii in [
            "131.212",
            "ann@example.com",
            "Ann\"",
            "Lee",
            "secret story",
            "bob@",
        ] {
            assert!(!text.contains(pii), "{pii} leaked: {text}");
        }
    }

    #[test]
    fn email_shape() {
        assert!(looks_like_email("a.b@c.io"));
        assert!(!looks_like_email("user#brand"));
        assert!(!looks_like_email("a@b"));
        assert!(!looks_like_email("at @ home.com"));
    }
}
