//! Unit tests of the redaction rules.

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

#[test]
fn redacts_the_fields_the_fixed_list_missed_and_reports_them() {
    let mut v = json!({
        "completed": [{
            "values": {
                "ExternalReference": "CRM-00042", "externalDataReference": "cust-9",
                "ip_addr": "10.1.2.3", "lat": "44.97", "lng": "-93.2", "Location": "Dock 4",
                "City": "Lyon", "PostalCode": "69002", "RecipientCity": "Lyon",
                "QID9_1": "signature.png", "QID12": "Chrome 120 / Windows",
                "QID4_TEXT": "mail me at ann@example.com or call +33 6 12 34 56 78",
                "QID1": 9, "status": 0, "progress": 100, "distributionChannel": "anonymous",
                "startDate": "2024-05-01T10:00:00Z", "note": "ok, see SV_0123456789"
            }
        }]
    });
    let redactor = Redactor::new().with_question_types([
        ("QID9".to_string(), "FileUpload".to_string(), None),
        (
            "QID12".to_string(),
            "Meta".to_string(),
            Some("Browser".to_string()),
        ),
        (
            "QID1".to_string(),
            "MC".to_string(),
            Some("SAVR".to_string()),
        ),
    ]);
    let mut report = RedactionReport::default();
    redactor.redact_responses(&mut v, "responses.json", &mut report);
    let vals = &v["completed"][0]["values"];
    for key in [
        "ExternalReference",
        "externalDataReference",
        "ip_addr",
        "lat",
        "lng",
        "Location",
        "City",
        "PostalCode",
        "RecipientCity",
        "QID9_1",
        "QID12",
        "QID4_TEXT",
    ] {
        assert_eq!(vals[key], json!(REDACTED), "{key}");
    }
    for (key, kept) in [
        ("QID1", json!(9)),
        ("status", json!(0)),
        ("progress", json!(100)),
        ("distributionChannel", json!("anonymous")),
        ("startDate", json!("2024-05-01T10:00:00Z")),
        ("note", json!("ok, see SV_0123456789")),
    ] {
        assert_eq!(vals[key], kept, "{key}");
    }
    let entries = report.entries();
    let reason = |field: &str| {
        entries
            .iter()
            .find(|e| e.field == format!("completed[].values.{field}"))
            .map(|e| e.reason.clone())
            .unwrap_or_else(|| panic!("{field} missing from {entries:?}"))
    };
    assert_eq!(reason("ExternalReference"), "external reference field");
    assert_eq!(reason("City"), "location field");
    assert_eq!(reason("QID9_1"), "question type FileUpload (QID9)");
    assert_eq!(reason("QID12"), "question type Meta/Browser (QID12)");
    assert_eq!(report.total(), 12);
    assert!(!format!("{entries:?}").contains("Lyon"));
}

#[test]
fn text_rules_scrub_emails_phones_and_known_values_inside_strings() {
    let mut log = json!([
        {"event": "validate", "message": "whoami ok as jane.doe@corp.example#brand"},
        {"event": "list_surveys", "message": "Connected as jdoe#brand: 3 surveys."},
        {"event": "refresh", "message": "call +1 555 010 2030 from 192.168.1.20"},
        {"event": "refresh", "message": "42 responses at 2024-05-01T10:00:00Z"}
    ]);
    let mut report = RedactionReport::default();
    Redactor::new()
        .with_known_values(["jdoe#brand"])
        .redact_text(&mut log, "connection_log.json", &mut report);
    assert_eq!(log[0]["message"], json!("whoami ok as [redacted]#brand"));
    assert_eq!(
        log[1]["message"],
        json!("Connected as [redacted]: 3 surveys.")
    );
    assert_eq!(log[2]["message"], json!("call [redacted] from [redacted]"));
    assert_eq!(
        log[3]["message"],
        json!("42 responses at 2024-05-01T10:00:00Z")
    );
    assert_eq!(log[0]["event"], json!("validate"));
    let reasons: Vec<String> = report.entries().into_iter().map(|e| e.reason).collect();
    for why in [
        "e-mail address in the text",
        "connected Qualtrics user name",
        "phone number in the text",
        "IP address in the text",
    ] {
        assert!(reasons.iter().any(|r| r == why), "{why} not in {reasons:?}");
    }
}
