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
