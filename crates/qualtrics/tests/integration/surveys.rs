//! Survey list paging, filters and error mapping of read endpoints.

use crate::common;

use crate::common::{error_body, ok_json, token_client};
use futures::StreamExt;
use qualtrics::ErrorKind;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn survey(i: usize) -> serde_json::Value {
    serde_json::json!({"id": format!("SV_{i:03}"), "name": format!("Survey {i}"), "ownerId": "UR_1",
        "lastModified": "2020-02-20T01:19:11Z", "creationDate": "2020-02-20T00:35:40Z", "isActive": i.is_multiple_of(2),
        "extraField": {"ignored": true}})
}

async fn mount_pages(server: &MockServer, pages: usize, per_page: usize) {
    for p in 0..pages {
        let elements: Vec<_> = (p * per_page..(p + 1) * per_page).map(survey).collect();
        let next = (p + 1 < pages).then(|| {
            format!(
                "{}/API/v3/surveys?offset={}",
                server.uri(),
                (p + 1) * per_page
            )
        });
        // meta first: key order must not matter.
        let body = serde_json::json!({"meta": {"httpStatus": "200 - OK", "requestId": "r"},
            "result": {"elements": elements, "nextPage": next}});
        let mock = Mock::given(method("GET")).and(path("/API/v3/surveys"));
        let mock = if p == 0 {
            mock.and(query_param_is_missing("offset"))
        } else {
            mock.and(query_param("offset", (p * per_page).to_string().as_str()))
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(server)
            .await;
    }
}

#[tokio::test]
async fn follows_next_page_until_null() {
    let server = MockServer::start().await;
    mount_pages(&server, 3, 4).await;
    let client = token_client(&server.uri());
    let surveys = client.list_surveys().await.unwrap();
    assert_eq!(surveys.len(), 12);
    assert_eq!(surveys[0].id, "SV_000");
    assert_eq!(surveys[11].name, "Survey 11");
    assert_eq!(surveys[0].is_active, Some(true));
    assert_eq!(
        surveys[0].last_modified.unwrap().to_rfc3339(),
        "2020-02-20T01:19:11+00:00"
    );
}

#[tokio::test]
async fn page_stream_exposes_pages_and_next_links() {
    let server = MockServer::start().await;
    mount_pages(&server, 2, 3).await;
    let pages: Vec<_> = token_client(&server.uri()).survey_pages().collect().await;
    assert_eq!(pages.len(), 2);
    let first = pages[0].as_ref().unwrap();
    assert_eq!(first.elements.len(), 3);
    assert_eq!(
        first.next_page.as_deref(),
        Some(format!("{}/API/v3/surveys?offset=3", server.uri()).as_str())
    );
    assert!(pages[1].as_ref().unwrap().next_page.is_none());
}

#[tokio::test]
async fn next_page_to_a_foreign_host_is_refused() {
    let server = MockServer::start().await;
    Mock::given(path("/API/v3/surveys"))
        .respond_with(ok_json(serde_json::json!({
            "elements": [survey(1)], "nextPage": "https://evil.example.com/API/v3/surveys?offset=1"})))
        .expect(1)
        .mount(&server)
        .await;
    let mut stream = Box::pin(token_client(&server.uri()).surveys());
    assert_eq!(stream.next().await.unwrap().unwrap().id, "SV_001");
    let err = stream.next().await.unwrap().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Malformed);
    assert!(err.to_string().contains("evil.example.com"), "{err}");
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn next_page_repeating_itself_stops_instead_of_looping() {
    let server = MockServer::start().await;
    let uri = format!("{}/API/v3/surveys", server.uri());
    Mock::given(path("/API/v3/surveys"))
        .respond_with(ok_json(
            serde_json::json!({"elements": [survey(1)], "nextPage": uri}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let err = token_client(&server.uri())
        .list_surveys()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("repeats"), "{err}");
}

#[tokio::test]
async fn empty_account_lists_no_surveys() {
    let server = MockServer::start().await;
    Mock::given(path("/API/v3/surveys"))
        .respond_with(ok_json(
            serde_json::json!({"elements": [], "nextPage": null}),
        ))
        .mount(&server)
        .await;
    assert!(token_client(&server.uri())
        .list_surveys()
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn filters_are_listed() {
    let server = MockServer::start().await;
    Mock::given(path("/API/v3/surveys/SV_1/filters"))
        .respond_with(ok_json(serde_json::json!({"elements": [
            {"filterId": "f-1", "filterName": "Promoters", "creationDate": "2024-01-02T03:04:05Z"},
            {"filterId": "f-2", "filterName": "EMEA"}], "nextPage": null})))
        .expect(1)
        .mount(&server)
        .await;
    let filters = token_client(&server.uri()).filters("SV_1").await.unwrap();
    assert_eq!(filters.len(), 2);
    assert_eq!(filters[0].filter_name, "Promoters");
    assert!(filters[0].creation_date.is_some());
    assert!(filters[1].creation_date.is_none());
}

#[tokio::test]
async fn ids_are_path_escaped_and_empty_ids_refused() {
    let server = MockServer::start().await;
    Mock::given(path("/API/v3/surveys/SV_a%2Fb/filters"))
        .respond_with(ok_json(serde_json::json!({"elements": []})))
        .expect(1)
        .mount(&server)
        .await;
    let client = token_client(&server.uri());
    assert!(client.filters("SV_a/b").await.unwrap().is_empty());
    let err = client.filters(" ").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadRequest);
}

#[tokio::test]
async fn statuses_map_to_kinds_with_specific_messages() {
    let cases = [
        (
            400,
            "ATP_2",
            "Expected authorization in headers, but none provided.",
            ErrorKind::BadRequest,
        ),
        (
            401,
            "DCD_7",
            "Unrecognized X-API-TOKEN.",
            ErrorKind::Unauthorized,
        ),
        (
            403,
            "AUTH_3",
            "Insufficient permissions.",
            ErrorKind::Forbidden,
        ),
        (
            404,
            "GS_404",
            "The requested resource does not exist.",
            ErrorKind::NotFound,
        ),
        (413, "QVAL_9", "Too large.", ErrorKind::BadRequest),
        (429, "RATE_1", "Too many requests.", ErrorKind::RateLimited),
        (503, "SERVER_1", "Service unavailable.", ErrorKind::Network),
    ];
    for (status, code, message, kind) in cases {
        let server = MockServer::start().await;
        Mock::given(path("/API/v3/surveys/SV_x"))
            .respond_with(ResponseTemplate::new(status).set_body_json(error_body(
                &format!("{status} - X"),
                code,
                message,
            )))
            .mount(&server)
            .await;
        let err = common::client_with(
            &server.uri(),
            qualtrics::Credentials::api_token(common::TOKEN),
            0,
        )
        .legacy_survey("SV_x")
        .await
        .unwrap_err();
        assert_eq!(err.kind(), kind, "status {status}: {err}");
        assert_eq!(err.error_code(), Some(code));
        assert!(
            err.to_string().contains(&format!("{code}: {message}")),
            "{err}"
        );
        if status != 401 {
            assert!(err.to_string().contains("/API/v3/surveys/SV_x"), "{err}");
        }
    }
}

#[tokio::test]
async fn bodies_without_envelope_are_malformed() {
    let server = MockServer::start().await;
    Mock::given(path("/API/v3/whoami"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>maintenance</html>"))
        .mount(&server)
        .await;
    let err = token_client(&server.uri()).whoami().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Malformed);
    assert!(err.to_string().contains("whoami"), "{err}");
}

#[tokio::test]
async fn unreachable_host_is_a_network_error() {
    // Bind then drop a listener so the port is (almost certainly) closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = common::client_with(
        &format!("127.0.0.1:{port}"),
        qualtrics::Credentials::api_token(common::TOKEN),
        1,
    );
    let err = client.whoami().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network);
    assert!(err.is_transient());
    assert!(!err.to_string().contains(common::TOKEN));
}

#[tokio::test]
async fn next_page_cycling_over_several_pages_stops_after_one_round() {
    let server = MockServer::start().await;
    let second = format!("{}/API/v3/surveys?offset=1", server.uri());
    let first_again = format!("{}/API/v3/surveys?offset=0", server.uri());
    for (offset, next) in [
        (None, &second),
        (Some("1"), &first_again),
        (Some("0"), &second),
    ] {
        let mock = Mock::given(path("/API/v3/surveys"));
        let mock = match offset {
            None => mock.and(query_param_is_missing("offset")),
            Some(o) => mock.and(query_param("offset", o)),
        };
        mock.respond_with(ok_json(
            serde_json::json!({"elements": [survey(1)], "nextPage": next}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    }
    let client = token_client(&server.uri());
    let err = tokio::time::timeout(std::time::Duration::from_secs(10), client.list_surveys())
        .await
        .expect("paging stops instead of cycling forever")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Malformed);
    assert!(err.to_string().contains("already fetched"), "{err}");
    assert!(err.to_string().contains("offset=1"), "{err}");
}

#[tokio::test]
async fn paging_stops_at_the_page_cap_when_next_page_never_ends() {
    let server = MockServer::start().await;
    let uri = server.uri();
    Mock::given(path("/API/v3/surveys"))
        .respond_with(move |req: &wiremock::Request| {
            let offset: usize = req
                .url
                .query_pairs()
                .find(|(k, _)| k == "offset")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            let next = format!("{uri}/API/v3/surveys?offset={}", offset + 1);
            ok_json(serde_json::json!({"elements": [survey(offset)], "nextPage": next}))
        })
        .expect(5)
        .mount(&server)
        .await;
    let client = qualtrics::Client::builder()
        .max_pages(5)
        .build(
            common::base_for(&server.uri()),
            qualtrics::Credentials::api_token(common::TOKEN),
        )
        .unwrap();
    let mut stream = Box::pin(client.surveys());
    let mut listed = 0;
    let paging = async {
        loop {
            match stream.next().await.expect("the stream ends with an error") {
                Ok(_) => listed += 1,
                Err(e) => break e,
            }
        }
    };
    let err = tokio::time::timeout(std::time::Duration::from_secs(10), paging)
        .await
        .expect("paging stops at the cap");
    assert_eq!(listed, 5);
    assert_eq!(err.kind(), ErrorKind::Malformed);
    assert!(err.to_string().contains("beyond 5 pages"), "{err}");
}

#[tokio::test]
async fn next_page_to_another_qualtrics_host_or_loopback_port_is_refused() {
    let server = MockServer::start().await;
    let other = MockServer::start().await;
    for foreign in [
        format!("{}/API/v3/surveys?offset=1", other.uri()),
        "https://fra1.qualtrics.com/API/v3/surveys?offset=1".to_string(),
    ] {
        server.reset().await;
        Mock::given(path("/API/v3/surveys"))
            .respond_with(ok_json(
                serde_json::json!({"elements": [survey(1)], "nextPage": foreign}),
            ))
            .expect(1)
            .mount(&server)
            .await;
        let err = token_client(&server.uri())
            .list_surveys()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Malformed, "{foreign}: {err}");
        assert!(
            err.to_string().contains("not to the configured host"),
            "{err}"
        );
    }
    assert!(
        other.received_requests().await.unwrap().is_empty(),
        "no token sent to the other port"
    );
}

#[tokio::test]
async fn redirect_to_another_loopback_port_is_not_followed() {
    let server = MockServer::start().await;
    let other = MockServer::start().await;
    Mock::given(path("/API/v3/surveys"))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            format!("{}/API/v3/surveys", other.uri()).as_str(),
        ))
        .mount(&server)
        .await;
    Mock::given(path("/API/v3/surveys"))
        .respond_with(ok_json(
            serde_json::json!({"elements": [survey(1)], "nextPage": null}),
        ))
        .mount(&other)
        .await;
    let err = token_client(&server.uri())
        .list_surveys()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Malformed, "{err}");
    assert!(err.to_string().contains("does not follow"), "{err}");
    assert!(
        other.received_requests().await.unwrap().is_empty(),
        "no token sent to the other port"
    );
}
