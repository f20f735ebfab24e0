-- Team members (DESIGN §9): every admin row is a member with a role ('admin', 'tracer' or
-- 'viewer'); existing admins stay admins. A disabled member cannot log in and has no sessions.
-- Invitation and reset links are recovery codes (recovery_codes, hashed, single use).
ALTER TABLE admins ADD COLUMN role TEXT NOT NULL DEFAULT 'admin';
ALTER TABLE admins ADD COLUMN disabled_at INTEGER;
