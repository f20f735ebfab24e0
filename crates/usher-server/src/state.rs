//! The state every handler shares: store, keys, settings, clock and rate limiters.

use crate::clock::Clock;
use crate::passpng::Fonts;
use crate::ratelimit::RateLimiter;
use crate::setup::{Config, ServerKeys};
use crate::store::Store;
use std::ops::Deref;
use std::sync::Arc;

/// Shared server state (cheap to clone).
#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

/// What [`AppState`] holds.
#[derive(Debug)]
pub struct Inner {
    /// The database.
    pub store: Store,
    /// Keys (never in the database).
    pub keys: ServerKeys,
    /// Settings.
    pub config: Config,
    /// The one clock.
    pub clock: Arc<dyn Clock>,
    /// Fonts for names on passes (none found: names are not drawn).
    pub fonts: Fonts,
    /// Visitor form submissions per address.
    pub form_limit: RateLimiter,
    /// Login attempts per address.
    pub login_limit: RateLimiter,
    /// `/me` requests per address (as many as the form's).
    pub me_limit: RateLimiter,
    /// Slots for Argon2 work (`config.password_checks` of them), so a burst of logins from
    /// many addresses cannot take every core.
    pub password_slots: tokio::sync::Semaphore,
    /// Slots for bookings ([`BOOKING_SLOTS`]): a burst of reservations queues here, not in
    /// the database pool, where it would hold every connection waiting on the event's lock.
    pub booking_slots: tokio::sync::Semaphore,
}

/// Bookings one process runs at once (each is one short transaction).
pub const BOOKING_SLOTS: usize = 2;

impl AppState {
    /// Builds the state.
    pub fn new(store: Store, keys: ServerKeys, config: Config, clock: Arc<dyn Clock>) -> Self {
        let fonts = Fonts::find(&config.font_dir);
        let form_limit = RateLimiter::new(config.form_per_minute, 60);
        let login_limit = RateLimiter::new(config.login_per_minute, 60);
        let me_limit = RateLimiter::new(config.form_per_minute, 60);
        let password_slots = tokio::sync::Semaphore::new(config.password_checks.max(1));
        AppState(Arc::new(Inner {
            store,
            keys,
            config,
            clock,
            fonts,
            form_limit,
            login_limit,
            me_limit,
            password_slots,
            booking_slots: tokio::sync::Semaphore::new(BOOKING_SLOTS),
        }))
    }

    /// Now, by the one clock.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
