//! Tests of the one-pass JSON export reader ([`super`]): responses at any read size, a
//! buffer that grows, offsets in errors, and every single-byte change judged like
//! `serde_json`.

use super::*;

/// Reads `doc` through a reader that hands out `chunk` bytes at a time.
fn read(doc: &str, chunk: usize) -> Result<(Vec<ExportedResponse>, Split), String> {
    struct Trickle<'a>(&'a [u8], usize);
    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(self.1).min(out.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }
    let mut got = Vec::new();
    match for_each_response(Trickle(doc.as_bytes(), chunk), &mut |r| {
        got.push(r);
        true
    }) {
        Ok(s) => Ok((got, s)),
        Err(SplitError::Invalid(m)) => Err(m),
        Err(SplitError::Stopped) => Err("stopped".into()),
    }
}

#[test]
fn responses_come_out_as_written_at_any_read_size() {
    let doc = r#" {"meta": {"a": [1, "]}"]}, "responses" : [ {"responseId": "R_1", "values": {"v": "x\"}", "n": [1, 2.5e3]}, "labels": {}, "displayedFields": ["QID1"], "displayedValues": {"QID1": [1, 2]}}, {"responseId": "R_\u0032", "\u0076alues": {}} ], "n": 2 } "#;
    for chunk in [1, 2, 3, 7, 64, 4096] {
        let (got, s) = read(doc, chunk).unwrap();
        assert_eq!(
            s,
            Split {
                elements: 2,
                found: true
            }
        );
        assert_eq!(got[0].response_id, "R_1");
        assert_eq!(got[0].values_json(), r#"{"v": "x\"}", "n": [1, 2.5e3]}"#);
        assert_eq!(got[0].labels_json(), "{}");
        assert_eq!(got[0].displayed_fields(), ["QID1"]);
        assert_eq!(got[1].response_id, "R_2");
        assert_eq!(got[1].values_json(), "{}");
    }
    assert_eq!(read(r#"{"responses": []}"#, 5).unwrap().1.elements, 0);
    assert!(!read("{}", 1).unwrap().1.found);
    assert!(!read(r#"{"other": 1}"#, 1).unwrap().1.found);
}

#[test]
fn a_response_longer_than_the_buffer_grows_it() {
    let long = "x".repeat(3 * BUFFER);
    let doc = format!(r#"{{"responses": [{{"responseId": "R_1", "values": {{"t": "{long}"}}}}]}}"#);
    let (got, _) = read(&doc, 100_000).unwrap();
    assert_eq!(got[0].values_json().len(), long.len() + 9);
}

#[test]
fn broken_documents_are_reported_with_their_offset() {
    for (doc, needle) in [
        (r#"{"responses": [{"a": 1}, {"b": 2"#, "ends early"),
        (r#"{"responses": [{"a": 1]}"#, "expected ',' or '}'"),
        (r#"{"responses": [{"a": "open}]}"#, "ends early"),
        (
            r#"{"responses": [{"a": 1} {"b": 2}]}"#,
            "expected ',' or ']'",
        ),
        (r#"{"responses": [{"a": 1}]} x"#, "after the document"),
        (r#"{"responses" [1]}"#, "expected ':'"),
        (r#"[{"a": 1}]"#, "to be an object"),
        (r#"{"responses": {"a": 1}}"#, "to be an array"),
        (r#"{"x": @}"#, "expected a value"),
        (r#"{"responses": [{"a": 1x}]}"#, "invalid number"),
        (r#"{"responses": [{"a": "\q"}]}"#, "invalid escape"),
        (r#"{"responses": [7]}"#, "expected a response object"),
        (r#"{"responses": [{"values": [1]}]}"#, "not a JSON object"),
        (r#"{"responses": [{"responseId": 5}]}"#, "not a string"),
        (
            r#"{"responses": [{"values": {}, "values": {}}]}"#,
            "repeats a member",
        ),
        ("", "ends early"),
    ] {
        for chunk in [1, 4096] {
            let err = read(doc, chunk).unwrap_err();
            assert!(err.contains(needle), "{doc:?}: {err}");
            assert!(err.contains("at byte"), "{doc:?}: {err}");
        }
    }
    let err = read(
        r#"{"responses": [{"values": {"t": "a"}, "displayedFields": [1]}]}"#,
        3,
    )
    .unwrap_err();
    assert!(
        err.starts_with("response 1 (at byte 15) has a \"displayedFields\""),
        "{err}"
    );
    let bad_utf8 = b"{\"responses\": [{\"values\": {\"t\": \"\xff\"}}]}";
    let err = for_each_response(&bad_utf8[..], &mut |_| true).unwrap_err();
    assert!(matches!(err, SplitError::Invalid(m) if m.contains("not valid UTF-8")));
}

/// What `serde_json` makes of `doc` under the same rules: `Some(ids)` when it is JSON
/// with a `responses` array of well-formed responses.
fn serde_reading(doc: &[u8]) -> Option<Vec<String>> {
    use serde_json::Value;
    let v: Value = serde_json::from_slice(doc).ok()?;
    let mut ids = Vec::new();
    for r in v.as_object()?.get("responses")?.as_array()? {
        let r = r.as_object()?;
        for key in ["values", "labels"] {
            if r.get(key).is_some_and(|v| !v.is_object()) {
                return None;
            }
        }
        if let Some(d) = r.get("displayedFields") {
            if !d.as_array()?.iter().all(Value::is_string) {
                return None;
            }
        }
        ids.push(match r.get("responseId") {
            None => String::new(),
            Some(id) => id.as_str()?.to_string(),
        });
    }
    Some(ids)
}

#[test]
fn every_single_byte_change_is_judged_like_serde_json() {
    let doc = br#"{"responses": [{"responseId": "R_1", "values": {"n": -12.5e+2, "t": "a\"\u00e9", "l": [true, false, null], "d": [1,2,3,4,0,5,6,7,8]}, "labels": {"n": "x"}, "displayedFields": ["QID1"]}, {"responseId": "R_2", "values": {}}]}"#;
    let mut compared = 0;
    for at in 0..doc.len() {
        for b in [
            b'"', b'\\', b'{', b'}', b'[', b']', b',', b':', b' ', b'1', b'e', b'.', b'-', b'u',
            b'x', 0x01, 0xff,
        ] {
            let mut changed = doc.to_vec();
            changed[at] = b;
            let ours = for_each_response(&changed[..], &mut |_| true);
            let mut ids = Vec::new();
            let ours = ours.is_ok_and(|s| s.found).then(|| {
                for_each_response(&changed[..], &mut |r| {
                    ids.push(r.response_id);
                    true
                })
                .unwrap();
                ids
            });
            // serde_json keeps the last of repeated members; this reader refuses them.
            let repeated = serde_reading(&changed).is_some() && ours.is_none() && {
                let text = String::from_utf8_lossy(&changed).into_owned();
                [
                    "\"values\"",
                    "\"labels\"",
                    "\"responseId\"",
                    "\"displayedFields\"",
                ]
                .iter()
                .any(|k| text.matches(k).count() > 2)
            };
            if !repeated {
                assert_eq!(
                    ours,
                    serde_reading(&changed),
                    "{}",
                    String::from_utf8_lossy(&changed)
                );
            }
            compared += 1;
        }
    }
    assert!(compared > 3000);
}

#[test]
fn the_sink_can_stop() {
    let doc = r#"{"responses": [{}, {}, {}]}"#;
    let mut seen = 0;
    let r = for_each_response(doc.as_bytes(), &mut |_| {
        seen += 1;
        seen < 2
    });
    assert!(matches!(r, Err(SplitError::Stopped)));
    assert_eq!(seen, 2);
}

#[test]
fn invalid_utf8_anywhere_in_an_ascii_run_is_refused() {
    // The word-at-a-time string scan passes bytes >= 0x80 over; the response's UTF-8 check
    // must still see a bad byte or a cut sequence at every offset of a block.
    for bad in [
        &b"\xff"[..],
        b"\xc3",
        b"\xe2\x82",
        b"\xed\xa0\x80",
        b"\xc0\xaf",
    ] {
        for at in 0..40 {
            let mut text = vec![b'a'; 40];
            text.splice(at..at, bad.iter().copied());
            let mut doc = br#"{"responses": [{"responseId": "R_1", "values": {"t": ""#.to_vec();
            doc.extend_from_slice(&text);
            doc.extend_from_slice(br#""}}]}"#);
            let err = for_each_response(&doc[..], &mut |_| true).unwrap_err();
            assert!(
                matches!(&err, SplitError::Invalid(m) if m.contains("not valid UTF-8")),
                "{bad:02x?} at {at}: {err:?}"
            );
            // The same run with a valid two-byte character there is read as it is.
            let mut good = vec![b'a'; 40];
            good.splice(at..at, "é".bytes());
            let doc = format!(
                r#"{{"responses": [{{"values": {{"t": "{}"}}}}]}}"#,
                String::from_utf8(good).unwrap()
            );
            let mut got = Vec::new();
            for_each_response(doc.as_bytes(), &mut |r| {
                got.push(r.values_json().to_string());
                true
            })
            .unwrap();
            assert!(got[0].contains('é'), "{at}");
        }
    }
}

#[test]
fn displayed_fields_must_be_a_list_of_strings() {
    let read_fields = |fields: &str| {
        let doc = format!(r#"{{"responses": [{{"displayedFields": {fields}, "values": {{}}}}]}}"#);
        read(&doc, 7).map(|(got, _)| got[0].displayed_fields())
    };
    assert_eq!(read_fields("[]").unwrap(), Vec::<String>::new());
    assert_eq!(read_fields(r#"[ "a" , "b\"" ]"#).unwrap(), ["a", "b\""]);
    for not_strings in [
        r#"["a", 1]"#,
        "[[]]",
        r#""a""#,
        "{}",
        "null",
        r#"["a", {"b": [1]}]"#,
    ] {
        let err = read_fields(not_strings).unwrap_err();
        assert!(
            err.contains("not a list of strings"),
            "{not_strings}: {err}"
        );
    }
    // A list that is not JSON is a syntax error at its offset, not a wrong type.
    for (broken, needle) in [
        (
            r#"["a" "b"]"#,
            "expected ',' or ']' after an item at byte 40",
        ),
        (r#"["a", 1x]"#, "invalid number at byte 42"),
        (r#"["a", ]"#, "expected a value at byte 41"),
        (r#"["a\q"]"#, "invalid escape in a string at byte 38"),
    ] {
        let err = read_fields(broken).unwrap_err();
        assert!(err.contains(needle), "{broken}: {err}");
    }
}
