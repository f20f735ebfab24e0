//! The retention job: a tokio task that, every hour, deletes sign-ins older than the retention
//! period (default 21 days), registrations and revocations of expired passes (a registration
//! only once no stored sign-in names it) and expired sessions. It logs and audits counts only. Several
//! processes on one database share it: each looks every [`CHECK`] and purges only when it
//! claims the job's row ([`Store::purge_claimed`](crate::store::Store::purge_claimed)), so the
//! purge runs once an hour between them.

use crate::state::AppState;
use crate::store::{Purged, StoreError};
use std::time::Duration;
use tracing::Instrument as _;

/// How often the purge runs.
pub const PERIOD: Duration = Duration::from_secs(3600);

/// How often each process looks whether the purge is due.
pub const CHECK: Duration = Duration::from_secs(300);

/// Purges once, as of the state's clock, whenever the last run was.
pub async fn purge_once(state: &AppState) -> Result<Purged, StoreError> {
    Ok(purge(state, None).await?.unwrap_or_default())
}

/// Purges if no process on this database started a purge in the last [`PERIOD`] (less one
/// [`CHECK`], so a run is never a whole check late); `None` when it was not due.
pub async fn purge_if_due(state: &AppState) -> Result<Option<Purged>, StoreError> {
    let slack = i64::try_from((PERIOD - CHECK).as_secs()).unwrap_or(i64::MAX);
    purge(state, Some(state.now().saturating_sub(slack))).await
}

async fn purge(state: &AppState, due: Option<i64>) -> Result<Option<Purged>, StoreError> {
    let now = state.now();
    let cutoff = now - state.config.retention_days * 86_400;
    let Some(p) = state.store.purge_claimed(cutoff, now, due).await? else {
        tracing::debug!("retention purge not due (another process ran it)");
        return Ok(None);
    };
    tracing::info!(
        signins = p.signins,
        passes = p.passes,
        sessions = p.sessions,
        "retention purge"
    );
    if p.signins > 0 || p.passes > 0 || p.registrations > 0 {
        state
            .store
            .audit(
                now,
                None,
                "retention",
                &format!(
                    "purged {} sign-ins and {} pass records older than {} days, \
                     {} registrations and revocations of expired passes",
                    p.signins, p.passes, state.config.retention_days, p.registrations
                ),
            )
            .await?;
    }
    Ok(Some(p))
}

/// Starts the purge task: at once, then every [`CHECK`], purging when due.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(
        async move {
            let mut tick = tokio::time::interval(CHECK);
            loop {
                tick.tick().await;
                if let Err(e) = purge_if_due(&state).await {
                    tracing::error!(error = %e, "retention purge failed");
                }
            }
        }
        .instrument(tracing::info_span!("retention")),
    )
}
