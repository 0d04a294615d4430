//! The native menu bar (File, Edit, View, Help) and what its items do.
//!
//! Contract:
//! - [`build`] makes the menu; items the UI handles emit the `menu-action` event (or `open-guide`) with a
//!   [`MenuAction`] id (camelCase string) and the UI navigates ([`on_event`]); Edit items and
//!   Quit/Fullscreen/About are Tauri's predefined (native) items.
//! - About shows the app version and the data folder of the user's data.
//! - File has the map-file items (new from template, import, export map file / workshop pack;
//!   the UI exports the map it shows).
//! - Accelerators: Ctrl/Cmd+Shift+N new map from template, Ctrl/Cmd+O import, Ctrl/Cmd+, settings, Ctrl/Cmd+Shift+D debug data, Ctrl/Cmd+Q quit, F1 the
//!   in-app Connecting Qualtrics guide (`open-guide`, payload null), plus the native Edit keys.

use serde::Serialize;
use tauri::menu::{AboutMetadata, Menu, MenuEvent, MenuItem, PredefinedMenuItem, Submenu};
use tauri::{AppHandle, Emitter, Runtime};
use ts_rs::TS;

/// Event the UI listens to.
pub const MENU_ACTION: &str = "menu-action";

/// The actions the UI performs for a menu item (payload of `menu-action`; the item id is the
/// camelCase name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum MenuAction {
    /// Integrations & settings.
    OpenSettings,
    /// Download debug data.
    OpenDebug,
    /// Contact support.
    ContactSupport,
    /// New map from a template.
    NewMapFromTemplate,
    /// Import a map file or workshop pack.
    ImportMapFile,
    /// Export the shown map as a map file.
    ExportMapFile,
    /// Export the shown map as a workshop pack.
    ExportWorkshopPack,
}

impl MenuAction {
    const ALL: [Self; 7] = [
        Self::OpenSettings,
        Self::OpenDebug,
        Self::ContactSupport,
        Self::NewMapFromTemplate,
        Self::ImportMapFile,
        Self::ExportMapFile,
        Self::ExportWorkshopPack,
    ];

    /// The menu item id (the serialised name).
    fn id(self) -> &'static str {
        match self {
            Self::OpenSettings => "openSettings",
            Self::OpenDebug => "openDebug",
            Self::ContactSupport => "contactSupport",
            Self::NewMapFromTemplate => "newMapFromTemplate",
            Self::ImportMapFile => "importMapFile",
            Self::ExportMapFile => "exportMapFile",
            Self::ExportWorkshopPack => "exportWorkshopPack",
        }
    }
}

/// Event of the in-app Connecting Qualtrics guide (payload: a section anchor, or null).
pub const OPEN_GUIDE: &str = "open-guide";

/// Builds the menu bar; `data_dir` is shown in About.
pub fn build<R: Runtime>(app: &AppHandle<R>, data_dir: &str) -> tauri::Result<Menu<R>> {
    let item =
        |id: &str, text: &str, accel: Option<&str>| MenuItem::with_id(app, id, text, true, accel);
    let about = AboutMetadata {
        name: Some("Pulsemap".into()),
        version: Some(env!("CARGO_PKG_VERSION").into()),
        comments: Some(format!("Data folder: {data_dir}")),
        ..Default::default()
    };
    let file = Submenu::with_items(
        app,
        "File",
        true,
        &[
            &item(
                MenuAction::NewMapFromTemplate.id(),
                "New map from template…",
                Some("CmdOrCtrl+Shift+N"),
            )?,
            &item(
                MenuAction::ImportMapFile.id(),
                "Import map file…",
                Some("CmdOrCtrl+O"),
            )?,
            &item(MenuAction::ExportMapFile.id(), "Export map file…", None)?,
            &item(
                MenuAction::ExportWorkshopPack.id(),
                "Export workshop pack…",
                None,
            )?,
            &PredefinedMenuItem::separator(app)?,
            &item(
                MenuAction::OpenSettings.id(),
                "Integrations && settings…",
                Some("CmdOrCtrl+,"),
            )?,
            &item(
                MenuAction::OpenDebug.id(),
                "Download debug data…",
                Some("CmdOrCtrl+Shift+D"),
            )?,
            &PredefinedMenuItem::separator(app)?,
            &PredefinedMenuItem::quit(app, Some("Quit"))?,
        ],
    )?;
    let edit = Submenu::with_items(
        app,
        "Edit",
        true,
        &[
            &PredefinedMenuItem::undo(app, None)?,
            &PredefinedMenuItem::redo(app, None)?,
            &PredefinedMenuItem::separator(app)?,
            &PredefinedMenuItem::cut(app, None)?,
            &PredefinedMenuItem::copy(app, None)?,
            &PredefinedMenuItem::paste(app, None)?,
            &PredefinedMenuItem::select_all(app, None)?,
        ],
    )?;
    let view = Submenu::with_items(
        app,
        "View",
        true,
        &[&PredefinedMenuItem::fullscreen(app, None)?],
    )?;
    let help = Submenu::with_items(
        app,
        "Help",
        true,
        &[
            &item("openGuide", "Connecting Qualtrics guide", Some("F1"))?,
            &item(MenuAction::ContactSupport.id(), "Contact support…", None)?,
            &PredefinedMenuItem::separator(app)?,
            &PredefinedMenuItem::about(app, Some("About Pulsemap"), Some(about))?,
        ],
    )?;
    Menu::with_items(app, &[&file, &edit, &view, &help])
}

/// Forwards the UI's menu items as `menu-action` events (predefined items act natively).
pub fn on_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let id = event.id().as_ref();
    if id == "openGuide" {
        let _ = app.emit(OPEN_GUIDE, None::<String>);
    } else if let Some(action) = MenuAction::ALL.into_iter().find(|a| a.id() == id) {
        let _ = app.emit(MENU_ACTION, action);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_menu_action_serialises_as_its_item_id() {
        for action in MenuAction::ALL {
            assert_eq!(serde_json::to_value(action).unwrap(), action.id());
        }
    }
}
