-- Reports (issue 10, Berichte → Lager → Sendcloud): the indexes their
-- keyset pages walk, (company, sort key, id) per sortable column, and the
-- facts the run history and the Aktions-Logging show. Same SQL on both backends.

CREATE INDEX sendcloud_parcels_company_id ON sendcloud_parcels (company_id, id);
CREATE INDEX sendcloud_parcels_updated ON sendcloud_parcels (company_id, as_of_ms, id);
CREATE INDEX sendcloud_parcels_order_id ON sendcloud_parcels (company_id, order_number, id);
CREATE INDEX sendcloud_parcels_tracking ON sendcloud_parcels (company_id, tracking_number, id);
CREATE INDEX sendcloud_parcels_status ON sendcloud_parcels (company_id, status_message, id);
CREATE INDEX sendcloud_parcels_carrier ON sendcloud_parcels (company_id, carrier, id);
CREATE INDEX sendcloud_action_log_company_id ON sendcloud_action_log (company_id, id);

-- How long the call or change took (ms), and its payload as JSON with
-- secrets and personal data already masked (`reports::mask`).
ALTER TABLE sendcloud_action_log ADD COLUMN duration_ms BIGINT;
ALTER TABLE sendcloud_action_log ADD COLUMN payload TEXT;

-- Who started a run (the user's name; NULL for the scheduler, the connect
-- flow and the API, which `trigger` names), and the counts per object type
-- as JSON ({"parcels": {"fetched": …}, …}).
ALTER TABLE sendcloud_sync_runs ADD COLUMN started_by TEXT;
ALTER TABLE sendcloud_sync_runs ADD COLUMN object_counts TEXT;
