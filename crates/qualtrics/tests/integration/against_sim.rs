//! The whole client against the simulator over loopback HTTP: identity, paging,
//! definitions, filters, exports (progress, continuation, in-progress), OAuth and every
//! fault switch.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::{client_with, fast_poll};
use qualtrics::{
    BaseUrl, Client, Credentials, ErrorKind, ExportPhase, ExportRequest, HostPolicy, Secret,
};
use qualtrics_sim::catalog::{
    API_TOKEN, FILTER_PROMOTERS_ID, NO_SURVEYS_TOKEN, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET,
    ONBOARDING_CSAT_QID, ONBOARDING_NPS_QID, ONBOARDING_SURVEY_ID,
};
use qualtrics_sim::{SimConfig, SimHandle};

const RESPONSES: u64 = 240;

async fn sim(config: SimConfig) -> SimHandle {
    SimHandle::start(SimConfig {
        responses: RESPONSES,
        page_size: 2,
        export_polls: 2,
        ..config
    })
    .await
    .expect("simulator starts")
}

fn token_client(sim: &SimHandle) -> Client {
    client_with(&sim.host(), Credentials::api_token(API_TOKEN), 4)
}

fn oauth_client(sim: &SimHandle) -> Client {
    client_with(
        &sim.host(),
        Credentials::OAuth {
            client_id: OAUTH_CLIENT_ID.into(),
            client_secret: Secret::new(OAUTH_CLIENT_SECRET),
            scope: Some("read:surveys read:survey_responses".into()),
        },
        4,
    )
}

struct Exported {
    summary: qualtrics::ExportSummary,
    responses: Vec<qualtrics::ExportedResponse>,
    phases: Vec<ExportPhase>,
}

async fn export(client: &Client, request: &ExportRequest) -> Result<Exported, qualtrics::Error> {
    let phases = Arc::new(Mutex::new(Vec::new()));
    let sink = phases.clone();
    let mut responses = Vec::new();
    let summary = client
        .export_responses(
            ONBOARDING_SURVEY_ID,
            request,
            move |p| sink.lock().unwrap().push(p.phase),
            |r| {
                responses.push(r);
                Ok(())
            },
        )
        .await?;
    let phases = phases.lock().unwrap().clone();
    Ok(Exported {
        summary,
        responses,
        phases,
    })
}

#[tokio::test]
async fn qualtrics_only_policy_refuses_the_simulator_host() {
    let sim = sim(SimConfig::default()).await;
    let err = BaseUrl::parse(&sim.host(), HostPolicy::QualtricsOnly).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidBaseUrl);
    let err = BaseUrl::parse(&sim.base_url(), HostPolicy::QualtricsOnly).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidBaseUrl);
    assert_eq!(sim.request_count(), 0);
}

#[tokio::test]
async fn whoami_paging_definitions_and_filters() {
    let sim = sim(SimConfig::default()).await;
    let client = token_client(&sim);
    let me = client.whoami().await.unwrap();
    assert!(me.user_id.starts_with("UR_"));
    assert_eq!(me.datacenter.as_deref(), Some("iad1"));

    let pages: Vec<_> = futures::StreamExt::collect::<Vec<_>>(client.survey_pages()).await;
    assert!(pages.len() >= 2, "page size 2 must give several pages");
    let surveys = client.list_surveys().await.unwrap();
    let ids: BTreeSet<_> = surveys.iter().map(|s| s.id.clone()).collect();
    assert_eq!(ids.len(), surveys.len(), "no survey twice across pages");
    assert!(ids.contains(ONBOARDING_SURVEY_ID));
    let per_page: usize = pages
        .iter()
        .map(|p| p.as_ref().unwrap().elements.len())
        .sum();
    assert_eq!(per_page, surveys.len());

    let def = client
        .survey_definition(ONBOARDING_SURVEY_ID)
        .await
        .unwrap();
    assert_eq!(def.survey_id, ONBOARDING_SURVEY_ID);
    let nps = &def.questions[ONBOARDING_NPS_QID];
    assert!(!nps.choices.is_empty());
    let csat = &def.questions[ONBOARDING_CSAT_QID];
    assert!(
        csat.choices.iter().any(|c| !c.analyze),
        "the Don't-know choice is not analysed"
    );
    assert!(!def.questions_in_order().is_empty());
    assert!(def.raw.is_object());

    let legacy = client.legacy_survey(ONBOARDING_SURVEY_ID).await.unwrap();
    assert_eq!(legacy.id, ONBOARDING_SURVEY_ID);
    assert!(legacy.questions.contains_key(ONBOARDING_NPS_QID));

    let filters = client.filters(ONBOARDING_SURVEY_ID).await.unwrap();
    assert!(filters.iter().any(|f| f.filter_id == FILTER_PROMOTERS_ID));

    let nobody = client_with(&sim.host(), Credentials::api_token(NO_SURVEYS_TOKEN), 1);
    assert!(nobody.list_surveys().await.unwrap().is_empty());

    let err = client
        .survey_definition("SV_doesNotExist1")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
}

