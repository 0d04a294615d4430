//! [`Page<T>`]: one page of a Qualtrics list (`result.elements` + `result.nextPage`).
//!
//! Contract: `next_page` is kept verbatim (an absolute URL or `None`); the client follows it
//! as is, after checking it names a host the client's [`crate::HostPolicy`] allows.

use serde::{Deserialize, Serialize};

/// One page of a list endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    /// The items of this page.
    #[serde(default = "Vec::new")]
    pub elements: Vec<T>,
    /// Absolute URL of the next page; `None` on the last page.
    #[serde(default)]
    pub next_page: Option<String>,
}
