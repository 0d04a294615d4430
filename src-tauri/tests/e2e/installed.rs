//! The installed package, end to end: the `pulsemap-app` that `apt-get install` put on this
//! machine (its path in `PULSEMAP_INSTALLED_APP`, set by `scripts/package-test.sh`, which also
//! installs and removes the package) starts in demo mode and paints the sample map.
//!
//! Gated: runs only when both `PULSEMAP_E2E=1` and `PULSEMAP_INSTALLED_APP` are set; otherwise
//! it prints a notice and passes (the rest of the e2e suite tests the freshly built binary).

use std::path::PathBuf;

use super::driver::{shot, Driver, E2eResult};
use super::{enabled, sample_map_paints, screenshots_dir};

fn installed_app() -> Option<PathBuf> {
    std::env::var_os("PULSEMAP_INSTALLED_APP")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn installed_app_paints_the_sample_map() {
    let Some(app) = installed_app().filter(|_| enabled()) else {
        eprintln!("e2e: installed-package test skipped (see scripts/package-test.sh)");
        return;
    };
    if let Err(e) = run(app).await {
        panic!("installed package e2e failed: {e}");
    }
}

async fn run(app: PathBuf) -> E2eResult<()> {
    assert!(
        app.is_absolute() && app.exists(),
        "PULSEMAP_INSTALLED_APP is not an installed binary: {}",
        app.display()
    );
    let shots = screenshots_dir();
    let tmp = tempfile::tempdir()?;
    let data_dir = tmp.path().join("data");
    let driver = Driver::start(&[("PULSEMAP_DATA_DIR", &data_dir)], &[])?;
    let c = driver.session(&app, &["--demo"]).await?;
    let painted = sample_map_paints(&c).await;
    let name = if painted.is_ok() {
        "30-installed-app-sample-map"
    } else {
        "99-failure-installed-app"
    };
    shot(&c, &shots, name).await?;
    painted?;
    c.close().await?;
    Ok(())
}
