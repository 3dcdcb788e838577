ALTER TABLE sendcloud_labels DROP COLUMN integration_logged;
ALTER TABLE sendcloud_settings DROP COLUMN integration_log;
