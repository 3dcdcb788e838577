DROP TABLE sendcloud_incidents;
DROP TABLE sendcloud_notify_settings;
DROP INDEX sendcloud_sync_runs_request_key;
ALTER TABLE sendcloud_sync_runs DROP COLUMN request_key;
ALTER TABLE sendcloud_sync_runs DROP COLUMN progress;
ALTER TABLE sendcloud_sync_runs DROP COLUMN error_detail;
ALTER TABLE sendcloud_sync_runs DROP COLUMN error_object;
