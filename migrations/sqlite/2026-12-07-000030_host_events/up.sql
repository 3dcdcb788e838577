-- Host events (issue 12 item 4) and the scheduled order push (item 5).

-- Where the host hears of what changed, per company: its URL and the
-- secret the bodies are signed with (sealed with the master key; NULL:
-- signed with the host token secret, as the notification webhook is).
CREATE TABLE sendcloud_event_hooks (
    company_id BIGINT PRIMARY KEY NOT NULL REFERENCES companies(id),
    url TEXT NOT NULL,
    secret_sealed TEXT,
    updated_at TIMESTAMP NOT NULL
);

-- The outbox: one row per event for the host, written in the transaction
-- of the change that causes it. Delivered in id order per delivery by the
-- events.deliver job; retried with backoff; parked after too many attempts.
CREATE TABLE sendcloud_outbox (
    id INTEGER PRIMARY KEY NOT NULL,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    delivery_id BIGINT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    last_status INTEGER,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    delivered_at TIMESTAMP
);
CREATE UNIQUE INDEX sendcloud_outbox_event_id ON sendcloud_outbox (event_id);
CREATE INDEX sendcloud_outbox_due ON sendcloud_outbox (company_id, state, next_attempt_at);

-- Scheduled order push: on/off, interval, what holds an order back.
ALTER TABLE sendcloud_settings ADD COLUMN order_push_enabled BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE sendcloud_settings ADD COLUMN order_push_interval INTEGER NOT NULL DEFAULT 5;
ALTER TABLE sendcloud_settings ADD COLUMN order_hold_field TEXT NOT NULL DEFAULT 'none';
ALTER TABLE sendcloud_settings ADD COLUMN order_hold_marker TEXT NOT NULL DEFAULT '';

-- The scheduled push's high-water mark: orders changed at or after it are
-- looked at by the next scheduled push.
CREATE TABLE sendcloud_order_push_marks (
    company_id BIGINT PRIMARY KEY NOT NULL REFERENCES companies(id),
    high_water TIMESTAMP NOT NULL,
    last_run_at TIMESTAMP NOT NULL
);
