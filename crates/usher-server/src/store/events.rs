//! Events and their reservations (DESIGN §9): the `events` and `event_entrances` tables
//! (migration 0045) and the reservations, which are `registrations` rows with an `event_id`
//! (migration 0035). [`Store::reserve`] is the one place places are taken: the capacity check
//! and the insert are one transaction on both backends (SQLite `BEGIN IMMEDIATE`; PostgreSQL
//! the event's row locked `FOR UPDATE` before the sum), so concurrent bookings never overbook.
//! Arrivals are the sign-ins of a reservation's pass (by `pass_id`), a kiosk's or the old
//! app's redemption ([`Store::redeem_reservation`]).

use super::{Result, Store};

/// An event as the admin describes it (create and edit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSpec {
    /// The name visitors see ("Eid al-Fitr prayer").
    pub name: String,
    /// Start and end, Unix seconds; passes expire at the end.
    pub starts_at: i64,
    /// The end.
    pub ends_at: i64,
    /// Bookings are taken from this time ...
    pub booking_opens_at: i64,
    /// ... until this one.
    pub booking_closes_at: i64,
    /// The most places one reservation may book.
    pub largest_party: i64,
    /// Passes admit from this many minutes before the start (`nb`).
    pub grace_minutes: i64,
    /// The entrances with their capacities, in the order visitors see them.
    pub entrances: Vec<EntranceSpec>,
}

/// One entrance of an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntranceSpec {
    /// Its name, as kiosks say it (`<entrance>`): `brothers`, `sisters`.
    pub name: String,
    /// Its places.
    pub capacity: i64,
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Its short, URL-safe id (the pass's `ev`).
    pub id: String,
    /// What the admin set.
    pub spec: EventSpec,
    /// When the admin closed it (no more bookings).
    pub closed_at: Option<i64>,
    /// When it was created.
    pub created_at: i64,
}

impl Event {
    /// `nb`: the start less the grace.
    pub fn not_before(&self) -> i64 {
        self.spec.starts_at - self.spec.grace_minutes * 60
    }

    /// Whether it takes bookings at `now`: not closed, not over, inside its booking window.
    pub fn open_at(&self, now: i64) -> bool {
        self.closed_at.is_none()
            && now >= self.spec.booking_opens_at
            && now < self.spec.booking_closes_at
            && now < self.spec.ends_at
    }

    /// The capacity of `entrance`, if the event has it.
    pub fn capacity(&self, entrance: &str) -> Option<i64> {
        self.spec
            .entrances
            .iter()
            .find(|e| e.name == entrance)
            .map(|e| e.capacity)
    }
}

/// Booked against arrived at one entrance of an event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntranceFigures {
    /// The entrance.
    pub entrance: String,
    /// Its capacity (`None`: not an entrance of the event, yet someone arrived through it).
    pub capacity: Option<i64>,
    /// Places booked for it (reservations not cancelled).
    pub booked: i64,
    /// Reservations behind them.
    pub parties: i64,
    /// People who came in through it (head counts of each reservation's first sign-in).
    pub arrived: i64,
    /// Of those, how many had booked another entrance.
    pub arrived_from_elsewhere: i64,
}

/// A reservation to store: id chosen and pass made by the caller, contact sealed.
#[derive(Debug, Clone)]
pub struct NewReservation {
    /// The registration id (the pass's `r`).
    pub id: String,
    /// The event.
    pub event_id: String,
    /// The entrance booked.
    pub entrance: String,
    /// Places.
    pub party: i64,
    /// SHA-256 of the pass payload.
    pub pass_id: [u8; 32],
    /// Sealed contact fields (`s1`, `s2`, `s3`), the registration id the seal's context.
    pub contact: Vec<u8>,
    /// Blind index of the name.
    pub name_bi: Option<Vec<u8>>,
    /// Blind index of the phone number.
    pub phone_bi: Option<Vec<u8>>,
    /// Blind index of the e-mail address.
    pub email_bi: Option<Vec<u8>>,
    /// When booked.
    pub created_at: i64,
    /// Until when its pass is valid (the event's end).
    pub valid_until: i64,
}

