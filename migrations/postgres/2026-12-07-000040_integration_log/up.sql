-- Label failures written to Sendcloud's integration log (issue 11 item 7,
-- optional): the per-company setting (off by default), and per label the
-- fingerprint of the failure last posted there, so that a retry failing the
-- same way posts nothing again.
ALTER TABLE sendcloud_settings ADD COLUMN integration_log BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE sendcloud_labels ADD COLUMN integration_logged TEXT;
