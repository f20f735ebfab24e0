//! The server's database: one [`Store`] over SQLite or PostgreSQL (sqlx, SQL checked at run
//! time), its migrations, and every query the server makes. Contact data arrives here already
//! sealed; this module never sees it in clear. The door's readers (inside now, roll call, the
//! day's figures, stays for tracing) are in [`door`].

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, SqlSafeStr as _};
use std::collections::{HashMap, HashSet};
use std::str::FromStr as _;
use std::time::Duration;

pub use crate::team::Role;

/// A database failure. Its text is for the server log, never for a client.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL names no supported database.
    #[error("unsupported database URL (use sqlite:PATH or postgres://...): {0}")]
    BadUrl(String),
    /// This backend cannot do that.
    #[error("{0}")]
    Unsupported(&'static str),
    /// The database refused or failed.
    #[error("database: {0}")]
    Db(sqlx::Error),
    /// A migration failed.
    #[error("migration: {0}")]
    Migrate(sqlx::migrate::MigrateError),
    /// The database file could not be created.
    #[error("{path}: {source}")]
    File {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
}

// Not `#[from]`: that would make the inner error a `source` too, and a report printing the
// chain would say it twice.
impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::Db(e)
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        StoreError::Migrate(e)
    }
}

type Result<T> = std::result::Result<T, StoreError>;

/// The database, either backend.
#[derive(Debug, Clone)]
pub enum Store {
    /// An SQLite file (WAL, synchronous=FULL).
    Sqlite(SqlitePool),
    /// A PostgreSQL database.
    Postgres(PgPool),
}

/// Runs the same body against whichever pool the store holds (the SQL must suit both).
macro_rules! both {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            Store::Sqlite($pool) => $body,
            Store::Postgres($pool) => $body,
        }
    };
}

mod presence;
pub use presence::{ClosedStayRow, InsideRow, LeaseRow, OpenStayRow};
pub mod door;
pub mod events;
pub mod manual;
pub mod registrations;

/// Creates an empty SQLite database file with mode 0600 unless it exists, so that SQLite
/// (which gives its -wal and -shm files the database file's mode) never makes one readable by
/// other users. In-memory databases have no file.
fn create_private_file(path: &std::path::Path) -> Result<()> {
    if path.as_os_str().is_empty() || path == std::path::Path::new(":memory:") || path.exists() {
        return Ok(());
    }
    match crate::crypto::write_private(path, b"") {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => Err(StoreError::File {
            path: path.display().to_string(),
            source: e,
        }),
        _ => Ok(()),
    }
}

/// A sign-in ready to store: validated, contact data sealed, blind indexes computed.
#[derive(Debug, Clone)]
pub struct NewSignin {
    /// The kiosk-made id (unique across the venue).
    pub sid: String,
    /// SHA-256 of the pass payload.
    pub pass_id: [u8; 32],
    /// When the kiosk scanned it.
    pub scanned_at: i64,
    /// The kiosk's device id: the name of the device whose token uploaded it.
    pub device_id: String,
    /// Until when the pass is valid (`None`: the kiosk did not say).
    pub valid_until: Option<i64>,
    /// Sealed contact fields.
    pub contact: Vec<u8>,
    /// Blind index of the name.
    pub name_bi: Option<Vec<u8>>,
    /// Blind index of the phone number.
    pub phone_bi: Option<Vec<u8>>,
    /// Blind index of the e-mail address.
    pub email_bi: Option<Vec<u8>>,
    /// The entrance the stay began at (`main` from older kiosks).
    pub entrance: String,
    /// The head count of the stay, 1 to 20.
    pub heads: i64,
    /// Admitted over capacity by the volunteer.
    pub over_capacity: bool,
    /// A re-entry (DESIGN §8: back after an exit, a pass already used): stored as a stay, but
    /// no use of the pass: no first use in `passes`, never a double use.
    pub reentry: bool,
    /// The pass's `r` (DESIGN §9): the registration it was issued for, `registrations.id`.
    pub registration: Option<String>,
}

/// An exit ready to store: checked, its device the uploading token's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewExit {
    /// The kiosk-made id (unique across the venue).
    pub xid: String,
    /// SHA-256 of the pass payload.
    pub pass_id: [u8; 32],
    /// When the holder left (an estimate for `auto`).
    pub at: i64,
    /// The kiosk's device id.
    pub device_id: String,
    /// The entrance it was recorded at.
    pub entrance: String,
    /// The sid of the sign-in it closes (`None`: the kiosk knew no open stay).
    pub closes: Option<String>,
    /// Scanned or automatic.
    pub kind: usher_core::stay::ExitKind,
}

/// What became of each sign-in of a batch.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct IngestOutcome {
    /// Newly stored.
    pub stored: Vec<String>,
    /// Already stored by an earlier upload of the same kiosk.
    pub known: Vec<String>,
    /// Stored by another kiosk: refused (an id is known only to the kiosk that stored it).
    pub taken: Vec<String>,
}

/// A pass first used somewhere, as the used-list gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsedPass {
    /// Cursor position.
    pub seq: i64,
    /// The pass identity.
    pub pass_id: Vec<u8>,
    /// First use.
    pub first_at: i64,
    /// The kiosk of the first use.
    pub device_id: String,
    /// Until when the pass is valid (`None`: not known).
    pub valid_until: Option<i64>,
}

/// A pass accepted at two kiosks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoubleUse {
    /// The pass identity.
    pub pass_id: Vec<u8>,
    /// First use.
    pub first_at: i64,
    /// Kiosk of the first use.
    pub first_device_id: String,
    /// The later use.
    pub at: i64,
    /// Kiosk of the later use.
    pub device_id: String,
}

/// A stored sign-in, contact data still sealed.
#[derive(Debug, Clone)]
pub struct SigninRow {
    /// Row number.
    pub seq: i64,
    /// Kiosk-made id (the seal's context).
    pub sid: String,
    /// When scanned.
    pub scanned_at: i64,
    /// Kiosk device id.
    pub device_id: String,
    /// Sealed contact fields.
    pub contact: Vec<u8>,
}

/// An enrolled kiosk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// Row id.
    pub id: i64,
    /// Name given at enrolment.
    pub name: String,
    /// When enrolled.
    pub created_at: i64,
    /// When revoked, if it was.
    pub revoked_at: Option<i64>,
    /// Last authenticated request.
    pub last_seen_at: Option<i64>,
}

/// An administrator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admin {
    /// Row id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Login e-mail.
    pub email: String,
    /// Argon2id PHC string, once a password is set.
    pub password_hash: Option<String>,
    /// What the member may do.
    pub role: Role,
    /// Whether the member is disabled (cannot log in).
    pub disabled: bool,
}

/// A live admin session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The admin.
    pub admin_id: i64,
    /// The admin's name.
    pub admin_name: String,
    /// The CSRF token every form of this session carries.
    pub csrf: String,
    /// The member's role.
    pub role: Role,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// When.
    pub at: i64,
    /// Who (admin name), if an admin.
    pub admin: Option<String>,
    /// What, e.g. `search`.
    pub action: String,
    /// Details (never contact data).
    pub detail: String,
}

/// What [`Store::change_member`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberChange {
    /// Changed.
    Done,
    /// Refused: the member is the last enabled admin.
    LastAdmin,
    /// No member has that id.
    NoSuchMember,
}

type AdminTuple = (i64, String, String, Option<String>, String, bool);

fn admin_row((id, name, email, password_hash, role, disabled): AdminTuple) -> Admin {
    Admin {
        id,
        name,
        email,
        password_hash,
        role: Role::from_db(&role),
        disabled,
    }
}

/// Which blind index a lookup uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexColumn {
    /// `name_bi`.
    Name,
    /// `phone_bi`.
    Phone,
    /// `email_bi`.
    Email,
}

/// What a retention purge removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    /// Sign-ins.
    pub signins: u64,
    /// Used-pass entries and double uses.
    pub passes: u64,
    /// Expired sessions and recovery codes.
    pub sessions: u64,
    /// Exits.
    pub exits: u64,
    /// Registrations whose passes expired (and no stored sign-in names), and revocations of
    /// expired passes.
    pub registrations: u64,
}