/// What became of a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Booking {
    /// Stored: the places are the visitor's.
    Booked,
    /// Refused: the entrance has fewer places left than the party (`left` of them).
    Full {
        /// Places still free at that entrance.
        left: i64,
    },
    /// Refused: no such event, closed, outside its booking window, no such entrance, or a
    /// party over the event's largest.
    NotOpen,
}

/// A reservation as the event page's export and the old app see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reservation {
    /// The registration id.
    pub id: String,
    /// The event.
    pub event_id: String,
    /// The entrance booked.
    pub entrance: String,
    /// Places.
    pub party: i64,
    /// When booked.
    pub created_at: i64,
    /// When cancelled, if it was.
    pub cancelled_at: Option<i64>,
    /// Sealed contact fields.
    pub contact: Vec<u8>,
    /// The first arrival: (when, entrance, heads).
    pub arrived: Option<(i64, String, i64)>,
}

/// What [`Store::redeem_reservation`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redeemed {
    /// Recorded now as an arrival of the whole party.
    Now(Reservation),
    /// No live reservation has that id.
    NotFound,
    /// Booked for another entrance.
    OtherEntrance(Reservation),
    /// Already arrived (a kiosk scanned its pass, or the app redeemed it).
    Already(Reservation),
}

type EventRow = (
    String,
    String,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    Option<i64>,
    i64,
);

const EVENT_COLUMNS: &str = "id, name, starts_at, ends_at, booking_opens_at, booking_closes_at, \
     largest_party, grace_minutes, closed_at, created_at";

fn event_of(row: EventRow, entrances: Vec<EntranceSpec>) -> Event {
    let (
        id,
        name,
        starts_at,
        ends_at,
        booking_opens_at,
        booking_closes_at,
        largest_party,
        grace_minutes,
        closed_at,
        created_at,
    ) = row;
    Event {
        id,
        spec: EventSpec {
            name,
            starts_at,
            ends_at,
            booking_opens_at,
            booking_closes_at,
            largest_party,
            grace_minutes,
            entrances,
        },
        closed_at,
        created_at,
    }
}

/// The first sign-in of each reservation's pass (a re-entry is no arrival), with the
/// reservation it belongs to: `(reservation id, at, entrance, heads, booked entrance)`.
const ARRIVALS: &str = "SELECT g.id, s.scanned_at, s.entrance, s.heads, g.entrance \
     FROM registrations g JOIN signins s ON s.pass_id = g.pass_id \
     WHERE g.event_id = $1 AND s.reentry = 0 AND s.seq = (SELECT MIN(s2.seq) FROM signins s2 \
     WHERE s2.pass_id = g.pass_id AND s2.reentry = 0)";

type ArrivalRow = (String, i64, String, i64, Option<String>);

/// One reservation by id with its first arrival (the first sign-in of its pass that is no
/// re-entry) and its pass id.
const RESERVATION: &str = "SELECT g.id, g.event_id, g.entrance, g.party, g.created_at, \
     g.cancelled_at, g.contact, a.scanned_at, a.entrance, a.heads, g.pass_id \
     FROM registrations g LEFT JOIN signins a ON a.seq = (SELECT MIN(s.seq) FROM signins s \
     WHERE s.pass_id = g.pass_id AND s.reentry = 0) \
     WHERE g.id = $1 AND g.event_id IS NOT NULL";

type ReservationRow = (
    String,
    Option<String>,
    Option<String>,
    i64,
    i64,
    Option<i64>,
    Vec<u8>,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Vec<u8>,
);

