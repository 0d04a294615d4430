//! The reminder that keeps a connection from dying unnoticed.
//!
//! Contract:
//! - A secret saved at least `rotation_days` ago (default [`DEFAULT_ROTATION_DAYS`], set with
//!   [`Connector::set_rotation_days`], stored outside the `connection.` settings so it
//!   survives Delete and re-save) yields [`ReminderKind::RotationDue`]. Configurations saved
//!   before the save time was recorded fall back to `validated_at`.
//! - With OAuth, a failed access-token request (`POST /oauth2/token`) records when the
//!   failures started; until a later success clears it, the reminder is
//!   [`ReminderKind::OAuthTokenFailing`] (it wins over rotation: it is the more urgent).
//! - Time is always passed in (`now`), so tests check the timing without sleeping.

use chrono::{DateTime, Utc};

use super::*;
use crate::dto::{ConnectionReminder, ReminderKind};

/// Rotation period used until the user picks another.
pub const DEFAULT_ROTATION_DAYS: u32 = 90;
/// Longest rotation period accepted (ten years).
pub const MAX_ROTATION_DAYS: u32 = 3650;

/// Settings key of the rotation period (not under `connection.`: it outlives a connection).
const K_ROTATION_DAYS: &str = "reminders.rotation_days";

impl Connector {
    /// The rotation period in days.
    pub fn rotation_days(&self) -> Result<u32> {
        Ok(self
            .store
            .get_setting(K_ROTATION_DAYS)?
            .and_then(|v| v.parse().ok())
            .filter(|d| (1..=MAX_ROTATION_DAYS).contains(d))
            .unwrap_or(DEFAULT_ROTATION_DAYS))
    }

    /// Sets the rotation period: a secret older than `days` days shows the reminder.
    pub fn set_rotation_days(&self, days: u32) -> Result<()> {
        if !(1..=MAX_ROTATION_DAYS).contains(&days) {
            return Err(Error::invalid(format!(
                "the rotation reminder period must be between 1 and {MAX_ROTATION_DAYS} days \
                 (got {days})"
            )));
        }
        self.store.set_setting(K_ROTATION_DAYS, &days.to_string())
    }

    /// The reminder due at `now`, if any (SQLite only).
    pub fn reminder_at(&self, now: DateTime<Utc>) -> Result<Option<ConnectionReminder>> {
        let Some(saved) = SavedConnection::load(&self.store)? else {
            return Ok(None);
        };
        let rotation_days = self.rotation_days()?;
        let reminder = |kind, since: DateTime<Utc>| ConnectionReminder {
            kind,
            since,
            age_days: u32::try_from((now - since).num_days().max(0)).unwrap_or(u32::MAX),
            rotation_days,
        };
        let oauth = saved.auth_method == AuthMethod::OAuth;
        if let Some(since) = saved.oauth_failing_since.filter(|_| oauth) {
            return Ok(Some(reminder(ReminderKind::OAuthTokenFailing, since)));
        }
        let Some(saved) = saved.secret_saved_at.or(saved.validated_at) else {
            return Ok(None);
        };
        let due = now - saved >= chrono::Duration::days(i64::from(rotation_days));
        Ok(due.then(|| reminder(ReminderKind::RotationDue, saved)))
    }

    /// Notes a failed OAuth access-token request (the first failure's time is kept).
    pub(super) fn note_token_request_failure(&self, at: DateTime<Utc>) -> Result<()> {
        SavedConnection::update(&self.store, |s| {
            s.oauth_failing_since.get_or_insert(at);
        })?;
        Ok(())
    }

    /// Clears the OAuth-token-failing mark after a success with the stored configuration.
    pub(super) fn clear_token_request_failure(&self) -> Result<()> {
        SavedConnection::update(&self.store, |s| s.oauth_failing_since = None)?;
        Ok(())
    }
}
