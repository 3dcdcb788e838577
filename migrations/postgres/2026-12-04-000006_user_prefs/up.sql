-- Per-user preferences of the admin UI (issue 13): the time zone times are
-- shown in. Keyed by the user's name as the session carries it (a module
-- user or a host user handed over by token). No row, or a NULL zone: the
-- browser's zone (sent by app.js), else Europe/Berlin. Same SQL on both
-- backends.
CREATE TABLE sendcloud_user_prefs (
    username TEXT PRIMARY KEY NOT NULL,
    -- an IANA zone name such as 'Europe/Berlin'
    time_zone TEXT,
    updated_at TIMESTAMP NOT NULL
);
