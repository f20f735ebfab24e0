//! The kiosk's single-use ledger: one SQLite file, WAL, `synchronous=FULL`.
//!
//! Tables (schema version in `PRAGMA user_version`, migrations in [`MIGRATIONS`]):
//! - `uses`: every accepted use of a pass (this kiosk's, and later other kiosks' from sync);
//! - `outbox`: one row per accepted sign-in (a use, or a re-entry's stay) waiting for upload,
//!   with an id made here (scan time, then 88 random bits);
//! - `scan_log`: every verdict, for counts and audit (rejections never leave the kiosk);
//! - `sync_state`: key/value rows: the sync cursor, the last upload, the latest server time
//!   seen, and the admin PIN's wrong-PIN count and lockout ([`crate::gate`]);
//! - `reported_double_uses`: passes the server saw accepted at two kiosks;
//! - `revoked_passes`: passes their holders revoked (DESIGN §9, from the used feed), refused as
//!   `qr_not_authorized` until they would have expired;
//! - `stays`: the door's entries (DESIGN §8), open until `exited_at` is set; `exits`: every
//!   exit, with the entry it closes (`NULL`: an exit with no open stay); `inside_now`: the head
//!   counts of open stays per entrance, kept by triggers on `stays`;
//! - `remote_stays`, `remote_inside`: the other kiosks' open stays and head counts per entrance
//!   from the last presence fetch (an exit here closes a remote stay by trigger); the place
//!   lease and `presence_fetched_at` are `sync_state` rows.
//! - While the party prompt is open a stay is held (`stays.party_open`): its outbox row is not
//!   uploaded; the holder's display name is kept sealed (`stays.name`) for the roll call while
//!   the stay is open and erased in the transaction that closes it.
//!
//! An entry that is a use of the pass ([`usher_core::ledger::Entry::new_use`]) writes its
//! `uses` and `outbox` rows exactly as a claim does, and its entry id *is* the outbox id: the
//! sign-in upload carries the stay's entrance, head count and override (joined by entry id in
//! [`SqliteLedger::pending_batch`]), and marks the stay uploaded with its outbox row. A
//! re-entry (back after stepping out, no new use) writes no `uses` row but an outbox row all
//! the same (no `use_id`), so its stay goes up flagged `reentry` and its exit closes it on the
//! server. Exits go up in the same batches ([`SqliteLedger::upload_batch`]) and are marked
//! uploaded or parked as outbox rows are. No contact data is kept in clear in `stays` or `exits` (the roll call's `name`
//! is sealed).
//!
//! Contact fields never reach the file in clear: each outbox row keeps them in `contact`,
//! sealed to the organiser's key or under the local key ([`crate::contact`]); `fields` is the
//! plaintext column of ledgers before schema 4, emptied (and the file vacuumed) on open. When a
//! row is uploaded its contact data is erased; `secure_delete` zeroes freed bytes and the WAL is
//! truncated after each erasure, so old pages do not linger in either file.
//!
//! A claim runs in one `BEGIN IMMEDIATE` transaction: the `qr_used` check, the `uses` row,
//! the outbox row and the scan-log row commit together or not at all, and the verdict is
//! shown only after the commit returns. At the door, [`DoorLedger::atomically`] is that same
//! `BEGIN IMMEDIATE` transaction around the holder's facts, the inside-now counts, the
//! `qr_full` check and every row the verdict writes.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;
use usher_core::lease::{HeldLease, KioskReport, PlaceLease};
use usher_core::ledger::{Entry, Exit};
use usher_core::stay::ExitKind;
use usher_core::{
    Claim, ClaimOutcome, DoorLedger, Entrance, EntryId, FirstUse, Holder, InsideNow, Ledger,
    OpenStay, PartySize, Pass, PassId, Rejection, VerdictKind,
};

use crate::contact::{ContactError, Protection, WireContact};

/// The `sync_state` key of the last `scan_log` row made before the admin trusted this
/// computer's clock: only later rows count for the clock floor.
const CLOCK_TRUSTED_KEY: &str = "clock_trusted_after_row";

/// Schema migrations; entry `i` takes the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    r"
CREATE TABLE uses (
    id        INTEGER PRIMARY KEY,
    pass_id   BLOB    NOT NULL,
    used_at   INTEGER NOT NULL,
    device_id TEXT    NOT NULL,
    origin    TEXT    NOT NULL DEFAULT 'local' CHECK (origin IN ('local', 'remote'))
);
CREATE INDEX uses_by_pass ON uses (pass_id, used_at);
CREATE TABLE outbox (
    id            TEXT    PRIMARY KEY,
    use_id        INTEGER NOT NULL REFERENCES uses (id),
    created_at    INTEGER NOT NULL,
    fields        TEXT    NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    parked_reason TEXT,
    uploaded_at   INTEGER
);
CREATE INDEX outbox_pending ON outbox (uploaded_at, parked_reason);
CREATE TABLE scan_log (
    id      INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    verdict TEXT    NOT NULL,
    reason  TEXT    NOT NULL,
    pass_id BLOB
);
CREATE INDEX scan_log_by_time ON scan_log (at);
",
    r"
CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE UNIQUE INDEX uses_remote_once ON uses (pass_id, device_id) WHERE origin = 'remote';
",
    r"
CREATE TABLE reported_double_uses (
    pass_id         BLOB    NOT NULL,
    first_at        INTEGER NOT NULL,
    first_device_id TEXT    NOT NULL,
    at              INTEGER NOT NULL,
    device_id       TEXT    NOT NULL,
    PRIMARY KEY (pass_id, device_id, at)
);
",
    r"
ALTER TABLE outbox ADD COLUMN contact BLOB;
",
    // Until when the pass of a use can still be shown (its expiry), so the retention purge
    // keeps the uses that `once` and the other reuse policies still need. NULL: from before.
    r"
ALTER TABLE uses ADD COLUMN valid_until INTEGER;
",
    // The door (DESIGN §8): stays, exits and the inside-now counts. Only open stays are in
    // the partial indexes, and `inside_now` is kept by triggers, so the counts and the holder's
    // open stay cost the same with a million closed stays as with none.
    r"
CREATE TABLE stays (
    id            INTEGER PRIMARY KEY,
    entry_id      TEXT    NOT NULL UNIQUE,
    pass_id       BLOB    NOT NULL,
    entrance      TEXT    NOT NULL,
    heads         INTEGER NOT NULL CHECK (heads BETWEEN 1 AND 20),
    entered_at    INTEGER NOT NULL,
    device_id     TEXT    NOT NULL,
    new_use       INTEGER NOT NULL CHECK (new_use IN (0, 1)),
    over_capacity INTEGER NOT NULL CHECK (over_capacity IN (0, 1)),
    exited_at     INTEGER,
    exit_kind     TEXT    CHECK (exit_kind IN ('scan', 'auto')),
    uploaded_at   INTEGER,
    CHECK ((exited_at IS NULL) = (exit_kind IS NULL))
);
CREATE INDEX stays_open_by_pass ON stays (pass_id, entered_at) WHERE exited_at IS NULL;
CREATE INDEX stays_open_by_time ON stays (entered_at) WHERE exited_at IS NULL;
CREATE TABLE exits (
    id          TEXT    PRIMARY KEY,
    pass_id     BLOB    NOT NULL,
    at          INTEGER NOT NULL,
    device_id   TEXT    NOT NULL,
    entrance    TEXT    NOT NULL,
    closes      TEXT,
    kind        TEXT    NOT NULL CHECK (kind IN ('scan', 'auto')),
    uploaded_at INTEGER
);
CREATE INDEX exits_by_pass ON exits (pass_id, at);
CREATE TABLE inside_now (
    entrance TEXT    PRIMARY KEY,
    heads    INTEGER NOT NULL CHECK (heads >= 0)
) WITHOUT ROWID;
CREATE TRIGGER stays_count_entry AFTER INSERT ON stays WHEN NEW.exited_at IS NULL BEGIN
    INSERT INTO inside_now (entrance, heads) VALUES (NEW.entrance, NEW.heads)
    ON CONFLICT (entrance) DO UPDATE SET heads = heads + excluded.heads;
END;
CREATE TRIGGER stays_count_change AFTER UPDATE OF exited_at, heads, entrance ON stays BEGIN
    UPDATE inside_now SET heads = heads - OLD.heads
    WHERE entrance = OLD.entrance AND OLD.exited_at IS NULL;
    INSERT INTO inside_now (entrance, heads) SELECT NEW.entrance, NEW.heads
    WHERE NEW.exited_at IS NULL
    ON CONFLICT (entrance) DO UPDATE SET heads = heads + excluded.heads;
END;
CREATE TRIGGER stays_count_delete AFTER DELETE ON stays WHEN OLD.exited_at IS NULL BEGIN
    UPDATE inside_now SET heads = heads - OLD.heads WHERE entrance = OLD.entrance;
END;
",
    // The door's upload: exits go up with the sign-ins (parked with a reason when the server
    // refuses one, as outbox rows are); a stay is marked uploaded with its entry's outbox row.
    r"
ALTER TABLE exits ADD COLUMN parked_reason TEXT;
ALTER TABLE exits ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
CREATE INDEX exits_pending ON exits (at) WHERE uploaded_at IS NULL AND parked_reason IS NULL;
CREATE INDEX exits_closes ON exits (closes);
UPDATE stays SET uploaded_at = (SELECT o.uploaded_at FROM outbox o WHERE o.id = stays.entry_id)
WHERE uploaded_at IS NULL;
",
    // Presence (DESIGN §8): the open stays of other kiosks and their head counts per entrance,
    // as the last presence fetch gave them (replaced whole at each fetch). An exit recorded
    // here that closes one of them closes it here too (trigger), and its heads leave
    // `remote_inside`, so inside now = `inside_now` (this kiosk's own, live) + `remote_inside`
    // (the others', as fetched, less the exits here since) without scanning any stay.
    r"
CREATE TABLE remote_stays (
    entry_id   TEXT    PRIMARY KEY,
    pass_id    BLOB    NOT NULL,
    entrance   TEXT    NOT NULL,
    heads      INTEGER NOT NULL CHECK (heads BETWEEN 1 AND 20),
    entered_at INTEGER NOT NULL,
    device_id  TEXT    NOT NULL,
    exited_at  INTEGER
);
CREATE INDEX remote_stays_open_by_pass ON remote_stays (pass_id, entered_at)
    WHERE exited_at IS NULL;
CREATE TABLE remote_inside (
    entrance TEXT    PRIMARY KEY,
    heads    INTEGER NOT NULL CHECK (heads >= 0)
) WITHOUT ROWID;
CREATE TRIGGER exits_close_remote AFTER INSERT ON exits WHEN NEW.closes IS NOT NULL BEGIN
    UPDATE remote_stays SET exited_at = NEW.at
    WHERE entry_id = NEW.closes AND exited_at IS NULL;
END;
CREATE TRIGGER remote_stays_closed AFTER UPDATE OF exited_at ON remote_stays
WHEN OLD.exited_at IS NULL AND NEW.exited_at IS NOT NULL BEGIN
    UPDATE remote_inside SET heads = MAX(heads - OLD.heads, 0) WHERE entrance = OLD.entrance;
END;
",
    // The kiosk at the door: `party_open` holds an entry back from upload while the party
    // prompt asks how many came (settled at start-up: a crash leaves the default); `name` is
    // the holder's display name (`s1`) under the local key for the roll call, erased when the
    // stay closes.
    r"
ALTER TABLE stays ADD COLUMN party_open INTEGER NOT NULL DEFAULT 0 CHECK (party_open IN (0, 1));
ALTER TABLE stays ADD COLUMN name BLOB;
",
    // Re-entries go up too (DESIGN §8: back after an exit, no new use): their outbox row has
    // no use (`use_id` NULL), the upload takes pass, time and kiosk from the stay. SQLite
    // cannot drop a NOT NULL, so the table is rebuilt (nothing refers to it; `secure_delete`
    // zeroes the old pages).
    r"
CREATE TABLE outbox_new (
    id            TEXT    PRIMARY KEY,
    use_id        INTEGER REFERENCES uses (id),
    created_at    INTEGER NOT NULL,
    fields        TEXT    NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    parked_reason TEXT,
    uploaded_at   INTEGER,
    contact       BLOB
);
INSERT INTO outbox_new (id, use_id, created_at, fields, attempts, parked_reason, uploaded_at, contact)
    SELECT id, use_id, created_at, fields, attempts, parked_reason, uploaded_at, contact FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (uploaded_at, parked_reason);
",
    // The volunteer's manual path (DESIGN §8). Undo: a voided sign-in keeps its rows for the
    // audit (and its upload), marked `voided_at`: its use no longer counts (a `once` pass
    // works again), its stay is closed; the void goes up as its own row (`voids`, an id of
    // its own). Tallies: `+1`/`-1` for people counted without any record, uploaded as they are.
    // `remote_tallies`: the other kiosks' tallies per entrance from the last presence fetch.
    r"
ALTER TABLE uses ADD COLUMN voided_at INTEGER;
ALTER TABLE stays ADD COLUMN voided_at INTEGER;
CREATE TABLE voids (
    id            TEXT    PRIMARY KEY,
    signin        TEXT    NOT NULL UNIQUE,
    voided_at     INTEGER NOT NULL,
    device_id     TEXT    NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    parked_reason TEXT,
    uploaded_at   INTEGER
);
CREATE INDEX voids_pending ON voids (voided_at) WHERE uploaded_at IS NULL AND parked_reason IS NULL;
CREATE TABLE tallies (
    id            TEXT    PRIMARY KEY,
    at            INTEGER NOT NULL,
    entrance      TEXT    NOT NULL,
    delta         INTEGER NOT NULL CHECK (delta IN (-1, 1)),
    device_id     TEXT    NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    parked_reason TEXT,
    uploaded_at   INTEGER
);
CREATE INDEX tallies_by_time ON tallies (at);
CREATE INDEX tallies_pending ON tallies (at) WHERE uploaded_at IS NULL AND parked_reason IS NULL;
CREATE TABLE remote_tallies (
    entrance TEXT    PRIMARY KEY,
    heads    INTEGER NOT NULL CHECK (heads >= 0)
) WITHOUT ROWID;
",
    // Compact passes (DESIGN §9): a sign-in goes up with its pass's `r` (the server's
    // registration holding phone and e-mail); passes their holders revoked on the server's
    // `/me` page, from the used feed, are `qr_not_authorized` until they would have expired.
    r"
ALTER TABLE outbox ADD COLUMN registration TEXT;
CREATE TABLE revoked_passes (
    pass_id     BLOB    PRIMARY KEY,
    valid_until INTEGER NOT NULL
) WITHOUT ROWID;
",
];

/// One open stay in the kiosk's roll call.
#[derive(Clone, PartialEq, Eq)]
pub struct RollCallEntry {
    /// The entrance.
    pub entrance: String,
    /// When they came in (Unix seconds).
    pub since: i64,
    /// How many came in on the pass.
    pub heads: u8,
    /// The display name (`s1`), when one was kept.
    pub name: Option<String>,
}

/// The name is contact data: never printed.
impl std::fmt::Debug for RollCallEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RollCallEntry")
            .field("entrance", &self.entrance)
            .field("since", &self.since)
            .field("heads", &self.heads)
            .field("name", &self.name.as_ref().map(|_| "***"))
            .finish()
    }
}

/// What a roll-call name is bound to (not the outbox id alone, so a contact blob cannot
/// stand in for a name).
fn roll_call_aad(entry: &str) -> String {
    format!("roll-call:{entry}")
}

/// A ledger failure: the disk, the file, or a schema from a newer Usher.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// SQLite said no.
    #[error("ledger database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file was written by a newer version.
    #[error("ledger schema version {found} is newer than this Usher understands ({known})")]
    TooNew {
        /// Version in the file.
        found: i64,
        /// Newest version known here.
        known: i64,
    },
    /// The OS random source failed.
    #[error("no randomness for an outbox id: {0}")]
    Random(String),
    /// Contact data could not be protected.
    #[error(transparent)]
    Contact(#[from] ContactError),
}

/// The SQLite ledger.
#[derive(Debug)]
pub struct SqliteLedger {
    conn: Connection,
    protection: Protection,
}

/// A sign-in waiting in the outbox, as the sync uploads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    /// The id made on this kiosk (scan time, then random); the server stores a sign-in once
    /// per id.
    pub id: String,
    /// The pass identity.
    pub pass_id: PassId,
    /// When it was scanned.
    pub scanned_at: i64,
    /// This kiosk.
    pub device_id: String,
    /// Until when the pass is valid (`i64::MAX`: no expiry; `None`: a use from before this
    /// was kept), so the server keeps its first use as long as `once` needs it.
    pub valid_until: Option<i64>,
    /// The contact fields: sealed to the organiser, or (local key) opened for upload.
    pub contact: WireContact,
    /// The entrance of the stay this sign-in began (`None`: a claim without a stay).
    pub entrance: Option<String>,
    /// The stay's head count (`None`: a claim without a stay).
    pub heads: Option<i64>,
    /// The stay was admitted over capacity by the volunteer.
    pub over_capacity: bool,
    /// The stay is a re-entry (`stays.new_use = 0`: back after an exit, no new use).
    pub reentry: bool,
    /// The pass's `r`: the server's registration it was issued for (DESIGN §9).
    pub registration: Option<String>,
}

