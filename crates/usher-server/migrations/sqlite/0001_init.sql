-- Usher server schema, SQLite. Contact data lives only in signins.contact (sealed) and the
-- blind indexes; the keys for both are files outside the database.
CREATE TABLE devices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER,
    last_seen_at INTEGER
);

CREATE TABLE signins (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    sid TEXT NOT NULL UNIQUE,
    pass_id BLOB NOT NULL,
    scanned_at INTEGER NOT NULL,
    device_id TEXT NOT NULL,
    device_ref INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    contact BLOB NOT NULL,
    name_bi BLOB,
    phone_bi BLOB,
    email_bi BLOB
);
CREATE INDEX signins_scanned_at ON signins (scanned_at);
CREATE INDEX signins_name_bi ON signins (name_bi);
CREATE INDEX signins_phone_bi ON signins (phone_bi);
CREATE INDEX signins_email_bi ON signins (email_bi);

CREATE TABLE passes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    pass_id BLOB NOT NULL UNIQUE,
    first_at INTEGER NOT NULL,
    device_id TEXT NOT NULL,
    device_ref INTEGER NOT NULL
);
CREATE INDEX passes_first_at ON passes (first_at);

CREATE TABLE double_uses (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    sid TEXT NOT NULL UNIQUE,
    pass_id BLOB NOT NULL,
    first_at INTEGER NOT NULL,
    first_device_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    device_id TEXT NOT NULL
);

CREATE TABLE admins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    created_at INTEGER NOT NULL
);

CREATE TABLE recovery_codes (
    code_hash BLOB PRIMARY KEY,
    admin_id INTEGER NOT NULL REFERENCES admins (id),
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);

CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    admin_id INTEGER NOT NULL REFERENCES admins (id),
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    admin_id INTEGER,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
