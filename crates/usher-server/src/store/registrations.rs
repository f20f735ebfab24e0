//! Registrations (DESIGN §9, migration 0035): what the server keeps for a pass it issued, so
//! the pass itself carries only the display name and `r`. Phone and e-mail live here, sealed
//! like a sign-in's contact (context: the registration id) with the same blind indexes; the
//! sign-ins a kiosk uploads name their registration (`signins.registration`), which tracing
//! and the export join. A registration with an `event_id` is a reservation (the events
//! module books those); this module stores, reads, cancels and forgets them, and keeps the
//! revocations (migration 0050) the kiosks fetch with the used feed.
//!
//! Forgetting a visitor (the `/me` page's "delete everything") empties the sealed contact of
//! their registration and of every sign-in of their pass (an empty blob, which opens as no
//! fields), drops the blind indexes, and revokes the pass; the rows themselves stay, without
//! contact data, so the venue's counts do not change.

use super::door::{STAY_COLUMNS, Stay, StayTuple, stay};
use super::{PG_BEGIN_LOCKED, Result, Store};

/// A registration to store: contact data sealed, blind indexes computed.
#[derive(Debug, Clone)]
pub struct NewRegistration {
    /// The id the pass carries as `r` (random, short, URL-safe).
    pub id: String,
    /// When it was made.
    pub created_at: i64,
    /// Until when its pass is valid (the pass's `expiry`).
    pub valid_until: i64,
    /// SHA-256 of the pass payload.
    pub pass_id: [u8; 32],
    /// Sealed contact fields (`s1` name, `s2` phone, `s3` e-mail), context the id.
    pub contact: Vec<u8>,
    /// Blind index of the name.
    pub name_bi: Option<Vec<u8>>,
    /// Blind index of the phone number.
    pub phone_bi: Option<Vec<u8>>,
    /// Blind index of the e-mail address.
    pub email_bi: Option<Vec<u8>>,
    /// How many people the pass admits.
    pub party: i64,
    /// The event it books places at (a reservation), if any.
    pub event_id: Option<String>,
    /// The entrance booked, if any.
    pub entrance: Option<String>,
}

/// A stored registration, contact data still sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// Its id (`r`).
    pub id: String,
    /// When it was made.
    pub created_at: i64,
    /// Until when its pass is valid.
    pub valid_until: i64,
    /// The pass identity.
    pub pass_id: Vec<u8>,
    /// Sealed contact fields (empty once forgotten).
    pub contact: Vec<u8>,
    /// Places.
    pub party: i64,
    /// The event of a reservation.
    pub event_id: Option<String>,
    /// The entrance booked.
    pub entrance: Option<String>,
    /// When it was cancelled (by the visitor, or with all their data).
    pub cancelled_at: Option<i64>,
}

/// A revoked pass, as the used feed gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    /// Cursor position.
    pub seq: i64,
    /// The pass identity.
    pub pass_id: Vec<u8>,
    /// Until when the pass would have been valid (kiosks forget it after that).
    pub valid_until: i64,
}

/// What [`Store::forget_visitor`] emptied.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Forgotten {
    /// Registrations whose contact data was deleted.
    pub registrations: u64,
    /// Sign-ins whose contact data was deleted.
    pub signins: u64,
}

type RegistrationTuple = (
    String,
    i64,
    i64,
    Vec<u8>,
    Vec<u8>,
    i64,
    Option<String>,
    Option<String>,
    Option<i64>,
);

fn registration(
    (id, created_at, valid_until, pass_id, contact, party, event_id, entrance, cancelled_at): RegistrationTuple,
) -> Registration {
    Registration {
        id,
        created_at,
        valid_until,
        pass_id,
        contact,
        party,
        event_id,
        entrance,
        cancelled_at,
    }
}

/// Records a revocation (once per pass) inside a transaction.
const REVOKE: &str = "INSERT INTO revocations (pass_id, revoked_at, valid_until) \
     VALUES ($1, $2, $3) ON CONFLICT (pass_id) DO NOTHING";

impl Store {
    /// Stores a new registration.
    pub async fn create_registration(&self, r: &NewRegistration) -> Result<()> {
        const SQL: &str = "INSERT INTO registrations (id, created_at, valid_until, pass_id, \
             contact, name_bi, phone_bi, email_bi, party, event_id, entrance) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
        both!(self, p => sqlx::query(SQL)
            .bind(&r.id).bind(r.created_at).bind(r.valid_until).bind(&r.pass_id[..])
            .bind(&r.contact).bind(&r.name_bi).bind(&r.phone_bi).bind(&r.email_bi)
            .bind(r.party).bind(&r.event_id).bind(&r.entrance)
            .execute(p).await?.rows_affected());
        Ok(())
    }

    /// The registration with this id.
    pub async fn registration(&self, id: &str) -> Result<Option<Registration>> {
        const SQL: &str = "SELECT id, created_at, valid_until, pass_id, contact, party, \
             event_id, entrance, cancelled_at FROM registrations WHERE id = $1";
        let row = both!(self, p => sqlx::query_as::<_, RegistrationTuple>(SQL)
            .bind(id).fetch_optional(p).await?);
        Ok(row.map(registration))
    }