/// An exit waiting for upload (scanned or automatic), with the entry it closes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExitRow {
    /// The id made on this kiosk; the server stores an exit once per id.
    pub id: String,
    /// The pass identity.
    pub pass_id: PassId,
    /// When the holder left (for `auto`: the estimate).
    pub at: i64,
    /// This kiosk.
    pub device_id: String,
    /// The entrance it was recorded at.
    pub entrance: String,
    /// The entry id (outbox id) of the stay it closed; `None`: no open stay was known.
    pub closes: Option<String>,
    /// Scanned or automatic.
    pub kind: ExitKind,
}

/// What one upload carries: sign-ins (entries) and exits, each waiting and not parked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadBatch {
    /// Sign-ins, oldest first.
    pub signins: Vec<OutboxRow>,
    /// Exits, oldest first.
    pub exits: Vec<ExitRow>,
    /// Voids (the volunteer's undo), oldest first, after the sign-ins they name.
    pub voids: Vec<VoidRow>,
    /// Head-count tallies, oldest first.
    pub tallies: Vec<TallyRow>,
}

impl UploadBatch {
    /// Nothing to upload.
    pub fn is_empty(&self) -> bool {
        self.signins.is_empty()
            && self.exits.is_empty()
            && self.voids.is_empty()
            && self.tallies.is_empty()
    }

    /// The ids of every sign-in and exit in it (one id space, as on the wire).
    pub fn ids(&self) -> Vec<String> {
        self.signins
            .iter()
            .map(|r| r.id.clone())
            .chain(self.exits.iter().map(|e| e.id.clone()))
            .chain(self.voids.iter().map(|v| v.id.clone()))
            .chain(self.tallies.iter().map(|t| t.id.clone()))
            .collect()
    }
}

/// A sign-in or exit the server refused for good, kept and shown to the admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParkedRow {
    /// Outbox (or exit) id.
    pub id: String,
    /// When it was scanned (the exit: when the holder left).
    pub scanned_at: i64,
    /// The server's reason.
    pub reason: String,
}

/// A pass first used at another kiosk of the venue, as the server reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteUse {
    /// The pass.
    pub pass_id: PassId,
    /// When it was first used there.
    pub first_at: i64,
    /// Where.
    pub device_id: String,
    /// Until when the pass is valid (`None`: the server did not say): after that the use
    /// goes with the retention purge.
    pub valid_until: Option<i64>,
}

/// What one retention purge deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    /// This kiosk's uses.
    pub uses: usize,
    /// Other kiosks' uses of expired passes.
    pub remote_uses: usize,
    /// Scan-log lines.
    pub scan_log: usize,
    /// Uploaded outbox rows.
    pub outbox: usize,
    /// Reported double uses.
    pub double_uses: usize,
    /// Closed stays whose entry and exit were uploaded.
    pub stays: usize,
    /// Uploaded exits.
    pub exits: usize,
    /// Revocations of passes that have expired.
    pub revoked: usize,
}

/// One line of the scan log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanRecord {
    /// When.
    pub at: i64,
    /// Verdict name.
    pub verdict: String,
    /// Short reason.
    pub reason: String,
}

impl SqliteLedger {
    /// Opens (creating if needed) the ledger at `path`, contact fields under the local key
    /// beside it ([`Protection::key_file_for`]), and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, LedgerError> {
        let protection = Protection::local(&Protection::key_file_for(path))?;
        Self::open_with(path, protection)
    }

    /// Opens the ledger at `path` with contact fields protected by `protection`; rows waiting
    /// for upload that an older Usher kept in clear (or, now enrolled, under the local key)
    /// are sealed now.
    pub fn open_with(path: &Path, protection: Protection) -> Result<Self, LedgerError> {
        crate::private_file::create_empty(path);
        Self::init(Connection::open(path)?, protection)
    }

    /// A ledger in memory (for `--ledger :memory:` and tests of callers).
    pub fn in_memory() -> Result<Self, LedgerError> {
        Self::init(Connection::open_in_memory()?, Protection::ephemeral()?)
    }

    fn init(mut conn: Connection, protection: Protection) -> Result<Self, LedgerError> {
        conn.busy_timeout(Duration::from_secs(5))?;
        // `journal_mode` answers with a row; read it rather than execute.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.execute_batch(
            "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;",
        )?;
        migrate(&mut conn)?;
        let mut ledger = SqliteLedger { conn, protection };
        if ledger.protect_waiting_rows()? {
            // Plaintext may linger in free pages and the WAL: rebuild the file, empty the WAL.
            ledger.conn.execute_batch("VACUUM")?;
            ledger.truncate_wal();
        }
        Ok(ledger)
    }

    /// How contact fields are protected on this connection.
    pub fn protection(&self) -> &Protection {
        &self.protection
    }

    /// Seals what an older Usher kept in clear and, when now sealing to the organiser, what
    /// was kept under the local key; erases the contact data of uploaded rows. Returns
    /// whether anything changed.
    fn protect_waiting_rows(&mut self) -> Result<bool, LedgerError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut changed = tx.execute(
            "UPDATE outbox SET fields = '', contact = NULL
             WHERE uploaded_at IS NOT NULL AND (fields != '' OR contact IS NOT NULL)",
            [],
        )? > 0;
        let reseal_local = self.protection.is_sealed();
        let rows: Vec<(String, String, Option<Vec<u8>>)> = {
            let mut stmt = tx.prepare(
                "SELECT id, fields, contact FROM outbox WHERE uploaded_at IS NULL
                 AND (fields != '' OR (?1 AND substr(contact, 1, 1) = x'02'))",
            )?;
            stmt.query_map([reseal_local], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<_, _>>()?
        };
        for (id, fields, contact) in rows {
            let plain = if fields.is_empty() {
                match contact.map(|c| self.protection.open_local(&id, &c)) {
                    Some(Ok(plain)) => plain,
                    // Left as it is: the upload parks it with the reason.
                    _ => continue,
                }
            } else {
                fields
            };
            let sealed = self.protection.seal(&id, &plain)?;
            tx.execute(
                "UPDATE outbox SET fields = '', contact = ?2 WHERE id = ?1",
                params![id, sealed],
            )?;
            changed = true;
        }
        tx.commit()?;
        Ok(changed)
    }

    /// Checkpoints and truncates the WAL, so pages with erased contact data do not stay in
    /// it. Best effort: when readers hold it, the next erasure tries again.
    fn truncate_wal(&self) {
        if let Err(e) = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                r.get::<_, i64>(0)
            })
        {
            tracing::debug!("WAL checkpoint skipped: {e}");
        }
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64, LedgerError> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Verdict counts for scans at or after `since` (e.g. the start of today).
    pub fn counts_since(&self, since: i64) -> Result<BTreeMap<String, u64>, LedgerError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT verdict, COUNT(*) FROM scan_log WHERE at >= ?1 GROUP BY verdict",
        )?;
        let rows = stmt.query_map([since], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        let mut counts = BTreeMap::new();
        for row in rows {
            let (verdict, n) = row?;
            counts.insert(verdict, n.unsigned_abs());
        }
        Ok(counts)
    }

    /// The last `limit` scans, newest first.
    pub fn recent_scans(&self, limit: usize) -> Result<Vec<ScanRecord>, LedgerError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT at, verdict, reason FROM scan_log ORDER BY id DESC LIMIT ?1")?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(ScanRecord {
                at: r.get(0)?,
                verdict: r.get(1)?,
                reason: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many sign-ins wait for upload (parked ones not counted).
    pub fn pending_uploads(&self) -> Result<u64, LedgerError> {
        self.count(
            "SELECT COUNT(*) FROM outbox WHERE uploaded_at IS NULL AND parked_reason IS NULL",
        )
    }

    /// How many exits wait for upload (parked ones not counted).
    pub fn pending_exit_uploads(&self) -> Result<u64, LedgerError> {
        self.count("SELECT COUNT(*) FROM exits WHERE uploaded_at IS NULL AND parked_reason IS NULL")
    }

    /// How many accepted uses this kiosk recorded in all.
    pub fn local_uses(&self) -> Result<u64, LedgerError> {
        self.count("SELECT COUNT(*) FROM uses WHERE origin = 'local'")
    }

    /// The next upload: up to `limit` sign-ins and exits in all, sign-ins first (oldest
    /// first), then exits (oldest first) to fill it.
    pub fn upload_batch(&mut self, limit: usize) -> Result<UploadBatch, LedgerError> {
        let signins = self.pending_batch(limit)?;
        let exits = self.pending_exits(limit.saturating_sub(signins.len()))?;
        let left = limit.saturating_sub(signins.len() + exits.len());
        let voids = self.pending_voids(left)?;
        let tallies = self.pending_tallies(left.saturating_sub(voids.len()))?;
        Ok(UploadBatch {
            signins,
            exits,
            voids,
            tallies,
        })
    }

    /// Up to `limit` exits waiting for upload, oldest first (parked ones not).
    pub fn pending_exits(&self, limit: usize) -> Result<Vec<ExitRow>, LedgerError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, pass_id, at, device_id, entrance, closes, kind FROM exits
             WHERE uploaded_at IS NULL AND parked_reason IS NULL
             ORDER BY at, rowid LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(ExitRow {
                id: r.get(0)?,
                pass_id: pass_id_at(r, 1)?,
                at: r.get(2)?,
                device_id: r.get(3)?,
                entrance: r.get(4)?,
                closes: r.get(5)?,
                kind: exit_kind_at(r, 6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Up to `limit` sign-ins waiting for upload, oldest first, each with its stay's
    /// entrance, head count and override, and whether it is a re-entry (`stays.new_use = 0`:
    /// no use, pass, time and kiosk from the stay) (the one query that picks the entries to
    /// upload).
    /// A row whose contact data does not open (its local key is gone) is parked with the
    /// reason, never sent empty.
    pub fn pending_batch(&mut self, limit: usize) -> Result<Vec<OutboxRow>, LedgerError> {
        loop {
            let mut rows = Vec::new();
            let mut unreadable = Vec::new();
            {
                let mut stmt = self.conn.prepare_cached(
                    "SELECT o.id, COALESCE(u.pass_id, s.pass_id), COALESCE(u.used_at, s.entered_at),
                            COALESCE(u.device_id, s.device_id), o.fields, o.contact, u.valid_until,
                            s.entrance, s.heads, s.over_capacity, s.new_use = 0, o.registration
                     FROM outbox o
                     LEFT JOIN uses u ON u.id = o.use_id
                     LEFT JOIN stays s ON s.entry_id = o.id
                     WHERE o.uploaded_at IS NULL AND o.parked_reason IS NULL
                       AND (u.id IS NOT NULL OR s.id IS NOT NULL)
                       AND COALESCE(s.party_open, 0) = 0
                     ORDER BY o.created_at, o.rowid LIMIT ?1",
                )?;
                let found = stmt.query_map([limit as i64], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        pass_id_at(r, 1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, Option<Vec<u8>>>(5)?,
                        r.get::<_, Option<i64>>(6)?,
                        (
                            r.get::<_, Option<String>>(7)?,
                            r.get::<_, Option<i64>>(8)?,
                            r.get::<_, Option<bool>>(9)?,
                            r.get::<_, Option<bool>>(10)?,
                        ),
                        r.get::<_, Option<String>>(11)?,
                    ))
                })?;
                for row in found {
                    let (
                        id,
                        pass_id,
                        scanned_at,
                        device_id,
                        fields,
                        contact,
                        valid_until,
                        stay,
                        registration,
                    ) = row?;
                    let (entrance, heads, over_capacity, reentry) = stay;
                    let contact = match contact {
                        Some(blob) => match self.protection.for_upload(&id, &blob) {
                            Ok(c) => c,
                            Err(e) => {
                                unreadable.push((id, e.to_string()));
                                continue;
                            }
                        },
                        // A row an older Usher kept in clear that could not be sealed on open.
                        None if !fields.is_empty() => WireContact::Fields(fields),
                        None => WireContact::Fields("{}".into()),
                    };
                    rows.push(OutboxRow {
                        id,
                        pass_id,
                        scanned_at,
                        device_id,
                        valid_until,
                        contact,
                        entrance,
                        heads,
                        over_capacity: over_capacity.unwrap_or(false),
                        reentry: reentry.unwrap_or(false),
                        registration,
                    });
                }
            }
            if unreadable.is_empty() {
                return Ok(rows);
            }
            for (id, reason) in unreadable {
                tracing::warn!(%id, "sign-in parked: {reason}");
                self.park(&id, &reason)?;
            }
        }
    }

    /// Marks these sign-ins (outbox rows, and the stays they began) and exits as stored by
    /// the server. Only then do they leave the queue; the sign-ins' contact data is erased
    /// (only the pass identity, time and verdict stay).
    pub fn mark_uploaded(&mut self, ids: &[String], at: i64) -> Result<(), LedgerError> {
        let tx = self.conn.transaction()?;
        for id in ids {
            tx.prepare_cached(
                "UPDATE outbox SET uploaded_at = ?2, contact = NULL, fields = ''
                 WHERE id = ?1 AND uploaded_at IS NULL",
            )?
            .execute(params![id, at])?;
            tx.prepare_cached(
                "UPDATE stays SET uploaded_at = ?2 WHERE entry_id = ?1 AND uploaded_at IS NULL",
            )?
            .execute(params![id, at])?;
            tx.prepare_cached(
                "UPDATE exits SET uploaded_at = ?2 WHERE id = ?1 AND uploaded_at IS NULL",
            )?
            .execute(params![id, at])?;
            for table in MANUAL_UPLOADS {
                tx.prepare_cached(&format!(
                    "UPDATE {table} SET uploaded_at = ?2 WHERE id = ?1 AND uploaded_at IS NULL"
                ))?
                .execute(params![id, at])?;
            }
        }
        tx.commit()?;
        if !ids.is_empty() {
            self.truncate_wal();
        }
        Ok(())
    }

    /// The retention purge: deletes what is older than `cutoff` (Unix seconds) of this
    /// kiosk's uses, the scan log, uploaded outbox rows and exits, closed stays whose entry and
    /// exit were both uploaded, and reported double uses. Outbox rows and exits not yet
    /// uploaded (parked ones included), their uses and their stays are never touched, nor open
    /// stays.
    pub fn purge_before(&mut self, cutoff: i64) -> Result<Purged, LedgerError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let outbox = tx.execute(
            "DELETE FROM outbox WHERE uploaded_at IS NOT NULL AND created_at < ?1",
            [cutoff],
        )?;
        // A use goes once its pass has also expired: until then a `once` pass must stay used.
        // Other kiosks' uses go too once their pass is known to have expired.
        let uses = tx.execute(
            "DELETE FROM uses WHERE origin = 'local' AND used_at < ?1
             AND (valid_until IS NULL OR valid_until < ?1)
             AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.use_id = uses.id)",
            [cutoff],
        )?;
        let remote_uses = tx.execute(
            "DELETE FROM uses WHERE origin = 'remote' AND used_at < ?1 AND valid_until < ?1",
            [cutoff],
        )?;
        let scan_log = tx.execute("DELETE FROM scan_log WHERE at < ?1", [cutoff])?;
        let double_uses = tx.execute("DELETE FROM reported_double_uses WHERE at < ?1", [cutoff])?;
        let exits = tx.execute(
            "DELETE FROM exits WHERE uploaded_at IS NOT NULL AND at < ?1",
            [cutoff],
        )?;
        tx.execute(
            "DELETE FROM voids WHERE uploaded_at IS NOT NULL AND voided_at < ?1",
            [cutoff],
        )?;
        tx.execute(
            "DELETE FROM tallies WHERE uploaded_at IS NOT NULL AND at < ?1",
            [cutoff],
        )?;
        let stays = tx.execute(
            "DELETE FROM stays WHERE exited_at IS NOT NULL AND exited_at < ?1
             AND uploaded_at IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM exits e
                             WHERE e.closes = stays.entry_id AND e.uploaded_at IS NULL)",
            [cutoff],
        )?;
        let revoked = tx.execute(
            "DELETE FROM revoked_passes WHERE valid_until < ?1",
            [cutoff],
        )?;
        tx.commit()?;
        let purged = Purged {
            uses,
            remote_uses,
            scan_log,
            outbox,
            double_uses,
            stays,
            exits,
            revoked,
        };
        if purged != Purged::default() {
            self.truncate_wal();
        }
        Ok(purged)
    }

    /// Parks a sign-in or exit the server refused for good: kept, shown to the admin, never
    /// retried.
    pub fn park(&mut self, id: &str, reason: &str) -> Result<(), LedgerError> {
        let tx = self.conn.transaction()?;
        for sql in [
            "UPDATE outbox SET parked_reason = ?2 WHERE id = ?1 AND uploaded_at IS NULL",
            "UPDATE exits SET parked_reason = ?2 WHERE id = ?1 AND uploaded_at IS NULL",
            "UPDATE voids SET parked_reason = ?2 WHERE id = ?1 AND uploaded_at IS NULL",
            "UPDATE tallies SET parked_reason = ?2 WHERE id = ?1 AND uploaded_at IS NULL",
        ] {
            tx.prepare_cached(sql)?.execute(params![id, reason])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Counts a failed attempt for these sign-ins and exits.
    pub fn count_attempt(&mut self, ids: &[String]) -> Result<(), LedgerError> {
        let tx = self.conn.transaction()?;
        for id in ids {
            tx.prepare_cached("UPDATE outbox SET attempts = attempts + 1 WHERE id = ?1")?
                .execute([id])?;
            tx.prepare_cached("UPDATE exits SET attempts = attempts + 1 WHERE id = ?1")?
                .execute([id])?;
            for table in MANUAL_UPLOADS {
                tx.prepare_cached(&format!(
                    "UPDATE {table} SET attempts = attempts + 1 WHERE id = ?1"
                ))?
                .execute([id])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Sign-ins and exits the server refused for good, newest first.
    pub fn parked(&self) -> Result<Vec<ParkedRow>, LedgerError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, created_at AS at, parked_reason FROM outbox WHERE parked_reason IS NOT NULL
             UNION ALL
             SELECT id, at, parked_reason FROM exits WHERE parked_reason IS NOT NULL
             UNION ALL
             SELECT id, voided_at, parked_reason FROM voids WHERE parked_reason IS NOT NULL
             UNION ALL
             SELECT id, at, parked_reason FROM tallies WHERE parked_reason IS NOT NULL
             ORDER BY at DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ParkedRow {
                id: r.get(0)?,
                scanned_at: r.get(1)?,
                reason: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records passes used at other kiosks, so `once` holds across the venue. Returns how
    /// many were new.
    pub fn add_remote_uses(&mut self, uses: &[RemoteUse]) -> Result<usize, LedgerError> {
        let tx = self.conn.transaction()?;
        let mut added = 0;
        for u in uses {
            added += tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO uses (pass_id, used_at, device_id, origin, valid_until) VALUES (?1, ?2, ?3, 'remote', ?4)",
                )?
                .execute(params![&u.pass_id.0[..], u.first_at, u.device_id, u.valid_until])?;
        }
        tx.commit()?;
        Ok(added)
    }

    /// Records passes their holders revoked (DESIGN §9), each with the time it would have
    /// expired, after which the purge forgets it (idempotent). Returns how many were new.
    pub fn add_revocations(&mut self, revoked: &[(PassId, i64)]) -> Result<usize, LedgerError> {
        let tx = self.conn.transaction()?;
        let mut added = 0;
        for (pass, valid_until) in revoked {
            added += tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO revoked_passes (pass_id, valid_until) VALUES (?1, ?2)",
                )?
                .execute(params![&pass.0[..], valid_until])?;
        }
        tx.commit()?;
        Ok(added)
    }

    /// Records double uses the server reported (idempotent). Returns how many were new.
    pub fn add_reported_double_uses(
        &mut self,
        reported: &[(PassId, FirstUse, FirstUse)],
    ) -> Result<usize, LedgerError> {
        let tx = self.conn.transaction()?;
        let mut added = 0;
        for (pass, first, later) in reported {
            added += tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO reported_double_uses (pass_id, first_at, first_device_id, at, device_id)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![&pass.0[..], first.at, first.device_id, later.at, later.device_id])?;
        }
        tx.commit()?;
        Ok(added)
    }

    /// Passes accepted at two kiosks: (pass, first use, later use), oldest first. The server's
    /// reports, and what this kiosk sees itself (its own use and another kiosk's of one pass)
    /// before the server has reported it.
    pub fn double_uses(&self) -> Result<Vec<(PassId, FirstUse, FirstUse)>, LedgerError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT pass_id, first_at, first_device_id, at, device_id FROM reported_double_uses
             UNION ALL
             SELECT l.pass_id, MIN(l.used_at), l.device_id, r.used_at, r.device_id FROM uses l
             JOIN uses r ON r.pass_id = l.pass_id AND r.origin = 'remote'
             WHERE l.origin = 'local' AND l.voided_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM reported_double_uses d WHERE d.pass_id = l.pass_id)
             GROUP BY l.pass_id, r.device_id
             ORDER BY 2",
        )?;
        let rows = stmt.query_map([], |r| {
            let id = pass_id_at(r, 0)?;
            let one = FirstUse {
                at: r.get(1)?,
                device_id: r.get(2)?,
            };
            let other = FirstUse {
                at: r.get(3)?,
                device_id: r.get(4)?,
            };
            // Seen locally, the remote use may be the earlier one.
            let (first, later) = if other.at < one.at {
                (other, one)
            } else {
                (one, other)
            };
            Ok((id, first, later))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The latest time this kiosk has seen: its own records (since the admin last trusted
    /// this computer's clock) and the server's clock.
    pub fn latest_time_seen(&self) -> Result<i64, LedgerError> {
        let trusted_from: i64 = self
            .sync_value(CLOCK_TRUSTED_KEY)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let own: Option<i64> = self.conn.query_row(
            "SELECT MAX(at) FROM scan_log WHERE rowid > ?1",
            [trusted_from],
            |r| r.get(0),
        )?;
        let server = self
            .sync_value("latest_server_time")?
            .and_then(|v| v.parse::<i64>().ok());
        Ok(own.into_iter().chain(server).max().unwrap_or(i64::MIN))
    }

    /// The admin trusts this computer's clock: the server time kept as the clock floor is
    /// forgotten, and so are the times of the records made so far (they were stamped with
    /// the floored clock).
    pub fn trust_local_clock(&mut self) -> Result<(), LedgerError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "DELETE FROM sync_state WHERE key = ?1",
            ["latest_server_time"],
        )?;
        tx.execute(
            "INSERT INTO sync_state (key, value) \
             SELECT ?1, CAST(COALESCE(MAX(rowid), 0) AS TEXT) FROM scan_log WHERE true \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [CLOCK_TRUSTED_KEY],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// A value the sync keeps (cursor, last upload time, latest server time).
    pub fn sync_value(&self, key: &str) -> Result<Option<String>, LedgerError> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM sync_state WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    /// Sets a sync value.
    pub fn set_sync_value(&mut self, key: &str, value: &str) -> Result<(), LedgerError> {
        self.conn
            .prepare_cached("INSERT INTO sync_state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2")?
            .execute([key, value])?;
        Ok(())
    }

    /// Holds an open entry back from upload while the party prompt asks how many came.
    pub fn hold_party(&mut self, entry: &EntryId) -> Result<bool, LedgerError> {
        let held = self
            .conn
            .prepare_cached(
                "UPDATE stays SET party_open = 1 WHERE entry_id = ?1 AND exited_at IS NULL",
            )?
            .execute([&entry.0])?;
        Ok(held > 0)
    }

    /// Answers the party prompt of a held entry: its head count (`None`: as recorded, the
    /// default) and the hold released. `false` when the entry was not held (already settled).
    pub fn settle_party(
        &mut self,
        entry: &EntryId,
        heads: Option<PartySize>,
    ) -> Result<bool, LedgerError> {
        let settled = self
            .conn
            .prepare_cached(
                "UPDATE stays SET heads = COALESCE(?2, heads), party_open = 0
                 WHERE entry_id = ?1 AND party_open = 1",
            )?
            .execute(params![entry.0, heads.map(PartySize::get)])?;
        Ok(settled > 0)
    }

    /// Releases every held entry with the head count it was recorded with (the kiosk starts:
    /// a prompt open at a crash keeps its default); returns how many.
    pub fn settle_held_parties(&mut self) -> Result<usize, LedgerError> {
        Ok(self
            .conn
            .execute("UPDATE stays SET party_open = 0 WHERE party_open = 1", [])?)
    }

    /// The roll call: this kiosk's open stays, per entrance then by time, with the names
    /// opened from the local key (`None`: none kept, or it does not open).
    pub fn roll_call(&self) -> Result<Vec<RollCallEntry>, LedgerError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT entry_id, entrance, entered_at, heads, name FROM stays
             WHERE exited_at IS NULL ORDER BY entrance, entered_at, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Option<Vec<u8>>>(4)?,
            ))
        })?;
        let mut list = Vec::new();
        for row in rows {
            let (id, entrance, since, heads, name) = row?;
            let name = name.and_then(|blob| {
                self.protection
                    .open_kiosk(&roll_call_aad(&id), &blob)
                    .inspect_err(|e| tracing::warn!("roll call: a name does not open ({e})"))
                    .ok()
            });
            list.push(RollCallEntry {
                entrance,
                since,
                heads: u8::try_from(heads).unwrap_or(u8::MAX),
                name,
            });
        }
        Ok(list)
    }

    /// When the venue-wide presence figures were last fetched from the server (Unix seconds,
    /// the sync's `presence_fetched_at`); `None` before the first fetch or when unreadable.
    pub fn presence_fetched_at(&self) -> Result<Option<i64>, LedgerError> {
        Ok(self
            .sync_value(PRESENCE_FETCHED_KEY)?
            .and_then(|v| v.trim().parse::<i64>().ok()))
    }

    fn count(&self, sql: &str) -> Result<u64, LedgerError> {
        let n: i64 = self.conn.query_row(sql, [], |r| r.get(0))?;
        Ok(n.unsigned_abs())
    }
}

