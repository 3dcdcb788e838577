-- The webhook inbox: every signed event Sendcloud sends about a company's
-- parcels, returns and integration, stored on receipt (before the 200) so
-- nothing acknowledged is lost, deduplicated, and processed later in the
-- order of the payload's timestamp. `integration_credentials` is never
-- stored (its body holds the secret key). SQLite flavour.

CREATE TABLE sendcloud_webhook_inbox (
    id INTEGER PRIMARY KEY NOT NULL,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    action TEXT NOT NULL,
    -- parcel id (parcel_status_changed), return id (return_created),
    -- integration id (integration_*): what staleness is judged per.
    object_id BIGINT,
    -- the payload's `timestamp` (milliseconds since the epoch)
    event_ts BIGINT,
    dedupe_key TEXT NOT NULL,
    body TEXT NOT NULL,
    -- pending, done, stale (an event for the same object with a newer
    -- timestamp was processed first), failed
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    received_at TIMESTAMP NOT NULL,
    processed_at TIMESTAMP,
    UNIQUE (company_id, dedupe_key)
);
CREATE INDEX sendcloud_webhook_inbox_pending
    ON sendcloud_webhook_inbox (company_id, state, event_ts);
