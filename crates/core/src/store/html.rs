//! Plain text from Qualtrics HTML snippets (question texts, choice labels).
//!
//! Contract: [`strip_html`] removes tags, decodes the common named and numeric entities
//! (unknown ones are kept verbatim) and collapses whitespace.

/// Removes HTML tags, decodes the common entities and collapses whitespace.
pub fn strip_html(input: &str) -> String {
    let mut text = String::with_capacity(input.len());
    let mut in_tag = false;
    for ch in input.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(ch),
            _ => {}
        }
    }
    let decoded = decode_entities(&text);
    let collapsed: Vec<&str> = decoded.split_whitespace().collect();
    let mut out = collapsed.join(" ");
    // Tags glued to punctuation leave "word ," — tidy the common cases.
    for p in [" ,", " .", " ?", " !", " :", " ;"] {
        out = out.replace(p, &p[1..]);
    }
    out
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &tail[1..e];
            let ch = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some(' '),
                _ if name.starts_with("#x") => u32::from_str_radix(&name[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                _ if name.starts_with('#') => name[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            ch.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