fn migrate(conn: &mut Connection) -> Result<(), LedgerError> {
    let known = MIGRATIONS.len() as i64;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > known {
        return Err(LedgerError::TooNew { found, known });
    }
    for (version, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}

/// A pass id stored as a 32-byte blob in column `i`.
fn pass_id_at(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<PassId> {
    let bytes: Vec<u8> = row.get(i)?;
    <[u8; 32]>::try_from(bytes.as_slice())
        .map(PassId)
        .map_err(|_| {
            rusqlite::Error::FromSqlConversionFailure(
                i,
                rusqlite::types::Type::Blob,
                "pass id is not 32 bytes".into(),
            )
        })
}

/// A new outbox id: 32 hex digits, the scan time (40 bits of Unix seconds) then 88 random
/// bits. Time first, as UUIDv7 does, so the server's unique index on ids grows at its end
/// instead of taking each upload at random places; the random part keeps ids unguessable
/// and distinct.
fn outbox_id(at: i64) -> Result<String, LedgerError> {
    let random = crate::random::bytes::<11>().map_err(|e| LedgerError::Random(e.to_string()))?;
    let seconds = at.clamp(0, 0xff_ffff_ffff);
    Ok(format!("{seconds:010x}{}", hex::encode(random)))
}

/// The contact fields of a pass as the outbox keeps them: `s1`..`s10` and `email`.
fn outbox_fields(pass: &Pass) -> String {
    let payload = &pass.payload;
    let mut map = serde_json::Map::new();
    for n in 1..=10 {
        if let Some(s) = payload.s(n) {
            map.insert(format!("s{n}"), s.into());
        }
    }
    if let Some(email) = &payload.email {
        map.insert("email".into(), email.as_str().into());
    }
    serde_json::Value::Object(map).to_string()
}

impl Ledger for SqliteLedger {
    type Error = LedgerError;

    fn claim(&mut self, claim: &Claim<'_>) -> Result<ClaimOutcome, LedgerError> {
        let pass_id = &claim.pass.id.0[..];
        let outbox_id = outbox_id(claim.at)?;
        let contact = self
            .protection
            .seal(&outbox_id, &outbox_fields(claim.pass))?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Some(first) = first_counting_use(&tx, &claim.pass.id, claim.counts_since)? {
            // Nothing written: the caller logs the `qr_used` rejection.
            return Ok(ClaimOutcome::AlreadyUsed(first));
        }
        insert_use(
            &tx,
            claim.pass,
            claim.at,
            claim.device_id,
            &outbox_id,
            &contact,
        )?;
        tx.prepare_cached(
            "INSERT INTO scan_log (at, verdict, reason, pass_id) VALUES (?1, ?2, 'signed in', ?3)",
        )?
        .execute(params![claim.at, VerdictKind::Accepted.name(), pass_id])?;
        tx.commit()?;
        Ok(ClaimOutcome::Recorded)
    }

    fn log_rejection(&mut self, r: &Rejection<'_>) -> Result<(), LedgerError> {
        self.conn
            .prepare_cached(
                "INSERT INTO scan_log (at, verdict, reason, pass_id) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                r.at,
                r.verdict.name(),
                r.reason,
                r.pass_id.as_ref().map(|id| &id.0[..])
            ])?;
        Ok(())
    }

    fn revoked(&mut self, pass: &PassId) -> Result<bool, LedgerError> {
        revoked_in(&self.conn, pass)
    }
}

/// The `uses` row of an accepted sign-in and its `outbox` row (contact data sealed already).
fn insert_use(
    conn: &Connection,
    pass: &Pass,
    at: i64,
    device_id: &str,
    outbox_id: &str,
    contact: &[u8],
) -> Result<(), LedgerError> {
    // A pass without an expiry never stops counting.
    let valid_until = pass
        .payload
        .expiry
        .map_or(i64::MAX, |e| i64::try_from(e).unwrap_or(i64::MAX));
    conn.prepare_cached(
        "INSERT INTO uses (pass_id, used_at, device_id, valid_until) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![&pass.id.0[..], at, device_id, valid_until])?;
    let use_id = conn.last_insert_rowid();
    insert_outbox(conn, pass, outbox_id, Some(use_id), at, contact)
}

/// An `outbox` row (contact data sealed already): of a use, or (`use_id` `None`) of a
/// re-entry's stay.
fn insert_outbox(
    conn: &Connection,
    pass: &Pass,
    outbox_id: &str,
    use_id: Option<i64>,
    at: i64,
    contact: &[u8],
) -> Result<(), LedgerError> {
    conn.prepare_cached(
        "INSERT INTO outbox (id, use_id, created_at, fields, contact, registration)
         VALUES (?1, ?2, ?3, '', ?4, ?5)",
    )?
    .execute(params![
        outbox_id,
        use_id,
        at,
        contact,
        pass.payload.registration
    ])?;
    Ok(())
}

/// Whether `pass` was revoked by its holder (from the used feed).
fn revoked_in(conn: &Connection, pass: &PassId) -> Result<bool, LedgerError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM revoked_passes WHERE pass_id = ?1")?
        .query_row([&pass.0[..]], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The earliest use of `pass` at or after `since` (`None`: no earlier use counts).
fn first_counting_use(
    conn: &Connection,
    pass: &PassId,
    since: Option<i64>,
) -> Result<Option<FirstUse>, LedgerError> {
    let Some(since) = since else {
        return Ok(None);
    };
    Ok(conn
        .prepare_cached(
            "SELECT used_at, device_id FROM uses WHERE pass_id = ?1 AND used_at >= ?2
               AND voided_at IS NULL
             ORDER BY used_at, id LIMIT 1",
        )?
        .query_row(params![&pass.0[..], since], |r| {
            Ok(FirstUse {
                at: r.get(0)?,
                device_id: r.get(1)?,
            })
        })
        .optional()?)
}

/// The columns of an open stay, in [`open_stay_at`]'s order.
const OPEN_STAY_COLUMNS: &str = "entry_id, pass_id, entrance, entered_at, heads, device_id";
/// The same columns of `remote_stays` (other kiosks' open stays from the presence fetch).
const REMOTE_STAY_COLUMNS: &str = OPEN_STAY_COLUMNS;

/// An open stay from a row of [`OPEN_STAY_COLUMNS`].
fn open_stay_at(r: &rusqlite::Row<'_>) -> rusqlite::Result<OpenStay> {
    let bad = |i: usize, what: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            what.to_owned().into(),
        )
    };
    let entrance: String = r.get(2)?;
    let heads: i64 = r.get(4)?;
    Ok(OpenStay {
        entry: EntryId(r.get(0)?),
        pass_id: pass_id_at(r, 1)?,
        entrance: entrance
            .parse::<Entrance>()
            .map_err(|_| bad(2, "not an entrance name"))?,
        since: r.get(3)?,
        heads: u64::try_from(heads)
            .ok()
            .and_then(PartySize::new)
            .ok_or_else(|| bad(4, "head count out of 1..=20"))?,
        device_id: r.get(5)?,
    })
}

fn exit_kind_at(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<ExitKind> {
    match r.get::<_, String>(i)?.as_str() {
        "scan" => Ok(ExitKind::Scan),
        "auto" => Ok(ExitKind::Auto),
        _ => Err(rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            "exit kind is neither scan nor auto".into(),
        )),
    }
}

/// What the door reads of a holder: the same answers for the real ledger and a dry run.
fn holder_of(
    conn: &Connection,
    pass: &PassId,
    counts_since: Option<i64>,
) -> Result<Holder, LedgerError> {
    let open_stay = conn
        .prepare_cached(&format!(
            "SELECT {OPEN_STAY_COLUMNS} FROM stays WHERE pass_id = ?1 AND exited_at IS NULL
             ORDER BY entered_at DESC, id DESC LIMIT 1"
        ))?
        .query_row([&pass.0[..]], open_stay_at)
        .optional()?;
    // No open stay here: one another kiosk recorded (from the presence fetch) may be open.
    let open_stay = match open_stay {
        Some(stay) => Some(stay),
        None => conn
            .prepare_cached(&format!(
                "SELECT {REMOTE_STAY_COLUMNS} FROM remote_stays
                 WHERE pass_id = ?1 AND exited_at IS NULL
                 ORDER BY entered_at DESC LIMIT 1"
            ))?
            .query_row([&pass.0[..]], open_stay_at)
            .optional()?,
    };
    let last_exit = conn
        .prepare_cached(
            "SELECT at, kind FROM exits WHERE pass_id = ?1 ORDER BY at DESC, rowid DESC LIMIT 1",
        )?
        .query_row([&pass.0[..]], |r| Ok((r.get(0)?, exit_kind_at(r, 1)?)))
        .optional()?;
    Ok(Holder {
        open_stay,
        first_use: first_counting_use(conn, pass, counts_since)?,
        last_exit,
    })
}

/// Inside now from the trigger-kept `inside_now` table (this kiosk's own, one row per
/// entrance) and `remote_inside` (other kiosks', as last fetched less the exits here since).
fn inside_now_of(conn: &Connection) -> Result<InsideNow, LedgerError> {
    let mut stmt = conn.prepare_cached(
        "SELECT entrance, heads FROM inside_now WHERE heads > 0
         UNION ALL SELECT entrance, heads FROM remote_inside WHERE heads > 0",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    let mut inside = InsideNow::new();
    for row in rows {
        let (entrance, heads) = row?;
        // A name the settings refuse cannot have been written by this kiosk; skip, never fail.
        if let Ok(entrance) = entrance.parse::<Entrance>() {
            inside.add(&entrance, u32::try_from(heads).unwrap_or(u32::MAX));
        }
    }
    Ok(inside)
}

/// Open stays, this kiosk's and (from the presence fetch) other kiosks', oldest first.
fn open_stays_of(conn: &Connection) -> Result<Vec<OpenStay>, LedgerError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {OPEN_STAY_COLUMNS}, id, 0 FROM stays WHERE exited_at IS NULL
         UNION ALL SELECT {REMOTE_STAY_COLUMNS}, 0, 1 FROM remote_stays WHERE exited_at IS NULL
         ORDER BY 4, 8, 7"
    ))?;
    let rows = stmt.query_map([], open_stay_at)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

