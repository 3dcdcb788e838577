-- Brands of each company's Sendcloud account (a snapshot: upserted by
-- Sendcloud id, marked inactive when Sendcloud no longer lists them).
-- Same SQL on both backends but for the key column.

CREATE TABLE sendcloud_brands (
    id INTEGER PRIMARY KEY NOT NULL,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    sendcloud_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    domain TEXT NOT NULL,
    website TEXT,
    color TEXT,
    screen_logo_url TEXT,
    reply_to_email TEXT,
    active BOOLEAN NOT NULL,
    synced_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, sendcloud_id)
);
