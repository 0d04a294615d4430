//! Personal data found by its shape inside any string: e-mail addresses, IPv4 addresses and
//! phone numbers, wherever they sit in free text ("call me at +1 555 010 2030").
//!
//! Contract: [`scrub`] replaces each match with [`super::REDACTED`] and reports which kinds it
//! found; text without a match comes back unchanged. The phone rule is deliberately
//! conservative about what it leaves (dates, times, ids and short numbers are kept): at least
//! 7 digits with a `+`, a separator or brackets, or 10 to 15 bare digits, not glued to letters.

use super::REDACTED;

/// What a value pattern found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Found {
    /// `local@domain.tld`.
    Email,
    /// Dotted IPv4 address.
    IpAddress,
    /// Telephone number.
    Phone,
}

impl Found {
    /// How the redaction manifest names it.
    pub fn reason(self) -> &'static str {
        match self {
            Found::Email => "e-mail address in the text",
            Found::IpAddress => "IP address in the text",
            Found::Phone => "phone number in the text",
        }
    }
}

/// `text` with every e-mail, IPv4 address and phone number replaced, and what was found;
/// `None` when nothing was.
pub fn scrub(text: &str) -> Option<(String, Vec<Found>)> {
    let mut spans: Vec<(usize, usize, Found)> = emails(text);
    for (start, end, found) in number_runs(text) {
        if !spans.iter().any(|(s, e, _)| start < *e && *s < end) {
            spans.push((start, end, found));
        }
    }
    if spans.is_empty() {
        return None;
    }
    spans.sort_by_key(|(s, _, _)| *s);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut kinds = Vec::new();
    for (start, end, found) in spans {
        out.push_str(&text[last..start]);
        out.push_str(REDACTED);
        last = end;
        kinds.push(found);
    }
    out.push_str(&text[last..]);
    Some((out, kinds))
}

fn is_local(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn is_domain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

/// Byte spans of e-mail addresses (all delimiters are ASCII, so spans are char boundaries).
fn emails(text: &str) -> Vec<(usize, usize, Found)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        let mut start = at;
        while start > 0 && is_local(bytes[start - 1]) {
            start -= 1;
        }
        let mut end = at + 1;
        while end < bytes.len() && is_domain(bytes[end]) {
            end += 1;
        }
        while end > at + 1 && bytes[end - 1] == b'.' {
            end -= 1;
        }
        let domain = &text[at + 1..end];
        let labels: Vec<&str> = domain.split('.').collect();
        let ok = start < at
            && labels.len() >= 2
            && labels.iter().all(|l| !l.is_empty())
            && labels
                .last()
                .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_alphabetic()));
        if ok && !out.iter().any(|(s, e, _)| start < *e && *s < end) {
            out.push((start, end, Found::Email));
        }
    }
    out
}

/// Byte spans of IPv4 addresses and phone numbers.
fn number_runs(text: &str) -> Vec<(usize, usize, Found)> {
    let bytes = text.as_bytes();
    let in_run = |b: u8| b.is_ascii_digit() || matches!(b, b' ' | b'-' | b'.' | b'(' | b')' | b'+');
    let glued = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'/' | b'@');
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_digit() || matches!(bytes[i], b'+' | b'(');
        // A hyphen between letters or digits joins one token ("4dd1-8123-4512-abcd" in a
        // card's UUID), not a phone number.
        let hyphen_joined = i > 1 && bytes[i - 1] == b'-' && bytes[i - 2].is_ascii_alphanumeric();
        if !starts || (i > 0 && glued(bytes[i - 1])) || hyphen_joined {
            i += 1;
            continue;
        }
        if let Some(end) = ipv4_at(text, i) {
            out.push((i, end, Found::IpAddress));
            i = end;
            continue;
        }
        // A run of digits and separators; a `+` or an IPv4 address after a space starts the
        // next one ("10.0.0.1 +44 20 7946 0958" is two).
        let mut end = i + 1;
        while end < bytes.len()
            && in_run(bytes[end])
            && !(bytes[end - 1] == b' ' && (bytes[end] == b'+' || ipv4_at(text, end).is_some()))
        {
            end += 1;
        }
        let next_glued = end < bytes.len() && glued(bytes[end]);
        // Trim trailing separators (a sentence's full stop, a space before a word).
        let mut stop = end;
        while stop > i && !bytes[stop - 1].is_ascii_digit() {
            stop -= 1;
        }
        let run = &text[i..stop];
        // Trailing separators trimmed off a run that touches a word are fine ("2030 from"),
        // unless the last is a hyphen joining the run to that word.
        if !next_glued || (stop < end && bytes[end - 1] != b'-') {
            if let Some(found) = classify(run) {
                out.push((i, stop, found));
            }
        }
        i = end.max(i + 1);
    }
    out
}

