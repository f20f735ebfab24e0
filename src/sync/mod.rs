//! Sync: uploads the outbox to the venue's server and fetches the passes used at other kiosks
//! and the venue's presence (who is inside, other kiosks' open stays, this kiosk's place lease).
//!
//! DESIGN §6: a row leaves the outbox only when the server has stored it (its id makes the
//! upload idempotent, so retries are free); a row the server refuses for good is parked with
//! the reason, never dropped; failures back off exponentially with jitter, capped at 5 minutes;
//! a new sign-in wakes the uploader at once. The server's `Date` header is the clock check.
//! Contact fields go as the ledger keeps them: `sealed` to the organiser's key, or (a kiosk
//! without it) as `fields` opened from the local key ([`crate::contact`]).
//!
//! [`Syncer::round`] is one pass of that loop over a [`Transport`]: [`HttpTransport`] in the
//! kiosk, anything else in tests. [`spawn`] runs rounds on a named thread. What goes on the
//! wire is [`usher_core::wire`], the contract the server's API reads.

mod feeds;
mod transport;
mod uploader;

use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::clock::{Clock, FlooredClock};
use crate::ledger::{LedgerError, SqliteLedger};
use crate::worker::Worker;

pub use transport::{HttpTransport, Reply, Transport, TransportError, exit_of, sign_in_of};

/// Most sign-ins and exits in one upload (the server takes up to 1000 of each).
pub const BATCH: usize = 500;
/// Longest wait between tries after failures.
pub const MAX_BACKOFF: Duration = Duration::from_secs(300);
/// How often an idle, healthy kiosk asks for passes used elsewhere.
pub const IDLE_POLL: Duration = Duration::from_secs(30);
/// A kiosk clock further than this from the server's is shown as a warning.
pub const MAX_SKEW_SECS: i64 = 300;

const CURSOR_KEY: &str = "used_cursor";
const DOUBLE_CURSOR_KEY: &str = "double_uses_cursor";
const LAST_UPLOAD_KEY: &str = "last_upload";
const SERVER_TIME_KEY: &str = "latest_server_time";

/// What the admin panel and status line show about sync.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncStatus {
    /// The last request got an answer.
    pub online: bool,
    /// Sign-ins and exits waiting for upload.
    pub pending: u64,
    /// Sign-ins and exits refused for good.
    pub parked: u64,
    /// When the last upload was stored.
    pub last_upload: Option<i64>,
    /// The last failure, for the admin.
    pub last_error: Option<String>,
    /// Server clock minus kiosk clock, seconds, from the last answer.
    pub clock_skew: Option<i64>,
}

impl SyncStatus {
    /// A warning for the admin when the kiosk clock is more than 5 minutes off.
    pub fn clock_warning(&self) -> Option<String> {
        let skew = self.clock_skew?;
        (skew.abs() > MAX_SKEW_SECS).then(|| {
            let dir = if skew > 0 { "behind" } else { "ahead of" };
            format!(
                "the kiosk clock is {} minutes {dir} the server's",
                skew.abs() / 60
            )
        })
    }
}

/// Exponential back-off with jitter: about 1, 2, 4 … seconds, capped at [`MAX_BACKOFF`];
/// `jitter` in [0, 1) picks a point in the upper half of each step so kiosks spread out.
pub fn backoff(failures: u32, jitter: f64) -> Duration {
    let ceiling = Duration::from_secs(1u64 << failures.saturating_sub(1).min(16)).min(MAX_BACKOFF);
    ceiling.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
}

fn jitter() -> f64 {
    match crate::random::bytes::<8>() {
        Ok(b) => (u64::from_le_bytes(b) >> 11) as f64 / (1u64 << 53) as f64,
        Err(_) => 0.5,
    }
}

/// The sync loop's state: its own ledger connection, a transport, and the shared status.
pub struct Syncer<T: Transport> {
    ledger: SqliteLedger,
    transport: T,
    clock: Arc<dyn Clock>,
    status: Arc<Mutex<SyncStatus>>,
    failures: u32,
    batch: usize,
    floor: Option<Arc<FlooredClock>>,
    backoff_scale: f64,
    entrance: usher_core::Entrance,
}

impl<T: Transport> std::fmt::Debug for Syncer<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Syncer")
            .field("failures", &self.failures)
            .field("batch", &self.batch)
            .finish()
    }
}