fn reservation_of(row: ReservationRow) -> (Reservation, Vec<u8>) {
    let (id, event_id, entrance, party, created_at, cancelled_at, contact, at, e, heads, pass_id) =
        row;
    let reservation = Reservation {
        id,
        event_id: event_id.unwrap_or_default(),
        entrance: entrance.unwrap_or_default(),
        party,
        created_at,
        cancelled_at,
        contact,
        arrived: at.zip(e).zip(heads).map(|((at, e), h)| (at, e, h)),
    };
    (reservation, pass_id)
}

impl Store {
    /// Creates an event with id `id`.
    pub async fn create_event(&self, id: &str, spec: &EventSpec, now: i64) -> Result<()> {
        const SQL: &str = "INSERT INTO events (id, name, starts_at, ends_at, booking_opens_at, \
             booking_closes_at, largest_party, grace_minutes, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
        both!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query(SQL)
                .bind(id).bind(&spec.name).bind(spec.starts_at).bind(spec.ends_at)
                .bind(spec.booking_opens_at).bind(spec.booking_closes_at)
                .bind(spec.largest_party).bind(spec.grace_minutes).bind(now)
                .execute(&mut *tx).await?;
            for (i, e) in spec.entrances.iter().enumerate() {
                sqlx::query(INSERT_ENTRANCE)
                    .bind(id).bind(&e.name).bind(e.capacity).bind(i as i64)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Changes an event (its entrances replaced by the spec's); false when there is no such
    /// event. Reservations keep their entrance, even one no longer listed.
    pub async fn update_event(&self, id: &str, spec: &EventSpec) -> Result<bool> {
        const SQL: &str = "UPDATE events SET name = $1, starts_at = $2, ends_at = $3, \
             booking_opens_at = $4, booking_closes_at = $5, largest_party = $6, \
             grace_minutes = $7 WHERE id = $8";
        const CLEAR: &str = "DELETE FROM event_entrances WHERE event_id = $1";
        Ok(both!(self, p => {
            let mut tx = p.begin().await?;
            let n = sqlx::query(SQL)
                .bind(&spec.name).bind(spec.starts_at).bind(spec.ends_at)
                .bind(spec.booking_opens_at).bind(spec.booking_closes_at)
                .bind(spec.largest_party).bind(spec.grace_minutes).bind(id)
                .execute(&mut *tx).await?.rows_affected();
            if n == 1 {
                sqlx::query(CLEAR).bind(id).execute(&mut *tx).await?;
                for (i, e) in spec.entrances.iter().enumerate() {
                    sqlx::query(INSERT_ENTRANCE)
                        .bind(id).bind(&e.name).bind(e.capacity).bind(i as i64)
                        .execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
            n == 1
        }))
    }

    /// Closes an event to bookings; false when there is no such open event.
    pub async fn close_event(&self, id: &str, now: i64) -> Result<bool> {
        const SQL: &str = "UPDATE events SET closed_at = $1 WHERE id = $2 AND closed_at IS NULL";
        let n =
            both!(self, p => sqlx::query(SQL).bind(now).bind(id).execute(p).await?.rows_affected());
        Ok(n == 1)
    }

    /// Every event, the latest start first.
    pub async fn events(&self) -> Result<Vec<Event>> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events ORDER BY starts_at DESC, id");
        let rows = both!(self, p => sqlx::query_as::<_, EventRow>(sqlx::AssertSqlSafe(sql))
            .fetch_all(p).await?);
        self.with_entrances(rows).await
    }

    /// The event with this id.
    pub async fn event(&self, id: &str) -> Result<Option<Event>> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = $1");
        let row = both!(self, p => sqlx::query_as::<_, EventRow>(sqlx::AssertSqlSafe(sql))
            .bind(id).fetch_optional(p).await?);
        match row {
            Some(row) => {
                let entrances = self.event_entrances(&row.0).await?;
                Ok(Some(event_of(row, entrances)))
            }
            None => Ok(None),
        }
    }

    /// The events taking bookings at `now`, the soonest first.
    pub async fn open_events(&self, now: i64) -> Result<Vec<Event>> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE closed_at IS NULL \
             AND booking_opens_at <= $1 AND booking_closes_at > $1 AND ends_at > $1 \
             ORDER BY starts_at, id"
        );
        let rows = both!(self, p => sqlx::query_as::<_, EventRow>(sqlx::AssertSqlSafe(sql))
            .bind(now).fetch_all(p).await?);
        self.with_entrances(rows).await
    }

    /// The events of `rows`, each with its entrances.
    async fn with_entrances(&self, rows: Vec<EventRow>) -> Result<Vec<Event>> {
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let entrances = self.event_entrances(&row.0).await?;
            out.push(event_of(row, entrances));
        }
        Ok(out)
    }