    /// The sign-ins of one visitor's pass: those naming `registration`, and those of the
    /// pass itself (a pass without `r`), oldest first, at most `limit`.
    pub async fn visitor_stays(
        &self,
        registration: Option<&str>,
        pass_id: &[u8],
        limit: i64,
    ) -> Result<Vec<Stay>> {
        let sql = format!(
            "SELECT {STAY_COLUMNS} FROM signins s \
             LEFT JOIN registrations g ON g.id = s.registration \
             WHERE s.registration = $1 OR s.pass_id = $2 ORDER BY s.scanned_at, s.seq LIMIT $3"
        );
        let rows = both!(self, p => sqlx::query_as::<_, StayTuple>(sqlx::AssertSqlSafe(sql))
            .bind(registration).bind(pass_id).bind(limit).fetch_all(p).await?);
        Ok(rows.into_iter().map(stay).collect())
    }

    /// Cancels a registration (a reservation given up by its visitor) and revokes its pass,
    /// in one transaction; `false` when it was cancelled already or does not exist.
    pub async fn cancel_registration(&self, id: &str, now: i64) -> Result<bool> {
        const CANCEL: &str = "UPDATE registrations SET cancelled_at = $2 \
             WHERE id = $1 AND cancelled_at IS NULL RETURNING pass_id, valid_until";
        let begin = self.revocation_begin();
        Ok(both!(self, p => {
            let mut tx = p.begin_with(begin).await?;
            let row = sqlx::query_as::<_, (Vec<u8>, i64)>(CANCEL)
                .bind(id).bind(now).fetch_optional(&mut *tx).await?;
            if let Some((pass_id, valid_until)) = &row {
                sqlx::query(REVOKE).bind(pass_id).bind(now).bind(valid_until)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
            row.is_some()
        }))
    }

    /// Forgets a visitor (the `/me` page's "delete everything"), in one transaction: the
    /// contact data and blind indexes of `registration` (cancelled too) and of every sign-in
    /// naming it or made with the pass `pass_id` are deleted, and the pass is revoked until
    /// `valid_until`.
    pub async fn forget_visitor(
        &self,
        registration: Option<&str>,
        pass_id: &[u8],
        valid_until: i64,
        now: i64,
    ) -> Result<Forgotten> {
        const REGISTRATION: &str = "UPDATE registrations SET contact = $2, name_bi = NULL, \
             phone_bi = NULL, email_bi = NULL, cancelled_at = COALESCE(cancelled_at, $3) \
             WHERE id = $1";
        const SIGNINS: &str = "UPDATE signins SET contact = $3, name_bi = NULL, \
             phone_bi = NULL, email_bi = NULL WHERE registration = $1 OR pass_id = $2";
        let begin = self.revocation_begin();
        let empty: &[u8] = &[];
        Ok(both!(self, p => {
            let mut tx = p.begin_with(begin).await?;
            let registrations = sqlx::query(REGISTRATION)
                .bind(registration).bind(empty).bind(now)
                .execute(&mut *tx).await?.rows_affected();
            let signins = sqlx::query(SIGNINS)
                .bind(registration).bind(pass_id).bind(empty)
                .execute(&mut *tx).await?.rows_affected();
            sqlx::query(REVOKE).bind(pass_id).bind(now).bind(valid_until)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Forgotten { registrations, signins }
        }))
    }

    /// Revocations after cursor `after`, oldest first, at most `limit` (the used feed's
    /// second part).
    pub async fn revoked_since(&self, after: i64, limit: i64) -> Result<Vec<Revocation>> {
        const SQL: &str = "SELECT seq, pass_id, valid_until FROM revocations WHERE seq > $1 \
             ORDER BY seq LIMIT $2";
        let rows = both!(self, p => sqlx::query_as::<_, (i64, Vec<u8>, i64)>(SQL)
            .bind(after).bind(limit).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|(seq, pass_id, valid_until)| Revocation {
                seq,
                pass_id,
                valid_until,
            })
            .collect())
    }

    /// Whether this pass is revoked.
    pub async fn is_revoked(&self, pass_id: &[u8]) -> Result<bool> {
        const SQL: &str = "SELECT COUNT(*) FROM revocations WHERE pass_id = $1";
        let n = both!(self, p => sqlx::query_scalar::<_, i64>(SQL)
            .bind(pass_id).fetch_one(p).await?);
        Ok(n > 0)
    }

    /// The name of event `id` (a reservation's event), if it exists.
    pub async fn event_name(&self, id: &str) -> Result<Option<String>> {
        Ok(self.event(id).await?.map(|e| e.spec.name))
    }

    /// How revocations begin their transaction: with the writers' lock on PostgreSQL, so
    /// their sequence numbers become visible in order and a kiosk's cursor never skips one
    /// committed late (as the used list does).
    fn revocation_begin(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "BEGIN IMMEDIATE",
            Store::Postgres(_) => PG_BEGIN_LOCKED,
        }
    }
}
