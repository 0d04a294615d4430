//! `BaseUrl::parse` under both host policies.

use qualtrics::{BaseUrl, ErrorKind, HostPolicy};

fn ok(input: &str) -> String {
    BaseUrl::parse(input, HostPolicy::QualtricsOnly)
        .unwrap_or_else(|e| panic!("{input:?} should parse: {e}"))
        .host()
        .to_string()
}

fn rejected(input: &str, policy: HostPolicy) -> String {
    match BaseUrl::parse(input, policy) {
        Ok(b) => panic!("{input:?} should be rejected, got {b}"),
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::InvalidBaseUrl, "{input:?}: {e}");
            e.to_string()
        }
    }
}

#[test]
fn accepts_datacenter_brand_and_vanity_hosts() {
    assert_eq!(ok("iad1.qualtrics.com"), "iad1.qualtrics.com");
    assert_eq!(ok("brand.iad1.qualtrics.com"), "brand.iad1.qualtrics.com");
    assert_eq!(ok("umiami.qualtrics.com"), "umiami.qualtrics.com");
    assert_eq!(
        ok("noleadtrialau1.au1.qualtrics.com"),
        "noleadtrialau1.au1.qualtrics.com"
    );
    assert_eq!(ok("my-brand.eu.qualtrics.com"), "my-brand.eu.qualtrics.com");
}

#[test]
fn normalises_what_users_paste() {
    assert_eq!(ok("  IAD1.Qualtrics.COM  "), "iad1.qualtrics.com");
    assert_eq!(ok("https://iad1.qualtrics.com"), "iad1.qualtrics.com");
    assert_eq!(ok("https://iad1.qualtrics.com/"), "iad1.qualtrics.com");
    assert_eq!(
        ok("https://fra1.qualtrics.com/API/v3/surveys?offset=100"),
        "fra1.qualtrics.com"
    );
    assert_eq!(
        ok("HTTPS://sjc1.qualtrics.com/API/v3/"),
        "sjc1.qualtrics.com"
    );
    assert_eq!(ok("iad1.qualtrics.com/API/v3"), "iad1.qualtrics.com");
    assert_eq!(ok("iad1.qualtrics.com."), "iad1.qualtrics.com");
}

#[test]
fn api_root_display_and_oauth_url_use_https() {
    let base = BaseUrl::parse(
        "https://iad1.qualtrics.com/API/v3/",
        HostPolicy::QualtricsOnly,
    )
    .unwrap();
    assert_eq!(
        base.api_root().as_str(),
        "https://iad1.qualtrics.com/API/v3/"
    );
    assert_eq!(
        base.oauth_token_url().as_str(),
        "https://iad1.qualtrics.com/oauth2/token"
    );
    assert_eq!(base.to_string(), "https://iad1.qualtrics.com");
    assert_eq!(base.scheme(), "https");
    assert!(!base.is_loopback());
}

#[test]
fn rejects_lookalikes_with_a_specific_message() {
    let p = HostPolicy::QualtricsOnly;
    assert!(rejected("qualtrics.com.evil.com", p).contains("not a Qualtrics host"));
    assert!(rejected("evilqualtrics.com", p).contains("not a Qualtrics host"));
    assert!(rejected("iad1.qualtrics.co", p).contains("not a Qualtrics host"));
    assert!(rejected("qualtrics.com", p).contains("datacenter"));
    assert!(rejected("https://evil.com/iad1.qualtrics.com", p).contains("not a Qualtrics host"));
    assert!(rejected("iad1.qualtrics.com@evil.com", p).contains("user information"));
    assert!(rejected("a@b.qualtrics.com", p).contains("user information"));
    assert!(rejected("https://user:pw@iad1.qualtrics.com/", p).contains("user information"));
    assert!(rejected("iad1.qualtrics.com:8443", p).contains("port"));
    assert!(rejected("1.2.3.4", p).contains("IP address"));
    assert!(rejected("[2001:db8::1]", p).contains("IP address"));
    assert!(rejected("", p).contains("empty"));
    assert!(rejected("   ", p).contains("empty"));
    assert!(rejected("https://", p).contains("no host"));
    assert!(rejected("ftp://iad1.qualtrics.com", p).contains("scheme"));
    assert!(rejected("iad 1.qualtrics.com", p).contains("spaces"));
    assert!(rejected("-bad.qualtrics.com", p).contains("bad label"));
    assert!(rejected("a..qualtrics.com", p).contains("bad label"));
    assert!(rejected("ia_d1.qualtrics.com", p).contains("bad label"));
}

#[test]
fn loopback_needs_the_developer_switch() {
    for host in [
        "127.0.0.1:8080",
        "localhost:3000",
        "[::1]:9000",
        "http://127.0.0.1:8080/API/v3/",
    ] {
        rejected(host, HostPolicy::QualtricsOnly);
    }
    let base = BaseUrl::parse("127.0.0.1:8080", HostPolicy::AllowLoopback).unwrap();
    assert_eq!(base.host(), "127.0.0.1:8080");
    assert_eq!(base.api_root().as_str(), "http://127.0.0.1:8080/API/v3/");
    assert!(base.is_loopback());
    let base = BaseUrl::parse("http://localhost:3000/", HostPolicy::AllowLoopback).unwrap();
    assert_eq!(base.to_string(), "http://localhost:3000");
    let base = BaseUrl::parse("[::1]:9000", HostPolicy::AllowLoopback).unwrap();
    assert_eq!(base.api_root().as_str(), "http://[::1]:9000/API/v3/");
}

