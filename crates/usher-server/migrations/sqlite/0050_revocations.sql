-- Compact passes and a visitor's own data (DESIGN §9). Tracing finds a person's registrations
-- by the blind indexes of their phone and e-mail, so those are indexed like the sign-ins'.
CREATE INDEX registrations_name_bi ON registrations (name_bi);
CREATE INDEX registrations_phone_bi ON registrations (phone_bi);
CREATE INDEX registrations_email_bi ON registrations (email_bi);

-- Passes revoked by their holders on /me (a cancelled reservation, or everything deleted).
-- Kiosks fetch them with the used feed (its second cursor is `seq`) and answer
-- `qr_not_authorized`; a revocation goes once the pass has expired (`valid_until`).
CREATE TABLE revocations (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    pass_id BLOB NOT NULL UNIQUE,
    revoked_at INTEGER NOT NULL,
    valid_until INTEGER NOT NULL
);
CREATE INDEX revocations_valid_until ON revocations (valid_until);
