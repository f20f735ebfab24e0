-- The door (DESIGN §8). Every sign-in is the entry of a stay: the entrance it came through, its
-- head count, and whether the volunteer admitted it over capacity. An exit closes the stay:
-- `exited_at` and `exit_kind` ('scan' or 'auto', an estimate) are copied from the exit that
-- closed it, so counts and tracing read one table. NULL `exited_at`: still inside, or unknown.
ALTER TABLE signins ADD COLUMN entrance TEXT NOT NULL DEFAULT 'main';
ALTER TABLE signins ADD COLUMN heads INTEGER NOT NULL DEFAULT 1;
ALTER TABLE signins ADD COLUMN over_capacity INTEGER NOT NULL DEFAULT 0;
ALTER TABLE signins ADD COLUMN exited_at INTEGER;
ALTER TABLE signins ADD COLUMN exit_kind TEXT;
CREATE INDEX signins_open ON signins (entrance, scanned_at) WHERE exited_at IS NULL;
-- Every exit a kiosk recorded, stored once per kiosk-made id (`xid`), as sign-ins are by `sid`.
-- `closes` is the sid of the sign-in it ended (it may arrive before that sign-in does); NULL for
-- an exit with no open stay known to the kiosk.
CREATE TABLE exits (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    xid TEXT NOT NULL UNIQUE,
    pass_id BLOB NOT NULL,
    at INTEGER NOT NULL,
    device_id TEXT NOT NULL,
    device_ref INTEGER NOT NULL,
    entrance TEXT NOT NULL,
    closes TEXT,
    kind TEXT NOT NULL,
    received_at INTEGER NOT NULL
);
CREATE INDEX exits_closes ON exits (closes);
CREATE INDEX exits_at ON exits (at);
