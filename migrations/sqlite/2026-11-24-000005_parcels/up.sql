-- Parcels of each company's Sendcloud account, kept current by the
-- incremental Abgleich (GET /parcels?updated_after=…, cursor saved per page in
-- sendcloud_sync_cursors) and by parcel_status_changed webhooks. SQLite flavour.

CREATE TABLE sendcloud_parcels (
    id INTEGER PRIMARY KEY NOT NULL,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    sendcloud_id BIGINT NOT NULL,
    external_reference TEXT,
    order_number TEXT NOT NULL,
    name TEXT NOT NULL,
    company_name TEXT NOT NULL,
    city TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    country TEXT NOT NULL,
    tracking_number TEXT NOT NULL,
    tracking_url TEXT,
    carrier TEXT,
    shipping_method_id BIGINT,
    shipping_method_name TEXT,
    status_id BIGINT,
    status_message TEXT NOT NULL,
    weight TEXT,
    is_return BOOLEAN NOT NULL,
    -- as Sendcloud states them (its panel's wall-clock time)
    date_created TIMESTAMP,
    date_updated TIMESTAMP,
    date_announced TIMESTAMP,
    -- what time (ms since the epoch) the stored state is from: the payload
    -- timestamp of the status webhook, or when the Abgleich fetched it; older
    -- news (a late webhook) does not overwrite newer
    as_of_ms BIGINT NOT NULL,
    synced_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, sendcloud_id)
);
CREATE INDEX sendcloud_parcels_reference ON sendcloud_parcels (company_id, external_reference);
CREATE INDEX sendcloud_parcels_order ON sendcloud_parcels (company_id, order_number);