#[tokio::test]
async fn export_with_progress_then_continuation_returns_exactly_the_new_responses() {
    let sim = sim(SimConfig::default()).await;
    let client = token_client(&sim);
    let first = export(&client, &ExportRequest::new().allow_continuation(true))
        .await
        .unwrap();
    let total = sim.response_count(ONBOARDING_SURVEY_ID).unwrap();
    let finished = finished_between(&sim, 0, total);
    assert!(
        finished > 0 && finished < total,
        "the seed has both finished and unfinished responses"
    );
    assert_eq!(
        first.summary.responses, finished,
        "a default export has the finished responses"
    );
    assert_eq!(first.responses.len() as u64, finished);
    let token = first
        .summary
        .continuation_token
        .clone()
        .expect("a continuation token");
    assert!(first.summary.http_requests >= 4, "start, polls, file");
    assert!(first
        .phases
        .iter()
        .any(|p| matches!(p, ExportPhase::Exporting { .. })));
    assert!(first
        .phases
        .iter()
        .any(|p| matches!(p, ExportPhase::Downloading { bytes } if *bytes > 0)));
    assert_eq!(
        first.phases.last(),
        Some(&ExportPhase::Parsing {
            responses: finished
        })
    );
    let first_ids: BTreeSet<_> = first
        .responses
        .iter()
        .map(|r| r.response_id.clone())
        .collect();
    assert_eq!(first_ids.len() as u64, finished, "response ids are unique");
    assert!(first
        .responses
        .iter()
        .all(|r| r.recorded_date().is_some() && r.finished().is_some()));

    sim.add_responses(ONBOARDING_SURVEY_ID, 30);
    let second = export(&client, &ExportRequest::new().continuation_token(token))
        .await
        .unwrap();
    let new_finished = finished_between(&sim, total, total + 30);
    assert!(new_finished > 0);
    assert_eq!(
        second.summary.responses, new_finished,
        "exactly the new (finished) responses"
    );
    assert!(second
        .responses
        .iter()
        .all(|r| !first_ids.contains(&r.response_id)));
    assert!(second.summary.continuation_token.is_some());

    let third = export(
        &client,
        &ExportRequest::new().continuation_token(second.summary.continuation_token.unwrap()),
    )
    .await
    .unwrap();
    assert_eq!(
        third.summary.responses, 0,
        "nothing new since the last token"
    );
}

/// How many of responses `from..to` are finished, according to the simulator's own oracle.
fn finished_between(sim: &SimHandle, from: u64, to: u64) -> u64 {
    (from..to)
        .filter(|&i| !qualtrics_sim::response_in_progress(sim.config(), ONBOARDING_SURVEY_ID, i))
        .count() as u64
}

#[tokio::test]
async fn in_progress_export_returns_only_unfinished_responses() {
    let sim = sim(SimConfig::default()).await;
    let client = token_client(&sim);
    let run = export(&client, &ExportRequest::new().in_progress(true))
        .await
        .unwrap();
    assert_eq!(
        run.summary.responses,
        RESPONSES - finished_between(&sim, 0, RESPONSES)
    );
    assert!(run.responses.iter().all(|r| r.finished() == Some(false)));
    let limited = export(
        &client,
        &ExportRequest::new()
            .limit(10)
            .question_ids([ONBOARDING_NPS_QID]),
    )
    .await
    .unwrap();
    assert_eq!(limited.summary.responses, 10);
    assert!(limited
        .responses
        .iter()
        .all(|r| !r.values().contains_key(ONBOARDING_CSAT_QID)));
}

