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

#[tokio::test]
async fn logs_calls_without_secrets() {
    const SECRET: &str = "CLIENTsecretNeverLogged42";
    const BEARER: &str = "BEARERtokenNeverLogged77";
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

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