fn migrator(pg: bool) -> Migrator {
    let (
        init,
        time_bi,
        valid_until,
        door,
        door_pages,
        team,
        app_tokens,
        leases,
        job_runs,
        reentry,
        registrations,
        voids,
        tallies,
        events,
        revocations,
    ) = if pg {
        (
            include_str!("../migrations/postgres/0001_init.sql"),
            include_str!("../migrations/postgres/0002_time_ordered_blind_index.sql"),
            include_str!("../migrations/postgres/0003_pass_valid_until.sql"),
            include_str!("../migrations/postgres/0004_door.sql"),
            include_str!("../migrations/postgres/0010_door_pages.sql"),
            include_str!("../migrations/postgres/0015_team.sql"),
            include_str!("../migrations/postgres/0016_app_tokens.sql"),
            include_str!("../migrations/postgres/0020_place_leases.sql"),
            include_str!("../migrations/postgres/0025_job_runs.sql"),
            include_str!("../migrations/postgres/0030_reentry.sql"),
            include_str!("../migrations/postgres/0035_registrations.sql"),
            include_str!("../migrations/postgres/0040_voids.sql"),
            include_str!("../migrations/postgres/0041_tallies.sql"),
            include_str!("../migrations/postgres/0045_events.sql"),
            include_str!("../migrations/postgres/0050_revocations.sql"),
        )
    } else {
        (
            include_str!("../migrations/sqlite/0001_init.sql"),
            include_str!("../migrations/sqlite/0002_time_ordered_blind_index.sql"),
            include_str!("../migrations/sqlite/0003_pass_valid_until.sql"),
            include_str!("../migrations/sqlite/0004_door.sql"),
            include_str!("../migrations/sqlite/0010_door_pages.sql"),
            include_str!("../migrations/sqlite/0015_team.sql"),
            include_str!("../migrations/sqlite/0016_app_tokens.sql"),
            include_str!("../migrations/sqlite/0020_place_leases.sql"),
            include_str!("../migrations/sqlite/0025_job_runs.sql"),
            include_str!("../migrations/sqlite/0030_reentry.sql"),
            include_str!("../migrations/sqlite/0035_registrations.sql"),
            include_str!("../migrations/sqlite/0040_voids.sql"),
            include_str!("../migrations/sqlite/0041_tallies.sql"),
            include_str!("../migrations/sqlite/0045_events.sql"),
            include_str!("../migrations/sqlite/0050_revocations.sql"),
        )
    };
    let simple = |version: i64, name: &str, sql: &'static str| {
        Migration::new(
            version,
            name.to_owned().into(),
            MigrationType::Simple,
            sql.into_sql_str(),
            false,
        )
    };
    Migrator::with_migrations(vec![
        simple(1, "init", init),
        simple(2, "time ordered blind index", time_bi),
        simple(3, "pass valid until", valid_until),
        simple(4, "door", door),
        simple(10, "door pages: last upload per kiosk", door_pages),
        simple(15, "team", team),
        simple(16, "app tokens", app_tokens),
        simple(20, "place leases", leases),
        simple(25, "job runs", job_runs),
        simple(30, "re-entries", reentry),
        simple(35, "registrations", registrations),
        simple(40, "voids", voids),
        simple(41, "tallies", tallies),
        simple(45, "events", events),
        simple(50, "revocations", revocations),
    ])
}

