-- The statement that stores a group of webhook receipts (src/webhooks/group.rs)
-- as a PL/pgSQL function, so that PostgreSQL plans it once per session (a
-- generic plan: its inputs are arrays, no value changes the best plan) instead
-- of on every call, which cost more than executing it. The sessions' own
-- `plan_cache_mode = force_custom_plan` (src/db/conn.rs) stays for every other
-- statement. One receipt per array index; one row back per receipt, in order:
-- the new inbox id (NULL for a duplicate or a changed target) and whether the
-- company's integration row still carries the checked token and sealed secret.
-- The rules, row by row, are inbox::receive's; see group.rs.
CREATE FUNCTION sendcloud_receive_webhooks(
    p_company bigint[], p_action text[], p_object bigint[], p_event_ts bigint[],
    p_dedupe text[], p_body text[], p_at timestamp[], p_want_job boolean[],
    p_job_kind text[], p_job_payload text[], p_job_dedupe text[], p_job_max integer[],
    p_token text[], p_secret text[], p_direction text, p_target text, p_duplicate text)
RETURNS TABLE (inbox_id bigint, target_ok boolean)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
AS $fn$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH req AS (
        SELECT * FROM unnest(p_company, p_action, p_object, p_event_ts, p_dedupe,
            p_body, p_at, p_want_job, p_job_kind, p_job_payload, p_job_dedupe,
            p_job_max, p_token, p_secret) WITH ORDINALITY
        AS r(company_id, action, object_id, event_ts, dedupe_key, body, at, want_job, job_kind,
            job_payload, job_dedupe, job_max, token, secret, n)
    ), ok AS (
        SELECT r.* FROM req r WHERE EXISTS (
            SELECT 1 FROM sendcloud_integrations i
            WHERE i.company_id = r.company_id AND i.webhook_token = r.token
                AND i.secret_key_enc = r.secret)
    ), first AS (
        SELECT DISTINCT ON (company_id, dedupe_key) * FROM ok ORDER BY company_id, dedupe_key, n
    ), ins AS (
        INSERT INTO sendcloud_webhook_inbox
            (company_id, action, object_id, event_ts, dedupe_key, body, state, attempts, received_at)
        SELECT company_id, action, object_id, event_ts, dedupe_key, body, 'pending', 0, at
        FROM first ORDER BY company_id, dedupe_key
        ON CONFLICT (company_id, dedupe_key) DO NOTHING
        RETURNING id, company_id, dedupe_key
    ), stored AS (
        SELECT f.n, ins.id FROM first f
        JOIN ins ON ins.company_id = f.company_id AND ins.dedupe_key = f.dedupe_key
    ), job AS (
        INSERT INTO sendcloud_jobs
            (kind, company_id, payload, dedupe_key, state, attempts, max_attempts, run_after,
             created_at, updated_at)
        SELECT DISTINCT ON (COALESCE(f.job_dedupe, f.n::text)) f.job_kind, f.company_id,
            f.job_payload, f.job_dedupe, 'queued', 0, f.job_max, f.at, f.at, f.at
        FROM first f JOIN stored s ON s.n = f.n
        WHERE f.want_job
        ORDER BY COALESCE(f.job_dedupe, f.n::text), f.n
        ON CONFLICT DO NOTHING
    ), log AS (
        INSERT INTO sendcloud_action_log
            (company_id, at, direction, action, target, result, status_code, message, user_name)
        SELECT o.company_id, o.at, p_direction, 'webhook.' || o.action, p_target, 'ok', NULL,
            COALESCE('{"fact":"log-webhook-stored","args":{"inbox":' || s.id || '}}', p_duplicate), NULL
        FROM ok o LEFT JOIN stored s ON s.n = o.n
        ORDER BY o.n
    )
    SELECT s.id, (o.n IS NOT NULL)
    FROM req r LEFT JOIN ok o ON o.n = r.n LEFT JOIN stored s ON s.n = r.n
    ORDER BY r.n;
END
$fn$;
