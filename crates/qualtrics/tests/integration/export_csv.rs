//! CSV and TSV exports through the whole flow: Qualtrics' header rows, byte order mark,
//! non-ASCII and invalid UTF-8, cells longer than the reader's buffer, broken quoting.

use crate::export::{mount_flow, run, zip_answer, zip_of};
use qualtrics::{ErrorKind, ExportFormat, ExportRequest};
use wiremock::MockServer;

fn csv_request() -> ExportRequest {
    ExportRequest::new()
        .format(ExportFormat::Csv)
        .use_labels(true)
}

async fn served(name: &str, content: &[u8]) -> MockServer {
    let server = MockServer::start().await;
    mount_flow(
        &server,
        serde_json::json!({"format": "csv", "useLabels": true}),
        0,
        zip_answer(zip_of(name, content)),
    )
    .await;
    server
}

/// Three header rows as Qualtrics writes them (export tags, question texts, ImportId JSON,
/// quoted only where needed: the recorded export `tests/fixtures/recorded/qualtRics/`
/// `extracted/fetch_one_qid/09_..._Beskar_Armor.csv`), behind a UTF-8 byte order mark as
/// spreadsheet tools save CSV.
const HEADERS: &str = "\u{feff}StartDate,ResponseId,Q1,Q2\r\n\
     Start Date,Response ID,\"Wie, bitte?\",Kommentar\r\n\
     \"{\"\"ImportId\"\":\"\"startDate\"\",\"\"timeZone\"\":\"\"Europe/Berlin\"\"}\",\"{\"\"ImportId\"\":\"\"_recordId\"\"}\",\"{\"\"ImportId\"\":\"\"QID1\"\"}\",\"{\"\"ImportId\"\":\"\"QID2_TEXT\"\"}\"\r\n";

#[tokio::test]
async fn csv_rows_keep_non_ascii_long_and_multi_line_cells_whole() {
    // A cell four times the reader's 256 KiB buffer, with quotes and CRLF inside, so records
    // and quoted fields are cut by buffer ends in every way.
    let long = "Grüße, \"ja\"\r\n".repeat(80_000);
    let mut csv = String::from(HEADERS);
    csv.push_str("2024-01-01 10:00:00,R_1,Äußerst,\"");
    csv.push_str(&long.replace('"', "\"\""));
    csv.push_str("\"\r\n");
    for i in 2..2_000 {
        csv.push_str(&format!(
            "2024-01-02 10:00:00,R_{i},{i} €,\"a\"\"b\r\nc\"\r\n"
        ));
    }
    let mut bytes = csv.into_bytes();
    bytes.extend_from_slice(b"2024-01-03 10:00:00,R_last,caf\xe9,\r\n");
    let server = served("S.csv", &bytes).await;
    let run = run(&server, &csv_request()).await;
    assert_eq!(run.result.unwrap().responses, 2_000);
    let first = &run.responses[0];
    assert_eq!(first.response_id, "R_1");
    assert_eq!(
        first.text("startDate").as_deref(),
        Some("2024-01-01 10:00:00")
    );
    assert_eq!(first.text("QID1").as_deref(), Some("Äußerst"));
    assert_eq!(first.text("QID2_TEXT").as_deref(), Some(long.as_str()));
    let other = &run.responses[500];
    assert_eq!(other.response_id, "R_501");
    assert_eq!(other.text("QID1").as_deref(), Some("501 €"));
    assert_eq!(other.text("QID2_TEXT").as_deref(), Some("a\"b\r\nc"));
    // Invalid UTF-8 is replaced, like `String::from_utf8_lossy`; empty cells are left out.
    let last = run.responses.last().unwrap();
    assert_eq!(last.response_id, "R_last");
    assert_eq!(last.text("QID1").as_deref(), Some("caf\u{fffd}"));
    assert!(!last.values().contains_key("QID2_TEXT"));
}

#[tokio::test]
async fn tsv_member_is_read_with_tabs_and_escaped_in_json() {
    let tsv = "ResponseId\tQ1\r\n\"{\"\"ImportId\"\":\"\"_recordId\"\"}\"\t\"{\"\"ImportId\"\":\"\"QID1\"\"}\"\r\n\
               R_1\ta,b\\c\r\n\r\nR_2\t\"x\ty\"\r\n";
    let server = served("S.tsv", tsv.as_bytes()).await;
    let run = run(&server, &csv_request()).await;
    assert_eq!(
        run.result.unwrap().responses,
        2,
        "the empty line is skipped"
    );
    assert_eq!(run.responses[0].text("QID1").as_deref(), Some("a,b\\c"));
    assert_eq!(run.responses[1].text("QID1").as_deref(), Some("x\ty"));
}