impl Store {
    /// Connects to `url` (`sqlite:PATH`, `sqlite://PATH`, `postgres://…`, `postgresql://…`),
    /// creating an SQLite file if missing, and runs the migrations.
    pub async fn connect(url: &str) -> Result<Store> {
        let store = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            // One plain connection first: its error says why (refused, bad password); a pool
            // would only say that it timed out.
            {
                use sqlx::Connection as _;
                sqlx::PgConnection::connect(url).await?.close().await?;
            }
            let pool = PgPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            Store::Postgres(pool)
        } else if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?;
            create_private_file(opts.get_filename())?;
            let opts = opts
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                // Blind indexes are random keys: every batch dirties pages all over four
                // indexes. A larger page cache and rarer checkpoints keep that cheap.
                .pragma("cache_size", "-65536")
                .pragma("wal_autocheckpoint", "8192");
            // A local file: no need to ping a connection before each use.
            let pool = SqlitePoolOptions::new()
                .max_connections(4)
                .test_before_acquire(false)
                .connect_with(opts)
                .await?;
            Store::Sqlite(pool)
        } else {
            return Err(StoreError::BadUrl(redact_url(url)));
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Applies the backend's migrations.
    pub async fn migrate(&self) -> Result<()> {
        match self {
            Store::Sqlite(p) => migrator(false).run(p).await?,
            Store::Postgres(p) => migrator(true).run(p).await?,
        }
        Ok(())
    }

    /// Closes the pool.
    pub async fn close(&self) {
        both!(self, p => p.close().await)
    }

    // ---- devices ----

    /// Enrols a device under the SHA-256 of its token.
    pub async fn create_device(&self, name: &str, token_hash: &[u8], now: i64) -> Result<i64> {
        const SQL: &str =
            "INSERT INTO devices (name, token_hash, created_at) VALUES ($1, $2, $3) RETURNING id";
        Ok(both!(self, p => sqlx::query_scalar::<_, i64>(SQL)
            .bind(name).bind(token_hash).bind(now).fetch_one(p).await?))
    }

    /// The live (not revoked) device holding a token with this hash (row id, name); notes it
    /// was seen.
    pub async fn device_by_token(
        &self,
        token_hash: &[u8],
        now: i64,
    ) -> Result<Option<(i64, String)>> {
        const SQL: &str = "UPDATE devices SET last_seen_at = $1 \
             WHERE token_hash = $2 AND revoked_at IS NULL RETURNING id, name";
        Ok(both!(self, p => sqlx::query_as::<_, (i64, String)>(SQL)
            .bind(now).bind(token_hash).fetch_optional(p).await?))
    }

    /// Every device, newest first.
    pub async fn devices(&self) -> Result<Vec<Device>> {
        const SQL: &str = "SELECT id, name, created_at, revoked_at, last_seen_at \
             FROM devices ORDER BY id DESC";
        let rows = both!(self, p => sqlx::query_as::<_, (i64, String, i64, Option<i64>, Option<i64>)>(SQL)
            .fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|(id, name, created_at, revoked_at, last_seen_at)| Device {
                id,
                name,
                created_at,
                revoked_at,
                last_seen_at,
            })
            .collect())
    }

    /// Revokes a device; false when there is no such live device.
    pub async fn revoke_device(&self, id: i64, now: i64) -> Result<bool> {
        const SQL: &str = "UPDATE devices SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL";
        let n =
            both!(self, p => sqlx::query(SQL).bind(now).bind(id).execute(p).await?.rows_affected());
        Ok(n == 1)
    }

    // ---- sign-ins ----

    /// Stores a batch from kiosk `device_ref` in one transaction: each sign-in once per `sid`
    /// whatever the retries (an id another kiosk stored is `taken`); records first uses of
    /// passes and double uses (a pass first used at another kiosk, by the uploading token),
    /// neither for a re-entry ([`NewSignin::reentry`]: a stay, no use of the pass).
    /// Three statements per batch whatever its size (multi-row `VALUES`), so a batch costs
    /// about one round trip per table rather than one per sign-in.
    pub async fn ingest(
        &self,
        device_ref: i64,
        rows: &[NewSignin],
        now: i64,
    ) -> Result<IngestOutcome> {
        if rows.is_empty() {
            return Ok(IngestOutcome::default());
        }
        let p = match self {
            Store::Postgres(p) => return ingest_pg(p, device_ref, rows, now).await,
            Store::Sqlite(p) => p,
        };
        // IMMEDIATE: take the write lock before reading which ids are known, so two uploads
        // at once queue (busy_timeout) instead of failing on a stale snapshot.
        let mut tx = p.begin_with("BEGIN IMMEDIATE").await?;
        let before = sqlite_stored_ids(&mut tx, rows).await?;
        let (new_rows, out) = split_new(rows, &before, device_ref);
        if !new_rows.is_empty() {
            sqlite_insert_signins(&mut tx, &new_rows, device_ref, now).await?;
            sqlite_close_from_exits(&mut tx, &new_rows).await?;
            // A re-entry is a stay but no use of the pass: no first use, no double use.
            let uses: Vec<&NewSignin> = new_rows.iter().copied().filter(|r| !r.reentry).collect();
            let first_uses = sqlite_insert_first_uses(&mut tx, &uses, device_ref).await?;
            // Only when some pass was seen before (or twice in this batch) can there be a
            // double use; usually every pass is new and this statement is skipped.
            if first_uses < uses.len() {
                sqlite_record_double_uses(&mut tx, &uses).await?;
            }
        }
        tx.commit().await?;
        Ok(out)
    }

    // ---- the door's write side (DESIGN §8): exits, and the stays they close ----

    /// Stores a batch of exits from kiosk `device_ref` in one transaction, each once per
    /// `xid` whatever the retries (an id another kiosk stored is `taken`), and closes the
    /// sign-in each names in `closes` (same pass; the earliest exit wins) by setting its
    /// `exited_at` and `exit_kind`. A sign-in that arrives later is closed by
    /// [`Store::ingest`]. Serialised with sign-in ingests (the same lock), so an exit and its
    /// sign-in arriving at once from two kiosks never both miss each other.
    pub async fn ingest_exits(
        &self,
        device_ref: i64,
        exits: &[NewExit],
        now: i64,
    ) -> Result<IngestOutcome> {
        const INSERT: &str = "INSERT INTO exits (xid, pass_id, at, device_id, device_ref, \
             entrance, closes, kind, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (xid) DO NOTHING";
        const OWNER: &str = "SELECT device_ref FROM exits WHERE xid = $1";
        const CLOSE: &str = "UPDATE signins SET exited_at = $1, exit_kind = $2 \
             WHERE sid = $3 AND pass_id = $4 AND (exited_at IS NULL OR exited_at > $1)";
        let mut out = IngestOutcome::default();
        if exits.is_empty() {
            return Ok(out);
        }
        let begin = match self {
            Store::Sqlite(_) => "BEGIN IMMEDIATE",
            Store::Postgres(_) => PG_BEGIN_LOCKED,
        };
        both!(self, p => {
            let mut tx = p.begin_with(begin).await?;
            for e in exits {
                let added = sqlx::query(INSERT)
                    .bind(&e.xid)
                    .bind(&e.pass_id[..])
                    .bind(e.at)
                    .bind(&e.device_id)
                    .bind(device_ref)
                    .bind(&e.entrance)
                    .bind(&e.closes)
                    .bind(e.kind.as_str())
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if added == 0 {
                    let owner: i64 = sqlx::query_scalar(OWNER)
                        .bind(&e.xid)
                        .fetch_one(&mut *tx)
                        .await?;
                    if owner == device_ref {
                        out.known.push(e.xid.clone());
                    } else {
                        out.taken.push(e.xid.clone());
                    }
                    continue;
                }
                out.stored.push(e.xid.clone());
                if let Some(closes) = &e.closes {
                    sqlx::query(CLOSE)
                        .bind(e.at)
                        .bind(e.kind.as_str())
                        .bind(closes)
                        .bind(&e.pass_id[..])
                        .execute(&mut *tx)
                        .await?;
                }
            }
            tx.commit().await?;
        });
        Ok(out)
    }

    /// Passes first used at devices other than `device_ref`, after cursor `after`, oldest
    /// first, at most `limit`.
    pub async fn used_since(
        &self,
        after: i64,
        device_ref: i64,
        limit: i64,
    ) -> Result<Vec<UsedPass>> {
        const SQL: &str = "SELECT seq, pass_id, first_at, device_id, valid_until FROM passes \
             WHERE seq > $1 AND device_ref <> $2 ORDER BY seq LIMIT $3";
        type Row = (i64, Vec<u8>, i64, String, Option<i64>);
        let rows = both!(self, p => sqlx::query_as::<_, Row>(SQL)
            .bind(after).bind(device_ref).bind(limit).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(
                |(seq, pass_id, first_at, device_id, valid_until)| UsedPass {
                    seq,
                    pass_id,
                    first_at,
                    device_id,
                    valid_until,
                },
            )
            .collect())
    }

    /// The highest used-list position, so a cursor can move past rows it skips.
    pub async fn used_last_seq(&self) -> Result<i64> {
        const SQL: &str = "SELECT COALESCE(MAX(seq), 0) FROM passes";
        Ok(both!(self, p => sqlx::query_scalar::<_, i64>(SQL).fetch_one(p).await?))
    }

    /// Double uses recorded after position `after`, oldest first, with their positions
    /// (the kiosks' feed, so every kiosk of the venue hears of every double use).
    pub async fn double_uses_since(&self, after: i64, limit: i64) -> Result<Vec<(i64, DoubleUse)>> {
        const SQL: &str = "SELECT seq, pass_id, first_at, first_device_id, at, device_id \
             FROM double_uses WHERE seq > $1 ORDER BY seq LIMIT $2";
        let rows = both!(self, p => sqlx::query_as::<_, (i64, Vec<u8>, i64, String, i64, String)>(SQL)
            .bind(after).bind(limit).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|(seq, pass_id, first_at, first_device_id, at, device_id)| {
                (
                    seq,
                    double_use((pass_id, first_at, first_device_id, at, device_id)),
                )
            })
            .collect())
    }

    /// Double uses, newest first.
    pub async fn double_uses(&self, limit: i64) -> Result<Vec<DoubleUse>> {
        const SQL: &str = "SELECT pass_id, first_at, first_device_id, at, device_id \
             FROM double_uses ORDER BY seq DESC LIMIT $1";
        let rows = both!(self, p => sqlx::query_as::<_, (Vec<u8>, i64, String, i64, String)>(SQL)
            .bind(limit).fetch_all(p).await?);
        Ok(rows.into_iter().map(double_use).collect())
    }

    /// Sign-in counts per UTC day (day start, count), newest first, at most `days` days.
    pub async fn counts_by_day(&self, days: i64) -> Result<Vec<(i64, i64)>> {
        const SQL: &str = "SELECT (scanned_at / 86400) * 86400 AS day, COUNT(*) FROM signins \
             GROUP BY (scanned_at / 86400) ORDER BY day DESC LIMIT $1";
        Ok(both!(self, p => sqlx::query_as::<_, (i64, i64)>(SQL).bind(days).fetch_all(p).await?))
    }

    /// Sign-ins scanned in `[from, to)`, oldest first, at most `limit`.
    pub async fn signins_between(&self, from: i64, to: i64, limit: i64) -> Result<Vec<SigninRow>> {
        const SQL: &str = "SELECT seq, sid, scanned_at, device_id, contact FROM signins \
             WHERE scanned_at >= $1 AND scanned_at < $2 ORDER BY scanned_at, seq LIMIT $3";
        let rows = both!(self, p => sqlx::query_as::<_, (i64, String, i64, String, Vec<u8>)>(SQL)
            .bind(from).bind(to).bind(limit).fetch_all(p).await?);
        Ok(rows.into_iter().map(signin_row).collect())
    }

    /// Sign-ins whose blind index in `column` equals `bi`, scanned in `[from, to)`.
    pub async fn signins_by_index(
        &self,
        column: IndexColumn,
        bi: &[u8],
        from: i64,
        to: i64,
        limit: i64,
    ) -> Result<Vec<SigninRow>> {
        const BY_NAME: &str = "SELECT seq, sid, scanned_at, device_id, contact FROM signins \
             WHERE name_bi = $1 AND scanned_at >= $2 AND scanned_at < $3 ORDER BY scanned_at, seq LIMIT $4";
        const BY_PHONE: &str = "SELECT seq, sid, scanned_at, device_id, contact FROM signins \
             WHERE phone_bi = $1 AND scanned_at >= $2 AND scanned_at < $3 ORDER BY scanned_at, seq LIMIT $4";
        const BY_EMAIL: &str = "SELECT seq, sid, scanned_at, device_id, contact FROM signins \
             WHERE email_bi = $1 AND scanned_at >= $2 AND scanned_at < $3 ORDER BY scanned_at, seq LIMIT $4";
        let sql = match column {
            IndexColumn::Name => BY_NAME,
            IndexColumn::Phone => BY_PHONE,
            IndexColumn::Email => BY_EMAIL,
        };
        let rows = both!(self, p => sqlx::query_as::<_, (i64, String, i64, String, Vec<u8>)>(sql)
            .bind(bi).bind(from).bind(to).bind(limit).fetch_all(p).await?);
        Ok(rows.into_iter().map(signin_row).collect())
    }

    /// How many sign-ins are stored.
    pub async fn signin_count(&self) -> Result<i64> {
        const SQL: &str = "SELECT COUNT(*) FROM signins";
        Ok(both!(self, p => sqlx::query_scalar::<_, i64>(SQL).fetch_one(p).await?))
    }

    // ---- admins, recovery codes, sessions ----

    /// Adds an admin (no password yet).
    pub async fn create_admin(&self, name: &str, email: &str, now: i64) -> Result<i64> {
        const SQL: &str =
            "INSERT INTO admins (name, email, created_at) VALUES ($1, $2, $3) RETURNING id";
        Ok(both!(self, p => sqlx::query_scalar::<_, i64>(SQL)
            .bind(name).bind(email).bind(now).fetch_one(p).await?))
    }

    /// How many admins exist.
    pub async fn admin_count(&self) -> Result<i64> {
        const SQL: &str = "SELECT COUNT(*) FROM admins";
        Ok(both!(self, p => sqlx::query_scalar::<_, i64>(SQL).fetch_one(p).await?))
    }

    /// The admin with this login e-mail (compared case-insensitively).
    pub async fn admin_by_email(&self, email: &str) -> Result<Option<Admin>> {
        const SQL: &str = "SELECT id, name, email, password_hash, role, disabled_at IS NOT NULL \
             FROM admins WHERE lower(email) = lower($1)";
        let row = both!(self, p => sqlx::query_as::<_, AdminTuple>(SQL)
            .bind(email).fetch_optional(p).await?);
        Ok(row.map(admin_row))
    }

    /// Sets an admin's password hash (Argon2id PHC string) and ends every session of that
    /// admin, in one transaction: whoever held the old password is logged out.
    pub async fn set_password(&self, admin_id: i64, phc: &str) -> Result<()> {
        // A disabled member given a new link is enabled again once they set a password.
        const SET: &str = "UPDATE admins SET password_hash = $1, disabled_at = NULL WHERE id = $2";
        const END: &str = "DELETE FROM sessions WHERE admin_id = $1";
        const END_APP: &str = "DELETE FROM app_tokens WHERE admin_id = $1";
        both!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query(SET).bind(phc).bind(admin_id).execute(&mut *tx).await?;
            sqlx::query(END).bind(admin_id).execute(&mut *tx).await?;
            sqlx::query(END_APP).bind(admin_id).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Stores a one-time recovery code (its hash) for an admin, voiding the admin's older
    /// codes in the same transaction: only the newest code works.
    pub async fn create_recovery_code(
        &self,
        code_hash: &[u8],
        admin_id: i64,
        expires_at: i64,
    ) -> Result<()> {
        const VOID: &str = "DELETE FROM recovery_codes WHERE admin_id = $1";
        const SQL: &str =
            "INSERT INTO recovery_codes (code_hash, admin_id, expires_at) VALUES ($1, $2, $3)";
        both!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query(VOID).bind(admin_id).execute(&mut *tx).await?;
            sqlx::query(SQL).bind(code_hash).bind(admin_id).bind(expires_at).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Spends a recovery code: the admin it was for, if it is unused and unexpired. Single use.
    pub async fn spend_recovery_code(&self, code_hash: &[u8], now: i64) -> Result<Option<i64>> {
        const SQL: &str = "UPDATE recovery_codes SET used_at = $1 \
             WHERE code_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING admin_id";
        Ok(both!(self, p => sqlx::query_scalar::<_, i64>(SQL)
            .bind(now).bind(code_hash).fetch_optional(p).await?))
    }

    /// Opens a session.
    pub async fn create_session(
        &self,
        token_hash: &[u8],
        admin_id: i64,
        csrf: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        const SQL: &str = "INSERT INTO sessions (token_hash, admin_id, csrf, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)";
        both!(self, p => sqlx::query(SQL).bind(token_hash).bind(admin_id).bind(csrf)
            .bind(now).bind(expires_at).execute(p).await?.rows_affected());
        Ok(())
    }

    /// The live session with this token hash.
    pub async fn session(&self, token_hash: &[u8], now: i64) -> Result<Option<Session>> {
        const SQL: &str = "SELECT s.admin_id, a.name, s.csrf, a.role FROM sessions s \
             JOIN admins a ON a.id = s.admin_id WHERE s.token_hash = $1 AND s.expires_at > $2 \
             AND a.disabled_at IS NULL";
        let row = both!(self, p => sqlx::query_as::<_, (i64, String, String, String)>(SQL)
            .bind(token_hash).bind(now).fetch_optional(p).await?);
        Ok(row.map(|(admin_id, admin_name, csrf, role)| Session {
            admin_id,
            admin_name,
            csrf,
            role: Role::from_db(&role),
        }))
    }

    /// Ends a session.
    pub async fn delete_session(&self, token_hash: &[u8]) -> Result<()> {
        const SQL: &str = "DELETE FROM sessions WHERE token_hash = $1";
        both!(self, p => sqlx::query(SQL).bind(token_hash).execute(p).await?.rows_affected());
        Ok(())
    }

    // ---- team members (DESIGN §9) and the old API's tokens ----

    /// Every member, oldest first.
    pub async fn members(&self) -> Result<Vec<Admin>> {
        const SQL: &str = "SELECT id, name, email, password_hash, role, disabled_at IS NOT NULL \
             FROM admins ORDER BY id";
        let rows = both!(self, p => sqlx::query_as::<_, AdminTuple>(SQL).fetch_all(p).await?);
        Ok(rows.into_iter().map(admin_row).collect())
    }

    /// The member with this id.
    pub async fn member(&self, id: i64) -> Result<Option<Admin>> {
        const SQL: &str = "SELECT id, name, email, password_hash, role, disabled_at IS NOT NULL \
             FROM admins WHERE id = $1";
        let row = both!(self, p => sqlx::query_as::<_, AdminTuple>(SQL)
            .bind(id).fetch_optional(p).await?);
        Ok(row.map(admin_row))
    }

    /// Adds a member with a role (no password yet); `None` when the e-mail is taken.
    pub async fn create_member(
        &self,
        name: &str,
        email: &str,
        role: Role,
        now: i64,
    ) -> Result<Option<i64>> {
        const SQL: &str = "INSERT INTO admins (name, email, role, created_at) \
             SELECT $1, $2, $3, $4 WHERE NOT EXISTS \
             (SELECT 1 FROM admins WHERE lower(email) = lower($2)) RETURNING id";
        Ok(both!(self, p => sqlx::query_scalar::<_, i64>(SQL)
            .bind(name).bind(email).bind(role.as_str()).bind(now).fetch_optional(p).await?))
    }

    /// Changes a member's role, or disables them (`role` `None`: sessions, links and app
    /// tokens end in the same transaction), unless that would leave no admin who can act
    /// (enabled, with a password). One
    /// writer at a time, so two admins demoting each other cannot both succeed.
    pub async fn change_member(
        &self,
        id: i64,
        role: Option<Role>,
        now: i64,
    ) -> Result<MemberChange> {
        const LOCK: &str = "BEGIN; SELECT pg_advisory_xact_lock(7308015)";
        // An admin who can act: enabled, with a password (an invitation not taken up yet
        // does not count).
        const OTHERS: &str = "SELECT COUNT(*) FROM admins WHERE role = 'admin' \
             AND disabled_at IS NULL AND password_hash IS NOT NULL AND id <> $1";
        const TARGET: &str = "SELECT role, disabled_at IS NULL AND password_hash IS NOT NULL \
             FROM admins WHERE id = $1";
        const SET_ROLE: &str = "UPDATE admins SET role = $1 WHERE id = $2";
        const DISABLE: &str =
            "UPDATE admins SET disabled_at = $1, password_hash = NULL WHERE id = $2";
        const END: [&str; 3] = [
            "DELETE FROM sessions WHERE admin_id = $1",
            "DELETE FROM recovery_codes WHERE admin_id = $1",
            "DELETE FROM app_tokens WHERE admin_id = $1",
        ];
        // Refusals roll back at once (not when the connection is next used), so the writer
        // lock is never held past the answer.
        macro_rules! run {
            ($tx:ident) => {{
                let target = sqlx::query_as::<_, (String, bool)>(TARGET)
                    .bind(id)
                    .fetch_optional(&mut *$tx)
                    .await?;
                let refusal = match &target {
                    None => Some(MemberChange::NoSuchMember),
                    Some((current, can_act))
                        if Role::from_db(current) == Role::Admin
                            && *can_act
                            && role != Some(Role::Admin) =>
                    {
                        let others = sqlx::query_scalar::<_, i64>(OTHERS)
                            .bind(id)
                            .fetch_one(&mut *$tx)
                            .await?;
                        (others == 0).then_some(MemberChange::LastAdmin)
                    }
                    Some(_) => None,
                };
                if let Some(refusal) = refusal {
                    $tx.rollback().await?;
                    return Ok(refusal);
                }
                match role {
                    Some(r) => {
                        sqlx::query(SET_ROLE)
                            .bind(r.as_str())
                            .bind(id)
                            .execute(&mut *$tx)
                            .await?;
                    }
                    None => {
                        sqlx::query(DISABLE)
                            .bind(now)
                            .bind(id)
                            .execute(&mut *$tx)
                            .await?;
                        for sql in END {
                            sqlx::query(sql).bind(id).execute(&mut *$tx).await?;
                        }
                    }
                }
                $tx.commit().await?;
                Ok(MemberChange::Done)
            }};
        }
        match self {
            Store::Sqlite(p) => {
                let mut tx = p.begin_with("BEGIN IMMEDIATE").await?;
                run!(tx)
            }
            Store::Postgres(p) => {
                let mut tx = p.begin_with(LOCK).await?;
                run!(tx)
            }
        }
    }

    /// Stores an old-API token (its hash) for a member.
    pub async fn create_app_token(
        &self,
        token_hash: &[u8],
        admin_id: i64,
        source: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        const SQL: &str = "INSERT INTO app_tokens (token_hash, admin_id, source, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)";
        both!(self, p => sqlx::query(SQL).bind(token_hash).bind(admin_id).bind(source)
            .bind(now).bind(expires_at).execute(p).await?.rows_affected());
        Ok(())
    }

    /// The enabled member whose live old-API token has this hash: one lookup by the hash.
    pub async fn app_token(&self, token_hash: &[u8], now: i64) -> Result<Option<Admin>> {
        const SQL: &str = "SELECT a.id, a.name, a.email, a.password_hash, a.role, \
             a.disabled_at IS NOT NULL FROM app_tokens t JOIN admins a ON a.id = t.admin_id \
             WHERE t.token_hash = $1 AND t.expires_at > $2 AND a.disabled_at IS NULL";
        let row = both!(self, p => sqlx::query_as::<_, AdminTuple>(SQL)
            .bind(token_hash).bind(now).fetch_optional(p).await?);
        Ok(row.map(admin_row))
    }

    /// Ends an old-API token.
    pub async fn delete_app_token(&self, token_hash: &[u8]) -> Result<()> {
        const SQL: &str = "DELETE FROM app_tokens WHERE token_hash = $1";
        both!(self, p => sqlx::query(SQL).bind(token_hash).execute(p).await?.rows_affected());
        Ok(())
    }

    /// Stores a sign-in the old app sent (`device_ref` 0: no kiosk), once per `sid`, with its
    /// entrance and head count; its row number, and whether it was new (a retry: false).
    pub async fn app_signin(&self, row: &NewSignin, now: i64) -> Result<(i64, bool)> {
        const INSERT: &str = "INSERT INTO signins (sid, pass_id, scanned_at, device_id, device_ref, \
             received_at, contact, name_bi, phone_bi, email_bi, entrance, heads) \
             VALUES ($1, $2, $3, $4, 0, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (sid) DO NOTHING";
        const SEQ: &str = "SELECT seq FROM signins WHERE sid = $1";
        Ok(both!(self, p => {
            let mut tx = p.begin().await?;
            let added = sqlx::query(INSERT)
                .bind(&row.sid).bind(&row.pass_id[..]).bind(row.scanned_at).bind(&row.device_id)
                .bind(now).bind(&row.contact).bind(&row.name_bi).bind(&row.phone_bi)
                .bind(&row.email_bi).bind(&row.entrance).bind(row.heads)
                .execute(&mut *tx).await?.rows_affected();
            let seq = sqlx::query_scalar::<_, i64>(SEQ).bind(&row.sid).fetch_one(&mut *tx).await?;
            tx.commit().await?;
            (seq, added == 1)
        }))
    }

    /// Sign-ins newest first (by row number), those below `less_than` if given, at most `limit`.
    pub async fn signins_newest(
        &self,
        less_than: Option<i64>,
        limit: i64,
    ) -> Result<Vec<SigninRow>> {
        const SQL: &str = "SELECT seq, sid, scanned_at, device_id, contact FROM signins \
             WHERE seq < $1 ORDER BY seq DESC LIMIT $2";
        let below = less_than.unwrap_or(i64::MAX);
        let rows = both!(self, p => sqlx::query_as::<_, (i64, String, i64, String, Vec<u8>)>(SQL)
            .bind(below).bind(limit).fetch_all(p).await?);
        Ok(rows.into_iter().map(signin_row).collect())
    }

    /// The sign-in with this row number.
    pub async fn signin_by_seq(&self, seq: i64) -> Result<Option<SigninRow>> {
        const SQL: &str =
            "SELECT seq, sid, scanned_at, device_id, contact FROM signins WHERE seq = $1";
        let row = both!(self, p => sqlx::query_as::<_, (i64, String, i64, String, Vec<u8>)>(SQL)
            .bind(seq).fetch_optional(p).await?);
        Ok(row.map(signin_row))
    }

    /// Replaces a sign-in's sealed contact data and blind indexes; whether it existed.
    pub async fn update_signin_contact(&self, seq: i64, row: &NewSignin) -> Result<bool> {
        const SQL: &str = "UPDATE signins SET contact = $1, name_bi = $2, phone_bi = $3, \
             email_bi = $4 WHERE seq = $5";
        Ok(
            both!(self, p => sqlx::query(SQL).bind(&row.contact).bind(&row.name_bi)
            .bind(&row.phone_bi).bind(&row.email_bi).bind(seq)
            .execute(p).await?.rows_affected())
                == 1,
        )
    }

    /// Voids a sign-in: the row and its contact data are deleted; whether it existed.
    pub async fn void_signin(&self, seq: i64) -> Result<bool> {
        const SQL: &str = "DELETE FROM signins WHERE seq = $1";
        Ok(both!(self, p => sqlx::query(SQL).bind(seq).execute(p).await?.rows_affected()) == 1)
    }

    // ---- audit ----

    /// Appends to the audit log.
    pub async fn audit(
        &self,
        at: i64,
        admin_id: Option<i64>,
        action: &str,
        detail: &str,
    ) -> Result<()> {
        const SQL: &str =
            "INSERT INTO audit_log (at, admin_id, action, detail) VALUES ($1, $2, $3, $4)";
        both!(self, p => sqlx::query(SQL).bind(at).bind(admin_id).bind(action).bind(detail)
            .execute(p).await?.rows_affected());
        Ok(())
    }

    /// The newest audit entries.
    pub async fn audit_log(&self, limit: i64) -> Result<Vec<AuditEntry>> {
        const SQL: &str = "SELECT l.at, a.name, l.action, l.detail FROM audit_log l \
             LEFT JOIN admins a ON a.id = l.admin_id ORDER BY l.seq DESC LIMIT $1";
        let rows = both!(self, p => sqlx::query_as::<_, (i64, Option<String>, String, String)>(SQL)
            .bind(limit).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|(at, admin, action, detail)| AuditEntry {
                at,
                admin,
                action,
                detail,
            })
            .collect())
    }

    // ---- retention ----

    /// Deletes sign-ins, used-pass entries and double uses from before `cutoff`, and expired
    /// sessions and recovery codes (as of `now`), and records the run.
    pub async fn purge(&self, cutoff: i64, now: i64) -> Result<Purged> {
        Ok(self
            .purge_claimed(cutoff, now, None)
            .await?
            .unwrap_or_default())
    }

    /// [`Store::purge`] as the job [`RETENTION_JOB`], claimed first in the same transaction: with
    /// `due_if_started_before`, only when its last run started at or before that time (else
    /// `None`: another process ran it). The claim is one statement on the job's row, so of
    /// several processes on one database exactly one purges; the others wait for its commit
    /// (PostgreSQL's row lock, SQLite's writer lock) and then find the claim taken.
    pub async fn purge_claimed(
        &self,
        cutoff: i64,
        now: i64,
        due_if_started_before: Option<i64>,
    ) -> Result<Option<Purged>> {
        const CLAIM: &str = "INSERT INTO job_runs (job, started_at) VALUES ($1, $2) \
             ON CONFLICT (job) DO UPDATE SET started_at = excluded.started_at, finished_at = NULL \
             WHERE job_runs.started_at <= $3";
        const DONE: &str = "UPDATE job_runs SET finished_at = $2, detail = $3 WHERE job = $1";
        const SIGNINS: &str = "DELETE FROM signins WHERE scanned_at < $1";
        // A pass's first use (no contact data) stays until the pass expires, so `once` holds
        // at a kiosk enrolled later; a pass whose expiry is not known goes with the rest.
        const PASSES: &str = "DELETE FROM passes WHERE first_at < $1 \
             AND (valid_until IS NULL OR valid_until < $2)";
        const DOUBLES: &str = "DELETE FROM double_uses WHERE at < $1";
        // An exit goes with its sign-in: both are older than the window by then (an exit
        // follows its entry), and an exit on its own goes by its own time.
        const EXITS: &str = "DELETE FROM exits WHERE at < $1";
        // The volunteer's voids, withdrawn first uses and tallies (no contact data) go with
        // the sign-ins of their time.
        const MANUAL: [&str; 3] = [
            "DELETE FROM voids WHERE voided_at < $1",
            "DELETE FROM withdrawn_uses WHERE at < $1",
            "DELETE FROM tallies WHERE at < $1",
        ];
        // A registration goes once its pass expired longer ago than the retention window (so an
        // event's bookings stay beside its arrivals for the window after the event, like its
        // sign-ins), and never while a sign-in still stored names it (those older than the
        // window went just before): tracing inside the window keeps the phone and e-mail it
        // joins by `r`.
        const REGISTRATIONS: &str = "DELETE FROM registrations WHERE valid_until < $1 \
             AND NOT EXISTS (SELECT 1 FROM signins s WHERE s.registration = registrations.id)";
        // A revocation is needed only while the pass could still be shown.
        const REVOCATIONS: &str = "DELETE FROM revocations WHERE valid_until < $1";
        const SESSIONS: &str = "DELETE FROM sessions WHERE expires_at <= $1";
        const CODES: &str = "DELETE FROM recovery_codes WHERE expires_at <= $1";
        const APP_TOKENS: &str = "DELETE FROM app_tokens WHERE expires_at <= $1";
        let mut out = Purged::default();
        let due = due_if_started_before.unwrap_or(i64::MAX);
        both!(self, p => {
            let mut tx = p.begin().await?;
            let claimed = sqlx::query(CLAIM).bind(RETENTION_JOB).bind(now).bind(due)
                .execute(&mut *tx).await?.rows_affected();
            if claimed == 0 {
                tx.rollback().await?;
                return Ok(None);
            }
            out.signins = sqlx::query(SIGNINS).bind(cutoff).execute(&mut *tx).await?.rows_affected();
            out.passes = sqlx::query(PASSES).bind(cutoff).bind(now).execute(&mut *tx).await?.rows_affected();
            out.passes += sqlx::query(DOUBLES).bind(cutoff).execute(&mut *tx).await?.rows_affected();
            out.exits = sqlx::query(EXITS).bind(cutoff).execute(&mut *tx).await?.rows_affected();
            for sql in MANUAL {
                sqlx::query(sql).bind(cutoff).execute(&mut *tx).await?;
            }
            out.registrations = sqlx::query(REGISTRATIONS).bind(cutoff).execute(&mut *tx).await?.rows_affected();
            out.registrations += sqlx::query(REVOCATIONS).bind(now).execute(&mut *tx).await?.rows_affected();
            out.sessions = sqlx::query(SESSIONS).bind(now).execute(&mut *tx).await?.rows_affected();
            out.sessions += sqlx::query(CODES).bind(now).execute(&mut *tx).await?.rows_affected();
            out.sessions += sqlx::query(APP_TOKENS).bind(now).execute(&mut *tx).await?.rows_affected();
            let detail = format!(
                "{} sign-ins, {} pass records, {} exits, {} registrations and revocations, {} sessions and codes",
                out.signins, out.passes, out.exits, out.registrations, out.sessions
            );
            sqlx::query(DONE).bind(RETENTION_JOB).bind(now).bind(detail).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(Some(out))
    }

    /// The last run of a periodic job, if it ever ran.
    pub async fn last_job_run(&self, job: &str) -> Result<Option<JobRun>> {
        const SQL: &str = "SELECT started_at, finished_at, detail FROM job_runs WHERE job = $1";
        let row: Option<(i64, Option<i64>, String)> =
            both!(self, p => sqlx::query_as(SQL).bind(job).fetch_optional(p).await?);
        Ok(row.map(|(started_at, finished_at, detail)| JobRun {
            started_at,
            finished_at,
            detail,
        }))
    }

    // ---- backup ----

    /// SQLite only: a consistent copy of the database into the new file `dest` while the
    /// server may be writing (`VACUUM INTO`).
    pub async fn sqlite_snapshot(&self, dest: &std::path::Path) -> Result<()> {
        let Store::Sqlite(p) = self else {
            return Err(StoreError::Unsupported(
                "a snapshot with VACUUM INTO needs SQLite",
            ));
        };
        sqlx::query("VACUUM INTO $1")
            .bind(dest.display().to_string())
            .execute(p)
            .await?;
        Ok(())
    }

    /// PostgreSQL: the schema the tables live in (`current_schema()`, normally `public`).
    pub async fn pg_schema(&self) -> Result<Option<String>> {
        match self {
            Store::Sqlite(_) => Ok(None),
            Store::Postgres(p) => Ok(sqlx::query_scalar("SELECT current_schema()")
                .fetch_one(p)
                .await?),
        }
    }

    /// PostgreSQL, without migrating: whether the server's tables exist in the URL's current
    /// schema (a restore goes only into a database without them).
    pub async fn pg_has_tables(url: &str) -> Result<bool> {
        use sqlx::Connection as _;
        let mut c = sqlx::PgConnection::connect(url).await?;
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = 'signins'",
        )
        .fetch_one(&mut c)
        .await?;
        c.close().await?;
        Ok(n > 0)
    }

    // ---- health ----

    /// Whether the database answers (one `SELECT 1`).
    pub async fn ping(&self) -> Result<()> {
        let _: i32 = both!(self, p => sqlx::query_scalar("SELECT 1").fetch_one(p).await?);
        Ok(())
    }

    /// The backend's name: `SQLite` or `PostgreSQL`.
    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "SQLite",
            Store::Postgres(_) => "PostgreSQL",
        }
    }

    /// Per kiosk: sign-ins stored since `since` and the newest one's scan time.
    pub async fn uploads_since(&self, since: i64) -> Result<HashMap<i64, (i64, Option<i64>)>> {
        const SQL: &str = "SELECT device_ref, COUNT(*), MAX(scanned_at) FROM signins \
             WHERE scanned_at >= $1 GROUP BY device_ref";
        let rows: Vec<(i64, i64, Option<i64>)> =
            both!(self, p => sqlx::query_as(SQL).bind(since).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|(d, n, last)| (d, (n, last)))
            .collect())
    }
}