/// End of an IPv4 address starting at byte `i` and not glued to what follows.
fn ipv4_at(text: &str, i: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut end = i;
    while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.') {
        end += 1;
    }
    let mut stop = end;
    while stop > i && bytes[stop - 1] == b'.' {
        stop -= 1;
    }
    let glued = end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_');
    (!glued && is_ipv4(&text[i..stop])).then_some(stop)
}

fn classify(run: &str) -> Option<Found> {
    let digits = run.bytes().filter(u8::is_ascii_digit).count();
    if !(7..=15).contains(&digits) || looks_like_date(run) {
        return None;
    }
    let marked = run.starts_with('+') || run.contains(['(', ' ', '-']);
    let bare = run.bytes().all(|b| b.is_ascii_digit());
    if marked || (bare && digits >= 10) || (run.contains('.') && run.split('.').count() >= 3) {
        Some(Found::Phone)
    } else {
        None
    }
}

fn is_ipv4(run: &str) -> bool {
    let parts: Vec<&str> = run.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// `2024-05-01`, `2024.05.01`, `01-05-2024` and the like (also at the start of a longer run).
fn looks_like_date(run: &str) -> bool {
    let groups: Vec<&str> = run
        .split(['-', '.', ' '])
        .filter(|g| !g.is_empty())
        .collect();
    let len = |i: usize| groups.get(i).map_or(0, |g| g.len());
    groups.len() >= 3
        && ((len(0) == 4 && len(1) <= 2 && len(2) <= 2)
            || (len(0) <= 2 && len(1) <= 2 && len(2) == 4))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubbed(s: &str) -> String {
        scrub(s).map_or_else(|| s.to_string(), |(t, _)| t)
    }

    #[test]
    fn finds_personal_data_inside_text() {
        assert_eq!(
            scrubbed("mail ann.lee+cx@mail.example.org, or call +1 (555) 010-2030."),
            "mail [redacted], or call [redacted]."
        );
        assert_eq!(
            scrubbed("whoami ok as jane@x.example#brand"),
            "whoami ok as [redacted]#brand"
        );
        assert_eq!(
            scrubbed("from 131.212.251.236 today"),
            "from [redacted] today"
        );
        assert_eq!(scrubbed("ring 0612345678"), "ring [redacted]");
        assert_eq!(
            scrubbed("ring 06 12 34 56 78 please"),
            "ring [redacted] please"
        );
        let (_, kinds) = scrub("a@b.io 10.0.0.1 +44 20 7946 0958").unwrap();
        assert_eq!(kinds, vec![Found::Email, Found::IpAddress, Found::Phone]);
    }

    #[test]
    fn leaves_dates_ids_versions_and_small_numbers() {
        for keep in [
            "2024-05-01T10:00:00.000Z",
            "2024-05-01 10:00:00",
            "R_1234567890abcd",
            "SV_0123456789",
            "QID12_3",
            "version 3.45.1",
            "rated 9 out of 10",
            "1234567",
            "12.5% of 200 responses",
            "user#brand",
            "a@b",
            // Card and map ids (UUIDs) whose groups happen to be all digits.
            "3f2a9b10-1234-4567-8901-abcdefabcdef",
            "card 7c9e6679-7425-4912-8123-451234567890 on stage 12345678-1234-4abc-9def-0123456789ab",
            "abcdef12-1234-4567-8901-234567890123",
        ] {
            assert!(
                scrub(keep).is_none(),
                "{keep} was scrubbed: {:?}",
                scrub(keep)
            );
        }
    }
}
