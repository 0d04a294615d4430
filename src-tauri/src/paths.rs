//! Where the app keeps its data, and the test hook for exports.
//!
//! Contract:
//! - The data dir is `$PULSEMAP_DATA_DIR` when set (non-empty), else the platform app data dir
//!   (`~/.local/share/app.pulsemap.desktop` on Linux).
//! - Demo mode never touches the user's data: it lives in `<data dir>/demo`.
//! - **Test hook** `PULSEMAP_E2E_SAVE_DIR`: when set, the export commands skip the native save
//!   dialog and write into that directory under a suggested file name. Only the end-to-end
//!   tests set it (a WebDriver cannot drive a GTK file chooser).
//! - **Test hook** `PULSEMAP_E2E_OPEN_FILE`: when set, the "open a map file" command skips the
//!   native open dialog and picks that file (end-to-end tests only).
//! - The loopback developer switch (`PULSEMAP_DEV_ALLOW_LOOPBACK`) is read by core's
//!   `Options::new` alone, the same way for the app and the CLI.

use std::path::{Path, PathBuf};

/// Env var overriding the data dir.
pub const DATA_DIR_ENV: &str = "PULSEMAP_DATA_DIR";
/// Test hook: export commands write here instead of asking with a dialog.
pub const E2E_SAVE_DIR_ENV: &str = "PULSEMAP_E2E_SAVE_DIR";
/// Test hook: the open-file command picks this file instead of asking with a dialog.
pub const E2E_OPEN_FILE_ENV: &str = "PULSEMAP_E2E_OPEN_FILE";

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The data dir: `$PULSEMAP_DATA_DIR`, else `platform_default`.
pub fn data_dir(platform_default: impl FnOnce() -> Option<PathBuf>) -> Option<PathBuf> {
    non_empty_env(DATA_DIR_ENV)
        .map(PathBuf::from)
        .or_else(platform_default)
}

/// The demo data dir under a data dir.
pub fn demo_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("demo")
}

/// The export directory of the e2e test hook, if set.
pub fn e2e_save_dir() -> Option<PathBuf> {
    non_empty_env(E2E_SAVE_DIR_ENV).map(PathBuf::from)
}

/// The file the e2e test hook picks for the open dialog, if set.
pub fn e2e_open_file() -> Option<PathBuf> {
    non_empty_env(E2E_OPEN_FILE_ENV).map(PathBuf::from)
}

/// A file name safe on every platform, derived from a map or survey name.
pub fn safe_file_stem(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let trimmed = cleaned.trim_matches('-');
    let mut out = String::with_capacity(trimmed.len());
    for c in trimmed.chars() {
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    if out.is_empty() {
        "pulsemap".to_owned()
    } else {
        out.chars().take(80).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_are_safe_and_never_empty() {
        assert_eq!(safe_file_stem("Customer onboarding"), "Customer-onboarding");
        assert_eq!(safe_file_stem("a/b\\c: d?"), "a-b-c-d");
        assert_eq!(safe_file_stem("///"), "pulsemap");
        assert_eq!(safe_file_stem(&"x".repeat(200)).len(), 80);
    }

    #[test]
    fn demo_data_lives_apart_from_user_data() {
        let base = Path::new("pm");
        assert_eq!(demo_dir(base), base.join("demo"));
        assert_ne!(demo_dir(base), base);
    }
}
