//! The Qualtrics connection: validate, save, check, edit and delete.
//!
//! Contract:
//! - [`Connector::save`] normalises the base URL ([`qualtrics::BaseUrl::parse`]; loopback
//!   hosts only with the developer switch), validates the credentials with `whoami`, and ONLY
//!   THEN writes the secret to the keychain and the non-secret settings (base URL, auth method,
//!   OAuth client id, masked hint, whoami user/brand/datacenter, validated_at) to SQLite; it
//!   then lists the surveys (cached in the store) to tell Connected from NoSurveys — or
//!   ConnectionFailed when the list cannot be read. A failed validation returns the error and
//!   leaves the previous configuration (secret included) untouched. Validation is one whoami
//!   sent once within a short timeout ([`qualtrics::Client::validate`]): a silent host fails
//!   fast instead of being retried.
//! - Credentials of another datacenter than the host typed (Qualtrics' "Request proxied"
//!   notice, or whoami's datacenter) are saved — they work — in the state
//!   [`ConnectionState::WrongDatacenter`] with `suggested_base_url` naming the right host.
//! - On Edit, an empty secret means "keep the stored secret"; a new one replaces the old one
//!   only after it validated.
//! - Saving is atomic: the keychain entry and the SQLite settings change together or not at
//!   all (a failed settings write puts the previous keychain secret back).
//! - Secrets are keyed per data dir and checked against the stored masked hint (see `keys`).
//! - [`Connector::delete`] removes the keychain entries and the connection settings.
//! - [`Connector::status`] re-checks live; [`Connector::cached_status`] paints from SQLite
//!   only. A 401 for a configuration that validated before is [`ConnectionState::TokenRevoked`].
//! - Every validation outcome is appended to the connection log, without secrets.
//! - The time the secret was saved is kept (an edit that keeps the secret keeps it too), and
//!   `validated_at` moves on every successful save or live check; [`reminder`] turns them
//!   into the rotate-your-secret reminder.

mod keys;
mod reminder;
mod settings;
mod state;

use std::sync::{Arc, Mutex};

pub use keys::KEY_ID_SETTING;
pub use reminder::{DEFAULT_ROTATION_DAYS, MAX_ROTATION_DAYS};
pub(crate) use settings::SavedConnection;
pub use settings::USER_NAME_SETTING;
pub use state::state_for_error;

use chrono::{DateTime, Utc};
use qualtrics::{BaseUrl, Client, Credentials, HostPolicy, Secret};

use crate::dto::{AuthInput, AuthMethod, ConnectionInput, ConnectionState, ConnectionStatus};
use crate::error::{Error, ErrorKind, Result};
use crate::secrets::SecretStore;
use crate::store::{Store, SurveyInfo};

/// Keychain account of the API token (suffixed `:<keychain id>` per data dir; the bare name
/// is the entry older versions shared between data dirs).
pub const TOKEN_ACCOUNT: &str = "api-token";
/// Keychain account of the OAuth client secret (suffixed like [`TOKEN_ACCOUNT`]).
pub const CLIENT_SECRET_ACCOUNT: &str = "oauth-client-secret";
/// OAuth scopes requested (read-only).
pub const OAUTH_SCOPE: &str = "read:surveys read:survey_responses";

/// Saves, checks and deletes the connection; hands out authenticated clients.
#[derive(Debug, Clone)]
pub struct Connector {
    store: Arc<Store>,
    secrets: Arc<dyn SecretStore>,
    policy: HostPolicy,
    /// The last client built, keyed by the (non-secret) settings it was built from, so an
    /// OAuth access token is reused across refreshes.
    cached: Arc<Mutex<Option<(String, Client)>>>,
}

/// Facts returned by a successful validation.
struct Validated {
    user_name: String,
    brand_id: String,
    datacenter: String,
    /// The right datacenter host, when the configured one is not it.
    right_host: Option<String>,
}

impl Connector {
    /// A connector over the store and secret store; `allow_loopback` is the developer switch.
    pub fn new(store: Arc<Store>, secrets: Arc<dyn SecretStore>, allow_loopback: bool) -> Self {
        let policy = if allow_loopback {
            HostPolicy::AllowLoopback
        } else {
            HostPolicy::QualtricsOnly
        };
        Self {
            store,
            secrets,
            policy,
            cached: Arc::new(Mutex::new(None)),
        }
    }

    /// The host policy in force.
    pub fn policy(&self) -> HostPolicy {
        self.policy
    }

