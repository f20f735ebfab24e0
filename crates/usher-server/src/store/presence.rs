//! The presence feed's reads (DESIGN §8: who is inside, per entrance and kiosk; the open stays
//! of other kiosks; a kiosk's stays closed elsewhere) and the place-lease rows, on both
//! backends. The lease arithmetic itself is `usher_core::lease`; this only stores it.

use super::{Result, Store};

/// Heads inside through one entrance by one kiosk (open stays since the window's start).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsideRow {
    /// The entrance.
    pub entrance: String,
    /// The kiosk.
    pub device_ref: i64,
    /// Heads of its open stays there.
    pub heads: i64,
}

/// An open stay as the presence feed lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenStayRow {
    /// The sign-in's kiosk-made id (the entry id).
    pub sid: String,
    /// The pass identity.
    pub pass_id: Vec<u8>,
    /// The entrance.
    pub entrance: String,
    /// When it began.
    pub scanned_at: i64,
    /// Head count.
    pub heads: i64,
    /// The kiosk's name.
    pub device_id: String,
}

/// A kiosk's stay that an exit closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedStayRow {
    /// The sign-in's id.
    pub sid: String,
    /// When it was closed.
    pub exited_at: i64,
    /// `scan` or `auto`.
    pub exit_kind: String,
}

/// One kiosk's place lease as the server keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseRow {
    /// The kiosk.
    pub device_ref: i64,
    /// Its entrance, as it last said.
    pub entrance: String,
    /// The places last granted.
    pub granted: i64,
    /// The places of the lease it said it held.
    pub held: i64,
    /// Its own heads inside, as it said.
    pub inside: i64,
    /// Its demand since its fetch before.
    pub demand: i64,
    /// When the granted lease ends (server time).
    pub expires_at: i64,
}

type LeaseTuple = (i64, String, i64, i64, i64, i64, i64);

const LEASES: &str = "SELECT l.device_ref, l.entrance, l.granted, l.held, l.inside, l.demand, \
     l.expires_at FROM place_leases l JOIN devices d ON d.id = l.device_ref \
     WHERE d.revoked_at IS NULL ORDER BY l.device_ref";
const PUT_LEASE: &str = "INSERT INTO place_leases \
     (device_ref, entrance, granted, held, inside, demand, expires_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (device_ref) DO UPDATE SET \
     entrance = excluded.entrance, granted = excluded.granted, held = excluded.held, \
     inside = excluded.inside, demand = excluded.demand, expires_at = excluded.expires_at, \
     updated_at = excluded.updated_at";

fn lease_row(t: LeaseTuple) -> LeaseRow {
    let (device_ref, entrance, granted, held, inside, demand, expires_at) = t;
    LeaseRow {
        device_ref,
        entrance,
        granted,
        held,
        inside,
        demand,
        expires_at,
    }
}

/// Reads every live kiosk's lease, lets `decide` pick the asking kiosk's new row, and writes
/// it, in the transaction `$tx` (one writer at a time).
macro_rules! lease_round {
    ($tx:ident, $decide:ident, $now:ident) => {{
        let rows: Vec<LeaseTuple> = sqlx::query_as(LEASES).fetch_all(&mut *$tx).await?;
        let rows: Vec<LeaseRow> = rows.into_iter().map(lease_row).collect();
        let new = $decide(&rows);
        if let Some(new) = &new {
            sqlx::query(PUT_LEASE)
                .bind(new.device_ref)
                .bind(&new.entrance)
                .bind(new.granted)
                .bind(new.held)
                .bind(new.inside)
                .bind(new.demand)
                .bind(new.expires_at)
                .bind($now)
                .execute(&mut *$tx)
                .await?;
        }
        $tx.commit().await?;
        new
    }};
}

