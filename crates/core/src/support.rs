//! Who to contact for support, and the email a support request starts from.
//!
//! Contract:
//! - The support address is a setting the user or their organisation sets (app settings or
//!   `pulsemap support-address set`); there is no built-in default, so an unset address is
//!   `None` and front ends ask for one instead of mailing a placeholder.
//! - [`parse_address`] accepts one plain `local@domain.tld` address (trimmed) and refuses
//!   anything that could smuggle extra headers or recipients into a `mailto:` URL.
//! - [`support_mail`] prepares a `mailto:` URL whose subject and body name the debug bundle
//!   (file name and folder) when one is given, so the user attaches it themselves; it never reads the bundle and
//!   never carries a secret (the bundle is already redacted by [`crate::debug_export`]).

use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::store::Store;

/// Settings key of the support address.
pub const SUPPORT_ADDRESS_KEY: &str = "support.address";

/// A prepared support email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SupportMail {
    /// The configured support address.
    pub address: String,
    /// Subject line (names the bundle).
    pub subject: String,
    /// `mailto:` URL with the subject and a body naming the bundle's file and folder.
    pub mailto: String,
}

/// Checks and normalises a support address (`local@domain.tld`, trimmed).
pub fn parse_address(raw: &str) -> Result<String> {
    let address = raw.trim();
    let bad = |why: &str| {
        Error::invalid(format!(
            "support address {address:?} is not usable: {why} (expected e.g. help@your-org.com)"
        ))
    };
    if address.is_empty() {
        return Err(bad("it is empty"));
    }
    if let Some(c) = address
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "?&,;<>\"'()[]\\:%".contains(*c))
    {
        return Err(bad(&format!("it contains {c:?}")));
    }
    let Some((local, domain)) = address.split_once('@') else {
        return Err(bad("it has no '@'"));
    };
    if local.is_empty() || domain.contains('@') {
        return Err(bad("it needs exactly one name before a single '@'"));
    }
    if !domain.contains('.') || domain.split('.').any(str::is_empty) {
        return Err(bad("the part after '@' is not a domain like your-org.com"));
    }
    Ok(address.to_string())
}

/// The configured support address, if any.
pub fn address(store: &Store) -> Result<Option<String>> {
    store.get_setting(SUPPORT_ADDRESS_KEY)
}

/// Validates and saves the support address; returns it normalised.
pub fn set_address(store: &Store, raw: &str) -> Result<String> {
    let address = parse_address(raw)?;
    store.set_setting(SUPPORT_ADDRESS_KEY, &address)?;
    Ok(address)
}

/// Removes the support address; returns whether one was set.
pub fn clear_address(store: &Store) -> Result<bool> {
    store.delete_setting(SUPPORT_ADDRESS_KEY)
}

/// The email asking support about `bundle` (a saved debug bundle, if any), or `None` when no
/// address is configured.
pub fn support_mail(
    store: &Store,
    bundle: Option<&Path>,
    version: &str,
) -> Result<Option<SupportMail>> {
    let Some(address) = address(store)? else {
        return Ok(None);
    };
    let (subject, attach) = match bundle {
        Some(bundle) => {
            let name = bundle
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .ok_or_else(|| {
                    Error::invalid(format!("{} does not name a file", bundle.display()))
                })?;
            let folder = bundle
                .parent()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            (
                format!("Pulsemap support request ({name})"),
                format!(
                    "Please find attached the Pulsemap debug bundle {name} (saved in {folder}). "
                ),
            )
        }
        None => ("Pulsemap support request".to_string(), String::new()),
    };
    let body = format!("Hello,\n\n{attach}Pulsemap version {version}.\n\nWhat I was doing:\n\n");
    let mailto = format!(
        "mailto:{address}?subject={}&body={}",
        encode(&subject),
        encode(&body)
    );
    Ok(Some(SupportMail {
        address,
        subject,
        mailto,
    }))
}

/// Percent-encodes everything but RFC 3986 unreserved characters (RFC 6068 `mailto:` fields).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
