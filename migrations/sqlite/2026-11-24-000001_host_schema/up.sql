-- The host back office's reference schema (HOST-SCHEMA.md), SQLite flavour.
-- Decimals are TEXT holding the decimal (never REAL); timestamps are UTC.
CREATE TABLE companies (
    id INTEGER PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    street TEXT NOT NULL,
    house_number TEXT,
    postal_code TEXT NOT NULL,
    city TEXT NOT NULL,
    country TEXT NOT NULL,
    vat_number TEXT,
    eori_number TEXT,
    email TEXT,
    phone TEXT,
    currency TEXT NOT NULL DEFAULT 'EUR'
);

CREATE TABLE warehouses (
    id INTEGER PRIMARY KEY NOT NULL,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    street TEXT NOT NULL,
    house_number TEXT,
    postal_code TEXT NOT NULL,
    city TEXT NOT NULL,
    country TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT 1,
    UNIQUE (company_id, code)
);

CREATE TABLE customers (
    id INTEGER PRIMARY KEY NOT NULL,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    account_number TEXT NOT NULL,
    name TEXT NOT NULL,
    is_company BOOLEAN NOT NULL,
    email TEXT,
    phone TEXT,
    street TEXT NOT NULL,
    house_number TEXT,
    address_2 TEXT,
    postal_code TEXT NOT NULL,
    city TEXT NOT NULL,
    state TEXT,
    country TEXT NOT NULL,
    vat_number TEXT,
    UNIQUE (company_id, account_number)
);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    street TEXT,
    house_number TEXT,
    address_2 TEXT,
    postal_code TEXT,
    city TEXT,
    state TEXT,
    country TEXT
);

CREATE TABLE products (
    id INTEGER PRIMARY KEY NOT NULL,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    sku TEXT NOT NULL,
    name TEXT NOT NULL,
    weight_kg TEXT,
    price TEXT NOT NULL,
    ean TEXT,
    UNIQUE (company_id, sku)
);

CREATE TABLE product_attributes (
    product_id BIGINT NOT NULL REFERENCES products(id),
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (product_id, key)
);

CREATE TABLE sales_orders (
    id INTEGER PRIMARY KEY NOT NULL,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    order_number TEXT NOT NULL,
    order_date TIMESTAMP NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    contact_id BIGINT REFERENCES contacts(id),
    warehouse_id BIGINT REFERENCES warehouses(id),
    status TEXT NOT NULL,
    approved BOOLEAN NOT NULL,
    payment_status TEXT NOT NULL,
    currency TEXT NOT NULL,
    total_amount TEXT NOT NULL,
    shipping_method_ref TEXT,
    service_point_ref TEXT,
    your_ref TEXT,
    remarks TEXT,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, order_number)
);
CREATE INDEX sales_orders_company_date ON sales_orders (company_id, order_date);

CREATE TABLE sales_order_lines (
    id INTEGER PRIMARY KEY NOT NULL,
    order_id BIGINT NOT NULL REFERENCES sales_orders(id),
    line_no INTEGER NOT NULL,
    product_id BIGINT NOT NULL REFERENCES products(id),
    description TEXT NOT NULL,
    quantity TEXT NOT NULL,
    unit_price TEXT NOT NULL
);
CREATE INDEX sales_order_lines_order ON sales_order_lines (order_id);

CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY NOT NULL,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    delivery_number TEXT NOT NULL,
    order_id BIGINT NOT NULL REFERENCES sales_orders(id),
    warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
    created_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL,
    tracking_number TEXT,
    tracking_url TEXT,
    carrier TEXT,
    shipping_status TEXT,
    label_pdf BLOB,
    remarks TEXT,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, delivery_number)
);
CREATE INDEX deliveries_order ON deliveries (order_id);

CREATE TABLE delivery_lines (
    id INTEGER PRIMARY KEY NOT NULL,
    delivery_id BIGINT NOT NULL REFERENCES deliveries(id),
    order_line_id BIGINT NOT NULL REFERENCES sales_order_lines(id),
    product_id BIGINT NOT NULL REFERENCES products(id),
    quantity TEXT NOT NULL
);
CREATE INDEX delivery_lines_delivery ON delivery_lines (delivery_id);
