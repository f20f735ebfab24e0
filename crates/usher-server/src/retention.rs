//! The retention job: a tokio task that, every hour, deletes sign-ins older than the retention
//! period (default 21 days) and expired sessions. It logs and audits counts only.

use crate::state::AppState;
use crate::store::{Purged, StoreError};
use std::time::Duration;
use tracing::Instrument as _;

/// How often the purge runs.
pub const PERIOD: Duration = Duration::from_secs(3600);

/// Purges once, as of the state's clock.
pub async fn purge_once(state: &AppState) -> Result<Purged, StoreError> {
    let now = state.now();
    let cutoff = now - state.config.retention_days * 86_400;
    let p = state.store.purge(cutoff, now).await?;
    tracing::info!(
        signins = p.signins,
        passes = p.passes,
        sessions = p.sessions,
        "retention purge"
    );
    if p.signins > 0 || p.passes > 0 {
        state
            .store
            .audit(
                now,
                None,
                "retention",
                &format!(
                    "purged {} sign-ins and {} pass records older than {} days",
                    p.signins, p.passes, state.config.retention_days
                ),
            )
            .await?;
    }
    Ok(p)
}

/// Starts the hourly purge task (first run at once).
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(
        async move {
            let mut tick = tokio::time::interval(PERIOD);
            loop {
                tick.tick().await;
                if let Err(e) = purge_once(&state).await {
                    tracing::error!(error = %e, "retention purge failed");
                }
            }
        }
        .instrument(tracing::info_span!("retention")),
    )
}
