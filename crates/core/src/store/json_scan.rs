//! A scanner for the top-level members of a JSON object text already known to be valid JSON
//! (a response's `values` as the export delivered it, checked by the `qualtrics` parser, or
//! as the cache stored it).
//!
//! Contract: [`members`] walks the object's top-level members in order, handing each key
//! (raw, as written between its quotes) and the raw text of its value to a callback that
//! returns whether to go on; nested objects, arrays and strings are skipped by bracket and
//! quote matching, never decoded. On text that is not a JSON object it stops quietly (it
//! does not validate: use it only on text a JSON parser accepted). A key written with
//! escapes is handed over raw; [`key_is`] compares a raw key with a plain one, decoding it
//! only when it has an escape. Why: reading two or three fields of a response this way
//! costs a pass over its bytes, where `serde_json` decodes and validates every value.

/// The index just past the string whose opening quote is at `at` (or the end of `s`).
fn skip_string(s: &[u8], mut at: usize) -> usize {
    at += 1;
    while let Some(i) = memchr::memchr2(b'"', b'\\', &s[at.min(s.len())..]) {
        let hit = at + i;
        if s[hit] == b'\\' {
            at = hit + 2;
        } else {
            return hit + 1;
        }
    }
    s.len()
}

fn skip_ws(s: &[u8], mut at: usize) -> usize {
    while at < s.len() && s[at].is_ascii_whitespace() {
        at += 1;
    }
    at
}

/// The index just past the value starting at `at` (no leading whitespace).
fn skip_value(s: &[u8], at: usize) -> usize {
    match s.get(at) {
        Some(b'"') => skip_string(s, at),
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            let mut i = at;
            while i < s.len() {
                match s[i] {
                    b'"' => {
                        i = skip_string(s, i);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return i + 1;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            s.len()
        }
        _ => {
            let mut i = at;
            while i < s.len() && !matches!(s[i], b',' | b'}' | b']') && !s[i].is_ascii_whitespace()
            {
                i += 1;
            }
            i
        }
    }
}

/// Hands `(raw key, raw value)` of each top-level member of `obj` to `f` until it returns
/// `false` or the object ends.
pub(crate) fn members<'a>(obj: &'a str, mut f: impl FnMut(&'a str, &'a str) -> bool) {
    let s = obj.as_bytes();
    let mut at = skip_ws(s, 0);
    if s.get(at) != Some(&b'{') {
        return;
    }
    at += 1;
    loop {
        at = skip_ws(s, at);
        if s.get(at) != Some(&b'"') {
            return;
        }
        let key_end = skip_string(s, at);
        let Some(key) = obj.get(at + 1..key_end.saturating_sub(1).max(at + 1)) else {
            return;
        };
        at = skip_ws(s, key_end);
        if s.get(at) != Some(&b':') {
            return;
        }
        at = skip_ws(s, at + 1);
        let value_end = skip_value(s, at);
        // Every cut is at an ASCII byte or the end on valid JSON; `get` keeps other text
        // from panicking.
        let Some(value) = obj.get(at..value_end) else {
            return;
        };
        if !f(key, value) {
            return;
        }
        at = skip_ws(s, value_end);
        if s.get(at) != Some(&b',') {
            return;
        }
        at += 1;
    }
}

/// Whether the raw key `raw` (as between its quotes) is `plain`.
pub(crate) fn key_is(raw: &str, plain: &str) -> bool {
    if !raw.contains('\\') {
        return raw == plain;
    }
    serde_json::from_str::<String>(&format!("\"{raw}\"")).is_ok_and(|k| k == plain)
}

/// The raw text of the first top-level member `key` of `obj`.
pub(crate) fn field<'a>(obj: &'a str, key: &str) -> Option<&'a str> {
    let mut found = None;
    members(obj, |k, v| {
        if key_is(k, key) {
            found = Some(v);
            false
        } else {
            true
        }
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_come_out_raw_and_nested_values_are_skipped() {
        let obj = r#" { "a" : [1, {"b": "]}\"{"}], "k\"q": "x\\", "n":-1.5e3,"t":true,
            "o": {"finished": 0}, "finished" : "True" , "e": {} } "#;
        let mut got = Vec::new();
        members(obj, |k, v| {
            got.push((k, v));
            true
        });
        assert_eq!(
            got,
            vec![
                ("a", r#"[1, {"b": "]}\"{"}]"#),
                (r#"k\"q"#, r#""x\\""#),
                ("n", "-1.5e3"),
                ("t", "true"),
                ("o", r#"{"finished": 0}"#),
                ("finished", r#""True""#),
                ("e", "{}"),
            ]
        );
        assert_eq!(field(obj, "finished"), Some(r#""True""#));
        assert_eq!(field(obj, "k\"q"), Some(r#""x\\""#));
        assert_eq!(field(r#"{"fin\u0069shed": 1}"#, "finished"), Some("1"));
        assert_eq!(field(obj, "missing"), None);
        assert_eq!(field("[1]", "a"), None);
        assert_eq!(field("{}", "a"), None);
        assert_eq!(field("", "a"), None);
    }

    /// Every top-level member `serde_json` sees, the scanner sees with the same value.
    #[test]
    fn agrees_with_serde_json_on_generated_objects() {
        use serde_json::{json, Map, Value};
        let samples = [
            json!({"startDate": "2026-01-01T00:00:00Z", "finished": 1, "QID1": 9,
                   "QID2": [1, 3], "QID3_TEXT": "a \"quoted\" {text} [x] \\ end",
                   "nested": {"a": [[], {}], "b": null}, "f": false, "neg": -0.5}),
            json!({}),
            json!({"only": "ü ñ 日本"}),
        ];
        for sample in samples {
            for text in [
                sample.to_string(),
                serde_json::to_string_pretty(&sample).unwrap(),
            ] {
                let parsed: Map<String, Value> = serde_json::from_str(&text).unwrap();
                let mut seen = Vec::new();
                members(&text, |k, v| {
                    seen.push((k.to_owned(), serde_json::from_str::<Value>(v).unwrap()));
                    true
                });
                let want: Vec<(String, Value)> = parsed.into_iter().collect();
                assert_eq!(seen, want, "{text}");
            }
        }
    }
}
