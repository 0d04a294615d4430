//! Map files, workshop packs, duplicates and templates on the [`Pulsemap`] facade.
//!
//! Contract:
//! * [`Pulsemap::export_map_file`] writes a map (or, with `pack`, a workshop pack with every
//!   card's cached value and chart) as a `.pulsemap` file, through the same destination checks
//!   as every export (never into the data dir, never onto a non-regular file).
//! * [`Pulsemap::inspect_map_file`] reads a file without importing it and lists the surveys it
//!   names, each marked visible or not to this install's connection (cached survey list).
//! * [`Pulsemap::import_map_file`] imports it in one transaction: a refused file (see
//!   [`crate::maps::file`]) or a bad choice changes nothing. A workshop pack becomes a
//!   read-only map that paints from its snapshot with no connection at all.
//! * Templates: three built in, plus any map saved with [`Pulsemap::save_map_as_template`]
//!   (files under `<data_dir>/templates/`).

use std::io::Read;
use std::path::{Path, PathBuf};

use super::Pulsemap;
use crate::error::{Error, Result};
use crate::ids::MapId;
use crate::maps::file::{self, MapFile, MapFilePreview, MapImportOptions, MapImportReport};
use crate::maps::templates::{self, MapTemplate};
use crate::maps::{self, MapView};
use crate::store::QuestionRow;

/// Size of each chart SVG stored in a workshop pack.
const PACK_CHART: (u32, u32) = (480, 300);
const TEMPLATE_DIR: &str = "templates";

impl Pulsemap {
    /// Writes the map as a `.pulsemap` file (a workshop pack when `pack`); returns the bytes
    /// written. `overwrite` allows replacing an existing regular file.
    pub fn export_map_file(
        &self,
        map_id: &MapId,
        dest: &Path,
        pack: bool,
        overwrite: bool,
    ) -> Result<u64> {
        let doc = self.map_file(map_id, pack)?;
        let json = serde_json::to_vec_pretty(&doc)?;
        crate::dest::write_export(dest, Some(self.data_dir()), overwrite, |f| {
            std::io::Write::write_all(f, &json)?;
            Ok(())
        })
    }

    /// The map as a [`MapFile`] document (what [`Pulsemap::export_map_file`] writes).
    pub fn map_file(&self, map_id: &MapId, pack: bool) -> Result<MapFile> {
        let view = self.open_map(map_id)?;
        let store = self.store();
        let survey_name = |id: &str| store.get_survey(id).ok().flatten().map(|s| s.name);
        let questions = |id: &str| store.list_questions(id).unwrap_or_default();
        let chart = |card_id: &str| {
            let cv = view.cards.iter().find(|c| c.card.id == card_id)?;
            let config = cv.card.metric_config()?;
            let value = cv.cached_value.as_ref()?;
            crate::charts::render_svg(config, value, PACK_CHART.0, PACK_CHART.1).ok()
        };
        let chart: &dyn Fn(&str) -> Option<String> = &chart;
        Ok(file::build(
            &view,
            &survey_name,
            &questions,
            pack.then_some(chart),
        ))
    }

    /// Reads a map file and says what it holds, without importing it.
    pub fn inspect_map_file(&self, path: &Path) -> Result<MapFilePreview> {
        let doc = read_map_file(path)?;
        let visible = self.visible_surveys()?;
        Ok(file::preview(&doc, &|id| visible.iter().any(|v| v == id)))
    }

    /// Imports a map file or workshop pack as a new map (see the module docs). Replacement
    /// surveys whose questions are not cached yet get their definition fetched first.
    pub async fn import_map_file(
        &self,
        path: &Path,
        options: &MapImportOptions,
    ) -> Result<MapImportReport> {
        let doc = read_map_file(path)?;
        if doc.data_as_of.is_none() {
            for r in &options.replacements {
                let known = self.visible_surveys()?.iter().any(|v| v == r.to.as_str());
                if known && self.survey_questions(&r.to)?.is_empty() {
                    self.load_survey_questions(&r.to).await?;
                }
            }
        }
        self.import_map_doc(&doc, options)
    }

