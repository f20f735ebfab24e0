//! The write and read side of the volunteer's manual path (DESIGN §8): voids (the undo) and
//! head-count tallies from the kiosks' uploads (migrations 0040, 0041). A void takes its
//! sign-in out of `signins` once both are here (so counts, Inside now, the roll call and
//! tracing no longer see it), keeps the audited record in `voids` and a line in `audit_log`,
//! and when the sign-in was its pass's first use, withdraws it (`withdrawn_uses`, read by the
//! used feed) so a `once` pass works again at every kiosk.

use super::{IngestOutcome, PG_BEGIN_LOCKED, Result, Store, UsedPass};

/// A void ready to store: checked, its device the uploading token's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVoid {
    /// The kiosk-made id of the void.
    pub vid: String,
    /// The sign-in it voids.
    pub sid: String,
    /// The kiosk's device id.
    pub device_id: String,
    /// When the volunteer voided it.
    pub voided_at: i64,
}

/// A tally ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTally {
    /// The kiosk-made id of the press.
    pub tid: String,
    /// The kiosk's device id.
    pub device_id: String,
    /// The entrance it was counted at.
    pub entrance: String,
    /// When.
    pub at: i64,
    /// `1` or `-1`.
    pub delta: i64,
}

/// What became of an upload's voids.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct VoidOutcome {
    /// Stored, known or taken, as for sign-ins.
    pub ids: IngestOutcome,
    /// Voids naming a sign-in another kiosk recorded: refused (a kiosk undoes only its own).
    pub foreign: Vec<String>,
    /// Sign-ins taken out of the counts by this call (voids of this upload or earlier ones
    /// whose sign-in has now arrived).
    pub applied: usize,
}

/// A voided sign-in as the audit keeps it (no contact data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoidRecord {
    /// The sign-in's kiosk-made id.
    pub sid: String,
    /// The kiosk.
    pub device_id: String,
    /// When it was voided.
    pub voided_at: i64,
    /// When the sign-in was scanned (`None`: the sign-in has not arrived yet).
    pub scanned_at: Option<i64>,
    /// Its entrance.
    pub entrance: Option<String>,
    /// Its head count.
    pub heads: Option<i64>,
    /// It was its pass's first use, withdrawn.
    pub first_use: bool,
}

