-- The labels' documents as Sendcloud delivered them (one parcel each: the
-- label as an A6 PDF, or as ZPL), kept by the module so Drucken and every
-- reprint work while Sendcloud is down; fetched from Sendcloud only when
-- missing. Keyed by the parcel: a replaced label is a new parcel.
-- SQLite flavour.

CREATE TABLE sendcloud_label_documents (
    id INTEGER PRIMARY KEY NOT NULL,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    label_id BIGINT NOT NULL REFERENCES sendcloud_labels(id),
    parcel_id BIGINT NOT NULL,
    -- pdf (A6, one page) or zpl
    format TEXT NOT NULL,
    content BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, parcel_id, format)
);
CREATE INDEX sendcloud_label_documents_label ON sendcloud_label_documents (label_id);
