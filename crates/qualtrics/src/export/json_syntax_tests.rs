//! Tests of the JSON syntax checker ([`super`]): what `serde_json` accepts and rejects, cuts
//! of valid values, nesting, and the shortcuts for numbers against the full grammar.

use super::*;

/// Checks `text` followed by `,`, as inside an array.
fn check(text: &str) -> Result<usize, Syntax> {
    let with_end = format!("{text},");
    let mut c = Cursor::new(with_end.as_bytes(), 0);
    c.value(0).map(|()| c.i)
}

#[test]
fn accepts_what_serde_json_accepts() {
    for text in [
        r#"{"a": [1, -2.5e+3, 0, 0.25, 1E9, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9"]}"#,
        r#"{}"#,
        r#"[]"#,
        r#"" \ud83d\ude00 ""#,
        r#"{"nested": {"deep": [[[{}]]]}, "é": "ü"}"#,
        "-0",
        "  7",
    ] {
        assert!(
            serde_json::from_str::<serde_json::Value>(text).is_ok(),
            "{text}"
        );
        assert_eq!(check(text), Ok(text.len()), "{text}");
    }
}

#[test]
fn rejects_what_serde_json_rejects() {
    for text in [
        "01",
        "1.",
        "1e",
        "-",
        "1x",
        "+1",
        ".5",
        "tru",
        "nul ",
        "truex",
        r#""a\x""#,
        r#""\u12G4""#,
        r#""\ud83d""#,
        r#""\ude00""#,
        "\"tab\there\"",
        r#"{"a" 1}"#,
        r#"{"a": 1,}"#,
        r#"[1 2]"#,
        r#"{1: 2}"#,
        r#"[,]"#,
    ] {
        assert!(
            serde_json::from_str::<serde_json::Value>(text).is_err(),
            "serde accepts {text}"
        );
        assert!(
            matches!(check(text), Err(Syntax::Invalid(..))),
            "{text}: {:?}",
            check(text)
        );
    }
}

#[test]
fn every_cut_of_a_valid_value_is_incomplete() {
    let text = r#"{"a": [1, -2.5e+3, true, null, "x\"\u00e9 \ud83d\ude00"], "b": {"c": false}}"#;
    for cut in 0..text.len() {
        let mut c = Cursor::new(&text.as_bytes()[..cut], 0);
        assert_eq!(c.value(0), Err(Syntax::Incomplete), "cut at {cut}");
    }
}

#[test]
fn numbers_before_every_terminator_are_judged_like_serde_json() {
    // The plain-integer shortcut and the full grammar must agree, whatever follows.
    for number in [
        "0",
        "7",
        "10",
        "123456789",
        "-0",
        "-12",
        "00",
        "01",
        "-",
        "0.5",
        "1.",
        "1e5",
        "1E+2",
        "0x1",
        "1-",
        "12a",
        "-01",
        "9.9e-9",
    ] {
        for end in [",", "]", "}", " ,", "\n]"] {
            let text = format!("[{number}{end}");
            let serde = serde_json::from_str::<serde_json::Value>(&format!(
                "[{number}{}",
                end.replace(['}', ','], "]")
            ))
            .is_ok();
            let mut c = Cursor::new(text.as_bytes(), 1);
            let ours = c.value(0);
            assert_eq!(ours.is_ok(), serde, "{text:?}: {ours:?}");
            if serde {
                assert_eq!(c.i, 1 + number.len(), "{text:?}");
            }
        }
    }
}

#[test]
fn runs_of_single_digit_items_are_taken_a_word_at_a_time() {
    assert_eq!(single_digit_items(b"0,1,2,3,4,5,6,7,8,9,10]", 0), 16);
    assert_eq!(single_digit_items(b"1,2,3,4]", 0), 0);
    // Every byte value in every position of a word ends the run where it must.
    for at in 0..8 {
        for b in 0..=255u8 {
            let mut text = *b"1,2,3,4,5,6,7,8,";
            text[at] = b;
            let plain = if at % 2 == 0 {
                b.is_ascii_digit()
            } else {
                b == b','
            };
            let want = if plain { 16 } else { 0 };
            assert_eq!(single_digit_items(&text, 0), want, "{b:#04x} at {at}");
        }
    }
    // Whatever the shortcut takes, arrays are judged like serde_json.
    for text in [
        "[1,2,3,4,5,6,7,8,9]",
        "[1,2,3,4,]",
        "[1,2,3,4,5,6,7,8,]",
        "[0,1,2,3,01]",
        "[1,2,3,4,-]",
        "[1,2,3,4,5,6,7,8 ]",
        "[1,2,3,4,{}]",
        "[[1,2,3,4,5],{\"a\":[0,0,0,0,0]}]",
        "{\"a\":1,2,3,4,5}",
    ] {
        let serde = serde_json::from_str::<serde_json::Value>(text).is_ok();
        assert_eq!(check(text).is_ok(), serde, "{text}");
    }
}

#[test]
fn nesting_is_bounded() {
    let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
    assert!(matches!(
        check(&deep),
        Err(Syntax::Invalid("values nested too deeply", _))
    ));
    let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
    assert_eq!(check(&ok), Ok(ok.len()));
}
