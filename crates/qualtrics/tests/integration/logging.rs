//! Request logging: method, path, status and elapsed time at debug level — never headers,
//! tokens or client secrets.

use std::io::Write;
use std::sync::{Arc, Mutex};

use crate::common::{client_with, mount_always, mount_once, whoami_ok, TOKEN};
use qualtrics::{Credentials, Secret};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

thread_local! {
    /// Where this thread's log lines go (none: dropped).
    static THREAD_CAPTURE: std::cell::RefCell<Option<Captured>> = const { std::cell::RefCell::new(None) };
}

/// Writes a log line to the capture of the thread that logs it.
struct ThreadWriter;

impl Write for ThreadWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        THREAD_CAPTURE.with(|c| match c.borrow_mut().as_mut() {
            Some(captured) => captured.write(buf),
            None => Ok(buf.len()),
        })
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Sends this thread's TRACE-level logs to `captured`. One global subscriber for the whole
/// test binary, not a thread-scoped one: with a scoped subscriber, a call site first reached
/// by another test's thread (no subscriber there) could have its interest cached as "never"
/// and this test would miss its lines (it failed that way about one run in four).
fn capture_this_thread(captured: Captured) {
    static GLOBAL: std::sync::Once = std::sync::Once::new();
    GLOBAL.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(|| ThreadWriter)
            .finish();
        tracing::subscriber::set_global_default(subscriber)
            .expect("no other global subscriber in this test binary");
    });
    THREAD_CAPTURE.with(|c| *c.borrow_mut() = Some(captured));
}

#[tokio::test]
async fn logs_calls_without_secrets() {
    const SECRET: &str = "CLIENTsecretNeverLogged42";
    const BEARER: &str = "BEARERtokenNeverLogged77";
    let captured = Captured::default();
    capture_this_thread(captured.clone());

    let server = MockServer::start().await;
    Mock::given(path("/oauth2/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"access_token": BEARER, "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    mount_once(&server, "/API/v3/whoami", ResponseTemplate::new(503)).await;
    mount_always(&server, "/API/v3/whoami", whoami_ok()).await;
    let oauth = Credentials::OAuth {
        client_id: "cid".into(),
        client_secret: Secret::new(SECRET),
        scope: None,
    };
    client_with(&server.uri(), oauth, 2).whoami().await.unwrap();
    client_with(&server.uri(), Credentials::api_token(TOKEN), 0)
        .whoami()
        .await
        .unwrap();

    let logs = captured.text();
    assert!(
        logs.contains("path=/oauth2/token") && logs.contains("status=200"),
        "{logs}"
    );
    assert!(
        logs.contains("method=GET path=/API/v3/whoami status=503"),
        "{logs}"
    );
    assert!(logs.contains("elapsed_ms="), "{logs}");
    assert!(logs.contains("retrying Qualtrics request"), "{logs}");
    for secret in [
        SECRET,
        BEARER,
        TOKEN,
        "Bearer",
        "x-api-token",
        "authorization",
    ] {
        assert!(
            !logs.to_lowercase().contains(&secret.to_lowercase()),
            "{secret} leaked into logs:\n{logs}"
        );
    }
}
