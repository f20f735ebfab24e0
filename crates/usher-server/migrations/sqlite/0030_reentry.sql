-- A re-entry (DESIGN §8): a stay of a pass already used, after an exit (back in the same day
-- under `daily` or `interval`). Stored as a sign-in, so Inside now, the roll call and the exit
-- that closes it see it, but it is no use of the pass: it records no first use in `passes`
-- and never a double use.
ALTER TABLE signins ADD COLUMN reentry INTEGER NOT NULL DEFAULT 0;
