-- The cap on label failures written to Sendcloud's integration log
-- (labels/integration_log.rs): the entries written per company in the last
-- hour (one row each, at most integration_log::PER_HOUR, older rows pruned),
-- and per company the failures not written individually since the last
-- summary entry (a count, with the time of the first).
CREATE TABLE sendcloud_integration_log_writes (
    id INTEGER PRIMARY KEY NOT NULL,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    written_at TIMESTAMP NOT NULL
);
CREATE INDEX sendcloud_integration_log_writes_company
    ON sendcloud_integration_log_writes (company_id, written_at);
CREATE TABLE sendcloud_integration_log_unwritten (
    company_id BIGINT PRIMARY KEY NOT NULL REFERENCES companies(id),
    failures INTEGER NOT NULL DEFAULT 0,
    since TIMESTAMP
);
