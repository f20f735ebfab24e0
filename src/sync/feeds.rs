//! The server's feeds. Cursor-paged, each page kept in the ledger before the cursor moves past
//! it: passes used at other kiosks ([`UsedPage`], so `once` holds across the venue, with the
//! passes their holders revoked, refused as `qr_not_authorized`) and the
//! venue's double uses ([`DoubleUsesPage`], shown by every kiosk involved). And presence
//! ([`Presence`], one answer replacing the last): the other kiosks' open stays and counts (so
//! an exit here closes a stay begun elsewhere, and an offline kiosk counts from the last
//! figure plus its own changes), this kiosk's stays closed elsewhere, and its place lease.

use super::{Reply, Syncer, Transport, TransportError};
use crate::ledger::{LedgerError, PresenceSnapshot, RemoteUse, SqliteLedger};
use usher_core::lease::PlaceLease;
use usher_core::wire::{DoubleUsesPage, Presence, PresenceQuery, UsedPage};
use usher_core::{Entrance, EntryId, FirstUse, InsideNow, OpenStay, PartySize, PassId};

impl<T: Transport> Syncer<T> {
    /// Reads a cursor-paged server feed from where it was left (`cursor_key` in the ledger)
    /// to its end, storing each page in the ledger before moving the cursor past it.
    pub(super) fn fetch_feed<P: Page>(
        &mut self,
        cursor_key: &str,
        fetch: impl Fn(&mut T, Option<&str>) -> Result<Reply<P>, TransportError>,
    ) -> Result<Result<(), TransportError>, LedgerError> {
        loop {
            let cursor = self.ledger.sync_value(cursor_key)?;
            let reply = match fetch(&mut self.transport, cursor.as_deref()) {
                Ok(reply) => reply,
                Err(e) => return Ok(Err(e)),
            };
            self.saw_server_time(reply.server_time)?;
            reply.body.store(&mut self.ledger)?;
            let advanced = cursor.as_deref() != Some(reply.body.next());
            if advanced {
                self.ledger.set_sync_value(cursor_key, reply.body.next())?;
            }
            if reply.body.is_empty() || !advanced {
                return Ok(Ok(()));
            }
        }
    }
}

impl<T: Transport> Syncer<T> {
    /// Fetches presence, telling the server this kiosk's entrance, lease, heads inside and
    /// demand, and keeps the answer in the ledger (with `presence_fetched_at`).
    pub(super) fn fetch_presence(&mut self) -> Result<Result<(), TransportError>, LedgerError> {
        let now = self.clock.now().unix;
        let report = self.ledger.presence_report(now)?;
        let query = PresenceQuery {
            entrance: self.entrance.to_string(),
            held: report.report.held,
            inside: report.report.inside,
            demand: report.report.demand,
        };
        let reply = match self.transport.presence(&query) {
            Ok(reply) => reply,
            Err(e) => return Ok(Err(e)),
        };
        self.saw_server_time(reply.server_time)?;
        self.ledger
            .store_presence(&snapshot_of(&reply.body, now), &report)?;
        Ok(Ok(()))
    }
}

/// A presence answer as the ledger keeps it: rows that do not parse (an entrance name this
/// kiosk would refuse, a head count out of range) are left out, never fatal; the lease's end
/// is moved to this kiosk's clock (its distance from the server's time), so a clock that is
/// off does not stretch or cut it.
pub(super) fn snapshot_of(p: &Presence, now: i64) -> PresenceSnapshot {
    let mut others_inside = InsideNow::new();
    let mut others_tallied = InsideNow::new();
    for e in &p.entrances {
        if let Ok(entrance) = e.entrance.parse::<Entrance>() {
            others_inside.add(&entrance, e.others);
            others_tallied.add(&entrance, e.tallied_others);
        }
    }
    PresenceSnapshot {
        fetched_at: now,
        others: p
            .others
            .iter()
            .filter_map(|s| {
                Some(OpenStay {
                    entry: EntryId(s.entry_id.clone()),
                    pass_id: PassId::from_hex(&s.pass_id)?,
                    entrance: s.entrance.parse().ok()?,
                    since: s.since,
                    heads: PartySize::new(u64::from(s.heads))?,
                    device_id: s.device_id.clone(),
                })
            })
            .collect(),
        others_inside,
        others_tallied,
        closed_elsewhere: p
            .closed_elsewhere
            .iter()
            .map(|c| (EntryId(c.entry_id.clone()), c.at, c.kind))
            .collect(),
        lease: p.lease.map(|l| PlaceLease {
            places: l.places,
            expires_at: now.saturating_add(l.expires_at.saturating_sub(p.server_time)),
        }),
    }
}

/// A page of a cursor-paged feed from the server.
pub(super) trait Page {
    /// The cursor after this page.
    fn next(&self) -> &str;
    /// Whether the page holds nothing (the feed's end).
    fn is_empty(&self) -> bool;
    /// Keeps what the page says in the ledger (idempotently: a page may come twice).
    fn store(&self, ledger: &mut SqliteLedger) -> Result<(), LedgerError>;
}

/// Passes used at other kiosks (they make `once` hold across the venue) and passes revoked.
impl Page for UsedPage {
    fn next(&self) -> &str {
        &self.next
    }

    fn is_empty(&self) -> bool {
        self.used.is_empty() && self.withdrawn.is_empty() && self.revoked.is_empty()
    }

    /// The revocations, the uses, then the withdrawals (a use voided after it was listed goes).
    fn store(&self, ledger: &mut SqliteLedger) -> Result<(), LedgerError> {
        let revoked: Vec<(PassId, i64)> = self
            .revoked
            .iter()
            .filter_map(|r| Some((PassId::from_hex(&r.pass_id)?, r.valid_until)))
            .collect();
        ledger.add_revocations(&revoked)?;
        let remote = |uses: &[usher_core::wire::Use]| -> Vec<RemoteUse> {
            uses.iter()
                .filter_map(|u| {
                    Some(RemoteUse {
                        pass_id: PassId::from_hex(&u.pass_id)?,
                        first_at: u.first_at,
                        device_id: u.device_id.clone(),
                        valid_until: u.valid_until,
                    })
                })
                .collect()
        };
        ledger.add_remote_uses(&remote(&self.used))?;
        ledger
            .withdraw_remote_uses(&remote(&self.withdrawn))
            .map(drop)
    }
}

/// The venue's double uses: every kiosk involved (the first one too) shows them.
impl Page for DoubleUsesPage {
    fn next(&self) -> &str {
        &self.next
    }

    fn is_empty(&self) -> bool {
        self.double_uses.is_empty()
    }

    fn store(&self, ledger: &mut SqliteLedger) -> Result<(), LedgerError> {
        let reported: Vec<_> = self
            .double_uses
            .iter()
            .filter_map(|d| {
                let first = FirstUse {
                    at: d.first_at,
                    device_id: d.first_device_id.clone(),
                };
                let later = FirstUse {
                    at: d.at,
                    device_id: d.device_id.clone(),
                };
                Some((PassId::from_hex(&d.pass_id)?, first, later))
            })
            .collect();
        ledger.add_reported_double_uses(&reported).map(drop)
    }
}