#[tokio::test]
async fn oauth_client_credentials_work_and_renew() {
    let sim = sim(SimConfig {
        oauth_expires_in: 1,
        ..SimConfig::default()
    })
    .await;
    let client = oauth_client(&sim);
    client.whoami().await.unwrap();
    client.whoami().await.unwrap();
    let token_calls = |s: &SimHandle| {
        s.stats()
            .iter()
            .filter(|(k, _)| k.contains("oauth2/token"))
            .map(|(_, v)| *v)
            .sum::<u64>()
    };
    assert_eq!(token_calls(&sim), 1, "the bearer token is cached");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.whoami().await.unwrap();
    assert_eq!(token_calls(&sim), 2, "renewed after expiry");
    let run = export(&client, &ExportRequest::new().limit(5))
        .await
        .unwrap();
    assert_eq!(run.summary.responses, 5);

    let bad = client_with(
        &sim.host(),
        Credentials::OAuth {
            client_id: OAUTH_CLIENT_ID.into(),
            client_secret: Secret::new("wrong-secret"),
            scope: None,
        },
        1,
    );
    let err = bad.whoami().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert!(!err.to_string().contains("wrong-secret"));
}

#[tokio::test]
async fn revoked_token_is_unauthorized() {
    let sim = sim(SimConfig::default()).await;
    let client = token_client(&sim);
    client.whoami().await.unwrap();
    sim.faults().revoke_token(true);
    let err = client.whoami().await.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    assert_eq!(err.error_code(), Some("DCD_7"));
    assert!(!err.to_string().contains(API_TOKEN));
    let err = export(&client, &ExportRequest::new()).await.err().unwrap();
    assert!(err.is_unauthorized());
}

#[tokio::test]
async fn missing_api_permission_is_forbidden_and_never_retried() {
    let sim = sim(SimConfig::default()).await;
    let client = token_client(&sim);
    sim.faults().forbid_api(true);
    client
        .whoami()
        .await
        .expect("whoami needs no API permission");
    let before = sim.request_count();
    let err = client.list_surveys().await.unwrap_err();
    assert!(err.is_forbidden(), "{err}");
    assert_eq!(err.status(), Some(403));
    assert_eq!(sim.request_count() - before, 1, "a 403 is not retried");
    assert!(!err.is_token_request());
    let err = export(&client, &ExportRequest::new()).await.err().unwrap();
    assert!(err.is_forbidden(), "{err}");
}

#[tokio::test]
async fn rejected_oauth_client_fails_the_token_request() {
    let sim = sim(SimConfig::default()).await;
    sim.faults().reject_oauth_client(true);
    let err = oauth_client(&sim).whoami().await.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    assert!(err.is_token_request(), "{err}");
    assert!(!format!("{err} {err:?}").contains(OAUTH_CLIENT_SECRET));
}

#[tokio::test]
async fn rate_limits_and_server_error_bursts_are_retried() {
    let sim = sim(SimConfig::default()).await;
    let client = token_client(&sim);
    sim.faults().rate_limit_next(1);
    let started = Instant::now();
    client.whoami().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "Retry-After: 1 honoured"
    );
    assert_eq!(sim.request_count(), 2);

    // Each burst answers 503, 500, 503, ... from its start.
    sim.faults().server_errors_next(2);
    assert!(!client.list_surveys().await.unwrap().is_empty());

    // The export start is retried on 503 (no job can exist) ...
    sim.faults().server_errors_next(1);
    let run = export(&client, &ExportRequest::new().limit(3))
        .await
        .unwrap();
    assert_eq!(run.summary.responses, 3);
    // ... but not on 500 (a job may have been created): 503 is retried, then 500 → give up.
    sim.faults().server_errors_next(2);
    let err = export(&client, &ExportRequest::new().limit(3))
        .await
        .err()
        .unwrap();
    assert_eq!(
        (err.kind(), err.status()),
        (ErrorKind::Network, Some(500)),
        "{err}"
    );

    let before = sim.request_count();
    let no_retry = client_with(&sim.host(), Credentials::api_token(API_TOKEN), 1);
    sim.faults().server_errors_next(5);
    let err = no_retry.whoami().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network);
    assert_eq!(sim.request_count() - before, 2, "one attempt + one retry");
    sim.faults().reset();
}

