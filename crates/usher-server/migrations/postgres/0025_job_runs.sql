-- The last run of each periodic job (the retention purge), shared by every usher-server
-- process on this database: a process runs a job only when it claims its row (one statement:
-- the last start is old enough), so several processes behind a load balancer purge once an
-- hour between them, and the status page shows when it last ran and what it did.
CREATE TABLE job_runs (
    job TEXT PRIMARY KEY,
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    detail TEXT NOT NULL DEFAULT ''
);