impl Store {
    /// Stores a batch of voids from kiosk `device_ref` (each once per `vid`), then takes every
    /// voided sign-in that is here and not yet taken out of `signins` (this batch's, and
    /// earlier voids whose sign-in came since), in one transaction under the writers' lock.
    /// Call it after every upload's sign-ins, with no voids too.
    pub async fn ingest_voids(
        &self,
        device_ref: i64,
        voids: &[NewVoid],
        now: i64,
    ) -> Result<VoidOutcome> {
        const OWNER_OF_SID: &str = "SELECT device_ref FROM signins WHERE sid = $1";
        const INSERT: &str = "INSERT INTO voids (vid, sid, device_id, device_ref, voided_at, \
             received_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (vid) DO NOTHING";
        const OWNER: &str = "SELECT device_ref FROM voids WHERE vid = $1";
        const PENDING: &str = "SELECT v.vid, v.sid, v.device_ref, v.device_id, v.voided_at, s.seq, \
             s.pass_id, s.scanned_at, s.entrance, s.heads, s.reentry FROM voids v \
             JOIN signins s ON s.sid = v.sid AND s.device_ref = v.device_ref \
             WHERE v.applied_at IS NULL ORDER BY v.seq";
        const FIRST: &str = "SELECT valid_until FROM passes WHERE pass_id = $1 \
             AND first_at = $2 AND device_ref = $3";
        const DROP: &str = "DELETE FROM signins WHERE seq = $1";
        const DROP_DOUBLE: &str = "DELETE FROM double_uses WHERE sid = $1";
        const DROP_FIRST: &str = "DELETE FROM passes WHERE pass_id = $1";
        const DROP_DOUBLES_OF: &str = "DELETE FROM double_uses WHERE pass_id = $1";
        const WITHDRAW: &str = "INSERT INTO withdrawn_uses (pass_id, first_at, device_id, \
             device_ref, at) VALUES ($1, $2, $3, $4, $5)";
        // The next use of the pass, if any kiosk has one, becomes its first.
        const NEXT_FIRST: &str = "INSERT INTO passes (pass_id, first_at, device_id, device_ref, \
             valid_until) SELECT pass_id, scanned_at, device_id, device_ref, $2 FROM signins \
             WHERE pass_id = $1 AND reentry = 0 ORDER BY scanned_at, seq LIMIT 1";
        const RECORD: &str = "UPDATE voids SET applied_at = $2, pass_id = $3, scanned_at = $4, \
             entrance = $5, heads = $6, first_use = $7 WHERE vid = $1";
        const AUDIT: &str =
            "INSERT INTO audit_log (at, admin_id, action, detail) VALUES ($1, NULL, 'void', $2)";
        type Pending = (
            String,
            String,
            i64,
            String,
            i64,
            i64,
            Vec<u8>,
            i64,
            String,
            i64,
            i64,
        );
        const ANY_PENDING: &str = "SELECT COUNT(*) FROM voids WHERE applied_at IS NULL";
        let mut out = VoidOutcome::default();
        // Most uploads carry no void and none waits: no writers' lock for them.
        if voids.is_empty() {
            let pending: i64 =
                both!(self, p => sqlx::query_scalar(ANY_PENDING).fetch_one(p).await?);
            if pending == 0 {
                return Ok(out);
            }
        }
        let begin = match self {
            Store::Sqlite(_) => "BEGIN IMMEDIATE",
            Store::Postgres(_) => PG_BEGIN_LOCKED,
        };
        both!(self, p => {
            let mut tx = p.begin_with(begin).await?;
            for v in voids {
                let owner: Option<i64> = sqlx::query_scalar(OWNER_OF_SID)
                    .bind(&v.sid)
                    .fetch_optional(&mut *tx)
                    .await?;
                if owner.is_some_and(|o| o != device_ref) {
                    out.foreign.push(v.vid.clone());
                    continue;
                }
                let added = sqlx::query(INSERT)
                    .bind(&v.vid)
                    .bind(&v.sid)
                    .bind(&v.device_id)
                    .bind(device_ref)
                    .bind(v.voided_at)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if added == 1 {
                    out.ids.stored.push(v.vid.clone());
                    continue;
                }
                let owner: i64 = sqlx::query_scalar(OWNER).bind(&v.vid).fetch_one(&mut *tx).await?;
                if owner == device_ref {
                    out.ids.known.push(v.vid.clone());
                } else {
                    out.ids.taken.push(v.vid.clone());
                }
            }
            let pending: Vec<Pending> = sqlx::query_as(PENDING).fetch_all(&mut *tx).await?;
            for (vid, sid, dref, device_id, voided_at, seq, pass_id, scanned_at, entrance, heads, reentry) in pending {
                let first: Option<Option<i64>> = if reentry == 0 {
                    sqlx::query_scalar(FIRST)
                        .bind(&pass_id)
                        .bind(scanned_at)
                        .bind(dref)
                        .fetch_optional(&mut *tx)
                        .await?
                } else {
                    None
                };
                sqlx::query(DROP).bind(seq).execute(&mut *tx).await?;
                // The double use it may have been (a later use of the pass) goes with it.
                sqlx::query(DROP_DOUBLE).bind(&sid).execute(&mut *tx).await?;
                if let Some(valid_until) = first {
                    sqlx::query(DROP_FIRST).bind(&pass_id).execute(&mut *tx).await?;
                    sqlx::query(DROP_DOUBLES_OF).bind(&pass_id).execute(&mut *tx).await?;
                    sqlx::query(WITHDRAW)
                        .bind(&pass_id)
                        .bind(scanned_at)
                        .bind(&device_id)
                        .bind(dref)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(NEXT_FIRST)
                        .bind(&pass_id)
                        .bind(valid_until)
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query(RECORD)
                    .bind(&vid)
                    .bind(now)
                    .bind(&pass_id)
                    .bind(scanned_at)
                    .bind(&entrance)
                    .bind(heads)
                    .bind(i64::from(first.is_some()))
                    .execute(&mut *tx)
                    .await?;
                let detail = format!(
                    "kiosk {device_id} voided a sign-in at {entrance} ({heads} people), \
                     scanned {scanned_at}, voided {voided_at}{}",
                    if first.is_some() { "; its pass's first use withdrawn" } else { "" }
                );
                sqlx::query(AUDIT).bind(now).bind(&detail).execute(&mut *tx).await?;
                out.applied += 1;
            }
            tx.commit().await?;
        });
        Ok(out)
    }

    /// The voids, newest first, at most `limit` (for the audit).
    pub async fn voids(&self, limit: i64) -> Result<Vec<VoidRecord>> {
        const SQL: &str = "SELECT sid, device_id, voided_at, scanned_at, entrance, heads, \
             first_use FROM voids ORDER BY seq DESC LIMIT $1";
        type Row = (
            String,
            String,
            i64,
            Option<i64>,
            Option<String>,
            Option<i64>,
            i64,
        );
        let rows = both!(self, p => sqlx::query_as::<_, Row>(SQL).bind(limit).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(
                |(sid, device_id, voided_at, scanned_at, entrance, heads, first_use)| VoidRecord {
                    sid,
                    device_id,
                    voided_at,
                    scanned_at,
                    entrance,
                    heads,
                    first_use: first_use != 0,
                },
            )
            .collect())
    }

    /// First uses withdrawn by voids at devices other than `device_ref`, after position
    /// `after`, oldest first, at most `limit` (the used feed's second half).
    pub async fn withdrawn_since(
        &self,
        after: i64,
        device_ref: i64,
        limit: i64,
    ) -> Result<Vec<UsedPass>> {
        const SQL: &str = "SELECT seq, pass_id, first_at, device_id FROM withdrawn_uses \
             WHERE seq > $1 AND device_ref <> $2 ORDER BY seq LIMIT $3";
        type Row = (i64, Vec<u8>, i64, String);
        let rows = both!(self, p => sqlx::query_as::<_, Row>(SQL)
            .bind(after).bind(device_ref).bind(limit).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|(seq, pass_id, first_at, device_id)| UsedPass {
                seq,
                pass_id,
                first_at,
                device_id,
                valid_until: None,
            })
            .collect())
    }