/// The file of an SQLite URL (`sqlite:PATH`, `sqlite://PATH?...`), or `None` for another URL.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    if !url.starts_with("sqlite:") {
        return None;
    }
    SqliteConnectOptions::from_str(url)
        .ok()
        .map(|o| o.get_filename().to_path_buf())
}

/// The retention purge's name in `job_runs`.
pub const RETENTION_JOB: &str = "retention";

/// When a periodic job last ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRun {
    /// When it started (the claim).
    pub started_at: i64,
    /// When it finished, if it did.
    pub finished_at: Option<i64>,
    /// What it did (counts only).
    pub detail: String,
}

/// PostgreSQL: `BEGIN` with the writers' lock (sign-ins and exits), as one simple query.
const PG_BEGIN_LOCKED: &str = "BEGIN; SELECT pg_advisory_xact_lock(7308001)";

/// Which rows of a batch are new (first time their id is seen, and not stored before), and
/// the outcome lists: an id stored before by this kiosk is `known`, by another `taken`.
fn split_new<'r>(
    rows: &'r [NewSignin],
    before: &HashMap<String, i64>,
    device_ref: i64,
) -> (Vec<&'r NewSignin>, IngestOutcome) {
    let mut out = IngestOutcome::default();
    let mut seen = HashSet::new();
    let mut new_rows = Vec::new();
    for r in rows {
        match before.get(&r.sid) {
            Some(owner) if *owner != device_ref => out.taken.push(r.sid.clone()),
            Some(_) => out.known.push(r.sid.clone()),
            None if seen.insert(r.sid.as_str()) => {
                out.stored.push(r.sid.clone());
                new_rows.push(r);
            }
            None => out.known.push(r.sid.clone()),
        }
    }
    (new_rows, out)
}

