//! The support address is a setting with no built-in default; the support email names the
//! debug bundle and survives a reopen of the data dir.

use std::path::Path;
use std::sync::Arc;

use crate::app_support::*;
use pulsemap_core::app::{Options, Pulsemap};
use pulsemap_core::ErrorKind;

fn open(dir: &Path) -> Pulsemap {
    let mut options = Options::new(dir);
    options.secret_store = Some(Arc::new(MemorySecrets::default()));
    Pulsemap::open(options).unwrap()
}

#[test]
fn the_support_address_is_unset_until_set_and_persists() {
    let tmp = tempfile::tempdir().unwrap();
    let app = open(tmp.path());
    assert_eq!(app.support_address().unwrap(), None);
    assert_eq!(
        app.support_mail(Some(Path::new("/tmp/x.zip"))).unwrap(),
        None
    );
    let saved = app.set_support_address("  help@acme.example.org ").unwrap();
    assert_eq!(saved, "help@acme.example.org");
    drop(app);
    let app = open(tmp.path());
    assert_eq!(
        app.support_address().unwrap().as_deref(),
        Some("help@acme.example.org")
    );
    assert!(app.clear_support_address().unwrap());
    assert_eq!(app.support_address().unwrap(), None);
    assert!(!app.clear_support_address().unwrap());
}

#[test]
fn a_bad_support_address_is_refused_with_the_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let app = open(tmp.path());
    for (raw, why) in [
        ("", "empty"),
        ("helpdesk", "no '@'"),
        ("a@b@c.com", "single '@'"),
        ("help@localhost", "domain"),
        ("help@acme.com?cc=evil@x.com", "'?'"),
        ("help@acme.com\nBcc: x@y.com", "'\\n'"),
    ] {
        let err = app.set_support_address(raw).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{raw:?}: {err}");
        assert!(err.message().contains(why), "{raw:?}: {err}");
        assert!(err.message().contains("support address"), "{err}");
    }
    assert_eq!(app.support_address().unwrap(), None);
}

#[test]
fn the_support_mail_names_the_bundle_and_its_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let app = open(tmp.path());
    app.set_support_address("help@acme.com").unwrap();
    let bundle = tmp.path().join("pulsemap-debug SV_1.zip");
    let mail = app.support_mail(Some(&bundle)).unwrap().unwrap();
    assert_eq!(mail.address, "help@acme.com");
    assert!(mail.subject.contains("pulsemap-debug SV_1.zip"), "{mail:?}");
    assert!(
        mail.mailto.starts_with("mailto:help@acme.com?subject="),
        "{}",
        mail.mailto
    );
    assert!(
        mail.mailto.contains("pulsemap-debug%20SV_1.zip"),
        "{}",
        mail.mailto
    );
    assert!(!mail.mailto.contains(' ') && !mail.mailto.contains('\n'));
    let folder: String = tmp
        .path()
        .display()
        .to_string()
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    assert!(mail.mailto.contains(&folder), "{}", mail.mailto);
    assert!(mail
        .mailto
        .contains(&format!("version%20{}", env!("CARGO_PKG_VERSION"))));
}
