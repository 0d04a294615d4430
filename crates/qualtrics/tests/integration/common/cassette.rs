//! The vcr cassette format (R `vcr`/`webmockr`, several versions) and body decoding.
//!
//! Contract: `http_interactions[].request{method,uri,body}` /
//! `response{status (a number or {status_code}), headers, body}`; a body is a plain
//! `string`, base64 (`base64_string`, `ASCII-8BIT`, or any `string` of a cassette that
//! records `file:`), or base64 of zlib data (`raw_gzip`).

use std::collections::BTreeMap;
use std::io::Read;

use serde::Deserialize;

#[derive(Deserialize)]
pub struct Cassette {
    pub http_interactions: Vec<Interaction>,
}

#[derive(Deserialize)]
pub struct Interaction {
    pub request: RecordedRequest,
    pub response: RecordedResponse,
}

#[derive(Deserialize)]
pub struct RecordedRequest {
    pub method: String,
    pub uri: String,
    #[serde(default)]
    pub body: Option<RecordedBody>,
}

#[derive(Deserialize)]
pub struct RecordedResponse {
    pub status: RecordedStatus,
    #[serde(default)]
    pub headers: BTreeMap<String, serde_yaml::Value>,
    pub body: RecordedBody,
}

#[derive(Deserialize)]
#[serde(untagged)]
pub enum RecordedStatus {
    Code(u16),
    Detailed { status_code: serde_yaml::Value },
}

impl RecordedStatus {
    pub fn code(&self) -> u16 {
        match self {
            RecordedStatus::Code(c) => *c,
            RecordedStatus::Detailed { status_code } => match status_code {
                serde_yaml::Value::Number(n) => n.as_u64().unwrap() as u16,
                serde_yaml::Value::String(s) => s.parse().unwrap(),
                other => panic!("status {other:?}"),
            },
        }
    }
}

#[derive(Deserialize, Default)]
pub struct RecordedBody {
    #[serde(default)]
    pub encoding: Option<String>,
    #[serde(default)]
    pub string: Option<String>,
    #[serde(default)]
    pub base64_string: Option<String>,
    #[serde(default)]
    pub raw_gzip: Option<String>,
    /// Present in R vcr ≤ 1.x cassettes recorded with exact body bytes: `string` is base64
    /// whatever `encoding` says.
    #[serde(default)]
    pub file: Option<serde_yaml::Value>,
}

fn b64(text: &str) -> Vec<u8> {
    use base64::Engine;
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .unwrap()
}

impl RecordedBody {
    /// The body bytes, decoded from whichever encoding the recorder used.
    pub fn bytes(&self) -> Vec<u8> {
        if let Some(z) = &self.raw_gzip {
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(&b64(z)[..])
                .read_to_end(&mut out)
                .unwrap();
            return out;
        }
        if let Some(b) = &self.base64_string {
            return b64(b);
        }
        let s = self.string.clone().unwrap_or_default();
        if self.file.is_some() || self.encoding.as_deref() == Some("ASCII-8BIT") {
            b64(&s)
        } else {
            s.into_bytes()
        }
    }
}