/// The ids of `rows` stored already, with the kiosk that stored each (normally none: only
/// retries hit this), so the insert needs no `RETURNING` rows.
async fn sqlite_stored_ids(
    tx: &mut sqlx::SqliteConnection,
    rows: &[NewSignin],
) -> Result<HashMap<String, i64>> {
    let sql = format!(
        "SELECT sid, device_ref FROM signins WHERE sid IN ({})",
        in_list(rows.len())
    );
    let mut q = sqlx::query_as::<_, (String, i64)>(AssertSqlSafe(sql));
    for r in rows {
        q = q.bind(&r.sid);
    }
    Ok(q.fetch_all(&mut *tx).await?.into_iter().collect())
}

/// Inserts the new sign-ins in one multi-row statement.
async fn sqlite_insert_signins(
    tx: &mut sqlx::SqliteConnection,
    rows: &[&NewSignin],
    device_ref: i64,
    now: i64,
) -> Result<()> {
    let sql = values_sql(
        "INSERT INTO signins (sid, pass_id, scanned_at, device_id, device_ref, received_at, \
         contact, name_bi, phone_bi, email_bi, entrance, heads, over_capacity, reentry, registration) VALUES ",
        rows.len(),
        15,
        " ON CONFLICT (sid) DO NOTHING",
    );
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for r in rows {
        q = q
            .bind(&r.sid)
            .bind(&r.pass_id[..])
            .bind(r.scanned_at)
            .bind(&r.device_id)
            .bind(device_ref)
            .bind(now)
            .bind(&r.contact)
            .bind(&r.name_bi)
            .bind(&r.phone_bi)
            .bind(&r.email_bi)
            .bind(&r.entrance)
            .bind(r.heads)
            .bind(i64::from(r.over_capacity))
            .bind(i64::from(r.reentry))
            .bind(&r.registration);
    }
    q.execute(&mut *tx).await?;
    Ok(())
}