    fn import_map_doc(&self, doc: &MapFile, options: &MapImportOptions) -> Result<MapImportReport> {
        let visible = self.visible_surveys()?;
        let store = self.store();
        let questions =
            |id: &str| -> Vec<QuestionRow> { store.list_questions(id).unwrap_or_default() };
        let plan = file::plan_import(
            doc,
            options,
            &|id| visible.iter().any(|v| v == id),
            &questions,
        )?;
        let id = maps::create_map_with(store, &plan.snapshot, doc.data_as_of)?;
        Ok(MapImportReport {
            map: self.open_map(&id)?,
            unbound_cards: plan.unbound,
            rebound_cards: plan.rebound,
        })
    }

    /// Copies a map (cards and cached values included) under `name`; the copy is editable.
    pub fn duplicate_map(&self, map_id: &MapId, name: &str) -> Result<MapView> {
        let row = maps::duplicate_map(self.store(), map_id, name)?;
        self.open_map(&row.id)
    }

    /// Built-in templates first, then the user's saved ones (unreadable files are skipped).
    pub fn list_map_templates(&self) -> Result<Vec<MapTemplate>> {
        let mut out: Vec<MapTemplate> = templates::builtin().into_iter().map(|(t, _)| t).collect();
        for (t, _) in self.user_templates()? {
            out.push(t);
        }
        Ok(out)
    }

    /// Creates a map from a template. Suggested metric cards come unbound (they ask for a
    /// survey and question when opened); user templates keep the surveys this install sees.
    pub fn create_map_from_template(
        &self,
        template_id: &str,
        name: Option<&str>,
    ) -> Result<MapView> {
        let doc = templates::builtin()
            .into_iter()
            .chain(self.user_templates()?)
            .find(|(t, _)| t.id == template_id)
            .map(|(_, f)| f)
            .ok_or_else(|| Error::not_found(format!("template {template_id} does not exist")))?;
        let mut doc = doc;
        if let Some(name) = name {
            doc.map.name = maps::clean_name(name, "map")?;
        }
        Ok(self.import_map_doc(&doc, &MapImportOptions::default())?.map)
    }

    /// Saves a map's layout and card configs (never its values) as a user template.
    pub fn save_map_as_template(&self, map_id: &MapId, name: &str) -> Result<MapTemplate> {
        let name = maps::clean_name(name, "template")?;
        let mut doc = self.map_file(map_id, false)?;
        doc.map.name = name.clone();
        let dir = self.data_dir().join(TEMPLATE_DIR);
        std::fs::create_dir_all(&dir)?;
        let slug: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .take(40)
            .collect();
        let stem = format!("{slug}-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
        let path = dir.join(format!("{stem}.pulsemap"));
        std::fs::write(&path, serde_json::to_vec_pretty(&doc)?)?;
        Ok(templates::describe(
            format!("user:{stem}"),
            String::new(),
            false,
            &doc,
        ))
    }

    fn user_templates(&self) -> Result<Vec<(MapTemplate, MapFile)>> {
        let dir = self.data_dir().join(TEMPLATE_DIR);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Ok(Vec::new());
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "pulsemap"))
            .collect();
        paths.sort();
        let mut out = Vec::new();
        for p in paths {
            match read_map_file(&p) {
                Ok(doc) => {
                    let stem = p.file_stem().unwrap_or_default().to_string_lossy();
                    out.push((
                        templates::describe(format!("user:{stem}"), String::new(), false, &doc),
                        doc,
                    ));
                }
                Err(e) => tracing::warn!(path = %p.display(), "skipping a template: {e}"),
            }
        }
        Ok(out)
    }

    /// Ids of the surveys this install's connection sees (cached list, not deleted).
    fn visible_surveys(&self) -> Result<Vec<String>> {
        Ok(self
            .store()
            .list_surveys()?
            .into_iter()
            .filter(|s| !s.deleted)
            .map(|s| s.id)
            .collect())
    }
}

/// Reads at most [`file::MAX_FILE_BYTES`] + 1 bytes (a huge file is refused unread) and parses.
fn read_map_file(path: &Path) -> Result<MapFile> {
    let what = format!("the map file {}", path.display());
    let f = std::fs::File::open(path)
        .map_err(|e| Error::not_found(format!("cannot open {what}: {e}")))?;
    if !f.metadata().map(|m| m.is_file()).unwrap_or(false) {
        return Err(Error::invalid(format!("{what} is not a regular file")));
    }
    let mut bytes = Vec::new();
    f.take(file::MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    file::parse(&bytes, &what)
}