    async fn event_entrances(&self, id: &str) -> Result<Vec<EntranceSpec>> {
        const SQL: &str = "SELECT entrance, capacity FROM event_entrances WHERE event_id = $1 \
             ORDER BY position, entrance";
        let rows = both!(self, p => sqlx::query_as::<_, (String, i64)>(SQL)
            .bind(id).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|(name, capacity)| EntranceSpec { name, capacity })
            .collect())
    }

    /// Places booked per entrance of an event (reservations not cancelled).
    pub async fn booked(&self, event_id: &str) -> Result<Vec<(String, i64, i64)>> {
        const SQL: &str = "SELECT entrance, CAST(SUM(party) AS BIGINT), COUNT(*) \
             FROM registrations WHERE event_id = $1 AND cancelled_at IS NULL \
             GROUP BY entrance ORDER BY entrance";
        Ok(
            both!(self, p => sqlx::query_as::<_, (Option<String>, i64, i64)>(SQL)
            .bind(event_id).fetch_all(p).await?)
            .into_iter()
            .map(|(e, places, parties)| (e.unwrap_or_default(), places, parties))
            .collect(),
        )
    }

    /// Books `r.party` places at `r.entrance` of `r.event_id`, if they are free, in one
    /// transaction with the capacity check: SQLite takes the write lock first (`BEGIN
    /// IMMEDIATE`), PostgreSQL locks the event's row (`SELECT … FOR UPDATE`), so every
    /// booking of an event sums what the ones before it stored.
    pub async fn reserve(&self, r: &NewReservation, now: i64) -> Result<Booking> {
        const EVENT_SQLITE: &str = "SELECT largest_party, closed_at IS NULL \
             AND booking_opens_at <= $2 AND booking_closes_at > $2 AND ends_at > $2 \
             FROM events WHERE id = $1";
        const EVENT_PG: &str = "SELECT largest_party, closed_at IS NULL \
             AND booking_opens_at <= $2 AND booking_closes_at > $2 AND ends_at > $2 \
             FROM events WHERE id = $1 FOR UPDATE";
        // After the lock: the sum and the insert in one statement (PostgreSQL: a statement
        // begun after the lock was granted sees every booking committed before it).
        const INSERT: &str = "INSERT INTO registrations (id, created_at, valid_until, pass_id, \
             contact, name_bi, phone_bi, email_bi, party, event_id, entrance) \
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 \
             WHERE (SELECT COALESCE(SUM(party), 0) FROM registrations \
                    WHERE event_id = $10 AND entrance = $11 AND cancelled_at IS NULL) + $9 \
               <= (SELECT capacity FROM event_entrances WHERE event_id = $10 AND entrance = $11)";
        // Only for a refusal: why.
        const LEFT: &str = "SELECT c.capacity - CAST(COALESCE((SELECT SUM(party) FROM registrations \
             WHERE event_id = $1 AND entrance = $2 AND cancelled_at IS NULL), 0) AS BIGINT) \
             FROM event_entrances c WHERE c.event_id = $1 AND c.entrance = $2";
        let (begin, event_sql) = match self {
            Store::Sqlite(_) => ("BEGIN IMMEDIATE", EVENT_SQLITE),
            Store::Postgres(_) => ("BEGIN", EVENT_PG),
        };
        Ok(both!(self, p => {
            let mut tx = p.begin_with(begin).await?;
            let event: Option<(i64, bool)> = sqlx::query_as(event_sql)
                .bind(&r.event_id).bind(now).fetch_optional(&mut *tx).await?;
            let outcome = match event {
                Some((largest, true)) if (1..=largest).contains(&r.party) => {
                    let added = sqlx::query(INSERT)
                        .bind(&r.id).bind(r.created_at).bind(r.valid_until)
                        .bind(&r.pass_id[..]).bind(&r.contact).bind(&r.name_bi)
                        .bind(&r.phone_bi).bind(&r.email_bi).bind(r.party)
                        .bind(&r.event_id).bind(&r.entrance)
                        .execute(&mut *tx).await?.rows_affected();
                    if added == 1 {
                        Booking::Booked
                    } else {
                        let left: Option<i64> = sqlx::query_scalar(LEFT)
                            .bind(&r.event_id).bind(&r.entrance).fetch_optional(&mut *tx).await?;
                        left.map_or(Booking::NotOpen, |left| Booking::Full { left: left.max(0) })
                    }
                }
                _ => Booking::NotOpen,
            };
            tx.commit().await?;
            outcome
        }))
    }

    /// Cancels a reservation (its places are free again); false when there is no such live
    /// reservation.
    pub async fn cancel_reservation(&self, id: &str, now: i64) -> Result<bool> {
        const SQL: &str = "UPDATE registrations SET cancelled_at = $1 \
             WHERE id = $2 AND event_id IS NOT NULL AND cancelled_at IS NULL";
        let n =
            both!(self, p => sqlx::query(SQL).bind(now).bind(id).execute(p).await?.rows_affected());
        Ok(n == 1)
    }

    /// Booked against arrived per entrance: the event's entrances in its order, then any
    /// other entrance someone booked or came in through.
    pub async fn event_figures(&self, event: &Event) -> Result<Vec<EntranceFigures>> {
        let mut out: Vec<EntranceFigures> = event
            .spec
            .entrances
            .iter()
            .map(|e| EntranceFigures {
                entrance: e.name.clone(),
                capacity: Some(e.capacity),
                ..EntranceFigures::default()
            })
            .collect();
        fn at<'a>(out: &'a mut Vec<EntranceFigures>, name: &str) -> &'a mut EntranceFigures {
            let i = match out.iter().position(|f| f.entrance == name) {
                Some(i) => i,
                None => {
                    out.push(EntranceFigures {
                        entrance: name.to_owned(),
                        ..EntranceFigures::default()
                    });
                    out.len() - 1
                }
            };
            &mut out[i]
        }
        for (entrance, places, parties) in self.booked(&event.id).await? {
            let f = at(&mut out, &entrance);
            f.booked = places;
            f.parties = parties;
        }
        let arrivals = both!(self, p => sqlx::query_as::<_, ArrivalRow>(ARRIVALS)
            .bind(&event.id).fetch_all(p).await?);
        for (_, _, entrance, heads, booked) in arrivals {
            let f = at(&mut out, &entrance);
            f.arrived += heads;
            if booked.as_deref() != Some(entrance.as_str()) {
                f.arrived_from_elsewhere += heads;
            }
        }
        Ok(out)
    }

    /// Every reservation of an event, oldest first, each with its first arrival.
    pub async fn reservations(&self, event_id: &str, limit: i64) -> Result<Vec<Reservation>> {
        const SQL: &str = "SELECT id, event_id, entrance, party, created_at, cancelled_at, \
             contact FROM registrations WHERE event_id = $1 ORDER BY created_at, id LIMIT $2";
        type Row = (
            String,
            String,
            Option<String>,
            i64,
            i64,
            Option<i64>,
            Vec<u8>,
        );
        let rows = both!(self, p => sqlx::query_as::<_, Row>(SQL)
            .bind(event_id).bind(limit).fetch_all(p).await?);
        let arrivals = both!(self, p => sqlx::query_as::<_, ArrivalRow>(ARRIVALS)
            .bind(event_id).fetch_all(p).await?);
        let arrivals: std::collections::HashMap<String, (i64, String, i64)> = arrivals
            .into_iter()
            .map(|(id, at, entrance, heads, _)| (id, (at, entrance, heads)))
            .collect();
        Ok(rows
            .into_iter()
            .map(
                |(id, event_id, entrance, party, created_at, cancelled_at, contact)| {
                    let arrived = arrivals.get(&id).cloned();
                    Reservation {
                        id,
                        event_id,
                        entrance: entrance.unwrap_or_default(),
                        party,
                        created_at,
                        cancelled_at,
                        contact,
                        arrived,
                    }
                },
            )
            .collect())
    }

    /// The reservation with this id (cancelled or not), with its first arrival.
    pub async fn reservation(&self, id: &str) -> Result<Option<Reservation>> {
        let row = both!(self, p => sqlx::query_as::<_, ReservationRow>(RESERVATION)
            .bind(id).fetch_optional(p).await?);
        Ok(row.map(|row| reservation_of(row).0))
    }

    /// The old app's redemption (DESIGN §10) of reservation `id` at `entrance`: in one
    /// transaction, a live reservation of that entrance not yet arrived is recorded as
    /// arrived (a sign-in of its pass with the whole party, stored like an old-app sign-in,
    /// and the pass's first use, so kiosks refuse the pass afterwards through the used feed).
    pub async fn redeem_reservation(
        &self,
        id: &str,
        entrance: &str,
        signin: &super::NewSignin,
        now: i64,
    ) -> Result<Redeemed> {
        const INSERT: &str = "INSERT INTO signins (sid, pass_id, scanned_at, device_id, device_ref, \
             received_at, contact, name_bi, phone_bi, email_bi, entrance, heads, registration) \
             VALUES ($1, $2, $3, $4, 0, $5, $6, $7, $8, $9, $10, $11, $12)";
        const FIRST_USE: &str = "INSERT INTO passes (pass_id, first_at, device_id, device_ref, \
             valid_until) VALUES ($1, $2, $3, 0, $4) ON CONFLICT (pass_id) DO NOTHING";
        let begin = match self {
            Store::Sqlite(_) => "BEGIN IMMEDIATE",
            Store::Postgres(_) => super::PG_BEGIN_LOCKED,
        };
        Ok(both!(self, p => {
            let mut tx = p.begin_with(begin).await?;
            let row: Option<ReservationRow> = sqlx::query_as(RESERVATION)
                .bind(id).fetch_optional(&mut *tx).await?;
            let Some((mut r, pass_id)) = row
                .map(reservation_of)
                .filter(|(r, _)| r.cancelled_at.is_none())
            else {
                return Ok(Redeemed::NotFound);
            };
            let outcome = if r.arrived.is_some() {
                Redeemed::Already(r)
            } else if r.entrance != entrance {
                Redeemed::OtherEntrance(r)
            } else {
                sqlx::query(INSERT)
                    .bind(&signin.sid).bind(&pass_id).bind(now).bind(&signin.device_id)
                    .bind(now).bind(&signin.contact).bind(&signin.name_bi)
                    .bind(&signin.phone_bi).bind(&signin.email_bi).bind(entrance)
                    .bind(r.party).bind(&r.id)
                    .execute(&mut *tx).await?;
                sqlx::query(FIRST_USE)
                    .bind(&pass_id).bind(now).bind(&signin.device_id).bind(signin.valid_until)
                    .execute(&mut *tx).await?;
                r.arrived = Some((now, entrance.to_owned(), r.party));
                Redeemed::Now(r)
            };
            tx.commit().await?;
            outcome
        }))
    }
}

const INSERT_ENTRANCE: &str = "INSERT INTO event_entrances (event_id, entrance, capacity, position) \
     VALUES ($1, $2, $3, $4)";