/// Closes the new sign-ins whose exit arrived first (the earliest exit naming the sid, for
/// the same pass), in the ingest's transaction.
async fn sqlite_close_from_exits(
    tx: &mut sqlx::SqliteConnection,
    rows: &[&NewSignin],
) -> Result<()> {
    let sql = format!("{CLOSE_FROM_EXITS} sid IN ({})", in_list(rows.len()));
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for r in rows {
        q = q.bind(&r.sid);
    }
    q.execute(&mut *tx).await?;
    Ok(())
}

/// Copies the earliest stored exit closing a sign-in (of the same pass) onto it; the head of
/// an `UPDATE` that ends with the condition picking the new sign-ins by sid.
const CLOSE_FROM_EXITS: &str = "UPDATE signins SET \
     exited_at = (SELECT e.at FROM exits e WHERE e.closes = signins.sid \
       AND e.pass_id = signins.pass_id ORDER BY e.at, e.seq LIMIT 1), \
     exit_kind = (SELECT e.kind FROM exits e WHERE e.closes = signins.sid \
       AND e.pass_id = signins.pass_id ORDER BY e.at, e.seq LIMIT 1) \
     WHERE exited_at IS NULL AND EXISTS (SELECT 1 FROM exits e \
       WHERE e.closes = signins.sid AND e.pass_id = signins.pass_id) AND";

