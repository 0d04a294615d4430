//! Where an export may be written, and writing it there safely.
//!
//! Contract: [`write_export`] writes a file the user named (debug zip, map PNG/PDF) through a
//! temporary file in the destination directory renamed into place, after
//! [`check_destination`] refused:
//! - any path inside the data dir (the live database, its `-wal`/`-shm` files and whatever
//!   else lives there), symbolic links included (the path is resolved first);
//! - an existing destination that is not a regular file (a directory, a device such as
//!   `/dev/sda`, a FIFO, a socket);
//! - an existing regular file unless the caller passed `overwrite` (the CLI's `--force`, or a
//!   save dialog that already asked the user to confirm the replacement).
//!
//! Without `overwrite` the final rename refuses to replace a file that appeared meanwhile.
//! Every refusal is [`ErrorKind::InvalidInput`] naming the path and what to do.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Refuses `dest` when writing there could destroy data; see the module docs.
pub fn check_destination(dest: &Path, data_dir: Option<&Path>, overwrite: bool) -> Result<()> {
    let shown = dest.display();
    if dest.file_name().is_none() {
        return Err(Error::invalid(format!(
            "{shown} does not name a file; give a file name such as debug.zip"
        )));
    }
    let existing = match std::fs::metadata(dest) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(Error::invalid(format!(
                "cannot use {shown} as the export destination: {e}"
            )))
        }
    };
    if let Some(data_dir) = data_dir.and_then(|d| d.canonicalize().ok()) {
        if resolved(dest).is_some_and(|p| p.starts_with(&data_dir)) {
            return Err(Error::invalid(format!(
                "{shown} is inside Pulsemap's data dir ({}), which holds the live database; \
                 save the export somewhere else, e.g. your Downloads folder",
                data_dir.display()
            )));
        }
    }
    match existing {
        Some(meta) if !meta.is_file() => Err(Error::invalid(format!(
            "{shown} exists and is not a regular file ({}); give the path of a new file",
            if meta.is_dir() {
                "a directory"
            } else {
                "a device, pipe or socket"
            }
        ))),
        Some(_) if !overwrite => Err(Error::invalid(format!(
            "{shown} already exists; choose another file name, or confirm replacing it \
             (--force on the command line)"
        ))),
        _ => Ok(()),
    }
}

/// The absolute path `dest` would be written at, symbolic links resolved (`None` when its
/// directory does not exist yet: it is then not inside an existing data dir either).
fn resolved(dest: &Path) -> Option<PathBuf> {
    if let Ok(path) = dest.canonicalize() {
        return Some(path);
    }
    let parent = match dest.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some(parent.canonicalize().ok()?.join(dest.file_name()?))
}

/// Checks `dest` ([`check_destination`]) and writes it atomically with `write`.
pub fn write_export(
    dest: &Path,
    data_dir: Option<&Path>,
    overwrite: bool,
    write: impl FnOnce(&mut std::fs::File) -> Result<()>,
) -> Result<u64> {
    check_destination(dest, data_dir, overwrite)?;
    let dir = match dest.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)?;
    write(tmp.as_file_mut())?;
    tmp.as_file_mut().flush()?;
    let persisted = if overwrite {
        tmp.persist(dest)
    } else {
        tmp.persist_noclobber(dest)
    };
    persisted.map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            Error::invalid(format!(
                "{} appeared while the export was written; nothing was replaced",
                dest.display()
            ))
        } else {
            Error::from(e.error)
        }
    })?;
    Ok(std::fs::metadata(dest)?.len())
}
