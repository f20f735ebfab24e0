//! The door's read side (DESIGN §8): who is inside now and since when, each kiosk's last
//! upload, a day's arrivals and occupancy per quarter hour, sign-ins by day with head counts
//! and stays, and stays with their real or estimated ends for contact tracing. The rows are
//! written by the sync API's ingest (`signins.entrance`/`heads`/`exited_at`/`exit_kind`, the
//! `exits` table: migration 0004); nothing here writes.
//!
//! "Inside" is an open stay (`exited_at IS NULL`) that began within the window the caller
//! gives (`since`): kiosks close stays at closing time or after the longest stay, so an open
//! stay older than that is a lost exit, not a person still in the building.

use super::{IndexColumn, Result, Store};
use std::collections::BTreeMap;
use usher_core::stay::ExitKind;

/// A quarter hour, in seconds: the step of the day's chart.
pub const QUARTER: i64 = 900;
/// Quarter hours in a day.
pub const QUARTERS: usize = 96;

/// Inside now at one entrance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntranceCount {
    /// The entrance (`main` for kiosks that name none).
    pub entrance: String,
    /// People inside: the head counts of the open stays.
    pub heads: i64,
    /// Open stays (passes) behind them.
    pub stays: i64,
}

/// One open stay for the roll call, contact data still sealed.
#[derive(Debug, Clone)]
pub struct Present {
    /// The sign-in's kiosk-made id (the seal's context).
    pub sid: String,
    /// The entrance it came in through.
    pub entrance: String,
    /// Since when.
    pub since: i64,
    /// Through which kiosk.
    pub device_id: String,
    /// How many people came in on it.
    pub heads: i64,
    /// Sealed contact fields.
    pub contact: Vec<u8>,
    /// The registration of a compact pass and its sealed contact fields (phone, e-mail).
    pub registration: Option<(String, Vec<u8>)>,
}

/// A kiosk and when it last sent anything up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskUpload {
    /// The kiosk's name (its device id).
    pub name: String,
    /// When the server last received a sign-in or an exit from it.
    pub last_upload: Option<i64>,
    /// Its last authenticated request of any kind.
    pub last_seen: Option<i64>,
    /// Revoked.
    pub revoked: bool,
}

/// One entrance's sign-ins on one UTC day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaySummary {
    /// The day's first second (UTC).
    pub day: i64,
    /// The entrance.
    pub entrance: String,
    /// Sign-ins (stays).
    pub signins: i64,
    /// People: the sum of their head counts.
    pub heads: i64,
    /// Stays ended by a scan (real exit times).
    pub scanned_out: i64,
    /// Stays ended automatically (estimated exit times).
    pub auto_out: i64,
    /// Seconds spent inside over the stays ended by a scan (for their average).
    pub scanned_seconds: i64,
}

impl DaySummary {
    /// Stays with no exit known (still inside, or the exit never came).
    pub fn no_exit(&self) -> i64 {
        self.signins - self.scanned_out - self.auto_out
    }

    /// The average length of the stays ended by a scan, in minutes.
    pub fn average_minutes(&self) -> Option<i64> {
        (self.scanned_out > 0).then(|| self.scanned_seconds / self.scanned_out / 60)
    }
}

/// A stay as contact tracing reads it, contact data still sealed.
#[derive(Debug, Clone)]
pub struct Stay {
    /// Row number.
    pub seq: i64,
    /// Kiosk-made id (the seal's context).
    pub sid: String,
    /// When it began (the sign-in's scan).
    pub scanned_at: i64,
    /// The kiosk of the entry.
    pub device_id: String,
    /// The entrance.
    pub entrance: String,
    /// Head count.
    pub heads: i64,
    /// When it ended, if an exit is known.
    pub exited_at: Option<i64>,
    /// How it ended: a scan (real) or automatically (an estimate).
    pub exit_kind: Option<ExitKind>,
    /// Sealed contact fields.
    pub contact: Vec<u8>,
    /// The registration the pass was issued for (its `r`), if any.
    pub registration: Option<String>,
    /// That registration's sealed contact fields (context: its id), when it is still stored:
    /// a compact pass's phone and e-mail.
    pub registration_contact: Option<Vec<u8>>,
}

/// How the end of a [`Stay`] is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StayEnd {
    /// A scanned exit: the real time.
    Exit(i64),
    /// An automatic exit (closing time, longest stay): an estimate.
    AutoExit(i64),
    /// No exit known: the start plus the default stay, an estimate.
    Default(i64),
}

