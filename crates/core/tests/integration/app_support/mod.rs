//! Shared setup of the facade tests: a simulator on loopback, a Pulsemap in a temp dir, and
//! an in-memory secret store (a test double of the keychain, so these tests also run outside
//! a Secret Service session; the real keychain has its own tests).
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use pulsemap_core::app::{Options, Pulsemap};
use pulsemap_core::dto::{AuthInput, ConnectionInput};
use pulsemap_core::secrets::SecretStore;
use qualtrics::Secret;
use qualtrics_sim::{SimConfig, SimHandle};

/// Secrets in memory (test double only).
#[derive(Default)]
pub struct MemorySecrets {
    map: Mutex<HashMap<String, String>>,
}

impl std::fmt::Debug for MemorySecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MemorySecrets(***)")
    }
}

impl MemorySecrets {
    /// The secret of `account` in any data dir (`account` or `account:<keychain id>`).
    pub fn raw(&self, account: &str) -> Option<String> {
        let keyed = format!("{account}:");
        let map = self.map.lock().unwrap();
        let mut found = map
            .iter()
            .filter(|(k, _)| *k == account || k.starts_with(&keyed));
        let first = found.next().map(|(_, v)| v.clone());
        assert!(found.next().is_none(), "several entries for {account}");
        first
    }
    /// Every account name stored.
    pub fn accounts(&self) -> Vec<String> {
        self.map.lock().unwrap().keys().cloned().collect()
    }
    /// Stores `value` under exactly `account` (e.g. an entry written by an older version).
    pub fn put(&self, account: &str, value: &str) {
        self.map
            .lock()
            .unwrap()
            .insert(account.to_string(), value.to_string());
    }
    pub fn is_empty(&self) -> bool {
        self.map.lock().unwrap().is_empty()
    }
}

impl SecretStore for MemorySecrets {
    fn get(&self, account: &str) -> pulsemap_core::Result<Option<Secret>> {
        Ok(self
            .map
            .lock()
            .unwrap()
            .get(account)
            .map(|s| Secret::new(s.clone())))
    }
    fn set(&self, account: &str, secret: &Secret) -> pulsemap_core::Result<()> {
        self.map
            .lock()
            .unwrap()
            .insert(account.to_string(), secret.expose().to_string());
        Ok(())
    }
    fn delete(&self, account: &str) -> pulsemap_core::Result<()> {
        self.map.lock().unwrap().remove(account);
        Ok(())
    }
}

pub struct TestApp {
    pub sim: SimHandle,
    pub app: Pulsemap,
    pub secrets: Arc<MemorySecrets>,
    pub dir: tempfile::TempDir,
}

pub async fn start_sim() -> SimHandle {
    SimHandle::start(SimConfig {
        ..Default::default()
    })
    .await
    .expect("simulator starts")
}

pub fn open_app(dir: &std::path::Path, secrets: Arc<MemorySecrets>) -> Pulsemap {
    let mut options = Options::new(dir);
    options.allow_loopback = true;
    options.secret_store = Some(secrets);
    Pulsemap::open(options).expect("open app")
}

pub fn token_input(host: &str, token: &str) -> ConnectionInput {
    ConnectionInput {
        base_url: host.to_string(),
        auth: AuthInput::ApiToken {
            token: token.to_string(),
        },
    }
}

pub fn oauth_input(host: &str, client_id: &str, client_secret: &str) -> ConnectionInput {
    ConnectionInput {
        base_url: host.to_string(),
        auth: AuthInput::OAuth {
            client_id: client_id.to_string(),
            client_secret: client_secret.to_string(),
        },
    }
}

/// A simulator plus an app connected with the main API token.
pub async fn connected() -> TestApp {
    let sim = start_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecrets::default());
    let app = open_app(dir.path(), secrets.clone());
    app.save_connection(token_input(&sim.host(), qualtrics_sim::catalog::API_TOKEN))
        .await
        .expect("connect with the simulator's API token");
    TestApp {
        sim,
        app,
        secrets,
        dir,
    }
}

/// Every byte of every file under `dir` (recursively).
pub fn all_bytes_under(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                out.push((path, bytes));
            }
        }
    }
    out
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A Number card named "card" with default chart options and no comparison.
pub fn number_card(
    survey_id: &str,
    question_id: &str,
    calculation: pulsemap_core::metrics::Calculation,
    group_by: pulsemap_core::metrics::GroupBy,
) -> pulsemap_core::metrics::MetricCardConfig {
    pulsemap_core::metrics::MetricCardConfig {
        name: "card".into(),
        card_type: pulsemap_core::metrics::CardType::Number,
        survey_id: Some(crate::sv(survey_id)),
        question_id: question_id.into(),
        sub_question_id: None,
        group_by,
        calculation,
        comparison: None,
        chart: Default::default(),
        ..Default::default()
    }
}

/// Like [`number_card`], but a Series card when grouped by time (what the card modal makes).
pub fn card_by_grouping(
    survey_id: &str,
    question_id: &str,
    calculation: pulsemap_core::metrics::Calculation,
    group_by: pulsemap_core::metrics::GroupBy,
) -> pulsemap_core::metrics::MetricCardConfig {
    use pulsemap_core::metrics::{CardType, GroupBy, MetricCardConfig};
    let card_type = if matches!(group_by, GroupBy::Time { .. }) {
        CardType::Series
    } else {
        CardType::Number
    };
    MetricCardConfig {
        card_type,
        ..number_card(survey_id, question_id, calculation, group_by)
    }
}

/// `target/chart-previews/` (created), where chart and map tests leave images to look at.
pub fn preview_dir() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/chart-previews");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A Number card: CSAT (top-2 box) of the support survey's CSAT question.
pub fn support_csat_card() -> pulsemap_core::metrics::MetricCardConfig {
    use pulsemap_core::metrics::{Calculation, GroupBy, MetricCardConfig};
    MetricCardConfig {
        name: "Support CSAT".into(),
        ..number_card(
            qualtrics_sim::catalog::SUPPORT_SURVEY_ID,
            qualtrics_sim::catalog::SUPPORT_CSAT_QID,
            Calculation::CsatTop2,
            GroupBy::None,
        )
    }
}
