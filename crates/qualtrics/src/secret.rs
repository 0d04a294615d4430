//! [`Secret`]: a string that never prints.
//!
//! Contract: `Debug` and `Display` print `***`; the value is only reachable through
//! [`Secret::expose`] (used when building a request header) and [`Secret::masked`]
//! (`••••abcd`, for the UI). No `Serialize` impl, so a secret cannot slip into JSON.

use std::fmt;

/// A token or client secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value (surrounding whitespace is trimmed: pasted tokens often carry it).
    pub fn new(value: impl Into<String>) -> Self {
        let value: String = value.into();
        let trimmed = value.trim();
        if trimmed.len() == value.len() {
            Secret(value)
        } else {
            Secret(trimmed.to_string())
        }
    }

    /// The secret itself. Only for request headers/bodies; never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `••••` followed by the last 4 characters (fewer if the secret is shorter than 8
    /// characters, so at least half stays hidden).
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        let shown = if chars.len() >= 8 { 4 } else { chars.len() / 2 };
        let tail: String = chars[chars.len() - shown..].iter().collect();
        format!("••••{tail}")
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}