#[test]
fn loopback_switch_still_rejects_other_hosts_and_keeps_https_for_qualtrics() {
    let p = HostPolicy::AllowLoopback;
    assert!(rejected("127.0.0.1:notaport", p).contains("invalid port"));
    assert!(rejected("127.0.0.1:0", p).contains("invalid port"));
    assert!(rejected("10.0.0.1:8080", p).contains("IP address"));
    assert!(rejected("evil.com:8080", p).contains("port"));
    assert!(rejected("localhost.evil.com", p).contains("not a Qualtrics host"));
    let base = BaseUrl::parse("iad1.qualtrics.com", p).unwrap();
    assert_eq!(
        base.api_root().as_str(),
        "https://iad1.qualtrics.com/API/v3/"
    );
}

#[test]
fn allows_only_urls_under_the_same_policy() {
    let real = BaseUrl::parse("iad1.qualtrics.com", HostPolicy::QualtricsOnly).unwrap();
    let allows = |u: &str| real.allows(&url::Url::parse(u).unwrap());
    assert!(allows(
        "https://iad1.qualtrics.com/API/v3/surveys?offset=100"
    ));
    assert!(allows("https://IAD1.qualtrics.com./API/v3/surveys"));
    assert!(
        !allows("https://fra1.qualtrics.com/API/v3/surveys?offset=100"),
        "another datacenter is not the configured host"
    );
    assert!(!allows("https://brand.iad1.qualtrics.com/API/v3/surveys"));
    assert!(!allows("http://iad1.qualtrics.com/API/v3/surveys"));
    assert!(!allows("https://evil.com/API/v3/surveys"));
    assert!(!allows("https://u:p@iad1.qualtrics.com/"));
    assert!(!allows("http://127.0.0.1:8080/API/v3/surveys"));
    let dev = BaseUrl::parse("127.0.0.1:8080", HostPolicy::AllowLoopback).unwrap();
    assert!(dev.allows(&url::Url::parse("http://127.0.0.1:8080/x").unwrap()));
    assert!(
        !dev.allows(&url::Url::parse("http://127.0.0.1:9999/x").unwrap()),
        "another loopback port is another server"
    );
    assert!(!dev.allows(&url::Url::parse("http://localhost:8080/x").unwrap()));
    assert!(!dev.allows(&url::Url::parse("https://127.0.0.1:8080/x").unwrap()));
}

#[test]
fn datacenter_is_read_from_datacenter_and_brand_hosts_only() {
    let dc = |input: &str| {
        BaseUrl::parse(input, HostPolicy::AllowLoopback)
            .unwrap()
            .datacenter()
            .map(str::to_string)
    };
    assert_eq!(dc("iad1.qualtrics.com").as_deref(), Some("iad1"));
    assert_eq!(
        dc("https://FRA1.qualtrics.com/API/v3").as_deref(),
        Some("fra1")
    );
    assert_eq!(dc("brand.iad1.qualtrics.com").as_deref(), Some("iad1"));
    assert_eq!(dc("leidenuniv.eu.qualtrics.com").as_deref(), Some("eu"));
    assert_eq!(
        dc("umiami.qualtrics.com"),
        None,
        "a vanity host names no datacenter"
    );
    assert_eq!(dc("127.0.0.1:8080"), None);
}

#[test]
fn long_input_is_refused_by_its_length_without_echoing_it() {
    // 100,000 characters: refused by length, quoted at most briefly.
    let huge = format!("{}.qualtrics.com", "a".repeat(100_000));
    let msg = rejected(&huge, HostPolicy::QualtricsOnly);
    assert!(msg.contains("characters long"), "{msg}");
    assert!(
        msg.len() < 400,
        "message of {} bytes echoes the input",
        msg.len()
    );
    // Valid labels (each at most 63) but a host over DNS's 253 characters.
    let label = "b".repeat(60);
    let long_host = format!("{label}.{label}.{label}.{label}.qualtrics.com");
    assert!(long_host.len() > 253);
    let msg = rejected(&long_host, HostPolicy::QualtricsOnly);
    assert!(msg.contains("253"), "{msg}");
    assert!(msg.len() < 400, "{msg}");
    // A long garbage host is named, but cut short.
    let junk = format!("{}.example.com", "c".repeat(200));
    let msg = rejected(&junk, HostPolicy::QualtricsOnly);
    assert!(msg.contains("not a Qualtrics host"), "{msg}");
    assert!(!msg.contains(&"c".repeat(100)), "{msg}");
    // Exactly at the limit still parses.
    let label = "d".repeat(59);
    let at_limit = format!("{label}.{label}.{label}.{}.qualtrics.com", "e".repeat(59));
    assert_eq!(at_limit.len(), 253);
    assert_eq!(ok(&at_limit), at_limit);
}
