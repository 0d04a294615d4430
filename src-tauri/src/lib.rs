//! Pulsemap desktop shell (skeleton while the core facade lands).
pub fn run(_demo: bool) -> anyhow::Result<()> {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .run(tauri::generate_context!("../tauri.conf.json"))?;
    Ok(())
}