impl<T: Transport> Syncer<T> {
    /// A sync over `ledger` (its own connection to the kiosk's file) and `transport`.
    pub fn new(ledger: SqliteLedger, transport: T, clock: Arc<dyn Clock>) -> Self {
        Syncer {
            ledger,
            transport,
            clock,
            status: Arc::default(),
            failures: 0,
            batch: BATCH,
            floor: None,
            backoff_scale: 1.0,
            entrance: usher_core::Entrance::main(),
        }
    }

    /// Scales every back-off wait (tests: a fault-injection run that should see many faults
    /// a second rather than wait minutes; the kiosk never sets it).
    pub fn with_backoff_scale(mut self, scale: f64) -> Self {
        self.backoff_scale = scale.clamp(0.0, 1.0);
        self
    }

    /// Raises this clock's floor from the server's time in every successful answer (never
    /// from an error status; at most 5 minutes past the local clock, see [`FlooredClock`]).
    pub fn with_clock_floor(mut self, floor: Arc<FlooredClock>) -> Self {
        self.floor = Some(floor);
        self
    }

    /// The kiosk's entrance, told to the server with each presence fetch (default `main`).
    pub fn with_entrance(mut self, entrance: usher_core::Entrance) -> Self {
        self.entrance = entrance;
        self
    }

    /// The status shared with the UI.
    pub fn status(&self) -> Arc<Mutex<SyncStatus>> {
        Arc::clone(&self.status)
    }

    /// The ledger (for tests and the admin panel's reads).
    pub fn ledger(&self) -> &SqliteLedger {
        &self.ledger
    }

    /// One round: upload everything due, then fetch passes used elsewhere, double uses and
    /// presence (after the upload, so the server counts this kiosk's entries). Returns how long
    /// to wait before the next round (longer after failures).
    pub fn round(&mut self) -> Result<Duration, LedgerError> {
        let result = match self.upload_all()? {
            Ok(()) => match self.fetch_feed(CURSOR_KEY, T::used_since)? {
                Ok(()) => match self.fetch_feed(DOUBLE_CURSOR_KEY, T::double_uses_since)? {
                    Ok(()) => self.fetch_presence()?,
                    Err(e) => Err(e),
                },
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        };
        let wait = match result {
            Ok(()) => {
                self.failures = 0;
                self.set_status(|s| {
                    s.online = true;
                    s.last_error = None;
                });
                IDLE_POLL
            }
            Err(e) => {
                self.failures = self.failures.saturating_add(1);
                tracing::info!(failures = self.failures, "sync failed: {e}");
                let online = matches!(e, TransportError::Status { .. });
                self.set_status(|s| {
                    s.online = online;
                    s.last_error = Some(e.to_string());
                });
                backoff(self.failures, jitter()).mul_f64(self.backoff_scale)
            }
        };
        let (pending, parked) = (
            self.ledger.pending_uploads()? + self.ledger.pending_exit_uploads()?,
            self.ledger.parked()?.len() as u64,
        );
        let last_upload = self
            .ledger
            .sync_value(LAST_UPLOAD_KEY)?
            .and_then(|v| v.parse().ok());
        self.set_status(|s| {
            s.pending = pending;
            s.parked = parked;
            s.last_upload = last_upload;
        });
        Ok(wait)
    }

    fn set_status(&self, f: impl FnOnce(&mut SyncStatus)) {
        f(&mut self.status.lock().unwrap_or_else(PoisonError::into_inner));
    }

    /// Takes the time of a successful, authenticated answer: the clock skew shown to the
    /// admin, and the floor raised towards it (bounded) and kept in the ledger.
    fn saw_server_time(&mut self, server_time: Option<i64>) -> Result<(), LedgerError> {
        let Some(t) = server_time else { return Ok(()) };
        let local = match &self.floor {
            Some(floor) => floor.local().unix,
            None => self.clock.now().unix,
        };
        self.set_status(|s| s.clock_skew = Some(t - local));
        let Some(floor) = &self.floor else {
            return Ok(());
        };
        let kept = floor.raise_towards(t);
        let latest: i64 = self
            .ledger
            .sync_value(SERVER_TIME_KEY)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(i64::MIN);
        if kept > latest {
            self.ledger
                .set_sync_value(SERVER_TIME_KEY, &kept.to_string())?;
        }
        Ok(())
    }
}

/// A running sync thread: wake it after a new sign-in; drop it to stop the thread.
#[derive(Debug)]
pub struct SyncHandle {
    wake: mpsc::Sender<Signal>,
    /// The status the thread keeps up to date.
    pub status: Arc<Mutex<SyncStatus>>,
    _worker: Worker,
}

/// What the sync thread is told between rounds.
enum Signal {
    /// A new sign-in: upload now, if the last round went through.
    Upload,
    /// Stop after the current round.
    Stop,
}

impl SyncHandle {
    /// Asks for an upload now (a new sign-in).
    pub fn wake(&self) {
        let _ = self.wake.send(Signal::Upload);
    }

