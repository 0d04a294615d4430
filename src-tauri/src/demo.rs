//! Demo mode: `pulsemap-app --demo` or the `start_demo` command.
//!
//! Contract:
//! - Starts the bundled `qualtrics-sim` in-process on loopback (seed 42, [`DEMO_RESPONSES`]
//!   responses) and keeps it running for the life of the app.
//! - Opens a separate facade on `<data dir>/demo` with the loopback switch on (for this facade
//!   only) and an in-memory secret store: the demo token is the simulator's public constant,
//!   so demo mode never reads or writes the user's keychain entries or data.
//! - Connects through the normal `save_connection` path, then seeds the sample journey map
//!   [`SAMPLE_MAP_NAME`] when no map of that name exists. Calling it again is a no-op that
//!   returns the current status.
//! - [`leave`] makes the user's own data active again and stops the simulator; the demo data
//!   stays in `<data dir>/demo` for the next visit. Leaving outside demo mode is a no-op.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use pulsemap_core::app::{Options, Pulsemap};
use pulsemap_core::dto::{AuthInput, ConnectionInput, ConnectionStatus};
use pulsemap_core::metrics::{
    Calculation, CardType, ChartKind, ChartOptions, DateField, GroupBy, MetricCardConfig,
    TimeBucket,
};
use pulsemap_core::secrets::SecretStore;
use pulsemap_core::{LaneId, MapId, StageId, SurveyId};
use qualtrics::Secret;
use qualtrics_sim::catalog::{
    API_TOKEN, ONBOARDING_CES_QID, ONBOARDING_CSAT_QID, ONBOARDING_NPS_QID, ONBOARDING_PLAN_QID,
    ONBOARDING_SURVEY_ID,
};
use qualtrics_sim::{SimConfig, SimHandle};

use crate::error::{CommandError, CommandResult};
use crate::paths::demo_dir;
use crate::state::AppState;

/// Responses of the demo's main survey.
pub const DEMO_RESPONSES: u64 = 3000;
/// Name of the seeded sample map.
pub const SAMPLE_MAP_NAME: &str = "Customer onboarding";
/// Keychain service name reported for the demo (nothing is written to the OS keychain).
const DEMO_SERVICE: &str = "pulsemap-demo";

/// Secrets of the demo, held in memory only (the simulator's public token).
#[derive(Default)]
struct DemoSecrets(Mutex<HashMap<String, String>>);

impl std::fmt::Debug for DemoSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DemoSecrets(***)")
    }
}

impl SecretStore for DemoSecrets {
    fn get(&self, account: &str) -> pulsemap_core::Result<Option<Secret>> {
        let map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(map.get(account).map(|s| Secret::new(s.clone())))
    }

    fn set(&self, account: &str, secret: &Secret) -> pulsemap_core::Result<()> {
        let mut map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        map.insert(account.to_owned(), secret.expose().to_owned());
        Ok(())
    }

    fn delete(&self, account: &str) -> pulsemap_core::Result<()> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(account);
        Ok(())
    }
}

/// Starts (once) the demo simulator, switches the app to the demo data and connects.
pub async fn start(state: &AppState) -> CommandResult<ConnectionStatus> {
    let mut slot = state.sim().lock().await;
    if slot.is_some() && state.is_demo() {
        return Ok(state.pm().cached_connection_status()?);
    }
    let config = SimConfig {
        seed: 42,
        responses: DEMO_RESPONSES,
        ..SimConfig::default()
    };
    let sim = SimHandle::start(config)
        .await
        .map_err(|e| CommandError::internal(format!("cannot start the demo simulator: {e}")))?;
    let mut options = Options::new(demo_dir(state.user_data_dir()));
    options.allow_loopback = true;
    options.keyring_service = DEMO_SERVICE.to_owned();
    options.secret_store = Some(Arc::new(DemoSecrets::default()));
    // The sample map is built through a facade of its own, so its construction is not in
    // the undo history of the facade the user edits with.
    let seeder = Pulsemap::open(options.clone())?;
    let pm = Pulsemap::open(options)?;
    let input = ConnectionInput {
        base_url: sim.base_url(),
        auth: AuthInput::ApiToken {
            token: API_TOKEN.to_owned(),
        },
    };
    let status = pm.save_connection(input).await?;
    seed_sample_map(&seeder)?;
    drop(seeder);
    state.switch_to_demo(pm);
    *slot = Some(sim);
    Ok(status)
}

