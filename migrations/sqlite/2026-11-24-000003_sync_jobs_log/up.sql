-- Synced Sendcloud objects (small lists: snapshots per company), the
-- Abgleich's runs and cursors, the job queue, the action log and the record
-- of orders pushed to Sendcloud. SQLite flavour.

CREATE TABLE sendcloud_sender_addresses (
    id INTEGER PRIMARY KEY NOT NULL,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    sendcloud_id BIGINT NOT NULL,
    company_name TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    email TEXT NOT NULL,
    telephone TEXT NOT NULL,
    street TEXT NOT NULL,
    house_number TEXT NOT NULL,
    postal_box TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    city TEXT NOT NULL,
    country TEXT NOT NULL,
    country_state TEXT,
    vat_number TEXT NOT NULL,
    eori_number TEXT NOT NULL,
    brand_id BIGINT,
    label TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    synced_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, sendcloud_id)
);

CREATE TABLE sendcloud_shipping_methods (
    id INTEGER PRIMARY KEY NOT NULL,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    sendcloud_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    carrier TEXT NOT NULL,
    min_weight TEXT NOT NULL,
    max_weight TEXT NOT NULL,
    service_point_input TEXT NOT NULL,
    -- JSON array: [{"iso_2": "DE", "price": "4.95", "lead_time_hours": 24}, ...]
    countries TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    synced_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, sendcloud_id)
);

CREATE TABLE sendcloud_carriers (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    code TEXT NOT NULL,
    methods INTEGER NOT NULL,
    active BOOLEAN NOT NULL,
    synced_at TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, code)
);

CREATE TABLE sendcloud_parcel_statuses (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    status_id BIGINT NOT NULL,
    message TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    synced_at TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, status_id)
);

-- One row per Abgleich run: who started it, what it covered, what happened.
CREATE TABLE sendcloud_sync_runs (
    id INTEGER PRIMARY KEY NOT NULL,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    trigger TEXT NOT NULL,
    objects TEXT NOT NULL,
    state TEXT NOT NULL,
    current_object TEXT,
    fetched INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX sendcloud_sync_runs_company ON sendcloud_sync_runs (company_id, id);

-- Incremental sync position per company and object type.
CREATE TABLE sendcloud_sync_cursors (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    object TEXT NOT NULL,
    cursor TEXT,
    high_water TIMESTAMP,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, object)
);

-- The job queue: claimed with a lease, retried with backoff, deduplicated
-- while queued or running, survives restarts.
CREATE TABLE sendcloud_jobs (
    id INTEGER PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    company_id BIGINT REFERENCES companies(id),
    payload TEXT NOT NULL,
    dedupe_key TEXT,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_after TIMESTAMP NOT NULL,
    locked_by TEXT,
    locked_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX sendcloud_jobs_due ON sendcloud_jobs (state, run_after);
CREATE UNIQUE INDEX sendcloud_jobs_dedupe ON sendcloud_jobs (dedupe_key)
    WHERE dedupe_key IS NOT NULL AND state IN ('queued', 'running');

-- Aktions-Logging: every call to and from Sendcloud and every change of
-- settings, per company. Never holds a secret.
CREATE TABLE sendcloud_action_log (
    id INTEGER PRIMARY KEY NOT NULL,
    company_id BIGINT REFERENCES companies(id),
    at TIMESTAMP NOT NULL,
    direction TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    result TEXT NOT NULL,
    status_code INTEGER,
    message TEXT NOT NULL,
    user_name TEXT
);
CREATE INDEX sendcloud_action_log_company ON sendcloud_action_log (company_id, at);

-- Orders pushed to Sendcloud's v3 Orders API (upsert by our order id).
CREATE TABLE sendcloud_order_pushes (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    order_id BIGINT NOT NULL REFERENCES sales_orders(id),
    sendcloud_order_id BIGINT,
    order_updated_at TIMESTAMP NOT NULL,
    pushed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, order_id)
);
