-- Hardening (issue 9): server-side sessions, the integration's last applied
-- event time (replay protection that outlives the inbox purge) and the
-- aggregated count of refused webhook calls. Same SQL on both backends.

-- One row per logged-in session. The cookie carries a random session id;
-- the row holds its SHA-256, so the database never holds a usable id.
-- Logout deletes the row, `reset-admin-password` deletes every row of the
-- user: a saved cookie opens nothing afterwards.
CREATE TABLE sendcloud_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL,
    -- 'local' (a module user) or 'host' (a host token hand-over)
    source TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sendcloud_sessions_user ON sendcloud_sessions (source, username);

-- The payload timestamp (ms since the epoch) of the newest integration event
-- applied to the company: an older event is stale even when the inbox row
-- that would have deduplicated it has been purged.
ALTER TABLE sendcloud_integrations ADD COLUMN last_event_ts BIGINT;

-- Refused webhook calls (bad signature, not waiting, too old) counted per
-- company and hour instead of one action-log row each.
CREATE TABLE sendcloud_webhook_refusals (
    company_id BIGINT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    refused BIGINT NOT NULL,
    last_reason TEXT NOT NULL,
    PRIMARY KEY (company_id, window_start)
);
