DROP TABLE sendcloud_brands;
