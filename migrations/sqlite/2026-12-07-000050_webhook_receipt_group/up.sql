-- PostgreSQL only (a PL/pgSQL function for webhooks::group); SQLite has one
-- writer and stores each receipt alone. Kept so both trees carry the same names.
SELECT 1;
