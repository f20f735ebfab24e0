//! The kiosk's automatic sign-out (DESIGN §8): on start and then once a minute, on the
//! `usher-door` thread over its own ledger connection, closes the stays still open at
//! `<closingTime>` or after `<maxStayMinutes>` with an `auto` exit, by the pipeline's clock.

use crate::clock::Clock;
use crate::ledger::{LedgerError, SqliteLedger};
use crate::worker::Worker;
use std::sync::Arc;
use std::time::Duration;
use usher_core::stay::AutoExit;
use usher_core::{DoorRules, SignOutRules, sign_out_due};

/// How often the sign-out runs after the first time.
pub const EVERY: Duration = Duration::from_secs(60);

/// The automatic sign-out over its own ledger connection.
pub struct SignOut {
    ledger: SqliteLedger,
    door: DoorRules,
    device_id: String,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for SignOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SignOut({:?})", self.door.sign_out)
    }
}

impl SignOut {
    /// The sign-out of `door`'s rules, recording exits as `device_id`; `None` when the door
    /// has neither a closing time nor a longest stay.
    pub fn new(
        ledger: SqliteLedger,
        door: DoorRules,
        device_id: String,
        clock: Arc<dyn Clock>,
    ) -> Option<Self> {
        (door.sign_out != SignOutRules::default()).then_some(SignOut {
            ledger,
            door,
            device_id,
            clock,
        })
    }

    /// One round: closes the stays due by the clock now, logging how many.
    pub fn run_once(&mut self) -> Result<Vec<AutoExit>, LedgerError> {
        let closed = sign_out_due(
            &mut self.ledger,
            &self.door,
            &self.device_id,
            self.clock.now(),
        )?;
        if !closed.is_empty() {
            tracing::info!(closed = closed.len(), "automatic sign-out");
        }
        Ok(closed)
    }

    /// The ledger (tests).
    pub fn ledger(&mut self) -> &mut SqliteLedger {
        &mut self.ledger
    }
}

/// Runs `sign_out` at once and then every `every` on a thread named `usher-door`; dropping
/// the worker stops it.
pub fn spawn(mut sign_out: SignOut, every: Duration) -> std::io::Result<Worker> {
    Worker::every("usher-door", every, move || {
        if let Err(e) = sign_out.run_once() {
            tracing::error!("automatic sign-out failed: {e}");
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use usher_core::ledger::Entry;
    use usher_core::stay::{AutoReason, ExitKind};
    use usher_core::{ClockTime, DoorLedger as _, Entrance, Now, PartySize, Pass, PassId};

    /// 2026-11-24 00:00 in UTC+1 (23:00 UTC the day before).
    const LOCAL_MIDNIGHT: i64 = 1_795_392_000 + 86_400 - 3600;
    const OFFSET: i32 = 3600;

    fn closing_at_one() -> DoorRules {
        DoorRules {
            sign_out: SignOutRules {
                closing_time: ClockTime::new(1, 0),
                max_stay_minutes: None,
            },
            ..DoorRules::default()
        }
    }

    /// A real ledger file holding one stay opened at 23:30 local, the writer's connection to
    /// it, and the sign-out (closing time 01:00) over a second connection, at `local` seconds
    /// after local midnight by a fixed clock.
    fn evening(local: i64) -> (tempfile::TempDir, SqliteLedger, SignOut, Arc<FixedClock>) {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("k.db");
        let mut writer = SqliteLedger::open(&path).expect("open");
        enter(&mut writer, LOCAL_MIDNIGHT - 1800);
        let clock = Arc::new(FixedClock::new(Now {
            unix: LOCAL_MIDNIGHT + local,
            utc_offset: OFFSET,
        }));
        let ledger = SqliteLedger::open(&path).expect("open");
        let sign_out =
            SignOut::new(ledger, closing_at_one(), "door-1".into(), clock.clone()).expect("rules");
        (dir, writer, sign_out, clock)
    }

    fn enter(ledger: &mut SqliteLedger, at: i64) {
        let pass = Pass {
            id: PassId::of(b"evening"),
            payload: usher_core::Payload::default(),
        };
        ledger
            .record_entry(&Entry {
                pass: &pass,
                at,
                device_id: "door-1",
                entrance: &Entrance::main(),
                heads: PartySize::ONE,
                new_use: true,
                over_capacity: false,
            })
            .expect("entry");
    }

    #[test]
    fn a_stay_opened_at_23_30_is_closed_at_the_01_00_closing_time_with_an_auto_exit() {
        let (_dir, mut writer, mut sign_out, clock) = evening(3540);
        assert_eq!(writer.inside_now().expect("inside").total(), 1);
        // 00:59 local: not yet.
        assert_eq!(sign_out.run_once().expect("round"), vec![]);
        assert_eq!(writer.inside_now().expect("inside").total(), 1);
        // 01:00 local: closed at 01:00, for the closing time.
        clock.advance(60);
        let closed = sign_out.run_once().expect("round");
        assert_eq!(
            closed.iter().map(|c| (c.at, c.reason)).collect::<Vec<_>>(),
            vec![(LOCAL_MIDNIGHT + 3600, AutoReason::ClosingTime)]
        );
        assert_eq!(writer.inside_now().expect("inside").total(), 0);
        assert_eq!(sign_out.ledger().inside_now().expect("inside").total(), 0);
        // The file the writer reads holds the automatic exit.
        let holder = writer
            .holder(&PassId::of(b"evening"), None)
            .expect("holder");
        assert_eq!(holder.open_stay, None);
        assert_eq!(
            holder.last_exit,
            Some((LOCAL_MIDNIGHT + 3600, ExitKind::Auto))
        );
        // Once closed, a later round closes nothing more.
        clock.advance(3600);
        assert_eq!(sign_out.run_once().expect("round"), vec![]);
    }

    #[test]
    fn no_closing_time_and_no_longest_stay_start_no_sign_out() {
        let ledger = SqliteLedger::in_memory().expect("memory");
        let clock = Arc::new(FixedClock::new(Now::utc(LOCAL_MIDNIGHT)));
        assert!(SignOut::new(ledger, DoorRules::default(), "door-1".into(), clock).is_none());
    }

    #[test]
    fn the_usher_door_thread_signs_out_on_start_and_stops_when_dropped() {
        let (_dir, mut writer, sign_out, _clock) = evening(7200);
        let worker = spawn(sign_out, Duration::from_secs(3600)).expect("spawn");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while writer.inside_now().expect("inside").total() != 0 {
            assert!(std::time::Instant::now() < deadline, "not signed out");
            std::thread::sleep(Duration::from_millis(20));
        }
        let t = std::time::Instant::now();
        drop(worker);
        assert!(t.elapsed() < Duration::from_secs(5), "waited for the round");
    }
}
