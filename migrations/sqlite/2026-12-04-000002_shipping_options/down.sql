ALTER TABLE sendcloud_parcel_statuses DROP COLUMN code;
DROP TABLE sendcloud_method_options;
DROP TABLE sendcloud_shipping_options;
