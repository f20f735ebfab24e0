-- The head-count tally (DESIGN §8): each press of a kiosk's `+1` or `-1` for a person
-- counted without any record (a child, staff), stored once per kiosk-made id (`tid`). Inside
-- now and the roll call show the net of the presses within the stay window as "uncounted by
-- name". No pass, no contact data.
CREATE TABLE tallies (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    tid TEXT NOT NULL UNIQUE,
    device_id TEXT NOT NULL,
    device_ref INTEGER NOT NULL,
    entrance TEXT NOT NULL,
    at INTEGER NOT NULL,
    delta INTEGER NOT NULL,
    received_at INTEGER NOT NULL
);
CREATE INDEX tallies_at ON tallies (at);
