//! `pulsemap-app` binary: parses `--demo` and hands over to [`pulsemap_app::run`].
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// The CLI's allocator (see `crates/cli/src/main.rs`): a refresh frees on one thread what
/// another allocated.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let demo = std::env::args().skip(1).any(|a| a == "--demo");
    if let Err(e) = pulsemap_app::run(demo) {
        eprintln!("pulsemap: {e:#}");
        std::process::exit(1);
    }
}