/// Leaves demo mode: the user's data is active again (its cached connection status is
/// returned, no network) and the demo simulator is stopped.
pub async fn leave(state: &AppState) -> CommandResult<ConnectionStatus> {
    let mut slot = state.sim().lock().await;
    state.switch_to_user();
    if let Some(sim) = slot.take() {
        sim.shutdown().await;
    }
    Ok(state.pm().cached_connection_status()?)
}

/// Creates the sample map through the facade unless a map named [`SAMPLE_MAP_NAME`] exists;
/// returns its id.
pub fn seed_sample_map(pm: &Pulsemap) -> pulsemap_core::Result<MapId> {
    if let Some(existing) = pm
        .list_maps()?
        .into_iter()
        .find(|m| m.name == SAMPLE_MAP_NAME)
    {
        return Ok(existing.id);
    }
    let mut view = pm.create_map(SAMPLE_MAP_NAME)?;
    let map_id = view.map.id.clone();
    for name in ["Discover", "Sign up", "Onboard", "Use", "Renew"] {
        view = pm.add_stage(&map_id, name)?;
    }
    for name in ["Customer actions", "Touchpoints", "Metrics"] {
        view = pm.add_lane(&map_id, name)?;
    }
    let stages: Vec<StageId> = view.stages.iter().map(|s| s.id.clone()).collect();
    let lanes: Vec<LaneId> = view.lanes.iter().map(|l| l.id.clone()).collect();
    let texts = [
        (0, 0, "Hears about us from a colleague and compares plans"),
        (1, 0, "Creates an account and picks a plan"),
        (2, 0, "Invites teammates and imports first data"),
        (3, 0, "Builds weekly reports"),
        (4, 0, "Decides to renew or upgrade"),
        (0, 1, "Website, pricing page, reviews"),
        (1, 1, "Sign-up form, welcome email"),
        (2, 1, "Onboarding checklist, kickoff call"),
        (3, 1, "In-app help, support chat"),
        (4, 1, "Renewal reminder, account review"),
    ];
    for (stage, lane, text) in texts {
        pm.add_text_card(&map_id, &stages[stage], &lanes[lane], text)?;
    }
    for (stage, config) in [(1, ces_easy()), (2, nps_by_plan()), (3, csat_by_month())] {
        pm.add_metric_card(&map_id, &stages[stage], &lanes[2], &config)?;
    }
    Ok(map_id)
}

fn card(
    name: &str,
    card_type: CardType,
    question: &str,
    calculation: Calculation,
) -> MetricCardConfig {
    MetricCardConfig {
        name: name.to_owned(),
        card_type,
        // The simulator's ids are Qualtrics survey ids (the seeding test checks every card).
        survey_id: SurveyId::parse(ONBOARDING_SURVEY_ID).ok(),
        question_id: question.to_owned(),
        sub_question_id: None,
        group_by: GroupBy::None,
        calculation,
        comparison: None,
        chart: ChartOptions::default(),
        ..Default::default()
    }
}

fn nps_by_plan() -> MetricCardConfig {
    MetricCardConfig {
        group_by: GroupBy::Question {
            question_id: ONBOARDING_PLAN_QID.to_owned(),
        },
        chart: ChartOptions {
            kind: ChartKind::Bar,
            show_n: true,
            decimals: 0,
            ..Default::default()
        },
        ..card(
            "NPS by plan",
            CardType::Number,
            ONBOARDING_NPS_QID,
            Calculation::Nps,
        )
    }
}

fn csat_by_month() -> MetricCardConfig {
    MetricCardConfig {
        group_by: GroupBy::Time {
            bucket: TimeBucket::Month,
            date_field: DateField::EndDate,
        },
        chart: ChartOptions {
            kind: ChartKind::Line,
            show_n: true,
            decimals: 1,
            ..Default::default()
        },
        ..card(
            "CSAT (top-2-box) by month",
            CardType::Series,
            ONBOARDING_CSAT_QID,
            Calculation::CsatTop2,
        )
    }
}