impl StayEnd {
    /// The time.
    pub fn at(self) -> i64 {
        match self {
            StayEnd::Exit(t) | StayEnd::AutoExit(t) | StayEnd::Default(t) => t,
        }
    }

    /// Whether the time is an estimate.
    pub fn is_estimate(self) -> bool {
        !matches!(self, StayEnd::Exit(_))
    }
}

impl Stay {
    /// The stay's end: the real exit, the automatic exit, or (only when no exit is known)
    /// the start plus `default_stay` seconds. An exit before the entry (clocks of two kiosks)
    /// counts as the entry time.
    pub fn end(&self, default_stay: i64) -> StayEnd {
        match (self.exited_at, self.exit_kind) {
            (Some(t), Some(ExitKind::Scan)) => StayEnd::Exit(t.max(self.scanned_at)),
            (Some(t), _) => StayEnd::AutoExit(t.max(self.scanned_at)),
            (None, _) => StayEnd::Default(self.scanned_at.saturating_add(default_stay)),
        }
    }
}

/// One quarter hour of one entrance's day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QuarterFigures {
    /// People who came in during the quarter (head counts).
    pub arrivals: i64,
    /// The most people inside at once during the quarter.
    pub inside: i64,
}

/// One entrance's day, quarter by quarter (96 of them; quarters after `now` are zero).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntranceDay {
    /// The entrance.
    pub entrance: String,
    /// Figures per quarter hour from the day's start.
    pub quarters: Vec<QuarterFigures>,
}

/// A stay's bounds for the occupancy sweep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The entrance.
    pub entrance: String,
    /// Entry.
    pub from: i64,
    /// Exit, if known.
    pub until: Option<i64>,
    /// Head count.
    pub heads: i64,
}

/// Arrivals and peak occupancy per quarter hour of the day starting at `day`, per entrance,
/// from the stays that touch it. An open stay counts as inside until `now` while it is within
/// `window` seconds of its start (as the roll call does), after that as a stay of
/// `default_stay` seconds (as tracing does). Pure: the store gives the spans, the clock `now`.
pub fn day_figures(
    spans: &[Span],
    day: i64,
    now: i64,
    window: i64,
    default_stay: i64,
) -> Vec<EntranceDay> {
    let day_end = day + QUARTER * QUARTERS as i64;
    let mut events: BTreeMap<&str, Vec<(i64, i64)>> = BTreeMap::new();
    for s in spans {
        let until = match s.until {
            Some(t) => Some(t),
            // still inside: no quarter after now is shown, so it never leaves
            None if now < s.from + window => None,
            None => Some(s.from + default_stay),
        };
        let e = events.entry(s.entrance.as_str()).or_default();
        e.push((s.from, s.heads));
        if let Some(t) = until {
            // a stay that left at the second it came still counted for that second
            e.push((t.max(s.from + 1), -s.heads));
        }
    }
    let mut out = Vec::with_capacity(events.len());
    for (entrance, mut ev) in events {
        // leaving before coming at the same second: the level never counts both
        ev.sort_by_key(|&(t, d)| (t, d));
        let mut quarters = vec![QuarterFigures::default(); QUARTERS];
        let mut level = 0i64;
        let mut i = 0;
        for (q, fig) in quarters.iter_mut().enumerate() {
            let start = day + QUARTER * q as i64;
            let end = start + QUARTER;
            let shown = start <= now && start < day_end;
            // everything up to the quarter's first second sets the level it starts at
            while i < ev.len() && ev[i].0 <= start {
                let (t, d) = ev[i];
                level += d;
                if shown && d > 0 && t == start {
                    fig.arrivals += d;
                }
                i += 1;
            }
            if !shown {
                continue;
            }
            let mut peak = level;
            while i < ev.len() && ev[i].0 < end {
                let (t, d) = ev[i];
                level += d;
                if d > 0 && t >= day {
                    fig.arrivals += d;
                }
                peak = peak.max(level);
                i += 1;
            }
            fig.inside = peak.max(0);
        }
        out.push(EntranceDay {
            entrance: entrance.to_owned(),
            quarters,
        });
    }
    out
}