#[tokio::test]
async fn slow_export_reports_progress_while_waiting() {
    let sim = sim(SimConfig::default()).await;
    let client = token_client(&sim);
    sim.faults().slow_export(Duration::from_millis(700));
    let started = Instant::now();
    let run = export(&client, &ExportRequest::new().limit(20))
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(700));
    let exporting = run
        .phases
        .iter()
        .filter(|p| matches!(p, ExportPhase::Exporting { .. }))
        .count();
    assert!(
        exporting >= 5,
        "progress reported on each poll, got {exporting}"
    );
    assert_eq!(run.summary.responses, 20);
    // Polling backs off: far fewer polls than 700 ms / initial interval.
    let min_interval = fast_poll().initial.as_millis() as usize;
    assert!(exporting < 700 / min_interval);
}

#[tokio::test]
async fn failed_and_truncated_exports_are_export_failed() {
    let sim = sim(SimConfig::default()).await;
    let client = token_client(&sim);
    sim.faults().fail_exports(true);
    let err = export(&client, &ExportRequest::new()).await.err().unwrap();
    assert_eq!(err.kind(), ErrorKind::ExportFailed, "{err}");

    sim.faults().reset();
    sim.faults().truncate_zip(true);
    let mut delivered = 0;
    let err = client
        .export_responses(
            ONBOARDING_SURVEY_ID,
            &ExportRequest::new(),
            |_| {},
            |_| {
                delivered += 1;
                Ok(())
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ExportFailed, "{err}");
    assert!(err.to_string().contains("zip"), "{err}");
    assert_eq!(delivered, 0, "nothing delivered from a corrupt file");

    sim.faults().reset();
    assert_eq!(
        export(&client, &ExportRequest::new().limit(4))
            .await
            .unwrap()
            .summary
            .responses,
        4
    );
}

#[tokio::test]
async fn csv_tsv_and_ndjson_exports_parse_like_json_ones() {
    use qualtrics::ExportFormat;
    let sim = sim(SimConfig::default()).await;
    let client = token_client(&sim);
    let json = export(&client, &ExportRequest::new().limit(6))
        .await
        .unwrap();
    for format in [ExportFormat::Csv, ExportFormat::Tsv, ExportFormat::Ndjson] {
        let run = export(&client, &ExportRequest::new().format(format).limit(6))
            .await
            .unwrap();
        assert_eq!(run.summary.responses, 6, "{format:?}");
        for (a, b) in run.responses.iter().zip(&json.responses) {
            assert_eq!(
                a.response_id, b.response_id,
                "{format:?}: same responses in the same order"
            );
            assert_eq!(a.finished(), b.finished(), "{format:?}");
            assert_eq!(
                a.number(ONBOARDING_NPS_QID),
                b.number(ONBOARDING_NPS_QID),
                "{format:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_cycling_next_page_ends_in_an_error_after_one_round() {
    let sim = sim(SimConfig::default()).await;
    sim.faults().cycle_next_page(true);
    let client = token_client(&sim);
    let listing = client.list_surveys();
    let err = tokio::time::timeout(Duration::from_secs(10), listing)
        .await
        .expect("paging stops instead of cycling forever")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Malformed);
    assert!(err.to_string().contains("already fetched"), "{err}");
    // page size 2: every page once (/surveys, ?offset=2, ...), then ?offset=0 (same elements
    // as the first page, different URL); ?offset=2 again is refused before it is sent.
    let pages = qualtrics_sim::catalog::SURVEYS.len().div_ceil(2) as u64;
    assert_eq!(sim.stats()["GET /API/v3/surveys"], pages + 1);
}
