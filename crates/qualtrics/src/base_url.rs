//! Datacenter base URL: parsing, validation and the host policy.
//!
//! Contract: a [`BaseUrl`] only ever names `https://<labels>.qualtrics.com` — unless the
//! caller explicitly opted into [`HostPolicy::AllowLoopback`] (a developer switch for the
//! local simulator), which additionally accepts `127.0.0.1[:port]`, `localhost[:port]` and
//! `[::1][:port]` and talks plain `http://` to them. A real user's token therefore never
//! leaves for a host that is not Qualtrics'.
//!
//! Input longer than [`MAX_INPUT_LEN`] or a host longer than [`MAX_HOST_LEN`] (the DNS limit)
//! is refused by its length, and error messages quote at most [`MAX_ECHO`] characters of
//! what was typed.
//!
//! [`BaseUrl::allows`] pins credentials to the configured host itself: a redirect or a
//! `nextPage` link to another `*.qualtrics.com` host, or to another loopback port, is refused
//! (a forged or buggy link must not carry the token to a host the user never typed).
//! [`BaseUrl::datacenter`] reads the datacenter id out of the host when it names one.

use std::fmt;

use url::Url;

use crate::error::Error;

const QUALTRICS_SUFFIX: &str = ".qualtrics.com";
/// Longest host name DNS allows.
pub const MAX_HOST_LEN: usize = 253;
/// Longest input accepted at all (a host plus a pasted `/API/v3/...` path).
pub const MAX_INPUT_LEN: usize = 2048;
/// Most characters of the input an error message quotes.
pub const MAX_ECHO: usize = 64;

/// Which hosts a [`BaseUrl`] may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum HostPolicy {
    /// Only `*.qualtrics.com`, always over https (the default; what real users get).
    #[default]
    QualtricsOnly,
    /// Developer switch: also loopback hosts (`127.0.0.1`, `localhost`, `[::1]`, optional
    /// port), reached over plain http. Qualtrics hosts still use https.
    AllowLoopback,
}

/// A validated Qualtrics datacenter host such as `iad1.qualtrics.com`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl {
    host: String,
    loopback: bool,
    policy: HostPolicy,
}

impl BaseUrl {
    /// Parses what a user typed: trims spaces, strips an `https://` scheme, any path
    /// (`/API/v3/...`), query and trailing slash, lowercases, then validates the host.
    ///
    /// Accepts `iad1.qualtrics.com`, `brand.iad1.qualtrics.com`, `umiami.qualtrics.com`,
    /// `https://iad1.qualtrics.com/API/v3/`; rejects anything else with
    /// [`Error::InvalidBaseUrl`] saying why.
    pub fn parse(input: &str, policy: HostPolicy) -> Result<BaseUrl, Error> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(invalid(
                "the base URL is empty; enter your datacenter host, e.g. iad1.qualtrics.com",
            ));
        }
        let chars = trimmed.chars().count();
        if chars > MAX_INPUT_LEN {
            return Err(invalid(format!(
                "the base URL is {chars} characters long; enter only your datacenter host (at \
                 most {MAX_HOST_LEN} characters), e.g. iad1.qualtrics.com"
            )));
        }
        let lower = trimmed.to_ascii_lowercase();
        let rest = match lower.split_once("://") {
            Some(("https", rest)) | Some(("http", rest)) => rest,
            Some((scheme, _)) => {
                return Err(invalid(format!(
                    "unsupported scheme {}; enter a host such as iad1.qualtrics.com",
                    quoted(scheme)
                )))
            }
            None => lower.as_str(),
        };
        let authority = rest
            .split(['/', '?', '#'])
            .next()
            .unwrap_or_default()
            .trim();
        if authority.is_empty() {
            return Err(invalid(
                "the base URL has no host; enter e.g. iad1.qualtrics.com",
            ));
        }
        let host_len = authority.chars().count();
        if host_len > MAX_HOST_LEN {
            return Err(invalid(format!(
                "the host {} is {host_len} characters long; host names have at most \
                 {MAX_HOST_LEN}. Enter your datacenter host, e.g. iad1.qualtrics.com",
                quoted(authority)
            )));
        }
        if authority.contains('@') {
            return Err(invalid(format!(
                "{} contains user information ('@'); enter only the host, e.g. iad1.qualtrics.com",
                quoted(authority)
            )));
        }
        if authority.chars().any(|c| c.is_whitespace()) {
            return Err(invalid(format!("{} contains spaces", quoted(authority))));
        }
        if policy == HostPolicy::AllowLoopback {
            if let Some(host) = loopback_host(authority)? {
                return Ok(BaseUrl {
                    host,
                    loopback: true,
                    policy,
                });
            }
        }
        let host = validate_qualtrics_host(authority)?;
        Ok(BaseUrl {
            host,
            loopback: false,
            policy,
        })
    }

    /// The validated host (with port for loopback hosts), e.g. `iad1.qualtrics.com`.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// `https` for Qualtrics hosts, `http` for loopback hosts.
    pub fn scheme(&self) -> &'static str {
        if self.loopback {
            "http"
        } else {
            "https"
        }
    }

    /// Whether this is a loopback (simulator) host.
    pub fn is_loopback(&self) -> bool {
        self.loopback
    }

    /// The policy this URL was validated under (redirects and `nextPage` links are checked
    /// against the same policy).
    pub fn policy(&self) -> HostPolicy {
        self.policy
    }

    /// `https://host/API/v3/`.
    pub fn api_root(&self) -> Url {
        self.origin_join("API/v3/")
    }

    /// `https://host/oauth2/token` (the OAuth endpoint is not under `/API/v3`).
    pub fn oauth_token_url(&self) -> Url {
        self.origin_join("oauth2/token")
    }

    /// Whether `url` may receive this client's credentials: the configured host itself (same
    /// port for loopback hosts), the right scheme, no user information.
    pub fn allows(&self, url: &Url) -> bool {
        let Some(host) = url.host_str() else {
            return false;
        };
        let authority = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        };
        match BaseUrl::parse(&authority, self.policy) {
            Ok(other) => {
                other.host == self.host
                    && url.scheme() == self.scheme()
                    && url.username().is_empty()
                    && url.password().is_none()
            }
            Err(_) => false,
        }
    }

    /// The datacenter id the host names, if it names one: the label before `.qualtrics.com`
    /// of a brand host (`brand.iad1.qualtrics.com` → `iad1`), or a lone datacenter-shaped
    /// label (`iad1.qualtrics.com` → `iad1`). `None` for a vanity host without one
    /// (`umiami.qualtrics.com`) and for loopback hosts.
    pub fn datacenter(&self) -> Option<&str> {
        if self.loopback {
            return None;
        }
        let prefix = self.host.strip_suffix(QUALTRICS_SUFFIX)?;
        match prefix.rsplit_once('.') {
            Some((_, dc)) => Some(dc),
            // Datacenter ids are letters then digits (iad1, fra1, au1); a lone label without
            // a trailing digit is a brand's vanity host.
            None => looks_like_datacenter(prefix).then_some(prefix),
        }
    }

    fn origin_join(&self, path: &str) -> Url {
        let text = format!("{}://{}/{path}", self.scheme(), self.host);
        Url::parse(&text).expect("a validated host always forms a valid URL")
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme(), self.host)
    }
}

