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
    /// Starts `tauri-driver` on a free port pair (native driver on `port + 1`) with `envs`
    /// added to the environment the app inherits.
    pub fn start(envs: &[(&str, &Path)], extra: &[(&str, &str)]) -> E2eResult<Self> {
        let port = free_port_pair()?;
        let native_port = port + 1;
        let mut cmd = Command::new(tauri_driver_path());
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
        for (k, v) in envs {
            cmd.env(k, v);
        }
        for (k, v) in extra {
            cmd.env(k, v);
        }
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot start tauri-driver: {e}"))?;
        let driver = Self { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        while !(accepts(port) && accepts(native_port)) {
            if Instant::now() > deadline {
                return Err(format!(
                    "tauri-driver did not open ports {port}/{native_port} in 20 s"
                )
                .into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(driver)
    }

    /// Launches the app with `args` and opens a WebDriver session on its main window.
    pub async fn session(&self, app: &Path, args: &[&str]) -> E2eResult<Client> {
        let mut caps = Map::new();
        caps.insert("browserName".into(), json!("wry"));
        caps.insert(
            "tauri:options".into(),
            json!({ "application": app, "args": args }),
        );
        let url = format!("http://127.0.0.1:{}", self.port);
        let mut last = String::new();
        for _ in 0..5 {
            match ClientBuilder::native()
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
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
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-TERM", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port `p` such that `p` and `p + 1` are both free on loopback (never 4444/4445, which a
/// developer's own tauri-driver may hold).
fn free_port_pair() -> E2eResult<u16> {
    for _ in 0..50 {
        let probe = std::net::TcpListener::bind("127.0.0.1:0")?;
        let port = probe.local_addr()?.port();
        if port < u16::MAX && std::net::TcpListener::bind(("127.0.0.1", port + 1)).is_ok() {
            return Ok(port);
        }
    }
    Err("no free pair of loopback ports".into())
}

fn accepts(port: u16) -> bool {
    TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(200)).is_ok()
}

/// `tauri-driver` from `$CARGO_HOME/bin`, else PATH (scripts/e2e.sh puts cargo's bin on it).
fn tauri_driver_path() -> PathBuf {
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        let p = PathBuf::from(home).join("bin/tauri-driver");
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
    match c
        .execute(
            "return document.body ? document.body.innerText : '';",
            vec![],
        )
        .await
    {
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
            return Err(format!(
                "`{css}` not visible after {WAIT:?}; page:\n{}",
                page_text(c).await
            )
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

/// Clicks the element with test id `id` through the DOM (for visually hidden inputs such as
/// styled radio buttons, which WebDriver does not consider interactable).
pub async fn dom_click(c: &Client, id: &str) -> E2eResult<()> {
    let script =
        "const e = document.querySelector(arguments[0]); if (e) { e.click(); } return !!e;";
    let deadline = Instant::now() + WAIT;
    while c.execute(script, vec![json!(tid(id))]).await? != Value::Bool(true) {
        if Instant::now() > deadline {
            return Err(format!("`{id}` never appeared; page:\n{}", page_text(c).await).into());
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    Ok(())
}

/// Waits for a `role=option` (combobox entry) containing `label` and clicks it.
pub async fn pick_option(c: &Client, label: &str) -> E2eResult<()> {
    let xpath = format!("//*[@role='option'][contains(., '{label}')]");
    let deadline = Instant::now() + WAIT;
    loop {
        if let Ok(el) = c.find(Locator::XPath(&xpath)).await {
            if el.click().await.is_ok() {
                return Ok(());
            }
        }
        if Instant::now() > deadline {
            return Err(format!("no option {label:?}; page:\n{}", page_text(c).await).into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Waits for the test id, clears it and types `text`.
pub async fn fill(c: &Client, id: &str, text: &str) -> E2eResult<()> {
    let el = visible(c, &tid(id)).await?;
    el.clear().await?;
    el.send_keys(text).await?;
    Ok(())
}

/// Waits until `<select>` `id` offers `value` (options load asynchronously), then picks it.
pub async fn select_value(c: &Client, id: &str, value: &str) -> E2eResult<()> {
    let option = format!("{} option[value=\"{value}\"]", tid(id));
    let deadline = Instant::now() + WAIT;
    while c.find(Locator::Css(&option)).await.is_err() {
        if Instant::now() > deadline {
            return Err(format!("`{option}` never appeared; page:\n{}", page_text(c).await).into());
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    let el = visible(c, &tid(id)).await?;
    el.select_by_value(value).await?;
    Ok(())
}

/// innerText of every element matching `css` (rendered text, as a person reads it).
pub async fn texts(c: &Client, css: &str) -> Vec<String> {
    let script =
        "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.innerText);";
    match c.execute(script, vec![json!(css)]).await {
        Ok(Value::Array(items)) => items
            .into_iter()
            .map(|v| v.as_str().unwrap_or_default().trim().to_owned())
            .collect(),
        _ => Vec::new(),
    }
}

/// Fails unless no element has test id `id` now (`what` says why it must be absent).
pub async fn absent(c: &Client, id: &str, what: &str) -> E2eResult<()> {
    if texts(c, &tid(id)).await.is_empty() {
        Ok(())
    } else {
        Err(format!("`{id}` is shown: {what}").into())
    }
}

/// Waits until the text of some element matching `css` satisfies `pred`; returns that text.
pub async fn text_until(
    c: &Client,
    css: &str,
    what: &str,
    pred: impl Fn(&str) -> bool,
) -> E2eResult<String> {
    let deadline = Instant::now() + WAIT;
    loop {
        let found = texts(c, css).await;
        if let Some(t) = found.iter().find(|t| pred(t)) {
            return Ok(t.clone());
        }
        if Instant::now() > deadline {
            return Err(format!(
                "`{css}` never showed {what} (texts {found:?}); page:\n{}",
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
