DROP TABLE sendcloud_webhook_refusals;
ALTER TABLE sendcloud_integrations DROP COLUMN last_event_ts;
DROP TABLE sendcloud_sessions;
