-- Returns and invoices of each company's Sendcloud account, and what the
-- parcel Abgleich needs from v3 shipments. SQLite flavour.
--
-- sendcloud_returns: read incrementally from v3 `GET /returns` (from_date /
-- to_date, cursor; position in sendcloud_sync_cursors `returns`) and from
-- `return_created` webhooks. A v3 return carries no outgoing parcel id: the
-- link to the outgoing parcel (and through it to the host's delivery) is
-- found by order number / the webhook's parcel id and stored here.
CREATE TABLE sendcloud_returns (
    id INTEGER PRIMARY KEY NOT NULL,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    sendcloud_id BIGINT NOT NULL,
    -- v3 `status` (open, requested, request_rejected, awaiting_payment, payment_failed)
    status TEXT,
    -- the latest `status_history[].parent_status` (the return parcel's state)
    parcel_status TEXT,
    order_number TEXT NOT NULL,
    tracking_number TEXT,
    tracking_url TEXT,
    -- carrier code (the part of the shipping product code before ':')
    carrier TEXT,
    shipping_product_code TEXT,
    shipping_option_code TEXT,
    reason_id BIGINT,
    reason TEXT,
    refund_type TEXT,
    return_fee TEXT,
    return_fee_currency TEXT,
    label_cost TEXT,
    label_currency TEXT,
    from_name TEXT,
    from_country TEXT,
    brand_id BIGINT,
    -- Sendcloud parcel ids (outgoing = the parcel sent to the customer)
    outgoing_parcel_id BIGINT,
    incoming_parcel_id BIGINT,
    -- the host's delivery (deliveries.id) the outgoing parcel belongs to
    delivery_id BIGINT,
    -- as Sendcloud states them
    created_at TIMESTAMP,
    delivered_at TIMESTAMP,
    -- the answer as received (JSON), for the detail view
    raw TEXT,
    -- what time (ms since the epoch) the stored state is from (webhook
    -- payload time or when the Abgleich asked); older news never overwrites newer
    as_of_ms BIGINT NOT NULL,
    synced_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, sendcloud_id)
);
CREATE INDEX sendcloud_returns_created ON sendcloud_returns (company_id, created_at);
CREATE INDEX sendcloud_returns_order ON sendcloud_returns (company_id, order_number);
CREATE INDEX sendcloud_returns_outgoing ON sendcloud_returns (company_id, outgoing_parcel_id);

-- sendcloud_invoices: Sendcloud's invoices to the account. v3 publishes no
-- invoices to us, so these come from v2 `GET /user/invoices` (+ detail).
CREATE TABLE sendcloud_invoices (
    id INTEGER PRIMARY KEY NOT NULL,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    sendcloud_id BIGINT NOT NULL,
    -- e.g. EU-CENTRAL-1-0-22-NL0063503
    reference TEXT NOT NULL,
    -- periodic | forced | initial_payment | other | unblock_payment
    kind TEXT NOT NULL,
    price_incl TEXT NOT NULL,
    price_excl TEXT NOT NULL,
    -- v2 states no currency; NULL unless Sendcloud sends one
    currency TEXT,
    is_paid BOOLEAN NOT NULL,
    invoice_date TIMESTAMP,
    item_count BIGINT NOT NULL,
    raw TEXT,
    as_of_ms BIGINT NOT NULL,
    synced_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, sendcloud_id)
);
CREATE INDEX sendcloud_invoices_date ON sendcloud_invoices (company_id, invoice_date);

-- sendcloud_invoice_items: the lines of an invoice (v2 detail `items`; the
-- v2 spec publishes id and name only: amount, quantity and the parcel are
-- filled when Sendcloud sends them).
CREATE TABLE sendcloud_invoice_items (
    id INTEGER PRIMARY KEY NOT NULL,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    invoice_id BIGINT NOT NULL REFERENCES sendcloud_invoices(id) ON DELETE CASCADE,
    sendcloud_id BIGINT NOT NULL,
    description TEXT NOT NULL,
    amount TEXT,
    quantity TEXT,
    -- Sendcloud parcel id / tracking number the line is for, when stated
    parcel_id BIGINT,
    tracking_number TEXT,
    position BIGINT NOT NULL,
    UNIQUE (invoice_id, sendcloud_id)
);
CREATE INDEX sendcloud_invoice_items_company ON sendcloud_invoice_items (company_id, invoice_id);

-- v3 shipments: the shipment a parcel belongs to (string id) and the v3
-- status code (e.g. READY_TO_SEND) beside the v2 integer status id.
ALTER TABLE sendcloud_parcels ADD COLUMN shipment_id TEXT;
ALTER TABLE sendcloud_parcels ADD COLUMN status_code TEXT;
