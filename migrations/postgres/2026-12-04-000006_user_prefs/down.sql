DROP TABLE sendcloud_user_prefs;