fn ces_easy() -> MetricCardConfig {
    MetricCardConfig {
        chart: ChartOptions {
            kind: ChartKind::None,
            show_n: true,
            decimals: 1,
            ..Default::default()
        },
        ..card(
            "Customer effort (% easy)",
            CardType::Number,
            ONBOARDING_CES_QID,
            Calculation::CesPercentEasy,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulsemap_core::dto::ConnectionState;

    fn open(dir: &std::path::Path) -> Pulsemap {
        let mut options = Options::new(dir);
        options.secret_store = Some(Arc::new(DemoSecrets::default()));
        Pulsemap::open(options).unwrap()
    }

    #[test]
    fn sample_map_has_the_journey_layout_and_metric_cards_once() {
        let dir = tempfile::tempdir().unwrap();
        let pm = open(dir.path());
        let id = seed_sample_map(&pm).unwrap();
        assert_eq!(
            seed_sample_map(&pm).unwrap(),
            id,
            "seeding twice reuses the map"
        );
        assert_eq!(pm.list_maps().unwrap().len(), 1);

        let view = pm.open_map(&id).unwrap();
        let stages: Vec<_> = view.stages.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(stages, ["Discover", "Sign up", "Onboard", "Use", "Renew"]);
        let lanes: Vec<_> = view.lanes.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(lanes, ["Customer actions", "Touchpoints", "Metrics"]);
        let metrics: Vec<_> = view
            .cards
            .iter()
            .filter_map(|c| c.card.metric_config())
            .collect();
        let calcs: Vec<_> = metrics.iter().map(|m| m.calculation).collect();
        assert_eq!(
            calcs,
            [
                Calculation::CesPercentEasy,
                Calculation::Nps,
                Calculation::CsatTop2
            ]
        );
        assert!(metrics
            .iter()
            .all(|m| m.survey_id.as_deref() == Some(ONBOARDING_SURVEY_ID)));
        let metrics_lane = &view.lanes[2].id;
        assert!(view
            .cards
            .iter()
            .filter(|c| c.card.metric_config().is_some())
            .all(|c| &c.card.lane_id == metrics_lane));
        assert_eq!(view.cards.len(), 13);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn demo_mode_can_be_left_and_entered_again_without_touching_user_data() {
        let dir = tempfile::tempdir().unwrap();
        let user = open(dir.path());
        let user_map = user.create_map("My journey").unwrap().map;
        let state = AppState::new(user);

        let status = start(&state).await.unwrap();
        assert_eq!(status.state, ConnectionState::Connected);
        assert!(state.is_demo());
        assert_eq!(state.pm().data_dir(), demo_dir(dir.path()));
        let names = |state: &AppState| -> Vec<String> {
            let maps = state.pm().list_maps().unwrap();
            maps.into_iter().map(|m| m.name).collect()
        };
        assert_eq!(names(&state), [SAMPLE_MAP_NAME]);
        let sample = state.pm().list_maps().unwrap()[0].id.clone();
        let undo = state.pm().map_undo_state(&sample).unwrap();
        assert_eq!(
            undo.undo_steps, 0,
            "seeding is not an edit the user can undo"
        );
        let sim_url = state.sim().lock().await.as_ref().unwrap().base_url();

        let status = leave(&state).await.unwrap();
        assert!(!state.is_demo());
        assert_eq!(state.pm().data_dir(), dir.path());
        assert_eq!(status.state, ConnectionState::NotConfigured);
        assert_eq!(names(&state), ["My journey"]);
        assert!(state.sim().lock().await.is_none(), "simulator stopped");
        let addr = sim_url.trim_start_matches("http://").to_owned();
        let probe = tokio::net::TcpStream::connect(addr).await;
        assert!(probe.is_err(), "the demo simulator no longer listens");
        assert!(state.pm().open_map(&user_map.id).is_ok());
        // Leaving again is a no-op.
        leave(&state).await.unwrap();
        assert!(!state.is_demo());

        // Coming back finds the demo data as it was left (the sample map once).
        start(&state).await.unwrap();
        assert!(state.is_demo());
        assert_eq!(names(&state), [SAMPLE_MAP_NAME]);
        leave(&state).await.unwrap();
    }

    #[test]
    fn demo_secrets_never_print_their_values() {
        let secrets = DemoSecrets::default();
        secrets
            .set("api-token", &Secret::new(API_TOKEN.to_owned()))
            .unwrap();
        assert_eq!(
            secrets.get("api-token").unwrap().unwrap().expose(),
            API_TOKEN
        );
        assert!(!format!("{secrets:?}").contains(API_TOKEN));
        secrets.delete("api-token").unwrap();
        assert!(secrets.get("api-token").unwrap().is_none());
    }
}
