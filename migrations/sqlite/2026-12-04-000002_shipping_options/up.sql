-- Shipping options of each company's Sendcloud account, read from v3
-- `POST /shipping-options` (a snapshot: upserted by option code, marked
-- inactive when Sendcloud no longer lists them), and the link from the v2
-- shipping method ids (what orders and the settings' default carry) to an
-- option code: Sendcloud's answer from v3 `POST /compat/shipping-options`
-- and the option staff picked where Sendcloud has none.
-- Same SQL on both backends but for the key and decimal columns.

CREATE TABLE sendcloud_shipping_options (
    id INTEGER PRIMARY KEY NOT NULL,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    carrier_code TEXT NOT NULL,
    carrier_name TEXT NOT NULL,
    product_code TEXT NOT NULL,
    product_name TEXT NOT NULL,
    -- The option's `functionalities` object as JSON.
    functionalities TEXT NOT NULL,
    min_weight TEXT,
    max_weight TEXT,
    -- `kg`, `g`, `lbs` or `oz`, as Sendcloud publishes it.
    weight_unit TEXT,
    max_length TEXT,
    max_width TEXT,
    max_height TEXT,
    dimension_unit TEXT,
    -- JSON lists of ISO-2 codes; NULL where nothing is published.
    from_countries TEXT,
    to_countries TEXT,
    service_point_required BOOLEAN NOT NULL,
    export_documents BOOLEAN NOT NULL,
    -- JSON list of `requirements.fields` (to_email, to_telephone, …).
    required_fields TEXT NOT NULL,
    contract_id BIGINT,
    contract_name TEXT,
    -- A v2 shipping method Sendcloud maps to this option (the lowest id).
    v2_method_id BIGINT,
    active BOOLEAN NOT NULL,
    synced_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, code)
);

CREATE TABLE sendcloud_method_options (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    method_id BIGINT NOT NULL,
    -- Sendcloud's option code for the method; NULL: it has none.
    compat_code TEXT,
    compat_checked_at TIMESTAMP,
    -- The option staff picked (overrides compat_code).
    manual_code TEXT,
    manual_by TEXT,
    manual_at TIMESTAMP,
    PRIMARY KEY (company_id, method_id)
);
