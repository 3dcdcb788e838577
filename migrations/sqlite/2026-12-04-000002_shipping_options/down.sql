DROP TABLE sendcloud_method_options;
DROP TABLE sendcloud_shipping_options;