pub(super) type StayTuple = (
    i64,
    String,
    i64,
    String,
    String,
    i64,
    Option<i64>,
    Option<String>,
    Vec<u8>,
    Option<String>,
    Option<Vec<u8>>,
);

/// The columns of a [`Stay`], from `signins s LEFT JOIN registrations g` ([`STAYS_FROM`]).
pub(super) const STAY_COLUMNS: &str = "s.seq, s.sid, s.scanned_at, s.device_id, s.entrance, \
     s.heads, s.exited_at, s.exit_kind, s.contact, s.registration, g.contact";

/// The sign-ins with their registration (a compact pass's contact data), for [`STAY_COLUMNS`].
const STAYS_FROM: &str = "signins s LEFT JOIN registrations g ON g.id = s.registration";

pub(super) fn stay(
    (
        seq,
        sid,
        scanned_at,
        device_id,
        entrance,
        heads,
        exited_at,
        kind,
        contact,
        registration,
        registration_contact,
    ): StayTuple,
) -> Stay {
    Stay {
        seq,
        sid,
        scanned_at,
        device_id,
        entrance,
        heads,
        exit_kind: exited_at.map(|_| {
            if kind.as_deref() == Some("scan") {
                ExitKind::Scan
            } else {
                ExitKind::Auto
            }
        }),
        exited_at,
        contact,
        registration,
        registration_contact,
    }
}

