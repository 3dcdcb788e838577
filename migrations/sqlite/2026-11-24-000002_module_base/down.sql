DROP TABLE sendcloud_users;
DROP TABLE sendcloud_warehouse_links;
DROP TABLE sendcloud_settings;
DROP INDEX IF EXISTS sendcloud_integrations_token;
DROP TABLE sendcloud_integrations;
