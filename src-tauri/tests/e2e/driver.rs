//! The WebDriver side of the end-to-end tests: starts `tauri-driver` (which drives the real
//! `pulsemap-app` binary through WebKitWebDriver), opens fantoccini sessions on it, and offers
//! small waiting/screenshot helpers.
//!
//! Contract: [`Driver::start`] returns only once both tauri-driver (4444) and its native
//! WebKitWebDriver child (4445) accept connections; dropping the [`Driver`] kills the process
//! group it started. Every wait has a deadline and fails with the page's visible text so a
//! red test says what was on screen.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Map, Value};

/// Result type of the e2e helpers.
pub type E2eResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// How long any single UI condition may take.
pub const WAIT: Duration = Duration::from_secs(30);

/// A running tauri-driver.
pub struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    /// Starts `tauri-driver` on `port` (native driver on `port + 1`) with `envs` added to the
    /// environment the app inherits.
    pub fn start(port: u16, envs: &[(&str, &Path)], extra: &[(&str, &str)]) -> E2eResult<Self> {
        let native_port = port + 1;
        let mut cmd = Command::new(tauri_driver_path());
        cmd.args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        for (k, v) in envs {
            cmd.env(k, v);
        }
        for (k, v) in extra {
            cmd.env(k, v);
        }
        let child = cmd.spawn().map_err(|e| format!("cannot start tauri-driver: {e}"))?;
        let driver = Self { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        while !(accepts(port) && accepts(native_port)) {
            if Instant::now() > deadline {
                return Err("tauri-driver did not open ports 4444/4445 within 20 s".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(driver)
    }

    /// Launches the app and opens a WebDriver session on its main window.
    pub async fn session(&self, app: &Path) -> E2eResult<Client> {
        let mut caps = Map::new();
        caps.insert("browserName".into(), json!("wry"));
        caps.insert("tauri:options".into(), json!({ "application": app }));
        let url = format!("http://127.0.0.1:{}", self.port);
        let mut last = String::new();
        for _ in 0..5 {
            match ClientBuilder::rustls()?.capabilities(caps.clone()).connect(&url).await {
                Ok(c) => return Ok(c),
                Err(e) => {
                    last = e.to_string();
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            }
        }
        Err(format!("cannot open a WebDriver session: {last}").into())
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn accepts(port: u16) -> bool {
    TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(200)).is_ok()
}

/// `tauri-driver` from PATH or `~/.cargo/bin`.
fn tauri_driver_path() -> PathBuf {
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        let p = PathBuf::from(home).join("bin/tauri-driver");
        if p.exists() {
            return p;
        }
    }
    if let Some(home) = std::env::var_os("HOME") {
        let p = PathBuf::from(home).join(".cargo/bin/tauri-driver");
        if p.exists() {
            return p;
        }
    }
    PathBuf::from("tauri-driver")
}

/// CSS locator of a `data-testid`.
pub fn tid(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

/// Visible text of the whole page (for failure messages).
pub async fn page_text(c: &Client) -> String {
    match c.execute("return document.body ? document.body.innerText : '';", vec![]).await {
        Ok(Value::String(s)) => s.chars().take(2000).collect(),
        Ok(other) => other.to_string(),
        Err(e) => format!("<page text unavailable: {e}>"),
    }
}

/// Waits until an element matching `css` exists and is displayed.
pub async fn visible(c: &Client, css: &str) -> E2eResult<Element> {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Ok(found) = c.find_all(Locator::Css(css)).await {
            for el in found {
                if el.is_displayed().await.unwrap_or(false) {
                    return Ok(el);
                }
            }
        }
        if Instant::now() > deadline {
            return Err(format!("`{css}` not visible after {WAIT:?}; page:\n{}", page_text(c).await)
                .into());
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Waits for the test id and clicks it.
pub async fn click(c: &Client, id: &str) -> E2eResult<()> {
    visible(c, &tid(id)).await?.click().await?;
    Ok(())
}

/// Waits for the test id, clears it and types `text`.
pub async fn fill(c: &Client, id: &str, text: &str) -> E2eResult<()> {
    let el = visible(c, &tid(id)).await?;
    el.clear().await?;
    el.send_keys(text).await?;
    Ok(())
}

/// Picks the `<option>` whose value is `value` in the `<select>` with test id `id`.
pub async fn select_value(c: &Client, id: &str, value: &str) -> E2eResult<()> {
    let el = visible(c, &tid(id)).await?;
    el.select_by_value(value).await?;
    Ok(())
}

/// Waits until the element's text satisfies `pred`; returns that text.
pub async fn text_until(
    c: &Client,
    css: &str,
    what: &str,
    pred: impl Fn(&str) -> bool,
) -> E2eResult<String> {
    let deadline = Instant::now() + WAIT;
    let mut last = String::new();
    loop {
        if let Ok(el) = c.find(Locator::Css(css)).await {
            if let Ok(t) = el.text().await {
                if pred(&t) {
                    return Ok(t);
                }
                last = t;
            }
        }
        if Instant::now() > deadline {
            return Err(format!(
                "`{css}` never showed {what} (last text {last:?}); page:\n{}",
                page_text(c).await
            )
            .into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Saves a screenshot of the window to `dir/NN-name.png`.
pub async fn shot(c: &Client, dir: &Path, name: &str) -> E2eResult<PathBuf> {
    let png = c.screenshot().await?;
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, png)?;
    Ok(path)
}
