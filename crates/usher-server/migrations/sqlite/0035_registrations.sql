-- Registrations (DESIGN §9): what the server keeps for a pass it issued, so the pass itself
-- carries only the display name (s1), `r` (this table's id), `p`, `expiry` and the nonce.
-- A registration with an `event_id` is a reservation: its `party` places are booked at its
-- `entrance` of that event. Phone and e-mail live only in `contact`, sealed like
-- signins.contact, with the same blind indexes. Kept while the pass is valid (`valid_until`),
-- then purged like sign-ins, never inside the retention window of a sign-in that names it.
CREATE TABLE registrations (
    id TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    valid_until INTEGER NOT NULL,
    pass_id BLOB NOT NULL,
    contact BLOB NOT NULL,
    name_bi BLOB,
    phone_bi BLOB,
    email_bi BLOB,
    party INTEGER NOT NULL DEFAULT 1,
    event_id TEXT,
    entrance TEXT,
    -- Cancelled by the visitor or deleted with their data: the pass is revoked.
    cancelled_at INTEGER
);
CREATE INDEX registrations_event ON registrations (event_id, entrance);
CREATE INDEX registrations_valid_until ON registrations (valid_until);
CREATE INDEX registrations_pass_id ON registrations (pass_id);

-- The registration a kiosk's sign-in was for (the pass's `r`), joined for tracing and exports.
ALTER TABLE signins ADD COLUMN registration TEXT;
CREATE INDEX signins_registration ON signins (registration);
