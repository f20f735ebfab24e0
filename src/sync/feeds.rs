//! The server's cursor-paged feeds, each page kept in the ledger before the cursor moves past
//! it: passes used at other kiosks ([`UsedPage`], so `once` holds across the venue) and the
//! venue's double uses ([`DoubleUsesPage`], shown by every kiosk involved).

use super::{Reply, Syncer, Transport, TransportError};
use crate::ledger::{LedgerError, RemoteUse, SqliteLedger};
use usher_core::wire::{DoubleUsesPage, UsedPage};
use usher_core::{FirstUse, PassId};

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

/// A page of a cursor-paged feed from the server.
pub(super) trait Page {
    /// The cursor after this page.
    fn next(&self) -> &str;
    /// Whether the page holds nothing (the feed's end).
    fn is_empty(&self) -> bool;
    /// Keeps what the page says in the ledger (idempotently: a page may come twice).
    fn store(&self, ledger: &mut SqliteLedger) -> Result<(), LedgerError>;
}

/// Passes used at other kiosks: they make `once` hold across the venue.
impl Page for UsedPage {
    fn next(&self) -> &str {
        &self.next
    }

    fn is_empty(&self) -> bool {
        self.used.is_empty()
    }

    fn store(&self, ledger: &mut SqliteLedger) -> Result<(), LedgerError> {
        let uses: Vec<RemoteUse> = self
            .used
            .iter()
            .filter_map(|u| {
                Some(RemoteUse {
                    pass_id: PassId::from_hex(&u.pass_id)?,
                    first_at: u.first_at,
                    device_id: u.device_id.clone(),
                    valid_until: u.valid_until,
                })
            })
            .collect();
        ledger.add_remote_uses(&uses).map(drop)
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