impl DoorLedger for SqliteLedger {
    fn holder(&mut self, pass: &PassId, counts_since: Option<i64>) -> Result<Holder, LedgerError> {
        holder_of(&self.conn, pass, counts_since)
    }

    fn inside_now(&mut self) -> Result<InsideNow, LedgerError> {
        inside_now_of(&self.conn)
    }

    fn open_stays(&mut self) -> Result<Vec<OpenStay>, LedgerError> {
        open_stays_of(&self.conn)
    }

    /// The stay, its sealed `outbox` row (the entry id is the outbox id: a re-entry goes up
    /// too, flagged from `stays.new_use`) and, when it is a new use, its `uses` row, and the
    /// `qr_accepted` scan-log row, in one transaction.
    fn record_entry(&mut self, entry: &Entry<'_>) -> Result<EntryId, LedgerError> {
        let id = outbox_id(entry.at)?;
        let contact = self.protection.seal(&id, &outbox_fields(entry.pass))?;
        let name = match entry.pass.payload.s(1) {
            Some(name) => match self.protection.seal_kiosk(&roll_call_aad(&id), name) {
                Ok(sealed) => Some(sealed),
                Err(e) => {
                    tracing::warn!("roll call: the name is not kept ({e})");
                    None
                }
            },
            None => None,
        };
        self.atomically(|ledger| {
            let conn = &ledger.conn;
            if entry.new_use {
                insert_use(conn, entry.pass, entry.at, entry.device_id, &id, &contact)?;
            } else {
                // A re-entry: no use (the reuse rules see none), but the stay goes up.
                insert_outbox(conn, entry.pass, &id, None, entry.at, &contact)?;
            }
            conn.prepare_cached(
                "INSERT INTO stays (entry_id, pass_id, entrance, heads, entered_at, device_id,
                                    new_use, over_capacity, name)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                id,
                &entry.pass.id.0[..],
                entry.entrance.as_str(),
                entry.heads.get(),
                entry.at,
                entry.device_id,
                entry.new_use,
                entry.over_capacity,
                name
            ])?;
            let reason = match (entry.new_use, entry.over_capacity) {
                (_, true) => "signed in over capacity",
                (true, false) => "signed in",
                (false, false) => "back in",
            };
            conn.prepare_cached(
                "INSERT INTO scan_log (at, verdict, reason, pass_id) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                entry.at,
                VerdictKind::Accepted.name(),
                reason,
                &entry.pass.id.0[..]
            ])?;
            Ok(EntryId(id))
        })
    }

    /// The exit row, the stay it closes (if still open), and for a scanned exit the
    /// `qr_goodbye` scan-log row, in one transaction.
    fn record_exit(&mut self, exit: &Exit<'_>) -> Result<(), LedgerError> {
        let id = outbox_id(exit.at)?;
        self.atomically(|ledger| {
            let conn = &ledger.conn;
            conn.prepare_cached(
                "INSERT INTO exits (id, pass_id, at, device_id, entrance, closes, kind)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                id,
                &exit.pass_id.0[..],
                exit.at,
                exit.device_id,
                exit.entrance.as_str(),
                exit.closes.map(|e| e.0.as_str()),
                exit.kind.as_str()
            ])?;
            if let Some(closes) = exit.closes {
                conn.prepare_cached(
                    "UPDATE stays SET exited_at = ?2, exit_kind = ?3, name = NULL, party_open = 0
                     WHERE entry_id = ?1 AND exited_at IS NULL",
                )?
                .execute(params![closes.0, exit.at, exit.kind.as_str()])?;
            }
            if exit.kind == ExitKind::Scan {
                let reason = if exit.closes.is_some() {
                    "left"
                } else {
                    "left with no open stay"
                };
                conn.prepare_cached(
                    "INSERT INTO scan_log (at, verdict, reason, pass_id) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![
                    exit.at,
                    VerdictKind::Goodbye.name(),
                    reason,
                    &exit.pass_id.0[..]
                ])?;
            }
            Ok(())
        })
    }

    fn place_lease(&mut self) -> Result<Option<HeldLease>, LedgerError> {
        place_lease_of(&self.conn)
    }

    fn set_heads(&mut self, entry: &EntryId, heads: PartySize) -> Result<bool, LedgerError> {
        let changed = self
            .conn
            .prepare_cached(
                "UPDATE stays SET heads = ?2 WHERE entry_id = ?1 AND exited_at IS NULL",
            )?
            .execute(params![entry.0, heads.get()])?;
        Ok(changed > 0)
    }

    /// One `BEGIN IMMEDIATE` transaction, committed durably (`synchronous=FULL`) before this
    /// returns, or rolled back whole when `f` or the commit fails. Nested calls join it.
    fn atomically<R>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<R, LedgerError>,
    ) -> Result<R, LedgerError> {
        if !self.conn.is_autocommit() {
            return f(self);
        }
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let done = f(self).and_then(|r| {
            self.conn.execute_batch("COMMIT")?;
            Ok(r)
        });
        if done.is_err()
            && !self.conn.is_autocommit()
            && let Err(e) = self.conn.execute_batch("ROLLBACK")
        {
            tracing::warn!("ledger rollback failed: {e}");
        }
        done
    }
}

// ---- the volunteer's manual path (DESIGN §8): undo and the head-count tally ----

/// The tables of the manual path's uploads (ids in the one id space of sign-ins and exits).
const MANUAL_UPLOADS: [&str; 2] = ["voids", "tallies"];

/// Head counts per entrance from `sql` (rows of entrance and count, one parameter): counts
/// not above zero and names the settings refuse are left out.
fn per_entrance(conn: &Connection, sql: &str, param: i64) -> Result<InsideNow, LedgerError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([param], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    let mut counts = InsideNow::new();
    for row in rows {
        let (entrance, n) = row?;
        if let Ok(entrance) = entrance.parse::<Entrance>()
            && n > 0
        {
            counts.add(&entrance, u32::try_from(n).unwrap_or(u32::MAX));
        }
    }
    Ok(counts)
}

/// A void waiting for upload: the sign-in (entry id) the volunteer voided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoidRow {
    /// The void's own id.
    pub id: String,
    /// The voided sign-in's id (its outbox id).
    pub signin: String,
    /// When it was voided.
    pub voided_at: i64,
    /// This kiosk.
    pub device_id: String,
}

/// A tally waiting for upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TallyRow {
    /// The tally's id.
    pub id: String,
    /// When.
    pub at: i64,
    /// The entrance it was counted at.
    pub entrance: String,
    /// `1` or `-1`.
    pub delta: i64,
    /// This kiosk.
    pub device_id: String,
}

/// One of this kiosk's recent sign-ins, as the undo list shows it: time and first name only.
#[derive(Clone, PartialEq, Eq)]
pub struct RecentSignIn {
    /// The entry (its outbox id): what a void names.
    pub entry: EntryId,
    /// When it was recorded (Unix seconds).
    pub at: i64,
    /// The first word of the name, while the stay is open (the name is erased when it closes).
    pub first_name: Option<String>,
    /// Its head count.
    pub heads: u8,
}

/// The first name is contact data: never printed.
impl std::fmt::Debug for RecentSignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecentSignIn")
            .field("entry", &self.entry)
            .field("at", &self.at)
            .field("first_name", &self.first_name.as_ref().map(|_| "***"))
            .field("heads", &self.heads)
            .finish()
    }
}