    /// Validates `input` and, only if Qualtrics accepts it, stores it. See the module docs.
    pub async fn save(&self, input: ConnectionInput) -> Result<ConnectionStatus> {
        let now = Utc::now();
        let base = match BaseUrl::parse(&input.base_url, self.policy) {
            Ok(b) => b,
            Err(e) => {
                let err = Error::from(e);
                self.log(now, "validate", Err(&err))?;
                return Err(err);
            }
        };
        let method = input.auth.method();
        let (secret, client_id) = match &input.auth {
            AuthInput::ApiToken { token } => (token.as_str(), None),
            AuthInput::OAuth {
                client_id,
                client_secret,
            } => {
                let id = client_id.trim();
                if id.is_empty() {
                    return Err(Error::invalid("enter the OAuth client id"));
                }
                (client_secret.as_str(), Some(id.to_string()))
            }
        };
        let secret = Secret::new(secret);
        // When the secret is kept, so is the time it was saved: the rotation clock runs on.
        let saved = SavedConnection::load(&self.store)?;
        let kept_saved_at = if secret.is_empty() {
            saved.as_ref().and_then(|s| s.secret_saved_at)
        } else {
            None
        };
        let secret = if secret.is_empty() {
            // Edit without retyping: keep the stored secret of the same method.
            let same_method = saved.as_ref().map(|s| s.auth_method) == Some(method);
            match same_method
                .then(|| self.stored_secret(method))
                .transpose()?
                .flatten()
            {
                Some(stored) => stored,
                None => {
                    return Err(Error::invalid(match method {
                        AuthMethod::ApiToken => "enter the API token",
                        AuthMethod::OAuth => "enter the OAuth client secret",
                    }))
                }
            }
        } else {
            secret
        };
        let creds = credentials(method, client_id.clone(), secret.clone());
        let client = Client::new(base.clone(), creds).map_err(Error::from);
        let validated = match client {
            Ok(client) => validate(&client).await.map(|v| (client, v)),
            Err(e) => Err(e),
        };
        let (client, facts) = match validated {
            Ok(ok) => ok,
            Err(err) => {
                let err = first_validation_error(err);
                self.log(now, "validate", Err(&err))?;
                return Err(err);
            }
        };
        // Validation passed: now (and only now) persist, atomically. The keychain is written
        // first (a keychain failure leaves SQLite untouched); if SQLite then fails, the
        // previous keychain secret is put back so the settings never describe another one.
        let account = self.account(method)?;
        let previous = self.secrets.get(&account)?;
        if let Err(err) = self.secrets.set(&account, &secret) {
            self.log(now, "save_secret", Err(&err))?;
            return Err(err);
        }
        let written = SavedConnection {
            client_id: client_id.clone(),
            masked_secret: Some(secret.masked()),
            user_name: Some(facts.user_name.clone()),
            brand_id: Some(facts.brand_id.clone()),
            datacenter: Some(facts.datacenter.clone()),
            validated_at: Some(now),
            secret_saved_at: Some(kept_saved_at.unwrap_or(now)),
            ..SavedConnection::new(base.clone(), method)
        }
        .save(&self.store);
        if let Err(err) = written {
            let restored = match &previous {
                Some(old) => self.secrets.set(&account, old),
                None => self.secrets.delete(&account),
            };
            if let Err(e) = restored {
                tracing::error!(kind = ?e.kind(), "could not restore the previous keychain secret: {e}");
            }
            // The log lives in the same database, which may be what failed.
            let _ = self.log(now, "save_settings", Err(&err));
            return Err(
                Error::new(err.kind(), format!("{} Nothing was saved.", err.message()))
                    .with_origin_of(&err),
            );
        }
        let other = match method {
            AuthMethod::ApiToken => AuthMethod::OAuth,
            AuthMethod::OAuth => AuthMethod::ApiToken,
        };
        // The settings now name `method`; the other method's secret is unused from here.
        if let Err(e) = self.secrets.delete(&self.account(other)?) {
            tracing::warn!(kind = ?e.kind(), "could not remove the unused keychain secret: {e}");
        }
        self.log(
            now,
            "validate",
            Ok(&format!("whoami ok as {}", facts.user_name)),
        )?;
        Ok(self.after_whoami(&client, &facts, now).await)
    }

    /// Re-checks the stored configuration against Qualtrics (whoami + survey list).
    pub async fn status(&self) -> Result<ConnectionStatus> {
        let now = Utc::now();
        if SavedConnection::load(&self.store)?.is_none() {
            return Ok(ConnectionStatus::bare(
                ConnectionState::NotConfigured,
                Some("Connect Qualtrics: enter your datacenter host and an API token.".into()),
            ));
        }
        let client = match self.client() {
            Ok(c) => c,
            Err(err) => {
                self.record_failure(now, "check", &err)?;
                return self.cached_status();
            }
        };
        match validate(&client).await {
            Ok(facts) => {
                SavedConnection::update(&self.store, |s| {
                    s.user_name = Some(facts.user_name.clone());
                    s.brand_id = Some(facts.brand_id.clone());
                    s.datacenter = Some(facts.datacenter.clone());
                    s.validated_at = Some(now);
                })?;
                self.log(now, "check", Ok("whoami ok"))?;
                Ok(self.after_whoami(&client, &facts, now).await)
            }
            Err(err) => {
                self.record_failure(now, "check", &err)?;
                self.cached_status()
            }
        }
    }

    /// Removes the keychain entries and every connection setting.
    pub fn delete(&self) -> Result<()> {
        self.delete_secrets()?;
        self.store.delete_settings(settings::PREFIX)?;
        self.log(Utc::now(), "delete", Ok("connection deleted"))?;
        Ok(())
    }

