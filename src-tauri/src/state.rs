//! The state every command reads: the active core facade (user data or demo data) and the
//! bundled simulator while in demo mode. (Which surveys are being refreshed is core's.)
//!
//! Contract: [`AppState::pm`] is a cheap clone of the active [`Pulsemap`]; switching to demo
//! mode ([`AppState::switch_to_demo`]) replaces it atomically, and leaving it
//! ([`AppState::switch_to_user`]) brings back the user's facade, which stays open meanwhile.
//! The user's data dir and keychain entries are never touched by demo mode (separate dir,
//! separate keychain service).

use std::path::Path;
use std::sync::{PoisonError, RwLock};

use pulsemap_core::app::Pulsemap;
use qualtrics_sim::SimHandle;

/// Shared state of the desktop shell.
#[derive(Debug)]
pub struct AppState {
    active: RwLock<Active>,
    user: Pulsemap,
    sim: tokio::sync::Mutex<Option<SimHandle>>,
}

#[derive(Debug, Clone)]
struct Active {
    pm: Pulsemap,
    demo: bool,
}

impl AppState {
    /// State over the user's own data.
    pub fn new(pm: Pulsemap) -> Self {
        Self {
            active: RwLock::new(Active {
                pm: pm.clone(),
                demo: false,
            }),
            user: pm,
            sim: tokio::sync::Mutex::new(None),
        }
    }

    /// The active facade.
    pub fn pm(&self) -> Pulsemap {
        self.active
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .pm
            .clone()
    }

    /// Whether the demo data is active.
    pub fn is_demo(&self) -> bool {
        self.active
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .demo
    }

    /// The data dir of the user's own (non-demo) data.
    pub fn user_data_dir(&self) -> &Path {
        self.user.data_dir()
    }

    /// The running demo simulator, if any.
    pub fn sim(&self) -> &tokio::sync::Mutex<Option<SimHandle>> {
        &self.sim
    }

    /// Makes `pm` (opened on the demo data dir) the active facade.
    pub fn switch_to_demo(&self, pm: Pulsemap) {
        *self.active.write().unwrap_or_else(PoisonError::into_inner) = Active { pm, demo: true };
    }

    /// Makes the user's own facade active again (leaving demo mode).
    pub fn switch_to_user(&self) {
        *self.active.write().unwrap_or_else(PoisonError::into_inner) = Active {
            pm: self.user.clone(),
            demo: false,
        };
    }
}
