DROP INDEX IF EXISTS sendcloud_webhook_inbox_pending;
DROP TABLE sendcloud_webhook_inbox;
