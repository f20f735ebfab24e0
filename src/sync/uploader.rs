//! The outbox loop: uploads every sign-in and exit due, in batches (sign-ins first, exits
//! filling the rest), until none is left or a request fails; rows the server stored (or knew)
//! are marked uploaded, rows it refused for good are
//! parked with a reason that names no value ([`usher_core::wire::kept_reason`]), and a batch
//! refused whole is retried one by one to find the bad row.

use super::{BATCH, LAST_UPLOAD_KEY, Syncer, Transport, TransportError};
use crate::ledger::LedgerError;
use usher_core::wire::kept_reason;

impl<T: Transport> Syncer<T> {
    /// Uploads batches until the outbox is empty or a request fails.
    pub(super) fn upload_all(&mut self) -> Result<Result<(), TransportError>, LedgerError> {
        loop {
            let batch = self.ledger.upload_batch(self.batch)?;
            if batch.is_empty() {
                self.batch = BATCH;
                return Ok(Ok(()));
            }
            let ids = batch.ids();
            match self.transport.upload(&batch) {
                Ok(reply) => {
                    self.saw_server_time(reply.server_time)?;
                    let body = reply.body;
                    let done: Vec<String> = body.stored.into_iter().chain(body.known).collect();
                    let now = self.clock.now().unix;
                    self.ledger.mark_uploaded(&done, now)?;
                    for refusal in &body.refused {
                        tracing::warn!(id = %refusal.id, "server refused a row for good: {}", kept_reason(&refusal.reason));
                        self.ledger
                            .park(&refusal.id, &kept_reason(&refusal.reason))?;
                    }
                    if !done.is_empty() {
                        self.ledger
                            .set_sync_value(LAST_UPLOAD_KEY, &now.to_string())?;
                    }
                    let answered = done.len() + body.refused.len();
                    if answered < ids.len() {
                        // The server skipped some rows: count the try; they go again next round.
                        self.ledger.count_attempt(&ids)?;
                        if answered == 0 {
                            return Ok(Err(TransportError::BadReply(
                                "the server answered for no sign-in or exit".into(),
                            )));
                        }
                    }
                }
                Err(e) if e.is_refusal_of_content() && ids.len() > 1 => {
                    // Something in the batch is unacceptable: go one by one to find it.
                    self.batch = 1;
                }
                Err(e) if e.is_refusal_of_content() => {
                    let reason = match &e {
                        TransportError::Status { reason, .. } => reason.clone(),
                        other => other.to_string(),
                    };
                    self.ledger.park(&ids[0], &kept_reason(&reason))?;
                    // Found it: the rest goes in full batches again.
                    self.batch = BATCH;
                }
                Err(e) => {
                    self.ledger.count_attempt(&ids)?;
                    return Ok(Err(e));
                }
            }
        }
    }
}
