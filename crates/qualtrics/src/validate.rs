//! [`Client::validate`]: the one call that checks credentials while a user waits, and which
//! datacenter they belong to.
//!
//! Contract: `GET /whoami` sent once — never retried, its OAuth token fetch included — within
//! [`crate::ClientBuilder::validation_timeout`], so a host that accepts connections and never
//! answers fails after that timeout instead of after every retry of a 60 s request.
//!
//! Datacenter: API-token calls sent to the wrong datacenter are proxied by Qualtrics and
//! succeed with `meta.notice` "Request proxied. For faster response times, use this host
//! instead: fra1.qualtrics.com" (shape of a real captured body quoted by the "ddsurveys"
//! Python client; a user report of iad1 calls answered with a notice naming pdx1 in the
//! qualtrics-lti-connector test notes). [`Validation::right_host`]
//! is that host; without a notice it is `{datacenter}.qualtrics.com` when whoami's
//! `datacenter` differs from the datacenter the configured host names
//! ([`BaseUrl::datacenter`]); `None` when the host is right or cannot be told.

use crate::base_url::{BaseUrl, HostPolicy};
use crate::client::{read_envelope, Client};
use crate::envelope::Envelope;
use crate::error::Error;
use crate::http::{Attempts, Call, RetryClass};
use crate::models::survey::WhoAmI;

/// What [`Client::validate`] learnt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validation {
    /// Who the credentials belong to.
    pub whoami: WhoAmI,
    /// Qualtrics' `meta.notice`, verbatim, if any.
    pub notice: Option<String>,
    /// The datacenter host the credentials belong to, when it is not the configured one.
    pub right_host: Option<BaseUrl>,
}

impl Client {
    /// `GET /whoami` once, without retries, within the validation timeout; says whose the
    /// credentials are and whether they belong to another datacenter (see the module docs).
    pub async fn validate(&self) -> Result<Validation, Error> {
        let url = self.endpoint(&["whoami"])?;
        let mut call = Call::get(url, self.inner.validation_timeout);
        call.retry = RetryClass::Never;
        let response = self.inner.send(&call, &Attempts::default()).await?;
        let Envelope { result, meta } = read_envelope::<WhoAmI>(response, "whoami").await?;
        let right_host =
            Validation::right_host_for(&self.inner.base, &result, meta.notice.as_deref());
        Ok(Validation {
            whoami: result,
            notice: meta.notice,
            right_host,
        })
    }
}

impl Validation {
    /// The datacenter host credentials belong to when `base` is not it: the host a
    /// "Request proxied ... use this host instead: <host>" `notice` names, else
    /// `{datacenter}.qualtrics.com` when whoami's datacenter differs from the one `base`
    /// names; `None` when `base` is right or cannot be told (a vanity or loopback host).
    pub fn right_host_for(
        base: &BaseUrl,
        whoami: &WhoAmI,
        notice: Option<&str>,
    ) -> Option<BaseUrl> {
        notice
            .and_then(proxied_to)
            .or_else(|| from_whoami(base, whoami))
            .filter(|host| host.host() != base.host())
    }
}

/// The host a "Request proxied ... use this host instead: <host>" notice names.
fn proxied_to(notice: &str) -> Option<BaseUrl> {
    let lower = notice.to_ascii_lowercase();
    let at = lower.find("use this host")?;
    lower[at..]
        .split(|c: char| c.is_whitespace() || c == ':' || c == ',')
        .map(|word| word.trim_matches(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|word| word.ends_with(".qualtrics.com"))
        .find_map(|word| BaseUrl::parse(word, HostPolicy::QualtricsOnly).ok())
}

/// `{datacenter}.qualtrics.com` when whoami's datacenter differs from the host's.
fn from_whoami(base: &BaseUrl, me: &WhoAmI) -> Option<BaseUrl> {
    let typed = base.datacenter()?;
    let home = me.datacenter.as_deref()?.trim().to_ascii_lowercase();
    // Tolerate a full host where an id is documented ("iad1.qualtrics.com").
    let home = home.strip_suffix(".qualtrics.com").unwrap_or(&home);
    let home = home.rsplit('.').next().unwrap_or(home);
    if home.is_empty() || home == typed {
        return None;
    }
    BaseUrl::parse(&format!("{home}.qualtrics.com"), HostPolicy::QualtricsOnly).ok()
}
