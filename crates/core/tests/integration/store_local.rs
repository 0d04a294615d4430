//! Local-disk problems get specific messages naming the path and the fix: a data dir that is
//! a file, a database from a newer Pulsemap, a read-only data dir (still readable) and a full
//! disk. The last two run in a child test process inside a private user + mount namespace
//! (`unshare -rm`) on a small tmpfs, so they behave the same for root and other users and
//! touch nothing outside.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use crate::app_support::*;
use pulsemap_core::app::{Options, Pulsemap, DB_FILE};
use pulsemap_core::ErrorKind;

const CHILD_ENV: &str = "PULSEMAP_LOCAL_TEST_DIR";

fn open(dir: &Path) -> pulsemap_core::Result<Pulsemap> {
    let mut options = Options::new(dir);
    options.secret_store = Some(Arc::new(MemorySecrets::default()));
    Pulsemap::open(options)
}

#[test]
fn a_data_dir_that_is_a_file_is_named_with_the_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("pulsemap-data");
    std::fs::write(&file, b"not a directory").unwrap();
    let err = open(&file).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Storage, "{err}");
    let msg = err.message();
    assert!(msg.contains(&file.display().to_string()), "{msg}");
    assert!(msg.contains("is a file, not a directory"), "{msg}");
    assert!(msg.contains("--data-dir"), "{msg}");
    assert_eq!(std::fs::read(&file).unwrap(), b"not a directory");
}

#[test]
fn a_database_from_a_newer_pulsemap_is_refused_and_left_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let app = open(tmp.path()).unwrap();
    let known = app.store().schema_version().unwrap();
    drop(app);
    let db = tmp.path().join(DB_FILE);
    let newer = known + 3;
    rusqlite::Connection::open(&db)
        .unwrap()
        .pragma_update(None, "user_version", newer)
        .unwrap();
    let err = open(tmp.path()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Storage, "{err}");
    let msg = err.message();
    assert!(msg.contains("newer Pulsemap"), "{msg}");
    assert!(msg.contains(&db.display().to_string()), "{msg}");
    assert!(msg.contains(&format!("schema version {newer}")), "{msg}");
    let version: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, newer);
}

/// Runs `child` in this test binary inside `unshare -rm` with a fresh directory.
fn run_in_namespace(child: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "--"])
        .arg(std::env::current_exe().unwrap())
        .args(["--exact", child, "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, tmp.path())
        .output()
        .expect("these tests need `unshare` (util-linux) and user namespaces");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("CHILD_DONE"),
        "child {child} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn mount(args: &[&str]) {
    let status = Command::new("mount").args(args).status().unwrap();
    assert!(status.success(), "mount {args:?}");
}

/// The tmpfs mount point when running as the namespaced child.
fn child_dir() -> Option<std::path::PathBuf> {
    std::env::var_os(CHILD_ENV).map(Into::into)
}

#[test]
fn a_read_only_data_dir_still_shows_cached_data_and_says_why_it_cannot_save() {
    if child_dir().is_none() {
        run_in_namespace("store_local::child_read_only_data_dir");
    }
}

#[test]
fn child_read_only_data_dir() {
    let Some(root) = child_dir() else { return };
    let root = root.to_str().unwrap();
    mount(&["-t", "tmpfs", "-o", "size=16m", "tmpfs", root]);
    let data = Path::new(root).join("data");
    let app = open(&data).unwrap();
    app.create_map("Journey").unwrap();
    drop(app);
    mount(&["-o", "remount,ro", root]);

    let app = open(&data).unwrap_or_else(|e| panic!("a read-only data dir must open: {e}"));
    let maps = app.list_maps().unwrap();
    assert!(maps.iter().any(|m| m.name == "Journey"), "{maps:?}");
    let err = app.create_map("Another").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Storage, "{err}");
    let msg = err.message();
    assert!(msg.contains(&data.display().to_string()), "{msg}");
    assert!(msg.contains("read-only"), "{msg}");
    assert!(msg.contains("writable"), "{msg}");
    println!("CHILD_DONE");
}

#[test]
fn a_full_disk_is_named_with_the_fix_and_loses_nothing() {
    if child_dir().is_none() {
        run_in_namespace("store_local::child_full_disk");
    }
}

#[test]
fn child_full_disk() {
    let Some(root) = child_dir() else { return };
    let root_str = root.to_str().unwrap();
    mount(&["-t", "tmpfs", "-o", "size=2m", "tmpfs", root_str]);
    let data = root.join("data");
    let app = open(&data).unwrap();
    app.create_map("Kept").unwrap();
    // Fill the disk.
    let filler = root.join("filler");
    let mut file = std::fs::File::create(&filler).unwrap();
    let chunk = vec![0u8; 16 * 1024];
    while std::io::Write::write_all(&mut file, &chunk).is_ok() {}
    drop(file);
    let name = "n".repeat(2000);
    let err = (0..5000)
        .find_map(|_| app.create_map(&name).err())
        .expect("a full disk makes a write fail");
    assert_eq!(err.kind(), ErrorKind::Storage, "{err}");
    let msg = err.message();
    assert!(msg.contains(&data.display().to_string()), "{msg}");
    assert!(msg.contains("full"), "{msg}");
    assert!(msg.contains("Free some space"), "{msg}");
    // Space freed: it works again, and nothing saved before was lost.
    std::fs::remove_file(&filler).unwrap();
    app.create_map("After").unwrap();
    let maps = app.list_maps().unwrap();
    assert!(maps.iter().any(|m| m.name == "Kept"), "{maps:?}");
    assert_eq!(app.store().integrity_check().unwrap(), "ok");
    println!("CHILD_DONE");
}
