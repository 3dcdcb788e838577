-- Labels for goods deliveries (v3 shipments announced through
-- POST /v3/shipments/announce): one row per delivery, written BEFORE the
-- paid request goes out (external_reference_id derived from company and
-- delivery, unique), so a retry or a second click adopts the existing
-- shipment instead of creating another. Failed pre-flight checks and
-- Sendcloud's refusals are kept as facts (codes + fields) in `problems`.
-- SQLite flavour.

CREATE TABLE sendcloud_labels (
    id INTEGER PRIMARY KEY NOT NULL,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    delivery_id BIGINT NOT NULL REFERENCES deliveries(id),
    external_reference_id TEXT NOT NULL UNIQUE,
    order_number TEXT NOT NULL,
    -- pending (reserved, request may be under way), created, failed,
    -- cancel_requested, cancelled
    state TEXT NOT NULL,
    shipment_id TEXT,
    parcel_id BIGINT,
    tracking_number TEXT,
    tracking_url TEXT,
    carrier TEXT,
    option_code TEXT,
    -- the parcel's status: v2 id (webhooks, v2 lists) and/or v3 code
    status_id BIGINT,
    status_code TEXT,
    status_message TEXT,
    -- JSON list of {source, code, field, detail}: our pre-flight fix-list
    -- (codes, rendered per language) or Sendcloud's field messages
    problems TEXT NOT NULL,
    -- cancel outcome as a code: cancelled, queued, too_late, delivered,
    -- already_cancelled, not_found, failed
    cancel_outcome TEXT,
    test_mode BOOLEAN NOT NULL,
    attempts INTEGER NOT NULL,
    -- what time (ms since the epoch) the stored status is from; older news
    -- never overwrites newer (the rule of sendcloud_parcels)
    as_of_ms BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, delivery_id)
);
CREATE INDEX sendcloud_labels_state ON sendcloud_labels (company_id, state, id);
CREATE INDEX sendcloud_labels_parcel ON sendcloud_labels (company_id, parcel_id);
CREATE INDEX sendcloud_labels_order ON sendcloud_labels (company_id, order_number);

-- The tracking history of a label's parcel (one row per status seen).
CREATE TABLE sendcloud_label_events (
    id INTEGER PRIMARY KEY NOT NULL,
    label_id BIGINT NOT NULL REFERENCES sendcloud_labels(id) ON DELETE CASCADE,
    status_id BIGINT,
    status_code TEXT,
    message TEXT NOT NULL,
    as_of_ms BIGINT NOT NULL,
    UNIQUE (label_id, as_of_ms, message)
);

-- Per company: test mode (every label created is cancelled at once) and
-- how far the auto-label sweep has looked at the host's deliveries.
CREATE TABLE sendcloud_label_settings (
    company_id BIGINT PRIMARY KEY NOT NULL REFERENCES companies(id),
    test_mode BOOLEAN NOT NULL,
    swept_until TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
