DROP TABLE sendcloud_label_settings;
DROP TABLE sendcloud_label_events;
DROP INDEX IF EXISTS sendcloud_labels_order;
DROP INDEX IF EXISTS sendcloud_labels_parcel;
DROP INDEX IF EXISTS sendcloud_labels_state;
DROP TABLE sendcloud_labels;
