-- The volunteer's undo (DESIGN §8). A void names one sign-in (`sid`) of the kiosk that
-- uploads it, and may arrive before that sign-in does. Once the sign-in is stored
-- (`applied_at`), it leaves `signins`, and with it the counts, Inside now, the roll call and
-- tracing; this row is the audited record of what was voided (when it was scanned, where, for
-- how many), without contact data, beside a line in `audit_log`.
CREATE TABLE voids (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    vid TEXT NOT NULL UNIQUE,
    sid TEXT NOT NULL,
    device_id TEXT NOT NULL,
    device_ref INTEGER NOT NULL,
    voided_at INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    applied_at INTEGER,
    pass_id BLOB,
    scanned_at INTEGER,
    entrance TEXT,
    heads INTEGER,
    first_use INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX voids_sid ON voids (sid);
CREATE INDEX voids_pending ON voids (sid) WHERE applied_at IS NULL;
-- First uses of passes withdrawn by a void, in order: the used feed tells the other kiosks to
-- forget them, so a `once` pass works again everywhere.
CREATE TABLE withdrawn_uses (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    pass_id BLOB NOT NULL,
    first_at INTEGER NOT NULL,
    device_id TEXT NOT NULL,
    device_ref INTEGER NOT NULL,
    at INTEGER NOT NULL
);
