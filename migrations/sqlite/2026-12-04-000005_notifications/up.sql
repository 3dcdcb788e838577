-- Readable errors, live progress and notifications (issue 10 items 6-8).
-- Same SQL on both backends.

-- A run's outcome as facts: `error` holds the stable problem code of the
-- first object that failed (`rate_limited`, `keys_refused`, ...), these
-- columns which object it was and Sendcloud's own detail; `progress` is a
-- JSON list with one entry per object of the run (state, counts, problem).
-- `request_key` is the plugin API's Idempotency-Key.
ALTER TABLE sendcloud_sync_runs ADD COLUMN error_object TEXT;
ALTER TABLE sendcloud_sync_runs ADD COLUMN error_detail TEXT;
ALTER TABLE sendcloud_sync_runs ADD COLUMN progress TEXT;
ALTER TABLE sendcloud_sync_runs ADD COLUMN request_key TEXT;
CREATE UNIQUE INDEX sendcloud_sync_runs_request_key
    ON sendcloud_sync_runs (company_id, request_key) WHERE request_key IS NOT NULL;

-- Who hears of failures, per company (defaults for the thresholds in
-- plugin.toml [notifications]).
CREATE TABLE sendcloud_notify_settings (
    company_id BIGINT PRIMARY KEY NOT NULL REFERENCES companies(id),
    email TEXT,
    webhook_url TEXT,
    after_failed_runs INTEGER NOT NULL,
    after_hours INTEGER NOT NULL,
    language TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- One row per incident (a failure that lasts): opened at the first failure,
-- `notified_at` once the person was told, `resolved_at` at the recovery,
-- `all_clear_at` once the all-clear went out. At most one open incident per
-- company and kind, so a restart or a second instance never tells twice.
CREATE TABLE sendcloud_incidents (
    id INTEGER PRIMARY KEY NOT NULL,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    kind TEXT NOT NULL,
    opened_at TIMESTAMP NOT NULL,
    failures INTEGER NOT NULL,
    last_failure_at TIMESTAMP NOT NULL,
    problem TEXT NOT NULL,
    subject TEXT,
    notified_at TIMESTAMP,
    resolved_at TIMESTAMP,
    all_clear_at TIMESTAMP
);
CREATE UNIQUE INDEX sendcloud_incidents_open
    ON sendcloud_incidents (company_id, kind) WHERE resolved_at IS NULL;
