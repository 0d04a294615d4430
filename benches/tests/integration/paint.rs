//! The paint children: `paint-seed` builds the two benchmark maps through the facade over a
//! refreshed cache, and `paint` reports app start to the painted 24-card map, the other map
//! and a raw read of the survey's cached rows.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};

use pulsemap_core::app::{Options, Pulsemap};
use pulsemap_core::dto::{AuthInput, ConnectionInput, RefreshMode};
use pulsemap_core::secrets::SecretStore;
use qualtrics::Secret;
use qualtrics_sim::{catalog, SimConfig, SimHandle};
use serde_json::Value;

/// Secrets in memory (a test double of the keychain: the paint children never read it).
#[derive(Default)]
struct MemorySecrets(Mutex<HashMap<String, String>>);

impl std::fmt::Debug for MemorySecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MemorySecrets(***)")
    }
}

impl SecretStore for MemorySecrets {
    fn get(&self, account: &str) -> pulsemap_core::Result<Option<Secret>> {
        Ok(self
            .0
            .lock()
            .unwrap()
            .get(account)
            .cloned()
            .map(Secret::new))
    }
    fn set(&self, account: &str, secret: &Secret) -> pulsemap_core::Result<()> {
        let value = secret.expose().to_string();
        self.0.lock().unwrap().insert(account.to_string(), value);
        Ok(())
    }
    fn delete(&self, account: &str) -> pulsemap_core::Result<()> {
        self.0.lock().unwrap().remove(account);
        Ok(())
    }
}

/// A data dir whose cache holds the simulator's Onboarding survey (`responses` responses).
async fn refreshed_cache(dir: &Path, responses: u64) -> (SimHandle, u64) {
    let sim = SimHandle::start(SimConfig {
        responses,
        export_polls: 0,
        ..Default::default()
    })
    .await
    .unwrap();
    let mut options = Options::new(dir);
    options.allow_loopback = true;
    options.secret_store = Some(Arc::new(MemorySecrets::default()));
    let app = Pulsemap::open(options).unwrap();
    app.save_connection(ConnectionInput {
        base_url: sim.host(),
        auth: AuthInput::ApiToken {
            token: catalog::API_TOKEN.to_string(),
        },
    })
    .await
    .unwrap();
    let report = app
        .refresh_survey(
            &pulsemap_core::SurveyId::parse(catalog::ONBOARDING_SURVEY_ID).unwrap(),
            RefreshMode::Force,
            chrono::Utc::now(),
            &|_| {},
        )
        .await
        .unwrap();
    (sim, u64::from(report.total_responses))
}

fn bench(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pulsemap-bench"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .output()
        .expect("run pulsemap-bench")
}

fn json_of(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("prints JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paint_reports_both_maps_fully_valued_and_the_raw_read_of_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (_sim, cached) = refreshed_cache(dir.path(), 1500).await;
    let data = dir.path().to_path_buf();
    let seeded = json_of(&bench(&["paint-seed"], &data));
    assert_eq!(seeded["cards"], 30, "{seeded}");
    // Seeding again replaces the maps rather than adding two more.
    json_of(&bench(&["paint-seed"], &data));

    for age in [false, true] {
        if age {
            assert!(json_of(&bench(&["paint-seed", "--age"], &data))["aged_s"].is_f64());
        }
        let p = json_of(&bench(&["paint"], &data));
        assert_eq!(p["first"]["cards"], 24, "{p}");
        assert_eq!(p["other"]["cards"], 6, "{p}");
        // Aged values of relative ranges are recomputed before they paint; others never are.
        let recomputed = p["first"]["recomputed"].as_u64().unwrap();
        if age {
            assert_eq!(recomputed, 5, "the five 'last N days' cards: {p}");
            assert_eq!(p["other"]["recomputed"], 1, "{p}");
        } else {
            assert_eq!(recomputed, 0, "{p}");
        }
        let charts = p["first"]["charts"].as_u64().unwrap();
        assert!((15..=24).contains(&charts), "most cards draw a chart: {p}");
        assert!(p["first"]["svg_bytes"].as_u64().unwrap() > 1000 * charts);
        let f = |k: &str| p[k].as_f64().unwrap();
        assert!(
            f("painted_s") > f("facade_open_s") && f("facade_open_s") > 0.0,
            "{p}"
        );
        assert!(f("other_map_s") > 0.0 && f("raw_read_s") > 0.0, "{p}");
        assert_eq!(p["raw_responses"].as_u64(), Some(cached), "{p}");
        assert!(
            p["raw_bytes"].as_u64() > p["raw_compressed_bytes"].as_u64(),
            "{p}"
        );
    }
}

#[test]
fn paint_without_the_benchmark_maps_says_to_seed_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = bench(&["paint"], dir.path());
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("run paint-seed first"), "{err}");
}