/// Records the first use of each new pass (in upload order: the batch's first use wins);
/// returns how many passes were new.
async fn sqlite_insert_first_uses(
    tx: &mut sqlx::SqliteConnection,
    rows: &[&NewSignin],
    device_ref: i64,
) -> Result<usize> {
    if rows.is_empty() {
        return Ok(0);
    }
    let sql = values_sql(
        "INSERT INTO passes (pass_id, first_at, device_id, device_ref, valid_until) VALUES ",
        rows.len(),
        5,
        " ON CONFLICT (pass_id) DO NOTHING",
    );
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for r in rows {
        q = q
            .bind(&r.pass_id[..])
            .bind(r.scanned_at)
            .bind(&r.device_id)
            .bind(device_ref)
            .bind(r.valid_until);
    }
    let added = q.execute(&mut *tx).await?.rows_affected();
    Ok(usize::try_from(added).unwrap_or(0))
}

/// When a new sign-in `s` of a pass first used in `p` is a double use: the pass was first used
/// by another kiosk, or it is an event pass (a reservation's, DESIGN §9: single use per event
/// whatever the reuse policy) and `s` is not its first use, whichever kiosk. Only a condition:
/// no data.
const EVENT_OR_OTHER_KIOSK: &str = "(p.device_ref <> s.device_ref OR (EXISTS (SELECT 1 \
     FROM registrations g WHERE g.pass_id = s.pass_id AND g.event_id IS NOT NULL) \
     AND s.seq > (SELECT MIN(s2.seq) FROM signins s2 WHERE s2.pass_id = s.pass_id \
     AND s2.reentry = 0)))";

/// Records a double use for each new sign-in whose pass was first used by another kiosk
/// (told apart by their tokens' devices, never by the device ids the rows name).
async fn sqlite_record_double_uses(
    tx: &mut sqlx::SqliteConnection,
    rows: &[&NewSignin],
) -> Result<()> {
    let sql = format!(
        "INSERT INTO double_uses (sid, pass_id, first_at, first_device_id, at, device_id) \
         SELECT s.sid, s.pass_id, p.first_at, p.device_id, s.scanned_at, s.device_id \
         FROM signins s JOIN passes p ON p.pass_id = s.pass_id \
         WHERE s.sid IN ({}) AND {EVENT_OR_OTHER_KIOSK} \
         ON CONFLICT (sid) DO NOTHING",
        in_list(rows.len())
    );
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for r in rows {
        q = q.bind(&r.sid);
    }
    q.execute(&mut *tx).await?;
    Ok(())
}

