-- The module's own first tables (prefix sendcloud_), SQLite flavour.

-- One Sendcloud integration per company (Mandant). Keys are AES-256-GCM
-- ciphertexts; the clear secret is never stored.
CREATE TABLE sendcloud_integrations (
    id INTEGER PRIMARY KEY NOT NULL,
    company_id BIGINT NOT NULL UNIQUE REFERENCES companies(id),
    state TEXT NOT NULL DEFAULT 'disconnected',
    sendcloud_integration_id BIGINT,
    shop_name TEXT,
    system TEXT,
    public_key_enc TEXT,
    secret_key_enc TEXT,
    webhook_token TEXT NOT NULL,
    webhook_active BOOLEAN NOT NULL DEFAULT 0,
    connect_started_at TIMESTAMP,
    connected_at TIMESTAMP,
    failing_since TIMESTAMP,
    last_sync_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX sendcloud_integrations_token ON sendcloud_integrations (webhook_token);

-- Settings per company (the "Konfiguration" tab). JSON columns hold the
-- manual customer-data mapping and the Abgleich intervals per object type.
CREATE TABLE sendcloud_settings (
    company_id BIGINT PRIMARY KEY NOT NULL REFERENCES companies(id),
    auto_create_label BOOLEAN NOT NULL,
    service_point_enabled BOOLEAN NOT NULL,
    service_point_field TEXT NOT NULL,
    customs_shipment_type INTEGER NOT NULL,
    customs_origin_country TEXT NOT NULL,
    customs_hs_code TEXT NOT NULL,
    hs_code_attribute TEXT NOT NULL,
    origin_attribute TEXT NOT NULL,
    customer_mapping TEXT NOT NULL,
    manual_mapping TEXT NOT NULL,
    sync_intervals TEXT NOT NULL,
    default_shipping_method BIGINT,
    log_retention_days INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Lager konfigurieren: which Sendcloud sender address a warehouse ships from.
CREATE TABLE sendcloud_warehouse_links (
    warehouse_id BIGINT PRIMARY KEY NOT NULL REFERENCES warehouses(id),
    company_id BIGINT NOT NULL REFERENCES companies(id),
    sender_address_id BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX sendcloud_warehouse_links_company ON sendcloud_warehouse_links (company_id);

-- Users of the standalone admin UI (a mounted module gets its users from the
-- host's signed token instead). company_ids: comma list, NULL = all companies.
CREATE TABLE sendcloud_users (
    id INTEGER PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    permissions TEXT NOT NULL,
    company_ids TEXT,
    created_at TIMESTAMP NOT NULL
);