impl SqliteLedger {
    /// This kiosk's sign-ins recorded at or after `since` and not voided, newest first, at
    /// most `limit`: what the undo list offers.
    pub fn recent_signins(
        &self,
        since: i64,
        limit: usize,
    ) -> Result<Vec<RecentSignIn>, LedgerError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT entry_id, entered_at, heads, name FROM stays
             WHERE entered_at >= ?1 AND voided_at IS NULL
             ORDER BY entered_at DESC, id DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![since, limit as i64], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, Option<Vec<u8>>>(3)?,
            ))
        })?;
        let mut list = Vec::new();
        for row in rows {
            let (id, at, heads, name) = row?;
            let first_name = name
                .and_then(|blob| self.protection.open_kiosk(&roll_call_aad(&id), &blob).ok())
                .map(|n| usher_core::walkin::WalkIn::first_name(&n).to_owned())
                .filter(|n| !n.is_empty());
            list.push(RecentSignIn {
                entry: EntryId(id),
                at,
                first_name,
                heads: u8::try_from(heads).unwrap_or(u8::MAX),
            });
        }
        Ok(list)
    }

    /// Voids this kiosk's sign-in `entry` at `at`, in one transaction: its use stops counting
    /// (a `once` pass works again here), its stay closes (leaving inside now; the name is
    /// erased) and is marked voided, its scan-log line says so, and a void row waits for
    /// upload. `false` when there is no such sign-in or it was voided already.
    pub fn void_signin(
        &mut self,
        entry: &EntryId,
        at: i64,
        device_id: &str,
    ) -> Result<bool, LedgerError> {
        let id = outbox_id(at)?;
        self.atomically(|ledger| {
            let conn = &ledger.conn;
            let stay: Option<(Vec<u8>, i64)> = conn
                .prepare_cached(
                    "SELECT pass_id, entered_at FROM stays WHERE entry_id = ?1 AND voided_at IS NULL",
                )?
                .query_row([&entry.0], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let Some((pass_id, entered_at)) = stay else {
                return Ok(false);
            };
            conn.prepare_cached(
                "UPDATE stays SET voided_at = ?2, name = NULL, party_open = 0,
                     exit_kind = COALESCE(exit_kind, 'auto'), exited_at = COALESCE(exited_at, ?2)
                 WHERE entry_id = ?1",
            )?
            .execute(params![entry.0, at])?;
            conn.prepare_cached(
                "UPDATE uses SET voided_at = ?2
                 WHERE id = (SELECT use_id FROM outbox WHERE id = ?1) AND voided_at IS NULL",
            )?
            .execute(params![entry.0, at])?;
            conn.prepare_cached(
                "UPDATE scan_log SET verdict = 'voided', reason = 'signed in, then voided'
                 WHERE rowid = (SELECT rowid FROM scan_log WHERE pass_id = ?1 AND at = ?2
                                AND verdict = ?3 ORDER BY rowid DESC LIMIT 1)",
            )?
            .execute(params![pass_id, entered_at, VerdictKind::Accepted.name()])?;
            conn.prepare_cached(
                "INSERT INTO voids (id, signin, voided_at, device_id) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![id, entry.0, at, device_id])?;
            Ok(true)
        })
    }

    /// Records one press of the tally (`delta` `1` or `-1`) at `entrance`.
    pub fn record_tally(
        &mut self,
        entrance: &Entrance,
        delta: i64,
        at: i64,
        device_id: &str,
    ) -> Result<(), LedgerError> {
        let id = outbox_id(at)?;
        self.conn
            .prepare_cached(
                "INSERT INTO tallies (id, at, entrance, delta, device_id) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![id, at, entrance.as_str(), delta.signum(), device_id])?;
        Ok(())
    }

    /// This kiosk's tallies since `since`, per entrance (the net of the presses, never below
    /// zero): people inside that no record names.
    pub fn tallied_since(&self, since: i64) -> Result<InsideNow, LedgerError> {
        per_entrance(
            &self.conn,
            "SELECT entrance, SUM(delta) FROM tallies WHERE at >= ?1 GROUP BY entrance",
            since,
        )
    }

    /// The other kiosks' tallies as last fetched (presence), per entrance.
    pub fn remote_tallied(&self) -> Result<InsideNow, LedgerError> {
        per_entrance(
            &self.conn,
            "SELECT entrance, heads FROM remote_tallies WHERE heads > ?1",
            0,
        )
    }

    /// Up to `limit` voids waiting for upload, oldest first.
    pub fn pending_voids(&self, limit: usize) -> Result<Vec<VoidRow>, LedgerError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, signin, voided_at, device_id FROM voids
             WHERE uploaded_at IS NULL AND parked_reason IS NULL
             ORDER BY voided_at, rowid LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(VoidRow {
                id: r.get(0)?,
                signin: r.get(1)?,
                voided_at: r.get(2)?,
                device_id: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Up to `limit` tallies waiting for upload, oldest first.
    pub fn pending_tallies(&self, limit: usize) -> Result<Vec<TallyRow>, LedgerError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, at, entrance, delta, device_id FROM tallies
             WHERE uploaded_at IS NULL AND parked_reason IS NULL
             ORDER BY at, rowid LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(TallyRow {
                id: r.get(0)?,
                at: r.get(1)?,
                entrance: r.get(2)?,
                delta: r.get(3)?,
                device_id: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Forgets other kiosks' uses the server withdrew (their sign-in was voided there), so a
    /// `once` pass works again here. Returns how many were forgotten.
    pub fn withdraw_remote_uses(&mut self, uses: &[RemoteUse]) -> Result<usize, LedgerError> {
        let tx = self.conn.transaction()?;
        let mut gone = 0;
        for u in uses {
            gone += tx
                .prepare_cached(
                    "DELETE FROM uses WHERE origin = 'remote' AND pass_id = ?1 AND device_id = ?2",
                )?
                .execute(params![&u.pass_id.0[..], u.device_id])?;
        }
        tx.commit()?;
        Ok(gone)
    }
}

// ---- presence: other kiosks' open stays, their counts, the place lease ----

/// `sync_state` key: when the last presence answer was stored (Unix seconds, kiosk clock);
/// the status line says how old the venue's figure is from it.
pub const PRESENCE_FETCHED_KEY: &str = "presence_fetched_at";
const LEASE_PLACES_KEY: &str = "lease_places";
const LEASE_EXPIRES_KEY: &str = "lease_expires_at";
const DEMAND_STAYS_KEY: &str = "presence_stays_mark";
const DEMAND_LOG_KEY: &str = "presence_log_mark";

/// What the kiosk tells the server at a presence fetch (its lease, own heads inside,
/// demand), and where the demand count stopped, to be kept once the answer is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PresenceReport {
    /// The report.
    pub report: KioskReport,
    stays_mark: i64,
    log_mark: i64,
}

/// A presence answer as the ledger keeps it (checked and typed at the sync's edge).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PresenceSnapshot {
    /// When it was fetched (kiosk clock).
    pub fetched_at: i64,
    /// Open stays other kiosks recorded.
    pub others: Vec<OpenStay>,
    /// Heads inside through other kiosks, per entrance (complete, even when `others` is not).
    pub others_inside: InsideNow,
    /// This kiosk's stays an exit elsewhere closed: entry, when, how.
    pub closed_elsewhere: Vec<(EntryId, i64, ExitKind)>,
    /// The place lease granted (`None`: none; a lease held before is dropped).
    pub lease: Option<PlaceLease>,
    /// People other kiosks counted with `+1`/`-1` and no record, per entrance.
    pub others_tallied: InsideNow,
}

/// The lease in `sync_state` and this kiosk's own heads inside (one statement).
fn place_lease_of(conn: &Connection) -> Result<Option<HeldLease>, LedgerError> {
    let (places, expires, own): (Option<String>, Option<String>, i64) = conn
        .prepare_cached(
            "SELECT (SELECT value FROM sync_state WHERE key = ?1),
                    (SELECT value FROM sync_state WHERE key = ?2),
                    (SELECT COALESCE(SUM(heads), 0) FROM inside_now)",
        )?
        .query_row([LEASE_PLACES_KEY, LEASE_EXPIRES_KEY], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let lease = places
        .and_then(|p| p.parse().ok())
        .zip(expires.and_then(|e| e.parse().ok()))
        .map(|(places, expires_at)| PlaceLease { places, expires_at });
    Ok(lease.map(|lease| HeldLease {
        lease,
        own_inside: u32::try_from(own.max(0)).unwrap_or(u32::MAX),
    }))
}

impl SqliteLedger {
    /// What to tell the server at a presence fetch at `now`: the places of the lease in force
    /// (0 when none), this kiosk's own heads inside, and its demand since the last stored
    /// fetch (heads of the entries recorded since, plus one per `qr_full` refusal since).
    pub fn presence_report(&self, now: i64) -> Result<PresenceReport, LedgerError> {
        let held = place_lease_of(&self.conn)?;
        let mark = |key: &str| -> Result<i64, LedgerError> {
            Ok(self
                .sync_value(key)?
                .and_then(|v| v.parse().ok())
                .unwrap_or(0))
        };
        let (stays_from, log_from) = (mark(DEMAND_STAYS_KEY)?, mark(DEMAND_LOG_KEY)?);
        let (stays_mark, admitted): (i64, i64) = self.conn.query_row(
            "SELECT COALESCE(MAX(id), ?1), COALESCE(SUM(heads), 0) FROM stays WHERE id > ?1",
            [stays_from],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let (log_mark, refused): (i64, i64) = self.conn.query_row(
            "SELECT COALESCE(MAX(rowid), ?1), COUNT(*) FILTER (WHERE verdict = ?2)
             FROM scan_log WHERE rowid > ?1",
            params![log_from, VerdictKind::Full.name()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let count = |n: i64| u32::try_from(n.max(0)).unwrap_or(u32::MAX);
        Ok(PresenceReport {
            report: KioskReport {
                held: held
                    .filter(|h| h.lease.in_force(now))
                    .map_or(0, |h| h.lease.places),
                inside: held.map_or_else(|| inside_now_own(&self.conn), |h| Ok(h.own_inside))?,
                demand: count(admitted).saturating_add(count(refused)),
            },
            stays_mark,
            log_mark,
        })
    }

    /// Keeps a presence answer, in one transaction: the other kiosks' open stays and counts
    /// replace the last ones, less those an exit here closed; this kiosk's stays closed
    /// elsewhere are closed; the lease, the demand marks of `report` and
    /// [`PRESENCE_FETCHED_KEY`] are written.
    pub fn store_presence(
        &mut self,
        snap: &PresenceSnapshot,
        report: &PresenceReport,
    ) -> Result<(), LedgerError> {
        self.atomically(|ledger| {
            let conn = &ledger.conn;
            conn.execute_batch(
                "DELETE FROM remote_stays; DELETE FROM remote_inside; DELETE FROM remote_tallies;",
            )?;
            let mut tallied = conn
                .prepare_cached("INSERT INTO remote_tallies (entrance, heads) VALUES (?1, ?2)")?;
            for (entrance, heads) in snap.others_tallied.iter().filter(|(_, n)| *n > 0) {
                tallied.execute(params![entrance.as_str(), heads])?;
            }
            let mut counts =
                conn.prepare_cached("INSERT INTO remote_inside (entrance, heads) VALUES (?1, ?2)")?;
            for (entrance, heads) in snap.others_inside.iter().filter(|(_, n)| *n > 0) {
                counts.execute(params![entrance.as_str(), heads])?;
            }
            let mut stays = conn.prepare_cached(
                "INSERT OR IGNORE INTO remote_stays
                 (entry_id, pass_id, entrance, heads, entered_at, device_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for s in &snap.others {
                stays.execute(params![
                    s.entry.0,
                    &s.pass_id.0[..],
                    s.entrance.as_str(),
                    s.heads.get(),
                    s.since,
                    s.device_id
                ])?;
            }
            // Exits recorded here that the server has not applied yet close them again.
            conn.execute_batch(
                "UPDATE remote_stays SET exited_at =
                     (SELECT MIN(at) FROM exits WHERE exits.closes = remote_stays.entry_id)
                 WHERE exited_at IS NULL
                   AND EXISTS (SELECT 1 FROM exits WHERE exits.closes = remote_stays.entry_id);",
            )?;
            let mut close = conn.prepare_cached(
                "UPDATE stays SET exited_at = ?2, exit_kind = ?3
                 WHERE entry_id = ?1 AND exited_at IS NULL",
            )?;
            for (entry, at, kind) in &snap.closed_elsewhere {
                close.execute(params![entry.0, at, kind.as_str()])?;
            }
            let mut set = conn.prepare_cached(
                "INSERT INTO sync_state (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?;
            match &snap.lease {
                Some(l) => {
                    set.execute([LEASE_PLACES_KEY, &l.places.to_string()])?;
                    set.execute([LEASE_EXPIRES_KEY, &l.expires_at.to_string()])?;
                }
                None => {
                    conn.execute(
                        "DELETE FROM sync_state WHERE key IN (?1, ?2)",
                        [LEASE_PLACES_KEY, LEASE_EXPIRES_KEY],
                    )?;
                }
            }
            set.execute([DEMAND_STAYS_KEY, &report.stays_mark.to_string()])?;
            set.execute([DEMAND_LOG_KEY, &report.log_mark.to_string()])?;
            set.execute([PRESENCE_FETCHED_KEY, &snap.fetched_at.to_string()])?;
            Ok(())
        })
    }

    /// How many open stays of other kiosks the ledger knows (from the presence fetch).
    pub fn remote_open_stays(&self) -> Result<u64, LedgerError> {
        self.count("SELECT COUNT(*) FROM remote_stays WHERE exited_at IS NULL")
    }
}

/// This kiosk's own heads inside (the trigger-kept counts, without other kiosks').
fn inside_now_own(conn: &Connection) -> Result<u32, LedgerError> {
    let n: i64 = conn
        .prepare_cached("SELECT COALESCE(SUM(heads), 0) FROM inside_now")?
        .query_row([], |r| r.get(0))?;
    Ok(u32::try_from(n.max(0)).unwrap_or(u32::MAX))
}

/// A ledger that only reads: judging through it says what a scan would give and records
/// nothing, neither the use nor the scan log (`usher verify --dry-run`).
#[derive(Debug)]
pub struct DryRun<'a>(pub &'a SqliteLedger);

impl Ledger for DryRun<'_> {
    type Error = LedgerError;

    /// The earlier use when one counts; else `Recorded`, though nothing was.
    fn claim(&mut self, claim: &Claim<'_>) -> Result<ClaimOutcome, LedgerError> {
        Ok(
            match first_counting_use(&self.0.conn, &claim.pass.id, claim.counts_since)? {
                Some(first) => ClaimOutcome::AlreadyUsed(first),
                None => ClaimOutcome::Recorded,
            },
        )
    }

    fn log_rejection(&mut self, _: &Rejection<'_>) -> Result<(), LedgerError> {
        Ok(())
    }

    fn revoked(&mut self, pass: &PassId) -> Result<bool, LedgerError> {
        revoked_in(&self.0.conn, pass)
    }
}

/// The door through a dry run: the same reads as [`SqliteLedger`]; every write is dropped.
impl DoorLedger for DryRun<'_> {
    fn holder(&mut self, pass: &PassId, counts_since: Option<i64>) -> Result<Holder, LedgerError> {
        holder_of(&self.0.conn, pass, counts_since)
    }

    fn inside_now(&mut self) -> Result<InsideNow, LedgerError> {
        inside_now_of(&self.0.conn)
    }

    fn open_stays(&mut self) -> Result<Vec<OpenStay>, LedgerError> {
        open_stays_of(&self.0.conn)
    }

    /// Records nothing; the id names no entry.
    fn place_lease(&mut self) -> Result<Option<HeldLease>, LedgerError> {
        place_lease_of(&self.0.conn)
    }

    fn record_entry(&mut self, _: &Entry<'_>) -> Result<EntryId, LedgerError> {
        Ok(EntryId("dry-run".into()))
    }

    fn record_exit(&mut self, _: &Exit<'_>) -> Result<(), LedgerError> {
        Ok(())
    }

    fn set_heads(&mut self, _: &EntryId, _: PartySize) -> Result<bool, LedgerError> {
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use usher_core::{Pass, PassId, Payload};

    fn pass(n: u8) -> Pass {
        let mut payload = Payload::default();
        payload.strings[0] = Some(format!("Visitor {n}"));
        payload.expiry = Some(500);
        Pass {
            id: PassId::of(&[n]),
            payload,
        }
    }

    fn claim(ledger: &mut SqliteLedger, p: &Pass, at: i64, since: Option<i64>) -> ClaimOutcome {
        let c = Claim {
            pass: p,
            at,
            counts_since: since,
            device_id: "door-1",
        };
        ledger.claim(&c).expect("claim")
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    /// Every byte of the ledger's files (db, -wal, -shm) and whether `needle` is among them.
    pub(super) fn on_disk(path: &Path, needle: &str) -> bool {
        ["", "-wal", "-shm"].iter().any(|ext| {
            let mut name = path.as_os_str().to_owned();
            name.push(ext);
            std::fs::read(name).is_ok_and(|b| contains(&b, needle.as_bytes()))
        })
    }

    fn named(n: u8, name: &str) -> Pass {
        let mut payload = Payload::default();
        payload.strings[0] = Some(name.to_owned());
        payload.strings[1] = Some(format!("+44 20 7946 00{n:02}"));
        Pass {
            id: PassId::of(&[n, 1]),
            payload,
        }
    }

    #[test]
    fn an_old_ledger_with_fields_in_clear_is_sealed_on_open_and_no_clear_bytes_remain() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("old.db");
        {
            // A schema-3 ledger as the previous Usher wrote it: fields in clear.
            let mut conn = Connection::open(&path).expect("c");
            let _: String = conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
                .expect("wal");
            let tx = conn.transaction().expect("tx");
            for (v, sql) in MIGRATIONS.iter().take(3).enumerate() {
                tx.execute_batch(sql).expect("migrate");
                tx.pragma_update(None, "user_version", v as i64 + 1)
                    .expect("v");
            }
            for (i, uploaded) in [(1, false), (2, true), (3, false)] {
                tx.execute(
                    "INSERT INTO uses (id, pass_id, used_at, device_id) VALUES (?1, ?2, 10, 'door-1')",
                    params![i, &PassId::of(&[i as u8]).0[..]],
                )
                .expect("use");
                tx.execute(
                    "INSERT INTO outbox (id, use_id, created_at, fields, uploaded_at) VALUES (?1, ?4, 10, ?2, ?3)",
                    params![
                        format!("row{i}"),
                        format!(r#"{{"s1":"Ådne Åsheim {i}","email":"adne{i}@example.org"}}"#),
                        uploaded.then_some(20),
                        i
                    ],
                )
                .expect("outbox");
            }
            // An uploaded row rewritten in place leaves its old bytes in the page.
            tx.execute("UPDATE outbox SET attempts = 1", []).expect("u");
            tx.commit().expect("commit");
        }
        assert!(
            on_disk(&path, "Ådne Åsheim 1"),
            "the old file holds clear text"
        );
        let organiser = ed25519_dalek::SigningKey::from_bytes(&[3; 32]);
        let protection = Protection::sealed_to(
            &organiser.verifying_key(),
            &dir.path().join("old.contact.key"),
        );
        let mut ledger = SqliteLedger::open_with(&path, protection).expect("open");
        assert_eq!(ledger.schema_version().expect("v"), MIGRATIONS.len() as i64);
        let batch = ledger.pending_batch(10).expect("batch");
        assert_eq!(batch.len(), 2);
        let secret = crypto_box::SecretKey::from_bytes(organiser.to_scalar_bytes());
        for row in &batch {
            let WireContact::Sealed(sealed) = &row.contact else {
                panic!("{} not sealed", row.id)
            };
            let plain: serde_json::Value =
                serde_json::from_slice(&secret.unseal(sealed).expect("opens")).expect("json");
            assert_eq!(plain["id"], row.id.as_str());
            assert!(
                plain["fields"]["s1"]
                    .as_str()
                    .expect("s1")
                    .starts_with("Ådne")
            );
        }
        for i in 1..=3 {
            for needle in [format!("Ådne Åsheim {i}"), format!("adne{i}@example.org")] {
                assert!(!on_disk(&path, &needle), "{needle} still on disk");
            }
        }
    }

    #[test]
    fn rows_written_standalone_are_resealed_to_the_organiser_once_enrolled() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("k.db");
        claim(
            &mut SqliteLedger::open(&path).expect("standalone"),
            &named(1, "Noor"),
            100,
            None,
        );
        let organiser = ed25519_dalek::SigningKey::from_bytes(&[8; 32]);
        let enrolled =
            Protection::sealed_to(&organiser.verifying_key(), &Protection::key_file_for(&path));
        let mut ledger = SqliteLedger::open_with(&path, enrolled).expect("enrolled");
        let batch = ledger.pending_batch(10).expect("batch");
        let WireContact::Sealed(sealed) = &batch[0].contact else {
            panic!("not resealed: {:?}", batch[0].contact)
        };
        let secret = crypto_box::SecretKey::from_bytes(organiser.to_scalar_bytes());
        let plain: serde_json::Value =
            serde_json::from_slice(&secret.unseal(sealed).expect("opens")).expect("json");
        assert_eq!(plain["fields"]["s1"], "Noor");
        assert_eq!(plain["id"], batch[0].id.as_str());
    }

    #[test]
    fn uploading_erases_the_contact_data_and_the_wal_keeps_none_of_it() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("k.db");
        let mut ledger = SqliteLedger::open(&path).expect("open");
        for n in 0..20 {
            claim(&mut ledger, &named(n, "Zoë Quill"), 100, None);
        }
        let contact_bytes = |l: &SqliteLedger| -> Vec<Vec<u8>> {
            let mut stmt = l
                .conn
                .prepare("SELECT contact FROM outbox WHERE contact IS NOT NULL")
                .expect("p");
            stmt.query_map([], |r| r.get(0))
                .expect("q")
                .collect::<Result<_, _>>()
                .expect("rows")
        };
        let blobs = contact_bytes(&ledger);
        assert_eq!(blobs.len(), 20);
        let batch = ledger.pending_batch(10).expect("batch");
        let ids: Vec<String> = batch.iter().map(|r| r.id.clone()).collect();
        ledger.mark_uploaded(&ids, 200).expect("up");
        assert_eq!(contact_bytes(&ledger).len(), 10, "uploaded rows erased");
        let wal = std::fs::metadata(dir.path().join("k.db-wal")).map_or(0, |m| m.len());
        assert_eq!(wal, 0, "WAL truncated after the erasure");
        drop(ledger);
        let all = std::fs::read(&path).expect("read");
        let erased = blobs.iter().filter(|b| !contains(&all, &b[..40])).count();
        assert_eq!(
            erased, 10,
            "the erased rows' sealed bytes are gone from the file"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).expect("m").permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "the ledger is private");
        }
    }

    #[test]
    fn a_row_whose_local_key_is_gone_is_parked_with_the_reason() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("k.db");
        claim(
            &mut SqliteLedger::open(&path).expect("open"),
            &named(1, "Ana"),
            100,
            None,
        );
        std::fs::remove_file(dir.path().join("k.contact.key")).expect("rm key");
        let mut ledger = SqliteLedger::open(&path).expect("reopen with a new key");
        claim(&mut ledger, &named(2, "Bo"), 101, None);
        let batch = ledger.pending_batch(10).expect("batch");
        assert_eq!(batch.len(), 1, "the readable row goes");
        let parked = ledger.parked().expect("parked");
        assert_eq!(parked.len(), 1);
        assert!(
            parked[0].reason.contains("local key"),
            "{}",
            parked[0].reason
        );
    }

    #[test]
    fn the_purge_deletes_old_uploaded_rows_and_never_waiting_or_parked_ones() {
        let mut ledger = SqliteLedger::in_memory().expect("mem");
        for n in 0..4 {
            claim(&mut ledger, &pass(n), 100 + i64::from(n), Some(i64::MIN));
        }
        claim(&mut ledger, &pass(9), 5_000, Some(i64::MIN));
        ledger
            .log_rejection(&Rejection {
                at: 50,
                verdict: VerdictKind::Expired,
                reason: "expired",
                pass_id: None,
            })
            .expect("log");
        ledger
            .add_reported_double_uses(&[(
                pass(0).id,
                FirstUse {
                    at: 90,
                    device_id: "door-2".into(),
                },
                FirstUse {
                    at: 100,
                    device_id: "door-1".into(),
                },
            )])
            .expect("double");
        let batch = ledger.pending_batch(10).expect("batch");
        // 0 and 1 uploaded, 2 parked, 3 waiting; 9 uploaded but recent.
        ledger
            .mark_uploaded(
                &[
                    batch[0].id.clone(),
                    batch[1].id.clone(),
                    batch[4].id.clone(),
                ],
                200,
            )
            .expect("up");
        ledger.park(&batch[2].id, "refused").expect("park");
        let purged = ledger.purge_before(1_000).expect("purge");
        assert_eq!(
            purged,
            Purged {
                uses: 2,
                remote_uses: 0,
                scan_log: 5,
                outbox: 2,
                double_uses: 1,
                stays: 0,
                exits: 0,
                revoked: 0,
            }
        );
        assert_eq!(ledger.parked().expect("parked").len(), 1);
        assert_eq!(ledger.pending_uploads().expect("n"), 1);
        assert_eq!(
            ledger.local_uses().expect("n"),
            3,
            "waiting, parked and recent uses stay"
        );
        assert_eq!(
            ledger.purge_before(1_000).expect("again"),
            Purged::default()
        );
        // The waiting row still uploads whole.
        assert_eq!(ledger.pending_batch(10).expect("batch")[0].id, batch[3].id);
    }

    #[test]
    fn the_purge_keeps_old_uses_of_passes_that_are_still_valid() {
        let mut ledger = SqliteLedger::in_memory().expect("mem");
        let mut long_lived = pass(1);
        long_lived.payload.expiry = Some(10_000);
        for p in [&pass(0), &long_lived] {
            claim(&mut ledger, p, 100, Some(i64::MIN));
        }
        let batch = ledger.pending_batch(10).expect("batch");
        let ids: Vec<String> = batch.iter().map(|r| r.id.clone()).collect();
        ledger.mark_uploaded(&ids, 200).expect("up");
        let purged = ledger.purge_before(1_000).expect("purge");
        assert_eq!((purged.outbox, purged.uses), (2, 1));
        // A `once` pass used 900 s before the cutoff and valid until 10,000 is still used.
        assert_eq!(
            claim(&mut ledger, &long_lived, 1_100, Some(i64::MIN)),
            ClaimOutcome::AlreadyUsed(FirstUse {
                at: 100,
                device_id: "door-1".into()
            })
        );
        assert_eq!(
            claim(&mut ledger, &pass(0), 1_100, Some(i64::MIN)),
            ClaimOutcome::Recorded
        );
    }

    #[test]
    fn a_new_file_gets_the_current_schema_and_durable_settings() {
        let dir = tempfile::tempdir().expect("tmp");
        let ledger = SqliteLedger::open(&dir.path().join("l.db")).expect("open");
        assert_eq!(ledger.schema_version().expect("v"), MIGRATIONS.len() as i64);
        let mode: String = ledger
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .expect("q");
        assert_eq!(mode, "wal");
        let sync: i64 = ledger
            .conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .expect("q");
        assert_eq!(sync, 2, "FULL");
    }

    #[test]
    fn reopening_keeps_uses_and_does_not_migrate_twice() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("l.db");
        let p = pass(1);
        claim(
            &mut SqliteLedger::open(&path).expect("open"),
            &p,
            10,
            Some(i64::MIN),
        );
        let mut again = SqliteLedger::open(&path).expect("reopen");
        let first = FirstUse {
            at: 10,
            device_id: "door-1".into(),
        };
        assert_eq!(
            claim(&mut again, &p, 20, Some(i64::MIN)),
            ClaimOutcome::AlreadyUsed(first)
        );
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("l.db");
        Connection::open(&path)
            .expect("c")
            .pragma_update(None, "user_version", 99)
            .expect("set");
        assert!(matches!(
            SqliteLedger::open(&path),
            Err(LedgerError::TooNew { found: 99, .. })
        ));
    }

    #[test]
    fn accepting_writes_use_outbox_and_log_together() {
        let mut ledger = SqliteLedger::in_memory().expect("mem");
        assert_eq!(
            claim(&mut ledger, &pass(1), 100, Some(i64::MIN)),
            ClaimOutcome::Recorded
        );
        assert_eq!(ledger.local_uses().expect("n"), 1);
        assert_eq!(ledger.pending_uploads().expect("n"), 1);
        let (fields, contact): (String, Vec<u8>) = ledger
            .conn
            .query_row("SELECT fields, contact FROM outbox", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .expect("row");
        assert_eq!(fields, "", "no clear fields");
        assert!(
            !contains(&contact, b"Visitor"),
            "contact data kept in clear"
        );
        assert_eq!(
            ledger.pending_batch(1).expect("batch")[0].contact,
            WireContact::Fields(r#"{"s1":"Visitor 1"}"#.into())
        );
        assert_eq!(
            ledger.counts_since(0).expect("c").get("qr_accepted"),
            Some(&1)
        );
    }

    #[test]
    fn a_used_pass_writes_nothing_but_reports_the_first_use() {
        let mut ledger = SqliteLedger::in_memory().expect("mem");
        let p = pass(2);
        claim(&mut ledger, &p, 100, Some(i64::MIN));
        claim(&mut ledger, &p, 200, None); // `always` records a second use
        let out = claim(&mut ledger, &p, 300, Some(150));
        assert_eq!(
            out,
            ClaimOutcome::AlreadyUsed(FirstUse {
                at: 200,
                device_id: "door-1".into()
            })
        );
        assert_eq!(ledger.local_uses().expect("n"), 2);
        assert_eq!(ledger.pending_uploads().expect("n"), 2);
    }

    #[test]
    fn outbox_ids_are_distinct_and_ordered_by_scan_time() {
        let mut ledger = SqliteLedger::in_memory().expect("mem");
        for n in 0..50 {
            claim(
                &mut ledger,
                &pass(n),
                1_800_000_000 + i64::from(n / 10),
                None,
            );
        }
        let rows = ledger.pending_batch(100).expect("batch");
        for r in &rows {
            assert_eq!(r.id.len(), 32);
            assert_eq!(r.id[..10], format!("{:010x}", r.scanned_at), "time first");
        }
        let distinct: i64 = ledger
            .conn
            .query_row(
                "SELECT COUNT(DISTINCT id) FROM outbox WHERE length(id) = 32",
                [],
                |r| r.get(0),
            )
            .expect("q");
        assert_eq!(distinct, 50);
    }

    #[test]
    fn a_compact_pass_goes_up_with_its_registration_and_a_revoked_one_is_refused() {
        let mut ledger = SqliteLedger::in_memory().expect("mem");
        let mut compact = pass(7);
        compact.payload.registration = Some("Rk3x_9aQ".into());
        claim(&mut ledger, &compact, 100, None);
        claim(&mut ledger, &pass(8), 101, None);
        let batch = ledger.pending_batch(10).expect("batch");
        assert_eq!(batch[0].registration.as_deref(), Some("Rk3x_9aQ"));
        assert_eq!(batch[1].registration, None, "a pass without r");
        assert!(!ledger.revoked(&compact.id).expect("read"));
        assert_eq!(
            ledger
                .add_revocations(&[(compact.id, 500), (compact.id, 500)])
                .expect("add"),
            1
        );
        assert!(ledger.revoked(&compact.id).expect("read"));
        assert!(DryRun(&ledger).revoked(&compact.id).expect("read"));
        assert!(!ledger.revoked(&pass(8).id).expect("read"));
    }

    #[test]
    fn outbox_rows_leave_only_when_uploaded_and_parked_rows_stay() {
        let mut ledger = SqliteLedger::in_memory().expect("mem");
        for n in 0..3 {
            claim(&mut ledger, &pass(n), 100 + i64::from(n), None);
        }
        let batch = ledger.pending_batch(10).expect("batch");
        assert_eq!(batch.len(), 3);
        assert_eq!(batch[0].pass_id, pass(0).id);
        assert_eq!(batch[0].scanned_at, 100);
        assert_eq!(
            batch[0].contact,
            WireContact::Fields(r#"{"s1":"Visitor 0"}"#.into())
        );
        ledger
            .count_attempt(&[batch[0].id.clone()])
            .expect("attempt");
        ledger
            .mark_uploaded(&[batch[0].id.clone()], 500)
            .expect("up");
        ledger
            .park(&batch[1].id, "scan time far in the future")
            .expect("park");
        let left = ledger.pending_batch(10).expect("batch");
        assert_eq!(
            left.iter().map(|r| &r.id).collect::<Vec<_>>(),
            [&batch[2].id]
        );
        let parked = ledger.parked().expect("parked");
        assert_eq!(parked.len(), 1);
        assert_eq!(parked[0].reason, "scan time far in the future");
        assert_eq!(ledger.pending_uploads().expect("n"), 1);
        // Uploaded rows are not parked later by a late refusal.
        ledger.park(&batch[0].id, "late").expect("park");
        assert_eq!(ledger.parked().expect("parked").len(), 1);
    }

    #[test]
    fn other_kiosks_uses_go_once_their_pass_has_expired() {
        let mut ledger = SqliteLedger::in_memory().expect("mem");
        let remote = |n: u8, valid_until| RemoteUse {
            pass_id: PassId::of(&[n]),
            first_at: 100,
            device_id: "door-2".into(),
            valid_until,
        };
        let uses = [
            remote(1, Some(500)),
            remote(2, Some(5_000)),
            remote(3, None),
        ];
        assert_eq!(ledger.add_remote_uses(&uses).expect("add"), 3);
        let purged = ledger.purge_before(1_000).expect("purge");
        assert_eq!(purged.remote_uses, 1, "only the expired pass's use goes");
        let left: i64 = ledger
            .conn
            .query_row(
                "SELECT COUNT(*) FROM uses WHERE origin = 'remote'",
                [],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(left, 2, "a valid pass and one of unknown expiry stay used");
    }

    #[test]
    fn remote_uses_make_once_hold_across_kiosks_and_show_double_uses() {
        let mut ledger = SqliteLedger::in_memory().expect("mem");
        let (here, there) = (pass(1), pass(2));
        claim(&mut ledger, &here, 100, Some(i64::MIN));
        let remote = [
            RemoteUse {
                pass_id: there.id,
                first_at: 50,
                device_id: "door-2".into(),
                valid_until: None,
            },
            RemoteUse {
                pass_id: here.id,
                first_at: 90,
                device_id: "door-2".into(),
                valid_until: None,
            },
        ];
        assert_eq!(ledger.add_remote_uses(&remote).expect("add"), 2);
        assert_eq!(
            ledger.add_remote_uses(&remote).expect("again"),
            0,
            "idempotent"
        );
        let out = claim(&mut ledger, &there, 200, Some(i64::MIN));
        assert_eq!(
            out,
            ClaimOutcome::AlreadyUsed(FirstUse {
                at: 50,
                device_id: "door-2".into()
            })
        );
        let doubles = ledger.double_uses().expect("doubles");
        assert_eq!(doubles.len(), 1);
        assert_eq!(doubles[0].0, here.id);
        // door-2 used it at 90, before this kiosk at 100.
        assert_eq!(
            doubles[0].1,
            FirstUse {
                at: 90,
                device_id: "door-2".into()
            }
        );
        assert_eq!(
            doubles[0].2,
            FirstUse {
                at: 100,
                device_id: "door-1".into()
            }
        );
        // The server's report of the same double use replaces the local finding.
        let report = (here.id, doubles[0].1.clone(), doubles[0].2.clone());
        assert_eq!(
            ledger
                .add_reported_double_uses(std::slice::from_ref(&report))
                .expect("add"),
            1
        );
        assert_eq!(
            ledger.add_reported_double_uses(&[report]).expect("again"),
            0
        );
        assert_eq!(ledger.double_uses().expect("doubles").len(), 1);
        assert_eq!(ledger.local_uses().expect("n"), 1);
    }

    #[test]
    fn sync_values_persist() {
        let mut ledger = SqliteLedger::in_memory().expect("mem");
        assert_eq!(ledger.sync_value("cursor").expect("get"), None);
        ledger.set_sync_value("cursor", "a").expect("set");
        ledger.set_sync_value("cursor", "b").expect("set");
        assert_eq!(
            ledger.sync_value("cursor").expect("get").as_deref(),
            Some("b")
        );
    }

    #[test]
    fn rejections_go_to_the_scan_log_only() {
        let mut ledger = SqliteLedger::in_memory().expect("mem");
        ledger
            .log_rejection(&Rejection {
                at: 5,
                verdict: VerdictKind::Expired,
                reason: "expired",
                pass_id: None,
            })
            .expect("log");
        assert_eq!(ledger.pending_uploads().expect("n"), 0);
        let recent = ledger.recent_scans(10).expect("recent");
        assert_eq!(
            recent,
            vec![ScanRecord {
                at: 5,
                verdict: "qr_expired".into(),
                reason: "expired".into()
            }]
        );
    }
}

/// The door's scenarios of `usher-core/tests/door.rs`, on a real SQLite file.
#[cfg(test)]
mod door_tests {
    use super::*;
    use usher_core::door::{Preview, preview_at_door};
    use usher_core::issue::pass_text;
    use usher_core::{
        Capacity, ClockTime, DoorMode, DoorRules, DoorScan, DoorVerdict, Now, ReusePolicy, Rules,
        Secret, SignOutRules, Signer, Verdict, judge, judge_at_door, sign_out_due,
    };

    pub(super) const PASSWORD: &str = "a door password of some length";
    /// 2027-01-15 08:00 UTC.
    pub(super) const T: i64 = 1_799_999_999 - 1_799_999_999 % 86_400 + 8 * 3600;

    /// A pass for a party of `p` named `name`, signed with [`PASSWORD`].
    pub(super) fn family(name: &str, p: u8) -> String {
        pass_text(
            "https://venue.example/p",
            &format!(r#"{{"s1":"{name}","p":{p},"expiry":1900000000,"n":"{name}"}}"#),
            &Signer::HmacSha256(Secret::from(PASSWORD)),
        )
    }

    fn entrance(name: &str) -> Entrance {
        name.parse().expect("entrance")
    }

    pub(super) struct Door {
        _dir: tempfile::TempDir,
        pub(super) path: std::path::PathBuf,
        pub(super) rules: Rules,
        pub(super) door: DoorRules,
        pub(super) ledger: SqliteLedger,
    }

    impl Door {
        pub(super) fn new(reuse: ReusePolicy, door: DoorRules) -> Self {
            let dir = tempfile::tempdir().expect("tmp");
            let path = dir.path().join("door.db");
            let ledger = SqliteLedger::open(&path).expect("open");
            Door {
                _dir: dir,
                path,
                rules: usher_testkit::password_rules(PASSWORD, reuse),
                door,
                ledger,
            }
        }

        fn mode(reuse: ReusePolicy, mode: DoorMode) -> Self {
            Self::new(
                reuse,
                DoorRules {
                    mode,
                    ..DoorRules::default()
                },
            )
        }

        pub(super) fn scan_with(&mut self, text: &str, scan: DoorScan, at: i64) -> DoorVerdict {
            judge_at_door(
                text,
                &self.rules,
                &self.door,
                &scan,
                Now::utc(at),
                &mut self.ledger,
            )
            .expect("ledger")
        }

        pub(super) fn kind(&mut self, text: &str, at: i64) -> VerdictKind {
            self.scan_with(text, DoorScan::default(), at).verdict.kind()
        }

        fn inside(&mut self) -> (u32, u32) {
            let inside = self.ledger.inside_now().expect("inside");
            (inside.at(&self.door.entrance), inside.total())
        }

        /// Inside now counted the slow way, from the open stays themselves.
        pub(super) fn inside_counted(&mut self) -> InsideNow {
            InsideNow::of(&self.ledger.open_stays().expect("open"))
        }
    }

    #[test]
    fn a_party_comes_in_and_leaves_and_the_file_says_so_after_reopening() {
        let mut d = Door::mode(ReusePolicy::Once, DoorMode::InOut);
        let ada = family("Ada Lovelace", 3);
        let entry = d.scan_with(&ada, DoorScan::default(), T);
        assert_eq!(entry.verdict.kind(), VerdictKind::Accepted, "{entry:?}");
        let entered = entry.entered.expect("entered");
        assert_eq!((entered.heads.get(), entered.new_use), (3, true));
        assert_eq!(d.inside(), (3, 3));
        // The entry is today's sign-in: its id is the outbox id, contact data sealed.
        let batch = d.ledger.pending_batch(10).expect("batch");
        assert_eq!(batch.len(), 1);
        assert_eq!(batch[0].id, entered.entry.0);
        drop(std::mem::replace(
            &mut d.ledger,
            SqliteLedger::in_memory().expect("mem"),
        ));
        let on_disk = |needle: &str| super::tests::on_disk(&d.path, needle);
        assert!(!on_disk("Ada Lovelace"), "contact data in clear");
        d.ledger = SqliteLedger::open(&d.path).expect("reopen");
        assert_eq!(d.inside(), (3, 3), "the stay survives a restart");

        assert_eq!(
            d.kind(&ada, T + 30),
            VerdictKind::Used,
            "before minStaySeconds"
        );
        let exit = d.scan_with(&ada, DoorScan::default(), T + 3600);
        let Verdict::Goodbye {
            closed: Some(stay), ..
        } = &exit.verdict
        else {
            panic!("expected qr_goodbye closing the stay: {exit:?}");
        };
        assert_eq!((&stay.entry, stay.since), (&entered.entry, T));
        assert_eq!(d.inside(), (0, 0));
        // A once pass can leave but not come back.
        assert_eq!(d.kind(&ada, T + 3700), VerdictKind::Used);
        let log = d.ledger.recent_scans(10).expect("log");
        let verdicts: Vec<&str> = log.iter().rev().map(|r| r.verdict.as_str()).collect();
        assert_eq!(
            verdicts,
            ["qr_accepted", "qr_used", "qr_goodbye", "qr_used"]
        );
        assert_eq!(
            d.ledger.pending_uploads().expect("n"),
            1,
            "exits are not sign-ins"
        );
        assert_eq!(d.ledger.pending_exit_uploads().expect("n"), 1);
        let batch = d.ledger.upload_batch(10).expect("batch");
        assert_eq!(batch.signins[0].heads, Some(3));
        assert_eq!(batch.exits.len(), 1);
        assert_eq!(
            batch.exits[0].closes.as_deref(),
            Some(entered.entry.0.as_str())
        );
    }

    #[test]
    fn an_exit_with_no_open_stay_is_recorded_and_marked() {
        let mut d = Door::mode(ReusePolicy::Once, DoorMode::Out);
        let v = d.scan_with(&family("Bo", 1), DoorScan::default(), T);
        assert!(
            matches!(v.verdict, Verdict::Goodbye { closed: None, .. }),
            "{v:?}"
        );
        let (closes, kind): (Option<String>, String) = d
            .ledger
            .conn
            .query_row("SELECT closes, kind FROM exits", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .expect("one exit");
        assert_eq!((closes, kind.as_str()), (None, "scan"));
        assert_eq!(d.inside(), (0, 0));
    }

    #[test]
    fn a_stay_opened_at_one_entrance_closes_at_another() {
        let ada = family("Ada", 2);
        let mut d = Door::new(
            ReusePolicy::Daily,
            DoorRules {
                entrance: entrance("brothers"),
                ..DoorRules::default()
            },
        );
        assert_eq!(d.kind(&ada, T), VerdictKind::Accepted);
        d.door = DoorRules {
            entrance: entrance("sisters"),
            mode: DoorMode::InOut,
            ..DoorRules::default()
        };
        let exit = d.scan_with(&ada, DoorScan::default(), T + 900);
        match &exit.verdict {
            Verdict::Goodbye {
                closed: Some(stay), ..
            } => assert_eq!(stay.entrance, entrance("brothers")),
            other => panic!("expected the brothers' stay closed: {other:?}"),
        }
        assert_eq!(d.ledger.inside_now().expect("inside").total(), 0);
    }

    #[test]
    fn coming_back_the_same_day_after_an_exit_opens_a_stay_that_is_no_new_use() {
        for reuse in [ReusePolicy::Daily, ReusePolicy::Interval(240)] {
            let ada = family("Ada", 1);
            let mut d = Door::mode(reuse, DoorMode::InOut);
            assert_eq!(d.kind(&ada, T), VerdictKind::Accepted, "{reuse}");
            assert_eq!(d.kind(&ada, T + 600), VerdictKind::Goodbye, "{reuse}");
            let back = d.scan_with(&ada, DoorScan::default(), T + 1200);
            assert_eq!(back.verdict.kind(), VerdictKind::Accepted, "{reuse}");
            assert!(!back.entered.expect("entered").new_use, "{reuse}");
            assert_eq!(d.ledger.local_uses().expect("n"), 1, "{reuse}: one use");
            // Two sign-ins go up (the stays), the re-entry flagged as no use.
            assert_eq!(d.ledger.pending_uploads().expect("n"), 2, "{reuse}");
            assert_eq!(d.inside(), (1, 1), "{reuse}");
        }
        // At an `in` kiosk the next day's entry closes yesterday's stay automatically.
        let ada = family("Ada", 1);
        let mut d = Door::mode(ReusePolicy::Daily, DoorMode::In);
        assert_eq!(d.kind(&ada, T), VerdictKind::Accepted);
        assert_eq!(d.kind(&ada, T + 1200), VerdictKind::Used);
        let next = d.scan_with(&ada, DoorScan::default(), T + 86_400);
        assert!(next.auto_exit.is_some(), "{next:?}");
        assert_eq!(d.inside(), (1, 1));
    }

    #[test]
    fn a_reentry_goes_up_in_the_next_batch_flagged_and_its_exit_closes_it() {
        for reuse in [ReusePolicy::Daily, ReusePolicy::Interval(240)] {
            let ada = family("Ada", 2);
            let mut d = Door::mode(reuse, DoorMode::InOut);
            let first = d.scan_with(&ada, DoorScan::default(), T);
            let first = first.entered.expect("entered").entry;
            assert_eq!(d.kind(&ada, T + 600), VerdictKind::Goodbye, "{reuse}");
            let batch = d.ledger.upload_batch(100).expect("batch");
            d.ledger.mark_uploaded(&batch.ids(), T + 700).expect("up");
            let back = d.scan_with(&ada, DoorScan::default(), T + 1200);
            let back = back.entered.expect("entered").entry;
            let batch = d.ledger.upload_batch(100).expect("batch");
            let row = batch.signins.iter().find(|r| r.id == back.0);
            let row = row.unwrap_or_else(|| panic!("{reuse}: re-entry not in {batch:?}"));
            assert!(row.reentry, "{reuse}: {row:?}");
            assert_eq!(
                (row.scanned_at, row.heads, row.entrance.as_deref()),
                (T + 1200, Some(2), Some("main")),
                "{reuse}"
            );
            assert!(
                matches!(row.contact, WireContact::Fields(ref f) if f.contains("Ada")),
                "{reuse}: its own contact data, opened for upload"
            );
            let wire = crate::sync::sign_in_of(row);
            assert!(wire.reentry && wire.id == back.0, "{reuse}");
            assert_eq!(
                d.ledger.local_uses().expect("n"),
                1,
                "{reuse}: still one use"
            );
            d.ledger.mark_uploaded(&batch.ids(), T + 1300).expect("up");
            assert_eq!(d.kind(&ada, T + 1900), VerdictKind::Goodbye, "{reuse}");
            let batch = d.ledger.upload_batch(100).expect("batch");
            assert!(batch.signins.is_empty(), "{reuse}: {batch:?}");
            assert_eq!(batch.exits.len(), 1, "{reuse}");
            assert_eq!(batch.exits[0].closes.as_deref(), Some(back.0.as_str()));
            assert_ne!(back, first, "{reuse}");
            assert_eq!(d.inside(), (0, 0), "{reuse}");
        }
    }

    fn capacity_door(name: &str) -> DoorRules {
        DoorRules {
            entrance: entrance(name),
            mode: DoorMode::InOut,
            capacity: Capacity {
                venue: Some(10),
                entrances: [(entrance("brothers"), 6), (entrance("sisters"), 6)]
                    .into_iter()
                    .collect(),
            },
            ..DoorRules::default()
        }
    }

    #[test]
    fn capacity_refuses_a_party_that_does_not_fit_and_the_override_is_recorded() {
        let mut d = Door::new(ReusePolicy::Once, capacity_door("brothers"));
        assert_eq!(d.kind(&family("A", 6), T), VerdictKind::Accepted);
        let late = family("Late", 2);
        assert_eq!(d.kind(&late, T + 1), VerdictKind::Full);
        assert_eq!(d.inside(), (6, 6), "a refusal records no stay");
        let pin = DoorScan {
            over_capacity: true,
            ..DoorScan::default()
        };
        let admitted = d.scan_with(&late, pin, T + 2);
        assert!(admitted.entered.expect("entered").over_capacity);
        let overrides: i64 = d
            .ledger
            .conn
            .query_row("SELECT SUM(over_capacity) FROM stays", [], |r| r.get(0))
            .expect("q");
        assert_eq!(overrides, 1);
        assert_eq!(d.inside(), (8, 8));
        // The sisters' entrance has room, the venue has 2 places: a party of 3 is refused.
        d.door = capacity_door("sisters");
        let v = d.scan_with(&family("S", 3), DoorScan::default(), T + 3);
        assert_eq!(v.verdict.kind(), VerdictKind::Full, "{v:?}");
        assert_eq!(d.kind(&family("S2", 2), T + 4), VerdictKind::Accepted);
        // Exits are never refused and free places.
        d.door = capacity_door("brothers");
        assert_eq!(d.kind(&family("A", 6), T + 120), VerdictKind::Goodbye);
        assert_eq!(d.inside(), (2, 4));
        assert_eq!(d.inside_counted(), d.ledger.inside_now().expect("inside"));
    }

    #[test]
    fn the_party_prompt_changes_the_head_count_of_an_open_stay_only() {
        let mut d = Door::mode(ReusePolicy::Always, DoorMode::In);
        let ada = family("Ada", 4);
        let nine = DoorScan {
            heads: PartySize::new(9),
            ..DoorScan::default()
        };
        let first = d.scan_with(&ada, nine, T).entered.expect("entered");
        assert_eq!(first.heads.get(), 4, "capped at p");
        let second = d
            .scan_with(&ada, DoorScan::default(), T + 1)
            .entered
            .expect("entered");
        let three = PartySize::new(3).expect("3");
        assert!(d.ledger.set_heads(&second.entry, three).expect("set"));
        assert!(!d.ledger.set_heads(&first.entry, three).expect("closed"));
        assert_eq!(d.inside(), (3, 3));
        assert_eq!(d.inside_counted(), d.ledger.inside_now().expect("inside"));
    }

    #[test]
    fn automatic_sign_out_closes_evening_stays_after_midnight_once() {
        let local_midnight = T - T % 86_400 + 86_400;
        let mut d = Door::new(
            ReusePolicy::Daily,
            DoorRules {
                mode: DoorMode::InOut,
                sign_out: SignOutRules {
                    closing_time: ClockTime::new(1, 0),
                    max_stay_minutes: None,
                },
                ..DoorRules::default()
            },
        );
        assert_eq!(
            d.kind(&family("Eve", 2), local_midnight - 1800),
            VerdictKind::Accepted
        );
        assert_eq!(
            d.kind(&family("Late", 1), local_midnight + 2400),
            VerdictKind::Accepted
        );
        let due = |d: &mut Door, at| {
            sign_out_due(&mut d.ledger, &d.door, "door-1", Now::utc(at)).expect("sign out")
        };
        assert!(due(&mut d, local_midnight + 3540).is_empty());
        assert_eq!(due(&mut d, local_midnight + 7200).len(), 2);
        assert!(due(&mut d, local_midnight + 7300).is_empty(), "closed once");
        let kinds: Vec<(i64, String)> = {
            let mut stmt = d
                .ledger
                .conn
                .prepare("SELECT exited_at, exit_kind FROM stays")
                .expect("p");
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .expect("q")
                .collect::<Result<_, _>>()
                .expect("rows")
        };
        assert_eq!(kinds, vec![(local_midnight + 3600, "auto".to_owned()); 2]);
        assert_eq!(d.inside(), (0, 0));
        // An automatic exit logs no scan.
        assert!(
            d.ledger
                .recent_scans(10)
                .expect("log")
                .iter()
                .all(|r| r.verdict != "qr_goodbye")
        );
    }

    #[test]
    fn a_dry_run_decides_like_the_real_scan_and_records_nothing() {
        let mut d = Door::new(ReusePolicy::Once, capacity_door("brothers"));
        let ada = family("Ada", 6);
        assert!(matches!(
            preview_at_door(
                &ada,
                &d.rules,
                &d.door,
                &DoorScan::default(),
                Now::utc(T),
                &mut DryRun(&d.ledger)
            ),
            Ok(Preview::Decided {
                decision: usher_core::door::Decision::Enter { .. },
                ..
            })
        ));
        assert_eq!(d.inside(), (0, 0));
        assert_eq!(d.kind(&ada, T), VerdictKind::Accepted);
        assert!(matches!(
            preview_at_door(
                &family("Bo", 1),
                &d.rules,
                &d.door,
                &DoorScan::default(),
                Now::utc(T + 1),
                &mut DryRun(&d.ledger)
            ),
            Ok(Preview::Decided {
                decision: usher_core::door::Decision::Full { .. },
                ..
            })
        ));
        assert_eq!(d.ledger.recent_scans(10).expect("log").len(), 1);
    }

    #[test]
    fn an_in_kiosk_without_capacity_gives_the_verdicts_judge_gives() {
        let texts = [
            family("Ada", 1),
            family("Ada", 1),
            family("Bo", 2),
            "no pass at all".to_owned(),
        ];
        for reuse in [ReusePolicy::Once, ReusePolicy::Daily, ReusePolicy::Always] {
            let mut plain = SqliteLedger::in_memory().expect("mem");
            let mut d = Door::mode(reuse, DoorMode::In);
            for at in [T, T + 30, T + 86_400] {
                for text in &texts {
                    let want = judge(text, &d.rules, Now::utc(at), &mut plain).expect("judge");
                    assert_eq!(d.kind(text, at), want.kind(), "{reuse} at {at}");
                }
            }
            assert_eq!(
                d.ledger.counts_since(0).expect("c"),
                plain.counts_since(0).expect("c"),
                "{reuse}"
            );
            assert_eq!(
                d.ledger.pending_uploads().expect("n"),
                plain.pending_uploads().expect("n")
            );
        }
    }

    #[test]
    fn a_failed_transaction_leaves_no_stay_and_no_count() {
        let mut d = Door::mode(ReusePolicy::Always, DoorMode::In);
        let text = family("Ada", 2);
        let pass = usher_core::verdict::inspect(&text, &d.rules, Now::utc(T));
        let usher_core::verdict::Inspection::Claimable(pass) = pass else {
            panic!("claimable")
        };
        let main = Entrance::main();
        let failed: Result<(), LedgerError> = d.ledger.atomically(|l| {
            l.record_entry(&Entry {
                pass: &pass,
                at: T,
                device_id: "door-1",
                entrance: &main,
                heads: PartySize::ONE,
                new_use: true,
                over_capacity: false,
            })?;
            Err(LedgerError::Random("made to fail".into()))
        });
        assert!(failed.is_err());
        assert_eq!(d.inside(), (0, 0));
        assert_eq!(d.ledger.pending_uploads().expect("n"), 0);
        assert!(d.ledger.open_stays().expect("open").is_empty());
        assert_eq!(
            d.kind(&text, T + 1),
            VerdictKind::Accepted,
            "usable afterwards"
        );
    }

    #[test]
    fn closed_stays_and_exits_go_once_uploaded_and_old_and_nothing_waiting_goes() {
        use usher_core::ledger::{Entry, Exit};
        let pass = |n: u8| Pass {
            id: PassId::of(&[n]),
            payload: usher_core::Payload::default(),
        };
        let mut ledger = SqliteLedger::in_memory().expect("mem");
        let main: Entrance = "main".parse().expect("entrance");
        let mut entries = Vec::new();
        // 0: closed, all uploaded; 1: closed, exit waiting; 2: closed, entry waiting;
        // 3: open, uploaded; 4: closed and uploaded but recent; 5: a re-entry (no new use),
        // closed, all uploaded.
        for n in 0..6u8 {
            let at = if n == 4 { 5_000 } else { 100 + i64::from(n) };
            let entry = ledger
                .record_entry(&Entry {
                    pass: &pass(n),
                    at,
                    device_id: "door-1",
                    entrance: &main,
                    heads: PartySize::new(2).expect("2"),
                    new_use: n != 5,
                    over_capacity: false,
                })
                .expect("entry");
            if n != 3 {
                ledger
                    .record_exit(&Exit {
                        pass_id: pass(n).id,
                        at: at + 10,
                        device_id: "door-1",
                        entrance: &main,
                        closes: Some(&entry),
                        kind: ExitKind::Scan,
                    })
                    .expect("exit");
            }
            entries.push(entry);
        }
        let batch = ledger.upload_batch(100).expect("batch");
        assert_eq!((batch.signins.len(), batch.exits.len()), (6, 5));
        assert_eq!(
            batch.signins.iter().map(|r| r.reentry).collect::<Vec<_>>(),
            [false, false, false, false, true, false],
            "oldest first: the re-entry (at 105) before entry 4 (at 5000)"
        );
        let exit_of = |n: usize| {
            batch
                .exits
                .iter()
                .find(|e| e.closes.as_deref() == Some(entries[n].0.as_str()))
                .expect("exit")
                .id
                .clone()
        };
        let up = [
            entries[0].0.clone(),
            exit_of(0),
            entries[1].0.clone(),
            exit_of(2),
            entries[3].0.clone(),
            entries[4].0.clone(),
            exit_of(4),
            entries[5].0.clone(),
            exit_of(5),
        ];
        ledger.mark_uploaded(&up, 6_000).expect("up");
        let purged = ledger.purge_before(1_000).expect("purge");
        assert_eq!(
            (purged.stays, purged.exits, purged.outbox),
            (2, 3, 4),
            "entries 0 and 5 go with their exits: {purged:?}"
        );
        assert_eq!(ledger.pending_uploads().expect("n"), 1, "entry 2 waits");
        assert_eq!(ledger.pending_exit_uploads().expect("n"), 1, "exit 1 waits");
        let waiting = ledger.upload_batch(100).expect("batch");
        assert_eq!(waiting.signins[0].id, entries[2].0);
        assert_eq!(waiting.signins[0].heads, Some(2), "its stay is still there");
        assert_eq!(
            waiting.exits[0].closes.as_deref(),
            Some(entries[1].0.as_str())
        );
        assert_eq!(
            ledger.open_stays().expect("open").len(),
            1,
            "the open stay stays"
        );
        ledger.mark_uploaded(&waiting.ids(), 6_001).expect("up");
        let purged = ledger.purge_before(1_000).expect("purge");
        assert_eq!((purged.stays, purged.exits), (2, 1), "{purged:?}");
        assert_eq!(
            ledger.purge_before(1_000).expect("again"),
            Purged::default()
        );
    }
}

/// Presence on a real SQLite file: other kiosks' open stays and counts, exits here closing
/// them, this kiosk's stays closed elsewhere, and the place lease at the door.
#[cfg(test)]
mod presence_tests {
    use super::door_tests::{Door, T, family};
    use super::*;
    use usher_core::{Capacity, DoorMode, DoorRules, DoorScan, ReusePolicy, Verdict};

    fn pass_of(name: &str, p: u8) -> PassId {
        PassId::of(
            format!(r#"{{"s1":"{name}","p":{p},"expiry":1900000000,"n":"{name}"}}"#).as_bytes(),
        )
    }

    fn entrance(name: &str) -> Entrance {
        name.parse().expect("entrance")
    }

    /// Kiosk k2 at the sisters' door has Ada's party of 2 inside; 5 more are inside through
    /// brothers' kiosks (not listed); this kiosk's lease is `lease`.
    fn fetched(lease: Option<PlaceLease>) -> PresenceSnapshot {
        let mut others_inside = InsideNow::new();
        others_inside.add(&entrance("sisters"), 2);
        others_inside.add(&entrance("brothers"), 5);
        PresenceSnapshot {
            fetched_at: T,
            others: vec![OpenStay {
                entry: EntryId("k2-entry".into()),
                pass_id: pass_of("Ada", 2),
                entrance: entrance("sisters"),
                since: T - 600,
                heads: PartySize::new(2).expect("2"),
                device_id: "k2".into(),
            }],
            others_inside,
            others_tallied: InsideNow::new(),
            closed_elsewhere: Vec::new(),
            lease,
        }
    }

    fn store(d: &mut Door, snap: &PresenceSnapshot) {
        let report = d.ledger.presence_report(T).expect("report");
        d.ledger.store_presence(snap, &report).expect("store");
    }

    #[test]
    fn a_stay_begun_at_another_kiosk_is_closed_by_an_exit_here_and_stays_closed_on_refetch() {
        let mut d = Door::new(
            ReusePolicy::Daily,
            DoorRules {
                entrance: entrance("main"),
                mode: DoorMode::InOut,
                ..DoorRules::default()
            },
        );
        store(&mut d, &fetched(None));
        assert_eq!(d.ledger.inside_now().expect("inside").total(), 7);
        assert_eq!(
            d.inside_counted().total(),
            2,
            "the listed stay is open here"
        );
        assert_eq!(
            d.ledger.sync_value(PRESENCE_FETCHED_KEY).expect("key"),
            Some(T.to_string())
        );
        let ada = family("Ada", 2);
        let exit = d.scan_with(&ada, DoorScan::default(), T + 60);
        match &exit.verdict {
            Verdict::Goodbye {
                closed: Some(stay), ..
            } => {
                assert_eq!(stay.entry, EntryId("k2-entry".into()));
                assert_eq!(stay.device_id, "k2");
            }
            other => panic!("expected k2's stay closed here: {other:?}"),
        }
        let closes: Option<String> = d
            .ledger
            .conn
            .query_row("SELECT closes FROM exits", [], |r| r.get(0))
            .expect("exit row");
        assert_eq!(
            closes.as_deref(),
            Some("k2-entry"),
            "the exit names k2's entry"
        );
        assert_eq!(d.ledger.inside_now().expect("inside").total(), 5);
        // The server has not heard of the exit yet: the same answer again keeps it closed.
        store(&mut d, &fetched(None));
        assert_eq!(d.ledger.inside_now().expect("inside").total(), 5);
        assert_eq!(d.ledger.remote_open_stays().expect("n"), 0);
        // Offline counting: the last figure plus this kiosk's own changes.
        assert_eq!(d.kind(&family("Bea", 3), T + 120), VerdictKind::Accepted);
        assert_eq!(d.ledger.inside_now().expect("inside").total(), 8);
    }

    #[test]
    fn own_stays_closed_elsewhere_leave_the_count_and_the_lease() {
        let mut d = Door::new(ReusePolicy::Daily, DoorRules::default());
        let bea = d.scan_with(&family("Bea", 3), DoorScan::default(), T);
        let entry = bea.entered.expect("entered").entry;
        assert_eq!(d.ledger.presence_report(T).expect("r").report.inside, 3);
        let mut snap = fetched(None);
        snap.closed_elsewhere = vec![(entry, T + 30, ExitKind::Scan)];
        store(&mut d, &snap);
        let report = d.ledger.presence_report(T + 31).expect("report");
        assert_eq!(
            report.report.inside, 0,
            "Bea's party left through another door"
        );
        assert_eq!(
            report.report.demand, 0,
            "demand counted since the last fetch"
        );
        assert_eq!(d.ledger.inside_now().expect("inside").total(), 7);
    }

    #[test]
    fn the_door_admits_only_what_the_lease_holds_then_counts_after_it_ends() {
        let mut d = Door::new(
            ReusePolicy::Daily,
            DoorRules {
                capacity: Capacity {
                    venue: Some(100),
                    ..Capacity::default()
                },
                ..DoorRules::default()
            },
        );
        let lease = PlaceLease {
            places: 4,
            expires_at: T + 3600,
        };
        store(&mut d, &fetched(Some(lease)));
        assert_eq!(d.kind(&family("Ada", 3), T + 1), VerdictKind::Accepted);
        assert_eq!(
            d.kind(&family("Bea", 2), T + 2),
            VerdictKind::Full,
            "3 + 2 > 4"
        );
        assert_eq!(d.kind(&family("Cy", 1), T + 3), VerdictKind::Accepted);
        let over = d.scan_with(
            &family("Dan", 1),
            DoorScan {
                over_capacity: true,
                ..DoorScan::default()
            },
            T + 4,
        );
        assert!(over.entered.expect("override").over_capacity);
        let report = d.ledger.presence_report(T + 5).expect("report");
        assert_eq!(
            (
                report.report.held,
                report.report.inside,
                report.report.demand
            ),
            (4, 5, 3 + 1 + 1 + 1),
            "held, own inside, heads admitted + refusals"
        );
        // Past its end the lease no longer binds: the venue's counts decide.
        assert_eq!(d.kind(&family("Eve", 1), T + 3600), VerdictKind::Accepted);
        assert_eq!(
            d.ledger.presence_report(T + 3600).expect("r").report.held,
            0
        );
    }
}

/// The kiosk at the door: the party prompt's hold, the roll call's names, the presence age.
#[cfg(test)]
mod kiosk_door_tests {
    use super::door_tests::{PASSWORD, family};
    use super::*;
    use usher_core::{
        DoorMode, DoorRules, DoorScan, Now, ReusePolicy, Rules, SignOutRules, judge_at_door,
        sign_out_due,
    };

    const T: i64 = 1_800_000_000;

    fn rules() -> Rules {
        usher_testkit::password_rules(PASSWORD, ReusePolicy::Daily)
    }

    fn in_out() -> DoorRules {
        DoorRules {
            mode: DoorMode::InOut,
            min_stay_seconds: 5,
            sign_out: SignOutRules {
                closing_time: None,
                max_stay_minutes: Some(60),
            },
            ..DoorRules::default()
        }
    }

    fn enter(ledger: &mut SqliteLedger, text: &str, at: i64) -> EntryId {
        let v = judge_at_door(
            text,
            &rules(),
            &in_out(),
            &DoorScan::default(),
            Now::utc(at),
            ledger,
        )
        .expect("ledger");
        v.entered.expect("an entry").entry
    }

    fn heads_of(ledger: &SqliteLedger, entry: &EntryId) -> i64 {
        ledger
            .conn
            .query_row(
                "SELECT heads FROM stays WHERE entry_id = ?1",
                [&entry.0],
                |r| r.get(0),
            )
            .expect("stay")
    }

    #[test]
    fn a_held_party_is_not_uploaded_until_its_prompt_is_answered() {
        let mut ledger = SqliteLedger::in_memory().expect("mem");
        let entry = enter(&mut ledger, &family("Ada", 3), T);
        assert!(ledger.hold_party(&entry).expect("hold"));
        assert_eq!(ledger.pending_batch(10).expect("batch"), vec![]);
        // The tap: two of the three came.
        assert!(
            ledger
                .settle_party(&entry, PartySize::new(2))
                .expect("settle")
        );
        assert_eq!(heads_of(&ledger, &entry), 2);
        assert_eq!(ledger.inside_now().expect("inside").total(), 2);
        let batch = ledger.pending_batch(10).expect("batch");
        assert_eq!(batch.len(), 1);
        assert_eq!(batch[0].id, entry.0);
        // A second answer (a late tap after the default) changes nothing.
        assert!(
            !ledger
                .settle_party(&entry, PartySize::new(1))
                .expect("settle")
        );
        assert_eq!(heads_of(&ledger, &entry), 2);
    }

    #[test]
    fn parties_held_at_a_crash_keep_their_default_when_the_kiosk_starts() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("usher.db");
        let mut ledger = SqliteLedger::open(&path).expect("open");
        let entry = enter(&mut ledger, &family("Ada", 4), T);
        assert!(ledger.hold_party(&entry).expect("hold"));
        drop(ledger);
        let mut ledger = SqliteLedger::open(&path).expect("reopen");
        assert_eq!(
            ledger.pending_batch(10).expect("batch").len(),
            0,
            "opening alone settles nothing"
        );
        assert_eq!(ledger.settle_held_parties().expect("settle"), 1);
        assert_eq!(ledger.settle_held_parties().expect("again"), 0);
        assert_eq!(heads_of(&ledger, &entry), 4);
        assert_eq!(ledger.pending_batch(10).expect("batch").len(), 1);
    }

    #[test]
    fn the_presence_age_reads_the_sync_value_when_there_is_one() {
        let mut ledger = SqliteLedger::in_memory().expect("mem");
        assert_eq!(ledger.presence_fetched_at().expect("read"), None);
        ledger
            .set_sync_value(PRESENCE_FETCHED_KEY, "1800000123")
            .expect("set");
        assert_eq!(
            ledger.presence_fetched_at().expect("read"),
            Some(1_800_000_123)
        );
        ledger
            .set_sync_value(PRESENCE_FETCHED_KEY, "soon")
            .expect("set");
        assert_eq!(ledger.presence_fetched_at().expect("read"), None);
    }

    /// Whether any of the files holds `name` as UTF-8, UTF-16LE or UTF-16BE.
    fn holds_name(files: &[std::path::PathBuf], name: &str) -> Option<String> {
        let le: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = name.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for file in files {
            let bytes = std::fs::read(file).unwrap_or_default();
            for (form, needle) in [
                ("UTF-8", name.as_bytes()),
                ("UTF-16LE", &le),
                ("UTF-16BE", &be),
            ] {
                if bytes.windows(needle.len()).any(|w| w == needle) {
                    return Some(format!("{} holds {name:?} as {form}", file.display()));
                }
            }
        }
        None
    }

    #[test]
    fn roll_call_names_are_sealed_while_inside_and_erased_when_the_stays_close() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("usher.db");
        let mut ledger = SqliteLedger::open(&path).expect("open");
        let (ada, grace) = ("Ada Lovelace-Byron", "Grace Brewster Hopper");
        enter(&mut ledger, &family(ada, 3), T);
        enter(&mut ledger, &family(grace, 1), T + 60);
        let call = ledger.roll_call().expect("roll call");
        let names: Vec<_> = call.iter().map(|e| (e.name.as_deref(), e.heads)).collect();
        assert_eq!(names, [(Some(ada), 3), (Some(grace), 1)]);
        assert_eq!(call[0].entrance, "main");
        assert_eq!(call[0].since, T);
        assert!(
            !format!("{call:?}").contains("Ada"),
            "Debug prints the name"
        );
        let data = |ext: &str| {
            let mut name = path.as_os_str().to_owned();
            name.push(ext);
            std::path::PathBuf::from(name)
        };
        let files: Vec<_> = ["", "-wal", "-shm"].iter().map(|e| data(e)).collect();
        // Sealed: not in the files even while they are inside.
        assert_eq!(holds_name(&files, ada), None);
        // Ada leaves by scan, Grace by the automatic sign-out after an hour.
        let exit = judge_at_door(
            &family(ada, 3),
            &rules(),
            &in_out(),
            &DoorScan::default(),
            Now::utc(T + 600),
            &mut ledger,
        )
        .expect("exit");
        assert_eq!(exit.verdict.kind(), VerdictKind::Goodbye);
        let closed = sign_out_due(&mut ledger, &in_out(), "door-1", Now::utc(T + 2 * 3600))
            .expect("sign out");
        assert_eq!(closed.len(), 1);
        assert_eq!(ledger.roll_call().expect("roll call"), vec![]);
        let kept = ledger
            .count("SELECT COUNT(*) FROM stays WHERE name IS NOT NULL")
            .expect("count");
        assert_eq!(kept, 0, "a closed stay keeps its sealed name");
        // Copy the data folder as it is (ledger open, WAL and shared memory beside it).
        let copy = tempfile::tempdir().expect("tmp");
        let mut copied = Vec::new();
        for file in &files {
            if file.exists() {
                let to = copy.path().join(file.file_name().expect("name"));
                std::fs::copy(file, &to).expect("copy");
                copied.push(to);
            }
        }
        assert!(copied.len() >= 2, "the WAL is part of the copy: {copied:?}");
        for name in [ada, grace, "Lovelace", "Hopper"] {
            assert_eq!(holds_name(&copied, name), None);
        }
    }
}

#[cfg(test)]
mod manual_tests {
    use super::door_tests::{Door, T, family};
    use super::*;
    use usher_core::walkin::WalkIn;
    use usher_core::{DoorRules, DoorScan, Now, ReusePolicy, judge_pass_at_door};

    #[test]
    fn a_voided_sign_in_leaves_inside_now_and_its_once_pass_works_again() {
        let mut d = Door::new(ReusePolicy::Once, DoorRules::default());
        let ada = family("Ada Lovelace", 2);
        let entered = d
            .scan_with(&ada, DoorScan::default(), T)
            .entered
            .expect("in");
        assert_eq!(d.kind(&ada, T + 60), VerdictKind::Used);
        assert_eq!(d.ledger.inside_now().expect("inside").total(), 2);
        let recent = d.ledger.recent_signins(T - 600, 10).expect("recent");
        assert_eq!(recent.len(), 1);
        assert_eq!(recent[0].first_name.as_deref(), Some("Ada"));
        assert!(!format!("{recent:?}").contains("Ada"));

        assert!(
            d.ledger
                .void_signin(&entered.entry, T + 120, "kiosk-1")
                .expect("void")
        );
        assert!(
            !d.ledger
                .void_signin(&entered.entry, T + 130, "kiosk-1")
                .expect("void"),
            "once only"
        );
        assert_eq!(d.ledger.inside_now().expect("inside").total(), 0);
        assert_eq!(d.inside_counted().total(), 0);
        assert_eq!(
            d.ledger.recent_signins(T - 600, 10).expect("recent"),
            vec![]
        );
        let today = d.ledger.counts_since(T - 600).expect("counts");
        assert_eq!(today.get("qr_accepted"), None, "{today:?}");
        assert_eq!(today.get("voided"), Some(&1));
        assert_eq!(
            d.kind(&ada, T + 180),
            VerdictKind::Accepted,
            "once works again"
        );

        // The sign-in and then its void go up, each once.
        let batch = d.ledger.upload_batch(10).expect("batch");
        assert_eq!(batch.signins.len(), 2);
        assert_eq!(batch.voids.len(), 1);
        assert_eq!(batch.voids[0].signin, entered.entry.0);
        assert_ne!(batch.voids[0].id, entered.entry.0, "a void has its own id");
        d.ledger.mark_uploaded(&batch.ids(), T + 200).expect("mark");
        assert!(d.ledger.upload_batch(10).expect("batch").is_empty());
    }

    #[test]
    fn tallies_count_per_entrance_never_below_zero_and_go_up_once() {
        let mut d = Door::new(ReusePolicy::Once, DoorRules::default());
        let main = Entrance::main();
        for delta in [1, 1, 1, -1] {
            d.ledger
                .record_tally(&main, delta, T, "kiosk-1")
                .expect("tally");
        }
        assert_eq!(d.ledger.tallied_since(T - 1).expect("tallied").total(), 2);
        assert_eq!(d.ledger.tallied_since(T + 1).expect("tallied").total(), 0);
        for _ in 0..5 {
            d.ledger
                .record_tally(&main, -1, T + 10, "kiosk-1")
                .expect("tally");
        }
        assert_eq!(d.ledger.tallied_since(T - 1).expect("tallied").total(), 0);
        let batch = d.ledger.upload_batch(100).expect("batch");
        assert_eq!(batch.tallies.len(), 9);
        d.ledger
            .park(&batch.tallies[0].id, "refused")
            .expect("park");
        let rest: Vec<String> = batch.tallies[1..].iter().map(|t| t.id.clone()).collect();
        d.ledger.mark_uploaded(&rest, T + 20).expect("mark");
        assert!(d.ledger.upload_batch(100).expect("batch").is_empty());
        assert_eq!(d.ledger.parked().expect("parked").len(), 1);
    }

    #[test]
    fn a_walk_in_is_a_sign_in_like_any_other_with_its_contact_sealed() {
        let mut d = Door::new(ReusePolicy::Once, DoorRules::default());
        let walk_in = WalkIn::new(
            "Grace Hopper",
            "0123 456",
            "",
            PartySize::new(3).expect("3"),
        )
        .expect("a walk-in");
        let v = judge_pass_at_door(
            walk_in.pass([7; 16], T),
            &d.rules,
            &d.door,
            &DoorScan::default(),
            Now::utc(T),
            &mut d.ledger,
        )
        .expect("ledger");
        assert_eq!(v.verdict.kind(), VerdictKind::Accepted);
        assert_eq!(d.ledger.inside_now().expect("inside").total(), 3);
        let batch = d.ledger.upload_batch(10).expect("batch");
        assert_eq!(batch.signins.len(), 1);
        assert_eq!(batch.signins[0].heads, Some(3));
        assert!(!on_disk(&d.path, "Grace"), "the name is sealed on disk");
    }

    fn on_disk(path: &Path, needle: &str) -> bool {
        super::tests::on_disk(path, needle)
    }

    /// The remote use of a voided first use is forgotten; another kiosk's is kept.
    #[test]
    fn withdrawn_remote_uses_are_forgotten() {
        let mut d = Door::new(ReusePolicy::Once, DoorRules::default());
        let ada = family("Ada", 1);
        let pass = match usher_core::verdict::inspect(&ada, &d.rules, Now::utc(T)) {
            usher_core::verdict::Inspection::Claimable(p) => p,
            other => panic!("{other:?}"),
        };
        let used = RemoteUse {
            pass_id: pass.id,
            first_at: T,
            device_id: "kiosk-2".into(),
            valid_until: None,
        };
        d.ledger
            .add_remote_uses(std::slice::from_ref(&used))
            .expect("add");
        assert_eq!(d.kind(&ada, T + 10), VerdictKind::Used);
        assert_eq!(d.ledger.withdraw_remote_uses(&[used]).expect("withdraw"), 1);
        assert_eq!(d.kind(&ada, T + 20), VerdictKind::Accepted);
    }
}