    /// Stores a batch of tallies from kiosk `device_ref`, each once per `tid`.
    pub async fn ingest_tallies(
        &self,
        device_ref: i64,
        tallies: &[NewTally],
        now: i64,
    ) -> Result<IngestOutcome> {
        const INSERT: &str = "INSERT INTO tallies (tid, device_id, device_ref, entrance, at, \
             delta, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tid) DO NOTHING";
        const OWNER: &str = "SELECT device_ref FROM tallies WHERE tid = $1";
        let mut out = IngestOutcome::default();
        if tallies.is_empty() {
            return Ok(out);
        }
        both!(self, p => {
            let mut tx = p.begin().await?;
            for t in tallies {
                let added = sqlx::query(INSERT)
                    .bind(&t.tid)
                    .bind(&t.device_id)
                    .bind(device_ref)
                    .bind(&t.entrance)
                    .bind(t.at)
                    .bind(t.delta)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if added == 1 {
                    out.stored.push(t.tid.clone());
                    continue;
                }
                let owner: i64 = sqlx::query_scalar(OWNER).bind(&t.tid).fetch_one(&mut *tx).await?;
                if owner == device_ref {
                    out.known.push(t.tid.clone());
                } else {
                    out.taken.push(t.tid.clone());
                }
            }
            tx.commit().await?;
        });
        Ok(out)
    }

    /// [`Store::tallied`] of the kiosks other than `device_ref` (for the presence feed).
    pub async fn tallied_by_others(
        &self,
        since: i64,
        device_ref: i64,
    ) -> Result<Vec<(String, i64)>> {
        self.tallied_except(since, device_ref).await
    }

    /// People counted without any record, per entrance: the net of the tallies since
    /// `since`, in entrance order, entrances whose net is above zero only.
    pub async fn tallied(&self, since: i64) -> Result<Vec<(String, i64)>> {
        // Device refs are positive: -1 leaves no kiosk out.
        self.tallied_except(since, -1).await
    }

    /// [`Store::tallied`] of every kiosk but `device_ref`.
    async fn tallied_except(&self, since: i64, device_ref: i64) -> Result<Vec<(String, i64)>> {
        const SQL: &str = "SELECT entrance, CAST(SUM(delta) AS BIGINT) FROM tallies \
             WHERE at >= $1 AND device_ref <> $2 GROUP BY entrance ORDER BY entrance";
        let rows = both!(self, p => sqlx::query_as::<_, (String, i64)>(SQL)
            .bind(since).bind(device_ref).fetch_all(p).await?);
        Ok(rows.into_iter().filter(|(_, n)| *n > 0).collect())
    }
}
