//! Build script: embeds the root `tauri.conf.json` (and `src-tauri/capabilities/`) into the app.
fn main() {
    if let Err(e) = tauri_build::try_build(
        tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*"),
    ) {
        panic!("tauri build step failed: {e:#}");
    }
}
