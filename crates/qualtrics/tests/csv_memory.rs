//! A CSV export is read in bounded memory: parsing ten times the rows does not raise the
//! process's peak RSS, and the peak stays far below the file's unzipped size.
//!
//! Its own test binary, one test: the peak RSS (`VmHWM`, reset through
//! `/proc/self/clear_refs` before each export) is the whole process's, so nothing may run
//! beside it. The files are generated and zipped row by row and served by wiremock before
//! the peak is reset; the measured window is the whole export flow — start, poll, download
//! to a temporary file, the verified two-pass parse (the text unzipped once to a spill file,
//! then parsed on several threads) and the hand-over of every response. The temporary
//! files are checked to be closed (unlinked from the start, so gone) after the export.
#![cfg(target_os = "linux")]

use std::io::Write;
use std::time::Duration;

use qualtrics::{BaseUrl, Client, Credentials, ExportFormat, ExportRequest, HostPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn vm_kib(field: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("procfs");
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .expect("field in /proc/self/status")
}

/// Open file descriptors of this process on unlinked files (the downloaded export and the
/// unzipped spill are anonymous temporary files: their disk space is gone when they close).
fn open_unlinked_files() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .expect("procfs")
        .filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
        .filter(|target| target.to_string_lossy().ends_with("(deleted)"))
        .count()
}

/// Resets the peak RSS to the current RSS and returns it (KiB).
fn reset_peak() -> usize {
    std::fs::write("/proc/self/clear_refs", "5").expect("resetting the peak RSS");
    vm_kib("VmRSS:")
}

const SV: &str = "SV_mem";

/// A Qualtrics-shaped CSV export (BOM, three header rows) of `rows` responses, ~330 bytes
/// each, with a quoted multi-line cell every 7th row; zipped.
fn csv_zip(rows: usize) -> (Vec<u8>, usize) {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("S.csv", zip::write::SimpleFileOptions::default())
        .unwrap();
    let mut csv = String::from("\u{feff}StartDate,ResponseId,Q1,Q2,Q3\r\n");
    csv.push_str("Start Date,Response ID,How likely?,\"Why, then?\",Plan\r\n");
    for id in ["startDate", "_recordId", "QID1", "QID2_TEXT", "QID3"] {
        csv.push_str(&format!("\"{{\"\"ImportId\"\":\"\"{id}\"\"}}\","));
    }
    csv.pop();
    csv.push_str("\r\n");
    let mut unzipped = 0;
    for i in 0..rows {
        let text = if i % 7 == 0 {
            format!("\"line one\r\nline two, \"\"quoted\"\" {i}\"")
        } else {
            format!("plain text answer number {i} {}", "é".repeat(i % 5))
        };
        csv.push_str(&format!(
            "2024-01-01 10:00:{:02},R_{i:08},{},{text},{}\r\n",
            i % 60,
            i % 11,
            "Pro plan with a long label to make rows wider than they need to be ".repeat(3)
        ));
        // Written row by row: the test process never holds the unzipped file.
        zip.write_all(csv.as_bytes()).unwrap();
        unzipped += csv.len();
        csv.clear();
    }
    (zip.finish().unwrap().into_inner(), unzipped)
}

async fn serve(file: Vec<u8>) -> MockServer {
    let server = MockServer::start().await;
    let base = format!("/API/v3/surveys/{SV}/export-responses");
    let envelope = |result: serde_json::Value| {
        ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"result": result, "meta": {"httpStatus": "200 - OK"}}),
        )
    };
    Mock::given(method("POST"))
        .and(path(base.clone()))
        .respond_with(envelope(
            serde_json::json!({"progressId": "ES_1", "percentComplete": 0.0, "status": "inProgress"}),
        ))
        .mount(&server)
        .await;
    Mock::given(path(format!("{base}/ES_1")))
        .respond_with(envelope(
            serde_json::json!({"percentComplete": 100.0, "status": "complete", "fileId": "F_1"}),
        ))
        .mount(&server)
        .await;
    Mock::given(path(format!("{base}/F_1/file")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(file, "application/zip"))
        .mount(&server)
        .await;
    server
}

/// Exports `rows` rows; returns (peak RSS above the start in KiB, the CSV's unzipped size
/// in bytes, rows delivered).
async fn peak_while_exporting(rows: usize) -> (usize, usize, u64) {
    let (zip, unzipped) = csv_zip(rows);
    let server = serve(zip).await;
    let client = Client::builder()
        .request_timeout(Duration::from_secs(60))
        .build(
            BaseUrl::parse(&server.uri(), HostPolicy::AllowLoopback).unwrap(),
            Credentials::api_token("tok"),
        )
        .unwrap();
    let request = ExportRequest::new()
        .format(ExportFormat::Csv)
        .use_labels(true);
    let unlinked = open_unlinked_files();
    let mut unlinked_while_delivering = 0;
    let start = reset_peak();
    let mut delivered = 0u64;
    let mut last_id = String::new();
    client
        .export_responses(
            SV,
            &request,
            |_| {},
            |r| {
                delivered += 1;
                if delivered == 1 {
                    unlinked_while_delivering = open_unlinked_files();
                }
                last_id = r.response_id.clone();
                Ok(())
            },
        )
        .await
        .unwrap();
    assert_eq!(last_id, format!("R_{:08}", rows - 1));
    // The download and the unzipped text were on disk while rows were handed over, and
    // are closed (so gone) once the export returned.
    assert!(
        unlinked_while_delivering >= unlinked + 2,
        "{unlinked_while_delivering}"
    );
    assert_eq!(
        open_unlinked_files(),
        unlinked,
        "a temporary file is still open"
    );
    (vm_kib("VmHWM:").saturating_sub(start), unzipped, delivered)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parsing_ten_times_the_rows_does_not_raise_the_peak() {
    let (small_peak, _, small_rows) = peak_while_exporting(50_000).await;
    let (large_peak, large_unzipped, large_rows) = peak_while_exporting(500_000).await;
    assert_eq!((small_rows, large_rows), (50_000, 500_000));
    let mib = |kib: usize| kib as f64 / 1024.0;
    eprintln!(
        "peak RSS growth: {:.1} MiB for 50k rows, {:.1} MiB for 500k rows ({:.1} MiB unzipped)",
        mib(small_peak),
        mib(large_peak),
        mib(large_unzipped / 1024)
    );
    // Buffers of the reader, the unzipping thread and the batches in flight, not the file.
    assert!(
        large_peak < small_peak + 4 * 1024,
        "peak {:.1} MiB for 500k rows vs {:.1} MiB for 50k rows",
        mib(large_peak),
        mib(small_peak)
    );
    assert!(
        large_peak * 1024 < large_unzipped / 4,
        "peak {:.1} MiB for a file of {:.1} MiB unzipped",
        mib(large_peak),
        mib(large_unzipped / 1024)
    );
}
