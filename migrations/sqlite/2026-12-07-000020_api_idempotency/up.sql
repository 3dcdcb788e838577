-- The plugin API's idempotency keys (issue 12): the first answer to a POST
-- that created something, per caller and `Idempotency-Key`, replayed for a
-- repeated request; `fingerprint` (SHA-256 of method, path and the parsed
-- body as JSON) tells a repeat from a different request under the same key.
-- Written in the transaction that did the work, so a refused or failed
-- request leaves nothing. Same SQL on both backends.
CREATE TABLE sendcloud_idempotency_keys (
    caller TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (caller, idem_key)
);
CREATE INDEX sendcloud_idempotency_keys_created ON sendcloud_idempotency_keys (created_at);
