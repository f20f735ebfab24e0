//! The kiosk's retention purge: on start and then hourly, on the `usher-retention` thread,
//! deletes what is older than `retentionDays` (default 21) of its uses, scan log, uploaded
//! outbox rows and reported double uses (a use only once its pass has expired too, so `once`
//! holds for as long as the pass). Sign-ins not yet uploaded (parked ones included)
//! and their uses are never touched (DESIGN §6).

use crate::clock::Clock;
use crate::ledger::{LedgerError, Purged, SqliteLedger};
use crate::worker::Worker;
use std::sync::Arc;
use std::time::Duration;

/// How often the purge runs after the first time.
pub const EVERY: Duration = Duration::from_secs(3600);

/// The purge over its own ledger connection.
pub struct Retention {
    ledger: SqliteLedger,
    clock: Arc<dyn Clock>,
    days: u32,
}

impl std::fmt::Debug for Retention {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Retention({} days)", self.days)
    }
}

impl Retention {
    /// A purge keeping `days` days.
    pub fn new(ledger: SqliteLedger, clock: Arc<dyn Clock>, days: u32) -> Self {
        Retention {
            ledger,
            clock,
            days,
        }
    }

    /// The oldest moment kept, by the clock now.
    pub fn cutoff(&self) -> i64 {
        self.clock
            .now()
            .unix
            .saturating_sub(i64::from(self.days) * 86_400)
    }

    /// One purge, logged with its counts.
    pub fn run_once(&mut self) -> Result<Purged, LedgerError> {
        let purged = self.ledger.purge_before(self.cutoff())?;
        tracing::info!(
            days = self.days,
            uses = purged.uses,
            scan_log = purged.scan_log,
            outbox = purged.outbox,
            double_uses = purged.double_uses,
            remote_uses = purged.remote_uses,
            stays = purged.stays,
            exits = purged.exits,
            "retention purge"
        );
        Ok(purged)
    }

    /// The ledger (tests).
    pub fn ledger(&self) -> &SqliteLedger {
        &self.ledger
    }
}

/// Runs `retention` at once and then every `every` on a thread named `usher-retention`;
/// dropping the worker stops it.
pub fn spawn(mut retention: Retention, every: Duration) -> std::io::Result<Worker> {
    Worker::every("usher-retention", every, move || {
        if let Err(e) = retention.run_once() {
            tracing::error!("retention purge failed: {e}");
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use usher_core::{Claim, Ledger as _, Now, Pass, PassId, Payload};

    const DAY: i64 = 86_400;

    fn accept(ledger: &mut SqliteLedger, n: u8, at: i64) -> String {
        let mut payload = Payload::default();
        payload.strings[0] = Some(format!("Visitor {n}"));
        // Valid for an hour after its use: its use may go with the sign-in.
        payload.expiry = u64::try_from(at + 3600).ok();
        let pass = Pass {
            id: PassId::of(&[n]),
            payload,
        };
        ledger
            .claim(&Claim {
                pass: &pass,
                at,
                counts_since: Some(i64::MIN),
                device_id: "door-1",
            })
            .expect("claim");
        let batch = ledger.pending_batch(100).expect("batch");
        batch
            .iter()
            .find(|r| r.pass_id == pass.id)
            .expect("row")
            .id
            .clone()
    }

    #[test]
    fn the_purge_keeps_21_days_by_the_clock_and_never_waiting_rows() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("k.db");
        let start = 1_750_000_000;
        let clock = Arc::new(FixedClock::new(Now::utc(start)));
        let mut writer = SqliteLedger::open(&path).expect("open");
        let uploaded = accept(&mut writer, 1, start);
        let _waiting = accept(&mut writer, 2, start);
        let parked = accept(&mut writer, 3, start);
        writer.mark_uploaded(&[uploaded], start + 60).expect("up");
        writer.park(&parked, "refused").expect("park");
        let mut retention =
            Retention::new(SqliteLedger::open(&path).expect("open"), clock.clone(), 21);
        // 20 days on: nothing is old enough.
        clock.advance(20 * DAY);
        assert_eq!(retention.run_once().expect("purge"), Purged::default());
        // 22 days on: the uploaded row, its use and the scan log go.
        clock.advance(2 * DAY);
        let purged = retention.run_once().expect("purge");
        assert_eq!((purged.outbox, purged.uses, purged.scan_log), (1, 1, 3));
        let ledger = retention.ledger();
        assert_eq!(ledger.pending_uploads().expect("n"), 1);
        assert_eq!(ledger.parked().expect("p").len(), 1);
        assert_eq!(ledger.local_uses().expect("n"), 2);
        // A year on, still: rows not uploaded stay, whatever their age.
        clock.advance(365 * DAY);
        assert_eq!(retention.run_once().expect("purge"), Purged::default());
        assert_eq!(retention.ledger().pending_uploads().expect("n"), 1);
    }

    #[test]
    fn the_thread_purges_on_start_and_stops_when_dropped() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("k.db");
        let mut writer = SqliteLedger::open(&path).expect("open");
        let id = accept(&mut writer, 1, 1_000);
        writer.mark_uploaded(&[id], 1_001).expect("up");
        let clock = Arc::new(FixedClock::new(Now::utc(1_000 + 30 * DAY)));
        let handle = spawn(
            Retention::new(SqliteLedger::open(&path).expect("open"), clock, 21),
            Duration::from_secs(3600),
        )
        .expect("spawn");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while writer.local_uses().expect("n") > 0 {
            assert!(std::time::Instant::now() < deadline, "not purged on start");
            std::thread::sleep(Duration::from_millis(10));
        }
        let t = std::time::Instant::now();
        drop(handle);
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "stops without waiting an hour"
        );
    }
}