/// `s` quoted for an error message, cut to [`MAX_ECHO`] characters.
fn quoted(s: &str) -> String {
    if s.chars().count() <= MAX_ECHO {
        format!("{s:?}")
    } else {
        let head: String = s.chars().take(MAX_ECHO).collect();
        format!("{head:?}… ({} characters)", s.chars().count())
    }
}

/// `[a-z]+[0-9]+`, the shape of every datacenter id seen (iad1, fra1, au1, gov1).
fn looks_like_datacenter(label: &str) -> bool {
    let letters = label.trim_end_matches(|c: char| c.is_ascii_digit());
    letters.len() < label.len()
        && !letters.is_empty()
        && letters.chars().all(|c| c.is_ascii_lowercase())
}

fn invalid(message: impl Into<String>) -> Error {
    Error::InvalidBaseUrl(message.into())
}

/// Recognises `127.0.0.1[:port]`, `localhost[:port]`, `[::1][:port]`.
fn loopback_host(authority: &str) -> Result<Option<String>, Error> {
    let (host, port) = match authority.strip_prefix("[::1]") {
        Some("") => ("[::1]", None),
        Some(rest) => ("[::1]", Some(rest.strip_prefix(':').unwrap_or(rest))),
        None => match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        },
    };
    if !matches!(host, "127.0.0.1" | "localhost" | "[::1]") {
        return Ok(None);
    }
    match port {
        None => Ok(Some(host.to_string())),
        Some(digits) => match digits.parse::<u16>() {
            Ok(p) if p > 0 => Ok(Some(format!("{host}:{p}"))),
            _ => Err(invalid(format!(
                "{} has an invalid port",
                quoted(authority)
            ))),
        },
    }
}

fn validate_qualtrics_host(authority: &str) -> Result<String, Error> {
    if authority.starts_with('[') || authority.parse::<std::net::IpAddr>().is_ok() {
        return Err(invalid(format!(
            "{} is an IP address; Qualtrics hosts look like iad1.qualtrics.com",
            quoted(authority)
        )));
    }
    if authority.contains(':') {
        let host = authority.split(':').next().unwrap_or_default();
        if host.parse::<std::net::Ipv4Addr>().is_ok() {
            return Err(invalid(format!(
                "{} is an IP address; Qualtrics hosts look like iad1.qualtrics.com",
                quoted(authority)
            )));
        }
        return Err(invalid(format!(
            "{} contains a port; enter only the host, e.g. iad1.qualtrics.com",
            quoted(authority)
        )));
    }
    let host = authority.strip_suffix('.').unwrap_or(authority);
    if host == "qualtrics.com" {
        return Err(invalid(
            "qualtrics.com needs your datacenter in front, e.g. iad1.qualtrics.com",
        ));
    }
    let Some(prefix) = host.strip_suffix(QUALTRICS_SUFFIX) else {
        return Err(invalid(format!(
            "{} is not a Qualtrics host; it must end in .qualtrics.com (e.g. iad1.qualtrics.com)",
            quoted(host)
        )));
    };
    for label in prefix.split('.') {
        let ok = !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok {
            return Err(invalid(format!(
                "{} is not a valid Qualtrics host: bad label {}",
                quoted(host),
                quoted(label)
            )));
        }
    }
    Ok(host.to_string())
}
