//! Streaming export writer.
//!
//! Contract: [`write_export`] generates responses one at a time over the
//! plan's index range, keeps those matching the plan (not deleted, finished vs
//! in-progress, filter, limit) and streams them into `out` — either inside a
//! zip with the single member `{Survey Name}.{ext}` or raw. Memory use is
//! bounded by one response plus I/O buffers, whatever the response count.
//! Progress (indices scanned) is published through an atomic counter.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufWriter, Seek, Write};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::data::generate::{generate, Answer, Generated};
use crate::data::model::{FilterRule, FilterSpec, SurveySpec};
use crate::data::render::{csv_columns, response_json, Selection};
use crate::export::options::Format;
use crate::state::Edit;
use crate::SimConfig;

/// What one export job writes.
#[derive(Debug, Clone)]
pub struct ExportPlan {
    /// Generator config.
    pub config: SimConfig,
    /// Survey.
    pub spec: &'static SurveySpec,
    /// Index range to scan (already narrowed by date window / continuation).
    pub range: Range<u64>,
    /// Deleted response indices, left out.
    pub deleted: Arc<BTreeSet<u64>>,
    /// Edited responses by index (their edits applied before filtering and writing).
    pub edits: Arc<BTreeMap<u64, Edit>>,
    /// Export only in-progress responses (else only finished ones).
    pub in_progress: bool,
    /// Saved filter.
    pub filter: Option<&'static FilterSpec>,
    /// Maximum number of responses.
    pub limit: Option<u64>,
    /// Field selection.
    pub selection: Selection,
    /// File format.
    pub format: Format,
    /// Labels instead of recodes (CSV/TSV).
    pub use_labels: bool,
    /// Zip the file.
    pub compress: bool,
}

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportOutcome {
    /// Responses written.
    pub written: u64,
    /// Where a continuation of this export resumes (first index not covered).
    pub resume_at: u64,
}

/// Whether a generated response passes a saved filter.
pub fn filter_matches(filter: &FilterSpec, g: &Generated) -> bool {
    match filter.rule {
        FilterRule::Promoters(qid) => {
            matches!(g.answer(qid), Some(Answer::Choice(c)) if c.recode_number() >= 9)
        }
        FilterRule::Embedded(name, value) => g.embedded_value(name) == Some(value),
        FilterRule::Chose(qid, choice) => {
            matches!(g.answer(qid), Some(Answer::Choice(c)) if c.id == choice)
        }
    }
}

impl ExportPlan {
    /// Member / download file name, e.g. `Onboarding Experience.json`.
    pub fn file_name(&self) -> String {
        format!("{}.{}", self.spec.name, self.format.ext())
    }
}

fn csv_cell(value: &str, sep: char) -> String {
    if value.contains(sep) || value.contains('"') || value.contains('\n') || value.contains('\r') {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

fn write_row<W: Write>(
    w: &mut W,
    cells: impl Iterator<Item = String>,
    sep: char,
) -> io::Result<()> {
    let line: Vec<String> = cells.map(|c| csv_cell(&c, sep)).collect();
    w.write_all(line.join(&sep.to_string()).as_bytes())?;
    w.write_all(b"\r\n")
}

fn write_body<W: Write>(
    plan: &ExportPlan,
    w: &mut W,
    progress: &AtomicU64,
) -> io::Result<ExportOutcome> {
    let sep = if plan.format == Format::Tsv {
        '\t'
    } else {
        ','
    };
    let columns = csv_columns(plan.spec, &plan.selection);
    match plan.format {
        Format::Json => w.write_all(b"{\"responses\":[")?,
        Format::Ndjson => {}
        Format::Csv | Format::Tsv => {
            write_row(w, columns.iter().map(|c| c.tag()), sep)?;
            write_row(w, columns.iter().map(|c| c.text()), sep)?;
            write_row(w, columns.iter().map(|c| c.import_id()), sep)?;
        }
    }
    let mut written = 0u64;
    let mut resume_at = plan.range.end;
    for index in plan.range.clone() {
        if plan.limit.is_some_and(|l| written >= l) {
            resume_at = index;
            break;
        }
        progress.store(index - plan.range.start + 1, Ordering::Relaxed);
        if crate::data::timeline::is_in_progress(&plan.config, plan.spec, index) != plan.in_progress
            || plan.deleted.contains(&index)
        {
            continue;
        }
        let mut g = generate(&plan.config, plan.spec, index);
        if let Some(edit) = plan.edits.get(&index) {
            edit.apply(&mut g);
        }
        if plan.filter.is_some_and(|f| !filter_matches(f, &g)) {
            continue;
        }
        match plan.format {
            Format::Json | Format::Ndjson => {
                if plan.format == Format::Json && written > 0 {
                    w.write_all(b",")?;
                }
                serde_json::to_writer(&mut *w, &response_json(&g, &plan.selection))?;
                if plan.format == Format::Ndjson {
                    w.write_all(b"\n")?;
                }
            }
            Format::Csv | Format::Tsv => {
                write_row(w, columns.iter().map(|c| c.value(&g, plan.use_labels)), sep)?
            }
        }
        written += 1;
    }
    if plan.format == Format::Json {
        w.write_all(b"]}")?;
    }
    Ok(ExportOutcome { written, resume_at })
}

/// Write the export file described by `plan` into `out`.
pub fn write_export<W: Write + Seek>(
    plan: &ExportPlan,
    out: W,
    progress: &AtomicU64,
) -> io::Result<ExportOutcome> {
    if plan.compress {
        let mut zip = zip::ZipWriter::new(out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1))
            .large_file(true);
        zip.start_file(plan.file_name(), options)
            .map_err(io::Error::other)?;
        let outcome = {
            let mut w = BufWriter::with_capacity(256 * 1024, &mut zip);
            let outcome = write_body(plan, &mut w, progress)?;
            w.flush()?;
            outcome
        };
        zip.finish().map_err(io::Error::other)?;
        Ok(outcome)
    } else {
        let mut w = BufWriter::with_capacity(256 * 1024, out);
        let outcome = write_body(plan, &mut w, progress)?;
        w.flush()?;
        Ok(outcome)
    }
}