    /// An authenticated client for the stored configuration (reused while it is unchanged).
    pub fn client(&self) -> Result<Client> {
        let saved = SavedConnection::load(&self.store)?.ok_or_else(not_configured)?;
        let key = format!(
            "{}|{}|{:?}|{:?}|{:?}",
            saved.base_url.host(),
            saved.auth_method.as_str(),
            saved.client_id,
            saved.masked_secret,
            saved.secret_saved_at
        );
        let mut cached = self.cached.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((k, client)) = cached.as_ref() {
            if *k == key {
                return Ok(client.clone());
            }
        }
        let client = self.build_client(saved)?;
        *cached = Some((key, client.clone()));
        Ok(client)
    }

    fn build_client(&self, saved: SavedConnection) -> Result<Client> {
        // Saved under the switch in force then; this connector's policy decides now.
        let base = BaseUrl::parse(saved.base_url.host(), self.policy)?;
        let method = saved.auth_method;
        let secret = self.checked_secret(method)?;
        Ok(Client::new(
            base,
            credentials(method, saved.client_id, secret),
        )?)
    }

    /// Lists surveys after a successful whoami and records Connected / NoSurveys /
    /// WrongDatacenter, or ConnectionFailed when the list cannot be read.
    async fn after_whoami(
        &self,
        client: &Client,
        facts: &Validated,
        now: DateTime<Utc>,
    ) -> ConnectionStatus {
        let user = facts.user_name.as_str();
        let outcome = async {
            let surveys = client.list_surveys().await.map_err(Error::from)?;
            let infos: Vec<SurveyInfo> = surveys.iter().map(survey_info).collect();
            self.store.upsert_surveys(&infos, now)?;
            Ok::<usize, Error>(infos.len())
        }
        .await;
        let result = match outcome {
            Ok(count) => {
                let (state, message) = if count == 0 {
                    (
                        ConnectionState::NoSurveys,
                        format!(
                            "Connected as {user}, but no survey is visible. Share your surveys \
                             with {user} in Qualtrics, or use a token of a user who owns them."
                        ),
                    )
                } else {
                    (
                        ConnectionState::Connected,
                        format!("Connected as {user}: {count} surveys."),
                    )
                };
                SavedConnection::update(&self.store, |s| {
                    s.survey_count = Some(u32::try_from(count).unwrap_or(u32::MAX));
                })
                .and_then(|_| self.set_state(now, state, &message, None))
                .and_then(|_| self.log(now, "list_surveys", Ok(&message)))
                .and_then(|_| self.note_datacenter(now, client, facts))
            }
            Err(err) => self.record_listing_failure(now, user, &err),
        };
        if let Err(e) = result {
            tracing::warn!(kind = ?e.kind(), "could not record the connection status: {e}");
        }
        self.cached_status().unwrap_or_else(|e| {
            ConnectionStatus::bare(ConnectionState::ConnectionFailed, Some(e.to_string()))
        })
    }
}

fn credentials(method: AuthMethod, client_id: Option<String>, secret: Secret) -> Credentials {
    match method {
        AuthMethod::ApiToken => Credentials::ApiToken(secret),
        AuthMethod::OAuth => Credentials::OAuth {
            client_id: client_id.unwrap_or_default(),
            client_secret: secret,
            scope: Some(OAUTH_SCOPE.to_string()),
        },
    }
}

async fn validate(client: &Client) -> Result<Validated> {
    let checked = client.validate().await?;
    let me = checked.whoami;
    Ok(Validated {
        right_host: checked.right_host.map(|h| h.host().to_string()),
        user_name: me.user_name.clone().unwrap_or_else(|| me.user_id.clone()),
        brand_id: me.brand_id.clone().unwrap_or_default(),
        datacenter: me.datacenter.clone().unwrap_or_default(),
    })
}

/// On first validation a 401 means "token rejected", with a message saying what to do.
fn first_validation_error(err: Error) -> Error {
    match err.kind() {
        ErrorKind::Unauthorized | ErrorKind::TokenRevoked => Error::new(
            ErrorKind::Unauthorized,
            format!(
                "Qualtrics rejected the credentials ({}). Check the token (Qualtrics > Account \
                 Settings > Qualtrics IDs) and that the host is your datacenter. Nothing was \
                 saved.",
                err.message()
            ),
        )
        .with_origin_of(&err),
        _ => Error::new(err.kind(), format!("{} Nothing was saved.", err.message()))
            .with_origin_of(&err),
    }
}

fn not_configured() -> Error {
    Error::new(
        ErrorKind::NotConfigured,
        "no Qualtrics connection is configured; connect first",
    )
}

pub(crate) fn survey_info(s: &qualtrics::SurveySummary) -> SurveyInfo {
    SurveyInfo {
        id: s.id.clone(),
        name: s.name.clone(),
        owner_id: s.owner_id.clone(),
        is_active: s.is_active.unwrap_or(true),
        last_modified: s.last_modified.map(|d| d.to_rfc3339()),
        creation_date: s.creation_date.map(|d| d.to_rfc3339()),
    }
}