/// PostgreSQL's batch ingest: columns travel as arrays (`UNNEST`), so each statement has a
/// fixed handful of parameters whatever the batch size and plans once. Three round trips a
/// batch: `BEGIN` with the writer lock, one statement storing the sign-ins and the first uses
/// of their passes (a data-modifying `WITH`), and `COMMIT`; a fourth only when some pass was
/// seen before (a possible double use).
async fn ingest_pg(
    p: &PgPool,
    device_ref: i64,
    rows: &[NewSignin],
    now: i64,
) -> Result<IngestOutcome> {
    // One writer at a time, so used-list sequence numbers become visible in order and a
    // cursor never skips a row committed late. Sent with BEGIN as one simple query.
    const BEGIN_LOCKED: &str = PG_BEGIN_LOCKED;
    // Each sign-in once per sid (ON CONFLICT, also against duplicates within the batch); the
    // passes of the rows stored, in upload order, so the batch's first use of a pass wins.
    const STORE: &str = "WITH ins AS (\
         INSERT INTO signins (sid, pass_id, scanned_at, device_id, device_ref, \
         received_at, contact, name_bi, phone_bi, email_bi, entrance, heads, over_capacity, reentry, registration) \
         SELECT t.sid, t.pass_id, t.scanned_at, t.device_id, $9, $10, t.contact, t.name_bi, t.phone_bi, t.email_bi, \
         t.entrance, t.heads, t.over_capacity, t.reentry, t.registration \
         FROM UNNEST($1::text[], $2::bytea[], $3::int8[], $4::text[], $5::bytea[], $6::bytea[], $7::bytea[], $8::bytea[], \
         $12::text[], $13::int8[], $14::int8[], $15::int8[], $16::text[]) \
         WITH ORDINALITY AS t(sid, pass_id, scanned_at, device_id, contact, name_bi, phone_bi, email_bi, \
         entrance, heads, over_capacity, reentry, registration, ord) \
         ORDER BY t.ord \
         ON CONFLICT (sid) DO NOTHING \
         RETURNING seq, sid, pass_id, scanned_at, device_id, reentry), \
         firsts AS (\
         INSERT INTO passes (pass_id, first_at, device_id, device_ref, valid_until) \
         SELECT ins.pass_id, ins.scanned_at, ins.device_id, $9, v.valid_until FROM ins \
         JOIN UNNEST($1::text[], $11::int8[]) AS v(sid, valid_until) ON v.sid = ins.sid \
         WHERE ins.reentry = 0 \
         ORDER BY ins.seq \
         ON CONFLICT (pass_id) DO NOTHING RETURNING 1) \
         SELECT ins.sid, ins.reentry <> 0, (SELECT count(*) FROM firsts) FROM ins";
    let doubles = format!(
        "INSERT INTO double_uses (sid, pass_id, first_at, first_device_id, at, device_id) \
         SELECT s.sid, s.pass_id, p.first_at, p.device_id, s.scanned_at, s.device_id \
         FROM signins s JOIN passes p ON p.pass_id = s.pass_id \
         WHERE s.sid = ANY($1::text[]) AND s.reentry = 0 AND {EVENT_OR_OTHER_KIOSK} \
         ON CONFLICT (sid) DO NOTHING"
    );
    // Ids this batch did not store that another kiosk did: refused, not `known`.
    const TAKEN: &str = "SELECT sid FROM signins WHERE sid = ANY($1::text[]) AND device_ref <> $2";
    let sids: Vec<&str> = rows.iter().map(|r| r.sid.as_str()).collect();
    let pass_ids: Vec<&[u8]> = rows.iter().map(|r| &r.pass_id[..]).collect();
    let at: Vec<i64> = rows.iter().map(|r| r.scanned_at).collect();
    let devs: Vec<&str> = rows.iter().map(|r| r.device_id.as_str()).collect();
    let contact: Vec<&[u8]> = rows.iter().map(|r| r.contact.as_slice()).collect();
    let name: Vec<Option<&[u8]>> = rows.iter().map(|r| r.name_bi.as_deref()).collect();
    let phone: Vec<Option<&[u8]>> = rows.iter().map(|r| r.phone_bi.as_deref()).collect();
    let email: Vec<Option<&[u8]>> = rows.iter().map(|r| r.email_bi.as_deref()).collect();
    let valid_until: Vec<Option<i64>> = rows.iter().map(|r| r.valid_until).collect();
    let entrance: Vec<&str> = rows.iter().map(|r| r.entrance.as_str()).collect();
    let heads: Vec<i64> = rows.iter().map(|r| r.heads).collect();
    let over: Vec<i64> = rows.iter().map(|r| i64::from(r.over_capacity)).collect();
    let reentry: Vec<i64> = rows.iter().map(|r| i64::from(r.reentry)).collect();
    let registration: Vec<Option<&str>> = rows.iter().map(|r| r.registration.as_deref()).collect();
    let mut tx = p.begin_with(BEGIN_LOCKED).await?;
    let stored: Vec<(String, bool, i64)> = sqlx::query_as(STORE)
        .bind(&sids)
        .bind(&pass_ids)
        .bind(&at)
        .bind(&devs)
        .bind(&contact)
        .bind(&name)
        .bind(&phone)
        .bind(&email)
        .bind(device_ref)
        .bind(now)
        .bind(&valid_until)
        .bind(&entrance)
        .bind(&heads)
        .bind(&over)
        .bind(&reentry)
        .bind(&registration)
        .fetch_all(&mut *tx)
        .await?;
    let first_uses = stored.first().map_or(0, |(_, _, n)| *n);
    // Uses: the stored rows that are no re-entry (a stay, no use of the pass).
    let uses = stored.iter().filter(|(_, reentry, _)| !reentry).count();
    let stored: HashSet<String> = stored.into_iter().map(|(sid, _, _)| sid).collect();
    if !stored.is_empty() {
        let new: Vec<&str> = stored.iter().map(String::as_str).collect();
        sqlx::query(AssertSqlSafe(format!(
            "{CLOSE_FROM_EXITS} sid = ANY($1::text[])"
        )))
        .bind(&new)
        .execute(&mut *tx)
        .await?;
    }
    // Only when some pass was seen before (or twice in this batch) can there be a double
    // use; usually every pass is new and this statement is skipped.
    if usize::try_from(first_uses).unwrap_or(0) < uses {
        let new: Vec<&str> = stored.iter().map(String::as_str).collect();
        sqlx::query(AssertSqlSafe(doubles))
            .bind(&new)
            .execute(&mut *tx)
            .await?;
    }
    let taken: HashSet<String> = if stored.len() < rows.len() {
        let others: Vec<&str> = sids
            .iter()
            .copied()
            .filter(|s| !stored.contains(*s))
            .collect();
        sqlx::query_scalar::<_, String>(TAKEN)
            .bind(&others)
            .bind(device_ref)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .collect()
    } else {
        HashSet::new()
    };
    tx.commit().await?;
    Ok(outcome(rows, &stored, &taken))
}

/// Each row's fate in upload order, given the ids this batch stored: the first row of a stored
/// id is `stored`, a row of an id another kiosk stored is `taken`, every other row (stored
/// earlier, or a repeat within the batch) is `known`.
fn outcome(rows: &[NewSignin], stored: &HashSet<String>, taken: &HashSet<String>) -> IngestOutcome {
    let mut out = IngestOutcome::default();
    let mut seen = HashSet::new();
    for r in rows {
        if taken.contains(&r.sid) {
            out.taken.push(r.sid.clone());
        } else if stored.contains(&r.sid) && seen.insert(r.sid.as_str()) {
            out.stored.push(r.sid.clone());
        } else {
            out.known.push(r.sid.clone());
        }
    }
    out
}

/// `PREFIX (?,?,..),(..)… SUFFIX` for `rows` rows of `cols` anonymous placeholders (SQLite:
/// numbered `$N` names cost a linear search each when bound). Only placeholders: no data.
fn values_sql(prefix: &str, rows: usize, cols: usize, suffix: &str) -> String {
    let row = format!("({})", vec!["?"; cols].join(","));
    let mut s = String::with_capacity(prefix.len() + suffix.len() + rows * (row.len() + 1));
    s.push_str(prefix);
    s.push_str(&vec![row.as_str(); rows].join(","));
    s.push_str(suffix);
    s
}

/// `?,?,…` for an `IN` list.
fn in_list(n: usize) -> String {
    vec!["?"; n].join(",")
}

fn double_use(
    (pass_id, first_at, first_device_id, at, device_id): (Vec<u8>, i64, String, i64, String),
) -> DoubleUse {
    DoubleUse {
        pass_id,
        first_at,
        first_device_id,
        at,
        device_id,
    }
}

fn signin_row(
    (seq, sid, scanned_at, device_id, contact): (i64, String, i64, String, Vec<u8>),
) -> SigninRow {
    SigninRow {
        seq,
        sid,
        scanned_at,
        device_id,
        contact,
    }
}

/// A database URL with any password replaced by `***`, for messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &userinfo[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_lists() {
        assert_eq!(values_sql("V ", 2, 2, " X"), "V (?,?),(?,?) X");
        assert_eq!(in_list(3), "?,?,?");
    }

    #[test]
    fn urls_are_redacted() {
        assert_eq!(
            redact_url("postgres://u:secret@127.0.0.1/db"),
            "postgres://u:***@127.0.0.1/db"
        );
        assert_eq!(redact_url("sqlite:/x/y.db"), "sqlite:/x/y.db");
    }
}
