DROP TABLE sendcloud_label_documents;