#[tokio::test]
async fn an_unterminated_quote_fails_before_any_row_is_delivered() {
    let mut csv = String::from(HEADERS);
    for i in 0..5_000 {
        csv.push_str(&format!("2024-01-02 10:00:00,R_{i},{i},fine\r\n"));
    }
    csv.push_str("2024-01-03 10:00:00,R_bad,1,\"never closed\r\n");
    let server = served("S.csv", csv.as_bytes()).await;
    let run = run(&server, &csv_request()).await;
    let err = run.result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ExportFailed);
    let message = err.to_string();
    assert!(
        message.contains("unterminated quoted field") && message.contains("S.csv"),
        "{message}"
    );
    assert!(
        run.responses.is_empty(),
        "rows were delivered before the check"
    );
}

/// Over 4 MiB of rows: the verified delivery parses it in several segments on several
/// threads.
fn long_csv(rows: usize) -> String {
    let mut csv = String::from(HEADERS);
    for i in 0..rows {
        csv.push_str(&format!(
            "2024-01-02 10:00:{:02},R_{i},{i} €,\"fine, \"\"really\"\"\r\nthanks {i}\"\r\n",
            i % 60
        ));
    }
    csv
}

#[tokio::test]
async fn a_long_csv_is_delivered_whole_and_in_order() {
    let csv = long_csv(80_000);
    assert!(csv.len() > 5 << 20);
    let run = run(&served("S.csv", csv.as_bytes()).await, &csv_request()).await;
    assert_eq!(run.result.unwrap().responses, 80_000);
    for (i, r) in run.responses.iter().enumerate() {
        assert_eq!(r.response_id, format!("R_{i}"));
    }
    assert_eq!(
        run.responses[79_999].text("QID2_TEXT").as_deref(),
        Some("fine, \"really\"\r\nthanks 79999")
    );
}

/// `compress: false`: the downloaded file is the text itself (read in segments as it is,
/// no spill), checked before the first row all the same.
#[tokio::test]
async fn an_uncompressed_long_csv_is_checked_then_delivered_in_order() {
    async fn uncompressed(csv: &str) -> crate::export::Run {
        let server = MockServer::start().await;
        mount_flow(
            &server,
            serde_json::json!({"format": "csv", "useLabels": true, "compress": false}),
            0,
            wiremock::ResponseTemplate::new(200).set_body_raw(csv.as_bytes().to_vec(), "text/csv"),
        )
        .await;
        run(&server, &csv_request().compress(false)).await
    }
    let mut csv = long_csv(80_000);
    let good = uncompressed(&csv).await;
    assert_eq!(good.result.unwrap().responses, 80_000);
    assert!(good
        .responses
        .iter()
        .enumerate()
        .all(|(i, r)| r.response_id == format!("R_{i}")));
    csv.push_str("2024-01-03 10:00:00,R_bad,1,\"never closed\r\n");
    let bad = uncompressed(&csv).await;
    let err = bad.result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ExportFailed);
    assert!(
        err.to_string().contains("unterminated quoted field"),
        "{err}"
    );
    assert!(
        bad.responses.is_empty(),
        "rows were delivered before the check"
    );
}

#[tokio::test]
async fn a_corrupt_truncated_or_badly_quoted_long_csv_delivers_nothing() {
    let csv = long_csv(80_000);
    let good = zip_of("S.csv", csv.as_bytes());
    let mut late_quote = csv.clone();
    late_quote.push_str("2024-01-03 10:00:00,R_bad,1,\"never closed\r\n");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("truncated zip", good[..good.len() / 2].to_vec()),
        ("zip with garbage near the end", {
            let mut g = good.clone();
            let at = g.len() * 9 / 10;
            for b in &mut g[at..at + 40] {
                *b ^= 0x5a;
            }
            g
        }),
        (
            "unterminated quote at the end",
            zip_of("S.csv", late_quote.as_bytes()),
        ),
    ];
    for (label, bytes) in cases {
        let server = MockServer::start().await;
        mount_flow(
            &server,
            serde_json::json!({"format": "csv", "useLabels": true}),
            0,
            zip_answer(bytes),
        )
        .await;
        let run = run(&server, &csv_request()).await;
        let err = run.result.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ExportFailed, "{label}: {err}");
        assert!(run.responses.is_empty(), "{label}: nothing delivered");
    }
}
