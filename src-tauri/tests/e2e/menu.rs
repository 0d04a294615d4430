//! The native menu bar, seen from outside the webview: WebDriver only screenshots the page and
//! its key events never reach GTK, so this grabs the whole X display with ImageMagick's
//! `import` and opens Help with real key presses (F10 opens the menu bar, Left wraps to Help)
//! through `scripts/x11-keys.py` (XTest).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::driver::E2eResult;

fn grab(shots: &Path, name: &str) -> E2eResult<PathBuf> {
    std::fs::create_dir_all(shots)?;
    let path = shots.join(format!("{name}.png"));
    let status = Command::new("import")
        .args(["-window", "root"])
        .arg(&path)
        .status()?;
    if !status.success() {
        return Err(format!("import -window root failed: {status}").into());
    }
    Ok(path)
}

fn keys(keys: &[&str]) -> E2eResult<()> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/x11-keys.py");
    let status = Command::new(script)
        .args(["800", "500"])
        .args(keys)
        .status()?;
    if !status.success() {
        return Err(format!("x11-keys.py {keys:?} failed: {status}").into());
    }
    Ok(())
}

/// Screenshots the app window with its menu bar, then with the Help menu open; fails if
/// opening the menu changed nothing on screen. Leaves the menu closed.
pub async fn help_menu_screenshots(shots: &Path) -> E2eResult<()> {
    let closed = grab(shots, "13-desktop-window")?;
    keys(&["F10", "Left"])?;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let open = grab(shots, "14-help-menu")?;
    keys(&["Escape", "Escape"])?;
    // `compare` exits 0 when the images are identical pixel for pixel, 1 when they differ.
    let same = Command::new("compare")
        .args(["-metric", "AE"])
        .arg(&closed)
        .arg(&open)
        .arg("null:")
        .output()?;
    match same.status.code() {
        Some(1) => Ok(()),
        Some(0) => {
            Err("F10 + Left did not open the native menu (the screen did not change)".into())
        }
        _ => Err(format!("compare failed: {}", String::from_utf8_lossy(&same.stderr)).into()),
    }
}
