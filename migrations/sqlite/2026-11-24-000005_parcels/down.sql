DROP INDEX IF EXISTS sendcloud_parcels_order;
DROP INDEX IF EXISTS sendcloud_parcels_reference;
DROP TABLE sendcloud_parcels;
