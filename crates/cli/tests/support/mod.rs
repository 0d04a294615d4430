//! Running the `pulsemap` binary from a test: on its own data dir and keychain service, with
//! loopback hosts allowed (the simulator) and no credential taken from the environment.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `pulsemap ARGS` on `dir` with `stdin` written to it, and waits for it.
pub fn run_pulsemap(dir: &Path, service: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pulsemap"))
        .arg("--data-dir")
        .arg(dir)
        .args(["--keyring-service", service, "--dev-allow-loopback"])
        .args(args)
        .env_remove("PULSEMAP_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn pulsemap");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}