    /// A function that asks for an upload now, for the scanning pipeline to call.
    pub fn waker(&self) -> Arc<dyn Fn() + Send + Sync> {
        let wake = self.wake.clone();
        Arc::new(move || {
            let _ = wake.send(Signal::Upload);
        })
    }

    /// Stops the thread after its current round and waits for it (as dropping the handle does).
    pub fn stop(self) {}
}

/// Runs `sync` on a [`Worker`] thread named `usher-sync` until the handle is dropped.
pub fn spawn<T: Transport + 'static>(mut sync: Syncer<T>) -> std::io::Result<SyncHandle> {
    let (wake, woken) = mpsc::channel::<Signal>();
    let status = sync.status();
    let stop = wake.clone();
    let worker = Worker::spawn_stopped_by(
        "usher-sync",
        move || {
            let _ = stop.send(Signal::Stop);
        },
        move || {
            loop {
                let wait = sync.round().unwrap_or_else(|e| {
                    tracing::error!("sync cannot use the ledger: {e}");
                    MAX_BACKOFF
                });
                // A new sign-in cuts the wait short only when the last round went through
                // (DESIGN §6: "try at once after a new sign-in when online"); after a failure
                // the back-off holds, or a busy door would retry a dead server per sign-in.
                let healthy = sync.failures == 0;
                let deadline = std::time::Instant::now() + wait;
                loop {
                    let left = deadline.saturating_duration_since(std::time::Instant::now());
                    match woken.recv_timeout(left) {
                        Ok(Signal::Upload) => {
                            while let Ok(Signal::Upload) = woken.try_recv() {}
                            if healthy {
                                break;
                            }
                        }
                        Ok(Signal::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                        Err(RecvTimeoutError::Timeout) => break,
                    }
                }
            }
        },
    )?;
    Ok(SyncHandle {
        wake,
        status,
        _worker: worker,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::contact::WireContact;
    use crate::ledger::{ExitRow, OutboxRow, UploadBatch};
    use std::collections::{BTreeMap, VecDeque};
    use usher_core::wire::{self, DoubleUsesPage, UsedPage};
    use usher_core::{Claim, FirstUse, Ledger, Now, Pass, PassId, Payload};

    /// A server in memory that keeps the contract: one row per id, refusals per row.
    struct FakeServer {
        stored: BTreeMap<String, OutboxRow>,
        exits: BTreeMap<String, ExitRow>,
        refuse_exits: bool,
        uploads: usize,
        faults: VecDeque<TransportError>,
        refuse_after: Option<i64>,
        reject_batches_with: Option<i64>,
        refusal_reason: String,
        used: Vec<wire::Use>,
        revoked: Vec<wire::Revoked>,
        doubles: Vec<wire::DoubleUse>,
    }

    impl Default for FakeServer {
        fn default() -> Self {
            FakeServer {
                stored: BTreeMap::new(),
                exits: BTreeMap::new(),
                refuse_exits: false,
                uploads: 0,
                faults: VecDeque::new(),
                refuse_after: None,
                reject_batches_with: None,
                refusal_reason: "scanned in the future".into(),
                used: Vec::new(),
                revoked: Vec::new(),
                doubles: Vec::new(),
            }
        }
    }

    struct Shared(Arc<Mutex<FakeServer>>);

    impl Transport for Shared {
        fn upload(
            &mut self,
            batch: &UploadBatch,
        ) -> Result<Reply<wire::UploadAnswer>, TransportError> {
            let mut server = self.0.lock().expect("lock");
            server.uploads += 1;
            if let Some(fault) = server.faults.pop_front() {
                return Err(fault);
            }
            if let Some(t) = server.reject_batches_with
                && batch.signins.iter().any(|r| r.scanned_at == t)
            {
                return Err(TransportError::Status {
                    code: 400,
                    reason: "bad sign-in".into(),
                    server_time: None,
                });
            }
            let mut reply = wire::UploadAnswer::default();
            for exit in &batch.exits {
                if server.refuse_exits {
                    reply.refused.push(wire::Refusal {
                        id: exit.id.clone(),
                        reason: "closes is \"Zoë\"".into(),
                    });
                } else if server.exits.insert(exit.id.clone(), exit.clone()).is_some() {
                    reply.known.push(exit.id.clone());
                } else {
                    reply.stored.push(exit.id.clone());
                }
            }
            for row in &batch.signins {
                if server.refuse_after.is_some_and(|t| row.scanned_at > t) {
                    reply.refused.push(wire::Refusal {
                        id: row.id.clone(),
                        reason: server.refusal_reason.clone(),
                    });
                } else if server.stored.insert(row.id.clone(), row.clone()).is_some() {
                    reply.known.push(row.id.clone());
                } else {
                    reply.stored.push(row.id.clone());
                }
            }
            Ok(Reply {
                body: reply,
                server_time: Some(1_000_000),
            })
        }

        fn used_since(&mut self, cursor: Option<&str>) -> Result<Reply<UsedPage>, TransportError> {
            let server = self.0.lock().expect("lock");
            let from: usize = cursor.and_then(|c| c.parse().ok()).unwrap_or(0);
            let page: Vec<_> = server.used.iter().skip(from).take(2).cloned().collect();
            let next = (from + page.len()).to_string();
            Ok(Reply {
                body: UsedPage {
                    used: page,
                    revoked: if from == 0 {
                        server.revoked.clone()
                    } else {
                        Vec::new()
                    },
                    next,
                    ..UsedPage::default()
                },
                server_time: Some(1_000_000),
            })
        }

        fn double_uses_since(
            &mut self,
            cursor: Option<&str>,
        ) -> Result<Reply<DoubleUsesPage>, TransportError> {
            let server = self.0.lock().expect("lock");
            let from: usize = cursor.and_then(|c| c.parse().ok()).unwrap_or(0);
            let page: Vec<_> = server.doubles.iter().skip(from).take(2).cloned().collect();
            let next = (from + page.len()).to_string();
            Ok(Reply {
                body: DoubleUsesPage {
                    double_uses: page,
                    next,
                },
                server_time: Some(1_000_000),
            })
        }

        fn presence(
            &mut self,
            _: &wire::PresenceQuery,
        ) -> Result<Reply<wire::Presence>, TransportError> {
            Ok(Reply {
                body: wire::Presence {
                    server_time: 1_000_000,
                    ..wire::Presence::default()
                },
                server_time: Some(1_000_000),
            })
        }
    }

    #[test]
    fn double_uses_the_server_reports_reach_the_ledger_once() {
        let doubles: Vec<wire::DoubleUse> = (0..3)
            .map(|i: i64| wire::DoubleUse {
                pass_id: PassId::of(&i.to_le_bytes()).to_hex(),
                first_at: 100 + i,
                first_device_id: "door-1".into(),
                at: 200 + i,
                device_id: "door-2".into(),
            })
            .collect();
        let (mut sync, _server, _dir) = sync_over(
            0,
            FakeServer {
                doubles,
                ..Default::default()
            },
        );
        sync.round().expect("round");
        sync.round().expect("again");
        let found = sync.ledger().double_uses().expect("doubles");
        assert_eq!(found.len(), 3);
        assert_eq!(
            found[0].1,
            FirstUse {
                at: 100,
                device_id: "door-1".into()
            }
        );
        assert_eq!(
            found[0].2,
            FirstUse {
                at: 200,
                device_id: "door-2".into()
            }
        );
    }

    fn ledger_with(n: i64, dir: &std::path::Path) -> SqliteLedger {
        let mut ledger = SqliteLedger::open(&dir.join("k.db")).expect("open");
        for i in 0..n {
            let pass = Pass {
                id: PassId::of(&i.to_le_bytes()),
                payload: Payload::default(),
            };
            ledger
                .claim(&Claim {
                    pass: &pass,
                    at: 100 + i,
                    counts_since: None,
                    device_id: "door-1",
                })
                .expect("claim");
        }
        ledger
    }

    fn sync_over(
        n: i64,
        server: FakeServer,
    ) -> (Syncer<Shared>, Arc<Mutex<FakeServer>>, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("tmp");
        let server = Arc::new(Mutex::new(server));
        let clock = Arc::new(FixedClock::new(Now::utc(1_000_000 - 600)));
        let sync = Syncer::new(
            ledger_with(n, dir.path()),
            Shared(Arc::clone(&server)),
            clock,
        );
        (sync, server, dir)
    }

    #[test]
    fn sealed_rows_go_as_base64_and_local_ones_as_fields_never_both() {
        let row = |contact| OutboxRow {
            id: "a1".into(),
            pass_id: PassId::of(b"x"),
            scanned_at: 5,
            device_id: "door-1".into(),
            valid_until: None,
            contact,
            entrance: Some("sisters".into()),
            heads: Some(3),
            over_capacity: true,
            reentry: false,
            registration: Some("R7".into()),
        };
        let sealed = row(WireContact::Sealed(vec![1, 2, 3]));
        let v = serde_json::to_value(sign_in_of(&sealed)).expect("json");
        assert_eq!(v["sealed"], "AQID");
        assert_eq!(v["registration"], "R7", "the pass's r goes up");
        assert_eq!(
            (&v["entrance"], &v["heads"], &v["over_capacity"]),
            (
                &serde_json::json!("sisters"),
                &serde_json::json!(3),
                &serde_json::json!(true)
            )
        );
        assert!(v.get("fields").is_none(), "{v}");
        let local = row(WireContact::Fields(r#"{"s1":"Zoë"}"#.into()));
        let v = serde_json::to_value(sign_in_of(&local)).expect("json");
        assert_eq!(v["fields"]["s1"], "Zoë");
        assert!(v.get("sealed").is_none(), "{v}");
        assert!(
            !format!("{local:?}").contains("Zoë"),
            "Debug hides contact data"
        );
    }

    #[test]
    fn backoff_grows_with_jitter_and_caps_at_five_minutes() {
        assert_eq!(backoff(1, 1.0), Duration::from_secs(1));
        assert_eq!(backoff(1, 0.0), Duration::from_millis(500));
        assert_eq!(backoff(4, 1.0), Duration::from_secs(8));
        assert_eq!(backoff(30, 1.0), MAX_BACKOFF);
        assert_eq!(backoff(u32::MAX, 0.0), MAX_BACKOFF / 2);
        let j = jitter();
        assert!((0.0..1.0).contains(&j));
    }

    #[test]
    fn a_round_uploads_every_row_once_in_batches() {
        let (mut sync, server, _dir) = sync_over(1_203, FakeServer::default());
        assert_eq!(sync.round().expect("round"), IDLE_POLL);
        let s = server.lock().expect("lock");
        assert_eq!(s.stored.len(), 1_203);
        assert_eq!(s.uploads, 3, "batches of {BATCH}");
        drop(s);
        let status = sync.status().lock().expect("status").clone();
        assert!(status.online);
        assert_eq!((status.pending, status.parked), (0, 0));
        assert_eq!(status.last_upload, Some(1_000_000 - 600));
        assert_eq!(status.clock_skew, Some(600));
        assert!(
            status
                .clock_warning()
                .expect("10 minutes off")
                .contains("10 minutes behind")
        );
    }

    #[test]
    fn a_server_clock_far_ahead_raises_the_floor_five_minutes_and_an_admin_lowers_it() {
        let (sync, _server, dir) = sync_over(1, FakeServer::default());
        let local = Arc::new(FixedClock::new(Now::utc(1_000_000 - 600)));
        let floor = Arc::new(FlooredClock::new(
            local,
            Arc::new(std::sync::atomic::AtomicI64::new(i64::MIN)),
        ));
        let mut sync = sync.with_clock_floor(Arc::clone(&floor));
        sync.round().expect("round");
        let kept = 1_000_000 - 600 + crate::clock::MAX_FLOOR_LEAD;
        assert_eq!(floor.now().unix, kept, "the server is 10 minutes ahead");
        assert_eq!(sync.ledger().latest_time_seen().expect("seen"), kept);
        assert!(
            sync.status()
                .lock()
                .expect("status")
                .clock_warning()
                .is_some()
        );
        let mut ledger = SqliteLedger::open(&dir.path().join("k.db")).expect("open");
        ledger.trust_local_clock().expect("trust");
        assert_eq!(
            ledger.latest_time_seen().expect("seen"),
            i64::MIN,
            "neither the server's time nor the records made before count"
        );
    }

    #[test]
    fn failures_keep_rows_and_back_off_then_retries_store_each_once() {
        let faults = VecDeque::from([
            TransportError::Unreachable("reset".into()),
            TransportError::Status {
                code: 500,
                reason: "oops".into(),
                server_time: None,
            },
            TransportError::Status {
                code: 401,
                reason: "revoked".into(),
                server_time: None,
            },
        ]);
        let (mut sync, server, _dir) = sync_over(
            10,
            FakeServer {
                faults,
                ..Default::default()
            },
        );
        let waits: Vec<Duration> = (0..3).map(|_| sync.round().expect("round")).collect();
        assert!(
            waits[0] <= Duration::from_secs(1) && waits[2] >= Duration::from_secs(2),
            "{waits:?}"
        );
        let status = sync.status().lock().expect("status").clone();
        assert_eq!(status.pending, 10);
        assert!(
            status
                .last_error
                .as_deref()
                .is_some_and(|e| e.contains("revoked"))
        );
        assert_eq!(sync.round().expect("round"), IDLE_POLL);
        assert_eq!(server.lock().expect("lock").stored.len(), 10);
        assert_eq!(sync.ledger().pending_uploads().expect("n"), 0);
    }

    #[test]
    fn a_lost_answer_is_retried_and_the_server_reports_it_known() {
        let (mut sync, server, _dir) = sync_over(5, FakeServer::default());
        // The server stores the batch but the answer is lost: simulate by storing first.
        let rows = SqliteLedger::open(&_dir.path().join("k.db"))
            .expect("open")
            .upload_batch(10)
            .expect("rows");
        Shared(Arc::clone(&server))
            .upload(&rows)
            .expect("store behind the kiosk's back");
        sync.round().expect("round");
        assert_eq!(server.lock().expect("lock").stored.len(), 5);
        assert_eq!(sync.ledger().pending_uploads().expect("n"), 0);
    }

    #[test]
    fn refused_rows_are_parked_with_the_reason_and_the_rest_upload() {
        let server = FakeServer {
            refuse_after: Some(104),
            ..Default::default()
        };
        let (mut sync, server, _dir) = sync_over(8, server);
        sync.round().expect("round");
        assert_eq!(server.lock().expect("lock").stored.len(), 5);
        let parked = sync.ledger().parked().expect("parked");
        assert_eq!(parked.len(), 3);
        assert!(parked.iter().all(|p| p.reason == "scanned in the future"));
        assert_eq!(sync.status().lock().expect("status").parked, 3);
    }

    #[test]
    fn a_refusal_reason_quoting_a_value_is_kept_without_it() {
        let server = FakeServer {
            refuse_after: Some(100),
            refusal_reason: "invalid type: string \"Zoë Secret\", expected i64".into(),
            ..Default::default()
        };
        let (mut sync, _server, _dir) = sync_over(2, server);
        sync.round().expect("round");
        let parked = sync.ledger().parked().expect("parked");
        assert_eq!(parked.len(), 1);
        assert_eq!(parked[0].reason, "invalid type: string …, expected i64");
    }

    #[test]
    fn a_batch_the_server_rejects_whole_is_split_to_find_the_bad_row() {
        let server = FakeServer {
            reject_batches_with: Some(103),
            ..Default::default()
        };
        let (mut sync, server, _dir) = sync_over(6, server);
        sync.round().expect("round");
        assert_eq!(server.lock().expect("lock").stored.len(), 5);
        let parked = sync.ledger().parked().expect("parked");
        assert_eq!(parked.len(), 1);
        assert_eq!(parked[0].reason, "bad sign-in");
        assert_eq!(sync.ledger().pending_uploads().expect("n"), 0);
    }

    #[test]
    fn revoked_passes_come_with_the_used_feed_and_are_kept_until_they_expire() {
        let revoked = PassId::of(b"revoked");
        let (mut sync, _server, dir) = sync_over(
            0,
            FakeServer {
                revoked: vec![
                    wire::Revoked {
                        pass_id: revoked.to_hex(),
                        valid_until: 5_000,
                    },
                    wire::Revoked {
                        pass_id: "not hex".into(),
                        valid_until: 5_000,
                    },
                ],
                ..Default::default()
            },
        );
        sync.round().expect("round");
        sync.round().expect("again: nothing new");
        let mut ledger = SqliteLedger::open(&dir.path().join("k.db")).expect("open");
        assert!(ledger.revoked(&revoked).expect("read"));
        assert!(!ledger.revoked(&PassId::of(b"other")).expect("read"));
        assert_eq!(ledger.purge_before(5_000).expect("purge").revoked, 0);
        assert_eq!(ledger.purge_before(5_001).expect("purge").revoked, 1);
        assert!(!ledger.revoked(&revoked).expect("read"));
    }

    #[test]
    fn used_passes_are_fetched_page_by_page_and_make_once_hold() {
        let used: Vec<wire::Use> = (0..5)
            .map(|i: i64| wire::Use {
                pass_id: PassId::of(&(1000 + i).to_le_bytes()).to_hex(),
                first_at: 50 + i,
                device_id: "door-2".into(),
                valid_until: None,
            })
            .collect();
        let (mut sync, _server, _dir) = sync_over(
            0,
            FakeServer {
                used,
                ..Default::default()
            },
        );
        sync.round().expect("round");
        sync.round().expect("again: nothing new");
        let mut ledger = SqliteLedger::open(&_dir.path().join("k.db")).expect("open");
        let pass = Pass {
            id: PassId::of(&1003i64.to_le_bytes()),
            payload: Payload::default(),
        };
        let out = ledger
            .claim(&Claim {
                pass: &pass,
                at: 500,
                counts_since: Some(i64::MIN),
                device_id: "door-1",
            })
            .expect("claim");
        assert_eq!(
            out,
            usher_core::ClaimOutcome::AlreadyUsed(usher_core::FirstUse {
                at: 53,
                device_id: "door-2".into()
            })
        );
        assert_eq!(
            ledger.sync_value(CURSOR_KEY).expect("cursor").as_deref(),
            Some("5")
        );
    }

    #[test]
    fn wakes_do_not_cut_the_back_off_short_after_a_failure() {
        let faults = (0..50)
            .map(|_| TransportError::Unreachable("down".into()))
            .collect();
        let (sync, server, _dir) = sync_over(
            1,
            FakeServer {
                faults,
                ..Default::default()
            },
        );
        let handle = spawn(sync).expect("spawn");
        // The first round fails at once; back-off after one failure is at least 0.5 s.
        for _ in 0..20 {
            handle.wake();
            std::thread::sleep(Duration::from_millis(10));
        }
        let tries = server.lock().expect("lock").uploads;
        handle.stop();
        assert_eq!(tries, 1, "woken 20 times while backing off");
    }

    #[test]
    fn the_thread_uploads_when_woken_and_stops_when_dropped() {
        let (sync, server, dir) = sync_over(0, FakeServer::default());
        let handle = spawn(sync).expect("spawn");
        let mut writer = SqliteLedger::open(&dir.path().join("k.db")).expect("open");
        let pass = Pass {
            id: PassId::of(b"new"),
            payload: Payload::default(),
        };
        writer
            .claim(&Claim {
                pass: &pass,
                at: 1,
                counts_since: None,
                device_id: "door-1",
            })
            .expect("claim");
        handle.wake();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while server.lock().expect("lock").stored.is_empty() {
            assert!(
                std::time::Instant::now() < deadline,
                "not uploaded after a wake"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        handle.stop();
    }

    /// A kiosk's door: `n` entries at `100 + i` (party of `i % 3 + 1`, the third over
    /// capacity), every other one left at `150 + i`, one automatic exit and one exit with no
    /// stay.
    fn door_ledger(dir: &std::path::Path, n: i64) -> SqliteLedger {
        use usher_core::ledger::{Entry, Exit};
        use usher_core::stay::ExitKind;
        use usher_core::{DoorLedger as _, Entrance, PartySize};
        let mut ledger = SqliteLedger::open(&dir.join("k.db")).expect("open");
        let main: Entrance = "main".parse().expect("entrance");
        for i in 0..n {
            let pass = Pass {
                id: PassId::of(&i.to_le_bytes()),
                payload: Payload::default(),
            };
            let entry = ledger
                .record_entry(&Entry {
                    pass: &pass,
                    at: 100 + i,
                    device_id: "door-1",
                    entrance: &main,
                    heads: PartySize::new((i % 3 + 1) as u64).expect("heads"),
                    new_use: true,
                    over_capacity: i == 2,
                })
                .expect("entry");
            if i % 2 == 0 {
                let kind = if i == 0 {
                    ExitKind::Auto
                } else {
                    ExitKind::Scan
                };
                ledger
                    .record_exit(&Exit {
                        pass_id: pass.id,
                        at: 150 + i,
                        device_id: "door-1",
                        entrance: &main,
                        closes: Some(&entry),
                        kind,
                    })
                    .expect("exit");
            }
        }
        ledger
            .record_exit(&Exit {
                pass_id: PassId::of(b"stranger"),
                at: 400,
                device_id: "door-1",
                entrance: &main,
                closes: None,
                kind: ExitKind::Scan,
            })
            .expect("exit without stay");
        ledger
    }

    #[test]
    fn entries_carry_their_stay_and_exits_go_up_once_with_the_entry_they_close() {
        let dir = tempfile::tempdir().expect("tmp");
        let server = Arc::new(Mutex::new(FakeServer::default()));
        let clock = Arc::new(FixedClock::new(Now::utc(1_000_000 - 600)));
        let mut sync = Syncer::new(
            door_ledger(dir.path(), 7),
            Shared(Arc::clone(&server)),
            clock,
        );
        sync.batch = 3;
        sync.round().expect("round");
        sync.round().expect("again: nothing new");
        let s = server.lock().expect("lock");
        assert_eq!((s.stored.len(), s.exits.len()), (7, 5));
        assert_eq!(
            s.uploads, 4,
            "12 rows in batches of 3, then nothing to send"
        );
        let third = s
            .stored
            .values()
            .find(|r| r.scanned_at == 102)
            .expect("entry 2");
        assert_eq!(
            (third.entrance.as_deref(), third.heads, third.over_capacity),
            (Some("main"), Some(3), true)
        );
        for exit in s.exits.values().filter(|e| e.closes.is_some()) {
            let closed = &s.stored[exit.closes.as_ref().expect("closes")];
            assert_eq!(closed.pass_id, exit.pass_id);
            assert_eq!(exit.at - closed.scanned_at, 50);
        }
        let kinds: Vec<_> = s.exits.values().map(|e| (e.at, e.kind.as_str())).collect();
        assert!(
            kinds.contains(&(150, "auto")) && kinds.contains(&(400, "scan")),
            "{kinds:?}"
        );
        assert_eq!(s.exits.values().filter(|e| e.closes.is_none()).count(), 1);
        drop(s);
        assert_eq!(sync.status().lock().expect("status").pending, 0);
    }

    #[test]
    fn refused_exits_are_parked_with_the_reason_and_never_sent_again() {
        let dir = tempfile::tempdir().expect("tmp");
        let server = Arc::new(Mutex::new(FakeServer {
            refuse_exits: true,
            ..Default::default()
        }));
        let clock = Arc::new(FixedClock::new(Now::utc(1_000_000 - 600)));
        let mut sync = Syncer::new(
            door_ledger(dir.path(), 2),
            Shared(Arc::clone(&server)),
            clock,
        );
        sync.round().expect("round");
        let parked = sync.ledger().parked().expect("parked");
        assert_eq!(parked.len(), 2, "{parked:?}");
        assert!(
            parked.iter().all(|p| p.reason == "closes is …"),
            "{parked:?}"
        );
        assert_eq!(sync.status().lock().expect("status").parked, 2);
        let uploads = server.lock().expect("lock").uploads;
        sync.round().expect("again");
        assert_eq!(
            server.lock().expect("lock").uploads,
            uploads,
            "nothing left to send"
        );
        assert_eq!(sync.ledger().pending_exit_uploads().expect("n"), 0);
    }
}