impl Store {
    /// Heads inside per entrance and kiosk: sign-ins with no exit, scanned at or after
    /// `since` (the start of the stay window). One row per entrance and kiosk.
    pub async fn inside_by_kiosk(&self, since: i64) -> Result<Vec<InsideRow>> {
        const SQL: &str = "SELECT entrance, device_ref, CAST(SUM(heads) AS BIGINT) FROM signins \
             WHERE exited_at IS NULL AND scanned_at >= $1 \
             GROUP BY entrance, device_ref ORDER BY entrance, device_ref";
        let rows = both!(self, p => sqlx::query_as::<_, (String, i64, i64)>(SQL)
            .bind(since).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|(entrance, device_ref, heads)| InsideRow {
                entrance,
                device_ref,
                heads,
            })
            .collect())
    }

    /// Open stays (no exit, scanned at or after `since`) of kiosks other than `device_ref`,
    /// newest first, at most `limit`.
    pub async fn open_stays_of_others(
        &self,
        since: i64,
        device_ref: i64,
        limit: i64,
    ) -> Result<Vec<OpenStayRow>> {
        const SQL: &str = "SELECT sid, pass_id, entrance, scanned_at, heads, device_id \
             FROM signins WHERE exited_at IS NULL AND scanned_at >= $1 AND device_ref <> $2 \
             ORDER BY scanned_at DESC, seq DESC LIMIT $3";
        type Row = (String, Vec<u8>, String, i64, i64, String);
        let rows = both!(self, p => sqlx::query_as::<_, Row>(SQL)
            .bind(since).bind(device_ref).bind(limit).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(
                |(sid, pass_id, entrance, scanned_at, heads, device_id)| OpenStayRow {
                    sid,
                    pass_id,
                    entrance,
                    scanned_at,
                    heads,
                    device_id,
                },
            )
            .collect())
    }

    /// Stays of kiosk `device_ref` scanned at or after `since` that an exit closed, newest
    /// first, at most `limit` (the kiosk closes those it still has open).
    pub async fn closed_stays_of(
        &self,
        since: i64,
        device_ref: i64,
        limit: i64,
    ) -> Result<Vec<ClosedStayRow>> {
        const SQL: &str = "SELECT sid, exited_at, exit_kind FROM signins \
             WHERE device_ref = $2 AND scanned_at >= $1 AND exited_at IS NOT NULL \
             AND exit_kind IS NOT NULL ORDER BY scanned_at DESC, seq DESC LIMIT $3";
        let rows = both!(self, p => sqlx::query_as::<_, (String, i64, String)>(SQL)
            .bind(since).bind(device_ref).bind(limit).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|(sid, exited_at, exit_kind)| ClosedStayRow {
                sid,
                exited_at,
                exit_kind,
            })
            .collect())
    }

    /// One lease round, one writer at a time (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: an
    /// advisory transaction lock, so two server processes on one database take turns): the
    /// leases of every kiosk not revoked go to `decide`, and the row it returns (the asking
    /// kiosk's) is written before the commit. Returns that row.
    pub async fn lease_round(
        &self,
        now: i64,
        decide: impl FnOnce(&[LeaseRow]) -> Option<LeaseRow>,
    ) -> Result<Option<LeaseRow>> {
        Ok(match self {
            Store::Sqlite(p) => {
                let mut tx = p.begin_with("BEGIN IMMEDIATE").await?;
                lease_round!(tx, decide, now)
            }
            Store::Postgres(p) => {
                let mut tx = p
                    .begin_with("BEGIN; SELECT pg_advisory_xact_lock(7308020)")
                    .await?;
                lease_round!(tx, decide, now)
            }
        })
    }

    /// Every live kiosk's lease row (the admin's view; tests).
    pub async fn leases(&self) -> Result<Vec<LeaseRow>> {
        let rows = both!(self, p => sqlx::query_as::<_, LeaseTuple>(LEASES).fetch_all(p).await?);
        Ok(rows.into_iter().map(lease_row).collect())
    }
}
