-- Blind indexes become columns of one time-ordered index instead of three B-trees keyed by
-- HMAC output. Keys at random positions made every batch of sign-ins dirty (and write to the
-- WAL) a page per row in each of three trees; this index grows at its end, as kiosks upload
-- roughly in time order. An exact lookup reads the index entries of its time window (sign-ins
-- live 21 days by default) and never the rows of other people.
DROP INDEX signins_name_bi;
DROP INDEX signins_phone_bi;
DROP INDEX signins_email_bi;
DROP INDEX signins_scanned_at;
CREATE INDEX signins_time_bi ON signins (scanned_at, name_bi, phone_bi, email_bi);
