-- Tokens of the old API (/api/v1.0/, DESIGN §10): SHA-256 of a 32-byte random token, found by
-- its hash (an index lookup), expiring; `source` is what the app said it was (iOS, android, web).
CREATE TABLE app_tokens (
    token_hash BYTEA PRIMARY KEY,
    admin_id BIGINT NOT NULL REFERENCES admins (id),
    source TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX app_tokens_admin ON app_tokens (admin_id);
