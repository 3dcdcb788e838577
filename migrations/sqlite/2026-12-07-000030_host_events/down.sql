DROP TABLE sendcloud_order_push_marks;
ALTER TABLE sendcloud_settings DROP COLUMN order_hold_marker;
ALTER TABLE sendcloud_settings DROP COLUMN order_hold_field;
ALTER TABLE sendcloud_settings DROP COLUMN order_push_interval;
ALTER TABLE sendcloud_settings DROP COLUMN order_push_enabled;
DROP INDEX sendcloud_outbox_due;
DROP INDEX sendcloud_outbox_event_id;
DROP TABLE sendcloud_outbox;
DROP TABLE sendcloud_event_hooks;