impl Store {
    /// Inside now per entrance: the head counts of the stays still open that began at or
    /// after `since`, by entrance name.
    pub async fn inside_now(&self, since: i64) -> Result<Vec<EntranceCount>> {
        const SQL: &str = "SELECT entrance, CAST(SUM(heads) AS BIGINT), COUNT(*) FROM signins \
             WHERE exited_at IS NULL AND scanned_at >= $1 GROUP BY entrance ORDER BY entrance";
        let rows = both!(self, p => sqlx::query_as::<_, (String, i64, i64)>(SQL)
            .bind(since).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|(entrance, heads, stays)| EntranceCount {
                entrance,
                heads,
                stays,
            })
            .collect())
    }

    /// The roll call: every stay still open that began at or after `since`, by entrance and
    /// then by time, at most `limit`.
    pub async fn roll_call(&self, since: i64, limit: i64) -> Result<Vec<Present>> {
        const SQL: &str = "SELECT s.sid, s.entrance, s.scanned_at, s.device_id, s.heads, \
             s.contact, g.id, g.contact FROM signins s \
             LEFT JOIN registrations g ON g.id = s.registration \
             WHERE s.exited_at IS NULL AND s.scanned_at >= $1 \
             ORDER BY s.entrance, s.scanned_at, s.seq LIMIT $2";
        type Row = (
            String,
            String,
            i64,
            String,
            i64,
            Vec<u8>,
            Option<String>,
            Option<Vec<u8>>,
        );
        let rows = both!(self, p => sqlx::query_as::<_, Row>(SQL)
            .bind(since).bind(limit).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(
                |(sid, entrance, since, device_id, heads, contact, r, r_contact)| Present {
                    sid,
                    entrance,
                    since,
                    device_id,
                    heads,
                    contact,
                    registration: r.zip(r_contact),
                },
            )
            .collect())
    }

    /// Every kiosk with the time the server last received a sign-in or an exit from it, by
    /// name.
    pub async fn kiosk_uploads(&self) -> Result<Vec<KioskUpload>> {
        const SQL: &str = "SELECT d.name, d.revoked_at, d.last_seen_at, \
             (SELECT MAX(s.received_at) FROM signins s WHERE s.device_ref = d.id), \
             (SELECT MAX(x.received_at) FROM exits x WHERE x.device_ref = d.id) \
             FROM devices d ORDER BY d.name, d.id";
        type Row = (String, Option<i64>, Option<i64>, Option<i64>, Option<i64>);
        let rows = both!(self, p => sqlx::query_as::<_, Row>(SQL).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|(name, revoked, last_seen, signin, exit)| KioskUpload {
                name,
                last_upload: signin.max(exit),
                last_seen,
                revoked: revoked.is_some(),
            })
            .collect())
    }

    /// The stays that touch `[from, to)`: begun before `to`, at or after `from - lookback`,
    /// and not ended before `from`; for [`day_figures`].
    pub async fn spans_touching(&self, from: i64, to: i64, lookback: i64) -> Result<Vec<Span>> {
        const SQL: &str = "SELECT entrance, scanned_at, exited_at, heads FROM signins \
             WHERE scanned_at >= $1 AND scanned_at < $2 AND (exited_at IS NULL OR exited_at >= $3) \
             ORDER BY scanned_at, seq";
        let rows = both!(self, p => sqlx::query_as::<_, (String, i64, Option<i64>, i64)>(SQL)
            .bind(from.saturating_sub(lookback)).bind(to).bind(from).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|(entrance, from, until, heads)| Span {
                entrance,
                from,
                until,
                heads,
            })
            .collect())
    }

    /// Sign-ins per UTC day and entrance since `since`, newest day first: head counts and how
    /// their stays ended.
    pub async fn days_by_entrance(&self, since: i64) -> Result<Vec<DaySummary>> {
        const SQL: &str = "SELECT (scanned_at / 86400) * 86400 AS day, entrance, COUNT(*), \
             CAST(SUM(heads) AS BIGINT), \
             CAST(SUM(CASE WHEN exited_at IS NOT NULL AND exit_kind = 'scan' THEN 1 ELSE 0 END) AS BIGINT), \
             CAST(SUM(CASE WHEN exited_at IS NOT NULL AND exit_kind <> 'scan' THEN 1 ELSE 0 END) AS BIGINT), \
             CAST(SUM(CASE WHEN exited_at IS NOT NULL AND exit_kind = 'scan' AND exited_at > scanned_at \
             THEN exited_at - scanned_at ELSE 0 END) AS BIGINT) \
             FROM signins WHERE scanned_at >= $1 \
             GROUP BY (scanned_at / 86400), entrance ORDER BY day DESC, entrance";
        type Row = (i64, String, i64, i64, i64, i64, i64);
        let rows = both!(self, p => sqlx::query_as::<_, Row>(SQL).bind(since).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(
                |(day, entrance, signins, heads, scanned_out, auto_out, scanned_seconds)| {
                    DaySummary {
                        day,
                        entrance,
                        signins,
                        heads,
                        scanned_out,
                        auto_out,
                        scanned_seconds,
                    }
                },
            )
            .collect())
    }

    /// Stays begun in `[from, to)`, oldest first, at most `limit`.
    pub async fn stays_between(&self, from: i64, to: i64, limit: i64) -> Result<Vec<Stay>> {
        let sql = format!(
            "SELECT {STAY_COLUMNS} FROM {STAYS_FROM} WHERE s.scanned_at >= $1 AND s.scanned_at < $2 \
             ORDER BY s.scanned_at, s.seq LIMIT $3"
        );
        let rows = both!(self, p => sqlx::query_as::<_, StayTuple>(sqlx::AssertSqlSafe(sql))
            .bind(from).bind(to).bind(limit).fetch_all(p).await?);
        Ok(rows.into_iter().map(stay).collect())
    }

    /// Stays that overlap `[from, to]`, oldest first, at most `limit`: begun by `to` (and at
    /// most `lookback` seconds before `from`), and ended (by their exit, or when none is known
    /// by `default_stay` seconds after the start, as [`Stay::end`] says) at or after `from`.
    pub async fn stays_overlapping(
        &self,
        from: i64,
        to: i64,
        default_stay: i64,
        lookback: i64,
        limit: i64,
    ) -> Result<Vec<Stay>> {
        let sql = format!(
            "SELECT {STAY_COLUMNS} FROM {STAYS_FROM} WHERE s.scanned_at >= $1 AND s.scanned_at <= $2 \
             AND (s.scanned_at >= $3 OR COALESCE(s.exited_at, s.scanned_at + $4) >= $3) \
             ORDER BY s.scanned_at, s.seq LIMIT $5"
        );
        let rows = both!(self, p => sqlx::query_as::<_, StayTuple>(sqlx::AssertSqlSafe(sql))
            .bind(from.saturating_sub(lookback)).bind(to).bind(from).bind(default_stay).bind(limit)
            .fetch_all(p).await?);
        Ok(rows.into_iter().map(stay).collect())
    }

    /// The stays of the sign-ins whose blind index in `column` equals `bi`, or whose
    /// registration's does (a compact pass carries no phone or e-mail), begun in `[from, to)`,
    /// oldest first, at most `limit`.
    pub async fn stays_by_index(
        &self,
        column: IndexColumn,
        bi: &[u8],
        from: i64,
        to: i64,
        limit: i64,
    ) -> Result<Vec<Stay>> {
        let col = match column {
            IndexColumn::Name => "name_bi",
            IndexColumn::Phone => "phone_bi",
            IndexColumn::Email => "email_bi",
        };
        let sql = format!(
            "SELECT {STAY_COLUMNS} FROM {STAYS_FROM} WHERE (s.{col} = $1 OR s.registration IN \
             (SELECT r.id FROM registrations r WHERE r.{col} = $1)) AND s.scanned_at >= $2 \
             AND s.scanned_at < $3 ORDER BY s.scanned_at, s.seq LIMIT $4"
        );
        let rows = both!(self, p => sqlx::query_as::<_, StayTuple>(sqlx::AssertSqlSafe(sql))
            .bind(bi).bind(from).bind(to).bind(limit).fetch_all(p).await?);
        Ok(rows.into_iter().map(stay).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(entrance: &str, from: i64, until: Option<i64>, heads: i64) -> Span {
        Span {
            entrance: entrance.into(),
            from,
            until,
            heads,
        }
    }

    #[test]
    fn a_day_counts_arrivals_and_the_peak_inside_per_quarter_and_entrance() {
        let day = 1_800_000_000 / 86_400 * 86_400;
        let q = |n: i64| day + n * QUARTER;
        let spans = [
            // a family of 3 in at 00:05, out at 00:40
            span("main", q(0) + 300, Some(q(2) + 600), 3),
            // one person 00:20 to 00:25
            span("main", q(1) + 300, Some(q(1) + 600), 1),
            // still inside (now is 01:00), begun yesterday evening and still within the window
            span("sisters", day - 600, None, 2),
        ];
        let days = day_figures(&spans, day, q(4), 6 * 3600, 3600);
        assert_eq!(days.len(), 2);
        let main = &days[0];
        assert_eq!(main.entrance, "main");
        assert_eq!(
            main.quarters[0],
            QuarterFigures {
                arrivals: 3,
                inside: 3
            }
        );
        assert_eq!(
            main.quarters[1],
            QuarterFigures {
                arrivals: 1,
                inside: 4
            }
        );
        assert_eq!(
            main.quarters[2],
            QuarterFigures {
                arrivals: 0,
                inside: 3
            }
        );
        assert_eq!(
            main.quarters[3],
            QuarterFigures {
                arrivals: 0,
                inside: 0
            }
        );
        let sisters = &days[1];
        // arrived before the day began: inside, but no arrival today
        assert_eq!(
            sisters.quarters[0],
            QuarterFigures {
                arrivals: 0,
                inside: 2
            }
        );
        assert_eq!(sisters.quarters[4].inside, 2, "inside until now");
        assert_eq!(sisters.quarters[5].inside, 0, "the future is empty");
    }

    #[test]
    fn an_open_stay_past_the_window_counts_as_the_default_stay() {
        let day = 1_800_000_000 / 86_400 * 86_400;
        let spans = [span("main", day, None, 1)];
        let d = day_figures(&spans, day, day + 86_399, 6 * 3600, 1800);
        assert_eq!(d[0].quarters[1].inside, 1);
        assert_eq!(
            d[0].quarters[2].inside, 0,
            "ended after the 30 minute default"
        );
    }

    #[test]
    fn a_stay_ends_at_its_exit_its_auto_exit_or_the_default_only_when_none_is_known() {
        let mut s = Stay {
            seq: 1,
            sid: "a".into(),
            scanned_at: 1000,
            device_id: "k".into(),
            entrance: "main".into(),
            heads: 1,
            exited_at: None,
            exit_kind: None,
            contact: Vec::new(),
            registration: None,
            registration_contact: None,
        };
        assert_eq!(s.end(600), StayEnd::Default(1600));
        assert!(s.end(600).is_estimate());
        s.exited_at = Some(1300);
        s.exit_kind = Some(ExitKind::Scan);
        assert_eq!(s.end(600), StayEnd::Exit(1300));
        assert!(!s.end(600).is_estimate());
        s.exit_kind = Some(ExitKind::Auto);
        assert_eq!(s.end(600), StayEnd::AutoExit(1300));
        assert!(s.end(600).is_estimate());
        s.exited_at = Some(900);
        assert_eq!(
            s.end(600).at(),
            1000,
            "an exit before the entry is the entry"
        );
    }
}
